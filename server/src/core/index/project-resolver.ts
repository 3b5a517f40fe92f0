/**
 * Where a JS/TS import specifier points, the way the project's own toolchain
 * resolves it: the tsconfig/jsconfig that governs the importing file (the
 * nearest one up the tree, refined through `references`, with `extends`
 * chains, `paths` relative to the config that declares them, `baseUrl`,
 * `rootDirs`), bundler aliases written as literals (Vite, webpack, Next),
 * and the workspace's own packages (`package.json` `exports` with subpath
 * patterns and conditions, `types`, `module`, `main`, falling back from
 * built output to sources).
 *
 * Pure: it gets the text of the project's config files (`isProjectConfig`
 * says which) and answers with workspace paths to try in order; the caller
 * knows which files exist. Every config is parsed once, and the governing
 * config of each folder is decided once.
 */
import type * as TS from 'typescript';
import { loadTypeScript, ts } from '../typescript';
import { BUNDLER_CONFIG, dirname, joinPath, RESOLVE_EXTENSIONS } from './module-resolution';
import { goModulePath, type GoModule } from './go-packages';

export { isProjectConfig } from './module-resolution';

interface TsConfig {
  file: string;
  dir: string;
  /** Workspace folder `paths` targets are relative to (baseUrl, or the declaring config's folder). */
  pathsBase?: string;
  paths?: Array<{ pattern: string; targets: string[] }>;
  baseUrl?: string;
  rootDirs?: string[];
  /** Include/exclude/files as workspace-relative matchers; undefined: every file below `dir`. */
  include?: RegExp[];
  exclude?: RegExp[];
  files?: string[];
  references: string[];
}

interface PackageInfo {
  name: string;
  dir: string;
  json: Record<string, unknown>;
}

interface BundlerAliases {
  dir: string;
  entries: Array<{ find: string; exact: boolean; target: string }>;
}

/** Conditions tried in `exports`, most source-like first. */
const CONDITIONS = ['source', 'development', 'types', 'typings', 'import', 'module', 'browser', 'node', 'react-native', 'default', 'require'];

/** Folders of built output whose sources usually live in `src/`. */
const BUILT_DIRS = ['dist', 'build', 'lib', 'out', 'esm', 'cjs', 'es', 'types', 'dist-types'];

export class ProjectResolver {
  private readonly configs = new Map<string, string>();
  private readonly tsconfigs = new Map<string, TsConfig | null>();
  private readonly governing = new Map<string, TsConfig | null>();
  private readonly bundlers = new Map<string, BundlerAliases | null>();
  private aliasesByDir?: Map<string, BundlerAliases['entries']>;
  /** The config governing each file asked about (`configFor`). */
  private readonly fileConfigs = new Map<string, TsConfig | null>();
  private readonly packages = new Map<string, PackageInfo[]>();
  private readonly dependencyNames = new Set<string>();

  /** `configs`: workspace path → text of every project config file (see isProjectConfig). */
  constructor(configs: Map<string, string> | Record<string, string> = {}) {
    const entries = configs instanceof Map ? [...configs] : Object.entries(configs);
    for (const [path, text] of entries) this.configs.set(path, text);
    for (const [path, text] of this.configs) {
      if (!path.endsWith('package.json') || (path !== 'package.json' && !path.endsWith('/package.json'))) continue;
      const json = parseJsonc(text);
      if (!json || typeof json !== 'object') continue;
      const pkg = json as Record<string, unknown>;
      for (const field of ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies']) {
        const deps = pkg[field];
        if (deps && typeof deps === 'object') for (const d of Object.keys(deps)) this.dependencyNames.add(d);
      }
      if (typeof pkg.name !== 'string' || !pkg.name) continue;
      const list = this.packages.get(pkg.name) ?? [];
      list.push({ name: pkg.name, dir: dirname(path), json: pkg });
      // Shallowest first: a template or fixture copy deeper down loses to the real package.
      list.sort((a, b) => a.dir.split('/').length - b.dir.split('/').length || (a.dir < b.dir ? -1 : 1));
      this.packages.set(pkg.name, list);
    }
  }

