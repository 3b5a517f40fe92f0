/**
 * The one rule for which files the index reads, shared by every FileSource
 * and the editor: the work tree (server/src/node/work-tree-source.ts), the
 * tree of a git ref (server/src/node/git-ref-source.ts) and the language
 * server's on-disk changes (server/src/lsp/folders.ts).
 *
 * - `node_modules` and VCS folders: never entered.
 * - Build output, dependencies and caches (DEFAULT_EXCLUDED_DIRS): not
 *   entered unless an `--include` pattern names the folder.
 * - `.gitignore` files (nested, with git's semantics: the deepest matching
 *   rule decides, an ignored folder's contents stay ignored) and
 *   `.git/info/exclude`. For a git ref, the `.gitignore` files of that ref:
 *   a file tracked against them (`git add -f`) is left out as in the work tree.
 * - `--exclude` (gitignore-style) leaves out; `--include` keeps only matching
 *   source files (project configs are read whatever it says: they decide how
 *   the included files resolve).
 * - Only files of a known language (by extension) are sources.
 *
 * Pure: the sources read the `.gitignore` texts and hand them in as layers.
 */
import ignore, { type Ignore } from 'ignore';
import { isProjectConfig } from './index/module-resolution';
import { LANGUAGES_BY_EXTENSION } from './languages';

/**
 * Directories holding build output, dependencies or caches, left out at any
 * depth unless an `--include` pattern names them (e.g. `--include 'packages/ui/dist/**'`).
 */
export const DEFAULT_EXCLUDED_DIRS: readonly string[] = [
  // JS/TS build output and caches
  'dist', 'build', 'out', '.next', '.nuxt', '.output', '.svelte-kit', '.astro', '.vercel', '.netlify',
  '.turbo', '.cache', '.parcel-cache', '.vite', 'coverage', '.nyc_output', 'storybook-static',
  'bower_components', 'jspm_packages', '.yarn', '.pnpm-store',
  // Python
  '__pycache__', '.venv', 'venv', '.tox', '.nox', '.mypy_cache', '.pytest_cache', '.ruff_cache', 'site-packages',
  // Go / PHP / Ruby third-party code
  'vendor',
  // JVM, Swift, Dart, .NET
  'target', '.gradle', 'Pods', 'Carthage', 'DerivedData', '.build', '.dart_tool', 'obj',
];

/**
 * Output-folder names a Python package may also use for a subpackage
 * (`app/features/build/`): inside a folder holding `__init__.py` they are
 * source, not build output.
 */
const PACKAGE_NAMES_TOO: ReadonlySet<string> = new Set(['build', 'dist', 'out', 'target', 'obj', 'coverage']);

/** Never entered, whatever the options say. */
export const ALWAYS_EXCLUDED_DIRS: ReadonlySet<string> = new Set(['node_modules', '.git', '.hg', '.svn']);

/** Rules of one `.gitignore` (or `info/exclude`), applied to paths below `base`. */
export interface IgnoreLayer {
  /** Path of the layer's folder relative to the scan root ('' = root); for folders above the root, ''. */
  base: string;
  /** Prepended to root-relative paths for layers above the root (e.g. `packages/web/`). */
  outer: string;
  rules: Ignore;
}

/** The rules of a `.gitignore` text. */
export function ignoreRules(text: string): Ignore {
  return ignore().add(text);
}

/** Git semantics: the deepest `.gitignore` with a matching rule decides. `path` ends with `/` for a folder. */
export function isGitIgnored(layers: readonly IgnoreLayer[], path: string): boolean {
  for (let i = layers.length - 1; i >= 0; i--) {
    const layer = layers[i];
    const inner = layer.base ? path.slice(layer.base.length + 1) : path;
    const full = layer.outer + inner;
    if (full === '') continue;
    const verdict = layer.rules.test(full);
    if (verdict.ignored) return true;
    if (verdict.unignored) return false;
  }
  return false;
}

/**
 * The layers for the `.gitignore` files between a repository's top and the
 * scanned folder (`toRoot`: the folder's path segments below the top), plus
 * `info/exclude`. `read(dir)` gives the rules of `dir/.gitignore` ('' = top).
 * Empty when the repository ignores the scanned folder itself: a folder asked
 * for by name is scanned as a standalone tree.
 */
export function outerIgnoreLayers(toRoot: readonly string[], read: (dir: string) => Ignore | undefined, infoExclude?: Ignore): IgnoreLayer[] {
  const layers: IgnoreLayer[] = [];
  if (infoExclude) layers.push({ base: '', outer: toRoot.length ? `${toRoot.join('/')}/` : '', rules: infoExclude });
  for (let i = 0; i < toRoot.length; i++) {
    const rules = read(toRoot.slice(0, i).join('/'));
    if (rules) layers.push({ base: '', outer: `${toRoot.slice(i).join('/')}/`, rules });
  }
  if (toRoot.length && isGitIgnored(layers, '')) return [];
  return layers;
}

