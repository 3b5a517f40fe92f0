/**
 * The workspace flag-usage index: per-file facts, cross-file linking, and a
 * reverse dependency map so one edit re-links only the files it can affect.
 *
 * Files enter through `update` (one text, e.g. an editor buffer) or
 * `updateBatch` (a whole scan). A JS-family file is parsed when its text can
 * hold a usage (an SDK term or a known wrapper name); other files are kept
 * unparsed ("lazy") and parsed only when some key resolution needs their
 * constants, or when a newly found wrapper name appears in them.
 */
import { languageForPath, type LanguageInfo } from '../languages';
import { detachStrings } from '../text';
import type { Location, Skipped, Span, Unresolved, Usage } from '../types';
import { extractTreeSitter, type TreeSitterRuntime } from '../tree-sitter/extract';
import { extractPythonTreeSitterFacts, pythonLoudInBlanked } from '../tree-sitter/python-facts';
import { extractGoTreeSitterFacts } from '../tree-sitter/go-facts';
import { termsInBlanked } from '../tree-sitter/quiet-bodies';
import { extractSwiftTreeSitterFacts, swiftDeclares } from '../tree-sitter/swift-facts';
import { extractKotlinTreeSitterFacts, kotlinPackageOf } from '../tree-sitter/kotlin-facts';
import type { FileFacts, JsFacts } from './facts';
import type { FactsCache } from './facts-cache';
import type { Observer } from './scan-trace';
import { emptyJsFacts, extractJs, isPosthogPackage } from './js-extract';
import { loudInBlanked } from './quiet-bodies';
import { comparePositions, FILE_SET_DEP, IMPLEMENTERS_DEP, Linker, type LinkWorld } from './linker';
import { isRelativeSpec, packageName, type ProjectResolver } from './project-resolver';
import { RESOLVE_EXTENSIONS } from './module-resolution';
import { sdkTerms, textHasSdkTerm } from './prefilter';

/** What is under the cursor, as the index sees it. */
export interface SymbolAtPosition {
  key: string;
  span: Span;
  /**
   * `usage`: a call's key argument, or a reference in code to a constant that
   * holds a key; `key-definition`: where a key's literal is written for some
   * constant/wrapper usage (a constant's value, an enum member).
   */
  role: 'usage' | 'key-definition';
  usage?: Usage;
  /** For a constant reference or key definition: where the key's literal is written. */
  keySite?: Location;
}

/** A file's text that has not been parsed; `text()` is undefined when it cannot be (then `skipped`). */
export interface LazyText {
  /** `contains` and `containsAny` search the file's bytes (not the decoded text). */
  onBytes?: boolean;
  contains(term: string): boolean;
  /** True when the text contains any of the terms (one pass where the source can; else one `contains` each). */
  containsAny?(terms: readonly string[]): boolean;
  text(): string | undefined;
  skipped?(): Skipped | undefined;
}

/** One file handed to `updateBatch`: its text (parsed if the pre-filter says so) or its unparsed bytes. */
export interface IndexEntry {
  file: string;
  text?: string;
  lazy?: LazyText;
  /** Parse the whole text, no quiet bodies blanked (an editor buffer: hovers need all of its facts). */
  exact?: boolean;
  /** The pre-filter already found an SDK term in `text` (so it is parsed without looking again). */
  hasSdkTerm?: boolean;
  /**
   * How to read `text` again later (the file on disk): then the index keeps this
   * instead of the text when the facts are quiet (scan.ts, indexEntry).
   */
  source?: LazyText;
}

export interface WorkspaceIndexOptions {
  treeSitter?: TreeSitterRuntime;
  /** How the project's configs resolve imports (tsconfig, bundler aliases, workspace packages). */
  resolver?: ProjectResolver;
  /**
   * Whether `updateBatch` and on-demand parses blank quiet bodies (quiet-bodies.ts; default true;
   * `always`: in short files too, for tests). `update` (one editor buffer) always parses the whole text.
   */
  quietBodies?: boolean | 'always';
  /**
   * Facts of an earlier run to reuse (facts-cache.ts): asked before a file is
   * parsed, given what was made. Texts given to `update` (editor buffers)
   * never use or fill it.
   */
  factsCache?: FactsCache;
  /**
   * Told every question the index asks of a file's content and the answer
   * (scan-trace.ts): a scan whose changed files all answer the same would
   * give the same result.
   */
  observe?: Observer;
}

interface Entry {
  lang: LanguageInfo;
  facts?: FileFacts;
  lazy?: LazyText;
  /** The text of a file whose facts are quiet: read again when a new wrapper name appears in it. */
  source?: LazyText;
  /** surfaceOf(facts), computed when first compared (facts never change in place). */
  surface?: string;
  usages: Usage[];
  unresolved: Unresolved[];
  signature: string;
  deps: Set<string>;
}

export class WorkspaceIndex {
  private readonly entries = new Map<string, Entry>();
  private readonly dependents = new Map<string, Set<string>>();
  private readonly wrapperNames = new Set<string>();
  /** wrapperNames as one array (names only grow, so its length tells when it is out of date). */
  private wrapperList?: string[];
  /** The same for Python files (linked like JS, see python-facts.ts): each family parses its own callers. */
  private readonly pyWrapperNames = new Set<string>();
  private pyWrapperList?: string[];
  /** The same for the other linked languages (Swift), by grammar. */
  private readonly grammarWrapperNames = new Map<string, { names: Set<string>; list?: string[] }>();
  /** Type names asked for whose lazy declaring Swift files were parsed (a new lazy file declaring one is parsed too). */
  private readonly probedTypes = new Set<string>();
  private readonly lazySkipped: Skipped[] = [];
  private readonly treeSitter?: TreeSitterRuntime;
  private readonly quietBodies: boolean | 'always';
  private resolver?: ProjectResolver;
  private factsCache?: FactsCache;
  private readonly observe?: Observer;
  /** JS_SDK_TERMS and the JS wrapper names (jsLoudTerms). */
  private jsLoud?: { names: string[]; terms: string[] };
  /** Interface name → module-scope classes implementing or extending it (from facts' `impls`), built when asked. */
  private implIndex?: Map<string, Array<{ file: string; cls: string }>>;
  /** Go: folder → .go files (rebuilt when the number of files changes), and method name → types with a forwarding method. */
  private goDirs?: Map<string, string[]>;
  private goDirsSize = -1;
  private goHolders?: Map<string, Array<{ dir: string; pkg: string; type: string }>>;
  /** Interface names whose implementers changed since the last link pass (their dependents re-link). */
  private readonly pendingImpls = new Set<string>();
  /** JS-family files by the last segment of their module path (`a/b.ts` → b, `a/index.ts` → a), for guessed imports. */
  private tails?: Map<string, string[]>;
  private allUsages?: Usage[];
  private allUnresolved?: Unresolved[];
  /** Files parsed on demand during a link pass, to be linked themselves. */
  private parsedOnDemand: string[] = [];
  /** JS files parsed since the last wrapper-name discovery. */
  private recentlyParsed = new Set<string>();
  /** Partial batches (updateBatch `partial`) added files: files that depend on the file set link again at the next complete one. */
  private fileSetGrew = false;
  /** Wrapper names partial batches found, per group: files held before them are looked through at the next complete batch. */
  private pendingFresh = new Map<Set<string>, string[]>();

