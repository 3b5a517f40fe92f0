import type { Node, Parser } from 'web-tree-sitter';
import type { LanguageInfo } from '../languages';
import { KEY_ARGUMENT_LABELS, POSTHOG_RECEIVER, callsFor, type SdkCall } from '../sdk-calls';
import { LineMap, wellFormedText } from '../text';
import type { Unresolved, Usage } from '../types';
import type { ArgSite, CallSite, LanguageAdapter, StringLiteral } from './adapter';
import type { AdapterHooks, CallContext } from './adapter-hooks';
import { blankQuietGo, blankQuietPython, includedRanges } from './quiet-bodies';

export interface ExtractOutput {
  usages: Usage[];
  unresolved: Unresolved[];
}

/**
 * Receivers that belong to other feature-flag vendors: a call on one of them
 * is never claimed, whatever the file imports.
 */
// Braze (formerly Appboy) has a `getFeatureFlag(id)` of its own on Android, iOS and Flutter.
export const OTHER_VENDOR_RECEIVER = /launchdarkly|ldclient|ld_client|unleash|flagsmith|optimizely|growthbook|statsig|splitio|split_client|splitclient|configcat|devcycle|flipt|openfeature|featuremanager|feature_manager|flipper|rollout|braze|appboy/i;

const REF_SHAPE = /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*$/;
const SELF_PREFIX = /^(?:self|cls|this|static|Self|\$this)\./;

interface Trigger {
  regex: RegExp;
  calls: Map<string, SdkCall>;
}
const triggers = new Map<string, Trigger>();

function triggerFor(adapter: LanguageAdapter, family: LanguageInfo['family']): Trigger {
  const id = `${adapter.grammar}/${family}`;
  let t = triggers.get(id);
  if (!t) {
    const calls = callsFor(family);
    const words = [...calls.keys(), ...(adapter.extraTriggers ?? [])].sort((a, b) => b.length - a.length);
    const alt = words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
    t = { regex: new RegExp(`(?<![\\w$])(?:${alt})(?![\\w$?!])`, 'g'), calls };
    triggers.set(id, t);
  }
  return t;
}

/** Offsets of SDK-name words in `text` (cheap: no parse when there are none). */
export function triggerOffsets(adapter: LanguageAdapter, family: LanguageInfo['family'], text: string): Array<[number, string]> {
  const { regex } = triggerFor(adapter, family);
  regex.lastIndex = 0;
  const out: Array<[number, string]> = [];
  for (let m = regex.exec(text); m; m = regex.exec(text)) out.push([m.index, m[0]]);
  return out;
}

/** Blank quiet function bodies before parsing (Go, Python; see quiet-bodies.ts), in texts of at least `minLength`. */
export interface QuietOptions {
  minLength: number;
}

/**
 * Finds PostHog flag usages in one file. Parses only when an SDK name occurs
 * in the text; always deletes the tree it made. `cancel` is polled while
 * parsing (every few hundred parser steps); when it returns true the parse
 * stops and this throws.
 */
export function extractFile(adapter: LanguageAdapter & AdapterHooks, parser: Parser, file: string, text: string, lang: LanguageInfo, quiet?: QuietOptions, cancel?: () => boolean): ExtractOutput {
  const out: ExtractOutput = { usages: [], unresolved: [] };
  const hits = triggerOffsets(adapter, lang.family, text);
  if (hits.length === 0) return out;
  const source = wellFormedText(text);
  const tree = (quiet && source.length >= quiet.minLength && quietTree(parser, adapter.grammar, source, hits, cancel)) || parser.parse(source, null, { progressCallback: cancel });
  if (!tree) throw new Error('tree-sitter returned no tree');
  try {
    new FileExtraction(adapter, tree.rootNode, file, text, lang, out).run(hits, triggerFor(adapter, lang.family).calls);
  } finally {
    tree.delete();
  }
  return out;
}

/**
 * The tree of the text with its quiet function bodies blanked (Go, Python;
 * see quiet-bodies.ts), or undefined to parse the whole text: other
 * languages, nothing blanked, or a blanked text that does not parse cleanly.
 */
function quietTree(parser: Parser, grammar: string, text: string, hits: Array<[number, string]>, cancel?: () => boolean) {
  if (grammar !== 'go' && grammar !== 'python') return undefined;
  const offsets = hits.map(([at]) => at);
  const quiet = grammar === 'go' ? blankQuietGo(text, offsets) : blankQuietPython(text, offsets);
  // The blanks are left out of the parse altogether (tree-sitter's included ranges), not only blanked.
  const tree = quiet === undefined ? null : parser.parse(quiet.text, null, { includedRanges: includedRanges(quiet.text, quiet.skip), progressCallback: cancel });
  if (!tree) return undefined;
  if (!tree.rootNode.hasError) return tree;
  tree.delete();
  return undefined;
}

type Resolution =
  | { kind: 'literal'; key: string; start: number; end: number }
  | { kind: 'constant'; key: string; start: number; end: number; keySite: StringLiteral }
  | { kind: 'unresolved'; start: number; end: number };

class FileExtraction implements CallContext {
  private constants?: Map<string, StringLiteral | null>;
  private importSeen?: boolean;
  private lines?: LineMap;
  private readonly seen = new Set<number>();

  constructor(
    private readonly adapter: LanguageAdapter & AdapterHooks,
    private readonly root: Node,
    private readonly file: string,
    readonly text: string,
    private readonly lang: LanguageInfo,
    private readonly out: ExtractOutput,
  ) {}

