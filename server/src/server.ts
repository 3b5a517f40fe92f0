// Placeholder entry: the language server is wired here (see server/src/features).
console.error('posthog-flags language server: not built yet');
process.exit(1);
