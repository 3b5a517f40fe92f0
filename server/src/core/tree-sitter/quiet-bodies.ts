/**
 * Quiet bodies for Go and Python: function bodies in which no SDK name
 * occurs are blanked before tree-sitter parses the file (the same idea as
 * ../index/quiet-bodies.ts for JS/TS). A usage is always inside a body that
 * holds its SDK name; constants the extraction reads are module-, package-
 * or class-level, or local to the body that uses them, so blanking a quiet
 * body changes no result. Positions stay: blanked characters become spaces,
 * line ends are kept.
 *
 * Both lexers give up (undefined) on anything unexpected; the caller then
 * parses the whole text, and also when the blanked text parses with errors.
 */

import type { Parser, Range, Tree } from 'web-tree-sitter';
import { LineMap, anyOffsetIn, blankText, termOffsets } from '../text';

const LF = 10;
const CR = 13;
const SPACE = 32;
const TAB = 9;

/** Adds [start, end) unless an SDK name is inside; drops recorded ranges it covers. */
function record(ranges: number[], hits: readonly number[], start: number, end: number): void {
  if (end - start < 3 || anyOffsetIn(hits, start, end)) return;
  while (ranges.length && ranges[ranges.length - 2] >= start) ranges.length -= 2;
  ranges.push(start, end);
}

export interface QuietText {
  /** The text with quiet bodies blanked (same length, same line ends). */
  text: string;
  /** What the parser need not read at all: start and end offsets of the blanks, in order. */
  skip: number[];
}

/** `text` with the ranges blanked, `lead` written at the start of each (Python's `pass`). */
function applyRanges(text: string, ranges: readonly number[], lead = ''): QuietText {
  const parts: string[] = [];
  const skip: number[] = [];
  let at = 0;
  for (let r = 0; r < ranges.length; r += 2) {
    const [s, e] = [ranges[r], ranges[r + 1]];
    parts.push(text.slice(at, s), lead, blankText(text, s + lead.length, e));
    skip.push(s + lead.length, e);
    at = e;
  }
  parts.push(text.slice(at));
  return { text: parts.join(''), skip };
}

// ---------- Go ----------

const GO_BLOCK_LINE = /^\s*(?:\}\s*)?(?:func|if|for|switch|select|else)\b/;

/**
 * Go: a `{` opens a body that can go when it follows `)` (a function,
 * method or call-free condition), or ends a line that starts with `func`,
 * `if`, `for`, `switch`, `select` or `else`. Composite literals
 * (`FeatureFlagPayload{Key: …}`, package-level maps) never match.
 */
export function blankQuietGo(text: string, hits: readonly number[]): QuietText | undefined {
  const n = text.length;
  const stack: number[] = [];
  const ranges: number[] = [];
  let last = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === SPACE || c === TAB || c === LF || c === CR) continue;
    if (c === 47 /* / */ && text.charCodeAt(i + 1) === 47) {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? n : nl - 1;
      continue;
    }
    if (c === 47 && text.charCodeAt(i + 1) === 42 /* * */) {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) return undefined;
      i = end + 1;
      continue;
    }
    if (c === 34 /* " */ || c === 39 /* ' */) {
      let j = i + 1;
      while (j < n && text.charCodeAt(j) !== c) {
        if (text.charCodeAt(j) === LF) return undefined;
        j += text.charCodeAt(j) === 92 /* \ */ ? 2 : 1;
      }
      if (j >= n) return undefined;
      i = j;
      last = c;
      continue;
    }
    if (c === 96 /* ` */) {
      const end = text.indexOf('`', i + 1);
      if (end < 0) return undefined;
      i = end;
      last = c;
      continue;
    }
    if (c === 123 /* { */) {
      stack.push(last === 41 /* ) */ || goBlockAtLineEnd(text, i) ? i + 1 : -1);
    } else if (c === 125 /* } */) {
      const open = stack.pop();
      if (open === undefined) return undefined;
      if (open >= 0) record(ranges, hits, open, i);
    }
    last = c;
  }
  if (stack.length || !ranges.length) return undefined;
  return applyRanges(text, ranges);
}

