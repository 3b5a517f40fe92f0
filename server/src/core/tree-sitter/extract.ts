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
}

interface GrammarSlot {
  parser?: Parser;
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
export async function createTreeSitterRuntime(loadWasm: (name: string) => Promise<Uint8Array>, grammars: readonly string[] = SUPPORTED_GRAMMARS): Promise<TreeSitterRuntime> {
  runtimeInit ??= (async () => {
    const wasmBinary = await loadWasm('tree-sitter');
    // wasmBinary keeps emscripten from looking for tree-sitter.wasm next to the (bundled) script.
    await WebTreeSitter.Parser.init({ wasmBinary } as object);
  })().catch((e: unknown) => {
    runtimeInit = undefined;
    throw e;
  });
  await runtimeInit;
  const rt: TreeSitterRuntime = { slots: new Map(), loadWasm };
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
 */
export function extractTreeSitter(rt: TreeSitterRuntime, file: string, text: string, lang: LanguageInfo, quiet?: QuietOptions): { usages: Usage[]; unresolved: Unresolved[] } | { error: string } {
  const grammar = lang.grammar;
  if (!grammar) return { error: `language '${lang.id}' has no tree-sitter grammar` };
  const adapter: (LanguageAdapter & AdapterHooks) | undefined = ADAPTERS[grammar];
  if (!adapter) return { error: `no extractor for grammar '${grammar}'` };
  const slot = rt.slots.get(grammar);
  if (!slot) {
    void ensureGrammar(rt, grammar);
    return { error: `grammar '${grammar}' is not loaded yet` };
  }
  if (!slot.parser) return { error: slot.error ? `grammar '${grammar}' failed to load: ${slot.error}` : `grammar '${grammar}' is not loaded yet` };
  try {
    return extractFile(adapter, slot.parser, file, text, lang, quiet);
  } catch (e) {
    // A crash inside the parser can leave it mid-parse: start the next file clean.
    try {
      slot.parser.reset();
    } catch {
      /* the parser is unusable; the next call reports its own error */
    }
    return { error: `tree-sitter ${grammar}: ${e instanceof Error ? e.message : String(e)}` };
  }
}
