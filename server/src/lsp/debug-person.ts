/**
 * The person being debugged (`posthog.evaluateFor`, interfaces.md
 * "Debugging"): who it is, the flag definitions their values come from, and
 * each flag's value and reason (core/eval, the CLI's `eval`). Hovers and
 * inlay hints read `evaluation(key)` from memory; nothing here blocks a
 * request on the network.
 *
 * Where things come from is the `DebugSource` the server hands in (the
 * PostHog API, a snapshot file, or nothing): the local evaluation
 * endpoint's definitions, the persons endpoint for properties not given.
 * When the flags refresh, `reload()` fetches definitions (and the person)
 * again and re-evaluates; a newer `set` or `clear` wins over a load still
 * in flight.
 */
import { evaluateFlag, evaluateFlags, type EvaluationSubject, type FlagDefinitions, type FlagEvaluation } from '../core/eval';
import type { Result } from '../core/types';
import type { PersonLookup } from '../posthog/local-evaluation';
import type { EvaluateForResult } from '../shared/debug';

/** A value or why there is none. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; message: string };

/** Where definitions and persons come from, for the flag source in use. */
export interface DebugSource {
  definitions(): Promise<Result<FlagDefinitions, { message: string }>>;
  /** The person's properties from PostHog; undefined when the source cannot read persons (snapshot only). */
  person?(distinctId: string): Promise<Result<PersonLookup, { message: string }>>;
  /** Why person properties are not read (a snapshot): the note shown when none are given. */
  noPersonsNote?: string;
}

export interface DebugRequest {
  distinctId: string;
  personProperties?: Record<string, unknown>;
  groups?: Record<string, string>;
  groupProperties?: Record<string, Record<string, unknown>>;
}

interface Loaded {
  request: DebugRequest;
  defs: FlagDefinitions;
  subject: EvaluationSubject;
  propertiesFrom: 'given' | 'posthog' | 'none';
  notes: string[];
  evaluations: Map<string, FlagEvaluation>;
}

export class DebugPerson {
  private current: Loaded | undefined;
  /** Bumped by every set/clear: a load that finishes under an older generation is dropped. */
  private generation = 0;
  /** Counts reloads: a reload that finishes after a later one started is dropped. */
  private reloads = 0;

  constructor(
    private readonly source: () => DebugSource,
    /** Called after the person or their values changed (status, inlay hint refresh). */
    private readonly onChanged: () => void,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** The distinct id being debugged, if any. */
  get distinctId(): string | undefined {
    return this.current?.request.distinctId;
  }

  /** The person's value and reason for `key` (a key PostHog does not have is `missing`); undefined when nobody is debugged. */
  evaluation(key: string): FlagEvaluation | undefined {
    const c = this.current;
    if (!c) return undefined;
    let e = c.evaluations.get(key);
    if (!e) {
      e = evaluateFlag(c.defs, key, c.subject, { now: this.now() });
      c.evaluations.set(key, e);
    }
    return e;
  }

  /**
   * Starts debugging `request`: loads definitions (and the person when no
   * properties are given), evaluates, then switches. On failure nothing
   * changes and the message says why.
   */
  async set(request: DebugRequest, keysInCode: () => Iterable<string>): Promise<Outcome<EvaluateForResult>> {
    const generation = ++this.generation;
    const loaded = await this.load(request);
    if (!loaded.ok) return loaded;
    if (generation !== this.generation) return { ok: false, message: `Debugging ${request.distinctId} was replaced by a newer request.` };
    this.current = loaded.value;
    this.onChanged();
    return { ok: true, value: this.describe(keysInCode) };
  }

  clear(): EvaluateForResult {
    this.generation++;
    const had = this.current !== undefined;
    this.current = undefined;
    if (had) this.onChanged();
    return { debugging: null };
  }

  /** Flags refreshed: load again for the same person and re-evaluate. A failure keeps the last values (and is returned). */
  async reload(): Promise<Outcome<void>> {
    const c = this.current;
    if (!c) return { ok: true, value: undefined };
    const generation = this.generation;
    const reload = ++this.reloads;
    const loaded = await this.load(c.request);
    // Only the latest reload counts (two refreshes close together: the later one read the newer definitions).
    if (generation !== this.generation || reload !== this.reloads) return { ok: true, value: undefined };
    if (!loaded.ok) return loaded;
    this.current = loaded.value;
    this.onChanged();
    return { ok: true, value: undefined };
  }

  /** The command's answer: the flags the code uses (sorted), evaluated. */
  describe(keysInCode: () => Iterable<string>): EvaluateForResult {
    const c = this.current;
    if (!c) return { debugging: null };
    const keys = [...new Set(keysInCode())].sort();
    return {
      debugging: c.request.distinctId,
      flags: keys.map((k) => {
        const { key, value, payload, reason } = this.evaluation(k)!;
        return { key, value, payload, reason: { ...reason } };
      }),
      personProperties: c.propertiesFrom,
      notes: [...c.notes],
    };
  }

  private async load(request: DebugRequest): Promise<Outcome<Loaded>> {
    const source = this.source();
    const defs = await source.definitions();
    if (!defs.ok) return { ok: false, message: defs.error.message };
    const notes: string[] = [];
    let personProperties = request.personProperties;
    let propertiesFrom: Loaded['propertiesFrom'] = 'given';
    if (!personProperties) {
      propertiesFrom = 'none';
      if (source.person) {
        const person = await source.person(request.distinctId);
        if (!person.ok) return { ok: false, message: person.error.message };
        if (person.value.note) notes.push(person.value.note);
        if (person.value.properties) {
          personProperties = person.value.properties;
          propertiesFrom = 'posthog';
        }
      } else if (source.noPersonsNote) notes.push(source.noPersonsNote);
    }
    const subject: EvaluationSubject = {
      distinctId: request.distinctId,
      personProperties: personProperties ?? {},
      groups: request.groups,
      groupProperties: request.groupProperties,
    };
    const evaluations = new Map<string, FlagEvaluation>();
    for (const e of evaluateFlags(defs.value, subject, undefined, { now: this.now() })) evaluations.set(e.key, e);
    return { ok: true, value: { request, defs: defs.value, subject, propertiesFrom, notes, evaluations } };
  }
}
