import type { Parser } from 'web-tree-sitter';
// The CommonJS build on purpose: the ESM build calls createRequire(import.meta.url),
// which breaks once esbuild bundles it into dist/*.js (format cjs).
import WebTreeSitter = require('web-tree-sitter');
import type { LanguageInfo } from '../languages';
import type { Unresolved, Usage } from '../types';
import type { LanguageAdapter } from './adapter';
import type { AdapterHooks } from './adapter-hooks';
import { extractFile, type QuietOptions } from './extract-file';
import { ADAPTERS, TREE_SITTER_GRAMMARS } from './languages/index';

/**
 * Tree-sitter extraction for Python, Go, Ruby, PHP, Java, Kotlin, Swift, Dart
 * and C# (web-tree-sitter 0.25 + the prebuilt grammars of tree-sitter-wasms).
 *
 * The caller supplies the wasm bytes (`loadWasm`), so nothing here touches
 * the file system: `loadWasm('tree-sitter')` must return web-tree-sitter's
 * runtime (tree-sitter.wasm), `loadWasm('python')` the grammar
 * tree-sitter-python.wasm, and so on. server/src/node/tree-sitter-loader.ts
 * has a loader that reads dist/ (or node_modules/ when not built).
 */
export interface TreeSitterRuntime {
  /** @internal grammar name → loaded parser, or the load error. */
  readonly slots: Map<string, GrammarSlot>;
  /** @internal */
  readonly loadWasm: (name: string) => Promise<Uint8Array>;
  /** Longest one file's parse may take, in ms; a longer parse is stopped and the file reported as a parse error. */
  parseTimeoutMs: number;
}

export interface RuntimeOptions {
  /** Default PARSE_TIMEOUT_MS. */
  parseTimeoutMs?: number;
}

/**
 * A file's parse is stopped after this long. Our slowest grammar (Swift)
 * parses about 2 MB per CPU-second and files over 1 MB are never parsed, so
 * a healthy parse takes well under a second even on a loaded machine; a
 * parse that runs this long is a grammar stuck on that file.
 */
export const PARSE_TIMEOUT_MS = 10_000;

interface GrammarSlot {
  parser?: Parser;
  /** Kept to make a fresh parser when one is left unusable by a failure. */
  language?: WebTreeSitter.Language;
  error?: string;
  loading?: Promise<void>;
}

/** Grammars this module has adapters for (also the default eager list). */
export const SUPPORTED_GRAMMARS: readonly string[] = TREE_SITTER_GRAMMARS;

let runtimeInit: Promise<void> | undefined;

/**
 * Initialises web-tree-sitter (once per process) and loads `grammars`
 * eagerly (default: every supported grammar). A grammar that fails to load
 * is recorded (see `grammarErrors`) and does not fail the runtime; a runtime
 * wasm that fails to load rejects.
 */
export async function createTreeSitterRuntime(
  loadWasm: (name: string) => Promise<Uint8Array>,
  grammars: readonly string[] = SUPPORTED_GRAMMARS,
  options: RuntimeOptions = {},
): Promise<TreeSitterRuntime> {
  runtimeInit ??= (async () => {
    const wasmBinary = await loadWasm('tree-sitter');
    // wasmBinary keeps emscripten from looking for tree-sitter.wasm next to the (bundled) script.
    await WebTreeSitter.Parser.init({ wasmBinary } as object);
  })().catch((e: unknown) => {
    runtimeInit = undefined;
    throw e;
  });
  await runtimeInit;
  const rt: TreeSitterRuntime = { slots: new Map(), loadWasm, parseTimeoutMs: options.parseTimeoutMs ?? PARSE_TIMEOUT_MS };
  await Promise.all(grammars.map((g) => ensureGrammar(rt, g)));
  return rt;
}

/** Loads one grammar if it is not loaded yet; resolves to true when it is usable. */
export async function ensureGrammar(rt: TreeSitterRuntime, grammar: string): Promise<boolean> {
  let slot = rt.slots.get(grammar);
  if (!slot) {
    slot = {};
    rt.slots.set(grammar, slot);
    const s = slot;
    s.loading = (async () => {
      try {
        if (!ADAPTERS[grammar]) throw new Error(`no extractor for grammar '${grammar}'`);
        const bytes = await rt.loadWasm(grammar);
        const language = await serialized(() => WebTreeSitter.Language.load(bytes));
        const parser = new WebTreeSitter.Parser();
        parser.setLanguage(language);
        s.language = language;
        s.parser = parser;
      } catch (e) {
        s.error = e instanceof Error ? e.message : String(e);
      } finally {
        s.loading = undefined;
      }
    })();
  }
  await slot.loading;
  return !!slot.parser;
}