function goBlockAtLineEnd(text: string, i: number): boolean {
  let j = i + 1;
  while (j < text.length && (text.charCodeAt(j) === SPACE || text.charCodeAt(j) === TAB || text.charCodeAt(j) === CR)) j++;
  if (j < text.length && text.charCodeAt(j) !== LF && !text.startsWith('//', j)) return false;
  return GO_BLOCK_LINE.test(text.slice(text.lastIndexOf('\n', i) + 1, i));
}

// ---------- Python ----------

const PY_DEF = /^(?:async\s+)?def\b/;

/**
 * Python: the body of a `def` (one whose header ends with `:` and a line
 * break) can go; it becomes `pass` and spaces. Class bodies stay (class
 * constants), and so does module-level code. A file indented with tabs is
 * parsed whole.
 */
export function blankQuietPython(text: string, hits: readonly number[]): QuietText | undefined {
  const n = text.length;
  const ranges: number[] = [];
  /** Open defs: indentation of the header, where the body starts, where its last line ends. */
  const defs: Array<{ indent: number; start: number; end: number }> = [];
  let depth = 0;
  let lineStart = 0;
  let atLineStart = false;
  let logicalIndent = -1;
  let logicalIsDef = false;
  let lastSig = 0;
  /**
   * The logical line so far holds code (not only a comment): only such lines
   * extend the open bodies, so comments and blank lines after a body's last
   * statement stay out of its range (an appended comment leaves the facts as they were).
   */
  let lineHasCode = false;
  let i = 0;
  const closeDefs = (indent: number) => {
    while (defs.length && defs[defs.length - 1].indent >= indent) {
      const d = defs.pop()!;
      if (d.end > d.start) record(ranges, hits, d.start, d.end);
      // The enclosing def's body reaches at least as far.
      if (defs.length) defs[defs.length - 1].end = Math.max(defs[defs.length - 1].end, d.end);
    }
  };
  while (i < n) {
    // At the start of a physical line outside brackets and strings: maybe a new logical line.
    if (i === lineStart && depth === 0 && !atLineStart) {
      atLineStart = true;
      let k = i;
      while (k < n && text.charCodeAt(k) === SPACE) k++;
      if (text.charCodeAt(k) === TAB) return undefined;
      const c = text.charCodeAt(k);
      if (k < n && c !== LF && c !== CR && c !== 35 /* # */) {
        const indent = k - i;
        closeDefs(indent);
        logicalIndent = indent;
        logicalIsDef = PY_DEF.test(text.slice(k, k + 10));
        lastSig = 0;
      }
      i = k;
      continue;
    }
    const c = text.charCodeAt(i);
    if (c === LF) {
      i++;
      lineStart = i;
      atLineStart = false;
      if (depth > 0) continue;
      // End of a logical line: a def header ending in `:` opens a body on the next line.
      if (logicalIsDef && lastSig === 58 /* : */) defs.push({ indent: logicalIndent, start: i, end: i });
      else if (lineHasCode) for (const d of defs) d.end = text.charCodeAt(i - 2) === CR ? i - 2 : i - 1;
      logicalIsDef = false;
      lineHasCode = false;
      lastSig = 0;
      continue;
    }
    if (c === SPACE || c === TAB || c === CR) {
      i++;
      continue;
    }
    if (c === 92 /* \ */) {
      // Line continuation: the logical line goes on.
      i += 2;
      if (text.charCodeAt(i - 1) === CR && text.charCodeAt(i) === LF) i++;
      continue;
    }
    if (c === 35 /* # */) {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? n : nl;
      continue;
    }
    if (c === 34 || c === 39) {
      const triple = text.charCodeAt(i + 1) === c && text.charCodeAt(i + 2) === c;
      if (triple) {
        const q = text.slice(i, i + 3);
        let j = i + 3;
        for (;;) {
          const end = text.indexOf(q, j);
          if (end < 0) return undefined;
          let bs = 0;
          while (text.charCodeAt(end - 1 - bs) === 92) bs++;
          if (bs % 2 === 0) {
            j = end + 3;
            break;
          }
          j = end + 1;
        }
        i = j;
      } else {
        let j = i + 1;
        while (j < n && text.charCodeAt(j) !== c) {
          if (text.charCodeAt(j) === LF) return undefined;
          j += text.charCodeAt(j) === 92 ? 2 : 1;
        }
        if (j >= n) return undefined;
        i = j + 1;
      }
      lastSig = c;
      lineHasCode = true;
      continue;
    }
    lineHasCode = true;
    if (c === 40 || c === 91 || c === 123) depth++;
    else if (c === 41 || c === 93 || c === 125) {
      if (depth === 0) return undefined;
      depth--;
    }
    lastSig = c;
    i++;
  }
  if (depth) return undefined;
  if (logicalIsDef && lastSig === 58) return undefined; // a header with no body at the end of the file
  if (lineHasCode) for (const d of defs) d.end = n;
  closeDefs(0);
  // Every range starts at a body's first line: keep its indentation and put `pass` there.
  const kept: number[] = [];
  for (let r = 0; r < ranges.length; r += 2) {
    let s = ranges[r];
    // Skip blank and comment-only lines to the first statement line, whose indentation `pass` takes.
    for (;;) {
      let k = s;
      while (k < n && text.charCodeAt(k) === SPACE) k++;
      const c = text.charCodeAt(k);
      if (c === LF || c === CR || c === 35) {
        const nl = text.indexOf('\n', k);
        if (nl < 0 || nl >= ranges[r + 1]) break;
        s = nl + 1;
        continue;
      }
      s = k;
      break;
    }
    const lineEnd = text.indexOf('\n', s);
    if ((lineEnd < 0 ? n : lineEnd) - s < 4 || s >= ranges[r + 1]) continue;
    kept.push(s, ranges[r + 1]);
  }
  if (!kept.length) return undefined;
  return applyRanges(text, kept, 'pass');
}

