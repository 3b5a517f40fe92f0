/**
 * Shared pieces of the reliability protocol tests: a workspace with one
 * hoverable key and one empty key argument, checks that the editor keeps
 * answering from the last good flags, request counting over the fake's log,
 * and a tiny HTTP server that is not PostHog.
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { join } from 'node:path';
import { uriOf } from '../support/lsp-client';
import { hoverText, positionOf, type Session } from './helpers';

export const EDITOR_TS = `import posthog from 'posthog-js';
export const a = posthog.isFeatureEnabled('new-checkout');
export const b = posthog.isFeatureEnabled('');
`;

export const EDITOR_FILES = {
  'src/editor.ts': EDITOR_TS,
  'package.json': '{"name":"app","dependencies":{"posthog-js":"1.0.0"}}',
};

/** Hover and completion answer from the flags in memory (the last good ones). */
const opened = new WeakSet<Session>();

export async function assertEditorAnswers(s: Session, file = join(s.dir, 'src/editor.ts')): Promise<void> {
  if (!opened.has(s)) {
    opened.add(s);
    await s.client.open(file, EDITOR_TS);
  }
  const hp = positionOf(EDITOR_TS, "'new-checkout'", 2);
  const hover = hoverText(await s.client.hover(file, hp.line, hp.character));
  assert.match(hover, /new-checkout/, 'hover answers');
  assert.match(hover, /Active/, 'hover shows the last good flag state');
  const cp = positionOf(EDITOR_TS, "isFeatureEnabled('')", "isFeatureEnabled('".length);
  const r = await s.client.request('textDocument/completion', { textDocument: { uri: uriOf(file) }, position: cp });
  const labels: string[] = (Array.isArray(r) ? r : r?.items ?? []).map((i: any) => i.label);
  assert.ok(labels.includes('new-checkout') && labels.includes('beta-banner'), `completion from the last good flags: ${labels.join()}`);
}

/** Most requests seen in any window of `windowMs` among arrival times. */
export function maxInWindow(times: number[], windowMs: number): number {
  const t = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; i < t.length; i++) {
    while (t[i] - t[j] >= windowMs) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

export interface PlainServer {
  url: string;
  /** Arrival time and Authorization header of every request. */
  log: { at: number; path: string; authorization?: string }[];
  /** Replaces the handler. */
  handle: (req: IncomingMessage, res: ServerResponse) => void;
  close(): Promise<void>;
}

/** An HTTP server on 127.0.0.1 that is not PostHog: by default an HTML page with 200 for everything. */
export async function startPlainServer(): Promise<PlainServer> {
  const sockets = new Set<Socket>();
  const plain: PlainServer = {
    url: '',
    log: [],
    handle: (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!doctype html><html><head><title>Welcome to nginx!</title></head><body><h1>Welcome to nginx!</h1></body></html>');
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
  const server = createServer((req, res) => {
    plain.log.push({ at: Date.now(), path: req.url ?? '', authorization: req.headers.authorization });
    req.resume();
    req.on('end', () => plain.handle(req, res));
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  plain.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return plain;
}

/** The key in any form a writer might produce: as is, or with backslashes between its characters (Markdown, JSON). */
export function keyInAnyForm(key: string): RegExp {
  return new RegExp([...key].map((c) => c.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&')).join('\\\\*'));
}
