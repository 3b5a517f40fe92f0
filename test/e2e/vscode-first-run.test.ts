// First run in the real VS Code workbench (code-server + Chromium): no key,
// no snapshot setting. The Flag Explorer welcomes with Sign In and Use a
// Flags File; the demo's posthog-flags.json is offered once; taking it fills
// the explorer (read-only: no write action in its menus) and a Kotlin file
// opened as Plain Text gets hovers and inlay hints. Screenshots go to
// test-artifacts/first-run-*.png (the README's come from here).
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { CodeServer } from '../../scripts/e2e/code-server';
import { waitFor } from '../../scripts/e2e/editors';
import { editor, openDemoWorkbench, openFile, runCommand, screenshot, type Browser } from '../../scripts/e2e/workbench';

const STATUS_ITEM = '[id="posthog-flags.posthog-flags.posthogFlags.status"], .statusbar-item:has-text("PostHog")';

/**
 * Shows the hover at `text` in the open editor of `file`: the cursor goes there with Go to Line/Column
 * (a Plain Text line is one token, so the mouse has no word to aim at), then Ctrl+K Ctrl+I, again until
 * a hover matching `expected` shows (the first may come before the server answers).
 */
async function hoverAt(page: Page, file: string, text: string, expected: RegExp) {
  const lines = readFileSync(file, 'utf8').split(/\r?\n/);
  const line = lines.findIndex((l) => l.includes(text));
  assert.ok(line >= 0, `${text} in ${file}`);
  const column = lines[line].indexOf(text) + 3;
  const hover = page.locator('.monaco-hover:visible', { hasText: expected }).first();
  await waitFor(`a hover matching ${expected}`, 60000, async () => {
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+G');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: 10000 });
    await input.fill(`:${line + 1}:${column}`);
    await page.keyboard.press('Enter');
    await page.keyboard.press('Control+K');
    await page.keyboard.press('Control+I');
    return hover.waitFor({ timeout: 3000 }).then(() => true, () => undefined);
  }, 500);
  return hover;
}

describe('VS Code first run (code-server + Chromium)', function () {
  this.timeout(240000);
  let server: CodeServer;
  let browser: Browser;
  let page: Page;
  let workspace: string;
  let usingSnapshot = false;

  before(async () => {
    ({ server, browser, page, workspace } = await openDemoWorkbench());
  });

  after(async () => {
    if (page) await screenshot(page, 'first-run-last').catch(() => undefined);
    await browser?.close();
    await server?.stop();
  });

  it('the Flag Explorer welcomes with Sign In and Use a Flags File', async () => {
    await page.locator('.activitybar [aria-label*="PostHog Flags"]').first().click();
    const welcome = page.locator('.welcome-view-content', { hasText: 'No flag source yet' }).first();
    await welcome.waitFor({ timeout: 60000 });
    assert.ok(await welcome.locator('a.monaco-button, .monaco-button', { hasText: 'Sign In' }).first().isVisible());
    assert.ok(await welcome.locator('a.monaco-button, .monaco-button', { hasText: 'Use a Flags File' }).first().isVisible());
    await page.mouse.move(700, 450);
    // The activity bar's tooltip goes once the mouse left it (a screenshot without it).
    await page.locator('.workbench-hover-container, .monaco-hover:visible').first().waitFor({ state: 'hidden', timeout: 5000 }).catch(() => undefined);
    await screenshot(page, 'first-run-welcome');
  });

  it("offers the workspace's posthog-flags.json once, and taking it fills the explorer", async () => {
    // A toast, or (when it timed out while the workbench was busy) the same notification in the Notifications centre.
    const offer = page.locator('.notifications-toasts .notification-toast, .notifications-center .notification-list-item', { hasText: 'posthog-flags.json' });
    const toast = offer.first();
    if (!(await toast.waitFor({ timeout: 10000 }).then(() => true, () => false))) {
      await runCommand(page, 'Notifications: Show Notifications');
      await toast.waitFor({ timeout: 20000 });
    }
    await screenshot(page, 'first-run-offer');
    await toast.locator('.monaco-button', { hasText: 'Use posthog-flags.json' }).first().click();
    await page.locator('.pane-body .welcome-view-content').first().waitFor({ state: 'hidden', timeout: 60000 });
    const settingsFile = join(workspace, '.vscode', 'settings.json');
    const setting = await waitFor('posthog.flagsFile in the workspace settings', 15000, () =>
      existsSync(settingsFile) ? (JSON.parse(readFileSync(settingsFile, 'utf8')) as Record<string, unknown>)['posthog.flagsFile'] : undefined,
    );
    assert.equal(setting, 'posthog-flags.json', 'set in the workspace, relative to the folder');
    const row = page.locator('.pane-body .monaco-list-row', { hasText: 'new-checkout' }).first();
    await page.locator('.pane-body .monaco-list-row', { hasText: 'In code and active' }).first().waitFor({ timeout: 60000 });
    await row.waitFor({ timeout: 30000 }); // the groups open expanded
    const item = page.locator(STATUS_ITEM).first();
    await waitFor('the status bar to count the snapshot flags', 30000, async () => (/\d+ flags/.test(await item.innerText()) ? true : undefined));
    usingSnapshot = true;
    await screenshot(page, 'first-run-explorer');
  });

  it('offers no write action on a flag while the flags come from the snapshot', async () => {
    assert.ok(usingSnapshot, 'the snapshot is the flag source');
    const row = page.locator('.pane-body .monaco-list-row', { hasText: 'legacy-export' }).first();
    await row.waitFor({ timeout: 30000 });
    await row.click({ button: 'right' });
    const menu = page.locator('.context-view .monaco-menu, .context-view .action-menu-item').first();
    await menu.waitFor({ timeout: 15000 });
    const items = await page.locator('.context-view .action-label').allInnerTexts();
    assert.ok(items.some((t) => /Copy Flag Key/.test(t)), `the flag's menu is open: ${items.join(' | ')}`);
    assert.ok(!items.some((t) => /Enable or Disable|Change Rollout|Create Flag/.test(t)), `no write action: ${items.join(' | ')}`);
    await page.keyboard.press('Escape');
  });

  it('a .kt file opened as Plain Text gets the hover and the inlay hint', async () => {
    assert.ok(usingSnapshot, 'the snapshot is the flag source');
    await openFile(page, 'mobile/android/app/src/main/java/com/acme/shop/ExportScreen.kt');
    await editor(page).waitFor({ timeout: 30000 });
    const mode = page.locator('.statusbar-item[id="status.editor.mode"]').first();
    assert.match(await mode.innerText(), /Plain Text/);
    const hover = await hoverAt(page, join(workspace, 'mobile/android/app/src/main/java/com/acme/shop/ExportScreen.kt'), 'legacy-export', /legacy-export/);
    assert.match(await hover.innerText(), /disabled/i);
    await screenshot(page, 'first-run-kotlin-hover');
    await page.keyboard.press('Escape');
    const hint = editor(page).locator('.view-line span', { hasText: /○\s*off/ }).first();
    await hint.waitFor({ timeout: 30000 });
  });

  it('inlay hints show each flag state in a TypeScript file', async () => {
    assert.ok(usingSnapshot, 'the snapshot is the flag source');
    await openFile(page, 'api/src/server.ts');
    await editor(page).locator('.view-line span', { hasText: /●/ }).first().waitFor({ timeout: 60000 });
    await screenshot(page, 'first-run-inlay-hints');
  });
});
