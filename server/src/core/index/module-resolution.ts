/** Path helpers of module resolution (project-resolver.ts decides where a specifier points). */

/** Extensions tried for an extension-less specifier, in order. */
export const RESOLVE_EXTENSIONS = ['.ts', '.tsx', '.js', '.jsx', '.mjs', '.cjs', '.mts', '.cts', '.vue', '.svelte', '.astro'];

export function dirname(file: string): string {
  const i = file.lastIndexOf('/');
  return i < 0 ? '' : file.slice(0, i);
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

/** File names whose text module resolution reads (one rule for the CLI, the git-ref reader and the language server). */
export function isProjectConfig(path: string): boolean {
  const name = path.slice(path.lastIndexOf('/') + 1);
  if (name === 'package.json' || name === 'pnpm-workspace.yaml' || name === 'go.mod') return true;
  if (/^(tsconfig|jsconfig)(\..+)?\.json$/.test(name)) return true;
  return BUNDLER_CONFIG.test(name);
}

/** Bundler configs whose literal `resolve.alias` entries count (Vite, webpack, Next, …). */
export const BUNDLER_CONFIG = /^(vite|vitest|webpack|next|nuxt|svelte|astro|rsbuild|craco)\.config\.(js|cjs|mjs|ts|mts|cts)$/;

/** The watcher glob for the configs `isProjectConfig` accepts that no source-file glob covers (JSON and YAML). */
export const PROJECT_CONFIG_GLOB = '**/{package.json,pnpm-workspace.yaml,go.mod,tsconfig*.json,jsconfig*.json}';