  constructor(opts: WorkspaceIndexOptions = {}) {
    this.treeSitter = opts.treeSitter;
    this.resolver = opts.resolver;
    this.quietBodies = opts.quietBodies ?? true;
    this.factsCache = opts.factsCache;
    this.observe = opts.observe;
  }

  /** Facts of an earlier run to reuse from now on, and to fill (undefined: none). */
  useFactsCache(cache: FactsCache | undefined): void {
    this.factsCache = cache;
  }

  /** Sets how imports resolve (the project's configs changed) and re-links everything. */
  setResolver(resolver: ProjectResolver | undefined): string[] {
    this.resolver = resolver;
    return this.relink(new Set(this.entries.keys()));
  }

  // ---------- changes ----------

  /**
   * Re-indexes one file from its text. Returns the files whose usages or
   * unresolved calls changed: always the file itself, plus every file whose
   * resolution went through it. Files of unknown extensions are ignored.
   */
  update(file: string, text: string): string[] {
    const lang = languageForPath(file);
    if (!lang) return this.entries.has(file) ? this.remove(file) : [];
    return this.apply([{ file, lang, text, exact: true }], [file]);
  }

  /**
   * Adds or replaces many files at once (a scan). `text` entries are parsed
   * when the pre-filter says so; `lazy` entries are read only if needed.
   * Returns the files whose usages changed. The entries are consumed: each
   * one's `text` is let go once its facts are taken, so a scan's texts are
   * never all alive at once.
   */
  updateBatch(files: IndexEntry[], opts: { partial?: boolean } = {}): string[] {
    const items: BatchItem[] = [];
    for (const f of files) {
      const lang = languageForPath(f.file);
      if (lang) items.push(Object.assign(f, { lang }));
    }
    return this.apply(items, [], true, opts.partial === true);
  }

  /** Forgets a file; returns it (if it had output) and the files that depended on it. */
  remove(file: string): string[] {
    const entry = this.entries.get(file);
    this.factsCache?.forget(file);
    if (!entry) return [];
    this.entries.delete(file);
    this.noteImpls(entry.facts, undefined);
    this.setDeps(file, new Set());
    this.tails = undefined;
    const toLink = new Set([...(this.dependents.get(file) ?? []), ...(this.dependents.get(FILE_SET_DEP) ?? [])]);
    const changed = this.relink(toLink);
    this.invalidate();
    if (entry.signature !== EMPTY_SIGNATURE) changed.push(file);
    return [...new Set(changed)].sort();
  }

  /**
   * `release`: each item's text is let go once its facts are taken (a batch's texts are not all alive at once).
   * `partial`: more batches follow (a language server indexing a folder in slices). The work that only
   * completes what earlier batches hold waits for the next complete call (any other): linking again the
   * files that depend on the set of files, and looking through the files already held for wrapper names
   * found since. A scan in one batch does that work once at its end, so the last complete call leaves the
   * index as one batch of every file would; until then the results are those of a part of the files.
   */
  private apply(items: BatchItem[], alwaysReport: string[], release = false, partial = false): string[] {
    const toLink = new Set<string>();
    if (!partial && this.fileSetGrew) {
      this.fileSetGrew = false;
      for (const d of this.dependents.get(FILE_SET_DEP) ?? []) toLink.add(d);
    }
    for (const it of items) {
      // A buffer's text need not be what was read from disk: the cache has nothing for it.
      if (it.exact) this.factsCache?.forget(it.file);
      const old = this.entries.get(it.file);
      const entry: Entry = old ?? { lang: it.lang, usages: [], unresolved: [], signature: EMPTY_SIGNATURE, deps: new Set() };
      entry.lang = it.lang;
      const isNew = !old;
      if (isNew) {
        this.addTail(it.file, it.lang);
        if (partial) this.fileSetGrew = true;
        else for (const d of this.dependents.get(FILE_SET_DEP) ?? []) toLink.add(d);
      }
      // A new file re-links its dependents anyway: its surface is only needed on a later change.
      const before = isNew ? undefined : surfaceOfEntry(entry);
      const needed = !isNew && (entry.facts !== undefined || (this.dependents.get(it.file)?.size ?? 0) > 0);
      const text = it.text;
      entry.source = undefined;
      if (text !== undefined && (needed || it.hasSdkTerm || this.wantsParse(it.file, text, it.lang))) {
        entry.facts = this.extract(it.file, text, it.lang, !it.exact);
        entry.lazy = undefined;
        if (isQuiet(entry.facts)) entry.source = this.watched(it.file, it.source ?? textLazy(text));
      } else if (text !== undefined) {
        entry.facts = undefined;
        entry.lazy = this.watched(it.file, textLazy(text));
      } else if (it.lazy) {
        entry.facts = undefined;
        entry.lazy = this.watched(it.file, it.lazy);
      }
      this.entries.set(it.file, entry);
      if (release) it.text = undefined;
      // A lazy file that calls a wrapper found in an earlier batch is parsed now.
      if (entry.lazy && isLinked(it.lang) && this.mentionsWrapper(entry.lazy, it.lang)) this.materialize(it.file, entry);
      if (entry.lazy && declaresTypes(it.lang) && this.probedTypes.size && this.declaresProbed(it.file, entry.lazy)) this.materialize(it.file, entry);
      entry.surface = undefined;
      if (isNew || surfaceOfEntry(entry) !== before) for (const d of this.dependents.get(it.file) ?? []) toLink.add(d);
      if (entry.facts) toLink.add(it.file);
      else if (!isNew) toLink.add(it.file);
    }
    const changed = new Set(this.relink(toLink));
    for (const f of alwaysReport) if (this.entries.has(f)) changed.add(f);
    this.discoverWrappers(changed, partial);
    return [...changed].sort();
  }