  /**
   * Config files that `extends` chains name but that were not handed in
   * (a base config called `base.json` in a workspace package): read them
   * and build the resolver again.
   */
  missingConfigs(): string[] {
    const out = new Set<string>();
    for (const [path, text] of this.configs) {
      if (!/(^|\/)(tsconfig|jsconfig)[^/]*\.json$/.test(path) && !path.endsWith('.json')) continue;
      const json = parseJsonc(text) as { extends?: unknown } | undefined;
      const ext = json && typeof json === 'object' ? json.extends : undefined;
      for (const b of Array.isArray(ext) ? ext : [ext]) {
        if (typeof b !== 'string') continue;
        const t = this.extendsTarget(dirname(path), b);
        if (t !== undefined && !this.configs.has(t)) out.add(t);
      }
    }
    return [...out].sort();
  }

  private goModuleList?: GoModule[];

  /** Go modules of the workspace: each go.mod's `module` path and folder (go-packages.ts resolves imports with them). */
  goModules(): GoModule[] {
    if (!this.goModuleList) {
      this.goModuleList = [];
      for (const [path, text] of this.configs) {
        if (path !== 'go.mod' && !path.endsWith('/go.mod')) continue;
        const module = goModulePath(text);
        if (module) this.goModuleList.push({ path: module, dir: dirname(path) });
      }
    }
    return this.goModuleList;
  }

