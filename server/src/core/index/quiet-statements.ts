/**
 * Quiet statements: the top-level statements of a JS/TS file the index never
 * needs to parse, blanked (spaces, line ends kept) after quiet bodies
 * (quiet-bodies.ts) so that every position of the rest stays right.
 *
 * A top-level statement goes only when none of these holds (each is a
 * reason it may matter to a scan's result):
 *  - its text holds a loud term (an SDK name, a wrapper name known so far,
 *    a name a loud import binds): it may hold a usage or a forward;
 *  - it holds one of the words `import`, `export`, `exports`, `require`,
 *    `module`, `declare`, `namespace`, `global`, `extends`, `implements`, or
 *    `posthog` in any case: imports and exports (other files' resolution reads
 *    them: constants, enums, classes, functions and their return types,
 *    `module.exports`), dynamic imports, classes other files reach through
 *    the interfaces they implement (facts' `impls`), `new PostHog(…)`;
 *  - it holds something that may be a call with arguments or a JSX element
 *    (a call site or a forward, whatever its callee's name: a call through an
 *    object whose method is a wrapper names no wrapper);
 *  - it has 1,000 non-blank characters or more (only such a statement could
 *    nest deep enough to change the walk's "nesting too deep" note);
 *  - it declares a name that occurs in a statement that stays (a constant a
 *    usage reads, an enum, a class with static members, the helper an
 *    exported function's return type names, …), transitively.
 * What goes then declares only module-scope names nothing kept mentions, and
 * holds no call site, no forward, no import or export: the facts of what
 * stays are those a parse of the whole (quiet) text gives, except the fn ids
 * (indices) and the hover references (`refs`) inside the dropped text. Those
 * the index never compares, and the facts list the dropped text among their
 * `blanked` ranges: a hover reads the whole text again, and a wrapper name
 * found later that occurs there makes the index read the file again with
 * that name loud (workspace-index.ts, freshInBlanked), when the statement
 * holding it stays.
 *
 * The groups of statements come from the quiet-bodies lexer (quiet-bodies.ts,
 * startsStatement: a line that automatic semicolon insertion must start a
 * statement at; a line it cannot tell stays with the group before). A group
 * that is no import or export is read again here (groupFacts) for its calls,
 * its declared names and its length. The caller parses the pruned text and
 * checks that it parses without error and that each kept group starts a
 * top-level statement there; else it reads the text without the pruning.
 *
 * Measured, it does not pay, so the index leaves it off (WorkspaceIndexOptions
 * .quietStatements): on the benchmark's monorepo no statement goes (each is an
 * import, an export, or declares a name an export mentions) and the pass costs
 * about 2% of the extraction's CPU; on 3,335 real files with an SDK name (51
 * public repositories) 2,005 files lose statements, 6.2% of the non-blank text
 * left after quiet bodies, the parse gets 11% faster (714 → 635 ms) but the
 * whole extraction 7% slower (1.62 → 1.73 s): the exact rule keeps too much
 * (exports, calls) to beat the cost of looking. Cutting the blanked text out
 * (an offset map) would make what goes cost nothing to skip; that is the step
 * after, and the reason this stays, with its exactness tests.
 */
import { anyOffsetIn, blankText } from '../text';
import { isIdentChar, keywordAt, regexEnd, regexMayStart, VALUE, WORD, type QuietBodies } from './quiet-bodies';

export interface PrunedStatements {
  /** The text with the dropped statements blanked (same length, same line ends). */
  text: string;
  /** The dropped ranges: start and end offsets, in order. */
  ranges: number[];
  /** Where each kept group of statements starts (the first group, at offset 0, aside). */
  starts: number[];
}

const TAB = 9;
const LF = 10;
const CR = 13;
const SPACE = 32;
const BANG = 33;
const DQUOTE = 34;
const DOLLAR = 36;
const QUOTE = 39;
const LPAREN = 40;
const RPAREN = 41;
const STAR = 42;
const COMMA = 44;
const DOT = 46;
const SLASH = 47;
const SEMI = 59;
const LT = 60;
const EQ = 61;
const GT = 62;
const LBRACKET = 91;
const BACKSLASH = 92;
const RBRACKET = 93;
const BACKTICK = 96;
const LBRACE = 123;
const RBRACE = 125;
/** Stack entry for a template's `${`; `last` after `=>`. */
const TEMPLATE = 0;
const ARROW = -3;