  private mentionsWrapper(lazy: LazyText, lang: LanguageInfo): boolean {
    const names = this.wrapperNameList(lang);
    return names.length > 0 && containsAny(lazy, names);
  }

  private wantsParse(file: string, text: string, lang: LanguageInfo): boolean {
    const names = isLinked(lang) ? this.wrapperNameList(lang) : [];
    const yes = wantsParse(text, lang, names);
    this.observe?.(file, { k: 'wants', terms: names, yes });
    return yes;
  }

  /** The lazy text of `file`, telling the observer what is asked of it (as is without one). */
  private watched(file: string, lazy: LazyText): LazyText {
    const observe = this.observe;
    if (!observe) return lazy;
    const bytes = lazy.onBytes === true;
    return {
      onBytes: lazy.onBytes,
      contains: (term) => {
        const yes = lazy.contains(term);
        observe(file, { k: bytes ? 'has' : 'hasT', term, yes });
        return yes;
      },
      containsAny: (terms) => {
        const yes = containsAny(lazy, terms);
        observe(file, { k: bytes ? 'any' : 'anyT', terms, yes });
        return yes;
      },
      text: () => {
        const text = lazy.text();
        observe(file, { k: 'text', skipped: text === undefined ? JSON.stringify(lazy.skipped?.() ?? null) : '' });
        return text;
      },
      skipped: () => lazy.skipped?.(),
    };
  }

  /** Notes the interfaces whose implementers change when `file`'s facts go from `before` to `after`. */
  private noteImpls(before: FileFacts | undefined, after: FileFacts | undefined): void {
    const names = (f: FileFacts | undefined) => [...(f?.kind === 'js' && f.impls ? Object.values(f.impls).flat() : []), ...goForwardingMethods(f).map((m) => 'go:' + m)];
    const a = names(before);
    const b = names(after);
    if (!a.length && !b.length) return;
    this.implIndex = undefined;
    this.goHolders = undefined;
    for (const n of [...a, ...b]) this.pendingImpls.add(n);
  }

  /** Go: the .go files directly in a folder (a package), sorted. */
  private goFiles(dir: string): string[] {
    if (!this.goDirs || this.goDirsSize !== this.entries.size) {
      this.goDirs = new Map();
      this.goDirsSize = this.entries.size;
      for (const f of [...this.entries.keys()].sort()) {
        if (!/\.go$/i.test(f)) continue;
        const d = f.lastIndexOf('/') < 0 ? '' : f.slice(0, f.lastIndexOf('/'));
        const list = this.goDirs.get(d);
        if (list) list.push(f);
        else this.goDirs.set(d, [f]);
      }
    }
    return this.goDirs.get(dir) ?? [];
  }

  /** Go: types of parsed files with a method `method` that forwards something (candidates for interface dispatch). */
  private goMethodHolders(method: string): Array<{ dir: string; pkg: string; type: string }> {
    if (!this.goHolders) {
      this.goHolders = new Map();
      for (const [file, e] of this.entries) {
        const f = e.facts;
        if (f?.kind !== 'js' || f.package === undefined) continue;
        const dir = file.lastIndexOf('/') < 0 ? '' : file.slice(0, file.lastIndexOf('/'));
        for (const [key, m] of goForwardingMethodBindings(f)) {
          const dot = key.indexOf('.');
          const list = this.goHolders.get(m) ?? [];
          const type = key.slice(0, dot);
          if (!list.some((h) => h.dir === dir && h.pkg === f.package && h.type === type)) list.push({ dir, pkg: f.package, type });
          this.goHolders.set(m, list);
        }
      }
    }
    return this.goHolders.get(method) ?? [];
  }

  /** Kotlin: files with the `package` line `pkg` binding `name` (lazy ones that mention it and have that package are parsed now). */
  private kotlinFiles(pkg: string, name: string): string[] {
    const out: string[] = [];
    const word = name.replace(/^\./, '');
    for (const [file, e] of this.entries) {
      if (e.lang.grammar !== 'kotlin') continue;
      if (e.lazy) {
        if (!e.lazy.contains(word)) continue;
        const text = e.lazy.text();
        if (text === undefined) continue;
        const value = kotlinPackageOf(text);
        this.observe?.(file, { k: 'package', value });
        if (value !== pkg) continue;
        this.materialize(file, e);
      }
      const f = e.facts;
      if (f?.kind === 'js' && f.namespace === pkg && Object.prototype.hasOwnProperty.call(f.bindings, name)) out.push(file);
    }
    return out.sort();
  }

  private implementers(name: string): Array<{ file: string; cls: string }> {
    if (!this.probedTypes.has(name)) this.probeType(name);
    if (!this.implIndex) {
      this.implIndex = new Map();
      for (const [file, e] of this.entries) {
        if (e.facts?.kind !== 'js' || !e.facts.impls) continue;
        for (const [cls, bases] of Object.entries(e.facts.impls)) {
          for (const b of bases) {
            const list = this.implIndex.get(b) ?? [];
            list.push({ file, cls });
            this.implIndex.set(b, list);
          }
        }
      }
    }
    return this.implIndex.get(name) ?? [];
  }

  /**
   * Swift: any file of the module may declare or extend a type, so the lazy
   * files that do are parsed the first time the type is asked for.
   */
  private probeType(name: string): void {
    this.probedTypes.add(name);
    for (const [file, e] of this.entries) {
      if (!e.lazy || !declaresTypes(e.lang) || !e.lazy.contains(name)) continue;
      const text = e.lazy.text();
      if (text !== undefined && this.declares(file, text, name)) this.materialize(file, e);
    }
  }

