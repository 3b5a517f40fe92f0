/** Removing a flag from the code (contract: "Cleanup" in ../shared/docs/interfaces.md). */
export { planCleanup, type CleanupIndex, pruneImports, valueOf, type CleanupFile, type CleanupPlan, type KeepValue, type ManualSite } from './plan';
export { rewriteJsFile, type CallSite, type FlagValue } from './js-rewrite';
export { unifiedDiff } from './unified-diff';
