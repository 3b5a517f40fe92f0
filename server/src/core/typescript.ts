/**
 * TypeScript's compiler API, loaded on first use.
 *
 * TypeScript is most of the bundle's start-up cost (its module body builds
 * large tables: about 0.2 s of CPU and 30 MB before any file is read), and a
 * workspace without a JS/TS file to parse never needs it. So no module
 * imports it directly: types come from `import type * as TS from 'typescript'`
 * and values from `ts` here, a live binding set by `loadTypeScript()`. Every
 * entry point that is about to use `ts` calls `loadTypeScript()` first (the
 * JS/TS extractor, the bundler-config reader, cleanup); reading `ts` before
 * that is a bug and fails loudly (`ts` is undefined).
 *
 * In the bundles, scripts/build.mjs maps `typescript` to dist/typescript.js,
 * a separate file with its own V8 code cache (server/src/node/code-cache.ts),
 * so a run that never parses JS/TS neither loads nor deserialises it.
 */
import type * as TS from 'typescript';

export let ts: typeof TS = undefined as unknown as typeof TS;

/** Loads TypeScript (once) and returns it; after this call `ts` is set. */
export function loadTypeScript(): typeof TS {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  if (ts === undefined) ts = require('typescript') as typeof TS;
  return ts;
}