/**
 * The layers that apply inside each folder ('' = root), for sources that see
 * one path at a time: `outer` plus the `.gitignore` of every folder from the
 * root down (`read(dir)`: that folder's rules, if any). Memoised per folder.
 */
export function layersByFolder(outer: IgnoreLayer[], read: (dir: string) => Ignore | undefined): (dir: string) => IgnoreLayer[] {
  const byDir = new Map<string, IgnoreLayer[]>();
  const layersFor = (dir: string): IgnoreLayer[] => {
    let layers = byDir.get(dir);
    if (!layers) {
      const parent = dir === '' ? outer : layersFor(dir.includes('/') ? dir.slice(0, dir.lastIndexOf('/')) : '');
      const rules = read(dir);
      layers = rules ? [...parent, { base: dir, outer: '', rules }] : parent;
      byDir.set(dir, layers);
    }
    return layers;
  };
  return layersFor;
}

export interface SelectionOptions {
  /**
   * Gitignore-style patterns relative to the root (the `ignore` package's
   * semantics, as in a `.gitignore`). When any is given, only source files
   * matching at least one are listed. A default-excluded directory is
   * entered when a pattern names it as a path segment.
   */
  include?: readonly string[];
  /** Gitignore-style patterns relative to the root; matching files and directories are left out (not listed in `skipped`). */
  exclude?: readonly string[];
  /** Leave out DEFAULT_EXCLUDED_DIRS (default true). */
  defaultExcludes?: boolean;
}

/** What a selected file is to the index. */
export interface Selected {
  /** A file of a known language that the index reads for usages. */
  source: boolean;
  /** A project config that module resolution reads (`isProjectConfig`). */
  config: boolean;
}

export class FileSelection {
  private readonly include?: Ignore;
  private readonly includeSegments: Set<string>;
  private readonly exclude?: Ignore;
  private readonly excludedDirs: Set<string>;

  constructor(options: SelectionOptions = {}) {
    const include = (options.include ?? []).filter((p) => p.trim() !== '');
    const exclude = (options.exclude ?? []).filter((p) => p.trim() !== '');
    this.include = include.length ? ignore().add(include) : undefined;
    this.includeSegments = new Set(include.flatMap((p) => p.split('/')));
    this.exclude = exclude.length ? ignore().add(exclude) : undefined;
    this.excludedDirs = new Set(options.defaultExcludes === false ? [] : DEFAULT_EXCLUDED_DIRS);
  }

  /**
   * Whether the walk enters folder `path` (root-relative, no trailing `/`), given the layers that apply to it.
   * `inPythonPackage`: its parent holds an `__init__.py` (then `build/` and the like are a subpackage).
   */
  entersDirectory(path: string, layers: readonly IgnoreLayer[] = [], inPythonPackage = false): boolean {
    const name = path.slice(path.lastIndexOf('/') + 1);
    if (ALWAYS_EXCLUDED_DIRS.has(name)) return false;
    if (this.excludedDirs.has(name) && !this.includeSegments.has(name) && !(inPythonPackage && PACKAGE_NAMES_TOO.has(name))) return false;
    if (this.exclude?.ignores(`${path}/`)) return false;
    return !isGitIgnored(layers, `${path}/`);
  }

  /** What file `path` (in a folder the walk entered) is to the index, or `undefined` when it is left out. */
  classify(path: string, layers: readonly IgnoreLayer[] = []): Selected | undefined {
    const name = path.slice(path.lastIndexOf('/') + 1);
    const dot = name.lastIndexOf('.');
    const config = isProjectConfig(name);
    const known = dot >= 0 && name.slice(dot).toLowerCase() in LANGUAGES_BY_EXTENSION;
    if (!known && !config) return undefined;
    if (this.exclude?.ignores(path)) return undefined;
    if (isGitIgnored(layers, path)) return undefined;
    const source = known && (!this.include || this.include.ignores(path));
    if (!source && !config) return undefined;
    return { source, config };
  }

  /**
   * The whole rule for one path, for sources that see paths rather than walk
   * folders (a git ref's tree, a file changed on disk): every folder on the
   * way must be entered, then the file selected. `layersFor(dir)` gives the
   * layers that apply inside `dir` ('' = root). Folder verdicts are cached.
   */
  select(path: string, layersFor: (dir: string) => readonly IgnoreLayer[], entered?: Map<string, boolean>, hasFile: (path: string) => boolean = () => false): Selected | undefined {
    const parts = path.split('/');
    let dir = '';
    for (let i = 0; i < parts.length - 1; i++) {
      const parent = dir;
      dir = dir ? `${dir}/${parts[i]}` : parts[i];
      let verdict = entered?.get(dir);
      if (verdict === undefined) {
        verdict = this.entersDirectory(dir, layersFor(parent), hasFile(parent ? `${parent}/__init__.py` : '__init__.py'));
        entered?.set(dir, verdict);
      }
      if (!verdict) return undefined;
    }
    return this.classify(path, layersFor(dir));
  }
}
