import type { Node } from 'web-tree-sitter';
import { memberNames, namedChildrenOf, quoted, receiverText, type CallSite, type ConstantDef, type LanguageAdapter, type LiteralRead } from '../adapter';
import type { AdapterHooks } from '../adapter-hooks';
import { jvmKeyArg } from './jvm-key-arg';

const CONTAINERS = new Set(['class_declaration', 'interface_declaration', 'enum_declaration', 'record_declaration']);
const BODIES = new Set(['class_body', 'interface_body', 'enum_body_declarations', 'enum_body']);

function readLiteral(node: Node, text: string): LiteralRead {
  if (node.type !== 'string_literal') return null;
  if (text.startsWith('"""', node.startIndex)) return 'dynamic';
  return quoted(node, text, 1, 1);
}

function callAt(name: Node, text: string): CallSite | null {
  const call = name.parent;
  if (call?.type !== 'method_invocation' || call.childForFieldName('name')?.id !== name.id) return null;
  const object = call.childForFieldName('object');
  const args = namedChildrenOf(call.childForFieldName('arguments')).map((node) => ({ node }));
  return { node: call, method: name.text, receiver: object ? receiverText(text, call.startIndex, name.startIndex) : null, args };
}

/** `static final String X = "x"` (any `final` field) and interface constants. */
function readConstants(root: Node, text: string): ConstantDef[] {
  const defs: ConstantDef[] = [];
  for (const field of root.descendantsOfType(['field_declaration', 'constant_declaration'])) {
    if (!field || !field.parent || !BODIES.has(field.parent.type)) continue;
    const modifiers = namedChildrenOf(field).find((n) => n.type === 'modifiers')?.text ?? '';
    if (field.type === 'field_declaration' && !/\bfinal\b/.test(modifiers)) continue;
    const containers: string[] = [];
    for (let p: Node | null = field.parent; p; p = p.parent) if (CONTAINERS.has(p.type)) containers.unshift(p.childForFieldName('name')?.text ?? '?');
    for (const d of field.childrenForFieldName('declarator')) {
      const name = d?.childForFieldName('name');
      const value = d?.childForFieldName('value');
      const literal = value ? readLiteral(value, text) : null;
      if (name && literal && literal !== 'dynamic') defs.push({ names: memberNames(containers, name.text), literal });
    }
  }
  return defs;
}

export const java: LanguageAdapter & AdapterHooks = {
  grammar: 'java',
  importEvidence: /^[ \t]*import[ \t]+(?:static[ \t]+)?com\.posthog\b/m,
  membersVisibleBare: true,
  callAt,
  readLiteral,
  referenceTypes: new Set(['identifier', 'field_access']),
  unwrap: (n) => (n.type === 'parenthesized_expression' && n.namedChildCount === 1 ? n.namedChild(0)! : n),
  readConstants,
  keyArgIndex: jvmKeyArg,
};