  private declaresProbed(file: string, lazy: LazyText): boolean {
    const hits = [...this.probedTypes].filter((n) => lazy.contains(n));
    if (!hits.length) return false;
    const text = lazy.text();
    return text !== undefined && hits.some((n) => this.declares(file, text, n));
  }

  private declares(file: string, text: string, name: string): boolean {
    const yes = swiftDeclares(text, name);
    this.observe?.(file, { k: 'declares', name, yes });
    return yes;
  }

  /** `quiet`: blank quiet bodies (when the index does); the facts say whether it did. */
  private extract(file: string, text: string, lang: LanguageInfo, quiet: boolean): FileFacts {
    const facts = this.extractFacts(file, text, lang, quiet);
    this.noteImpls(this.entries.get(file)?.facts, facts);
    return facts;
  }

  private extractFacts(file: string, text: string, lang: LanguageInfo, quiet: boolean): FileFacts {
    const how = this.howToRead(lang, quiet);
    if (isLinked(lang)) this.recentlyParsed.add(file);
    let facts = this.factsCache?.get(file, how.mode, how.loud, text);
    if (!facts) {
      facts = makeFileFacts(this.treeSitter, file, text, lang, how);
      this.factsCache?.put(file, how.mode, how.loud, facts);
    }
    this.observe?.(file, { k: 'facts', mode: how.mode, loud: how.loud, facts });
    return facts;
  }

  /**
   * How a file is read: whole, or with quiet bodies blanked (from `minLength`
   * characters, bodies holding a `loud` term kept). The facts are a function
   * of the text and this (what the facts cache keys records by).
   */
  private howToRead(lang: LanguageInfo, quiet: boolean): ReadHow {
    const blank = quiet && this.quietBodies !== false;
    const minLength = this.quietBodies === 'always' ? 0 : QUIET_MIN_LENGTH;
    const whole: ReadHow = { mode: `${lang.id}:whole` };
    if (!blank) return whole;
    const quietMode = `${lang.id}:quiet:${minLength}`;
    // What keeps a body from being blanked: the SDK terms and the wrapper names known so far.
    if (lang.family === 'js') return { mode: quietMode, minLength, loud: this.jsLoudTerms() };
    const linked = linkedExtractor(lang);
    if (linked) return linked.quiet ? { mode: quietMode, minLength, loud: this.wrapperNameList(lang) } : whole;
    return { mode: quietMode, minLength };
  }

  /** JS_SDK_TERMS and the JS wrapper names known so far, as one list (the same array until a name is added). */
  private jsLoudTerms(): readonly string[] {
    const names = this.wrapperNameList();
    if (this.jsLoud?.names !== names) this.jsLoud = { names, terms: [...JS_SDK_TERMS, ...names] };
    return this.jsLoud.terms;
  }

  /** Parses a lazy file now (because resolution needs it). */
  private materialize(file: string, entry: Entry): FileFacts | undefined {
    const lazy = entry.lazy;
    if (!lazy) return entry.facts;
    entry.lazy = undefined;
    const text = lazy.text();
    if (text === undefined) {
      const s = lazy.skipped?.();
      if (s) this.lazySkipped.push(s);
      entry.facts = isLinked(entry.lang) ? emptyJsFacts(file, entry.lang.id) : undefined;
      return entry.facts;
    }
    // A Python file parsed only for its names, where no grammar can parse it: nothing to find in it.
    if (entry.lang.family !== 'js' && !this.treeSitter) return (entry.facts = emptyJsFacts(file, entry.lang.id));
    entry.facts = this.extract(file, text, entry.lang, true);
    if (isQuiet(entry.facts)) entry.source = lazy;
    entry.surface = undefined;
    this.parsedOnDemand.push(file);
    return entry.facts;
  }

  private wrapperNameList(lang?: LanguageInfo): string[] {
    if (lang && lang.family !== 'js' && lang.family !== 'python') {
      const g = this.grammarWrappers(lang);
      if (g.list?.length !== g.names.size) g.list = [...g.names];
      return g.list;
    }
    if (lang?.family === 'python') {
      if (this.pyWrapperList?.length !== this.pyWrapperNames.size) this.pyWrapperList = [...this.pyWrapperNames];
      return this.pyWrapperList;
    }
    if (this.wrapperList?.length !== this.wrapperNames.size) this.wrapperList = [...this.wrapperNames];
    return this.wrapperList;
  }

  private grammarWrappers(lang: LanguageInfo): { names: Set<string>; list?: string[] } {
    const key = lang.grammar ?? lang.id;
    let g = this.grammarWrapperNames.get(key);
    if (!g) this.grammarWrapperNames.set(key, (g = { names: new Set() }));
    return g;
  }

  /** The wrapper names of a language's group (JS, Python, or one grammar). */
  private wrapperNameSet(lang: LanguageInfo): Set<string> {
    if (lang.family === 'js') return this.wrapperNames;
    if (lang.family === 'python') return this.pyWrapperNames;
    return this.grammarWrappers(lang).names;
  }

  /** Reads a quiet file's whole text again (`quiet`: with the wrapper names known now kept loud). */
  private reread(file: string, entry: Entry, quiet: boolean): boolean {
    const text = entry.source?.text();
    if (text === undefined) return false;
    entry.facts = this.extract(file, text, entry.lang, quiet);
    entry.surface = undefined;
    if (!isQuiet(entry.facts)) entry.source = undefined;
    return true;
  }

