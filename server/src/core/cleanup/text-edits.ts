/**
 * Replacement texts that remember where each character came from, so a
 * file can be rewritten one site at a time: after one site's edits, the
 * offsets of the sites still to do (and of a manual site, back in the
 * original text) are found again by following the characters.
 */

/** Text whose characters each carry their offset in the text it was cut from (-1: written new). */
export interface Piece {
  text: string;
  origin: number[];
}

/** Replace [start, end) of the current text by `piece`. */
export interface Rewrite {
  start: number;
  end: number;
  piece: Piece;
}

export function literal(text: string): Piece {
  return { text, origin: new Array<number>(text.length).fill(-1) };
}

export function cut(text: string, start: number, end: number): Piece {
  const origin: number[] = [];
  for (let i = start; i < end; i++) origin.push(i);
  return { text: text.slice(start, end), origin };
}

export function join(...pieces: Piece[]): Piece {
  return { text: pieces.map((p) => p.text).join(''), origin: pieces.flatMap((p) => p.origin) };
}

/**
 * The piece with `from` (an indentation) taken off the start of every line
 * after the first that begins with it, and `to` put in its place.
 */
export function reindent(piece: Piece, from: string, to: string): Piece {
  if (from === to) return piece;
  let text = '';
  const origin: number[] = [];
  const s = piece.text;
  for (let i = 0; i < s.length; ) {
    text += s[i];
    origin.push(piece.origin[i]);
    const c = s[i];
    i++;
    if (c === '\n' || (c === '\r' && s[i] !== '\n')) {
      if (s.startsWith(from, i)) {
        i += from.length;
        text += to;
        for (let k = 0; k < to.length; k++) origin.push(-1);
      }
    }
  }
  return { text, origin };
}

/** The text with the rewrites (non-overlapping) applied, and how offsets move. */
export function applyRewrites(text: string, rewrites: Rewrite[]): { text: string; forward(offset: number): number | undefined; back(offset: number): number } {
  const sorted = [...rewrites].sort((a, b) => a.start - b.start);
  let out = '';
  let at = 0;
  const placed: Array<{ start: number; end: number; newStart: number; piece: Piece }> = [];
  for (const r of sorted) {
    if (r.start < at) throw new Error('overlapping rewrites');
    out += text.slice(at, r.start);
    placed.push({ start: r.start, end: r.end, newStart: out.length, piece: r.piece });
    out += r.piece.text;
    at = r.end;
  }
  out += text.slice(at);
  const forward = (offset: number): number | undefined => {
    let delta = 0;
    for (const p of placed) {
      if (offset < p.start) break;
      if (offset < p.end) {
        const i = p.piece.origin.indexOf(offset);
        return i < 0 ? undefined : p.newStart + i;
      }
      delta = p.newStart + p.piece.text.length - p.end;
    }
    return offset + delta;
  };
  const back = (offset: number): number => {
    let delta = 0;
    for (const p of placed) {
      if (offset < p.newStart) break;
      if (offset < p.newStart + p.piece.text.length) {
        const o = p.piece.origin[offset - p.newStart];
        return o >= 0 ? o : p.start;
      }
      delta = p.end - (p.newStart + p.piece.text.length);
    }
    return offset + delta;
  };
  return { text: out, forward, back };
}

/** The indentation (spaces and tabs) of the line holding `offset`. */
export function indentOf(text: string, offset: number): string {
  const ls = lineStart(text, offset);
  let e = ls;
  while (e < text.length && (text[e] === ' ' || text[e] === '\t')) e++;
  return text.slice(ls, e);
}

export function lineStart(text: string, offset: number): number {
  let i = offset;
  while (i > 0 && text[i - 1] !== '\n' && text[i - 1] !== '\r') i--;
  return i;
}

/** Offset after the end of the line holding `offset` (past its line break). */
export function lineEnd(text: string, offset: number): number {
  let i = offset;
  while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
  if (text[i] === '\r' && text[i + 1] === '\n') return i + 2;
  return i < text.length ? i + 1 : i;
}

function blankBetween(text: string, a: number, b: number): boolean {
  return /^[ \t]*(?:\r\n|\n|\r)?$/.test(text.slice(a, b));
}

/**
 * The range to delete to remove [start, end) : whole lines when nothing else
 * is on them, and then one blank line too when that would leave the code
 * with a blank line at the start of a block or two in a row.
 */
export function removalRange(text: string, start: number, end: number): { start: number; end: number } {
  const ls = lineStart(text, start);
  let le = end;
  while (le < text.length && (text[le] === ' ' || text[le] === '\t' || text[le] === ';')) le++;
  const atEol = le >= text.length || text[le] === '\n' || text[le] === '\r';
  if (!blankBetween(text, ls, start) || !atEol) return { start, end };
  let s = ls;
  let e = lineEnd(text, le);
  const nextEnd = lineEnd(text, e);
  const nextBlank = e < text.length && blankBetween(text, e, nextEnd) && /[\r\n]/.test(text.slice(e, nextEnd));
  if (nextBlank) {
    const prevLineStart = s > 0 ? lineStart(text, s - 1) : 0;
    const prev = text.slice(prevLineStart, s).trimEnd();
    if (s === 0 || prev === '' || prev.endsWith('{') || prev.endsWith('(')) e = nextEnd;
  } else if (s > 0) {
    // Removing the last lines before a closing brace: drop a blank line left above them.
    const prevLineStart = lineStart(text, s - 1);
    const next = text.slice(e, nextEnd).trim();
    if (blankBetween(text, prevLineStart, s) && (/^[}\])]/.test(next) || e >= text.length) && prevLineStart < s) s = prevLineStart;
  }
  return { start: s, end: e };
}
