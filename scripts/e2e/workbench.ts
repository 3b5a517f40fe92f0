/**
 * Drives the code-server workbench with playwright-core and Debian's
 * Chromium: open a folder, run the extension's own tests inside the real
 * extension host (the offline test-electron route), hover, Problems panel.
 */
import { cpSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { format } from 'node:util';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { ARTIFACTS, CHROMIUM, REPO_ROOT, deadline, requireFile, waitFor } from './editors';
import { startCodeServer, type CodeServer } from './code-server';

export interface Browser {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<Browser> {
  requireFile(CHROMIUM, 'Chromium');
  const profile = mkdtempSync(join(tmpdir(), 'phf-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1400, height: 900 },
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    async close() {
      await context.close().catch(() => undefined);
    },
  };
}

/**
 * code-server with the extension installed, Chromium on a fresh copy of the
 * demo workspace, the workbench loaded. No secondary side bar: the editor
 * gets the width (the README's screenshots come from these tests).
 */
export async function openDemoWorkbench(): Promise<{ server: CodeServer; browser: Browser; page: Page; workspace: string }> {
  const server = await startCodeServer({ installExtension: true, userSettings: { 'workbench.secondarySideBar.defaultVisibility': 'hidden' } });
  const browser = await launchBrowser();
  const workspace = copyDemoWorkspace();
  await browser.page.goto(workbenchUrl(server, workspace));
  await browser.page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
  return { server, browser, page: browser.page, workspace };
}

/** A throwaway copy of examples/demo (tests create flags and may edit files). */
export function copyDemoWorkspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'phf-demo-'));
  const target = join(dir, 'demo');
  cpSync(join(REPO_ROOT, 'examples', 'demo'), target, { recursive: true });
  return target;
}

export function workbenchUrl(server: CodeServer, folder: string, payload?: Array<[string, string]>): string {
  let url = `${server.url}/?folder=${encodeURIComponent(folder)}`;
  if (payload) url += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  return url;
}

export interface ExtensionTestRun {
  /** 0 when the tests' `run()` resolved, 1 when it rejected or failed to load. */
  exitCode: number;
  /** What mocha printed inside the extension host (codeAutomationLog). */
  lines: string[];
}

/**
 * Runs `extensionTestsPath` (a CommonJS module exporting `run(): Promise<void>`)
 * in the extension host of the workbench, with the extension at
 * `extensionDevelopmentPath`. code-server must run with
 * `--vscode-option enable-smoke-test-driver`.
 */
export async function runExtensionTests(
  server: CodeServer,
  page: Page,
  opts: { extensionDevelopmentPath: string; extensionTestsPath: string; folder: string; env?: Record<string, string>; timeoutMs?: number },
): Promise<ExtensionTestRun> {
  const lines: string[] = [];
  let done!: (code: number) => void;
  const exited = new Promise<number>((resolve) => (done = resolve));
  await page.exposeFunction('codeAutomationExit', (code: number) => done(code));
  await page.exposeFunction('codeAutomationLog', (_type: string, args: unknown[]) => {
    const line = format(...(args as [unknown, ...unknown[]]));
    lines.push(line);
    if (process.env.PHF_E2E_VERBOSE) console.log(`    [ext-host] ${line}`);
  });
  const remote = (p: string) => `vscode-remote://127.0.0.1:${server.port}${p}`;
  const payload: Array<[string, string]> = [
    ['extensionDevelopmentPath', remote(opts.extensionDevelopmentPath)],
    ['extensionTestsPath', remote(opts.extensionTestsPath)],
  ];
  if (opts.env) payload.push(['extensionEnvironment', JSON.stringify(opts.env)]);
  await page.goto(workbenchUrl(server, opts.folder, payload));
  const exitCode = await Promise.race([exited, deadline<number>(opts.timeoutMs ?? 180000, `extension tests to report through codeAutomationExit\n${lines.join('\n')}`)]);
  return { exitCode, lines };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

/**
 * Opens a workspace file with Quick Open (Ctrl+P), waiting for its row before
 * choosing it (pressing Enter at once opens nothing), then for its editor tab.
 */
export async function openFile(page: Page, relativePath: string): Promise<void> {
  const name = relativePath.split('/').pop()!;
  await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 15000 });
  await input.fill(relativePath);
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first();
  await row.waitFor({ timeout: 30000 });
  await row.click();
  await page.locator('.tabs-container .tab.active', { hasText: name }).first().waitFor({ timeout: 30000 });
}

export function editor(page: Page) {
  return page.locator('.editor-group-container .monaco-editor').first();
}

/** The `span` of the editor line showing `text` (a whole token, e.g. a key with its quotes). */
export function token(page: Page, text: string) {
  return editor(page).locator('.view-line span span', { hasText: text }).first();
}

/** Runs a command by its palette title (F1, type, wait for its row, Enter). */
export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 15000 });
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor({ timeout: 15000 });
  await page.keyboard.press('Enter');
}

/**
 * Puts the cursor at `line`:`column` (1-based) of the active editor with Go to
 * Line/Column, again until the status bar shows it there (a keystroke that
 * lands before the widget opens is lost on a loaded machine).
 */
export async function goToPosition(page: Page, line: number, column: number): Promise<void> {
  const where = page.locator('.statusbar-item', { hasText: `Ln ${line}, Col ${column}` });
  await waitFor(`the cursor at ${line}:${column}`, 30000, async () => {
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+G');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: 10000 });
    await input.fill(`:${line}:${column}`);
    await page.keyboard.press('Enter');
    return where.first().waitFor({ timeout: 2000 }).then(() => true, () => undefined);
  }, 250);
}
