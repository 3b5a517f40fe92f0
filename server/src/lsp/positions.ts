/**
 * Conversions between the core's positions (1-based line and UTF-16 column,
 * end exclusive; see server/src/core/types.ts) and LSP's (0-based), and
 * between URIs and (folder, root-relative file) pairs.
 */
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Range, Position } from 'vscode-languageserver';
import type { Span } from '../core/types';

export function toRange(span: Span): Range {
  return {
    start: { line: span.line - 1, character: span.column - 1 },
    end: { line: span.endLine - 1, character: span.endColumn - 1 },
  };
}

/** LSP position → the core's 1-based line and column. */
export function toCorePosition(position: Position): { line: number; column: number } {
  return { line: position.line + 1, column: position.character + 1 };
}

/** True when the 0-based `position` lies inside `span` (end inclusive: a cursor just after the key counts). */
export function spanContains(span: Span, position: Position): boolean {
  const line = position.line + 1;
  const column = position.character + 1;
  if (line < span.line || line > span.endLine) return false;
  if (line === span.line && column < span.column) return false;
  if (line === span.endLine && column > span.endColumn) return false;
  return true;
}

export function uriToPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

export function pathToUri(path: string): string {
  return pathToFileURL(path).href;
}

/** `file` (relative, `/`) under `root` → URI. */
export function fileUri(root: string, file: string): string {
  return pathToUri(root.endsWith('/') ? root + file : `${root}/${file}`);
}
