/**
 * Quiet bodies: the parts of a JS/TS file the index never needs to read.
 *
 * Most of a file that holds a flag usage is ordinary code: components,
 * handlers, helpers whose bodies call no SDK method and no wrapper. The
 * parser's time and the walk's time grow with the text, so a scan blanks
 * those bodies before parsing: the characters inside a block's braces become
 * spaces (line ends kept), which keeps every position of the rest of the
 * file, and `{ … }` stays valid syntax.
 *
 * A body is blanked only when
 *  - its text contains none of the "loud" terms: the SDK names, the names of
 *    wrappers known so far, and every name an import line that mentions one
 *    of those binds (aliases: `import { useFeatureFlagEnabled as on }`);
 *  - it is a statement block (a `{` after `)`, after `=>`, or after a return
 *    type on the same line: `): Promise<void> {`), the members of an
 *    interface or object type alias, an arrow's expression body, or the
 *    parenthesised expression of a `return (`; the last two keep a `0`
 *    (`=> 0`, `return (0 … )`). Object literals, enum and class bodies, JSX
 *    expressions and template substitutions are never blanked.
 *
 * With a blanked body, a function's parameter list and type parameters go
 * too (`function pick<T>(items: T[], limit = 10): T[] {` becomes
 * `function pick   (                     ): T[] {`), unless they hold a loud
 * term, a decorator, a parameter property, or a default value that could hold
 * a call, a function or JSX: their names and types only ever served the body.
 * The return type stays (a function's declared return type is a fact). On the
 * benchmark's monorepo this takes the extraction's CPU down about 4-5%.
 *
 * A block without a loud term holds no SDK call, no wrapper call and no
 * forward to either: blanking it changes no usage. What it can hide is a
 * call of a function that only later turns out to be a wrapper; the index
 * keeps the full text of such files and reads them again when a new wrapper
 * name appears in them (see workspace-index.ts).
 *
 * The lexer here is small and errs on the side of giving up: any bracket it
 * cannot pair returns undefined and the caller parses the whole text. The
 * caller also parses the whole text when the blanked text does not parse
 * cleanly.
 */

import { anyOffsetIn, blankText, termOffsets } from '../text';

export interface QuietBodies {
  /** The text with quiet bodies blanked (same length, same line ends). */
  text: string;
  /** The blanked ranges: start and end offsets, in order. */
  ranges: number[];
}

const enum C {
  Tab = 9,
  LF = 10,
  CR = 13,
  Space = 32,
  DQuote = 34,
  Dollar = 36,
  Quote = 39,
  LParen = 40,
  RParen = 41,
  Star = 42,
  Slash = 47,
  Colon = 58,
  Lt = 60,
  Eq = 61,
  Gt = 62,
  LBracket = 91,
  Backslash = 92,
  RBracket = 93,
  Backtick = 96,
  LBrace = 123,
  RBrace = 125,
}

/** `last` after an identifier or keyword, and after a string, template or regular expression. */
const WORD = -1;
const VALUE = -2;

/** Words after which `/` starts a regular expression rather than a division. */
const REGEX_AFTER_WORD = new Set(['return', 'typeof', 'instanceof', 'in', 'of', 'new', 'delete', 'void', 'throw', 'case', 'do', 'else', 'yield', 'await']);

function isIdentChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === C.Dollar || c > 127;
}

function isSpace(c: number): boolean {
  return c === C.Space || c === C.LF || c === C.CR || c === C.Tab;
}

/**
 * Sorted start offsets of the occurrences of the terms (one regular
 * expression pass: several times faster than an indexOf per term). A region
 * is loud when one starts inside it. Region bounds never fall inside a word,
 * so an occurrence hidden inside a longer match changes no answer.
 */
function occurrences(text: string, terms: readonly string[], extra: readonly string[] = []): Int32Array {
  const found = termOffsets(text, terms);
  if (!extra.length) return Int32Array.from(found);
  // The file's own names: searched apart, so that the shared list's compiled search serves every file.
  for (const o of termOffsets(text, extra)) found.push(o);
  return Int32Array.from(found).sort();
}

