/**
 * Seeded generator of realistic flag objects for the fake PostHog: booleans,
 * multivariates, cohorts, group aggregation, disabled flags, old shapes.
 */
import type { RawFlag } from './state';

/** mulberry32: small, deterministic. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface GenerateOptions {
  seed?: number;
  /** First id (default 1). */
  startId?: number;
  /** Key prefix (default `flag`): keys are `${prefix}-${n}`. */
  prefix?: string;
  /** Cohort ids that may be referenced. */
  cohortIds?: number[];
  now?: Date;
}

export function generateFlags(n: number, opts: GenerateOptions = {}): RawFlag[] {
  const rnd = seededRandom(opts.seed ?? 1);
  const start = opts.startId ?? 1;
  const prefix = opts.prefix ?? 'flag';
  const cohorts = opts.cohortIds ?? [];
  const now = (opts.now ?? new Date('2026-06-01T00:00:00Z')).getTime();
  const out: RawFlag[] = [];
  for (let i = 0; i < n; i++) {
    const id = start + i;
    const r = rnd();
    const pct = [0, 10, 25, 50, 100, null][Math.floor(rnd() * 6)];
    const groups: Record<string, unknown>[] = [];
    let multivariate: unknown = null;
    if (r < 0.4) groups.push({ properties: [], rollout_percentage: pct, variant: null });
    else if (r < 0.6) groups.push({ properties: [{ key: 'email', type: 'person', value: '@acme.com', operator: 'icontains' }], rollout_percentage: pct, variant: null });
    else if (r < 0.75 && cohorts.length) groups.push({ properties: [{ key: 'id', type: 'cohort', value: cohorts[Math.floor(rnd() * cohorts.length)] }], rollout_percentage: 100, variant: null });
    else {
      groups.push({ properties: [], rollout_percentage: 100, variant: null });
      multivariate = { variants: [{ key: 'control', name: 'Control', rollout_percentage: 50 }, { key: 'test', name: 'Test', rollout_percentage: 50 }] };
    }
    const created = new Date(now - Math.floor(rnd() * 400) * 86400000).toISOString();
    const called = rnd() < 0.5 ? new Date(now - Math.floor(rnd() * 90) * 86400000).toISOString() : null;
    out.push({
      id,
      key: `${prefix}-${id}`,
      name: `Generated flag ${id}`,
      active: rnd() > 0.2,
      deleted: false,
      filters: { groups, multivariate, payloads: {}, aggregation_group_type_index: null },
      created_at: created,
      created_by: { id: 1, email: 'dev@acme.com', first_name: 'Dev' },
      version: 1,
      tags: rnd() < 0.1 ? ['growth'] : [],
      last_called_at: called,
      experiment_set: [],
      evaluation_runtime: 'all',
    });
  }
  return out;
}
