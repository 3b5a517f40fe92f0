/**
 * The Python side of the cleanup: `if posthog.feature_enabled(K, …):`
 * blocks (elif/else, `not`, `and`/`or`, `==`/`!=` on a variant) and
 * conditional expressions, with tree-sitter-python's tree for positions.
 * A check assigned to a variable, or whose value is used otherwise, is left
 * as `manual`.
 */
import type { Node } from 'web-tree-sitter';
import { withParser, type TreeSitterRuntime } from '../tree-sitter/extract';
import { rewriteSites, truthy, type CallSite, type FileRewrite, type FlagValue, type Outcome } from './js-rewrite';
import { cut, indentOf, literal, reindent, removalRange, type Rewrite } from './text-edits';

const manual = (reason: string): Outcome => ({ manual: reason });

/** Rewrites the sites of one Python file; `{error}` when the grammar is not loaded. */
export function rewritePythonFile(rt: TreeSitterRuntime, original: string, calls: CallSite[]): FileRewrite | { error: string } {
  let failed: string | undefined;
  const out = rewriteSites(original, calls, (text, site) => {
    const r = withParser(rt, 'python', (parser) => {
      const tree = parser.parse(text);
      if (!tree) return manual('the file could not be parsed');
      try {
        return processSite(text, tree.rootNode, site.offset, site.value!);
      } finally {
        tree.delete();
      }
    });
    if ('error' in r) {
      failed = r.error;
      return manual(r.error);
    }
    return r;
  });
  return failed && out.text === original ? { error: failed } : out;
}

function processSite(text: string, root: Node, offset: number, v: FlagValue): Outcome {
  for (let n: Node | null = root.descendantForIndex(offset); n; n = n.parent) {
    if (n.type === 'call') return fold(text, n, v);
  }
  return manual('the flag check could not be found in the syntax tree');
}

const NOT_LITERAL = Symbol('not a literal');

function literalValue(n: Node): FlagValue | null | typeof NOT_LITERAL {
  if (n.type === 'parenthesized_expression' && n.namedChildCount === 1) return literalValue(n.namedChild(0)!);
  if (n.type === 'true') return true;
  if (n.type === 'false') return false;
  if (n.type === 'none') return null;
  if (n.type === 'string' && !n.children.some((c) => c?.type === 'interpolation')) {
    const content = n.children.filter((c) => c?.type === 'string_content').map((c) => c!.text).join('');
    return content;
  }
  return NOT_LITERAL;
}

function isPure(n: Node): boolean {
  if (['identifier', 'true', 'false', 'none', 'integer', 'float', 'string'].includes(n.type)) return n.type !== 'string' || literalValue(n) !== NOT_LITERAL;
  if (n.type === 'attribute') return isPure(n.childForFieldName('object')!);
  if (n.type === 'parenthesized_expression' || n.type === 'not_operator' || n.type === 'boolean_operator' || n.type === 'comparison_operator') return n.namedChildren.every((c) => c && isPure(c));
  return false;
}

function same(a: Node | null, b: Node | null): boolean {
  return !!a && !!b && a.startIndex === b.startIndex && a.endIndex === b.endIndex && a.type === b.type;
}

function truthinessOnly(n: Node): boolean {
  const p = n.parent;
  if (!p) return false;
  if (p.type === 'parenthesized_expression' || p.type === 'not_operator' || p.type === 'boolean_operator') return p.type === 'not_operator' || truthinessOnly(p);
  if ((p.type === 'if_statement' || p.type === 'elif_clause' || p.type === 'while_statement') && same(p.childForFieldName('condition'), n)) return true;
  if (p.type === 'conditional_expression' && same(p.namedChild(1), n)) return true;
  return false;
}