/**
 * An import (or require) statement: its clause, and the module. The clause
 * may hold comments and line breaks; when the regular expression overreaches
 * (an `import` word in a comment), it only makes more names loud.
 */
const IMPORT_LINE = /\bimport\s+([^;'"]+?)\s*from\s*(['"])([^'"\n]+)\2|\b(?:const|let|var)\s+([^;'"=]+?)\s*=\s*require\s*\(\s*(['"])([^'"\n]+)\5\s*\)/g;

/**
 * The names a file's import (or require) statements bind when the statement
 * mentions one of the terms or a PostHog package: loud in that file too.
 */
export function importedLoudNames(text: string, terms: readonly string[], isPosthogSpecifier: (spec: string) => boolean): string[] {
  const out: string[] = [];
  IMPORT_LINE.lastIndex = 0;
  for (let m = IMPORT_LINE.exec(text); m; m = IMPORT_LINE.exec(text)) {
    const clause = m[1] ?? m[4];
    const spec = m[3] ?? m[6];
    const whole = m[0];
    if (!isPosthogSpecifier(spec) && !terms.some((t) => whole.includes(t))) continue;
    for (const id of clause.match(/[A-Za-z_$][\w$]*/g) ?? []) if (id !== 'as' && id !== 'type') out.push(id);
  }
  return out;
}

/** The loud terms of a file: the given terms, plus the names its imports of them bind (importedLoudNames). */
export function loudTerms(text: string, terms: readonly string[], isPosthogSpecifier: (spec: string) => boolean): string[] {
  return [...terms, ...importedLoudNames(text, terms, isPosthogSpecifier)];
}

/** Stack entry kinds besides the bracket's own char code. */
const TEMPLATE = 0;
const ARROW = 1;

/**
 * Blanks the quiet bodies of `text` (see the file comment): `loud`, the
 * terms (the same array for many files), and `extra`, this file's own loud
 * names. Undefined when nothing was blanked or the lexer met something it
 * does not pair up.
 */
export function blankQuietBodies(text: string, loud: readonly string[], extra: readonly string[] = []): QuietBodies | undefined {
  const q = blankBodies(text, occurrences(text, loud, extra));
  return q?.ranges.length ? q : undefined;
}

/**
 * The same, given the sorted offsets of the loud terms in `text`: undefined
 * only when the lexer met something it does not pair up (no range blanked:
 * the text itself, and no ranges).
 */
