/**
 * Shared set-up for protocol tests: a temporary workspace on disk, raw
 * PostHog flags for the fake, and a started server connected to both.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { FAKE_KEY, startFakePostHog, type FakeOptions, type FakePostHog } from '../fake-posthog';
import { LspTestClient, type StartOptions } from '../support/lsp-client';

export { FAKE_KEY };

const DAY = 86_400_000;
const iso = (daysAgo: number) => new Date(Date.now() - daysAgo * DAY).toISOString();

/** A raw API flag (posthog-api.md §4) with sensible defaults. */
export function rawFlag(id: number, key: string, over: Record<string, unknown> = {}): Record<string, unknown> & { id: number; key: string } {
  return {
    id,
    key,
    name: `${key} description`,
    active: true,
    deleted: false,
    filters: { groups: [{ properties: [], rollout_percentage: 30, variant: null }], payloads: {}, multivariate: null },
    created_at: iso(3),
    created_by: { id: 1, email: 'dev@acme.com', first_name: 'Dev' },
    version: 1,
    tags: [],
    last_called_at: iso(1),
    experiment_set: [],
    evaluation_runtime: 'all',
    ...over,
  };
}

/** The flags most tests use. */
export function standardFlags() {
  return [
    rawFlag(1, 'new-checkout', { name: 'New checkout flow', tags: ['growth'] }),
    rawFlag(2, 'beta-banner', { active: false }),
    rawFlag(3, 'everyone-gets-it', { filters: { groups: [{ properties: [], rollout_percentage: 100, variant: null }], payloads: { true: '{"color":"blue"}' }, multivariate: null } }),
    rawFlag(4, 'pricing-test', {
      filters: {
        groups: [{ properties: [], rollout_percentage: 50, variant: null }],
        payloads: {},
        multivariate: { variants: [{ key: 'control', name: 'Control', rollout_percentage: 50 }, { key: 'cheaper', name: 'Cheaper', rollout_percentage: 50 }] },
      },
    }),
    rawFlag(5, 'cohort-flag', { filters: { groups: [{ properties: [{ key: 'id', type: 'cohort', value: 42 }], rollout_percentage: 100, variant: null }], payloads: {}, multivariate: null } }),
    rawFlag(6, 'old-flag', { last_called_at: iso(90), created_at: iso(200) }),
  ];
}

export function makeWorkspace(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'phf-lsp-'));
  writeFiles(dir, files);
  return dir;
}

export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
}

export interface Session {
  fake: FakePostHog;
  client: LspTestClient;
  dir: string;
  dispose(): Promise<void>;
}

export interface SessionOptions {
  files?: Record<string, string>;
  folders?: string[];
  fake?: FakeOptions;
  flags?: Record<string, unknown>[];
  initializationOptions?: Record<string, unknown>;
  capabilities?: unknown;
  start?: StartOptions;
  /** Wait for the first `posthog/status` (default true). */
  waitForStatus?: boolean;
  /** Wait until this many files are indexed (reads the progress end), default: wait for progress end. */
  waitForIndex?: boolean;
  existingFake?: FakePostHog;
}

export async function startSession(opts: SessionOptions = {}): Promise<Session> {
  const dir = opts.folders?.[0] ?? makeWorkspace(opts.files ?? {});
  const fake = opts.existingFake ?? (await startFakePostHog({ projects: [{ id: 1, flags: (opts.flags ?? standardFlags()) as never, cohorts: [{ id: 42, name: 'Beta testers' } as never] }], ...opts.fake }));
  const client = LspTestClient.start(opts.start);
  await client.initialize({
    folders: opts.folders ?? [dir],
    initializationOptions: { host: fake.url, projectId: 1, personalApiKey: FAKE_KEY, ...opts.initializationOptions },
    ...(opts.capabilities ? { capabilities: opts.capabilities as never } : {}),
  });
  if (opts.waitForStatus !== false) await client.waitForNotification('posthog/status');
  if (opts.waitForIndex !== false) await waitForIndexing(client);
  return {
    fake,
    client,
    dir,
    async dispose() {
      await client.stop();
      assertNoKey(client);
      if (!opts.existingFake) await fake.close();
      if (!opts.folders) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Waits until every indexing progress that began has ended. */
export async function waitForIndexing(client: LspTestClient, ms = 10000): Promise<void> {
  await client.waitFor('indexing to finish', () => {
    const progress = client.notifications.filter((n) => n.method === '$/progress');
    const begun = new Set(progress.filter((n) => n.params.value?.kind === 'begin').map((n) => String(n.params.token)));
    const ended = new Set(progress.filter((n) => n.params.value?.kind === 'end').map((n) => String(n.params.token)));
    return begun.size > 0 && [...begun].every((t) => ended.has(t));
  }, ms);
}

/** The key must appear nowhere in what the server wrote. */
export function assertNoKey(client: LspTestClient, key = FAKE_KEY): void {
  assert.ok(!client.stdout.includes(key), 'the personal API key appeared on the server stdout');
  assert.ok(!client.stderr.includes(key), 'the personal API key appeared on the server stderr');
}

/** 0-based position of the first occurrence of `needle` in `text` (plus `offset` characters). */
export function positionOf(text: string, needle: string, offset = 0): { line: number; character: number } {
  const i = text.indexOf(needle);
  assert.ok(i >= 0, `'${needle}' not in text`);
  const before = text.slice(0, i + offset);
  const lines = before.split('\n');
  return { line: lines.length - 1, character: lines[lines.length - 1].length };
}

export function hoverText(h: any): string {
  if (!h) return '';
  const c = h.contents;
  return typeof c === 'string' ? c : Array.isArray(c) ? c.map((x: any) => (typeof x === 'string' ? x : x.value)).join('\n') : c.value;
}
