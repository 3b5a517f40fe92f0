/** Public API of the workspace flag-usage index. */
export { decodeSource, isBinary, isMinified, type DecodedSource } from './decode';
export { indexEntry, readProjectConfigs, scanResult, scanSource, type ScanOptions } from './scan';
export { WorkspaceIndex, type IndexEntry, type LazyText, type SymbolAtPosition, type WorkspaceIndexOptions } from './workspace-index';
export { isProjectConfig, ProjectResolver } from './project-resolver';
export { sdkTerms, textHasSdkTerm, bytesHaveSdkTerm } from './prefilter';
export { extractJs } from './js-extract';
export { configsDigest, factsFromJson, FactsCache, FACTS_FORMAT_VERSION, type CacheContents, type CacheOutput, type CachedFile, type CachedRecord } from './facts-cache';
