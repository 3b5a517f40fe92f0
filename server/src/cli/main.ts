// Placeholder entry for the `posthog-flags` command.
console.error('posthog-flags: not built yet');
process.exit(2);
