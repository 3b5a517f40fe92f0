import type { Node } from 'web-tree-sitter';
import { namedChildrenOf, quoted, receiverText, type CallSite, type ConstantDef, type LanguageAdapter, type LiteralRead } from '../adapter';
import type { AdapterHooks } from '../adapter-hooks';

const PAYLOAD_TYPE = 'FeatureFlagPayload';
const FUNCTION_TYPES = new Set(['function_declaration', 'method_declaration', 'func_literal']);

function readLiteral(node: Node, text: string): LiteralRead {
  if (node.type === 'interpreted_string_literal' || node.type === 'raw_string_literal') return quoted(node, text, 1, 1);
  return null;
}

function callAt(name: Node, text: string): CallSite | null {
  let fn: Node | null = name;
  if (name.type === 'field_identifier') {
    fn = name.parent;
    if (fn?.type !== 'selector_expression' || fn.childForFieldName('field')?.id !== name.id) return null;
  } else if (name.type !== 'identifier') return null;
  const call = fn.parent;
  if (call?.type !== 'call_expression' || call.childForFieldName('function')?.id !== fn.id) return null;
  const args = namedChildrenOf(call.childForFieldName('arguments')).map((node) => ({ node }));
  return { node: call, method: name.text, receiver: fn === name ? null : receiverText(text, call.startIndex, name.startIndex), args };
}

/** `posthog.FeatureFlagPayload{…}` or `&…{…}` → its composite literal. */
function payloadLiteral(node: Node | null): Node | null {
  if (node?.type === 'unary_expression') node = node.childForFieldName('operand');
  if (node?.type !== 'composite_literal') return null;
  const type = node.childForFieldName('type');
  if (!type || !(type.text === PAYLOAD_TYPE || type.text.endsWith('.' + PAYLOAD_TYPE))) return null;
  return node;
}

function fieldValue(literal: Node, field: string): Node | null {
  for (const el of namedChildrenOf(literal.childForFieldName('body'))) {
    if (el.type !== 'keyed_element') continue;
    const [k, v] = namedChildrenOf(el);
    if (k?.text === field && v) return v.type === 'literal_element' ? (v.namedChild(0) ?? v) : v;
  }
  return null;
}

/** The payload literal bound to `name` by the last declaration before `before` in the same function. */
function payloadVariable(call: Node, name: string): Node | null {
  let fn: Node | null = call.parent;
  while (fn && !FUNCTION_TYPES.has(fn.type)) fn = fn.parent;
  if (!fn) return null;
  let found: Node | null = null;
  for (const decl of fn.descendantsOfType(['short_var_declaration', 'assignment_statement', 'var_spec'])) {
    if (!decl || decl.startIndex >= call.startIndex) continue;
    const left = decl.type === 'var_spec' ? namedChildrenOf(decl).filter((n) => n.type === 'identifier') : namedChildrenOf(decl.childForFieldName('left'));
    const rightList = decl.childForFieldName(decl.type === 'var_spec' ? 'value' : 'right');
    const right = rightList ? namedChildrenOf(rightList) : [];
    const i = left.findIndex((n) => n.text === name);
    if (i >= 0) found = payloadLiteral(right[i] ?? null);
  }
  return found;
}

const hooks: AdapterHooks = {
  structKey(call, sdk) {
    if (sdk.key.form !== 'struct-field') return null;
    const arg = call.args[0]?.node;
    if (!arg) return null;
    const literal = payloadLiteral(arg) ?? (arg.type === 'identifier' ? payloadVariable(call.node, arg.text) : null);
    return literal ? fieldValue(literal, sdk.key.field) : null;
  },
};

function readConstants(root: Node, text: string): ConstantDef[] {
  const defs: ConstantDef[] = [];
  for (const spec of root.descendantsOfType('const_spec')) {
    if (!spec) continue;
    const names = spec.childrenForFieldName('name').filter((n): n is Node => !!n);
    const values = namedChildrenOf(spec.childForFieldName('value'));
    names.forEach((n, i) => {
      const v = values[i] ? readLiteral(values[i], text) : null;
      if (v && v !== 'dynamic') defs.push({ names: [n.text], literal: v });
    });
  }
  return defs;
}

export const go: LanguageAdapter & AdapterHooks = {
  grammar: 'go',
  importEvidence: /"github\.com\/posthog\/posthog-go(?:\/[^"]*)?"/,
  callAt,
  readLiteral,
  referenceTypes: new Set(['identifier', 'selector_expression']),
  unwrap(n) {
    for (;;) {
      if (n.type === 'parenthesized_expression' && n.namedChildCount === 1) n = n.namedChild(0)!;
      else if (n.type === 'call_expression' && n.childForFieldName('function')?.text === 'string' && n.childForFieldName('arguments')?.namedChildCount === 1) n = n.childForFieldName('arguments')!.namedChild(0)!;
      else return n;
    }
  },
  readConstants,
  ...hooks,
};
