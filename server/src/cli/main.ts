// The `posthog-flags` command: one table of sub-commands, each in
// commands/<name>.ts exporting `run(argv, io): Promise<number>`.
import { version } from '../../../package.json';
import { UsageError, usageErrorText } from './args';
import { COMMAND_HELP, commandHelpText } from './help';
import { redact } from '../posthog/redact';
import { EXIT_OK, EXIT_USAGE, redactingIo, type CliCommand, type CliIo } from './io';

interface CommandEntry {
  summary: string;
  usage: string;
  load: () => Promise<CliCommand>;
}

const LOADERS: Record<string, () => Promise<CliCommand>> = {
  scan: () => import('./commands/scan'),
  check: () => import('./commands/check'),
  pull: () => import('./commands/pull'),
  report: () => import('./commands/report'),
  diff: () => import('./commands/diff'),
  eval: () => import('./commands/eval'),
  cleanup: () => import('./commands/cleanup'),
};

/** Every sub-command (its help in help.ts, its code in commands/<name>.ts). Adding one is one entry in each. */
export const COMMANDS: Record<string, CommandEntry> = Object.fromEntries(
  Object.entries(LOADERS).map(([name, load]) => [name, { summary: COMMAND_HELP[name].summary, usage: `posthog-flags ${COMMAND_HELP[name].usage}`, load }]),
);

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
    'Options: --help (also after a command: every option, environment variable and exit status), --version',
    '',
    'Run from a clone: npm ci && npm run build, then node dist/cli.js <command> (or npm link once, then posthog-flags <command>).',
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
    io.stdout.write(commandHelpText(name));
    return EXIT_OK;
  }
  try {
    const command = await entry.load();
    return await command.run(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(`posthog-flags ${name}: ${usageErrorText(name, err)}\nUsage: ${entry.usage}\n`);
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
