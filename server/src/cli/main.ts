// The `posthog-flags` command: one table of sub-commands, each in
// commands/<name>.ts exporting `run(argv, io): Promise<number>`.
import { version } from '../../../package.json';
import { UsageError } from './args';
import { redact } from '../posthog/redact';
import { EXIT_OK, EXIT_USAGE, redactingIo, type CliCommand, type CliIo } from './io';

interface CommandEntry {
  summary: string;
  usage: string;
  load: () => Promise<CliCommand>;
}

/** Every sub-command. Adding one is one entry here plus its module. */
export const COMMANDS: Record<string, CommandEntry> = {
  scan: {
    summary: 'list every feature-flag usage in a folder',
    usage: 'posthog-flags scan [dir] [--json] [--include GLOB]… [--exclude GLOB]… [--ref REF]',
    load: () => import('./commands/scan'),
  },
  check: {
    summary: "compare the usages with the project's flags (CI)",
    usage: 'posthog-flags check [dir] [--format text|json|sarif|github] [--host URL] [--project ID] [--flags-file FILE] [--fail-on error|warning|never] [--ref REF]',
    load: () => import('./commands/check'),
  },
  pull: {
    summary: 'write a flags snapshot (for --flags-file / POSTHOG_FLAGS_FILE)',
    usage: 'posthog-flags pull [--host URL] [--project ID] [--out FILE]',
    load: () => import('./commands/pull'),
  },
  report: {
    summary: 'every flag in code or in PostHog, with its state and usages',
    usage: 'posthog-flags report [dir] [--ref REF] [--format text|json|markdown|csv] [--host URL] [--project ID] [--flags-file FILE]',
    load: () => import('./commands/report'),
  },
  diff: {
    summary: 'flag usages added or removed between two git refs',
    usage: 'posthog-flags diff BASE HEAD [dir] [--format text|json|markdown] [--host URL] [--project ID] [--flags-file FILE]',
    load: () => import('./commands/diff'),
  },
};

export function usageText(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  const synopses = Object.values(COMMANDS).map((c) => `  ${c.usage}`);
  return [
    'Usage: posthog-flags <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    ...synopses,
    '',
    'Options: --help (also after a command), --version',
    '',
  ].join('\n');
}

/** Runs the CLI in-process; resolves to the exit status. */
export async function runCli(argv: string[], rawIo: CliIo): Promise<number> {
  const io = redactingIo(rawIo);
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? io.stderr : io.stdout).write(usageText());
    return name === undefined ? EXIT_USAGE : EXIT_OK;
  }
  if (name === '--version' || name === '-v') {
    io.stdout.write(`${version}\n`);
    return EXIT_OK;
  }
  const entry = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!entry) {
    io.stderr.write(`posthog-flags: unknown command '${name}'\n\n${usageText()}`);
    return EXIT_USAGE;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(`Usage: ${entry.usage}\n`);
    return EXIT_OK;
  }
  try {
    const command = await entry.load();
    return await command.run(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(`posthog-flags ${name}: ${err.message}\nUsage: ${entry.usage}\n`);
      return EXIT_USAGE;
    }
    throw err;
  }
}

if (require.main === module) {
  const io: CliIo = { cwd: process.cwd(), env: process.env, stdout: process.stdout, stderr: process.stderr };
  // Exit explicitly once stdout and stderr have flushed: background work such as
  // V8 optimising a large tree-sitter grammar would otherwise hold the process for seconds.
  const exit = (status: number) => process.stdout.write('', () => process.stderr.write('', () => process.exit(status)));
  runCli(process.argv.slice(2), io).then(exit, (err: unknown) => {
    const text = `posthog-flags: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`;
    process.stderr.write(redact(text, process.env.POSTHOG_PERSONAL_API_KEY?.trim() || undefined));
    exit(70);
  });
}
