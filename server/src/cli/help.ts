/**
 * `posthog-flags <command> --help`: every option of the command with one
 * sentence, the environment variables it reads and its exit statuses.
 * test/cli/usability.test.ts checks that each command's help names exactly
 * the options its parser accepts.
 */

export interface CommandHelp {
  /** One line: what the command does. */
  summary: string;
  /** The synopsis, without the leading `posthog-flags `. */
  usage: string;
  /** Positional arguments: [name, sentence]. */
  args: Array<[string, string]>;
  /** [`--option VALUE`, sentence]; the option name is the first word. */
  options: Array<[string, string]>;
  env: Array<[string, string]>;
  exits: Array<[number, string]>;
}

const SCAN_OPTIONS: Array<[string, string]> = [
  ['--include GLOB', 'Only scan source files matching this gitignore-style pattern (repeatable); also re-includes a build-output folder it names, e.g. --include "packages/ui/dist/**".'],
  ['--exclude GLOB', 'Leave out files and folders matching this gitignore-style pattern (repeatable), on top of .gitignore, node_modules and build output.'],
  ['--ref REF', 'Read the tree of a git branch, tag or commit from the repository instead of the work tree (no checkout; work tree and index untouched).'],
];

const CACHE_OPTIONS: Array<[string, string]> = [
  ['--cache', 'Keep the facts of each file in the index cache ($XDG_CACHE_HOME/posthog-flags, else ~/.cache/posthog-flags; one entry per folder) and reuse them for unchanged files: the same results, faster. Work tree only (not with --ref).'],
  ['--cache-location PATH', 'Keep the index cache in the directory PATH instead (implies --cache), e.g. a folder your CI caches between runs.'],
];

const FLAG_SOURCE: Array<[string, string]> = [
  ['--host URL', 'PostHog app URL, e.g. https://eu.posthog.com or a self-hosted instance (default: POSTHOG_HOST, else https://us.posthog.com).'],
  ['--project ID', 'PostHog project id, the number in /project/12345 (default: POSTHOG_PROJECT_ID, else the key\'s current project).'],
  ['--flags-file FILE', 'Read the flags from a snapshot written by `posthog-flags pull` (or any body of PostHog\'s flag list endpoint) instead of the API.'],
];

const FLAG_SOURCE_ENV: Array<[string, string]> = [
  ['POSTHOG_PERSONAL_API_KEY', 'personal API key (phx_…) for the API; never printed'],
  ['POSTHOG_HOST', 'PostHog app URL when --host is not given'],
  ['POSTHOG_PROJECT_ID', 'project id when --project is not given'],
  ['POSTHOG_FLAGS_FILE', 'snapshot file when --flags-file is not given (wins over the API)'],
];

const COLOR_ENV: Array<[string, string]> = [
  ['NO_COLOR', 'no colour in text output'],
  ['FORCE_COLOR', 'colour in text output even off a terminal ("0" turns it off)'],
];

const HELP: Array<[string, string]> = [['--help, -h', 'Print this help.']];
const CACHE_ENV: [string, string] = ['XDG_CACHE_HOME', 'with --cache: the cache directory is $XDG_CACHE_HOME/posthog-flags (else ~/.cache/posthog-flags)'];
const DIR: [string, string] = ['dir', 'The folder to scan (default: the current folder); with --ref, the repository root or a folder in it.'];

