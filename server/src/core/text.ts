/**
 * Text positions as the contract defines them: lines end at `\r\n`, `\n` or
 * `\r` (nothing else), columns count UTF-16 code units, both 1-based.
 * Offsets are indexes into the JS string (UTF-16 code units).
 */
export class LineMap {
  /** Offsets at which each line starts; starts[0] = 0. */
  readonly starts: number[];

  constructor(readonly text: string) {
    const starts = [0];
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) starts.push(i + 1);
      else if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        starts.push(i + 1);
      }
    }
    this.starts = starts;
  }

  /** 1-based line and column of an offset. */
  position(offset: number): { line: number; column: number } {
    const s = this.starts;
    let lo = 0;
    let hi = s.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (s[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - s[lo] + 1 };
  }

  /** Offset of a 1-based line and column (clamped to the text). */
  offset(line: number, column: number): number {
    const start = this.starts[Math.min(Math.max(line, 1), this.starts.length) - 1];
    return Math.min(start + Math.max(column, 1) - 1, this.text.length);
  }

  /** Span (1-based, end exclusive) of the offsets [start, end). */
  span(start: number, end: number): { line: number; column: number; endLine: number; endColumn: number } {
    const a = this.position(start);
    const b = this.position(end);
    return { line: a.line, column: a.column, endLine: b.line, endColumn: b.column };
  }
}

/**
 * Decodes file bytes as the contract says: UTF-8, a leading byte-order mark
 * dropped, invalid sequences read as U+FFFD.
 */
export function decodeUtf8(bytes: Uint8Array): string {
  return utf8.decode(bytes);
}
const utf8 = new TextDecoder('utf-8', { fatal: false, ignoreBOM: false });

/**
 * The same data with every string copied out of the text it was cut from.
 * V8 keeps a substring of 13 or more characters as a view of its parent
 * string, so a key or a name kept in an index entry would keep the whole
 * source file alive; per-file facts go through this before they are stored.
 * Plain data only (arrays, plain objects, primitives).
 */
export function detachStrings<T>(value: T): T {
  if (typeof value === 'string') return (value.length >= 13 ? (' ' + value).slice(1) : value) as T;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = detachStrings(value[i]);
    return value;
  }
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    for (const k in o) o[k] = detachStrings(o[k]);
  }
  return value;
}

/** Spaces in place of text[start, end), line ends kept (so every line and column after it stays right). */
export function blankText(text: string, start: number, end: number): string {
  let out = '';
  let from = start;
  for (let nl = text.indexOf('\n', start); nl >= 0 && nl < end; nl = text.indexOf('\n', nl + 1)) {
    const cr = nl > from && text.charCodeAt(nl - 1) === 13 ? 1 : 0;
    out += ' '.repeat(nl - from - cr) + (cr ? '\r\n' : '\n');
    from = nl + 1;
  }
  return out + ' '.repeat(end - from);
}

/** True when one of the ascending offsets lies in [start, end) (binary search). */
export function anyOffsetIn(sorted: ArrayLike<number>, start: number, end: number): boolean {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < start) lo = mid + 1;
    else hi = mid;
  }
  return lo < sorted.length && sorted[lo] < end;
}

/**
 * The text with lone surrogates (possible in editor buffers, never in decoded
 * files) as U+FFFD: same length, so every offset stays right, and tree-sitter's
 * UTF-16 offsets are not shifted by them.
 */
export function wellFormedText(text: string): string {
  const t = text as string & { isWellFormed(): boolean; toWellFormed(): string };
  return t.isWellFormed() ? text : t.toWellFormed();
}

/**
 * Compiled alternations of term lists, by list. Compiling a regular
 * expression of a few hundred wrapper names costs about 0.1 ms, which per
 * file was a fifth of a scan's pre-parse work; the index hands the same
 * array until a name is added, so one compilation serves every file.
 */
const alternations = new WeakMap<readonly string[], RegExp | null>();

/** A global regular expression matching any of the terms as plain text (null when none is non-empty). */
export function termAlternation(terms: readonly string[]): RegExp | null {
  let re = alternations.get(terms);
  if (re === undefined) {
    const words = terms.filter((t) => t.length > 0);
    re = words.length ? new RegExp(words.map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g') : null;
    alternations.set(terms, re);
  }
  return re;
}

/** Offsets of the occurrences of the terms in `text`, in order (leftmost first, as one alternation finds them; no word boundaries). */
export function termOffsets(text: string, terms: readonly string[]): number[] {
  const re = termAlternation(terms);
  const out: number[] = [];
  if (!re) return out;
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) out.push(m.index);
  return out;
}

/** Whether any of the terms occurs in `text`. */
export function hasAnyTerm(text: string, terms: readonly string[]): boolean {
  const re = termAlternation(terms);
  if (!re) return false;
  re.lastIndex = 0;
  return re.test(text);
}
