/**
 * What a scan learned of each file's content, so that a later scan in which
 * a few files changed can tell, without reading or linking the others,
 * whether it would give the same result (scan.ts, `scanResult`).
 *
 * The scan is a deterministic function of the listing, the configs and the
 * answers each file's content gives to the questions the scan asks of it:
 * how the pre-filter classes it (`FileClass`), the facts extracted from it
 * under a given mode and loud terms, whether it contains a term, whether a
 * term is in its blanked bodies, whether it declares a Swift type, its
 * Kotlin package, whether its text could be decoded. Every question the
 * index asks goes through an `Observation` recorded here, in order, per
 * file. When a changed file gives the same answers to every question the
 * stored scan asked of it, the scan would run exactly as before, so its
 * result is the stored one; one different answer (or a file added or gone)
 * and the scan runs.
 *
 * No file text is kept: answers are booleans, skip reasons, and facts as a
 * digest of their JSON.
 */
import { createHash } from 'node:crypto';
import { languageForPath } from '../languages';
import { kotlinPackageOf } from '../tree-sitter/kotlin-facts';
import { swiftDeclares } from '../tree-sitter/swift-facts';
import type { TreeSitterRuntime } from '../tree-sitter/extract';
import { decodeSource } from './decode';
import type { FileFacts } from './facts';
import { bytesContain, bytesContainAny } from './prefilter';
import { makeFileFacts, mentionedInBlanked, wantsParse, type ReadHow } from './workspace-index';

/** How the pre-filter takes a file (scan.ts, `indexEntry`): not read, parsed at once, kept unparsed, or skipped (`skip:` + the Skipped as JSON). */
export type FileClass = 'none' | 'sdk' | 'lazy' | `skip:${string}`;

/**
 * One question asked of a file's content and its answer. Term lists are
 * held by reference while recording (the index reuses one array per list).
 * - `facts`: facts extracted under `mode` and `loud` (undefined: none).
 * - `has`/`any`: a byte search for one term / any of the terms (`hasT`/`anyT`: in the decoded text).
 * - `text`: the decoded text was asked for: '' when there was one, else why not (the Skipped as JSON).
 * - `blanked`: whether one of the terms is in the blanked bodies of the facts last extracted.
 * - `declares`: Swift, whether the text declares the type `name`; `package`: Kotlin, its package line.
 * - `wants`: whether an unparsed text holds an SDK term or one of the terms (worth a parse).
 */
export type Observation =
  | { k: 'facts'; mode: string; loud: readonly string[] | undefined; facts: FileFacts }
  | { k: 'has' | 'hasT'; term: string; yes: boolean }
  | { k: 'any' | 'anyT' | 'blanked' | 'wants'; terms: readonly string[]; yes: boolean }
  | { k: 'text'; skipped: string }
  | { k: 'declares'; name: string; yes: boolean }
  | { k: 'package'; value: string };

export type Observer = (file: string, o: Observation) => void;

/** An observation as stored: term lists by number, facts by digest. */
export type StoredObservation =
  | ['facts', string, number, string]
  | ['has' | 'hasT', string, 0 | 1]
  | ['any' | 'anyT' | 'blanked' | 'wants', number, 0 | 1]
  | ['text', string]
  | ['declares', string, 0 | 1]
  | ['package', string];

/** One file's part of a stored trace: its class and the questions asked of it, in order. */
export interface StoredFileTrace {
  cls: FileClass;
  obs: StoredObservation[];
}

/** The observations of one scan, per file, in the order they were made. */
export class ScanTrace {
  private readonly classes = new Map<string, FileClass>();
  private readonly byFile = new Map<string, Observation[]>();

  readonly observe: Observer = (file, o) => {
    const list = this.byFile.get(file);
    if (list) list.push(o);
    else this.byFile.set(file, [o]);
  };

  setClass(file: string, cls: FileClass): void {
    this.classes.set(file, cls);
  }

