import type { Node } from 'web-tree-sitter';

/**
 * What each grammar adapter tells the shared extraction engine
 * (./extract-file.ts). Offsets are JS string indexes (UTF-16 code units),
 * which is what web-tree-sitter 0.25 reports for a tree parsed from a string.
 */

/** One argument of a call: the expression node and its label for named/keyword arguments. */
export interface ArgSite {
  node: Node;
  name?: string;
}

/** A call whose method name matched an SDK name. */
export interface CallSite {
  node: Node;
  method: string;
  /** Receiver source text without trailing `.`, `?.`, `::`, `->`; null for a bare call. */
  receiver: string | null;
  args: ArgSite[];
}

/** A string literal's value and the offsets of its content (quotes excluded). */
export interface StringLiteral {
  value: string;
  start: number;
  end: number;
}

/** `null`: not a string literal; `'dynamic'`: a string with interpolation, escapes or concatenation. */
export type LiteralRead = StringLiteral | 'dynamic' | null;

/** A same-file constant: every name it can be referenced by, and its literal. */
export interface ConstantDef {
  /** e.g. `NEW_CHECKOUT`, `Flags.NEW`, `#NEW` (member reached through self/this/cls/static). */
  names: string[];
  literal: StringLiteral;
}

export interface LanguageAdapter {
  grammar: string;
  /** Line-anchored evidence that the file uses a PostHog SDK (an import or require). */
  importEvidence: RegExp;
  /** Every C#-style call needs evidence, even names that are not marked generic. */
  alwaysNeedsEvidence?: boolean;
  /** Class members are visible by bare name inside the class (Java, Kotlin, C#, Swift, Dart, Ruby). */
  membersVisibleBare?: boolean;
  /** Extra words that make a file worth parsing (Go's `FeatureFlagPayload`). */
  extraTriggers?: string[];
  /** The call whose method name is the identifier `nameNode`, or null. */
  callAt(nameNode: Node, text: string): CallSite | null;
  /** Reads a string literal node. */
  readLiteral(node: Node, text: string): LiteralRead;
  /** Node types that are plain references (identifiers, member access, scope resolution). */
  referenceTypes: ReadonlySet<string>;
  /** Strips wrappers that do not change the value (parentheses, Go `string(x)`), or returns the node. */
  unwrap?(node: Node): Node;
  /** Every same-file constant with a string literal value. */
  readConstants(root: Node, text: string): ConstantDef[];
}

const COMMENT = /comment/;

/** Named children that are not comments. */
export function namedChildrenOf(node: Node | null): Node[] {
  if (!node) return [];
  const out: Node[] = [];
  for (const c of node.namedChildren) if (c && !COMMENT.test(c.type)) out.push(c);
  return out;
}

/** Receiver text between the call's start and the method name, separators trimmed. */
export function receiverText(text: string, start: number, nameStart: number): string | null {
  const raw = text.slice(start, nameStart).replace(/(?:\?\.|\?->|->|::|\.|\?|!|\s)+$/, '');
  return raw.length ? raw : null;
}

/**
 * The content of a quoted literal `node` with `open`/`close` delimiter lengths.
 * Content with a backslash is reported as dynamic (keys never need escapes).
 */
export function quoted(node: Node, text: string, open: number, close: number): LiteralRead {
  const start = node.startIndex + open;
  const end = node.endIndex - close;
  if (end < start) return 'dynamic';
  const value = text.slice(start, end);
  if (value.includes('\\')) return 'dynamic';
  return { value, start, end };
}

/** Nearest ancestor of one of `types`, stopping at (and returning null for) `stopTypes`. */
export function ancestor(node: Node, types: ReadonlySet<string>, stopTypes?: ReadonlySet<string>): Node | null {
  for (let p = node.parent; p; p = p.parent) {
    if (types.has(p.type)) return p;
    if (stopTypes?.has(p.type)) return null;
  }
  return null;
}

/** Registers a member constant under `Outer.Inner.NAME`, `Inner.NAME` and `#NAME`. */
export function memberNames(containers: string[], name: string): string[] {
  const names = [`#${name}`];
  for (let i = 0; i < containers.length; i++) names.push([...containers.slice(i), name].join('.'));
  return names;
}