  /** Re-links files (and files parsed on demand meanwhile); returns those whose output changed. */
  private relink(files: Set<string>): string[] {
    const changed: string[] = [];
    const world: LinkWorld = {
      factsOf: (f) => {
        const e = this.entries.get(f);
        return e ? this.materialize(f, e) : undefined;
      },
      exists: (f) => this.entries.has(f),
      resolver: this.resolver,
      guessModule: (spec) => this.guessModule(spec),
      isWrapperName: (name) => this.wrapperNames.has(name) || this.pyWrapperNames.has(name) || [...this.grammarWrapperNames.values()].some((g) => g.names.has(name)),
      implementers: (name) => this.implementers(name),
      goFiles: (dir) => this.goFiles(dir),
      goMethodHolders: (method) => this.goMethodHolders(method),
      kotlinFiles: (pkg, name) => this.kotlinFiles(pkg, name),
    };
    const linker = new Linker(world);
    const queue = [...files].sort();
    const seen = new Set<string>();
    // Files that called a method through an interface whose implementers changed link again.
    const takeImplChanges = () => {
      for (const n of this.pendingImpls) {
        for (const d of this.dependents.get(IMPLEMENTERS_DEP + n) ?? []) {
          seen.delete(d);
          queue.push(d);
        }
      }
      this.pendingImpls.clear();
    };
    takeImplChanges();
    for (let qi = 0; qi < queue.length; qi++) {
      const file = queue[qi];
      if (seen.has(file)) continue;
      seen.add(file);
      const entry = this.entries.get(file);
      if (!entry) continue;
      const linked = entry.facts ? linker.link(file) : { usages: [], unresolved: [], deps: new Set<string>() };
      // An empty key is no usage: it is a key being typed (`useFeatureFlagEnabled('`), never a flag.
      const out = linked.usages.some((u) => u.key === '') ? { ...linked, usages: linked.usages.filter((u) => u.key !== '') } : linked;
      this.setDeps(file, out.deps);
      entry.deps = out.deps;
      const signature = out.usages.length || out.unresolved.length ? JSON.stringify([out.usages, out.unresolved]) : EMPTY_SIGNATURE;
      if (signature !== entry.signature) {
        entry.signature = signature;
        entry.usages = out.usages;
        entry.unresolved = out.unresolved;
        changed.push(file);
      }
      if (this.parsedOnDemand.length) {
        queue.push(...this.parsedOnDemand);
        this.parsedOnDemand = [];
      }
      if (this.pendingImpls.size) takeImplChanges();
    }
    if (changed.length) this.invalidate();
    return changed;
  }

  private setDeps(file: string, deps: Set<string>): void {
    const old = this.entries.get(file)?.deps;
    if (old) for (const d of old) if (!deps.has(d)) this.dependents.get(d)?.delete(file);
    for (const d of deps) {
      let s = this.dependents.get(d);
      if (!s) this.dependents.set(d, (s = new Set()));
      s.add(file);
    }
  }

  /**
   * Wrapper names seen so far make unparsed files that mention them worth a
   * parse. Names only grow (a stale name costs a parse, never a wrong usage).
   */
  private discoverWrappers(changed: Set<string>, partial = false): void {
    let scope: Iterable<string> = this.recentlyParsed;
    for (;;) {
      // New names per group of languages (the set they were added to).
      const freshBy = new Map<Set<string>, string[]>();
      if (!partial) {
        for (const [names, fresh] of this.pendingFresh) freshBy.set(names, [...fresh]);
        this.pendingFresh.clear();
      }
      const files = [...scope];
      this.recentlyParsed = new Set();
      for (const file of files) {
        const e = this.entries.get(file);
        if (e?.facts?.kind !== 'js') continue;
        const names = this.wrapperNameSet(e.lang);
        for (const n of wrapperNamesOf(file, e.facts, names, e.lang.family === 'js' ? 3 : 2)) {
          if (!names.has(n)) {
            names.add(n);
            const out = freshBy.get(names);
            if (out) out.push(n);
            else freshBy.set(names, [n]);
          }
        }
      }
      if (!freshBy.size) return;
      if (partial) {
        // Files of later batches are checked for these names as they come; those held now, at the next complete call.
        for (const [names, fresh] of freshBy) this.pendingFresh.set(names, [...(this.pendingFresh.get(names) ?? []), ...fresh]);
        return;
      }
      scope = this.entries.keys();
      const toParse = new Set<string>();
      const toReread = new Set<string>();
      for (const [file, e] of this.entries) {
        if (!isLinked(e.lang)) continue;
        const mine = freshBy.get(this.wrapperNameSet(e.lang));
        if (!mine?.length) continue;
        if (e.lazy && containsAny(e.lazy, mine)) toParse.add(file);
        // A parsed file (facts never quiet) calling a new wrapper name: link it again.
        else if (e.facts?.kind === 'js' && (declaresTypes(e.lang) || e.lang.grammar === 'kotlin' || e.lang.grammar === 'go') && e.facts.sites.some((st) => st.t === 'call' && mine.includes(st.call))) toParse.add(file);
        else if (e.source && this.freshInBlanked(file, e, mine)) toReread.add(file);
      }
      for (const f of toParse) this.materialize(f, this.entries.get(f)!);
      // A quiet file may call a new wrapper in a body that was blanked: read it again, that name now loud.
      for (const f of toReread) {
        if (!this.reread(f, this.entries.get(f)!, true)) continue;
        toParse.add(f);
        // Files whose keys went through it see its new wrappers.
        for (const d of this.dependents.get(f) ?? []) toParse.add(d);
      }
      this.parsedOnDemand = [];
      for (const f of this.relink(toParse)) changed.add(f);
    }
  }

  /** Whether a quiet file's blanked bodies mention one of the fresh wrapper names (or an import alias of one). */
  private freshInBlanked(file: string, e: Entry, fresh: string[]): boolean {
    const ranges = e.facts?.kind === 'js' ? e.facts.blanked : undefined;
    const text = ranges && e.source?.text();
    if (text === undefined) return false;
    const yes = mentionedInBlanked(text, ranges!, e.lang, fresh);
    this.observe?.(file, { k: 'blanked', terms: fresh, yes });
    return yes;
  }