function fold(text: string, node: Node, v: FlagValue): Outcome {
  const p = node.parent;
  if (!p) return manual("the flag's value is used as a value");
  if (p.type === 'parenthesized_expression') return fold(text, p, v);
  if (p.type === 'await') return fold(text, p, v);
  if (p.type === 'not_operator') return fold(text, p, !truthy(v));
  if (p.type === 'boolean_operator') {
    const left = p.childForFieldName('left')!;
    const right = p.childForFieldName('right')!;
    const op = p.childForFieldName('operator')?.type ?? p.child(1)?.type;
    const isLeft = same(left, node);
    const other = isLeft ? right : left;
    if (op === 'and') {
      if (isLeft) return truthy(v) ? replace(text, p, other) : fold(text, p, v);
      if (truthy(v)) return truthinessOnly(p) ? replace(text, p, other) : manual(`'${p.text}' is used as a value`);
      if (!isPure(other)) return manual(`'${other.text}' may have side effects`);
      return truthinessOnly(p) ? fold(text, p, false) : manual(`'${p.text}' is used as a value`);
    }
    if (isLeft) return truthy(v) ? fold(text, p, v) : replace(text, p, other);
    if (!truthy(v)) return truthinessOnly(p) ? replace(text, p, other) : manual(`'${p.text}' is used as a value`);
    if (!isPure(other)) return manual(`'${other.text}' may have side effects`);
    return truthinessOnly(p) ? fold(text, p, true) : manual(`'${p.text}' is used as a value`);
  }
  if (p.type === 'comparison_operator' && p.namedChildCount === 2) {
    const ops = p.children.filter((c) => c && !c.isNamed).map((c) => c!.type);
    const other = same(p.namedChild(0), node) ? p.namedChild(1)! : p.namedChild(0)!;
    const lit = literalValue(other);
    if (lit === NOT_LITERAL) return manual(`compared with '${other.text}', which is not a literal`);
    const op = ops.join(' ');
    if (op === '==' || op === 'is') return fold(text, p, v === lit);
    if (op === '!=' || op === 'is not') return fold(text, p, v !== lit);
    return manual(`compared with '${op}'`);
  }
  if (p.type === 'conditional_expression' && same(p.namedChild(1), node)) return replace(text, p, truthy(v) ? p.namedChild(0)! : p.namedChild(2)!);
  if (p.type === 'if_statement' && same(p.childForFieldName('condition'), node)) return ifStatement(text, p, truthy(v));
  if (p.type === 'elif_clause' && same(p.childForFieldName('condition'), node)) return elifClause(text, p, truthy(v));
  if (p.type === 'assignment') return manual(`the flag's value is assigned to '${p.childForFieldName('left')?.text ?? ''}' (not rewritten in Python yet)`);
  if (p.type === 'argument_list') return manual(`the flag's value is passed to '${p.parent?.childForFieldName('function')?.text ?? 'a function'}'`);
  if (p.type === 'return_statement') return manual("the flag's value is returned");
  return manual(`the flag's value is used as a value ('${p.text.slice(0, 60)}')`);
}

function replace(text: string, target: Node, kept: Node): Outcome {
  let outer = target;
  while (outer.parent?.type === 'parenthesized_expression') outer = outer.parent;
  return { rewrites: [{ start: outer.startIndex, end: outer.endIndex, piece: cut(text, kept.startIndex, kept.endIndex) }] };
}

function endsFlow(block: Node): boolean {
  const last = block.namedChildren[block.namedChildren.length - 1];
  return !!last && ['return_statement', 'raise_statement', 'continue_statement', 'break_statement'].includes(last.type);
}

/** `target` (a statement) replaced by the statements of `block` (re-indented), or removed; dead statements after a kept return go too. */
function replaceStatement(text: string, target: Node, block: Node | null): Outcome {
  let end = target.endIndex;
  const siblings = target.parent ? target.parent.namedChildren.filter((c): c is Node => c !== null) : [];
  const i = siblings.findIndex((c) => same(c, target));
  if (block && endsFlow(block)) {
    const after = siblings.slice(i + 1).filter((c) => c.type !== 'comment');
    if (after.some((c) => c.type === 'function_definition' || c.type === 'class_definition' || c.type === 'decorated_definition')) return manual('the code after the kept early return defines a function or class');
    if (after.length) end = after[after.length - 1].endIndex;
  }
  if (!block) {
    const alone = siblings.filter((c) => c.type !== 'comment').length === 1 && target.parent?.type === 'block';
    if (alone) return { rewrites: [{ start: target.startIndex, end, piece: literal('pass') }] };
    const r = removalRange(text, target.startIndex, end);
    return { rewrites: [{ start: r.start, end: r.end, piece: literal('') }] };
  }
  const piece = reindent(cut(text, block.startIndex, block.endIndex), indentOf(text, block.startIndex), indentOf(text, target.startIndex));
  return { rewrites: [{ start: target.startIndex, end, piece } as Rewrite] };
}

function ifStatement(text: string, stmt: Node, cond: boolean): Outcome {
  const alternatives = stmt.childrenForFieldName('alternative').filter((c): c is Node => c !== null);
  if (cond) return replaceStatement(text, stmt, stmt.childForFieldName('consequence'));
  const first = alternatives[0];
  if (!first) return replaceStatement(text, stmt, null);
  // `if flag: … elif c: …` → `if c: …` (the `el` of `elif` goes with the dead branch).
  if (first.type === 'elif_clause') return { rewrites: [{ start: stmt.startIndex, end: first.startIndex + 2, piece: literal('') }] };
  return replaceStatement(text, stmt, first.childForFieldName('body'));
}

function elifClause(text: string, clause: Node, cond: boolean): Outcome {
  const stmt = clause.parent!;
  const alternatives = stmt.childrenForFieldName('alternative').filter((c): c is Node => c !== null);
  const i = alternatives.findIndex((c) => same(c, clause));
  if (cond) {
    // `elif flag: A …` → `else: A` and the later clauses go.
    const condition = clause.childForFieldName('condition')!;
    const colon = text.indexOf(':', condition.endIndex);
    const rewrites: Rewrite[] = [{ start: clause.startIndex, end: colon, piece: literal('else') }];
    const last = alternatives[alternatives.length - 1];
    if (i < alternatives.length - 1) rewrites.push({ start: clause.endIndex, end: last.endIndex, piece: literal('') });
    return { rewrites };
  }
  const prev = i > 0 ? alternatives[i - 1] : stmt.childForFieldName('consequence')!;
  return { rewrites: [{ start: prev.endIndex, end: clause.endIndex, piece: literal('') }] };
}
