/**
 * Where an import specifier can point, as a list of workspace paths to try
 * in order (the first that exists wins). Pure string work: the caller knows
 * which files exist.
 */

/** Extensions tried for an extension-less specifier, in order. */
export const RESOLVE_EXTENSIONS = ['.ts', '.tsx', '.js', '.jsx', '.mjs', '.cjs', '.mts', '.cts', '.vue', '.svelte', '.astro'];

/** `compilerOptions.baseUrl` / `paths` of the root tsconfig.json or jsconfig.json. */
export interface PathAliases {
  /** Root-relative folder (`''` for the root) that `paths` targets and bare specifiers are relative to. */
  baseUrl?: string;
  paths: Array<{ pattern: string; targets: string[] }>;
}

const JS_TO_TS: Record<string, string[]> = { '.js': ['.ts', '.tsx'], '.jsx': ['.tsx'], '.mjs': ['.mts'], '.cjs': ['.cts'] };

export function moduleCandidates(fromFile: string, spec: string, aliases?: PathAliases): string[] {
  const bases: string[] = [];
  if (spec.startsWith('./') || spec.startsWith('../') || spec === '.' || spec === '..') {
    const b = joinPath(dirname(fromFile), spec);
    if (b !== undefined) bases.push(b);
  } else if (aliases && !spec.startsWith('/')) {
    const root = aliases.baseUrl ?? '';
    for (const { pattern, targets } of aliases.paths) {
      const star = pattern.indexOf('*');
      let captured: string | undefined;
      if (star < 0) captured = spec === pattern ? '' : undefined;
      else {
        const pre = pattern.slice(0, star);
        const post = pattern.slice(star + 1);
        if (spec.length >= pre.length + post.length && spec.startsWith(pre) && spec.endsWith(post)) captured = spec.slice(pre.length, spec.length - post.length);
      }
      if (captured === undefined) continue;
      for (const t of targets) {
        const b = joinPath(root, t.replace('*', captured));
        if (b !== undefined) bases.push(b);
      }
    }
    if (aliases.baseUrl !== undefined) {
      const b = joinPath(root, spec);
      if (b !== undefined) bases.push(b);
    }
  }
  const out: string[] = [];
  for (const base of bases) {
    const ext = extname(base);
    if (ext && RESOLVE_EXTENSIONS.includes(ext)) {
      out.push(base);
      for (const alt of JS_TO_TS[ext] ?? []) out.push(base.slice(0, -ext.length) + alt);
    }
    for (const e of RESOLVE_EXTENSIONS) out.push(base + e);
    for (const e of RESOLVE_EXTENSIONS) out.push((base ? base + '/' : '') + 'index' + e);
  }
  return out;
}

/** Reads baseUrl/paths from tsconfig/jsconfig JSON (comments and trailing commas allowed). */
export function parsePathAliases(configText: string, configDir = ''): PathAliases | undefined {
  let json: unknown;
  try {
    json = JSON.parse(stripJsonComments(configText));
  } catch {
    return undefined;
  }
  const co = (json as { compilerOptions?: { baseUrl?: unknown; paths?: unknown } } | undefined)?.compilerOptions;
  if (!co || typeof co !== 'object') return undefined;
  const baseUrl = typeof co.baseUrl === 'string' ? joinPath(configDir, co.baseUrl) : undefined;
  const paths: PathAliases['paths'] = [];
  if (co.paths && typeof co.paths === 'object') {
    for (const [pattern, targets] of Object.entries(co.paths as Record<string, unknown>)) {
      if (!Array.isArray(targets)) continue;
      paths.push({ pattern, targets: targets.filter((t): t is string => typeof t === 'string') });
    }
  }
  if (baseUrl === undefined && !paths.length) return undefined;
  // Without baseUrl, `paths` targets are relative to the config's folder.
  return { baseUrl: baseUrl ?? configDir, paths };
}

function stripJsonComments(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '"') {
      let j = i + 1;
      while (j < s.length && s[j] !== '"') j += s[j] === '\\' ? 2 : 1;
      out += s.slice(i, j + 1);
      i = j;
    } else if (c === '/' && s[i + 1] === '/') {
      while (i < s.length && s[i] !== '\n') i++;
      out += '\n';
    } else if (c === '/' && s[i + 1] === '*') {
      const end = s.indexOf('*/', i + 2);
      i = end < 0 ? s.length : end + 1;
    } else out += c;
  }
  return out.replace(/,(\s*[}\]])/g, '$1');
}

export function dirname(file: string): string {
  const i = file.lastIndexOf('/');
  return i < 0 ? '' : file.slice(0, i);
}

function extname(p: string): string {
  const slash = p.lastIndexOf('/');
  const dot = p.lastIndexOf('.');
  return dot > slash + 0 && dot > 0 && p[dot - 1] !== '/' ? p.slice(dot).toLowerCase() : '';
}

/** Joins and normalises `a/b` + `../c`; undefined when it climbs above the root. */
export function joinPath(dir: string, rel: string): string | undefined {
  const parts = dir ? dir.split('/') : [];
  for (const seg of rel.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (!parts.length) return undefined;
      parts.pop();
    } else parts.push(seg);
  }
  return parts.join('/');
}