function blankBodies(text: string, hits: Int32Array): QuietBodies | undefined {
  const n = text.length;
  // Open constructs: a bracket's char code, TEMPLATE for `${`, ARROW for an arrow's expression body.
  const kinds: number[] = [];
  // Where each one's blankable contents start (-1: not blankable), and for ARROW the indentation of its line.
  const opens: number[] = [];
  const indents: number[] = [];
  // For ARROW: `<` not yet matched by `>` in its body.
  const angles: number[] = [];
  // Where each one's bracket is, and for a body its function's parameter list (`(` and `)`, -1: none known).
  const ats: number[] = [];
  const paramOpens: number[] = [];
  const paramCloses: number[] = [];
  // By depth: the last `( … )` closed there (a body's parameters are the one right before it).
  const parenOpen: number[] = [];
  const parenClose: number[] = [];
  // Blank ranges: start, end, and 1 when a `0` must stay (an expression) or 0 (a block).
  const ranges: number[] = [];
  let last = 0;
  let lastWordStart = -1;
  let i = 0;

  const push = (kind: number, open: number, indent = 0, at = -1, params = -1) => {
    kinds.push(kind);
    opens.push(open);
    indents.push(indent);
    angles.push(0);
    ats.push(at);
    paramOpens.push(params < 0 ? -1 : parenOpen[kinds.length - 1]);
    paramCloses.push(params);
  };
  const pop = () => {
    kinds.pop();
    opens.pop();
    indents.pop();
    angles.pop();
    ats.pop();
    paramOpens.pop();
    paramCloses.pop();
  };
  /** The `)` of the parameters of the body at i (a `{`, or just after `=>` for an expression body), or -1. */
  const paramsOf = (i: number, arrow: boolean): number => {
    const close = parametersEnd(text, i, arrow);
    if (close < 0 || parenClose[kinds.length] !== close) return -1;
    // What lies between: nothing (`) {`), a return type, `=>`, or both.
    const between = text.slice(close + 1, i).trim();
    const arrowBody = arrow || between.endsWith('=>');
    const type = between.replace(/=>$/, '').trim();
    // `c ? f(y) : x => …` reads like `(…): T => …`: an arrow's return type must be more than one name.
    if (arrowBody && type && /^:\s*[\w$]+$/.test(type)) return -1;
    return isParameterList(text, parenOpen[kinds.length], between !== '') ? close : -1;
  };
  const record = (open: number, end: number, expression: number, pOpen = -1, pClose = -1) => {
    if (open < 0 || end - open < 3 || anyOffsetIn(hits, open, end)) return;
    // Ranges already recorded inside this one go.
    while (ranges.length && ranges[ranges.length - 3] >= open) ranges.length -= 3;
    ranges.push(open, end, expression);
    // A quiet body's function keeps no use for its parameters or type parameters: they go too, when they hold nothing the walk reads.
    if (pOpen < 0 || !quietParameters(text, pOpen + 1, pClose, hits)) return;
    const typeParams = typeParametersBefore(text, pOpen);
    const from = typeParams >= 0 ? typeParams : pOpen + 1;
    let k = ranges.length - 3;
    while (k >= 3 && ranges[k - 3] >= from) k -= 3;
    // Ranges inside the (type) parameters go; those after them (in a return type) and the body stay.
    const after = ranges.splice(k).filter((_, r, all) => all[r - (r % 3)] >= pClose);
    if (typeParams >= 0) ranges.push(typeParams, text.lastIndexOf('>', pOpen) + 1, 0);
    if (pClose - pOpen > 1) ranges.push(pOpen + 1, pClose, 0);
    ranges.push(...after);
  };
  /**
   * Ends the arrow bodies open on top of the stack at i. A body ends before
   * a closing bracket, `;`, `,`, `?`, `:` or an unmatched `>` of its own
   * level: what follows stays and still parses after `0` (`=> 0 > b`,
   * `Array<() => 0   >`, `c ? () => 0 : d`). A body that has an open `<`
   * (a generic type, or a comparison) is dropped unblanked at `,`, `;`,
   * `?` or `:`, since that might belong to the `<`.
   */
  const endArrows = (c: number) => {
    while (kinds.length && kinds[kinds.length - 1] === ARROW) {
      if (angles[angles.length - 1] > 0) {
        if (c === C.Gt) {
          angles[angles.length - 1]--;
          return;
        }
        if (c !== C.RParen && c !== C.RBracket && c !== C.RBrace) {
          pop();
          continue;
        }
      }
      const open = opens[opens.length - 1];
      const pOpen = paramOpens[paramOpens.length - 1];
      const pClose = paramCloses[paramCloses.length - 1];
      pop();
      record(open, trimEnd(text, i), 1, pOpen, pClose);
    }
  };

  /** Reads a template literal's text from i (just after "`" or a substitution's "}"); false if unterminated. */
  const templateText = (): boolean => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === C.Backslash) i += 2;
      else if (c === C.Backtick) {
        i++;
        last = VALUE;
        return true;
      } else if (c === C.Dollar && text.charCodeAt(i + 1) === C.LBrace) {
        push(TEMPLATE, -1);
        i += 2;
        last = C.LBrace;
        return true;
      } else i++;
    }
    return false;
  };

  while (i < n) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) {
      // An arrow body (without a `;`) ends before a line indented no deeper than the arrow's: never blanked then.
      if (c === C.LF && kinds[kinds.length - 1] === ARROW) {
        let k = i + 1;
        while (k < n && (text.charCodeAt(k) === C.Space || text.charCodeAt(k) === C.Tab)) k++;
        const d = text.charCodeAt(k);
        if (k < n && d !== C.LF && d !== C.CR && k - i - 1 <= indents[indents.length - 1] && d !== C.RParen && d !== C.RBracket && d !== C.RBrace) {
          while (kinds[kinds.length - 1] === ARROW) pop();
        }
      }
      i++;
      continue;
    }
    if (isIdentChar(c)) {
      lastWordStart = i;
      while (i < n && isIdentChar(text.charCodeAt(i))) i++;
      last = WORD;
      continue;
    }
    if (c === C.Slash) {
      const d = text.charCodeAt(i + 1);
      if (d === C.Slash) {
        const nl = text.indexOf('\n', i);
        i = nl < 0 ? n : nl;
        continue;
      }
      if (d === C.Star) {
        const end = text.indexOf('*/', i + 2);
        if (end < 0) return undefined;
        i = end + 2;
        continue;
      }
      if (regexMayStart(text, last, lastWordStart, d)) {
        const end = regexEnd(text, i);
        if (end > 0) {
          i = end;
          last = VALUE;
          continue;
        }
      }
      i++;
      last = C.Slash;
      continue;
    }
    if (c === C.Quote || c === C.DQuote) {
      // A quote right after a word is JSX text (`Don't`), never a string start in code.
      if (i > 0 && isIdentChar(text.charCodeAt(i - 1))) {
        i++;
        continue;
      }
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === C.Backslash) i += 2;
        else if (d === c) {
          i++;
          break;
        } else if (d === C.LF) break; // an unclosed quote in JSX text ends with its line
        else i++;
      }
      last = VALUE;
      continue;
    }
    if (c === C.Backtick) {
      i++;
      if (!templateText()) return undefined;
      continue;
    }
    if (c === C.Eq && text.charCodeAt(i + 1) === C.Gt) {
      // `=>`: a block body is a `{` like any other; an expression body can go as a whole (`=> 0`).
      i += 2;
      last = C.Gt;
      let k = i;
      while (k < n && isSpace(text.charCodeAt(k))) k++;
      if (k < n && text.charCodeAt(k) !== C.LBrace) push(ARROW, k, indentAt(text, i), i - 2, paramsOf(i - 2, true));
      continue;
    }
    if (c === C.LParen || c === C.LBracket || c === C.LBrace) {
      const blankable = c === C.LBrace ? opensBlock(text, i) : c === C.LParen && last === WORD && opensReturnedExpression(text, lastWordStart, i);
      push(c, blankable ? i + 1 : -1, 0, i, blankable && c === C.LBrace ? paramsOf(i, false) : -1);
      i++;
      last = c;
      continue;
    }
    if (c === C.RParen || c === C.RBracket || c === C.RBrace) {
      endArrows(c);
      const kind = kinds[kinds.length - 1];
      const open = opens[opens.length - 1];
      const at = ats[ats.length - 1];
      const pOpen = paramOpens[paramOpens.length - 1];
      const pClose = paramCloses[paramCloses.length - 1];
      if (kind === undefined || open === undefined) return undefined;
      pop();
      if (kind === C.LParen) {
        parenOpen[kinds.length] = at;
        parenClose[kinds.length] = i;
      }
      if (kind === TEMPLATE) {
        if (c !== C.RBrace) return undefined;
        i++;
        if (!templateText()) return undefined;
        continue;
      }
      if (kind !== (c === C.RParen ? C.LParen : c === C.RBracket ? C.LBracket : C.LBrace)) return undefined;
      if (kind === C.LBrace) record(open, i, 0, pOpen, pClose);
      else if (returnedExpressionEnds(text, i + 1)) record(open, i, 1);
      i++;
      last = c;
      continue;
    }
    if (kinds[kinds.length - 1] === ARROW) {
      if (c === C.Lt) angles[angles.length - 1]++;
      // A lone `=` after an arrow type (`let f: () => T = …`) ends the type; the body is not blanked.
      else if (c === C.Eq && text.charCodeAt(i + 1) !== C.Eq && !'=!<>+-*/%&|^'.includes(text[i - 1])) pop();
      else if (c === 59 /* ; */ || c === 44 /* , */ || c === C.Colon || c === C.Gt || (c === 63 /* ? */ && text.charCodeAt(i + 1) !== 46 /* . */)) endArrows(c);
    }
    last = c;
    i++;
  }
  while (kinds[kinds.length - 1] === ARROW) {
    const open = opens[opens.length - 1];
    const unmatched = angles[angles.length - 1] > 0;
    const pOpen = paramOpens[paramOpens.length - 1];
    const pClose = paramCloses[paramCloses.length - 1];
    pop();
    if (!unmatched) record(open, trimEnd(text, n), 1, pOpen, pClose);
  }
  if (kinds.length) return undefined;
  if (!ranges.length) return { text, ranges: [] };
  const parts: string[] = [];
  const out: number[] = [];
  let at = 0;
  for (let r = 0; r < ranges.length; r += 3) {
    const [s, e, expression] = [ranges[r], ranges[r + 1], ranges[r + 2]];
    // An expression keeps a value: `return (0   )`, `=> 0   `.
    parts.push(text.slice(at, s), expression ? '0' + blankText(text, s + 1, e) : blankText(text, s, e));
    out.push(s, e);
    at = e;
  }
  parts.push(text.slice(at));
  return { text: parts.join(''), ranges: out };
}