  run(hits: Array<[number, string]>, calls: Map<string, SdkCall>): void {
    for (const [offset, word] of hits) {
      const sdk = calls.get(word);
      if (!sdk) continue;
      const nameNode = this.root.descendantForIndex(offset, offset + word.length);
      if (!nameNode || nameNode.startIndex !== offset || nameNode.endIndex !== offset + word.length) continue;
      const call = this.adapter.callAt(nameNode, this.text);
      if (!call || this.seen.has(call.node.id)) continue;
      this.seen.add(call.node.id);
      this.handleCall(call, sdk);
    }
  }

  fileHasImport(): boolean {
    return (this.importSeen ??= this.adapter.importEvidence.test(this.text));
  }

  isKeyLike(node: Node): boolean {
    const r = this.resolve(node);
    return r.kind !== 'unresolved';
  }

  private receiverVerdict(call: CallSite): 'posthog' | 'other' | 'unknown' {
    if (call.receiver === null) return 'unknown';
    if (POSTHOG_RECEIVER.test(call.receiver)) return 'posthog';
    if (OTHER_VENDOR_RECEIVER.test(call.receiver)) return 'other';
    return 'unknown';
  }

  private isPostHogCall(call: CallSite, sdk: SdkCall): boolean {
    const verdict = this.receiverVerdict(call);
    if (verdict === 'other') return false;
    if (verdict === 'posthog') return true;
    if (call.receiver === null) return this.fileHasImport();
    if (sdk.generic || this.adapter.alwaysNeedsEvidence) return this.fileHasImport();
    return true;
  }

  private handleCall(call: CallSite, sdk: SdkCall): void {
    if (sdk.key.form === 'struct-field') {
      const keyNode = this.adapter.structKey?.(call, sdk, this) ?? null;
      if (keyNode) {
        if (this.receiverVerdict(call) !== 'other') this.emit(call, keyNode);
      } else if (call.args.length && this.receiverVerdict(call) === 'posthog') {
        this.emit(call, call.args[0].node, true);
      } else if (call.args.length && this.receiverVerdict(call) === 'unknown' && this.fileHasImport()) {
        this.emit(call, call.args[0].node, true);
      }
      return;
    }
    if (sdk.key.form !== 'arg') return;
    if (!this.isPostHogCall(call, sdk)) return;
    const arg = this.keyArg(call, sdk);
    if (arg) this.emit(call, arg.node);
  }

  private keyArg(call: CallSite, sdk: SdkCall): ArgSite | undefined {
    if (sdk.key.form !== 'arg') return undefined;
    const keyword = sdk.key.keyword;
    const named = call.args.find((a) => a.name !== undefined && (a.name === keyword || KEY_ARGUMENT_LABELS.has(a.name)));
    if (named) return named;
    const positional = call.args.filter((a) => a.name === undefined);
    const index = this.adapter.keyArgIndex?.(call, sdk, positional.map((a) => a.node), this) ?? sdk.key.arg;
    return positional[index];
  }

  private emit(call: CallSite, node: Node, forceUnresolved = false): void {
    const r = forceUnresolved ? { kind: 'unresolved' as const, start: node.startIndex, end: node.endIndex } : this.resolve(node);
    const lines = (this.lines ??= new LineMap(this.text));
    const span = lines.span(r.start, r.end);
    if (r.kind === 'unresolved') {
      this.out.unresolved.push({ file: this.file, ...span, call: call.method, expression: this.text.slice(r.start, r.end), language: this.lang.id });
      return;
    }
    const usage: Usage = { file: this.file, ...span, key: r.key, kind: r.kind, call: call.method, language: this.lang.id };
    if (r.kind === 'constant') usage.keySite = { file: this.file, ...lines.span(r.keySite.start, r.keySite.end) };
    this.out.usages.push(usage);
  }

  private resolve(argNode: Node): Resolution {
    const node = this.adapter.unwrap ? this.adapter.unwrap(argNode) : argNode;
    const whole = { start: argNode.startIndex, end: argNode.endIndex };
    const lit = this.adapter.readLiteral(node, this.text);
    if (lit === 'dynamic') return { kind: 'unresolved', ...whole };
    if (lit) return { kind: 'literal', key: lit.value, start: lit.start, end: lit.end };
    if (this.adapter.referenceTypes.has(node.type)) {
      const def = this.lookup(node.text);
      if (def) return { kind: 'constant', key: def.value, ...whole, keySite: def };
    }
    return { kind: 'unresolved', ...whole };
  }

  private lookup(raw: string): StringLiteral | null {
    let name = raw.replace(/\s+/g, '').replace(/\?\.|::|->|\\/g, '.').replace(/^\.+/, '');
    if (!REF_SHAPE.test(name)) return null;
    if (SELF_PREFIX.test(name)) name = '#' + name.replace(SELF_PREFIX, '');
    const constants = (this.constants ??= this.buildConstants());
    const hit = constants.get(name);
    if (hit !== undefined) return hit;
    if (this.adapter.membersVisibleBare && !name.includes('.') && !name.startsWith('#')) return constants.get('#' + name) ?? null;
    return null;
  }

  private buildConstants(): Map<string, StringLiteral | null> {
    const map = new Map<string, StringLiteral | null>();
    for (const def of this.adapter.readConstants(this.root, this.text)) {
      for (const name of def.names) {
        const prev = map.get(name);
        if (prev === undefined) map.set(name, def.literal);
        else if (prev !== null && prev.value !== def.literal.value) map.set(name, null);
      }
    }
    return map;
  }
}
