/**
 * What the VS Code client and the language server both need (vscode-eslint's
 * `$shared`): LSP message names and payload types, command ids, language
 * ids, the flag-key rule and host normalisation. No imports beyond
 * `vscode-languageserver-protocol` types: the client bundles it as is.
 */
export * from './commands';
export * from './flag-key';
export * from './host';
export * from './languages';
export * from './protocol';
export * from './debug';
export * from './json';
