/**
 * One property filter against one set of properties, as PostHog's server
 * SDKs match it locally (posthog-node 5.x / @posthog/core): the same string
 * folding, exact-match stringification, numeric-then-string comparison,
 * dates (absolute and relative `-30d`), semver ranges and the ASCII subset
 * of regular expressions both JavaScript and the flags service agree on.
 *
 * A filter that cannot be decided locally throws {@link Inconclusive} with
 * the SDKs' reason; {@link evaluateFlag} turns that into a value.
 */

/** Why a flag could not be evaluated locally (the SDKs' `UnresolvedFlagReason`). */
export type UnresolvedReason = 'experience_continuity' | 'unsupported_definition' | 'missing_context' | 'unresolved_dependency';

/** A filter or condition that local evaluation cannot decide (the SDKs' InconclusiveMatchError). */
export class Inconclusive extends Error {
  /** Set when a regular expression (not the context) made it undecidable. */
  regex = false;
  constructor(
    message: string,
    readonly reason: UnresolvedReason = 'unsupported_definition',
  ) {
    super(message);
  }
}

/** Data only the server has (a static or unknown cohort): stop and fall back (the SDKs' RequiresServerEvaluation). */
export class NeedsServer extends Error {
  constructor(
    message: string,
    readonly reason: UnresolvedReason = 'unsupported_definition',
  ) {
    super(message);
  }
}

/** A property filter as the local evaluation endpoint sends it. */
export interface RawProperty {
  key: string;
  type?: string;
  value?: unknown;
  operator?: string | null;
  negation?: boolean;
  group_type_index?: number | null;
  dependency_chain?: unknown;
}

const NULL_ALLOWED = new Set(['exact', 'is_not', 'icontains', 'not_icontains', 'starts_with', 'not_starts_with', 'ends_with', 'not_ends_with', 'regex', 'not_regex']);

function fromContext<T>(read: () => T): T {
  try {
    return read();
  } catch (e) {
    if (e instanceof Inconclusive) throw new Inconclusive(e.message, 'missing_context');
    throw e;
  }
}

function isBooleanLike(value: unknown): boolean {
  if (typeof value === 'boolean') return true;
  if (typeof value === 'string') return /^(true|false)$/i.test(value);
  if (!Array.isArray(value)) return false;
  for (let i = 0; i < value.length; i++) if (!isBooleanLike(i in value ? value[i] : null)) return false;
  return true;
}

function isTrueLike(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') return value.toLowerCase() === 'true';
  if (!Array.isArray(value)) return false;
  for (let i = 0; i < value.length; i++) if (!isTrueLike(i in value ? value[i] : null)) return false;
  return true;
}

function assertScalarString(s: string): void {
  for (let i = 0; i < s.length; i++) {
    const u = s.charCodeAt(i);
    if (u >= 0xd800 && u <= 0xdbff) {
      const n = s.charCodeAt(i + 1);
      if (i + 1 >= s.length || n < 0xdc00 || n > 0xdfff) throw new Inconclusive('unpaired surrogate');
      i++;
    } else if (u >= 0xdc00 && u <= 0xdfff) throw new Inconclusive('unpaired surrogate');
  }
}

function isPlainObject(v: object): boolean {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function assertJson(value: unknown, seen = new Set<object>()): void {
  if (value === null || typeof value === 'boolean') return;
  if (typeof value === 'string') return assertScalarString(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Inconclusive('non-finite number');
    return;
  }
  if (typeof value === 'object') {
    if (!Array.isArray(value) && !isPlainObject(value)) throw new Inconclusive('not a JSON object');
    if (seen.has(value)) throw new Inconclusive('circular value');
    seen.add(value);
    try {
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) if (i in value) assertJson(value[i], seen);
      } else {
        for (const k of Object.keys(value)) {
          assertScalarString(k);
          assertJson((value as Record<string, unknown>)[k], seen);
        }
      }
    } finally {
      seen.delete(value);
    }
    return;
  }
  throw new Inconclusive(`cannot represent ${typeof value}`);
}

function codePointOrder(a: string, b: string): number {
  const x = [...a].map((c) => c.codePointAt(0)!);
  const y = [...b].map((c) => c.codePointAt(0)!);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] - y[i];
  return a.length - b.length;
}

