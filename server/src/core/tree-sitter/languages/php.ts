import type { Node } from 'web-tree-sitter';
import { memberNames, namedChildrenOf, quoted, receiverText, type ArgSite, type CallSite, type ConstantDef, type LanguageAdapter, type LiteralRead } from '../adapter';

const CALLS = new Set(['scoped_call_expression', 'member_call_expression', 'nullsafe_member_call_expression', 'function_call_expression']);
const CONTAINERS = new Set(['class_declaration', 'interface_declaration', 'trait_declaration', 'enum_declaration']);

function readLiteral(node: Node, text: string): LiteralRead {
  if (node.type !== 'string' && node.type !== 'encapsed_string') return null;
  for (const c of node.namedChildren) if (c && c.type !== 'string_content' && c.type !== 'string_value') return 'dynamic';
  const q = text[node.startIndex];
  if (q !== '"' && q !== "'") return 'dynamic';
  return quoted(node, text, 1, 1);
}

function callAt(name: Node, text: string): CallSite | null {
  if (name.type !== 'name') return null;
  const call = name.parent;
  if (!call || !CALLS.has(call.type)) return null;
  const fieldName = call.type === 'function_call_expression' ? 'function' : 'name';
  const nameField = call.childForFieldName(fieldName);
  if (nameField?.id !== name.id && !(fieldName === 'function' && nameField?.type === 'qualified_name' && nameField.endIndex === name.endIndex)) return null;
  const args: ArgSite[] = [];
  for (const a of namedChildrenOf(call.childForFieldName('arguments'))) {
    if (a.type !== 'argument') continue;
    const label = a.childForFieldName('name');
    const kids = namedChildrenOf(a);
    const value = kids[kids.length - 1];
    if (!value || value.id === label?.id) continue;
    if (a.text.startsWith('...')) break;
    args.push({ node: value, name: label?.text });
  }
  const receiver = call.type === 'function_call_expression' ? null : receiverText(text, call.startIndex, name.startIndex);
  return { node: call, method: name.text, receiver, args };
}

function readConstants(root: Node, text: string): ConstantDef[] {
  const defs: ConstantDef[] = [];
  for (const el of root.descendantsOfType('const_element')) {
    if (!el) continue;
    const kids = namedChildrenOf(el);
    const name = kids.find((k) => k.type === 'name');
    const value = kids[kids.length - 1];
    if (!name || !value) continue;
    const literal = readLiteral(value, text);
    if (!literal || literal === 'dynamic') continue;
    const containers: string[] = [];
    for (let p = el.parent; p; p = p.parent) if (CONTAINERS.has(p.type)) containers.unshift(p.childForFieldName('name')?.text ?? '?');
    defs.push({ names: containers.length ? memberNames(containers, name.text) : [name.text], literal });
  }
  return defs;
}

export const php: LanguageAdapter = {
  grammar: 'php',
  importEvidence: /^[ \t]*use[ \t]+\\?PostHog\\|\\PostHog\\PostHog\b/m,
  callAt,
  readLiteral,
  referenceTypes: new Set(['class_constant_access_expression', 'name', 'qualified_name']),
  unwrap: (n) => (n.type === 'parenthesized_expression' && n.namedChildCount === 1 ? n.namedChild(0)! : n),
  readConstants,
};
