import type { Node } from 'web-tree-sitter';
import { memberNames, namedChildrenOf, quoted, receiverText, type ArgSite, type CallSite, type ConstantDef, type LanguageAdapter, type LiteralRead } from '../adapter';

const CONTAINERS = new Set(['class_declaration', 'protocol_declaration']);
const LOCAL_SCOPES = new Set(['function_body', 'lambda_literal', 'computed_property', 'init_declaration']);

function readLiteral(node: Node, text: string): LiteralRead {
  if (node.type !== 'line_string_literal' && node.type !== 'multi_line_string_literal') return null;
  if (node.childrenForFieldName('interpolation').some((c) => c)) return 'dynamic';
  for (const c of node.namedChildren) if (c && c.type !== 'line_str_text' && c.type !== 'multi_line_str_text') return 'dynamic';
  const d = node.type === 'multi_line_string_literal' ? 3 : 1;
  if (text[node.startIndex] !== '"') return 'dynamic';
  return quoted(node, text, d, d);
}

function callAt(name: Node, text: string): CallSite | null {
  if (name.type !== 'simple_identifier') return null;
  let fn: Node | null = name;
  if (name.parent?.type === 'navigation_suffix') {
    fn = name.parent.parent;
    if (fn?.type !== 'navigation_expression' || fn.childForFieldName('suffix')?.id !== name.parent.id) return null;
  }
  const call = fn.parent;
  if (call?.type !== 'call_expression' || call.firstNamedChild?.id !== fn.id) return null;
  const suffix = namedChildrenOf(call).find((n) => n.type === 'call_suffix');
  const valueArgs = namedChildrenOf(suffix ?? null).find((n) => n.type === 'value_arguments');
  const args: ArgSite[] = [];
  for (const a of namedChildrenOf(valueArgs ?? null)) {
    const value = a.childForFieldName('value');
    if (value) args.push({ node: value, name: a.childForFieldName('name')?.text.replace(/\s+/g, '') });
  }
  return { node: call, method: name.text, receiver: fn === name ? null : receiverText(text, call.startIndex, name.startIndex), args };
}

function containersOf(node: Node): { names: string[]; local: boolean } {
  const names: string[] = [];
  for (let p = node.parent; p; p = p.parent) {
    if (LOCAL_SCOPES.has(p.type)) return { names, local: true };
    if (CONTAINERS.has(p.type)) names.unshift(p.childForFieldName('name')?.text ?? '?');
  }
  return { names, local: false };
}

/** `let x = "k"` (top level, `static let` in types) and `enum Flag: String { case x = "k" }` → `Flag.x.rawValue`. */
function readConstants(root: Node, text: string): ConstantDef[] {
  const defs: ConstantDef[] = [];
  for (const node of root.descendantsOfType(['property_declaration', 'enum_entry'])) {
    if (!node) continue;
    const { names: containers, local } = containersOf(node);
    if (local) continue;
    if (node.type === 'property_declaration') {
      if (namedChildrenOf(node).find((k) => k.type === 'value_binding_pattern')?.text !== 'let') continue;
      const name = node.childForFieldName('name');
      const value = node.childForFieldName('value');
      const literal = value ? readLiteral(value, text) : null;
      if (name?.type !== 'pattern' || !literal || literal === 'dynamic') continue;
      defs.push({ names: containers.length ? memberNames(containers, name.text) : [name.text], literal });
    } else {
      const enumDecl = node.parent?.parent;
      const isStringEnum = !!enumDecl && namedChildrenOf(enumDecl).some((k) => k.type === 'inheritance_specifier' && k.text === 'String');
      if (!isStringEnum || !containers.length) continue;
      const cases = node.childrenForFieldName('name').filter((n): n is Node => !!n);
      const raws = node.childrenForFieldName('raw_value').filter((n): n is Node => !!n);
      cases.forEach((c, i) => {
        // A String enum case without a raw value has its own name as raw value.
        const raw = raws[i] ? readLiteral(raws[i], text) : raws.length === 0 ? { value: c.text, start: c.startIndex, end: c.endIndex } : null;
        if (raw && raw !== 'dynamic') defs.push({ names: memberNames(containers, `${c.text}.rawValue`), literal: raw });
      });
    }
  }
  return defs;
}

export const swift: LanguageAdapter = {
  grammar: 'swift',
  importEvidence: /^[ \t]*(?:@testable[ \t]+)?import[ \t]+PostHog\b/m,
  membersVisibleBare: true,
  callAt,
  readLiteral,
  referenceTypes: new Set(['simple_identifier', 'navigation_expression']),
  unwrap: (n) => (n.type === 'tuple_expression' && n.namedChildCount === 1 ? (n.namedChild(0)?.childForFieldName('value') ?? n) : n),
  readConstants,
};
