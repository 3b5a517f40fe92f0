import { languageForPath } from '../languages';
import { decodeUtf8 } from '../text';
import type { Skipped } from '../types';

/** A NUL byte in this many leading bytes marks a file as binary (contract). */
export const BINARY_SNIFF_BYTES = 8000;

/**
 * Minified-file rule. A file is minified when it is at least
 * {@link MINIFIED_MIN_BYTES} long and either one line is longer than
 * {@link MINIFIED_MAX_LINE} characters or its average line is longer than
 * {@link MINIFIED_MAX_AVERAGE_LINE}. Hand-written code averages 30–60 chars a
 * line and keeps the odd long line (a data URI, an SVG path) well under the
 * first limit; bundler output is a few lines of tens of kilobytes each.
 */
export const MINIFIED_MIN_BYTES = 1000;
export const MINIFIED_MAX_LINE = 10_000;
export const MINIFIED_MAX_AVERAGE_LINE = 300;

export type DecodedSource = { ok: true; text: string } | { ok: false; skipped: Skipped };

/** True when a NUL byte appears in the first 8,000 bytes. */
export function isBinary(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, BINARY_SNIFF_BYTES);
  for (let i = 0; i < n; i++) if (bytes[i] === 0) return true;
  return false;
}

/** The minified rule above, on raw bytes (line ends: \n, \r\n or \r). */
export function isMinified(bytes: Uint8Array): boolean {
  const n = bytes.length;
  if (n < MINIFIED_MIN_BYTES) return false;
  let lines = 1;
  let lineStart = 0;
  for (let i = 0; i < n; i++) {
    const b = bytes[i];
    if (b === 10 || b === 13) {
      if (i - lineStart > MINIFIED_MAX_LINE) return true;
      if (b === 13 && bytes[i + 1] === 10) i++;
      lines++;
      lineStart = i + 1;
    }
  }
  if (n - lineStart > MINIFIED_MAX_LINE) return true;
  return n / lines > MINIFIED_MAX_AVERAGE_LINE;
}

/**
 * Turns a file's bytes into text for the index, or says why it is skipped:
 * `binary` (NUL in the first 8,000 bytes), `minified` (rule above; applied
 * to every language the index knows, since none is written on 10,000-char lines).
 * Text is UTF-8 with a BOM dropped and invalid bytes as U+FFFD. Never throws.
 */
export function decodeSource(file: string, bytes: Uint8Array): DecodedSource {
  try {
    if (isBinary(bytes)) return { ok: false, skipped: { file, reason: 'binary' } };
    if (isMinified(bytes)) return { ok: false, skipped: { file, reason: 'minified', detail: minifiedDetail(file) } };
    return { ok: true, text: decodeUtf8(bytes) };
  } catch (e) {
    return { ok: false, skipped: { file, reason: 'unreadable', detail: String((e as Error)?.message ?? e) } };
  }
}

function minifiedDetail(file: string): string {
  const lang = languageForPath(file);
  return `very long lines${lang ? ` (${lang.id})` : ''}`;
}
