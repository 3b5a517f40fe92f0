import type { Node } from 'web-tree-sitter';
import { namedChildrenOf, quoted, receiverText, type ArgSite, type CallSite, type ConstantDef, type LanguageAdapter, type LiteralRead } from '../adapter';

const DYNAMIC_PARTS = new Set(['interpolation', 'escape_sequence']);
const CONTAINERS = new Set(['class', 'module']);
const SCOPES = new Set(['method', 'singleton_method', 'block', 'do_block', 'lambda']);

function readLiteral(node: Node, text: string): LiteralRead {
  if (node.type === 'chained_string') return 'dynamic';
  if (node.type !== 'string') return null;
  for (const c of node.namedChildren) if (c && DYNAMIC_PARTS.has(c.type)) return 'dynamic';
  const q = text[node.startIndex];
  if (q !== '"' && q !== "'") return 'dynamic';
  return quoted(node, text, 1, 1);
}

function callAt(name: Node, text: string): CallSite | null {
  const call = name.parent;
  if (call?.type !== 'call' || call.childForFieldName('method')?.id !== name.id) return null;
  const receiver = call.childForFieldName('receiver');
  const args: ArgSite[] = [];
  for (const a of namedChildrenOf(call.childForFieldName('arguments'))) {
    if (a.type === 'pair') {
      const key = a.childForFieldName('key');
      const value = a.childForFieldName('value');
      if (key && value) args.push({ node: value, name: key.text.replace(/^:|:$/g, '') });
    } else if (a.type === 'splat_argument' || a.type === 'hash_splat_argument' || a.type === 'block_argument') break;
    else args.push({ node: a });
  }
  return { node: call, method: name.text, receiver: receiver ? receiverText(text, call.startIndex, name.startIndex) : null, args };
}

/** `'k'` or `'k'.freeze`. */
function constantValue(node: Node, text: string): LiteralRead {
  if (node.type === 'call' && node.childForFieldName('method')?.text === 'freeze' && !node.childForFieldName('arguments')) {
    const r = node.childForFieldName('receiver');
    return r ? readLiteral(r, text) : null;
  }
  return readLiteral(node, text);
}

function readConstants(root: Node, text: string): ConstantDef[] {
  const defs: ConstantDef[] = [];
  for (const assign of root.descendantsOfType('assignment')) {
    if (!assign) continue;
    const left = assign.childForFieldName('left');
    const right = assign.childForFieldName('right');
    if (left?.type !== 'constant' || !right) continue;
    const literal = constantValue(right, text);
    if (!literal || literal === 'dynamic') continue;
    const containers: string[] = [];
    let local = false;
    for (let p = assign.parent; p; p = p.parent) {
      if (CONTAINERS.has(p.type)) containers.unshift(...(p.childForFieldName('name')?.text ?? '?').split('::'));
      else if (SCOPES.has(p.type)) local = true;
    }
    if (local) continue;
    const name = left.text;
    const names = containers.length ? [`#${name}`] : [name];
    for (let i = 0; i < containers.length; i++) names.push([...containers.slice(i), name].join('.'));
    defs.push({ names, literal });
  }
  return defs;
}

export const ruby: LanguageAdapter = {
  grammar: 'ruby',
  importEvidence: /^[ \t]*require[ \t(]+['"]posthog|\bPostHog::Client\b/m,
  membersVisibleBare: true,
  callAt,
  readLiteral,
  referenceTypes: new Set(['constant', 'scope_resolution']),
  unwrap: (n) => (n.type === 'parenthesized_statements' && n.namedChildCount === 1 ? n.namedChild(0)! : n),
  readConstants,
};
