import type { LanguageAdapter } from '../adapter';
import type { AdapterHooks } from '../adapter-hooks';
import { csharp } from './csharp';
import { dart } from './dart';
import { go } from './go';
import { java } from './java';
import { kotlin } from './kotlin';
import { php } from './php';
import { python } from './python';
import { ruby } from './ruby';
import { swift } from './swift';

/** Adapter per grammar name (languages.ts `grammar`, tree-sitter-<grammar>.wasm). */
export const ADAPTERS: Record<string, LanguageAdapter & AdapterHooks> = {
  python,
  go,
  ruby,
  php,
  java,
  kotlin,
  swift,
  dart,
  c_sharp: csharp,
};

export const TREE_SITTER_GRAMMARS: string[] = Object.keys(ADAPTERS);