/**
 * Language.load links a wasm side module into the shared runtime; two loads
 * in flight at once can mix up each other's symbols (seen: php failing on
 * dart's scanner export), so loads run one at a time, process-wide.
 */
let loadQueue: Promise<unknown> = Promise.resolve();
function serialized<T>(task: () => Promise<T>): Promise<T> {
  const run = loadQueue.then(task, task);
  loadQueue = run.catch(() => undefined);
  return run;
}

/** Grammars that failed to load, with the reason. */
export function grammarErrors(rt: TreeSitterRuntime): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [g, s] of rt.slots) if (s.error) out[g] = s.error;
  return out;
}

/**
 * Usages and unresolved calls in one file. Synchronous; never throws. A
 * grammar that is not loaded yet → `{ error }` (and its load starts in the
 * background, so a later call can succeed; `ensureGrammar` awaits it).
 * A grammar that throws (a wasm trap, an abort when its memory runs out) or
 * parses longer than `rt.parseTimeoutMs` costs this file only: `{ error }`,
 * and the next file starts with a clean parser. (A fatal V8 error cannot be
 * caught in the process; see server/src/node/tree-sitter-runtime.ts for how
 * the known one is avoided.)
 */
export function extractTreeSitter(rt: TreeSitterRuntime, file: string, text: string, lang: LanguageInfo, quiet?: QuietOptions): { usages: Usage[]; unresolved: Unresolved[] } | { error: string } {
  const grammar = lang.grammar;
  if (!grammar) return { error: `language '${lang.id}' has no tree-sitter grammar` };
  const adapter: (LanguageAdapter & AdapterHooks) | undefined = ADAPTERS[grammar];
  if (!adapter) return { error: `no extractor for grammar '${grammar}'` };
  return withParser(rt, grammar, (parser, cancel) => extractFile(adapter, parser, file, text, lang, quiet, cancel));
}

/**
 * Runs `work` (one file's parse and walk) with the grammar's parser. `cancel`
 * goes to every `parser.parse` as its progress callback: it turns true once
 * the file has taken `rt.parseTimeoutMs`. Whatever `work` throws, or a parse
 * it stopped, becomes `{ error }` and the parser is made clean for the next
 * file. A grammar not loaded yet → `{ error }` (and its load starts).
 */
export function withParser<T>(rt: TreeSitterRuntime, grammar: string, work: (parser: Parser, cancel: () => boolean) => T): T | { error: string } {
  const slot = rt.slots.get(grammar);
  if (!slot) {
    void ensureGrammar(rt, grammar);
    return { error: `grammar '${grammar}' is not loaded yet` };
  }
  if (!slot.parser) return { error: slot.error ? `grammar '${grammar}' failed to load: ${slot.error}` : `grammar '${grammar}' is not loaded yet` };
  const deadline = performance.now() + rt.parseTimeoutMs;
  let timedOut = false;
  const cancel = () => (timedOut ||= performance.now() > deadline);
  const stopped = () => ({ error: `tree-sitter ${grammar}: parse stopped after ${rt.parseTimeoutMs} ms` });
  try {
    const result = work(slot.parser, cancel);
    if (!timedOut) return result;
    recoverParser(slot);
    return stopped();
  } catch (e) {
    recoverParser(slot);
    if (timedOut) return stopped();
    return { error: `tree-sitter ${grammar}: ${e instanceof Error ? e.message : String(e)}` };
  }
}

/** After a failed or stopped parse: the same parser reset, or a fresh one when it cannot be. */
function recoverParser(slot: GrammarSlot): void {
  try {
    slot.parser!.reset();
    return;
  } catch {
    /* unusable: replace it */
  }
  try {
    slot.parser!.delete();
  } catch {
    /* already gone */
  }
  try {
    const parser = new WebTreeSitter.Parser();
    parser.setLanguage(slot.language!);
    slot.parser = parser;
  } catch (e) {
    slot.parser = undefined;
    slot.error = `no parser after a failure: ${e instanceof Error ? e.message : String(e)}`;
  }
}