/**
 * True when one of the terms, or a name an import line mentioning one binds,
 * occurs inside a blanked range: reading the text again with those terms
 * loud would keep more of it.
 */
export function loudInBlanked(text: string, ranges: readonly number[], terms: readonly string[], isPosthogSpecifier: (spec: string) => boolean): boolean {
  if (!ranges.length) return false;
  const hits = occurrences(text, terms, importedLoudNames(text, terms, isPosthogSpecifier));
  for (let r = 0; r < ranges.length; r += 2) if (anyOffsetIn(hits, ranges[r], ranges[r + 1])) return true;
  return false;
}

/** The end of text[..end) without its trailing white space. */
function trimEnd(text: string, end: number): number {
  while (end > 0 && isSpace(text.charCodeAt(end - 1))) end--;
  return end;
}

/** Indentation (spaces and tabs) of the line holding offset i. */
function indentAt(text: string, i: number): number {
  const start = text.lastIndexOf('\n', i - 1) + 1;
  let k = start;
  while (text.charCodeAt(k) === C.Space || text.charCodeAt(k) === C.Tab) k++;
  return k - start;
}

/**
 * True when the `{` at i opens a body that can go: a statement block (after
 * `)`, after `=>`, or after `): Type` on the same line), or the members of an
 * interface or of an object type alias (`type T = {`), which hold no facts.
 */
