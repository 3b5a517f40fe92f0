/**
 * Where a Python import points, as workspace paths to try in order (the
 * first that exists wins). Pure string work, like module-resolution.ts for
 * JS: the caller knows which files exist.
 *
 * Specifiers are written as in the import: `app.features`, `.flags`,
 * `..common.settings`, `.` (the package itself).
 * - Relative (leading dots): against the importing file's package folder,
 *   one folder up per extra dot.
 * - Absolute: against every ancestor folder of the importing file, nearest
 *   first, up to the workspace root (a `src/` layout, a service folder of a
 *   monorepo, the root itself: whichever holds the package).
 * Each base `a/b` is tried as the module `a/b.py`, then the package
 * `a/b/__init__.py`.
 */

export function pythonModuleCandidates(fromFile: string, spec: string): string[] {
  let dots = 0;
  while (dots < spec.length && spec[dots] === '.') dots++;
  const rest = spec.slice(dots);
  const parts = rest ? rest.split('.') : [];
  if (parts.some((p) => p === '')) return [];
  const dirs: string[] = [];
  const fileDir = dirnameOf(fromFile);
  if (dots > 0) {
    let dir: string | undefined = fileDir;
    for (let i = 1; i < dots && dir !== undefined; i++) dir = dir === '' ? undefined : dirnameOf(dir);
    if (dir === undefined) return [];
    if (!parts.length) return [join(dir, '__init__.py')];
    dirs.push(dir);
  } else {
    if (!parts.length) return [];
    for (let dir: string | undefined = fileDir; dir !== undefined; dir = dir === '' ? undefined : dirnameOf(dir)) dirs.push(dir);
  }
  const out: string[] = [];
  for (const dir of dirs) {
    const base = join(dir, parts.join('/'));
    out.push(`${base}.py`, `${base}/__init__.py`);
  }
  return out;
}

/** True for a specifier of PostHog's Python SDK (`posthog`, `posthog.client`, `posthoganalytics`). */
export function isPosthogPythonModule(spec: string): boolean {
  return /^posthog(?:analytics)?(?:\.|$)/.test(spec);
}

/** `from SPEC import NAME` where NAME may be a submodule: the submodule's specifier. */
export function pythonSubmodule(spec: string, name: string): string {
  return spec.endsWith('.') ? spec + name : `${spec}.${name}`;
}

function dirnameOf(file: string): string {
  const i = file.lastIndexOf('/');
  return i < 0 ? '' : file.slice(0, i);
}

function join(dir: string, rel: string): string {
  return dir ? `${dir}/${rel}` : rel;
}
