import type { Node } from 'web-tree-sitter';
import { memberNames, namedChildrenOf, quoted, receiverText, type ArgSite, type CallSite, type ConstantDef, type LanguageAdapter, type LiteralRead } from '../adapter';
import type { AdapterHooks } from '../adapter-hooks';
import { jvmKeyArg } from './jvm-key-arg';

const DYNAMIC_PARTS = new Set(['interpolated_identifier', 'interpolated_expression', 'character_escape_seq']);
const CONTAINERS = new Set(['class_declaration', 'object_declaration']);
const LOCAL_SCOPES = new Set(['function_body', 'lambda_literal', 'anonymous_function', 'getter', 'setter', 'anonymous_initializer']);

function readLiteral(node: Node, text: string): LiteralRead {
  if (node.type !== 'string_literal') return null;
  for (const c of node.namedChildren) if (c && DYNAMIC_PARTS.has(c.type)) return 'dynamic';
  const triple = text.startsWith('"""', node.startIndex);
  return quoted(node, text, triple ? 3 : 1, triple ? 3 : 1);
}

function callAt(name: Node, text: string): CallSite | null {
  if (name.type !== 'simple_identifier') return null;
  let fn: Node | null = name;
  if (name.parent?.type === 'navigation_suffix') {
    fn = name.parent.parent;
    if (fn?.type !== 'navigation_expression' || fn.lastNamedChild?.id !== name.parent.id) return null;
  }
  const call = fn.parent;
  if (call?.type !== 'call_expression' || call.firstNamedChild?.id !== fn.id) return null;
  const suffix = namedChildrenOf(call).find((n) => n.type === 'call_suffix');
  const valueArgs = namedChildrenOf(suffix ?? null).find((n) => n.type === 'value_arguments');
  const args: ArgSite[] = [];
  for (const a of namedChildrenOf(valueArgs ?? null)) {
    if (a.type !== 'value_argument') continue;
    const kids = namedChildrenOf(a);
    const value = kids[kids.length - 1];
    if (!value) continue;
    const named = a.children.some((c) => c?.type === '=');
    args.push({ node: value, name: named ? kids[0]?.text : undefined });
  }
  return { node: call, method: name.text, receiver: fn === name ? null : receiverText(text, call.startIndex, name.startIndex), args };
}

function containerName(node: Node): string | null {
  if (node.type === 'companion_object') return null;
  return namedChildrenOf(node).find((n) => n.type === 'type_identifier')?.text ?? '?';
}

/** `const val X = "x"` / `val X = "x"` at top level, in objects, companions and classes; enum entries with a string property. */
function readConstants(root: Node, text: string): ConstantDef[] {
  const defs: ConstantDef[] = [];
  for (const node of root.descendantsOfType(['property_declaration', 'enum_entry'])) {
    if (!node) continue;
    const containers: string[] = [];
    let local = false;
    for (let p = node.parent; p; p = p.parent) {
      if (LOCAL_SCOPES.has(p.type)) local = true;
      else if (CONTAINERS.has(p.type)) {
        const n = containerName(p);
        if (n) containers.unshift(n);
      }
    }
    if (local) continue;
    const kids = namedChildrenOf(node);
    if (node.type === 'property_declaration') {
      if (kids.find((k) => k.type === 'binding_pattern_kind')?.text !== 'val') continue;
      const name = kids.find((k) => k.type === 'variable_declaration')?.namedChild(0);
      const value = kids[kids.length - 1];
      const literal = value ? readLiteral(value, text) : null;
      if (!name || !literal || literal === 'dynamic') continue;
      defs.push({ names: containers.length ? memberNames(containers, name.text) : [name.text], literal });
    } else {
      // enum class Flag(val key: String) { BETA("beta") } → Flag.BETA.key
      const entry = kids.find((k) => k.type === 'simple_identifier');
      const firstArg = namedChildrenOf(kids.find((k) => k.type === 'value_arguments') ?? null)[0];
      const value = firstArg ? namedChildrenOf(firstArg).pop() : undefined;
      const literal = value ? readLiteral(value, text) : null;
      const enumClass = ancestorOfType(node, 'class_declaration');
      const param = enumClass ? namedChildrenOf(namedChildrenOf(enumClass).find((k) => k.type === 'primary_constructor') ?? null)[0] : undefined;
      const prop = param && /^\s*(?:(?:private|public|internal)\s+)?val\b/.test(param.text) ? namedChildrenOf(param).find((k) => k.type === 'simple_identifier')?.text : undefined;
      if (!entry || !literal || literal === 'dynamic' || !prop || !containers.length) continue;
      defs.push({ names: memberNames(containers, `${entry.text}.${prop}`), literal });
    }
  }
  return defs;
}

function ancestorOfType(node: Node, type: string): Node | null {
  for (let p = node.parent; p; p = p.parent) if (p.type === type) return p;
  return null;
}

export const kotlin: LanguageAdapter & AdapterHooks = {
  grammar: 'kotlin',
  importEvidence: /^[ \t]*import[ \t]+com\.posthog\b/m,
  membersVisibleBare: true,
  callAt,
  readLiteral,
  referenceTypes: new Set(['simple_identifier', 'navigation_expression']),
  unwrap: (n) => (n.type === 'parenthesized_expression' && n.namedChildCount === 1 ? n.namedChild(0)! : n),
  readConstants,
  keyArgIndex: jvmKeyArg,
};