function opensBlock(text: string, i: number): boolean {
  let j = i - 1;
  while (j >= 0 && isSpace(text.charCodeAt(j))) j--;
  if (j < 0) return false;
  const c = text.charCodeAt(j);
  if (c === C.RParen) return true;
  if (c === C.Gt && text.charCodeAt(j - 1) === C.Eq) return true;
  const line = text.slice(text.lastIndexOf('\n', j) + 1, j + 1);
  if (TYPE_DECLARATION.test(line)) return true;
  if (!(isIdentChar(c) || c === C.Gt || c === C.RBracket || c === C.DQuote || c === C.Quote)) return false;
  // A return type: walk back over type-ish characters on this line to `):`.
  for (; j >= 0; j--) {
    const d = text.charCodeAt(j);
    if (d === C.LF) return false;
    if (d === C.Colon) {
      let k = j - 1;
      while (k >= 0 && (text.charCodeAt(k) === C.Space || text.charCodeAt(k) === C.Tab)) k--;
      return k >= 0 && text.charCodeAt(k) === C.RParen;
    }
    if (!(isIdentChar(d) || d === C.Space || d === C.Tab || d === C.Lt || d === C.Gt || d === C.LBracket || d === C.RBracket || d === 46 /* . */ || d === 124 /* | */ || d === 38 /* & */ || d === 44 /* , */ || d === C.Quote || d === C.DQuote || d === 63 /* ? */))
      return false;
  }
  return false;
}

