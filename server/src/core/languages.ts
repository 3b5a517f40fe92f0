import { LANGUAGE_IDS, type LanguageId } from '../shared/languages';
import type { SdkFamily } from './sdk-calls';

/** What the index knows about a file type. */
export interface LanguageInfo {
  /** LSP language id (one of shared/languages.ts for every entry of the table below). */
  id: string;
  family: SdkFamily;
  /**
   * How the file is parsed: `typescript` (the TypeScript parser), `embedded`
   * (script blocks of .vue/.svelte/.astro, then the TypeScript parser), or
   * `tree-sitter` with the named grammar (dist/grammars/tree-sitter-<grammar>.wasm).
   */
  parser: 'typescript' | 'embedded' | 'tree-sitter';
  grammar?: string;
}

const TS = (id: LanguageId): LanguageInfo => ({ id, family: 'js', parser: 'typescript' });
const EMB = (id: LanguageId): LanguageInfo => ({ id, family: 'js', parser: 'embedded' });
const TSIT = (id: LanguageId, family: SdkFamily, grammar: string): LanguageInfo => ({ id, family, parser: 'tree-sitter', grammar });

/** File extension (lower case, with the dot) → language. */
export const LANGUAGES_BY_EXTENSION: Record<string, LanguageInfo> = {
  '.ts': TS('typescript'),
  '.mts': TS('typescript'),
  '.cts': TS('typescript'),
  '.tsx': TS('typescriptreact'),
  '.js': TS('javascript'),
  '.mjs': TS('javascript'),
  '.cjs': TS('javascript'),
  '.jsx': TS('javascriptreact'),
  '.vue': EMB('vue'),
  '.svelte': EMB('svelte'),
  '.astro': EMB('astro'),
  '.py': TSIT('python', 'python', 'python'),
  '.go': TSIT('go', 'go', 'go'),
  '.rb': TSIT('ruby', 'ruby', 'ruby'),
  '.php': TSIT('php', 'php', 'php'),
  '.java': TSIT('java', 'java', 'java'),
  '.kt': TSIT('kotlin', 'java', 'kotlin'),
  '.kts': TSIT('kotlin', 'java', 'kotlin'),
  '.swift': TSIT('swift', 'swift', 'swift'),
  '.dart': TSIT('dart', 'dart', 'dart'),
  '.cs': TSIT('csharp', 'csharp', 'c_sharp'),
};

/** LSP language ids the server registers for (and the extension activates on): the shared list. */
export { LANGUAGE_IDS };

export function languageForPath(path: string): LanguageInfo | undefined {
  const dot = path.lastIndexOf('.');
  if (dot < 0 || dot < path.lastIndexOf('/')) return undefined;
  return LANGUAGES_BY_EXTENSION[path.slice(dot).toLowerCase()];
}
