/**
 * Runs the fake PostHog alone, for manual use:
 *   npx tsx test/fake-posthog/main.ts --port 0 [--flags 50] [--seed 1] [--shape newest|older]
 * Prints its URL and a fake personal API key, then serves until killed.
 */
import { generateFlags } from './generate';
import { FAKE_KEY, startFakePostHog } from './server';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main() {
  const n = Number(arg('flags') ?? 25);
  const cohorts = [
    { id: 42, name: 'Beta testers', count: 120, is_static: true },
    { id: 43, name: 'Paying customers', count: 3400, is_static: false },
  ];
  const fake = await startFakePostHog({
    port: Number(arg('port') ?? 0),
    shape: arg('shape') === 'older' ? 'older' : 'newest',
    projects: [{ id: Number(arg('project') ?? 1), name: 'Demo', flags: generateFlags(n, { seed: Number(arg('seed') ?? 1), cohortIds: [42, 43] }), cohorts }],
  });
  console.log(`fake PostHog listening on ${fake.url}`);
  console.log(`personal API key: ${FAKE_KEY}`);
  console.log(`try: POSTHOG_HOST=${fake.url} POSTHOG_PERSONAL_API_KEY=${FAKE_KEY} npx posthog-flags pull`);
  const stop = () => void fake.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

void main();
