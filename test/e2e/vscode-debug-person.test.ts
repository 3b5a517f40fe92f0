// "Debug as a person" in the real VS Code workbench (code-server + Chromium):
// sign in, run *PostHog: Debug as Person…*, type a distinct id, see the
// properties box refuse bad JSON as it is typed, leave it empty (the person's
// properties come from PostHog), then the hover says what that person gets
// and why, the inlay hint shows the value, the status bar names the person,
// and clicking it stops. Screenshot: test-artifacts/vscode-debug-person.png
// (the README's docs/images/debug-person.png is a copy).
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { CodeServer } from '../../scripts/e2e/code-server';
import { waitFor } from '../../scripts/e2e/editors';
import { editor, openDemoWorkbench, openFile, runCommand, screenshot, token, type Browser } from '../../scripts/e2e/workbench';
import { FAKE_KEY, type FakePostHog } from '../fake-posthog';
import { startDemoPostHog } from './support/demo-posthog';

const PERSON = 'ana-7f3e';
const DEBUG_ITEM = '[id="posthog-flags.posthog-flags.posthogFlags.debugging"]';

describe('VS Code UI: Debug as Person (code-server + Chromium)', function () {
  this.timeout(240000);
  let fake: FakePostHog;
  let server: CodeServer;
  let browser: Browser;
  let page: Page;

  before(async () => {
    fake = await startDemoPostHog([{ id: 1, distinct_ids: [PERSON], properties: { email: 'ana@acme.com', country: 'PT', beta_opt_in: true } }]);
    ({ server, browser, page } = await openDemoWorkbench());
  });

  after(async () => {
    if (page) await screenshot(page, 'vscode-debug-person-last').catch(() => undefined);
    await browser?.close();
    await server?.stop();
    await fake?.close();
  });

  async function signIn(): Promise<void> {
    await openFile(page, 'web/src/pages/Checkout.tsx');
    await editor(page).waitFor({ timeout: 30000 });
    await runCommand(page, 'PostHog: Sign In');
    const input = page.locator('.quick-input-widget input');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Self-hosted' }).first().click();
    await waitFor('the URL input box', 15000, async () => ((await input.inputValue()).startsWith('http') ? true : undefined));
    await input.fill(fake.url);
    await page.keyboard.press('Enter');
    await waitFor('the key input box', 15000, async () => ((await input.getAttribute('type')) === 'password' ? true : undefined));
    await input.fill(FAKE_KEY);
    await page.keyboard.press('Enter');
    await page.locator('.notifications-toasts .notification-toast', { hasText: 'Signed in as' }).first().waitFor({ timeout: 45000 });
  }

  /** Hovers `text` until a hover containing `expected` shows; returns its text. */
  async function hoverUntil(text: string, expected: string): Promise<string> {
    const key = token(page, text);
    await key.waitFor({ timeout: 30000 });
    const hover = page.locator('.monaco-hover:visible', { hasText: expected }).first();
    await waitFor(`a hover saying "${expected}"`, 60000, async () => {
      const box = await key.boundingBox();
      if (!box) return undefined;
      await page.mouse.move(5, 5);
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      return (await hover.isVisible().catch(() => false)) || (await hover.waitFor({ timeout: 3000 }).then(() => true, () => undefined));
    }, 500);
    return hover.innerText();
  }

  it('Debug as Person…: the id, properties checked as typed, then hover, inlay hint and status bar show the person', async () => {
    await signIn();
    const personReads = () => fake.requests(/\/persons\/?$/).length;
    const before = personReads();

    await runCommand(page, 'PostHog: Debug as Person');
    const input = page.locator('.quick-input-widget input');
    await page.locator('.quick-input-widget', { hasText: 'Debug as Person (1/2)' }).first().waitFor({ timeout: 15000 });
    await input.fill(PERSON);
    await page.locator('.quick-input-list .monaco-list-row', { hasText: PERSON }).first().waitFor({ timeout: 15000 });
    await page.keyboard.press('Enter');
    // Step 2: properties. Bad JSON is refused while typing; empty means "read them from PostHog".
    await page.locator('.quick-input-widget', { hasText: 'person properties' }).first().waitFor({ timeout: 15000 });
    await input.fill('{"email": ');
    await page.locator('.quick-input-message', { hasText: 'not valid JSON' }).first().waitFor({ timeout: 10000 });
    await input.fill('');
    await page.keyboard.press('Enter');

    const item = page.locator(DEBUG_ITEM).first();
    await item.waitFor({ timeout: 30000 });
    assert.match(await item.innerText(), new RegExp(PERSON));
    assert.equal(personReads(), before + 1, 'the person was read from PostHog once');

    const text = await hoverUntil('new-checkout', `For ${PERSON}`);
    assert.match(text, new RegExp(`For ${PERSON}: true, because matched condition 1: email contains "@acme.com"`));
    await editor(page).locator('.view-lines', { hasText: '→ true' }).first().waitFor({ timeout: 30000 });
    await screenshot(page, 'vscode-debug-person');

    // A restarted server knows no person: the client sets the chosen one again.
    const evaluations = () => fake.requests(/local_evaluation/).length;
    const evaluatedBefore = evaluations();
    await page.keyboard.press('Escape');
    await runCommand(page, 'PostHog: Restart Language Server');
    await waitFor('the server to evaluate the person again', 60000, async () => (evaluations() > evaluatedBefore ? true : undefined), 250);
    await page.locator(DEBUG_ITEM).first().waitFor({ timeout: 30000 });
    assert.match(await page.locator(DEBUG_ITEM).first().innerText(), new RegExp(PERSON));
    await editor(page).locator('.view-lines', { hasText: '→ true' }).first().waitFor({ timeout: 30000 });
  });

  it('clicking the status bar item stops; the recent person is offered first next time', async () => {
    await page.mouse.move(5, 5);
    await page.keyboard.press('Escape');
    await page.locator(DEBUG_ITEM).first().click();
    await page.locator(DEBUG_ITEM).first().waitFor({ state: 'hidden', timeout: 30000 });
    await waitFor('the value hint to go', 30000, async () => ((await editor(page).locator('.view-lines').innerText()).includes('→ true') ? undefined : true), 250);

    await runCommand(page, 'PostHog: Debug as Person');
    // The palette's own list is replaced by the command's picker: wait for its title first.
    await page.locator('.quick-input-widget', { hasText: 'Debug as Person (1/2)' }).first().waitFor({ timeout: 15000 });
    const first = page.locator('.quick-input-list .monaco-list-row[data-index="0"]');
    const text = await waitFor('the first row of the picker to be drawn', 15000, async () => {
      const t = (await first.innerText().catch(() => '')).trim();
      return t ? t : undefined;
    }, 100);
    assert.match(text, new RegExp(`${PERSON}.*properties from PostHog`, 's'));
    await page.keyboard.press('Escape');
  });
});
