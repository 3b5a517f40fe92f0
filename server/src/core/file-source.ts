import type { Skipped } from './types';

/**
 * Where the index gets files from. The core never touches the disk itself:
 * the CLI and the server pass a FileSource over the work tree
 * (server/src/node/work-tree-source.ts) or over a git ref's objects
 * (server/src/node/git-ref-source.ts).
 *
 * Paths are relative to the root, with `/` separators.
 */
export interface FileSource {
  /** Absolute root (for reports); for a git ref, the folder the ref is read under. */
  readonly root: string;
  /**
   * Every file that could hold a usage, selected by the one rule in
   * core/file-selection.ts (`node_modules`, build output, `.gitignore`d
   * paths and user excludes left out), symbolic links never followed.
   * Files it already knows it will not read (e.g. too large by size) are in `skipped`.
   */
  list(): Promise<SourceListing>;
  /**
   * `list()`, with what the listing depended on (a work tree: every folder
   * read, the folders above the root, every ignore file read or looked for),
   * so that a later run can tell with a few stats (`listingHolds`) that
   * listing again would give the same. No witness when something changed too
   * recently for its times to be trusted.
   */
  listWitnessed?(): Promise<{ listing: SourceListing; witness?: ListingWitness }>;
  /** Whether everything a witness saw is as it was (then `list()` would give the listing it was made with). */
  listingHolds?(witness: ListingWitness): boolean;
  /**
   * Whether `list()` would list `file` as a source file (core/file-selection.ts),
   * for one path at a time: the language server asks it for files changed on disk.
   */
  selects?(file: string): boolean;
  /**
   * Raw bytes of one file, or why it cannot be read (`unreadable`, `too-large`).
   * `stamp`: size and modification time from the same open (a work tree; the
   * index cache trusts facts stored for a file only with one).
   */
  read(file: string): Promise<ReadResult>;
  /**
   * `read`, synchronously, where the source can (the work tree). With it the
   * index keeps no file's bytes or text once its facts are taken: it reads a
   * file again in the rare case it needs it again (see core/index/scan.ts).
   */
  readSync?(file: string): ReadResult;
  /**
   * The stamp of one file without reading it (a work tree): undefined when it
   * is gone or not a regular file. A cached scan is replayed only when every
   * file's stamp is the stored one.
   */
  stat?(file: string): FileStamp | undefined;
}

/**
 * What a listing depended on: absolute paths with their stamps
 * ([mtimeMs, ctimeMs, size, ino], or [] for a path that did not exist),
 * and the selection options it was made under.
 */
export interface ListingWitness {
  options: string;
  paths: string[];
  stamps: number[][];
}

/** Size and modification time of a file as read. */
export interface FileStamp {
  size: number;
  mtimeMs: number;
  /** Status change time: a change of permissions moves it, not the modification time. */
  ctimeMs?: number;
}

export type ReadResult = { ok: true; bytes: Uint8Array; stamp?: FileStamp } | { ok: false; skipped: Skipped };

export interface SourceListing {
  files: string[];
  skipped: Skipped[];
  /**
   * The project's config files that module resolution reads (tsconfig/jsconfig,
   * package.json, pnpm-workspace.yaml, bundler configs: `isProjectConfig`),
   * under the same selection rules as `files`.
   */
  configs?: string[];
}

/** Files larger than this are skipped as `too-large` (contract: 1 MB). */
export const MAX_FILE_BYTES = 1024 * 1024;
