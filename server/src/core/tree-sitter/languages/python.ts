import type { Node } from 'web-tree-sitter';
import { namedChildrenOf, quoted, receiverText, type ArgSite, type CallSite, type ConstantDef, type LanguageAdapter, type LiteralRead } from '../adapter';

function readLiteral(node: Node, text: string): LiteralRead {
  if (node.type === 'concatenated_string') return 'dynamic';
  if (node.type !== 'string') return null;
  let open = 0;
  let close = 0;
  for (const c of node.children) {
    if (!c) continue;
    if (c.type === 'interpolation') return 'dynamic';
    if (c.type === 'string_start') open = c.endIndex - node.startIndex;
    else if (c.type === 'string_end') close = node.endIndex - c.startIndex;
  }
  const prefix = text.slice(node.startIndex, node.startIndex + open).toLowerCase();
  if (prefix.includes('b')) return null;
  return quoted(node, text, open, close);
}

function callAt(name: Node, text: string): CallSite | null {
  if (name.type !== 'identifier') return null;
  let parent = name.parent;
  let fn: Node | null = name;
  if (parent?.type === 'attribute') {
    if (parent.childForFieldName('attribute')?.id !== name.id) return null;
    fn = parent;
    parent = parent.parent;
  }
  if (parent?.type !== 'call' || parent.childForFieldName('function')?.id !== fn.id) return null;
  const args: ArgSite[] = [];
  for (const a of namedChildrenOf(parent.childForFieldName('arguments'))) {
    if (a.type === 'keyword_argument') {
      const value = a.childForFieldName('value');
      if (value) args.push({ node: value, name: a.childForFieldName('name')?.text ?? '' });
    } else if (a.type === 'list_splat' || a.type === 'dictionary_splat') break;
    else args.push({ node: a });
  }
  return { node: parent, method: name.text, receiver: fn === name ? null : receiverText(text, parent.startIndex, name.startIndex), args };
}

/** Module-level `NAME = "k"`, class attributes `Flags.NAME` and str-Enum members `Flag.NAME` / `Flag.NAME.value`. */
function readConstants(root: Node, text: string): ConstantDef[] {
  const defs: ConstantDef[] = [];
  for (const assign of root.descendantsOfType('assignment')) {
    if (!assign) continue;
    const left = assign.childForFieldName('left');
    const right = assign.childForFieldName('right');
    if (left?.type !== 'identifier' || !right) continue;
    const literal = readLiteral(right, text);
    if (!literal || literal === 'dynamic') continue;
    const stmt = assign.parent;
    if (stmt?.type !== 'expression_statement') continue;
    const scope = stmt.parent;
    const name = left.text;
    if (scope?.type === 'module') {
      defs.push({ names: [name], literal });
    } else if (scope?.type === 'block' && scope.parent?.type === 'class_definition') {
      const classes: string[] = [];
      for (let p: Node | null = scope.parent; p; p = p.parent) {
        if (p.type === 'class_definition') classes.unshift(p.childForFieldName('name')?.text ?? '?');
        else if (p.type === 'function_definition') break;
      }
      const names = [`#${name}`];
      for (let i = 0; i < classes.length; i++) {
        const q = [...classes.slice(i), name].join('.');
        names.push(q, `${q}.value`);
      }
      defs.push({ names, literal });
    }
  }
  return defs;
}

export const python: LanguageAdapter = {
  grammar: 'python',
  importEvidence: /^[ \t]*(?:import[ \t]+posthog\b|from[ \t]+posthog\b)/m,
  callAt,
  readLiteral,
  referenceTypes: new Set(['identifier', 'attribute']),
  unwrap: (n) => (n.type === 'parenthesized_expression' && n.namedChildCount === 1 ? n.namedChild(0)! : n),
  readConstants,
};
