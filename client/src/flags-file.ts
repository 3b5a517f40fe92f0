/**
 * Choosing a flags snapshot as the flag source (the `posthog.flagsFile`
 * setting). Pure: no `vscode` import (test/unit/client-logic.test.ts).
 */
import * as path from 'node:path';

/** The snapshot a workspace folder may hold at its root (`posthog-flags pull --out posthog-flags.json`). */
export const WORKSPACE_SNAPSHOT_NAME = 'posthog-flags.json';

/**
 * The value to store in `posthog.flagsFile` for `file`: relative to the
 * first workspace folder when inside it (the setting is read relative to
 * that folder, so the workspace can be moved), else the absolute path.
 */
export function flagsFileSettingValue(file: string, firstFolder: string | undefined): string {
  if (firstFolder) {
    const rel = path.relative(firstFolder, file);
    if (rel && !rel.startsWith('..') && !path.isAbsolute(rel)) return rel.split(path.sep).join('/');
  }
  return file;
}

/**
 * Why `text` cannot be a flags snapshot, or undefined. Only what is sure
 * without the server's parser: JSON, and a list of flags or an object (the
 * list endpoint's body, a `pull` snapshot). The server reads it and says
 * in the status bar what else is wrong.
 */
export function snapshotTextProblem(text: string): string | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    return `it is not JSON (${error instanceof Error ? error.message : String(error)})`;
  }
  if (Array.isArray(value) || (value !== null && typeof value === 'object')) return undefined;
  return 'it holds no flags (expected a JSON list of flags or the body of the flags list endpoint)';
}