/**
 * The `)` that ends the parameters of the body at i: right before it (`) {`,
 * `) => {`; i is the `=>` for an expression body) or before a return type on
 * the same line (`): Promise<T> {`, `): T[] =>`); -1 when there is none.
 */
function parametersEnd(text: string, i: number, arrow: boolean): number {
  let j = i - 1;
  while (j >= 0 && isSpace(text.charCodeAt(j))) j--;
  if (!arrow && text.charCodeAt(j) === C.Gt && text.charCodeAt(j - 1) === C.Eq) {
    j -= 2;
    while (j >= 0 && isSpace(text.charCodeAt(j))) j--;
  }
  if (text.charCodeAt(j) === C.RParen) return j;
  for (; j >= 0; j--) {
    const d = text.charCodeAt(j);
    if (d === C.LF) return -1;
    if (d === C.Colon) {
      let k = j - 1;
      while (k >= 0 && (text.charCodeAt(k) === C.Space || text.charCodeAt(k) === C.Tab)) k--;
      return k >= 0 && text.charCodeAt(k) === C.RParen ? k : -1;
    }
    if (!(isIdentChar(d) || d === C.Space || d === C.Tab || d === C.Lt || d === C.Gt || d === C.LBracket || d === C.RBracket || d === 46 /* . */ || d === 124 /* | */ || d === 38 /* & */ || d === 44 /* , */ || d === C.Quote || d === C.DQuote || d === 63 /* ? */))
      return -1;
  }
  return -1;
}

/** Words before `( … ) {` that make it no parameter list (a condition, a loop head, a catch clause). */
const NOT_PARAMETERS = new Set(['if', 'for', 'while', 'switch', 'catch', 'with', 'await']);

/** True when the `(` at i opens a function's parameters (`typed`: a return type or `=>` follows them). */
function isParameterList(text: string, i: number, typed: boolean): boolean {
  if (i === undefined || i < 0) return false;
  let j = i - 1;
  while (j >= 0 && isSpace(text.charCodeAt(j))) j--;
  // `): (() => void) => {`: a parenthesized return type, not the parameters (`c ? x : (a) => …` goes unblanked too).
  if (text.charCodeAt(j) === C.Colon) return false;
  if (typed) return true;
  if (j < 0 || !isIdentChar(text.charCodeAt(j))) return j >= 0 && (text.charCodeAt(j) === C.Gt || text.charCodeAt(j) === C.Star);
  let s = j;
  while (s > 0 && isIdentChar(text.charCodeAt(s - 1))) s--;
  return !NOT_PARAMETERS.has(text.slice(s, j + 1));
}

/** Parameter properties (`constructor(private readonly posthog: PostHog)`) are class members: they stay. */
const PARAMETER_PROPERTY = /\b(?:public|private|protected|readonly|override)\b/;

/**
 * True when the parameters text[start, end) hold nothing the walk reads once
 * the body is gone: no loud term, no decorator, no parameter property, and no
 * default value that could hold a call, a function or JSX (`limit = 10` and
 * `onClick: (e: Event) => void` go; `cb = () => track(k)` stays). Their names
 * and types only ever served the body.
 */
