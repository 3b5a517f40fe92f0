/**
 * Where a Go import path points: a folder of the workspace (a Go package is
 * a folder; its files are found by the caller). Pure string work, like
 * python-modules.ts: the caller knows which folders hold .go files.
 *
 * An import path resolves through the `module` line of a go.mod: the module
 * `example.com/shop` in folder `svc` makes `example.com/shop/flags` the
 * folder `svc/flags` (the longest module path first; nested modules win).
 * Without any go.mod in the workspace, the path's tails are tried as
 * folders from the root (`example.com/shop/flags` → `shop/flags`, `flags`).
 */

export interface GoModule {
  /** The module path (`module` line). */
  path: string;
  /** The folder of its go.mod ('' for the root). */
  dir: string;
}

export function isGoFile(file: string): boolean {
  return /\.go$/i.test(file);
}

/** The module path of a go.mod text (its `module` line), or undefined. */
export function goModulePath(text: string): string | undefined {
  const m = /^\s*module\s+("?)([^\s"/][^\s"]*)\1\s*(?:\/\/.*)?$/m.exec(text);
  return m ? m[2] : undefined;
}

/** Folders to try for `spec`, in order. */
export function goPackageDirCandidates(modules: readonly GoModule[], spec: string): string[] {
  if (!modules.length) {
    const segs = spec.split('/');
    return segs.map((_, i) => segs.slice(i).join('/'));
  }
  const out: string[] = [];
  const fitting = modules.filter((m) => spec === m.path || spec.startsWith(m.path + '/')).sort((a, b) => b.path.length - a.path.length);
  for (const m of fitting) {
    const rest = spec.slice(m.path.length + 1);
    out.push(m.dir && rest ? `${m.dir}/${rest}` : m.dir || rest);
  }
  return out;
}
