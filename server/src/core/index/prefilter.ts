/**
 * The byte pre-filter: which files are worth a parse.
 *
 * A file is parsed when its text contains one of its family's SDK terms
 * (below), or the name of a wrapper function found so far, or when another
 * file's key resolution needs its constants (the index parses those on
 * demand). Everything else is kept unparsed and costs one substring search.
 */
import { SDK_CALLS, type SdkFamily } from '../sdk-calls';
import { hasAnyTerm } from '../text';

/**
 * The fewest substrings that cover every SDK name of a family: a name that
 * contains a shorter name (`getFeatureFlagPayload` ⊃ `getFeatureFlag`) adds
 * nothing. JS also needs `bootstrap` for `posthog.init(…, {bootstrap})`.
 */
export function sdkTerms(family: SdkFamily): string[] {
  const names = [...new Set(SDK_CALLS.filter((c) => c.families.includes(family)).map((c) => c.name))];
  if (family === 'js') names.push('bootstrap');
  names.sort((a, b) => a.length - b.length || (a < b ? -1 : 1));
  const terms: string[] = [];
  for (const n of names) if (!terms.some((t) => n.includes(t))) terms.push(n);
  return terms;
}

/** Short cores most terms share: a first, cheaper byte pass looks for these. */
const CORES = ['Feature', 'feature', 'Flag', 'flag', 'Enabled', 'enabled'];

/** Coarse terms: each SDK term replaced by a core it contains (a superset test, fewer passes). */
export function coarseTerms(family: SdkFamily): string[] {
  const out = new Set<string>();
  for (const t of sdkTerms(family)) out.add(CORES.find((c) => t.includes(c)) ?? t);
  return [...out];
}

interface Terms {
  strings: string[];
  bytes: Buffer[];
  coarse: Buffer[];
}

const termCache = new Map<SdkFamily, Terms>();

function termsFor(family: SdkFamily): Terms {
  let t = termCache.get(family);
  if (!t) {
    const strings = sdkTerms(family);
    t = { strings, bytes: strings.map((s) => Buffer.from(s, 'utf8')), coarse: coarseTerms(family).map((s) => Buffer.from(s, 'utf8')) };
    termCache.set(family, t);
  }
  return t;
}

/** True when the text contains one of the family's SDK terms. */
export function textHasSdkTerm(text: string, family: SdkFamily): boolean {
  for (const t of termsFor(family).strings) if (text.includes(t)) return true;
  return false;
}

/** The same test on raw bytes (no decoding). */
export function bytesHaveSdkTerm(bytes: Uint8Array, family: SdkFamily): boolean {
  const buf = asBuffer(bytes);
  const terms = termsFor(family);
  if (!terms.coarse.some((t) => buf.indexOf(t) >= 0)) return false;
  for (const t of terms.bytes) if (buf.indexOf(t) >= 0) return true;
  return false;
}

export function bytesContain(bytes: Uint8Array, term: string): boolean {
  return asBuffer(bytes).indexOf(term, 0, 'utf8') >= 0;
}

/**
 * True when the bytes contain any of the terms, in one pass: wrapper
 * discovery asks this of every unparsed file, with a handful of names at a
 * time. Non-ASCII terms fall back to one search each.
 */
export function bytesContainAny(bytes: Uint8Array, terms: readonly string[]): boolean {
  if (terms.length === 0) return false;
  if (terms.length === 1 || terms.some((t) => /[^\x00-\x7f]/.test(t))) return terms.some((t) => bytesContain(bytes, t));
  // ASCII terms match the same bytes in a latin1 view of the file, whatever its encoding.
  return hasAnyTerm(asBuffer(bytes).toString('latin1'), terms);
}


function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
