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

import { anyOffsetIn, blankText } from '../text';

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
function occurrences(text: string, terms: readonly string[]): Int32Array {
  const words = terms.filter((t) => t.length > 0);
  if (!words.length) return new Int32Array(0);
  const re = new RegExp(words.map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');
  const found: number[] = [];
  for (let m = re.exec(text); m; m = re.exec(text)) found.push(m.index);
  return Int32Array.from(found);
}

/**
 * An import (or require) statement: its clause, and the module. The clause
 * may hold comments and line breaks; when the regular expression overreaches
 * (an `import` word in a comment), it only makes more names loud.
 */
const IMPORT_LINE = /\bimport\s+([^;'"]+?)\s*from\s*(['"])([^'"\n]+)\2|\b(?:const|let|var)\s+([^;'"=]+?)\s*=\s*require\s*\(\s*(['"])([^'"\n]+)\5\s*\)/g;

/**
 * The loud terms of a file: the given terms, plus every identifier bound by
 * an import (or require) whose line mentions one of them or a PostHog package.
 */
export function loudTerms(text: string, terms: readonly string[], isPosthogSpecifier: (spec: string) => boolean): string[] {
  const out = [...terms];
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

/** Stack entry kinds besides the bracket's own char code. */
const TEMPLATE = 0;
const ARROW = 1;

/**
 * Blanks the quiet bodies of `text` (see the file comment). Undefined when
 * nothing was blanked or the lexer met something it does not pair up.
 */
export function blankQuietBodies(text: string, loud: readonly string[]): QuietBodies | undefined {
  const n = text.length;
  const hits = occurrences(text, loud);
  // Open constructs: a bracket's char code, TEMPLATE for `${`, ARROW for an arrow's expression body.
  const kinds: number[] = [];
  // Where each one's blankable contents start (-1: not blankable), and for ARROW the indentation of its line.
  const opens: number[] = [];
  const indents: number[] = [];
  // For ARROW: `<` not yet matched by `>` in its body.
  const angles: number[] = [];
  // Blank ranges: start, end, and 1 when a `0` must stay (an expression) or 0 (a block).
  const ranges: number[] = [];
  let last = 0;
  let lastWordStart = -1;
  let i = 0;

  const push = (kind: number, open: number, indent = 0) => {
    kinds.push(kind);
    opens.push(open);
    indents.push(indent);
    angles.push(0);
  };
  const pop = () => {
    kinds.pop();
    opens.pop();
    indents.pop();
    angles.pop();
  };
  const record = (open: number, end: number, expression: number) => {
    if (open < 0 || end - open < 3 || anyOffsetIn(hits, open, end)) return;
    // Ranges already recorded inside this one go.
    while (ranges.length && ranges[ranges.length - 3] >= open) ranges.length -= 3;
    ranges.push(open, end, expression);
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
      pop();
      record(open, trimEnd(text, i), 1);
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
      if (k < n && text.charCodeAt(k) !== C.LBrace) push(ARROW, k, indentAt(text, i));
      continue;
    }
    if (c === C.LParen || c === C.LBracket || c === C.LBrace) {
      const blankable = c === C.LBrace ? opensBlock(text, i) : c === C.LParen && last === WORD && opensReturnedExpression(text, lastWordStart, i);
      push(c, blankable ? i + 1 : -1);
      i++;
      last = c;
      continue;
    }
    if (c === C.RParen || c === C.RBracket || c === C.RBrace) {
      endArrows(c);
      const kind = kinds[kinds.length - 1];
      const open = opens[opens.length - 1];
      if (kind === undefined || open === undefined) return undefined;
      pop();
      if (kind === TEMPLATE) {
        if (c !== C.RBrace) return undefined;
        i++;
        if (!templateText()) return undefined;
        continue;
      }
      if (kind !== (c === C.RParen ? C.LParen : c === C.RBracket ? C.LBracket : C.LBrace)) return undefined;
      if (kind === C.LBrace) record(open, i, 0);
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
    pop();
    if (!unmatched) record(open, trimEnd(text, n), 1);
  }
  if (kinds.length || !ranges.length) return undefined;
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
  const hits = occurrences(text, loudTerms(text, terms, isPosthogSpecifier));
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
function regexEnd(text: string, i: number): number {
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
