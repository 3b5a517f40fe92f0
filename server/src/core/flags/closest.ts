/**
 * "Did you mean" for a missing key: keys equal but for case and separators
 * (`new_checkout` vs `new-checkout`) first, then by edit distance
 * (fastest-levenshtein) within a bound that grows with the key's length.
 */
import { distance } from 'fastest-levenshtein';

const normalize = (k: string) => k.toLowerCase().replace(/[-_.\s]/g, '');

/** Largest edit distance accepted for a key of this length (1 for ≤5 chars, about a third beyond). */
export function maxDistanceFor(length: number): number {
  return length <= 5 ? 1 : Math.min(6, Math.ceil(length / 3));
}

export function closestKeys(key: string, keys: Iterable<string>, max = 3): string[] {
  const norm = normalize(key);
  const lower = key.toLowerCase();
  const bound = maxDistanceFor(key.length);
  const scored: { key: string; score: number }[] = [];
  for (const candidate of keys) {
    if (candidate === key) continue;
    if (normalize(candidate) === norm) {
      scored.push({ key: candidate, score: -1 });
      continue;
    }
    if (Math.abs(candidate.length - key.length) > bound) continue;
    const d = distance(lower, candidate.toLowerCase());
    if (d <= bound) scored.push({ key: candidate, score: d });
  }
  scored.sort((a, b) => a.score - b.score || a.key.localeCompare(b.key));
  return scored.slice(0, max).map((s) => s.key);
}