  /**
   * The stored form for `files` (the listing, in order), with the term
   * lists they refer to; undefined when a listed file has no class (it
   * was not read: the trace cannot speak for it).
   */
  serialize(files: readonly string[]): { lists: string[][]; files: StoredFileTrace[] } | undefined {
    const lists: string[][] = [];
    const ids = new Map<readonly string[], number>();
    const byContent = new Map<string, number>();
    const idOf = (l: readonly string[] | undefined): number => {
      if (!l) return -1;
      let id = ids.get(l);
      if (id === undefined) {
        const key = JSON.stringify(l);
        id = byContent.get(key);
        if (id === undefined) {
          id = lists.length;
          lists.push([...l]);
          byContent.set(key, id);
        }
        ids.set(l, id);
      }
      return id;
    };
    const digests = new WeakMap<FileFacts, string>();
    const out: StoredFileTrace[] = [];
    for (const file of files) {
      const cls = this.classes.get(file);
      if (cls === undefined) return undefined;
      const obs = (this.byFile.get(file) ?? []).map((o): StoredObservation => {
        switch (o.k) {
          case 'facts': {
            let d = digests.get(o.facts);
            if (d === undefined) digests.set(o.facts, (d = factsDigest(o.facts)));
            return ['facts', o.mode, idOf(o.loud), d];
          }
          case 'has':
          case 'hasT':
            return [o.k, o.term, o.yes ? 1 : 0];
          case 'any':
          case 'anyT':
          case 'blanked':
          case 'wants':
            return [o.k, idOf(o.terms), o.yes ? 1 : 0];
          case 'text':
            return ['text', o.skipped];
          case 'declares':
            return ['declares', o.name, o.yes ? 1 : 0];
          case 'package':
            return ['package', o.value];
        }
      });
      out.push({ cls, obs });
    }
    return { lists, files: out };
  }
}

/** The digest a `facts` observation is stored and compared by. */
export function factsDigest(facts: FileFacts): string {
  return createHash('sha1').update(JSON.stringify(facts)).digest('base64');
}

/**
 * Whether `bytes` (a changed file's new content, of the class the trace
 * holds) answer every stored question as the stored scan's file did.
 * `treeSitter`: loaded with the grammar of the file when facts must be made.
 */
export function answersAsBefore(file: string, bytes: Uint8Array, trace: StoredFileTrace & { lists: string[][] }, treeSitter: TreeSitterRuntime | undefined): boolean {
  const lang = languageForPath(file);
  if (!lang) return trace.obs.length === 0;
  let decoded: ReturnType<typeof decodeSource> | undefined;
  const text = (): string | undefined => {
    decoded ??= decodeSource(file, bytes);
    return decoded.ok ? decoded.text : undefined;
  };
  const list = (id: number): string[] | undefined => trace.lists[id];
  let facts: FileFacts | undefined;
  for (const o of trace.obs) {
    let same: boolean;
    switch (o[0]) {
      case 'facts': {
        const t = text();
        const loud = o[2] >= 0 ? list(o[2]) : undefined;
        const how = readHow(o[1], loud);
        if (t === undefined || !how || (o[2] >= 0 && !loud)) return false;
        facts = makeFileFacts(treeSitter, file, t, lang, how);
        same = factsDigest(facts) === o[3];
        break;
      }
      case 'has':
        same = bytesContain(bytes, o[1]) === (o[2] === 1);
        break;
      case 'hasT':
        same = text()?.includes(o[1]) === (o[2] === 1);
        break;
      case 'any':
      case 'anyT': {
        const terms = list(o[1]);
        if (!terms) return false;
        const t = o[0] === 'anyT' ? text() : undefined;
        if (o[0] === 'anyT' && t === undefined) return false;
        same = (o[0] === 'any' ? bytesContainAny(bytes, terms) : terms.some((term) => t!.includes(term))) === (o[2] === 1);
        break;
      }
      case 'text':
        decoded ??= decodeSource(file, bytes);
        same = (decoded.ok ? '' : JSON.stringify(decoded.skipped)) === o[1];
        break;
      case 'blanked': {
        const terms = list(o[1]);
        const t = text();
        const ranges = facts?.kind === 'js' ? facts.blanked : undefined;
        if (!terms || t === undefined || !ranges) return false;
        same = mentionedInBlanked(t, ranges, lang, terms) === (o[2] === 1);
        break;
      }
      case 'wants': {
        const terms = list(o[1]);
        const t = text();
        if (!terms || t === undefined) return false;
        same = wantsParse(t, lang, terms) === (o[2] === 1);
        break;
      }
      case 'declares': {
        const t = text();
        if (t === undefined) return false;
        same = swiftDeclares(t, o[1]) === (o[2] === 1);
        break;
      }
      case 'package': {
        const t = text();
        if (t === undefined) return false;
        same = kotlinPackageOf(t) === o[1];
        break;
      }
      default:
        return false;
    }
    if (!same) return false;
  }
  return true;
}

/** The ReadHow a stored mode stands for (`<language>:whole`, `<language>:quiet:<minLength>`). */
function readHow(mode: string, loud: readonly string[] | undefined): ReadHow | undefined {
  const m = /:quiet:(\d+)$/.exec(mode);
  if (m) return { mode, minLength: Number(m[1]), loud };
  return mode.endsWith(':whole') ? { mode } : undefined;
}
