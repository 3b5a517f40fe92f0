import type { Node } from 'web-tree-sitter';
import { memberNames, namedChildrenOf, quoted, receiverText, type ArgSite, type CallSite, type ConstantDef, type LanguageAdapter, type LiteralRead } from '../adapter';

const CONTAINERS = new Set(['class_declaration', 'struct_declaration', 'interface_declaration', 'record_declaration']);

function readLiteral(node: Node, text: string): LiteralRead {
  switch (node.type) {
    case 'string_literal':
      return quoted(node, text, 1, 1);
    case 'verbatim_string_literal':
      return quoted(node, text, 2, 1);
    case 'raw_string_literal': {
      const m = /^"{3,}/.exec(text.slice(node.startIndex, node.startIndex + 16));
      return m ? quoted(node, text, m[0].length, m[0].length) : 'dynamic';
    }
    case 'interpolated_string_expression':
      return 'dynamic';
    default:
      return null;
  }
}

function callAt(name: Node, text: string): CallSite | null {
  if (name.type !== 'identifier') return null;
  let fn = name.parent;
  if (fn?.type === 'member_binding_expression') fn = fn.parent; // posthog?.X(…)
  else if (fn?.type === 'generic_name') fn = fn.parent;
  if (!fn || (fn.type !== 'member_access_expression' && fn.type !== 'conditional_access_expression')) return null;
  const call = fn.parent;
  if (call?.type !== 'invocation_expression' || call.childForFieldName('function')?.id !== fn.id) return null;
  const args: ArgSite[] = [];
  for (const a of namedChildrenOf(call.childForFieldName('arguments'))) {
    if (a.type !== 'argument') continue;
    const kids = namedChildrenOf(a);
    const label = kids.find((k) => k.type === 'name_colon');
    const value = kids[kids.length - 1];
    if (value && value !== label) args.push({ node: value, name: label ? label.text.replace(/[\s:]/g, '') : undefined });
  }
  return { node: call, method: name.text, receiver: receiverText(text, call.startIndex, name.startIndex), args };
}

/** `const string X = "x"` and `static readonly string X = "x"` fields. */
function readConstants(root: Node, text: string): ConstantDef[] {
  const defs: ConstantDef[] = [];
  for (const field of root.descendantsOfType('field_declaration')) {
    if (!field) continue;
    const modifiers = namedChildrenOf(field).filter((k) => k.type === 'modifier').map((k) => k.text);
    if (!modifiers.includes('const') && !modifiers.includes('readonly')) continue;
    const containers: string[] = [];
    for (let p = field.parent; p; p = p.parent) if (CONTAINERS.has(p.type)) containers.unshift(p.childForFieldName('name')?.text ?? '?');
    const decl = namedChildrenOf(field).find((k) => k.type === 'variable_declaration');
    for (const d of namedChildrenOf(decl ?? null)) {
      if (d.type !== 'variable_declarator') continue;
      const kids = namedChildrenOf(d);
      const name = kids.find((k) => k.type === 'identifier');
      const eq = kids.find((k) => k.type === 'equals_value_clause');
      const value = eq ? namedChildrenOf(eq)[0] : kids[kids.length - 1];
      const literal = value && value !== name ? readLiteral(value, text) : null;
      if (name && literal && literal !== 'dynamic') defs.push({ names: memberNames(containers, name.text), literal });
    }
  }
  return defs;
}

export const csharp: LanguageAdapter = {
  grammar: 'c_sharp',
  importEvidence: /^[ \t]*(?:global[ \t]+)?using[ \t]+(?:static[ \t]+)?PostHog\b|\bIPostHogClient\b/m,
  alwaysNeedsEvidence: true,
  membersVisibleBare: true,
  callAt,
  readLiteral,
  referenceTypes: new Set(['identifier', 'member_access_expression']),
  unwrap: (n) => (n.type === 'parenthesized_expression' && n.namedChildCount === 1 ? n.namedChild(0)! : n),
  readConstants,
};
