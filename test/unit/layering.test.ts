// Who may import whom (docs STYLE.md "Layout"), and the shared tables tied to
// their users: command ids to package.json and to every source file, language
// ids to package.json and to the extension table.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { LANGUAGES_BY_EXTENSION } from '../../server/src/core/languages';
import { ClientCommand, COMMANDS_ALLOWED_IN_LINKS, LANGUAGE_IDS, ServerCommand } from '../../server/src/shared';

const root = join(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

function sources(dir: string): string[] {
  return readdirSync(join(root, dir), { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(dir, f));
}

function importsOf(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  return [...text.matchAll(/^(?:import|export)\b[^;]*?\bfrom\s+'([^']+)'/gms)].map((m) => m[1]);
}

describe('layering', () => {
  it('client/ imports only vscode, vscode-languageclient, node built-ins, its own modules and the shared module', () => {
    for (const file of sources('client/src')) {
      for (const spec of importsOf(file)) {
        const ok =
          spec === 'vscode' ||
          spec.startsWith('vscode-languageclient') ||
          spec.startsWith('node:') ||
          spec.startsWith('./') ||
          spec === '../../server/src/shared' ||
          spec.startsWith('../../server/src/shared/');
        assert.ok(ok, `${file} imports ${spec}`);
      }
    }
  });

  it('the shared module imports nothing but itself and LSP protocol types', () => {
    for (const file of sources('server/src/shared')) {
      for (const spec of importsOf(file)) assert.ok(spec.startsWith('./') || spec === 'vscode-languageserver-protocol', `${file} imports ${spec}`);
    }
  });

  it('the session layer (lsp/) never imports the capabilities (features/)', () => {
    for (const file of sources('server/src/lsp')) {
      for (const spec of importsOf(file)) assert.ok(!spec.includes('features/'), `${file} imports ${spec}`);
    }
  });

  it('core/ imports neither vscode, the LSP libraries, the file system nor the network', () => {
    for (const file of sources('server/src/core')) {
      for (const spec of importsOf(file)) {
        assert.ok(!/^(vscode|vscode-languageserver|vscode-languageclient|undici)\b/.test(spec) && !/^node:(fs|net|http|https|child_process)/.test(spec), `${file} imports ${spec}`);
      }
    }
  });
});

describe('shared tables', () => {
  it('package.json contributes exactly the client commands, none of the server ids', () => {
    const contributed: string[] = pkg.contributes.commands.map((c: { command: string }) => c.command).sort();
    assert.deepEqual(contributed, Object.values(ClientCommand).sort() as string[]);
    for (const id of COMMANDS_ALLOWED_IN_LINKS) assert.ok(contributed.includes(id), id);
  });

  it('no source file outside the shared module spells a command id itself', () => {
    const ids = [...Object.values(ClientCommand), ...Object.values(ServerCommand)];
    for (const file of [...sources('client/src'), ...sources('server/src')]) {
      if (relative('server/src/shared', file).startsWith('..') === false) continue;
      const text = readFileSync(join(root, file), 'utf8');
      for (const id of ids) assert.ok(!text.includes(`'${id}'`) && !text.includes(`"${id}"`), `${file} spells '${id}': use the shared table`);
    }
  });

  it('the extension table uses exactly the shared language ids, and package.json activates and shows menus on them', () => {
    assert.deepEqual([...new Set(Object.values(LANGUAGES_BY_EXTENSION).map((l) => l.id))].sort(), [...LANGUAGE_IDS].sort());
    const activation = (pkg.activationEvents as string[]).filter((e) => e.startsWith('onLanguage:')).map((e) => e.slice('onLanguage:'.length));
    assert.deepEqual(activation.sort(), [...LANGUAGE_IDS].sort());
    for (const item of pkg.contributes.menus['editor/context'] as Array<{ when: string }>) {
      const m = /resourceLangId =~ \/\^\(([^)]*)\)\$\//.exec(item.when);
      assert.ok(m, item.when);
      assert.deepEqual(m[1].split('|').sort(), [...LANGUAGE_IDS].sort());
    }
  });
});

describe('repository', () => {
  // A linked node_modules (a symbolic link) once got committed: merging it replaced the real folder of the
  // checkout it landed in. Nothing under node_modules, link or folder, is ever tracked.
  it('tracks nothing named node_modules', () => {
    const tracked = execFileSync('git', ['ls-files', '--', 'node_modules', ':(glob)**/node_modules'], { cwd: root, encoding: 'utf8' }).trim();
    assert.equal(tracked, '', `tracked: ${tracked}`);
  });
});