function quietParameters(text: string, start: number, end: number, hits: Int32Array): boolean {
  if (end - start < 2 || anyOffsetIn(hits, start, end)) return end - start < 2;
  let defaults = false;
  let complex = false;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 64 /* @ */) return false;
    if (c === C.Eq) {
      const next = text.charCodeAt(i + 1);
      const prev = text.charCodeAt(i - 1);
      if (next !== C.Gt && next !== C.Eq && prev !== C.Eq && prev !== 33 /* ! */ && prev !== C.Lt && prev !== C.Gt) defaults = true;
    } else if (c === C.LParen || c === C.Lt || c === C.Backtick || c === C.Slash) complex = true;
  }
  if (defaults && complex) return false;
  return !PARAMETER_PROPERTY.test(text.slice(start, end));
}

/**
 * The `<` of the type parameters right before the `(` at i (`function f<T>(`,
 * `= <T extends X>(`), on one line, after a name or `=`; -1 when there are none.
 */
function typeParametersBefore(text: string, i: number): number {
  let j = i - 1;
  while (j >= 0 && (text.charCodeAt(j) === C.Space || text.charCodeAt(j) === C.Tab)) j--;
  // `=> (` is an arrow's body, not type parameters.
  if (text.charCodeAt(j) !== C.Gt || text.charCodeAt(j - 1) === C.Eq) return -1;
  let depth = 0;
  for (let k = j; k >= 0 && k > j - 400; k--) {
    const c = text.charCodeAt(k);
    if (c === C.LF || c === C.Quote || c === C.DQuote || c === C.Backtick || c === C.Slash || c === 59 /* ; */) return -1;
    if (c === C.Gt && text.charCodeAt(k - 1) !== C.Eq) depth++;
    else if (c === C.Lt && --depth === 0) {
      let b = k - 1;
      while (b >= 0 && (text.charCodeAt(b) === C.Space || text.charCodeAt(b) === C.Tab)) b--;
      const d = text.charCodeAt(b);
      return b >= 0 && (isIdentChar(d) || d === C.Eq) ? k : -1;
    }
  }
  return -1;
}

/** A line that starts an interface or type alias declaration. */
const TYPE_DECLARATION = /^\s*(?:export\s+)?(?:declare\s+)?(?:interface\s+[\w$]+[^=(){};]*$|type\s+[\w$]+(?:<[^=]*>)?\s*=$)/;

/** True when the `(` at i follows `return` (its contents are one expression). */
function opensReturnedExpression(text: string, wordStart: number, i: number): boolean {
  return text.startsWith('return', wordStart) && wordStart + 6 <= i && !isIdentChar(text.charCodeAt(wordStart + 6));
}

/** After a returned `( … )`: not `=>`, a return type or a body (`return (a) => a` returns a function; `return(v) {` is a method). */
function returnedExpressionEnds(text: string, j: number): boolean {
  while (j < text.length && isSpace(text.charCodeAt(j))) j++;
  const c = text.charCodeAt(j);
  return c !== C.Eq && c !== C.Colon && c !== C.LBrace;
}

/** Whether a `/` (not a comment) after `last` starts a regular expression. */
function regexMayStart(text: string, last: number, lastWordStart: number, next: number): boolean {
  if (next === C.Gt) return false; // `/>` closes a JSX element
  if (last === C.Lt) return false; // `</` opens a JSX closing tag
  if (last === VALUE) return false;
  if (last === WORD) {
    let e = lastWordStart;
    while (e < text.length && isIdentChar(text.charCodeAt(e))) e++;
    return REGEX_AFTER_WORD.has(text.slice(lastWordStart, e));
  }
  return last !== C.RParen && last !== C.RBracket;
}

/** End (exclusive) of the regular expression literal starting at i, or -1 when it does not end on its line. */
export function regexEnd(text: string, i: number): number {
  let inClass = false;
  for (let j = i + 1; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c === C.Backslash) j++;
    else if (c === C.LF) return -1;
    else if (c === C.LBracket) inClass = true;
    else if (c === C.RBracket) inClass = false;
    else if (c === C.Slash && !inClass) {
      j++;
      while (j < text.length && isIdentChar(text.charCodeAt(j))) j++;
      return j;
    }
  }
  return -1;
}
