import type { Node } from 'web-tree-sitter';
import { memberNames, namedChildrenOf, type ArgSite, type CallSite, type ConstantDef, type LanguageAdapter, type LiteralRead } from '../adapter';

const SELECTORS = new Set(['unconditional_assignable_selector', 'conditional_assignable_selector']);
const LOCAL_SCOPES = new Set(['function_body', 'block', 'function_expression_body']);
const DART_STRING = /^(r?)('''|"""|'|")([\s\S]*)\2$/;

/**
 * The Dart grammar has no call node: `Posthog().isFeatureEnabled('k')` is a
 * run of siblings `identifier selector(argument_part) selector(.isFeatureEnabled)
 * selector(argument_part)`. A call is a selector holding the method name
 * followed by a selector holding arguments.
 */
function callAt(name: Node, text: string): CallSite | null {
  if (name.type !== 'identifier') return null;
  const access = name.parent;
  let nameSelector: Node | null;
  let receiver: string | null = null;
  if (access && SELECTORS.has(access.type) && access.parent?.type === 'selector') {
    nameSelector = access.parent;
    let first: Node = nameSelector;
    for (let prev = first.previousSibling; prev; prev = prev.previousSibling) {
      first = prev;
      if (prev.type !== 'selector') break;
    }
    receiver = text.slice(first.startIndex, nameSelector.startIndex).replace(/^await\s+/, '').trim() || null;
  } else {
    nameSelector = name; // bare call: `isFeatureEnabled('k')` inside a PostHog subclass or after a show-import
  }
  const argSelector = nameSelector.nextSibling;
  const argPart = argSelector?.type === 'selector' ? argSelector.firstNamedChild : null;
  if (argPart?.type !== 'argument_part') return null;
  const argList = namedChildrenOf(argPart).find((n) => n.type === 'arguments');
  const args: ArgSite[] = [];
  for (const a of namedChildrenOf(argList ?? null)) {
    if (a.type === 'argument') args.push({ node: a });
    else if (a.type === 'named_argument') {
      const kids = namedChildrenOf(a);
      const label = kids.find((k) => k.type === 'label');
      const value = kids[kids.length - 1];
      if (value && value !== label) args.push({ node: value, name: label?.text.replace(/[\s:]/g, '') });
    }
  }
  return { node: argSelector!, method: name.text, receiver, args };
}

function readLiteral(node: Node, text: string): LiteralRead {
  if (node.type !== 'string_literal') return null;
  const raw = text.slice(node.startIndex, node.endIndex);
  const m = DART_STRING.exec(raw);
  if (!m || m[3].includes(m[2][0]) || node.namedChildCount > 0) return 'dynamic';
  if (!m[1] && (m[3].includes('\\') || m[3].includes('$'))) return 'dynamic';
  const start = node.startIndex + m[1].length + m[2].length;
  return { value: m[3], start, end: start + m[3].length };
}

/** `argument` wraps the expression as siblings; a single child is the expression. */
function unwrap(node: Node): Node {
  while ((node.type === 'argument' || node.type === 'parenthesized_expression') && node.namedChildCount === 1) node = node.namedChild(0)!;
  return node;
}

/** Top-level `const`/`final` and `static const` class fields. */
function readConstants(root: Node, text: string): ConstantDef[] {
  const defs: ConstantDef[] = [];
  for (const decl of root.descendantsOfType('static_final_declaration')) {
    if (!decl) continue;
    const [name, value] = namedChildrenOf(decl);
    const literal = value ? readLiteral(value, text) : null;
    if (name?.type !== 'identifier' || !literal || literal === 'dynamic') continue;
    const containers: string[] = [];
    let local = false;
    for (let p = decl.parent; p; p = p.parent) {
      if (LOCAL_SCOPES.has(p.type)) local = true;
      else if (p.type === 'class_definition' || p.type === 'extension_declaration' || p.type === 'mixin_declaration') containers.unshift(p.childForFieldName('name')?.text ?? '?');
    }
    if (local) continue;
    defs.push({ names: containers.length ? memberNames(containers, name.text) : [name.text], literal });
  }
  return defs;
}

export const dart: LanguageAdapter = {
  grammar: 'dart',
  importEvidence: /^[ \t]*import[ \t]+['"]package:posthog_flutter\//m,
  membersVisibleBare: true,
  callAt,
  readLiteral,
  // An `argument` made only of identifiers and `.name` selectors is a reference.
  referenceTypes: new Set(['identifier', 'argument']),
  unwrap,
  readConstants,
};

