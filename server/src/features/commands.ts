import { ErrorCodes, LSPErrorCodes, ResponseError, type ExecuteCommandParams } from 'vscode-languageserver';
import type { ServerState } from '../lsp/state';
import { flagUrl, keysEverywhere } from '../lsp/state';
import { distinctIdProblem, groupPropertiesProblem, groupsProblem, personPropertiesProblem } from '../shared/debug';
import { ServerCommand } from '../shared/commands';
import { flagUsages } from './references';
import { flagKeyProblem } from '../shared/flag-key';

import type { FlagWrites } from '../lsp/flag-writes';

export type { FlagWrites };

export interface CommandDeps {
  writes: FlagWrites;
  /** Re-fetch flags (after any pending Retry-After); resolves when done. */
  refresh(): Promise<{ ok: boolean; message?: string; flagCount?: number }>;
  /** window/showDocument external, when the client supports it. */
  openExternal(url: string): Promise<boolean>;
}

/**
 * `workspace/executeCommand` (interfaces.md "Commands"): `arguments` is a
 * one-element array `[{…}]`. The server never prompts; a PostHog refusal
 * becomes a ResponseError carrying PostHog's detail.
 */
export async function executeCommand(state: ServerState, deps: CommandDeps, params: ExecuteCommandParams): Promise<unknown> {
  const arg = (params.arguments?.[0] ?? {}) as Record<string, unknown>;
  if (typeof arg !== 'object' || arg === null) throw invalid('arguments must be a one-element array [{…}]');
  switch (params.command) {
    case ServerCommand.createFlag: {
      const key = requireKey(arg);
      const invalidReason = flagKeyProblem(key);
      if (invalidReason) throw invalid(invalidReason);
      const name = arg.name === undefined ? undefined : String(arg.name);
      const rollout = arg.rolloutPercentage;
      if (rollout !== undefined && (typeof rollout !== 'number' || !(rollout >= 0 && rollout <= 100))) throw invalid('rolloutPercentage must be a number from 0 to 100');
      if (arg.active !== undefined && typeof arg.active !== 'boolean') throw invalid('active must be true or false');
      const result = await deps.writes.createFlag({ key, name, rolloutPercentage: rollout as number | undefined, active: arg.active as boolean | undefined });
      if (!result.ok) throw refused(result.message);
      await deps.refresh();
      return result.flag;
    }
    case ServerCommand.toggleFlag: {
      const key = requireKey(arg);
      if (typeof arg.active !== 'boolean') throw invalid('active must be true or false');
      const result = await deps.writes.toggleFlag({ key, active: arg.active });
      if (!result.ok) throw refused(result.message);
      await deps.refresh();
      return result.result;
    }
    case ServerCommand.changeRollout: {
      const key = requireKey(arg);
      const pct = arg.rolloutPercentage;
      if (typeof pct !== 'number' || !Number.isFinite(pct) || pct < 0 || pct > 100) throw invalid('rolloutPercentage must be a number from 0 to 100');
      const result = await deps.writes.changeRollout({ key, rolloutPercentage: pct });
      if (!result.ok) throw refused(result.message);
      await deps.refresh();
      return result.result;
    }
    case ServerCommand.refresh: {
      const r = await deps.refresh();
      return { ok: r.ok, ...(r.message ? { message: r.message } : {}), ...(r.flagCount !== undefined ? { flagCount: r.flagCount } : {}) };
    }
    case ServerCommand.flagUsages:
      return flagUsages(state, requireKey(arg));
    case ServerCommand.openInPostHog: {
      const key = requireKey(arg);
      const flag = state.flags.snapshot?.byKey.get(key);
      const url = flagUrl(state, state.flags.snapshot, flag?.id);
      if (!url) throw invalid(`No PostHog page is known for '${key}'`);
      const opened = await deps.openExternal(url);
      return { url, opened };
    }
    case ServerCommand.evaluateFor: {
      if (arg.distinctId === undefined && arg.personProperties === undefined && arg.groups === undefined) return state.debug.clear();
      const problem =
        distinctIdProblem(arg.distinctId) ??
        personPropertiesProblem(arg.personProperties) ??
        groupsProblem(arg.groups) ??
        groupPropertiesProblem(arg.groupProperties);
      if (problem) throw invalid(problem);
      const r = await state.debug.set(
        {
          distinctId: String(arg.distinctId),
          personProperties: arg.personProperties as Record<string, unknown> | undefined,
          groups: arg.groups as Record<string, string> | undefined,
          groupProperties: arg.groupProperties as Record<string, Record<string, unknown>> | undefined,
        },
        () => keysEverywhere(state),
      );
      if (!r.ok) throw refused(r.message);
      return r.value;
    }
    default:
      throw new ResponseError(ErrorCodes.MethodNotFound, `Unknown command '${params.command}'`);
  }
}

function requireKey(arg: Record<string, unknown>): string {
  if (typeof arg.key !== 'string' || !arg.key) throw invalid('a flag key is required: arguments [{"key": "…"}]');
  return arg.key;
}

function invalid(message: string): ResponseError<void> {
  return new ResponseError(ErrorCodes.InvalidParams, message);
}

/** A PostHog refusal: the message carries PostHog's detail. */
function refused(message: string): ResponseError<void> {
  return new ResponseError(LSPErrorCodes.RequestFailed, message);
}