  /**
   * Paths to try for `spec` imported from `fromFile`, in order. `kind`
   * tells how the first group was found (for reports): `relative`,
   * `paths`, `alias`, `package`, `baseUrl`.
   */
  candidates(fromFile: string, spec: string): string[] {
    const bases: string[] = [];
    if (isRelativeSpec(spec)) {
      const b = joinPath(dirname(fromFile), spec);
      if (b !== undefined) {
        bases.push(b);
        for (const alt of this.rootDirAlternatives(fromFile, b)) bases.push(alt);
      }
      return expand(bases);
    }
    if (spec.startsWith('/')) return [];
    const config = this.configFor(fromFile);
    if (config?.paths) for (const b of matchPaths(config.paths, config.pathsBase ?? config.dir, spec)) bases.push(b);
    const bundler = this.bundlerFor(fromFile);
    if (bundler) {
      for (const a of bundler.entries) {
        if (spec === a.find) bases.push(a.target);
        else if (!a.exact && spec.startsWith(a.find.endsWith('/') ? a.find : a.find + '/')) {
          const rest = spec.slice(a.find.length).replace(/^\//, '');
          const b = joinPath(a.target, rest);
          if (b !== undefined) bases.push(b);
        }
      }
    }
    const out = expand(bases);
    out.push(...this.packageCandidates(spec));
    if (config?.baseUrl !== undefined) {
      const b = joinPath(config.baseUrl, spec);
      if (b !== undefined) out.push(...expand([b]));
    }
    return out;
  }

  /**
   * True when `spec` can only mean a file of this workspace: relative, an
   * alias a config declares (`paths`, bundler aliases), a workspace package,
   * or an alias-style prefix (`@/`, `~/`, `#`). An unknown bare package is
   * someone else's (`@growthbook/growthbook`).
   */
  looksInternal(fromFile: string, spec: string): boolean {
    if (isRelativeSpec(spec) || /^(@\/|~|#|\$)/.test(spec)) return true;
    const name = packageName(spec);
    if (name !== undefined && this.packages.has(name)) return true;
    const config = this.configFor(fromFile);
    if (config?.paths && matchPaths(config.paths, config.pathsBase ?? config.dir, spec).length) return true;
    return this.bundlerFor(fromFile)?.entries.some((a) => spec === a.find || (!a.exact && spec.startsWith(a.find.endsWith('/') ? a.find : a.find + '/'))) ?? false;
  }

  /** True when `spec` names a package the workspace declares as a dependency and does not hold itself. */
  isExternalPackage(spec: string): boolean {
    const name = packageName(spec);
    return name !== undefined && this.dependencyNames.has(name) && !this.packages.has(name);
  }

  // ---------- tsconfig ----------

  /** The tsconfig/jsconfig that governs `file`, as tsc or tsserver would pick it. */
  configFor(file: string): TsConfig | undefined {
    let config = this.fileConfigs.get(file);
    if (config === undefined) {
      const dir = dirname(file);
      let near = this.governing.get(dir);
      if (near === undefined) {
        near = this.nearestConfig(dir) ?? null;
        this.governing.set(dir, near);
      }
      config = near && (this.refine(near, file, 0) ?? near);
      this.fileConfigs.set(file, config);
    }
    return config ?? undefined;
  }

  private nearestConfig(dir: string): TsConfig | undefined {
    for (let d: string | undefined = dir; d !== undefined; d = d === '' ? undefined : dirname(d)) {
      for (const name of ['tsconfig.json', 'jsconfig.json']) {
        const c = this.tsconfig(d ? `${d}/${name}` : name);
        if (c) return c;
      }
    }
    return undefined;
  }

  /** The config among `c` and its references (depth-first) whose files include `file`. */
  private refine(c: TsConfig, file: string, depth: number): TsConfig | undefined {
    if (depth > 8) return undefined;
    if (includes(c, file)) return c;
    for (const ref of c.references) {
      const r = this.tsconfig(ref) ?? this.tsconfig(`${ref}/tsconfig.json`);
      const hit = r && this.refine(r, file, depth + 1);
      if (hit) return hit;
    }
    return undefined;
  }

  private tsconfig(path: string, seen: Set<string> = new Set()): TsConfig | undefined {
    const cached = this.tsconfigs.get(path);
    if (cached !== undefined) return cached ?? undefined;
    const text = this.configs.get(path);
    if (text === undefined || seen.has(path) || seen.size > 16) return undefined;
    seen.add(path);
    const json = parseJsonc(text);
    if (!json || typeof json !== 'object') {
      this.tsconfigs.set(path, null);
      return undefined;
    }
    const raw = json as { extends?: unknown; compilerOptions?: Record<string, unknown>; include?: unknown; exclude?: unknown; files?: unknown; references?: unknown };
    const dir = dirname(path);
    // What the base configs give, the nearest base last (later bases win, as in tsc's array form).
    const c: TsConfig = { file: path, dir, references: [] };
    const bases = Array.isArray(raw.extends) ? raw.extends : raw.extends !== undefined ? [raw.extends] : [];
    for (const b of bases) {
      if (typeof b !== 'string') continue;
      const base = this.extendsTarget(dir, b);
      const bc = base && this.tsconfig(base, seen);
      if (!bc) continue;
      if (bc.paths) [c.paths, c.pathsBase] = [bc.paths, bc.pathsBase];
      if (bc.baseUrl !== undefined) c.baseUrl = bc.baseUrl;
      if (bc.rootDirs) c.rootDirs = bc.rootDirs;
      if (bc.include) c.include = bc.include;
      if (bc.exclude) c.exclude = bc.exclude;
      if (bc.files) c.files = bc.files;
    }
    const co = raw.compilerOptions && typeof raw.compilerOptions === 'object' ? raw.compilerOptions : {};
    if (typeof co.baseUrl === 'string') {
      const b = joinPath(dir, co.baseUrl);
      if (b !== undefined) c.baseUrl = b;
    }
    if (co.paths && typeof co.paths === 'object') {
      c.paths = [];
      for (const [pattern, targets] of Object.entries(co.paths as Record<string, unknown>)) {
        if (Array.isArray(targets)) c.paths.push({ pattern, targets: targets.filter((t): t is string => typeof t === 'string') });
      }
      c.pathsBase = dir;
    }
    // `paths` count from baseUrl when the chain sets one, else from the config that declares them.
    if (c.paths && c.baseUrl !== undefined) c.pathsBase = c.baseUrl;
    if (Array.isArray(co.rootDirs)) c.rootDirs = co.rootDirs.flatMap((r) => (typeof r === 'string' ? [joinPath(dir, r)].filter((x): x is string => x !== undefined) : []));
    if (Array.isArray(raw.include)) c.include = raw.include.flatMap((p) => (typeof p === 'string' ? [globToRegExp(dir, p)] : []));
    if (Array.isArray(raw.exclude)) c.exclude = raw.exclude.flatMap((p) => (typeof p === 'string' ? [globToRegExp(dir, p)] : []));
    if (Array.isArray(raw.files)) c.files = raw.files.flatMap((p) => (typeof p === 'string' ? [joinPath(dir, p)].filter((x): x is string => x !== undefined) : []));
    if (Array.isArray(raw.references)) {
      for (const r of raw.references) {
        const p = r && typeof r === 'object' && typeof (r as { path?: unknown }).path === 'string' ? joinPath(dir, (r as { path: string }).path) : undefined;
        if (p !== undefined) c.references.push(p);
      }
    }
    this.tsconfigs.set(path, c);
    return c;
  }

  /** `extends` target: a relative path, or a workspace package (`@acme/tsconfig/base.json`). */
  private extendsTarget(dir: string, spec: string): string | undefined {
    if (isRelativeSpec(spec)) {
      const p = joinPath(dir, spec);
      if (p === undefined) return undefined;
      if (this.configs.has(p) || p.endsWith('.json')) return p;
      return this.configs.has(`${p}/tsconfig.json`) ? `${p}/tsconfig.json` : `${p}.json`;
    }
    const name = packageName(spec);
    const pkg = name ? this.packages.get(name)?.[0] : undefined;
    if (!pkg || !name) return undefined;
    const sub = spec.slice(name.length).replace(/^\//, '');
    const p = sub ? joinPath(pkg.dir, sub) : joinPath(pkg.dir, typeof pkg.json.tsconfig === 'string' ? pkg.json.tsconfig : 'tsconfig.json');
    if (p === undefined) return undefined;
    return this.configs.has(p) || p.endsWith('.json') ? p : `${p}.json`;
  }

  private rootDirAlternatives(fromFile: string, base: string): string[] {
    const dirs = this.configFor(fromFile)?.rootDirs;
    if (!dirs) return [];
    const from = dirs.find((d) => base === d || base.startsWith(d + '/'));
    if (from === undefined) return [];
    const rest = base.slice(from.length).replace(/^\//, '');
    return dirs.filter((d) => d !== from).flatMap((d) => [joinPath(d, rest)].filter((x): x is string => x !== undefined));
  }

  // ---------- bundler aliases ----------

  /** The aliases of the nearest folder up from `file` whose bundler configs declare any. */
  private bundlerFor(file: string): BundlerAliases | undefined {
    const dir = dirname(file);
    let hit = this.bundlers.get(dir);
    if (hit === undefined) {
      hit = null;
      const byDir = this.bundlerAliasesByDir();
      for (let d: string | undefined = dir; d !== undefined && !hit; d = d === '' ? undefined : dirname(d)) {
        const entries = byDir.get(d);
        if (entries) hit = { dir: d, entries };
      }
      this.bundlers.set(dir, hit);
    }
    return hit ?? undefined;
  }

  /** Every bundler config parsed once: folder → the literal aliases its configs declare (folders without any left out). */
  private bundlerAliasesByDir(): Map<string, BundlerAliases['entries']> {
    if (!this.aliasesByDir) {
      this.aliasesByDir = new Map();
      for (const [path, text] of this.configs) {
        if (!BUNDLER_CONFIG.test(path.slice(path.lastIndexOf('/') + 1))) continue;
        const entries = bundlerAliases(path, text);
        if (entries.length) this.aliasesByDir.set(dirname(path), [...(this.aliasesByDir.get(dirname(path)) ?? []), ...entries]);
      }
    }
    return this.aliasesByDir;
  }

  // ---------- workspace packages ----------

  private packageCandidates(spec: string): string[] {
    const name = packageName(spec);
    const pkgs = name ? this.packages.get(name) : undefined;
    if (!pkgs || !name) return [];
    const sub = spec.slice(name.length).replace(/^\//, '');
    const out: string[] = [];
    for (const pkg of pkgs) {
      const targets: string[] = [];
      const exp = pkg.json.exports;
      if (exp !== undefined && exp !== null) targets.push(...exportTargets(exp, sub ? `./${sub}` : '.'));
      if (!sub) {
        for (const field of ['source', 'types', 'typings', 'module', 'main']) {
          const v = pkg.json[field];
          if (typeof v === 'string') targets.push(v);
        }
        targets.push('src/index', 'index');
      } else {
        targets.push(sub, `src/${sub}`);
      }
      const bases: string[] = [];
      for (const t of targets) {
        const p = joinPath(pkg.dir, t.replace(/\.d\.(c|m)?ts$/, ''));
        if (p === undefined) continue;
        bases.push(p);
        for (const src of builtToSource(pkg.dir, p)) bases.push(src);
      }
      out.push(...expand(bases));
    }
    return out;
  }
}

/** Expands bases into files to try: as written, `.js`→`.ts`, with each extension, then `index.*`. */
function expand(bases: string[]): string[] {
  const out: string[] = [];
  for (const base of bases) {
    const ext = extname(base);
    if (ext && RESOLVE_EXTENSIONS.includes(ext)) {
      out.push(base);
      for (const alt of JS_TO_TS[ext] ?? []) out.push(base.slice(0, -ext.length) + alt);
      const stem = base.slice(0, -ext.length);
      for (const e of RESOLVE_EXTENSIONS) if (e !== ext) out.push(stem + e);
    }
    for (const e of RESOLVE_EXTENSIONS) out.push(base + e);
    for (const e of RESOLVE_EXTENSIONS) out.push((base ? base + '/' : '') + 'index' + e);
  }
  return out;
}

const JS_TO_TS: Record<string, string[]> = { '.js': ['.ts', '.tsx'], '.jsx': ['.tsx'], '.mjs': ['.mts'], '.cjs': ['.cts'] };

function extname(p: string): string {
  const slash = p.lastIndexOf('/');
  const dot = p.lastIndexOf('.');
  return dot > slash + 1 ? p.slice(dot).toLowerCase() : '';
}

export function isRelativeSpec(spec: string): boolean {
  return spec === '.' || spec === '..' || spec.startsWith('./') || spec.startsWith('../');
}

/** `@scope/name` or `name` of a bare specifier. */
export function packageName(spec: string): string | undefined {
  if (isRelativeSpec(spec) || spec.startsWith('/')) return undefined;
  const parts = spec.split('/');
  if (spec.startsWith('@')) return parts.length >= 2 && parts[0].length > 1 ? `${parts[0]}/${parts[1]}` : undefined;
  return parts[0] || undefined;
}

/** `paths` patterns matching `spec`, the longest prefix first (as tsc orders them), as bases. */
function matchPaths(paths: Array<{ pattern: string; targets: string[] }>, base: string, spec: string): string[] {
  const hits: Array<{ prefix: number; bases: string[] }> = [];
  for (const { pattern, targets } of paths) {
    const star = pattern.indexOf('*');
    let captured: string | undefined;
    if (star < 0) captured = spec === pattern ? '' : undefined;
    else {
      const pre = pattern.slice(0, star);
      const post = pattern.slice(star + 1);
      if (spec.length >= pre.length + post.length && spec.startsWith(pre) && spec.endsWith(post)) captured = spec.slice(pre.length, spec.length - post.length);
    }
    if (captured === undefined) continue;
    const bases: string[] = [];
    for (const t of targets) {
      const b = joinPath(base, t.replace('*', captured));
      if (b !== undefined) bases.push(b);
    }
    hits.push({ prefix: star < 0 ? Infinity : star, bases });
  }
  return hits.sort((a, b) => b.prefix - a.prefix).flatMap((h) => h.bases);
}

function includes(c: TsConfig, file: string): boolean {
  if (c.files?.includes(file)) return true;
  if (c.exclude?.some((r) => r.test(file))) return false;
  if (c.include) return c.include.some((r) => r.test(file));
  if (c.files) return false;
  return c.dir === '' || file.startsWith(c.dir + '/');
}

/** A tsconfig include/exclude pattern (relative to `dir`) as a matcher of workspace paths. */
function globToRegExp(dir: string, pattern: string): RegExp {
  const full = joinPath(dir, pattern) ?? pattern;
  const hasWildcard = /[*?]/.test(pattern);
  let re = '';
  for (let i = 0; i < full.length; i++) {
    const ch = full[i];
    if (ch === '*' && full[i + 1] === '*') {
      re += full[i + 2] === '/' ? '(?:.*/)?' : '.*';
      i += full[i + 2] === '/' ? 2 : 1;
    } else if (ch === '*') re += '[^/]*';
    else if (ch === '?') re += '[^/]';
    else re += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  // A pattern without wildcards names a file or a folder (everything below it).
  const tail = hasWildcard ? '' : '(?:/.*)?';
  return new RegExp(`^${full === '' ? '.*' : re + tail}$`);
}

/** Targets of `exports` for a subpath (`.` or `./x`), every condition, most source-like first. */
function exportTargets(exp: unknown, subpath: string): string[] {
  if (typeof exp === 'string' || Array.isArray(exp)) return subpath === '.' ? conditionTargets(exp) : [];
  if (!exp || typeof exp !== 'object') return [];
  const map = exp as Record<string, unknown>;
  const keys = Object.keys(map);
  if (!keys.some((k) => k.startsWith('.'))) return subpath === '.' ? conditionTargets(exp) : [];
  if (Object.prototype.hasOwnProperty.call(map, subpath)) return conditionTargets(map[subpath]);
  // Subpath patterns: the longest prefix before `*` wins.
  let best: { key: string; captured: string } | undefined;
  for (const key of keys) {
    const star = key.indexOf('*');
    if (star < 0) {
      if (key.endsWith('/') && subpath.startsWith(key) && (!best || key.length > best.key.length)) best = { key, captured: subpath.slice(key.length) };
      continue;
    }
    const pre = key.slice(0, star);
    const post = key.slice(star + 1);
    if (subpath.startsWith(pre) && subpath.endsWith(post) && subpath.length >= pre.length + post.length && (!best || pre.length > best.key.indexOf('*'))) {
      best = { key, captured: subpath.slice(pre.length, subpath.length - post.length) };
    }
  }
  if (!best) return [];
  const captured = best.captured;
  return conditionTargets(map[best.key]).map((t) => (t.includes('*') ? t.split('*').join(captured) : t + captured));
}

function conditionTargets(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.flatMap(conditionTargets);
  if (!v || typeof v !== 'object') return [];
  const map = v as Record<string, unknown>;
  const out: string[] = [];
  for (const c of CONDITIONS) if (Object.prototype.hasOwnProperty.call(map, c)) out.push(...conditionTargets(map[c]));
  for (const [k, x] of Object.entries(map)) if (!CONDITIONS.includes(k)) out.push(...conditionTargets(x));
  return out;
}

/** `pkg/dist/x/y` → `pkg/src/x/y` (and `pkg/x/y` → `pkg/src/x/y`): where the sources of built output usually are. */
function builtToSource(pkgDir: string, path: string): string[] {
  const rel = pkgDir ? path.slice(pkgDir.length + 1) : path;
  const first = rel.split('/')[0];
  const out: string[] = [];
  if (BUILT_DIRS.includes(first)) {
    const rest = rel.slice(first.length + 1);
    for (const src of ['src', '']) {
      const p = joinPath(pkgDir, src ? `${src}/${rest}` : rest);
      if (p !== undefined) out.push(p);
    }
  } else if (first !== 'src') {
    const p = joinPath(pkgDir, `src/${rel}`);
    if (p !== undefined) out.push(p);
  }
  return out;
}

/**
 * JSON with comments and trailing commas (tsconfig style); undefined when it does not parse.
 * Plain JSON (every package.json) is read without loading TypeScript (../typescript.ts).
 */
export function parseJsonc(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    /* comments or trailing commas: TypeScript's reader below */
  }
  const r = loadTypeScript().parseConfigFileTextToJson('config.json', text);
  return r.error ? undefined : r.config;
}

// ---------- bundler configs ----------

/**
 * `resolve.alias` entries written as literals in a Vite/webpack/Next config:
 * `alias: { '@': path.resolve(__dirname, './src') }`, `alias: [{ find, replacement }]`,
 * `config.resolve.alias['@x'] = …`. Targets are workspace paths.
 */
export function bundlerAliases(configPath: string, text: string): BundlerAliases['entries'] {
  const dir = dirname(configPath);
  let sf: TS.SourceFile;
  try {
    sf = loadTypeScript().createSourceFile(configPath, text, ts.ScriptTarget.Latest, false, configPath.endsWith('ts') ? ts.ScriptKind.TS : ts.ScriptKind.JS);
  } catch {
    return [];
  }
  const out: BundlerAliases['entries'] = [];
  const add = (find: string, value: TS.Expression | undefined) => {
    if (!value) return;
    const target = evalPath(value, dir);
    if (target === undefined) return;
    const exact = find.endsWith('$');
    out.push({ find: exact ? find.slice(0, -1) : find, exact, target });
  };
  const visit = (node: TS.Node): void => {
    if (ts.isPropertyAssignment(node) && propName(node.name) === 'alias') {
      const init = unwrap(node.initializer);
      if (ts.isObjectLiteralExpression(init)) {
        for (const p of init.properties) if (ts.isPropertyAssignment(p)) { const k = propName(p.name); if (k !== undefined) add(k, p.initializer); }
      } else if (ts.isArrayLiteralExpression(init)) {
        for (const el of init.elements) {
          if (!ts.isObjectLiteralExpression(el)) continue;
          let find: string | undefined;
          let replacement: TS.Expression | undefined;
          for (const p of el.properties) {
            if (!ts.isPropertyAssignment(p)) continue;
            const k = propName(p.name);
            if (k === 'find' && ts.isStringLiteralLike(p.initializer)) find = p.initializer.text;
            if (k === 'replacement') replacement = p.initializer;
          }
          if (find !== undefined) add(find, replacement);
        }
      }
    } else if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isElementAccessExpression(node.left)) {
      // config.resolve.alias['@x'] = …
      const obj = node.left.expression;
      if (ts.isPropertyAccessExpression(obj) && obj.name.text === 'alias' && ts.isStringLiteralLike(node.left.argumentExpression)) add(node.left.argumentExpression.text, node.right);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

function propName(n: TS.PropertyName): string | undefined {
  if (ts.isIdentifier(n) || ts.isStringLiteralLike(n) || ts.isNumericLiteral(n)) return n.text;
  return undefined;
}

function unwrap(e: TS.Expression): TS.Expression {
  while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isSatisfiesExpression(e)) e = e.expression;
  return e;
}

/**
 * A path expression of a config, as a workspace path: string literals
 * (`/src` counts from the config's folder, as Vite serves it), `__dirname`,
 * `process.cwd()`, `path.resolve/join(…)`, `fileURLToPath(new URL('./src', import.meta.url))`,
 * `new URL(…).pathname`, and template literals of those.
 */
function evalPath(e: TS.Expression, dir: string): string | undefined {
  const v = evalSegment(unwrap(e), dir);
  if (v === undefined) return undefined;
  return v.abs ? v.path : joinPath(dir, v.path);
}

type Seg = { path: string; abs: boolean };

function evalSegment(e: TS.Expression, dir: string): Seg | undefined {
  e = unwrap(e);
  if (ts.isStringLiteralLike(e)) {
    const s = e.text;
    if (s.startsWith('/')) return { path: joinPath(dir, s.slice(1)) ?? '', abs: true };
    return { path: s, abs: false };
  }
  if (ts.isIdentifier(e)) {
    if (e.text === '__dirname' || e.text === 'dirname' || e.text === 'root' || e.text === 'projectRoot' || e.text === 'rootDir') return { path: dir, abs: true };
    return undefined;
  }
  if (ts.isTemplateExpression(e)) {
    let head: Seg | undefined = e.head.text ? evalSegment(ts.factory.createStringLiteral(e.head.text), dir) : undefined;
    for (const span of e.templateSpans) {
      const v = evalSegment(span.expression, dir);
      if (!v) return undefined;
      head = head ? { path: head.path + v.path, abs: head.abs } : v;
      if (span.literal.text) head = { path: head.path + span.literal.text, abs: head.abs };
    }
    return head ? { path: joinPath(head.abs ? '' : '', head.path) ?? head.path, abs: head.abs } : undefined;
  }
  if (ts.isPropertyAccessExpression(e) && e.name.text === 'pathname') return evalSegment(e.expression, dir);
  if (ts.isNewExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === 'URL' && e.arguments?.length) {
    const rel = e.arguments[0];
    if (!ts.isStringLiteralLike(rel)) return undefined;
    const p = joinPath(dir, rel.text);
    return p === undefined ? undefined : { path: p, abs: true };
  }
  if (ts.isCallExpression(e)) {
    const callee = e.expression;
    const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
    if (name === 'cwd') return { path: dir, abs: true };
    if (name === 'fileURLToPath' && e.arguments.length === 1) return evalSegment(e.arguments[0], dir);
    if (name === 'resolve' || name === 'join' || name === 'resolvePath') {
      let cur: Seg | undefined;
      for (const a of e.arguments) {
        const v = evalSegment(a, dir);
        if (!v) return undefined;
        if (v.abs || !cur) cur = v;
        else cur = { path: joinPath(cur.path, v.path) ?? cur.path, abs: cur.abs };
      }
      if (!cur) return undefined;
      // path.resolve of relative parts counts from the working folder: the config's folder.
      return name === 'resolve' && !cur.abs ? { path: joinPath(dir, cur.path) ?? cur.path, abs: true } : cur;
    }
  }
  return undefined;
}