/** A group this long (non-blank characters) always stays. */
export const MAX_DROPPED_NON_BLANK = 1000;

/** Words right before a name a top-level statement declares (`function* f` too: `*` keeps the mark). */
const DECLARES = new Set(['const', 'let', 'var', 'using', 'function', 'class', 'enum', 'interface', 'type', 'namespace', 'module']);

/** Words before `(` that make no call. */
const NOT_CALLEE = new Set(['if', 'for', 'while', 'switch', 'catch', 'with', 'function', 'async', 'return', 'typeof', 'void', 'await', 'yield', 'in', 'of', 'case', 'delete', 'throw', 'instanceof', 'do', 'else']);

/** Words that keep a statement (see the file comment); case-insensitive, so `PostHog` and `POSTHOG` too. */
const KEEP_WORDS = /\b(?:import|exports?|require|module|declare|namespace|global|extends|implements)\b|posthog/i;

/** What the lexer tells of one group of statements. */
export interface GroupFacts {
  /** It may hold a call with arguments or a JSX element. */
  calls: boolean;
  /** The module-scope names it may declare (a superset). */
  declared: string[];
  /** Its non-blank characters, or more. */
  nonBlank: number;
}

function isIdentStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === DOLLAR || c > 127;
}

/**
 * Reads the group of statements text[start, end) (it starts outside any
 * bracket, string or comment; `skip`: blanked bodies, start and end offsets,
 * jumped over). Undefined when the lexer meets something it does not pair up,
 * or a `\` in code (an identifier written with a Unicode escape would hide a name).
 */
