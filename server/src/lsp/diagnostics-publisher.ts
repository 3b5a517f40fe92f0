/**
 * Publishes diagnostics: debounced, for every indexed file (or only open
 * ones, by setting), and only for files whose diagnostics changed since the
 * last publish. Flags changing marks every file. What a file's diagnostics
 * are is the capability's business (features/diagnostics.ts `fileDiagnostics`),
 * handed in by server.ts: the session layer never imports features.
 */
import type { Connection, Diagnostic } from 'vscode-languageserver';
import type { FlagSnapshot } from '../core/flags/types';
import { DebouncedBatch, yieldToEventLoop } from './scheduling';
import { uriOfFile, type FolderState, type ServerState } from './state';

/** Diagnose for this long, then let requests in. */
const SLICE_MS = 4;

/** Computes one file's diagnostics (features/diagnostics.ts `fileDiagnostics`). */
export type DiagnoseFile = (
  state: ServerState,
  folder: FolderState,
  file: string,
  snapshot: FlagSnapshot | undefined,
  settings: Awaited<ReturnType<ServerState['settings']['forResource']>>,
) => Diagnostic[];

export class DiagnosticsPublisher {
  /** uri → JSON of the diagnostics last sent. */
  private published = new Map<string, string>();
  private batch: DebouncedBatch<string>;
  private allDirty = false;

  constructor(
    private readonly state: ServerState,
    private readonly connection: Connection,
    private readonly diagnose: DiagnoseFile,
    debounceMs: number,
  ) {
    this.batch = new DebouncedBatch((ids) => this.flush(ids), debounceMs, debounceMs * 5);
  }

  setDebounce(ms: number): void {
    const old = this.batch;
    this.batch = new DebouncedBatch((ids) => this.flush(ids), ms, ms * 5);
    old.dispose();
  }

  /** Marks files of a folder for re-publishing. */
  markFiles(folder: FolderState, files: Iterable<string>): void {
    const ids: string[] = [];
    for (const f of files) ids.push(`${folder.uri}\u0000${f}`);
    if (ids.length) this.batch.add(...ids);
  }

  /** Every file of every folder (flags or settings changed). */
  markAll(): void {
    this.allDirty = true;
    this.batch.add('*');
  }

  /** Clears what was published for a folder (folder removed). */
  clearFolder(folder: FolderState): void {
    const prefix = uriOfFile(folder, '');
    for (const uri of [...this.published.keys()]) {
      if (uri.startsWith(prefix)) this.send(uri, []);
    }
  }

  /** Clears one uri (a closed file under the `openFiles` scope). */
  clearUri(uri: string): void {
    if (this.published.has(uri)) this.send(uri, []);
  }

  flushNow(): Promise<void> {
    return this.batch.flushNow();
  }

  dispose(): void {
    this.batch.dispose();
  }

  private async flush(ids: string[]): Promise<void> {
    const work: Array<{ folder: FolderState; file: string }> = [];
    if (this.allDirty) {
      this.allDirty = false;
      for (const folder of this.state.folders.values()) {
        if (folder.disposed) continue;
        for (const file of folder.index.files()) work.push({ folder, file });
      }
      // Files that had diagnostics but are no longer indexed get cleared below.
      const live = new Set(work.map((w) => uriOfFile(w.folder, w.file)));
      for (const uri of [...this.published.keys()]) if (!live.has(uri)) this.send(uri, []);
    } else {
      const byUri = new Map<string, FolderState>();
      for (const f of this.state.folders.values()) byUri.set(f.uri, f);
      for (const id of ids) {
        if (id === '*') continue;
        const sep = id.indexOf('\u0000');
        const folder = byUri.get(id.slice(0, sep));
        if (folder && !folder.disposed) work.push({ folder, file: id.slice(sep + 1) });
      }
    }
    const snapshot = this.state.flags.snapshot;
    const settingsByFolder = new Map<FolderState, Awaited<ReturnType<ServerState['settings']['forResource']>>>();
    let sliceStart = performance.now();
    for (let i = 0; i < work.length; i++) {
      const { folder, file } = work[i];
      let settings = settingsByFolder.get(folder);
      if (!settings) settingsByFolder.set(folder, (settings = await this.state.settings.forResource(folder.loose ? undefined : folder.uri)));
      const uri = uriOfFile(folder, file);
      let diagnostics: Diagnostic[] = [];
      const allowed = settings.diagnosticsScope === 'workspace' || this.state.documents.get(uri) !== undefined;
      if (allowed) {
        try {
          diagnostics = this.diagnose(this.state, folder, file, snapshot, settings);
        } catch (e) {
          this.state.log('error', `diagnostics failed for ${file}: ${e instanceof Error ? e.message : String(e)}`);
          continue;
        }
      }
      this.send(uri, diagnostics);
      if (performance.now() - sliceStart > SLICE_MS) {
        await yieldToEventLoop();
        sliceStart = performance.now();
      }
    }
  }

  private send(uri: string, diagnostics: Diagnostic[]): void {
    const json = JSON.stringify(diagnostics);
    const before = this.published.get(uri);
    if (before === json || (before === undefined && diagnostics.length === 0)) return;
    if (diagnostics.length === 0) this.published.delete(uri);
    else this.published.set(uri, json);
    void this.connection.sendDiagnostics({ uri, diagnostics }).catch(() => undefined);
  }
}
