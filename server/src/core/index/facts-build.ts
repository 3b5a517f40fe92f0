/**
 * Building blocks every extractor uses to make facts (JS/TS, Python, and
 * the tree-sitter languages linked like them). Pure, no parser imports.
 */
import type { Expr, JsFacts } from './facts';

const UNKNOWN: Expr = { t: 'unknown' };

export function emptyJsFacts(file: string, language: string): JsFacts {
  // Records keyed by names from the code have no prototype: a function named `constructor` or `toString` is just a name.
  return { kind: 'js', file, language, bindings: Object.create(null), imports: Object.create(null), exports: Object.create(null), stars: [], fns: [], sites: [], refs: [], specifiers: [] };
}

/** `base.path` with parameters and nested members folded (an object's own property is taken at once). */
export function member(base: Expr, path: string[]): Expr {
  switch (base.t) {
    case 'param':
      return { ...base, path: [...base.path, ...path] };
    case 'member':
      return { t: 'member', base: base.base, path: [...base.path, ...path] };
    case 'obj': {
      const v = Object.prototype.hasOwnProperty.call(base.props, path[0]) ? base.props[path[0]] : undefined;
      if (!v) return UNKNOWN;
      return path.length === 1 ? v : member(v, path.slice(1));
    }
    case 'name':
    case 'new':
    case 'fn':
    case 'client':
    case 'call':
    case 'iface':
      return { t: 'member', base, path };
    default:
      return UNKNOWN;
  }
}
