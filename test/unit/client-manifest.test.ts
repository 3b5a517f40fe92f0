// package.json `contributes` matches what the client code registers.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ClientCommand, COMMANDS_ALLOWED_IN_LINKS, EXTENSIONS_WITHOUT_LANGUAGE, FLAG_EXPLORER_VIEW, ServerCommand } from '../../client/src/constants';
import { LANGUAGE_IDS } from '../../server/src/core/languages';

const root = join(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

describe('client: manifest', () => {
  it('activates on every indexed language and the view, never on *', () => {
    const events: string[] = pkg.activationEvents;
    assert.ok(!events.includes('*'));
    assert.ok(!events.includes('onStartupFinished'));
    assert.deepEqual(events.filter((e) => e.startsWith('onLanguage:')).map((e) => e.slice(11)).sort(), [...LANGUAGE_IDS].sort());
    assert.ok(events.includes(`onView:${FLAG_EXPLORER_VIEW}`));
  });
  it('contributes every client command and none of the server ids', () => {
    const contributed = new Set(pkg.contributes.commands.map((c: { command: string }) => c.command));
    for (const id of Object.values(ClientCommand)) assert.ok(contributed.has(id), id);
    for (const id of Object.values(ServerCommand)) assert.ok(!contributed.has(id), id);
    for (const id of COMMANDS_ALLOWED_IN_LINKS) assert.ok(contributed.has(id), id);
  });
  it('menus reference contributed commands only', () => {
    const contributed = new Set(pkg.contributes.commands.map((c: { command: string }) => c.command));
    for (const [menu, items] of Object.entries(pkg.contributes.menus as Record<string, Array<{ command: string }>>)) {
      for (const item of items) assert.ok(contributed.has(item.command), `${menu}: ${item.command}`);
    }
  });
  it('keeps host machine-scoped and the restricted settings restricted', () => {
    const props = pkg.contributes.configuration.properties;
    assert.equal(props['posthog.host'].scope, 'machine');
    assert.deepEqual(pkg.capabilities.untrustedWorkspaces.restrictedConfigurations, ['posthog.host', 'posthog.projectId', 'posthog.flagsFile']);
    assert.equal(pkg.capabilities.untrustedWorkspaces.supported, 'limited');
    for (const name of Object.keys(props)) assert.ok(!/key|token|secret/i.test(name), `no secret setting: ${name}`);
    for (const [name, p] of Object.entries(props as Record<string, { description?: string; markdownDescription?: string }>)) {
      assert.ok(p.description || p.markdownDescription, `description for ${name}`);
    }
  });
  it('has a severity setting per diagnostic code with its default', () => {
    const props = pkg.contributes.configuration.properties;
    const defaults = { 'missing-flag': 'error', 'deleted-flag': 'error', 'inactive-flag': 'warning', 'stale-flag': 'information', 'rollout-100': 'hint' };
    for (const [code, severity] of Object.entries(defaults)) assert.equal(props[`posthog.severity.${code}`]?.default, severity, code);
  });
  it('offers write commands only when writes can work (a key, no snapshot file)', () => {
    const writes = [ClientCommand.toggleFlag, ClientCommand.createFlag, ClientCommand.changeRollout];
    for (const [menu, items] of Object.entries(pkg.contributes.menus as Record<string, Array<{ command: string; when?: string }>>)) {
      for (const item of items.filter((i) => writes.includes(i.command as never))) {
        assert.match(item.when ?? '', /&& posthogFlags\.canWrite$|^posthogFlags\.canWrite$/, `${menu}: ${item.command} needs posthogFlags.canWrite`);
      }
    }
    const palette = new Map((pkg.contributes.menus.commandPalette as Array<{ command: string; when: string }>).map((i) => [i.command, i.when]));
    for (const id of writes) assert.equal(palette.get(id), 'posthogFlags.canWrite', `palette: ${id}`);
  });
  it('welcomes a first run with Sign In and Use a Flags File', () => {
    const welcome = (pkg.contributes.viewsWelcome as Array<{ view: string; when: string; contents: string }>).find((w) => w.when === 'posthogFlags.flagSource == none');
    assert.ok(welcome, 'a welcome for no flag source');
    assert.equal(welcome.view, FLAG_EXPLORER_VIEW);
    assert.match(welcome.contents, new RegExp(`^\\[Sign In\\]\\(command:${ClientCommand.signIn}\\)$`, 'm'));
    assert.match(welcome.contents, new RegExp(`^\\[Use a Flags File\\]\\(command:${ClientCommand.useFlagsFile}\\)$`, 'm'));
  });
  it('reaches Kotlin, Swift and Dart files by name when VS Code has no language for them', () => {
    const events: string[] = pkg.activationEvents;
    for (const ext of EXTENSIONS_WITHOUT_LANGUAGE.filter((e) => e !== 'swift')) assert.ok(events.includes(`workspaceContains:**/*.${ext}`), ext);
    for (const item of pkg.contributes.menus['editor/context'] as Array<{ when: string }>) {
      assert.ok(item.when.includes(`resourceExtname =~ /^\\.(${EXTENSIONS_WITHOUT_LANGUAGE.join('|')})$/`), item.when);
    }
  });
});
