/** The fake PostHog serving the demo's flags and cohorts (examples/demo/posthog-flags.json). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../../scripts/e2e/editors';
import { startFakePostHog, type FakePostHog, type RawCohort, type RawFlag } from '../../fake-posthog';

export const DEMO_PROJECT_ID = 1;

/** `persons`: people the persons endpoint knows (Debug as Person reads their properties). */
export function startDemoPostHog(persons: { id: number; distinct_ids: string[]; properties: Record<string, unknown> }[] = []): Promise<FakePostHog> {
  const snapshot = JSON.parse(readFileSync(join(REPO_ROOT, 'examples', 'demo', 'posthog-flags.json'), 'utf8')) as { results: RawFlag[]; cohorts?: RawCohort[] };
  return startFakePostHog({
    projects: [{ id: DEMO_PROJECT_ID, name: 'Demo shop', flags: snapshot.results, cohorts: snapshot.cohorts ?? [], persons }],
  });
}