export function groupFacts(text: string, start: number, end: number, skip: readonly number[] = []): GroupFacts | undefined {
  const stack: number[] = [];
  const g: GroupFacts = { calls: false, declared: [], nonBlank: end - start };
  let r = 0;
  while (r < skip.length && skip[r + 1] <= start) r += 2;
  let nextSkip = r < skip.length ? skip[r] : end;
  let last = SEMI;
  let lastWordStart = -1;
  let lastWasFunction = false;
  /** The last word came right after `function` (`function name(` declares, it calls nothing). */
  let afterFunction = false;
  /** The next word at depth 0 is a declared name (after `const`, `function`, `,` …). */
  let declNext = false;
  /** Inside a destructuring pattern at depth 0 (`const { a, b: c } = …`): every word may be a declared name. */
  let pattern = false;
  let i = start;

  /** Reads a template literal's text from i (after "`" or a substitution's "}"); false if unterminated. */
  const templateText = (): boolean => {
    while (i < end) {
      const c = text.charCodeAt(i);
      if (c === BACKSLASH) i += 2;
      else if (c === BACKTICK) {
        i++;
        last = VALUE;
        return true;
      } else if (c === DOLLAR && text.charCodeAt(i + 1) === LBRACE) {
        stack.push(TEMPLATE);
        i += 2;
        last = LBRACE;
        return true;
      } else i++;
    }
    return false;
  };

  while (i < end) {
    if (i >= nextSkip) {
      if (i === nextSkip) {
        if (text.charCodeAt(i) === 48 /* 0 */) last = VALUE;
        g.nonBlank -= skip[r + 1] - i;
        i = skip[r + 1];
      }
      r += 2;
      nextSkip = r < skip.length ? Math.min(skip[r], end) : end;
      continue;
    }
    const c = text.charCodeAt(i);
    if (c === SPACE || c === LF || c === CR || c === TAB) {
      g.nonBlank--;
      i++;
      continue;
    }
    if (isIdentChar(c)) {
      const s = i;
      while (i < end && isIdentChar(text.charCodeAt(i))) i++;
      const depth = stack.length;
      if (depth === 0 || pattern) {
        // A declaring word may itself be the name (`const type = …`): kept as a name too.
        if (pattern || declNext) g.declared.push(text.slice(s, i));
        declNext = depth === 0 && DECLARES.has(keywordAt(text, s));
      }
      afterFunction = last === WORD && lastWasFunction;
      lastWasFunction = i - s === 8 && text.startsWith('function', s);
      lastWordStart = s;
      last = WORD;
      continue;
    }
    if (c === SLASH) {
      const d = text.charCodeAt(i + 1);
      if (d === SLASH) {
        const nl = text.indexOf('\n', i);
        i = nl < 0 || nl > end ? end : nl;
        continue;
      }
      if (d === STAR) {
        const close = text.indexOf('*/', i + 2);
        if (close < 0 || close >= end) return undefined;
        i = close + 2;
        continue;
      }
      if (regexMayStart(text, last, lastWordStart, d)) {
        const e = regexEnd(text, i);
        if (e > 0 && e <= end) {
          i = e;
          last = VALUE;
          continue;
        }
      }
    } else if (c === QUOTE || c === DQUOTE) {
      // A quote right after a word is JSX text (`Don't`), never a string start in code.
      if (i > 0 && isIdentChar(text.charCodeAt(i - 1))) {
        i++;
        continue;
      }
      i++;
      while (i < end) {
        const d = text.charCodeAt(i);
        if (d === BACKSLASH) i += 2;
        else if (d === c) {
          i++;
          break;
        } else if (d === LF) break;
        else i++;
      }
      last = VALUE;
      declNext = false;
      continue;
    } else if (c === BACKTICK) {
      i++;
      declNext = false;
      if (!templateText()) return undefined;
      continue;
    } else if (c === BACKSLASH) {
      return undefined;
    } else if (c === EQ && text.charCodeAt(i + 1) === GT) {
      i += 2;
      last = ARROW;
      declNext = false;
      continue;
    } else if (c === LPAREN || c === LBRACKET || c === LBRACE) {
      if (c === LPAREN && !g.calls && mayCall(text, i, last, lastWordStart, afterFunction)) g.calls = true;
      if (c !== LPAREN && declNext && stack.length === 0) pattern = true;
      stack.push(c);
      declNext = false;
      i++;
      last = c;
      continue;
    } else if (c === RPAREN || c === RBRACKET || c === RBRACE) {
      const open = stack.pop();
      if (open === undefined) return undefined;
      if (!stack.length) pattern = false;
      if (open === TEMPLATE) {
        if (c !== RBRACE) return undefined;
        i++;
        if (!templateText()) return undefined;
        continue;
      }
      if (open !== (c === RPAREN ? LPAREN : c === RBRACKET ? LBRACKET : LBRACE)) return undefined;
      i++;
      last = c;
      declNext = false;
      continue;
    } else if (c === LT) {
      // `<` where a value starts (not after a value: a comparison or type arguments) may open JSX.
      const d = text.charCodeAt(i + 1);
      if (last !== WORD && last !== VALUE && last !== RPAREN && last !== RBRACKET && (isIdentStart(d) || d === GT)) g.calls = true;
    }
    // `,` at depth 0 may start another declarator (`const a = 1, b = 2`); `*` keeps `function*`'s mark.
    declNext = stack.length === 0 && (c === COMMA || (c === STAR && declNext));
    last = c;
    i++;
  }
  return stack.length ? undefined : g;
}

/** Whether the `(` at i may be a call with arguments (not a declaration's parameters, not `if (`). */
function mayCall(text: string, i: number, last: number, wordStart: number, wordAfterFunction: boolean): boolean {
  let k = i + 1;
  while (k < text.length && (text.charCodeAt(k) === SPACE || text.charCodeAt(k) === LF || text.charCodeAt(k) === CR || text.charCodeAt(k) === TAB)) k++;
  if (text.charCodeAt(k) === RPAREN) return false;
  if (last === WORD) return !wordAfterFunction && !NOT_CALLEE.has(keywordAt(text, wordStart));
  return last === RPAREN || last === RBRACKET || last === GT || last === BANG || last === DOT || last === VALUE;
}

/**
 * Blanks the top-level statements of a quiet text (`q`: bodies already
 * blanked, with its statement groups) that no scan needs (see the file
 * comment). `hits`: the sorted offsets of the loud terms. Undefined when
 * nothing goes.
 */