export const COMMAND_HELP: Record<string, CommandHelp> = {
  scan: {
    summary: 'list every feature-flag usage in a folder',
    usage: 'scan [dir] [--json] [--include GLOB]… [--exclude GLOB]… [--ref REF] [--cache] [--cache-location PATH]',
    args: [DIR],
    options: [['--json', 'Print one JSON object (root, filesScanned, usages, unresolved, skipped) instead of text.'], ...SCAN_OPTIONS, ...CACHE_OPTIONS, ...HELP],
    env: [...COLOR_ENV, CACHE_ENV],
    exits: [
      [0, 'the scan ran'],
      [2, 'bad usage (unknown option, missing value) or an unreadable folder or ref'],
    ],
  },
  check: {
    summary: "compare the usages with the project's flags (CI)",
    usage: 'check [dir] [--format text|json|sarif|github] [--fail-on error|warning|never] [--sarif-file FILE] [--group-by file|code] [--since SNAPSHOT [--slack-webhook URL]] [--include GLOB]… [--exclude GLOB]… [--ref REF] [--cache] [--cache-location PATH] [--host URL] [--project ID] [--flags-file FILE]',
    args: [DIR],
    options: [
      ['--format FORMAT', 'text (default), json, sarif (SARIF 2.1.0 for code scanning) or github (workflow annotations, paths relative to the repository root).'],
      ['--fail-on LEVEL', 'Exit 1 when a problem of this severity or worse exists: error (default), warning or never.'],
      ['--sarif-file FILE', 'Also write the SARIF log to FILE, whatever --format prints.'],
      ['--group-by KIND', 'Group the text output by file (default) or by code.'],
      ['--since SNAPSHOT', 'Also list what changed since a snapshot written earlier by `posthog-flags pull` in the flags the code uses (enabled, disabled, rollout, conditions, variants, deleted, released to everyone): after the problems in text, as "changes" in JSON, as notices with github.'],
      ['--slack-webhook URL', 'With --since: post those changes to a Slack incoming webhook as one message (nothing when nothing changed). A failed post is said on stderr and does not change the exit status.'],
      ...SCAN_OPTIONS,
      ...CACHE_OPTIONS,
      ...FLAG_SOURCE,
      ...HELP,
    ],
    env: [...FLAG_SOURCE_ENV, ['POSTHOG_FLAGS_SLACK_WEBHOOK', 'Slack incoming webhook URL when --slack-webhook is not given (used only with --since)'], ...COLOR_ENV, CACHE_ENV],
    exits: [
      [0, 'no problem at or above --fail-on'],
      [1, 'a problem at or above --fail-on'],
      [2, 'bad usage: unknown option, bad value, missing folder, a ref that does not resolve, a SARIF file that cannot be written'],
      [3, 'the flag source cannot be reached or rejects the key (the reason on stderr)'],
    ],
  },
  pull: {
    summary: 'write a flags snapshot (for --flags-file / POSTHOG_FLAGS_FILE)',
    usage: 'pull [--host URL] [--project ID] [--out FILE]',
    args: [],
    options: [FLAG_SOURCE[0], FLAG_SOURCE[1], ['--out FILE, -o FILE', 'Write the snapshot to FILE (atomically) instead of stdout.'], ...HELP],
    env: FLAG_SOURCE_ENV.filter(([name]) => name !== 'POSTHOG_FLAGS_FILE'),
    exits: [
      [0, 'the snapshot was written'],
      [2, 'bad usage, no personal API key, or FILE cannot be written'],
      [3, 'PostHog cannot be reached or rejects the key'],
    ],
  },
  report: {
    summary: 'every flag in code or in PostHog, with its state and usages',
    usage: 'report [dir] [--format text|json|markdown|csv] [--apply-tags [--yes] [--repo NAME]] [--include GLOB]… [--exclude GLOB]… [--ref REF] [--cache] [--cache-location PATH] [--host URL] [--project ID] [--flags-file FILE]',
    args: [DIR],
    options: [
      ['--format FORMAT', 'text (default), json, markdown (for a pull-request comment) or csv.'],
      ['--apply-tags', 'Tag the flags used in code with code:<repo> in PostHog so its flags page can filter for them; a dry run that lists them unless --yes.'],
      ['--yes', 'With --apply-tags: really add the tags (needs POSTHOG_PERSONAL_API_KEY, even when the flags come from a snapshot).'],
      ['--repo NAME', 'With --apply-tags: the name in the tag (default: the scanned folder\'s name).'],
      ...SCAN_OPTIONS,
      ...CACHE_OPTIONS,
      ...FLAG_SOURCE,
      ...HELP,
    ],
    env: [...FLAG_SOURCE_ENV, ...COLOR_ENV, CACHE_ENV],
    exits: [
      [0, 'the report ran (whatever it lists)'],
      [2, 'bad usage or a ref that does not resolve'],
      [3, 'the flag source cannot be reached or rejects the key'],
    ],
  },
  eval: {
    summary: 'what one person gets for each flag (value, payload and why), evaluated locally like PostHog\'s server SDKs',
    usage: 'eval --distinct-id ID [dir] [--flag KEY]… [--all] [--person-properties JSON] [--groups JSON] [--group-properties JSON] [--format text|json] [--include GLOB]… [--exclude GLOB]… [--ref REF] [--host URL] [--project ID] [--flags-file FILE]',
    args: [['dir', 'The folder whose code decides which flags are evaluated (default: the current folder); not read with --all or --flag.']],
    options: [
      ['--distinct-id ID', 'The person\'s distinct id (required): it decides their rollout and variant buckets.'],
      ['--flag KEY', 'Evaluate this flag (repeatable) instead of the flags the code uses.'],
      ['--all', 'Evaluate every flag of the project instead of the flags the code uses.'],
      ['--person-properties JSON', 'The person\'s properties, e.g. \'{"email":"a@acme.com"}\'; without it they are read from PostHog (the key needs person:read).'],
      ['--groups JSON', 'The person\'s groups, group type → group key, e.g. \'{"company":"acme"}\' (for flags aggregated by groups).'],
      ['--group-properties JSON', 'Properties per group type, e.g. \'{"company":{"plan":"enterprise"}}\'.'],
      ['--format FORMAT', 'text (default) or json ({distinctId, flags: [{key, value, payload, reason: {code, conditionIndex?, description}}]}).'],
      ...SCAN_OPTIONS,
      ['--host URL', FLAG_SOURCE[0][1]],
      ['--project ID', FLAG_SOURCE[1][1]],
      ['--flags-file FILE', 'Read the flag definitions from a snapshot instead of the API (offline; cohorts it does not define cannot be evaluated).'],
      ...HELP,
    ],
    env: [
      ['POSTHOG_PERSONAL_API_KEY', 'personal API key (phx_…) with feature_flag:read (flag definitions and cohorts) and person:read (person properties); never printed'],
      ...FLAG_SOURCE_ENV.slice(1),
    ],
    exits: [
      [0, 'the flags were evaluated (whatever their values; a flag that cannot be evaluated locally says so)'],
      [2, 'bad usage: no --distinct-id, JSON that does not parse, no flag source'],
      [3, 'the flag source cannot be reached or rejects the key'],
    ],
  },
  diff: {
    summary: 'flag usages added or removed between two git refs',
    usage: 'diff BASE HEAD [dir] [--format text|json|markdown] [--include GLOB]… [--exclude GLOB]… [--host URL] [--project ID] [--flags-file FILE]',
    args: [
      ['BASE HEAD', 'The git refs to compare (branches, tags or commits), read from the repository\'s objects.'],
      DIR,
    ],
    options: [
      ['--format FORMAT', 'text (default), json or markdown (for a pull-request comment).'],
      SCAN_OPTIONS[0],
      SCAN_OPTIONS[1],
      ...FLAG_SOURCE,
      ...HELP,
    ],
    env: [...FLAG_SOURCE_ENV, ...COLOR_ENV],
    exits: [
      [0, 'the diff ran (whatever it lists)'],
      [2, 'bad usage or a ref that does not resolve'],
      [3, 'the flag source cannot be reached or rejects the key'],
    ],
  },
  cleanup: {
    summary: 'remove a flag from the code, keeping the code of one value',
    usage: 'cleanup KEY [dir] --keep enabled|disabled|VARIANT [--write] [--format diff|json] [--include GLOB]… [--exclude GLOB]…',
    args: [
      ['KEY', 'The flag key to remove (found as scan finds it: literals, constants, wrappers, across files).'],
      ['dir', 'The folder to rewrite (default: the current folder).'],
    ],
    options: [
      ['--keep VALUE', 'The value the flag now always has: enabled, disabled or a variant key. Its code is kept, the rest removed.'],
      ['--write', 'Rewrite the files in place instead of printing a diff.'],
      ['--format FORMAT', 'diff (default: a unified diff that git apply reads) or json ({key, keep, files: [{file, edits}], manual: [{file, line, column, reason}]}).'],
      SCAN_OPTIONS[0],
      SCAN_OPTIONS[1],
      ...HELP,
    ],
    env: [],
    exits: [
      [0, 'it ran, whether or not there was anything to change (a KEY not in the code is said on stderr); sites left as they are are listed as manual'],
      [2, 'bad usage: missing KEY or --keep, unknown option, bad value, missing folder'],
    ],
  },
};

/** The long names (`--json`, `--out`…) a command's help documents. */
export function documentedOptions(command: string): string[] {
  return COMMAND_HELP[command].options.flatMap(([spec]) => spec.split(', ').map((s) => s.split(' ')[0])).filter((s) => s.startsWith('--'));
}

function table(rows: Array<[string, string]>): string[] {
  const width = Math.min(24, Math.max(...rows.map(([a]) => a.length)));
  return rows.map(([a, b]) => (a.length > width ? `  ${a}\n  ${''.padEnd(width)}  ${b}` : `  ${a.padEnd(width)}  ${b}`));
}

/** The full help of one command. */
export function commandHelpText(command: string): string {
  const h = COMMAND_HELP[command];
  const out = [`Usage: posthog-flags ${h.usage}`, '', `${h.summary[0].toUpperCase()}${h.summary.slice(1)}.`, ''];
  if (h.args.length) out.push('Arguments:', ...table(h.args), '');
  out.push('Options:', ...table(h.options), '');
  if (h.env.length) out.push('Environment:', ...table(h.env), '');
  out.push('Exit status:', ...table(h.exits.map(([code, text]) => [String(code), text])), '');
  return out.join('\n');
}