  /**
   * The one JS-family file whose module path ends like `spec`, its alias
   * prefix left out (`@utils/analytics`, `~/lib/flags`, `@/hooks`): the
   * last resort for an import no config explains. A bare one-segment name
   * (`lodash`) is never guessed, and neither is an ambiguous tail.
   */
  private guessModule(spec: string): string | undefined {
    if (isRelativeSpec(spec) || spec.startsWith('/')) return undefined;
    const segs = spec.split('/');
    const first = segs[0].replace(/^[@~#$]+/, '');
    const aliased = first !== segs[0];
    if (first) segs[0] = first;
    else segs.shift();
    if (!segs.length || (segs.length < 2 && !aliased) || segs.some((s) => s === '' || s === '.' || s === '..')) return undefined;
    if (segs.length < 2 && packageName(spec) === spec && !spec.startsWith('@/') && !spec.startsWith('~/')) return undefined;
    if (!this.tails) {
      this.tails = new Map();
      for (const [f, e] of this.entries) this.addTail(f, e.lang);
    }
    const tail = segs.join('/');
    const hits = (this.tails.get(segs[segs.length - 1]) ?? []).filter((f) => {
      const stem = moduleStem(f)!;
      return stem === tail || stem.endsWith('/' + tail);
    });
    // `x.ts` next to `x/index.ts`, or `x.ts` and `x.tsx`: prefer what tsc would (the first extension).
    if (hits.length > 1) {
      const stems = new Set(hits.map((f) => moduleStem(f)!.replace(/\/index$/, '')));
      if (stems.size > 1) return undefined;
      return hits.sort((a, b) => rank(a) - rank(b))[0];
    }
    return hits[0];
  }

  /** A new file joins the guessed-import tails (when they are built: they are built on first use). */
  private addTail(file: string, lang: LanguageInfo): void {
    if (!this.tails || lang.family !== 'js') return;
    const stem = moduleStem(file);
    if (stem === undefined) return;
    const last = stem.slice(stem.lastIndexOf('/') + 1);
    const list = this.tails.get(last);
    if (list) list.push(file);
    else this.tails.set(last, [file]);
  }

  private invalidate(): void {
    this.allUsages = undefined;
    this.allUnresolved = undefined;
  }

  // ---------- queries ----------

  /** Every usage, sorted by file, line, column. */
  usages(): Usage[] {
    if (!this.allUsages) {
      const all: Usage[] = [];
      for (const e of this.entries.values()) all.push(...e.usages);
      this.allUsages = all.sort(comparePositions);
    }
    return this.allUsages;
  }

  usagesInFile(file: string): Usage[] {
    return this.entries.get(file)?.usages ?? [];
  }

  usagesOfKey(key: string): Usage[] {
    return this.usages().filter((u) => u.key === key);
  }

  unresolved(): Unresolved[] {
    if (!this.allUnresolved) {
      const all: Unresolved[] = [];
      for (const e of this.entries.values()) all.push(...e.unresolved);
      this.allUnresolved = all.sort(comparePositions);
    }
    return this.allUnresolved;
  }

  unresolvedInFile(file: string): Unresolved[] {
    return this.entries.get(file)?.unresolved ?? [];
  }

  /** Distinct keys in use, sorted. */
  keys(): string[] {
    return [...new Set(this.usages().map((u) => u.key))].sort();
  }

  /** Every file the index holds (parsed or not), sorted. */
  files(): string[] {
    return [...this.entries.keys()].sort();
  }

  /** Files that have been parsed (the rest are held unparsed until needed), sorted. */
  parsedFiles(): string[] {
    return [...this.entries].filter(([, e]) => e.facts).map(([f]) => f).sort();
  }

  /** Files that could not be parsed when resolution needed them (e.g. minified). */
  skipped(): Skipped[] {
    return [...this.lazySkipped];
  }

  /**
   * Parse problems of parsed files. `fatal`: nothing could be read (the
   * parser failed, or no tree-sitter runtime for the language); otherwise the
   * file was read in part (e.g. nesting too deep).
   */
  parseErrors(): Array<{ file: string; error: string; fatal: boolean }> {
    const out: Array<{ file: string; error: string; fatal: boolean }> = [];
    for (const [file, e] of this.entries) {
      const err = e.facts?.error;
      if (err) out.push({ file, error: err, fatal: e.facts!.kind === 'foreign' || err.startsWith('parse failed') });
    }
    return out.sort((a, b) => (a.file < b.file ? -1 : 1));
  }

  /** The key under a 1-based position: a usage's key argument, a key's defining literal, or a constant reference. */
  symbolAt(file: string, line: number, column: number): SymbolAtPosition | undefined {
    const at = { line, column };
    const hit = usageSymbolAt(this.usagesInFile(file), this.usages(), file, at);
    if (hit) return hit;
    const ref = this.refAt(file, at);
    if (ref) return { key: ref.key, span: ref.span, role: 'usage', keySite: ref.keySite };
    return undefined;
  }

  /** Where the key under the cursor is written (constant reference → its literal). */
  definitionAt(file: string, line: number, column: number): Location | undefined {
    const s = this.symbolAt(file, line, column);
    if (!s) return undefined;
    if (s.keySite) return s.keySite;
    return undefined;
  }

  /** Every place the key's literal text is written (call-site literals and constant values), each once, sorted. */
  keySites(key: string): Location[] {
    return keySitesOf(this.usagesOfKey(key));
  }

  private refAt(file: string, at: { line: number; column: number }): { key: string; span: Span; keySite: Location } | undefined {
    const entry = this.entries.get(file);
    if (entry?.facts?.kind !== 'js') return undefined;
    // Quiet facts hold no references inside the blanked bodies: read the whole text now (same usages, more references).
    if (isQuiet(entry.facts)) this.reread(file, entry, false);
    const facts = entry.facts;
    if (facts.kind !== 'js') return undefined;
    let best: { span: Span; expr: JsFacts['refs'][number]['expr'] } | undefined;
    for (const r of facts.refs) if (contains(r.span, at) && (!best || spanLength(r.span) < spanLength(best.span))) best = r;
    if (!best) return undefined;
    const linker = new Linker({ factsOf: (f) => this.entries.get(f)?.facts, exists: (f) => this.entries.has(f), resolver: this.resolver, guessModule: (spec) => this.guessModule(spec), goFiles: (dir) => this.goFiles(dir) });
    const res = linker.resolve(file, best.expr);
    if (res.t !== 'str') return undefined;
    return { key: res.value, span: best.span, keySite: res.loc };
  }
}

/**
 * What the usages alone say is under a position of `file`: a usage's key
 * argument (`inFile`: the file's usages), else a key's defining literal
 * written in this file for a usage anywhere (`all`). Constant references
 * need the file's facts (WorkspaceIndex.symbolAt goes on with them).
 */
export function usageSymbolAt(inFile: readonly Usage[], all: readonly Usage[], file: string, at: { line: number; column: number }): SymbolAtPosition | undefined {
  for (const u of inFile) if (contains(u, at)) return { key: u.key, span: spanOf(u), role: 'usage', usage: u, keySite: u.keySite };
  for (const u of all) {
    const ks = u.keySite;
    if (ks && ks.file === file && contains(ks, at)) return { key: u.key, span: spanOf(ks), role: 'key-definition', usage: u, keySite: ks };
  }
  return undefined;
}

/** Where a key's literal text is written, from its usages: call-site literals and constant values, each once, sorted. */
export function keySitesOf(usagesOfKey: readonly Usage[]): Location[] {
  const seen = new Map<string, Location>();
  for (const u of usagesOfKey) {
    const loc: Location = u.kind === 'literal' ? { file: u.file, ...spanOf(u) } : u.keySite ?? { file: u.file, ...spanOf(u) };
    if (u.kind !== 'literal' && !u.keySite) continue;
    seen.set(`${loc.file}\0${loc.line}\0${loc.column}`, loc);
  }
  return [...seen.values()].sort(comparePositions);
}

const EMPTY_SIGNATURE = '[[],[]]';

/**
 * A file's facts, read as `how` says: the one place facts are made (the
 * index, and a scan checking that a changed file's facts did not change).
 */
export function makeFileFacts(treeSitter: TreeSitterRuntime | undefined, file: string, text: string, lang: LanguageInfo, how: ReadHow): FileFacts {
  const quiet = how.minLength !== undefined ? { minLength: how.minLength, loud: how.loud ?? [] } : undefined;
  if (lang.family === 'js') return detachStrings(dropLocalDeadCalls(extractJs(file, text, lang, quiet)));
  if (!treeSitter) return { kind: 'foreign', file, language: lang.id, usages: [], unresolved: [], error: 'no tree-sitter runtime' };
  const linked = linkedExtractor(lang);
  if (linked) {
    const r = linked.extract(treeSitter, file, text, lang, quiet);
    if ('error' in r) return { kind: 'foreign', file, language: lang.id, usages: [], unresolved: [], error: r.error };
    return detachStrings(linked.keepLocalCalls ? r : dropLocalDeadCalls(r));
  }
  try {
    const r = extractTreeSitter(treeSitter, file, text, lang, quiet ? { minLength: quiet.minLength } : undefined);
    if ('error' in r) return { kind: 'foreign', file, language: lang.id, usages: [], unresolved: [], error: r.error };
    const unresolved = r.unresolved.map((u) => (u.reason ? u : { ...u, reason: 'dynamic' as const }));
    return detachStrings({ kind: 'foreign', file, language: lang.id, usages: r.usages, unresolved });
  } catch (e) {
    return { kind: 'foreign', file, language: lang.id, usages: [], unresolved: [], error: String((e as Error)?.message ?? e) };
  }
}


/** Whether one of `terms` is in the blanked ranges of a quiet file's text (or an import alias of one). */
export function mentionedInBlanked(text: string, ranges: readonly number[], lang: LanguageInfo, terms: readonly string[]): boolean {
  if (lang.grammar === 'go') return termsInBlanked(text, ranges, terms);
  return lang.family === 'python' ? pythonLoudInBlanked(text, ranges, terms) : loudInBlanked(text, ranges, terms, isPosthogPackage);
}

/** Whether an unparsed text is worth a parse: it holds an SDK term or one of the wrapper names `names`. */
export function wantsParse(text: string, lang: LanguageInfo, names: readonly string[]): boolean {
  if (textHasSdkTerm(text, lang.family)) return true;
  for (const n of names) if (text.includes(n)) return true;
  return false;
}

/**
 * The tree-sitter languages whose facts are linked across files like JS, by
 * grammar: their extractor, whether it skips quiet bodies, and whether local
 * call sites must stay (Kotlin: a call on a receiver of this file's types may
 * reach an extension function of another file).
 */
const LINKED_EXTRACTORS: Record<string, {
  extract: (rt: TreeSitterRuntime, file: string, text: string, lang: LanguageInfo, quiet?: { minLength: number; loud: readonly string[] }) => JsFacts | { error: string };
  quiet?: boolean;
  keepLocalCalls?: boolean;
}> = {
  python: { extract: extractPythonTreeSitterFacts, quiet: true },
  go: { extract: extractGoTreeSitterFacts, quiet: true },
  swift: { extract: extractSwiftTreeSitterFacts },
  kotlin: { extract: extractKotlinTreeSitterFacts, keepLocalCalls: true },
};

const JS_SDK_TERMS = sdkTerms('js');

/** Below this many characters a file is parsed whole (blanking would save nothing worth the pass). */
const QUIET_MIN_LENGTH = 2000;

type BatchItem = IndexEntry & { lang: LanguageInfo };

/** How a file is read (see WorkspaceIndex.howToRead): `minLength` set when quiet bodies are blanked. */
export interface ReadHow {
  mode: string;
  minLength?: number;
  loud?: readonly string[];
}

/** A JS-family file's path as a module specifier would name it: no extension, `/index` dropped. */
function moduleStem(file: string): string | undefined {
  const dot = file.lastIndexOf('.');
  if (dot <= file.lastIndexOf('/') || !RESOLVE_EXTENSIONS.includes(file.slice(dot).toLowerCase())) return undefined;
  const stem = file.slice(0, dot);
  return stem.endsWith('/index') ? stem.slice(0, -6) : stem === 'index' ? undefined : stem;
}

/** Resolution order of a file among files of the same stem (extension order, then `x.ts` before `x/index.ts`). */
function rank(file: string): number {
  const ext = file.slice(file.lastIndexOf('.')).toLowerCase();
  return RESOLVE_EXTENSIONS.indexOf(ext) + (file.slice(0, file.lastIndexOf('.')).endsWith('/index') ? 100 : 0);
}

/** Families whose files are linked across files (facts of kind `js`): JS/TS, and Python (python-facts.ts). */
/** Languages whose facts the linker resolves across files: JS and those of LINKED_EXTRACTORS. */
function isLinked(lang: LanguageInfo): boolean {
  return lang.family === 'js' || linkedExtractor(lang) !== undefined;
}

function linkedExtractor(lang: LanguageInfo): (typeof LINKED_EXTRACTORS)[string] | undefined {
  return lang.grammar !== undefined && Object.prototype.hasOwnProperty.call(LINKED_EXTRACTORS, lang.grammar) ? LINKED_EXTRACTORS[lang.grammar] : undefined;
}

/** Languages whose types any file of the module may declare or extend (swift-facts.ts). */
function declaresTypes(lang: LanguageInfo): boolean {
  return lang.grammar === 'swift';
}

/** Go: method bindings (`Type.Method` → a function that forwards something) of a file's facts, as [binding, method]. */
function goForwardingMethodBindings(f: FileFacts | undefined): Array<[string, string]> {
  if (f?.kind !== 'js' || f.package === undefined) return [];
  const out: Array<[string, string]> = [];
  for (const [key, v] of Object.entries(f.bindings)) {
    const dot = key.indexOf('.');
    if (dot > 0 && v.t === 'fn' && f.fns[v.id]?.forwards.length) out.push([key, key.slice(dot + 1)]);
  }
  return out;
}

function goForwardingMethods(f: FileFacts | undefined): string[] {
  return goForwardingMethodBindings(f).map(([, method]) => method);
}

function isQuiet(facts: FileFacts | undefined): boolean {
  return facts?.kind === 'js' && facts.blanked !== undefined;
}

function containsAny(lazy: LazyText, terms: readonly string[]): boolean {
  if (lazy.containsAny) return lazy.containsAny(terms);
  return terms.some((t) => lazy.contains(t));
}

function textLazy(text: string): LazyText {
  return { contains: (t) => text.includes(t), text: () => text };
}

function surfaceOfEntry(entry: Entry): string {
  entry.surface ??= surfaceOf(entry.facts);
  return entry.surface;
}

/**
 * Leaves out the call sites that this file alone shows can never be wrapper
 * calls (`this.cache.get(id)`, a local helper that forwards nothing): their
 * callee resolves without looking at any other file or module path, and not
 * to a function forwarding a key. The rest (imports, anything reaching
 * another file) stay for the linker. Most call sites of ordinary code go, and
 * with them most of the memory facts take.
 */
export function dropLocalDeadCalls(facts: JsFacts): JsFacts {
  if (!facts.sites.some((s) => s.t === 'call')) return facts;
  const file = facts.file;
  const local = new Linker({ factsOf: (f) => (f === file ? facts : undefined), exists: () => false }, { markImports: true });
  facts.sites = facts.sites.filter((s) => s.t !== 'call' || local.mayCallWrapper(file, s.callee));
  return facts;
}

/** The part of a file's facts other files can see: a change here re-links its dependents. */
function surfaceOf(facts: FileFacts | undefined): string {
  if (!facts || facts.kind !== 'js') return '';
  return JSON.stringify([facts.bindings, facts.imports, facts.exports, facts.stars, facts.fns]);
}

/**
 * Names under which a file's wrapper-ish functions are called: a function
 * forwarding a parameter to an SDK call, or to a call of a known wrapper name;
 * its export aliases; and for a default export, the module's base name
 * (what an `import x from './use-flag'` line contains).
 *
 * Names are looked for as plain text in other files, so a very short one
 * would match nearly every file: JS keeps three letters at least (a vendored
 * minified bundle is full of two-letter forwarders), the other languages two
 * (`fun ff(key: String) = PostHog.isFeatureEnabled(key)` in Kotlin, `F.on(…)`).
 */
function wrapperNamesOf(file: string, facts: JsFacts, known: Set<string>, minLength: number): string[] {
  const out: string[] = [];
  const ids = new Set<number>();
  let grew = true;
  while (grew) {
    grew = false;
    facts.fns.forEach((fn, id) => {
      if (ids.has(id)) return;
      const is = fn.forwards.some((f) => f.to === 'sdk' || (f.to === 'call' && calleeName(f.callee, facts, ids, known)));
      if (is) {
        ids.add(id);
        grew = true;
      }
    });
  }
  if (!ids.size) return out;
  for (const id of ids) out.push(facts.fns[id].name);
  const boundTo = new Map<string, number>();
  for (const [name, e] of Object.entries(facts.bindings)) {
    if (e.t === 'fn') boundTo.set(name, e.id);
    if (e.t === 'obj') for (const [p, v] of Object.entries(e.props)) if (v.t === 'fn' && ids.has(v.id)) out.push(name, p);
  }
  for (const [exported, ex] of Object.entries(facts.exports)) {
    if (!('local' in ex)) continue;
    const id = boundTo.get(ex.local);
    if (id === undefined || !ids.has(id)) continue;
    if (exported === 'default') out.push(moduleBaseName(file));
    else out.push(exported);
  }
  return out.filter((n) => n.length >= minLength && n !== 'default');
}

function calleeName(callee: JsFacts['fns'][number]['forwards'][number] extends infer F ? (F extends { callee: infer C } ? C : never) : never, facts: JsFacts, ids: Set<number>, known: Set<string>): boolean {
  if (callee.t === 'fn') return ids.has(callee.id);
  if (callee.t === 'name') {
    const b = facts.bindings[callee.name];
    if (b?.t === 'fn') return ids.has(b.id);
    const imp = facts.imports[callee.name];
    return known.has(callee.name) || (!!imp && known.has(imp.name));
  }
  if (callee.t === 'member') return known.has(callee.path[callee.path.length - 1]);
  return false;
}

function moduleBaseName(file: string): string {
  const parts = file.split('/');
  let base = parts[parts.length - 1].replace(/\.[^.]+$/, '');
  if (base === 'index' && parts.length > 1) base = parts[parts.length - 2];
  return base;
}

function spanOf(s: Span): Span {
  return { line: s.line, column: s.column, endLine: s.endLine, endColumn: s.endColumn };
}

function spanLength(s: Span): number {
  return (s.endLine - s.line) * 100000 + (s.endColumn - s.column);
}

/** Inclusive of the end, so a cursor just after the last character still hits. */
function contains(s: Span, at: { line: number; column: number }): boolean {
  if (at.line < s.line || at.line > s.endLine) return false;
  if (at.line === s.line && at.column < s.column) return false;
  if (at.line === s.endLine && at.column > s.endColumn) return false;
  return true;
}
