import type { Node } from 'web-tree-sitter';
import type { SdkCall } from '../sdk-calls';
import type { CallSite } from './adapter';

/** What an adapter's per-call hooks may ask the engine. */
export interface CallContext {
  text: string;
  /** True when the file imports a PostHog SDK (the adapter's `importEvidence`). */
  fileHasImport(): boolean;
  /** True when `node` is a string literal or a same-file constant that resolves to one. */
  isKeyLike(node: Node): boolean;
}

/** Optional hooks for call forms that are not "key at positional argument N". */
export interface AdapterHooks {
  /**
   * Positional index of the key for `call` (JVM: the server SDK takes the
   * distinct id first). Return undefined to use the table's `arg`.
   */
  keyArgIndex?(call: CallSite, sdk: SdkCall, positional: Node[], ctx: CallContext): number | undefined;
  /**
   * For `struct-field` calls (Go): the node holding the key field's value, or
   * null when the argument is not a recognisable payload literal.
   */
  structKey?(call: CallSite, sdk: SdkCall, ctx: CallContext): Node | null;
}
