/**
 * LSP language ids the server indexes and the VS Code client registers the
 * server for (package.json `activationEvents` and the editor menus list the
 * same ids; test/unit/client-manifest checks). Which file extension maps to
 * which id, and how it is parsed, is core/languages.ts.
 */
export const LANGUAGE_IDS = [
  'typescript',
  'typescriptreact',
  'javascript',
  'javascriptreact',
  'vue',
  'svelte',
  'astro',
  'python',
  'go',
  'ruby',
  'php',
  'java',
  'kotlin',
  'swift',
  'dart',
  'csharp',
] as const;

export type LanguageId = (typeof LANGUAGE_IDS)[number];