/** What tree-sitter is to read of a quiet text: the complement of `skip` (start, end offsets), as its ranges. */
export function includedRanges(text: string, skip: readonly number[]): Range[] {
  const lines = new LineMap(text);
  const point = (offset: number) => {
    const p = lines.position(offset);
    return { row: p.line - 1, column: p.column - 1 };
  };
  const out: Range[] = [];
  let at = 0;
  for (let i = 0; i <= skip.length; i += 2) {
    const end = i < skip.length ? skip[i] : text.length;
    if (end > at) out.push({ startIndex: at, endIndex: end, startPosition: point(at), endPosition: point(end) });
    if (i < skip.length) at = skip[i + 1];
  }
  return out;
}


/** True when a term occurs in a blanked range (`ranges`: start, end pairs): reading the file again keeps more. */
export function termsInBlanked(text: string, ranges: readonly number[], terms: readonly string[]): boolean {
  if (!ranges.length || !terms.length) return false;
  const hits = termOffsets(text, terms);
  for (let r = 0; r < ranges.length; r += 2) if (anyOffsetIn(hits, ranges[r], ranges[r + 1])) return true;
  return false;
}

/**
 * Parses `source` with the quiet bodies of `q` left out of the parse (included
 * ranges), or whole when there are none or that parse has an error the whole
 * text may not have. `blanked`: the ranges left out, when they were.
 */
export function parseQuiet(parser: Parser, source: string, q: QuietText | undefined, cancel?: () => boolean): { tree: Tree | null; blanked?: number[] } {
  if (q) {
    const t = parser.parse(q.text, null, { includedRanges: includedRanges(q.text, q.skip), progressCallback: cancel });
    if (t && !t.rootNode.hasError) return { tree: t, blanked: q.skip };
    t?.delete();
  }
  return { tree: parser.parse(source, null, { progressCallback: cancel }) };
}