export function pruneStatements(q: QuietBodies, hits: Int32Array): PrunedStatements | undefined {
  const text = q.text;
  const starts = q.starts ?? [0];
  const count = starts.length;
  if (count < 2) return undefined;
  const end = (k: number) => (k + 1 < count ? starts[k + 1] : text.length);
  const kept = new Uint8Array(count);
  const declaredBy = new Map<string, number[]>();
  let droppable = 0;
  for (let k = 0; k < count; k++) {
    const s = starts[k];
    const e = end(k);
    // Most groups are imports and exports: kept without a look inside.
    if (text.startsWith('export', s) || text.startsWith('import', s) || anyOffsetIn(hits, s, e) || KEEP_WORDS.test(text.slice(s, e))) {
      kept[k] = 1;
      continue;
    }
    const g = groupFacts(text, s, e, q.ranges);
    if (!g || g.calls || g.nonBlank >= MAX_DROPPED_NON_BLANK) {
      kept[k] = 1;
      continue;
    }
    droppable++;
    for (const name of g.declared) {
      const list = declaredBy.get(name);
      if (list) list.push(k);
      else declaredBy.set(name, [k]);
    }
  }
  if (!droppable) return undefined;
  // Transitively: the groups declaring a name that a kept group mentions stay. One pass over the text
  // finds the mentions (in strings and comments too: a name kept for nothing costs a little time), by group.
  if (!declaredBy.size) return blankGroups(text, starts, kept);
  const mentions: string[][] = [];
  const groupAt = (offset: number) => {
    let lo = 0;
    let hi = count - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  if (declaredBy.size <= 4) {
    // A few names (the common case): a string search each.
    for (const name of declaredBy.keys()) {
      for (let at = text.indexOf(name); at >= 0; at = text.indexOf(name, at + name.length)) {
        if (at > 0 && isIdentChar(text.charCodeAt(at - 1))) continue;
        if (isIdentChar(text.charCodeAt(at + name.length))) continue;
        (mentions[groupAt(at)] ??= []).push(name);
      }
    }
  } else {
    const names = [...declaredBy.keys()].map((w) => w.replace(/\$/g, '\\$'));
    const re = new RegExp(`(?<![\\w$\\u0080-\\uffff])(?:${names.join('|')})(?![\\w$\\u0080-\\uffff])`, 'g');
    let group = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      while (group + 1 < count && starts[group + 1] <= m.index) group++;
      (mentions[group] ??= []).push(m[0]);
    }
  }
  const queue: number[] = [];
  for (let k = 0; k < count; k++) if (kept[k] && mentions[k]) queue.push(k);
  while (queue.length && droppable) {
    for (const name of mentions[queue.pop()!]) {
      for (const d of declaredBy.get(name)!) {
        if (kept[d]) continue;
        kept[d] = 1;
        droppable--;
        if (mentions[d]) queue.push(d);
      }
    }
  }
  if (!droppable) return undefined;
  return blankGroups(text, starts, kept);
}

/** The text with the groups not `kept` blanked. */
function blankGroups(text: string, starts: readonly number[], kept: Uint8Array): PrunedStatements {
  const count = starts.length;
  const end = (k: number) => (k + 1 < count ? starts[k + 1] : text.length);
  const parts: string[] = [];
  const ranges: number[] = [];
  const keptStarts: number[] = [];
  let at = 0;
  for (let k = 0; k < count; k++) {
    if (kept[k]) {
      if (k > 0) keptStarts.push(starts[k]);
      continue;
    }
    const s = starts[k];
    let e = end(k);
    while (k + 1 < count && !kept[k + 1]) e = end(++k);
    parts.push(text.slice(at, s), blankText(text, s, e));
    ranges.push(s, e);
    at = e;
  }
  parts.push(text.slice(at));
  return { text: parts.join(''), ranges, starts: keptStarts };
}

/** The union of two sorted lists of [start, end) ranges (flat pairs), as sorted, non-overlapping pairs. */
export function mergeRanges(a: readonly number[], b: readonly number[]): number[] {
  const all: Array<[number, number]> = [];
  for (let r = 0; r < a.length; r += 2) all.push([a[r], a[r + 1]]);
  for (let r = 0; r < b.length; r += 2) all.push([b[r], b[r + 1]]);
  all.sort((x, y) => x[0] - y[0]);
  const out: number[] = [];
  for (const [s, e] of all) {
    if (out.length && s <= out[out.length - 1]) out[out.length - 1] = Math.max(out[out.length - 1], e);
    else out.push(s, e);
  }
  return out;
}