/** The flags service's canonical JSON text; integers are ambiguous (1 vs 1.0), so they cannot be decided locally. */
function canonicalJson(value: unknown, seen = new Set<object>()): string {
  if (value === null) return 'null';
  if (typeof value === 'string') {
    assertScalarString(value);
    return JSON.stringify(value);
  }
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Inconclusive('non-finite number');
    if (Number.isInteger(value)) throw new Inconclusive(`integer ${value} may be an integral float`);
    return String(value);
  }
  if (typeof value === 'object') {
    if (!Array.isArray(value) && !isPlainObject(value)) throw new Inconclusive('not a JSON object');
    if (seen.has(value)) throw new Inconclusive('circular value');
    seen.add(value);
    try {
      if (Array.isArray(value)) {
        const items: string[] = [];
        for (let i = 0; i < value.length; i++) items.push(i in value ? canonicalJson(value[i], seen) : 'null');
        return `[${items.join(',')}]`;
      }
      const keys = Object.keys(value);
      keys.forEach(assertScalarString);
      return `{${keys
        .sort(codePointOrder)
        .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k], seen)}`)
        .join(',')}}`;
    } finally {
      seen.delete(value);
    }
  }
  throw new Inconclusive(`cannot stringify ${typeof value}`);
}

function exactString(value: unknown): string {
  if (typeof value === 'string') {
    assertScalarString(value);
    return value;
  }
  return canonicalJson(value);
}

const LITERAL_ESCAPED_PUNCTUATION = /[\x20-\x2f:;=?@\x5b-\x60\x7b-\x7e]/;

function regexNeedsServer(message: string): Inconclusive {
  const e = new Inconclusive(message);
  e.regex = true;
  return e;
}

/** The character classes of a pattern in the syntax JavaScript and the flags service (Rust) share, or null. */
function portableClasses(pattern: string): string[] | null {
  const classes: string[] = [];
  let classStart = -1;
  let previous = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch.charCodeAt(0) > 0x7f) return null;
    if (ch === '\\') {
      const escaped = pattern[++i];
      if (escaped === undefined) break;
      if (escaped === 'x') {
        if (!/^[\da-f]{2}$/i.test(pattern.slice(i + 1, i + 3))) return null;
        i += 2;
      } else if (!'dDsSwWbBfnrtv'.includes(escaped) && !LITERAL_ESCAPED_PUNCTUATION.test(escaped)) return null;
      if (classStart === -1 && 'bB'.includes(escaped)) return null;
      previous = 'literal';
      continue;
    }
    if (ch === '[') {
      if (classStart !== -1) return null;
      classStart = i;
    } else if (ch === ']' && classStart !== -1) {
      const contentStart = classStart + (pattern[classStart + 1] === '^' ? 2 : 1);
      if (i === contentStart) return null;
      classes.push(pattern.slice(classStart, i + 1));
      classStart = -1;
      previous = 'literal';
      continue;
    } else if (classStart !== -1) {
      if (['&&', '--', '~~'].includes(pattern.slice(i, i + 2))) return null;
      continue;
    } else if (ch === '(' && pattern[i + 1] === '?') {
      if (pattern[i + 2] !== ':') return null;
      i += 2;
    } else if (ch === '{') {
      const rep = /^\{(\d+)(?:,(\d*))?\}/.exec(pattern.slice(i));
      if (!rep || ['', '|', '('].includes(previous) || rep.slice(1).some((n) => Number(n) > 0xffffffff)) return null;
    } else if ('*+?}'.includes(ch) && (pattern[i + 1] === '+' || pattern[i + 1] === '{')) return null;
    if ('*+?{'.includes(ch) && ['^', '$', 'empty group'].includes(previous)) return null;
    previous = ch === ')' && ['(', 'empty group'].includes(previous) ? 'empty group' : ch;
  }
  return classes;
}

/** true/false, or null for a pattern JavaScript cannot compile (which never matches). */
function regexMatches(pattern: string, value: string): boolean | null {
  if (pattern === '') return true;
  const classes = portableClasses(pattern);
  if (classes === null) throw regexNeedsServer('regex syntax needs the server');
  let re: RegExp;
  try {
    re = new RegExp(pattern);
  } catch (e) {
    if (e instanceof SyntaxError) return null;
    throw regexNeedsServer('regex compilation needs the server');
  }
  for (const c of classes) {
    try {
      new RegExp(c, 'u');
    } catch {
      throw regexNeedsServer('regex character class needs the server');
    }
  }
  for (const ch of value) if (ch.charCodeAt(0) > 0x7f || ch === '\r') throw regexNeedsServer('regex on non-ASCII text needs the server');
  try {
    return re.test(value);
  } catch {
    throw regexNeedsServer('regex execution needs the server');
  }
}

const asciiLower = (v: unknown): string => String(v).replace(/[A-Z]/g, (c) => c.toLowerCase());

type Semver = [number, number, number];

function semverPart(part: string, raw: string): number {
  if (!/^\d+$/.test(part) || (part.length > 1 && part[0] === '0')) throw new Inconclusive(`invalid semver ${raw}`);
  return parseInt(part, 10);
}

export function parseSemver(value: string): Semver {
  const text = String(value).trim().replace(/^[vV]/, '');
  const base = text.split('-')[0].split('+')[0];
  if (!base || base.startsWith('.')) throw new Inconclusive(`invalid semver ${value}`);
  const parts = base.split('.');
  const at = (p: string | undefined) => (p === undefined || p === '' ? 0 : semverPart(p, value));
  return [at(parts[0]), at(parts[1]), at(parts[2])];
}

function compareSemver(a: Semver, b: Semver): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  return 0;
}

type Bounds = { lower: Semver; upper: Semver };

function tildeBounds(value: string): Bounds {
  const [a, b, c] = parseSemver(value);
  return { lower: [a, b, c], upper: [a, b + 1, 0] };
}

function caretBounds(value: string): Bounds {
  const [a, b, c] = parseSemver(value);
  const upper: Semver = a > 0 ? [a + 1, 0, 0] : b > 0 ? [0, b + 1, 0] : [0, 0, c + 1];
  return { lower: [a, b, c], upper };
}

function wildcardBounds(value: string): Bounds {
  const cleaned = String(value).trim().replace(/^[vV]/, '').replace(/\.\*$/, '').replace(/\*$/, '');
  if (!cleaned) throw new Inconclusive(`invalid wildcard semver ${value}`);
  const parts = cleaned.split('.');
  const at = (p: string): number => {
    try {
      return semverPart(p, value);
    } catch {
      throw new Inconclusive(`invalid wildcard semver ${value}`);
    }
  };
  const major = at(parts[0]);
  if (parts.length === 1) return { lower: [major, 0, 0], upper: [major + 1, 0, 0] };
  const minor = at(parts[1]);
  return { lower: [major, minor, 0], upper: [major, minor + 1, 0] };
}

function toDate(value: unknown): Date {
  if (value instanceof Date) return value;
  if (typeof value === 'string' || typeof value === 'number') {
    const d = new Date(value);
    if (!isNaN(d.valueOf())) return d;
    throw new Inconclusive(`${value} is not a date`);
  }
  throw new Inconclusive('a date must be a string or a number');
}

/** `-30d`, `2h`, `1w`, `6m`, `1y` → that long before now (UTC; months clamp the day step by step). */
export function relativeDate(value: string, now: Date): Date | null {
  const m = /^-?([0-9]+)([a-z])$/.exec(value);
  if (!m) return null;
  const n = parseInt(m[1], 10);
  if (n >= 10000) return null;
  const d = new Date(now.getTime());
  switch (m[2]) {
    case 'h':
      d.setUTCHours(d.getUTCHours() - n);
      break;
    case 'd':
      d.setUTCDate(d.getUTCDate() - n);
      break;
    case 'w':
      d.setUTCDate(d.getUTCDate() - n * 7);
      break;
    case 'm': {
      const year = d.getUTCFullYear();
      const month = d.getUTCMonth();
      let day = d.getUTCDate();
      for (let step = 1; step <= n && day > 28; step++) day = Math.min(day, new Date(Date.UTC(year, month - step + 1, 0)).getUTCDate());
      d.setUTCFullYear(year, month - n, day);
      break;
    }
    case 'y': {
      const month = d.getUTCMonth();
      const day = n > 0 && month === 1 && d.getUTCDate() === 29 ? 28 : d.getUTCDate();
      d.setUTCFullYear(d.getUTCFullYear() - n, month, day);
      break;
    }
    default:
      return null;
  }
  return d;
}

function dateFilter(value: unknown, now: Date): Date {
  if (typeof value === 'boolean') throw new Inconclusive('a boolean is not a date');
  return relativeDate(String(value), now) ?? toDate(value);
}

/** Throws (unsupported_definition) when no context could make this filter decidable. */
export function assertFilterSupported(p: RawProperty, now: Date): void {
  const value = p.value;
  switch (p.operator || 'exact') {
    case 'exact':
    case 'is_not':
      for (const item of Array.isArray(value) ? value : [value]) exactString(item);
      return;
    case 'is_set':
    case 'is_not_set':
    case 'icontains':
    case 'not_icontains':
    case 'starts_with':
    case 'not_starts_with':
    case 'ends_with':
    case 'not_ends_with':
    case 'regex':
    case 'not_regex':
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      return;
    case 'is_date_after':
    case 'is_date_before':
      dateFilter(value, now);
      return;
    case 'semver_eq':
    case 'semver_neq':
    case 'semver_gt':
    case 'semver_gte':
    case 'semver_lt':
    case 'semver_lte':
      parseSemver(String(value));
      return;
    case 'semver_tilde':
      tildeBounds(String(value));
      return;
    case 'semver_caret':
      caretBounds(String(value));
      return;
    case 'semver_wildcard':
      wildcardBounds(String(value));
      return;
    default:
      throw new Inconclusive(`unknown operator ${p.operator}`);
  }
}

export interface MatchOptions {
  now: Date;
  /** The definitions' `property_matching_version` (2: booleans compare as JSON). */
  propertyMatchingVersion?: number;
}

/** Whether `properties` satisfy the filter (negation is the caller's business, as in the SDKs). */
export function matchProperty(p: RawProperty, properties: Record<string, unknown>, opts: MatchOptions): boolean {
  try {
    return matchValue(p, properties, opts);
  } catch (e) {
    if (e instanceof Inconclusive && e.reason === 'missing_context') assertFilterSupported(p, opts.now);
    throw e;
  }
}

function matchValue(p: RawProperty, properties: Record<string, unknown>, opts: MatchOptions): boolean {
  const { key, value } = p;
  const operator = p.operator || 'exact';
  if (!Object.prototype.hasOwnProperty.call(properties, key)) throw new Inconclusive(`property ${key} not given`, 'missing_context');
  if (operator === 'is_not_set') return false;
  if (operator === 'is_set') return true;
  const actual = properties[key];
  if (actual === undefined) throw new Inconclusive(`property ${key} is undefined`);
  if (actual === null && !NULL_ALLOWED.has(operator)) return false;

  const exact = (target: unknown): boolean => {
    if ((opts.propertyMatchingVersion !== 2 && isBooleanLike(target)) || (Array.isArray(target) && target.length === 0)) {
      fromContext(() => assertJson(actual));
      return isTrueLike(target) === isTrueLike(actual);
    }
    if (opts.propertyMatchingVersion === 2 && typeof actual === 'number' && isBooleanLike(target)) {
      fromContext(() => assertJson(actual));
      return false;
    }
    if (Array.isArray(target)) {
      const a = fromContext(() => exactString(actual)).toLowerCase();
      return target.some((item) => exactString(item).toLowerCase() === a);
    }
    const t = exactString(target).toLowerCase();
    return t === fromContext(() => exactString(actual)).toLowerCase();
  };
  const contextSemver = () => fromContext(() => parseSemver(String(actual)));
  const semverCompare = () => {
    const filter = parseSemver(String(value));
    return compareSemver(contextSemver(), filter);
  };
  const within = (b: Bounds) => {
    const v = contextSemver();
    return compareSemver(v, b.lower) >= 0 && compareSemver(v, b.upper) < 0;
  };

  switch (operator) {
    case 'exact':
      return exact(value);
    case 'is_not':
      return !exact(value);
    case 'icontains':
      return asciiLower(actual).includes(asciiLower(value));
    case 'not_icontains':
      return !asciiLower(actual).includes(asciiLower(value));
    case 'starts_with':
      return asciiLower(actual).startsWith(asciiLower(value));
    case 'not_starts_with':
      return !asciiLower(actual).startsWith(asciiLower(value));
    case 'ends_with':
      return asciiLower(actual).endsWith(asciiLower(value));
    case 'not_ends_with':
      return !asciiLower(actual).endsWith(asciiLower(value));
    case 'regex':
    case 'not_regex': {
      const matched = regexMatches(String(value), String(actual));
      if (matched === null) return false;
      return operator === 'regex' ? matched : !matched;
    }
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      const f = typeof value === 'number' ? value : parseFloat(String(value));
      const a = typeof actual === 'number' ? actual : actual != null ? parseFloat(String(actual)) : NaN;
      const [l, r]: [number | string, number | string] = Number.isFinite(f) && Number.isFinite(a) ? [a, f] : [String(actual), String(value)];
      if (operator === 'gt') return l > r;
      if (operator === 'gte') return l >= r;
      if (operator === 'lt') return l < r;
      return l <= r;
    }
    case 'is_date_after':
    case 'is_date_before': {
      const filter = dateFilter(value, opts.now);
      const d = fromContext(() => toDate(actual));
      return operator === 'is_date_before' ? d < filter : d > filter;
    }
    case 'semver_eq':
      return semverCompare() === 0;
    case 'semver_neq':
      return semverCompare() !== 0;
    case 'semver_gt':
      return semverCompare() > 0;
    case 'semver_gte':
      return semverCompare() >= 0;
    case 'semver_lt':
      return semverCompare() < 0;
    case 'semver_lte':
      return semverCompare() <= 0;
    case 'semver_tilde':
      return within(tildeBounds(String(value)));
    case 'semver_caret':
      return within(caretBounds(String(value)));
    case 'semver_wildcard':
      return within(wildcardBounds(String(value)));
    default:
      throw new Inconclusive(`unknown operator ${operator}`);
  }
}
