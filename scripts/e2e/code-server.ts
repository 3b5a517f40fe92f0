/**
 * Starts code-server headless on 127.0.0.1 for one test file, with its own
 * XDG dirs, user-data and extensions dirs; stops it by killing its process
 * group (each page load starts an extension host that would outlive it).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CODE_SERVER_ENTRY, NODE24, REPO_ROOT, requireFile, waitFor } from './editors';

export interface CodeServer {
  port: number;
  url: string;
  /** Temp dir holding XDG dirs, user data, extensions and the log. */
  dir: string;
  extensionsDir: string;
  logPath: string;
  log(): string;
  stop(): Promise<void>;
}

export interface CodeServerOptions {
  /** Extra `--vscode-option`s, e.g. `enable-smoke-test-driver`. */
  vscodeOptions?: string[];
  /** Copy the extension (package.json, dist, syntaxes, images) into the extensions dir before start. */
  installExtension?: boolean;
  /** User settings (settings.json). */
  userSettings?: Record<string, unknown>;
  env?: Record<string, string>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() => (address && typeof address === 'object' ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * Copies what the .vsix ships into `<dir>/<publisher>.<name>-<version>`: a
 * snapshot of dist/, so a concurrent `npm run build` cannot pull it away.
 */
export function stageExtension(extensionsDir: string): string {
  const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { publisher: string; name: string; version: string };
  const target = join(extensionsDir, `${pkg.publisher}.${pkg.name}-${pkg.version}`);
  mkdirSync(target, { recursive: true });
  requireFile(join(REPO_ROOT, 'dist', 'extension.js'), 'dist/extension.js (npm run build)');
  for (const entry of ['package.json', 'dist', 'syntaxes', 'images', 'README.md', 'CHANGELOG.md', 'LICENSE']) {
    cpSync(join(REPO_ROOT, entry), join(target, entry), { recursive: true, filter: (src) => !src.endsWith('.map') });
  }
  return target;
}

export async function startCodeServer(options: CodeServerOptions = {}): Promise<CodeServer> {
  requireFile(NODE24, 'Node 24');
  requireFile(CODE_SERVER_ENTRY, 'code-server');
  const dir = mkdtempSync(join(tmpdir(), 'phf-cs-'));
  mkdirSync(join(dir, 'run'), { mode: 0o700 });
  const extensionsDir = join(dir, 'ext');
  const userData = join(dir, 'ud');
  mkdirSync(join(userData, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  const settings = {
    'workbench.startupEditor': 'none',
    'security.workspace.trust.enabled': false,
    'telemetry.telemetryLevel': 'off',
    'extensions.autoCheckUpdates': false,
    'update.mode': 'none',
    'chat.disableAIFeatures': true,
    'workbench.tips.enabled': false,
    'explorer.compactFolders': false,
    'editor.hover.delay': 200,
    ...options.userSettings,
  };
  (await import('node:fs')).writeFileSync(join(userData, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
  if (options.installExtension) stageExtension(extensionsDir);
  const port = await freePort();
  const logPath = join(dir, 'code-server.log');
  const { openSync } = await import('node:fs');
  const out = openSync(logPath, 'a');
  const args = [
    CODE_SERVER_ENTRY,
    '--bind-addr', `127.0.0.1:${port}`,
    '--auth', 'none',
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
    '--user-data-dir', userData,
    '--extensions-dir', extensionsDir,
    ...(options.vscodeOptions ?? []).flatMap((o) => ['--vscode-option', o]),
  ];
  const child: ChildProcess = spawn(NODE24, args, {
    detached: true,
    stdio: ['ignore', out, out],
    env: {
      ...process.env,
      XDG_CONFIG_HOME: join(dir, 'config'),
      XDG_DATA_HOME: join(dir, 'data'),
      XDG_CACHE_HOME: join(dir, 'cache'),
      XDG_RUNTIME_DIR: join(dir, 'run'),
      ...options.env,
    },
  });
  child.unref();
  const url = `http://127.0.0.1:${port}`;
  const log = () => readFileSync(logPath, 'utf8');
  let exited = false;
  child.on('exit', () => (exited = true));
  await waitFor('code-server /healthz', 30000, async () => {
    if (exited) throw new Error(`code-server exited:\n${log()}`);
    const r = await fetch(`${url}/healthz`).catch(() => undefined);
    return r?.ok ? true : undefined;
  });
  return {
    port,
    url,
    dir,
    extensionsDir,
    logPath,
    log,
    async stop() {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
      await waitFor('code-server process group to exit', 5000, () => {
        try {
          if (child.pid) process.kill(-child.pid, 0);
          return undefined;
        } catch {
          return true;
        }
      }).catch(() => {
        try {
          if (child.pid) process.kill(-child.pid, 'SIGKILL');
        } catch {
          // gone
        }
      });
      if (!process.env.PHF_KEEP_E2E_DIRS) rmSync(dir, { recursive: true, force: true });
    },
  };
}
