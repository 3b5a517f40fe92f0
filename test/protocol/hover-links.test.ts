import assert from 'node:assert/strict';
import { join } from 'node:path';
import { hoverText, positionOf, rawFlag, startSession, type Session } from './helpers';

/** A flag whose hover is long: many release conditions, variants and payloads. */
const longFlag = rawFlag(11, 'long-flag', {
  filters: {
    groups: Array.from({ length: 12 }, (_, i) => ({ properties: [{ key: 'email', type: 'person', value: `@team${i}.com`, operator: 'icontains' }], rollout_percentage: 10 + i, variant: null })),
    payloads: { control: '{"a":1}', test: '{"b":2}', third: '{"c":3}' },
    multivariate: { variants: [{ key: 'control', rollout_percentage: 34 }, { key: 'test', rollout_percentage: 33 }, { key: 'third', rollout_percentage: 33 }] },
  },
  tags: ['growth', 'checkout'],
});
const TEXT = "import posthog from 'posthog-js';\nexport const v = posthog.getFeatureFlag('long-flag');\nexport const m = posthog.isFeatureEnabled('not-created-yet');\n";

describe('language server: hover action links stay on top', () => {
  let s: Session;
  let file: string;
  before(async () => {
    s = await startSession({ files: { 'src/a.ts': TEXT }, flags: [longFlag], initializationOptions: { clientCommands: true } });
    file = join(s.dir, 'src/a.ts');
  });
  after(async () => s?.dispose());

  it('puts Open in PostHog, Enable/Disable and Show usages right after the title of a long hover', async () => {
    const at = positionOf(TEXT, 'long-flag');
    const lines = hoverText(await s.client.hover(file, at.line, at.character)).split('\n');
    assert.ok(lines.length > 25, `the hover is long (${lines.length} lines)`);
    const links = lines.findIndex((l) => l.includes('[Open in PostHog]('));
    assert.ok(links > 0 && links <= 2, `links on line ${links}, right after the title`);
    assert.match(lines[links], /\[Disable\]\(command:posthogFlags\.toggleFlag\?.*\[Show usages\]\(command:posthogFlags\.showFlagUsages/);
    assert.ok(links < lines.indexOf('**Rollout**'), 'links before the rollout');
    assert.equal(lines.filter((l) => l.includes('[Open in PostHog](')).length, 1, 'once');
  });

  it('puts Create first on a missing flag', async () => {
    const at = positionOf(TEXT, 'not-created-yet');
    const lines = hoverText(await s.client.hover(file, at.line, at.character)).split('\n');
    const create = lines.findIndex((l) => l.startsWith("[Create 'not-created-yet' in PostHog](command:posthogFlags.createFlag"));
    assert.ok(create > 0 && create <= 2, `create link on line ${create}`);
  });
});
