// The catalog settings in a real browser on the demo world: the platform administrator sees
// the data bureau named as reviewer, is told beside the field that 0 working days is out of
// range, saves 15 (kept after a reload), and synchronises the base registries' entries (four,
// none changed since the seed); an officer has no settings tab and is refused the page.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { zhCN as zh } from '../../web/src/i18n/zh-CN.ts';
import { assertControlsLabelled, ensureWebBuilt, fill, launchChromium, startServer, type RunningServer } from './harness.ts';
import { signedInPage } from './session.ts';

let server: RunningServer | undefined;
let browser: Browser | undefined;
let context: BrowserContext | undefined;
let page: Page;
const pageErrors: string[] = [];

async function signIn(username: string): Promise<void> {
  await context?.close();
  ({ context, page } = await signedInPage(browser!, server!.baseUrl, username, { pageErrors, viewport: { width: 1280, height: 900 } }));
}

describe('the catalog settings', { timeout: 180_000 }, () => {
  before(async () => {
    ensureWebBuilt();
    server = await startServer();
    browser = await launchChromium();
  });

  after(async () => {
    await context?.close().catch(() => {});
    await browser?.close().catch(() => {});
    await server?.stop();
  });

  it('the platform administrator changes the answer period and synchronises the base entries', async () => {
    await signIn('dataadmin');
    await page.getByRole('navigation', { name: zh['nav.label'] }).getByRole('link', { name: zh['catalog.nav'], exact: true }).click();
    await page.getByRole('navigation', { name: zh['catalog.tab.label'] }).getByRole('link', { name: zh['catalog.tab.settings'], exact: true }).click();
    await page.getByRole('heading', { level: 1, name: zh['catalog.settings.title'] }).waitFor();
    const reviewer = page.getByLabel(zh['catalog.settings.reviewer'], { exact: true });
    await reviewer.locator('option', { hasText: '青云省数据局' }).waitFor({ state: 'attached' });
    assert.match((await reviewer.locator('option:checked').textContent()) ?? '', /青云省数据局/);
    const days = page.getByLabel(zh['catalog.settings.days'], { exact: true });
    assert.equal(await days.inputValue(), '10');
    await assertControlsLabelled(page);

    await days.fill('0');
    await page.getByRole('button', { name: zh['common.save'], exact: true }).click();
    await page.locator('#catalog-settings-answerWorkingDays-error').filter({ hasText: '1 至 60' }).waitFor();
    await days.fill('15');
    await page.getByRole('button', { name: zh['common.save'], exact: true }).click();
    await page.getByRole('status').filter({ hasText: fill(zh['catalog.settings.saved'], { days: 15 }) }).waitFor();
    await page.reload();
    await page.getByRole('heading', { level: 1, name: zh['catalog.settings.title'] }).waitFor();
    await page.waitForFunction(() => (document.querySelector<HTMLInputElement>('#catalog-settings-answerWorkingDays')?.value ?? '') === '15');

    await page.getByRole('button', { name: zh['catalog.sync.run'], exact: true }).click();
    await page.getByText(fill(zh['catalog.sync.done'], { total: 4, changed: 0 })).waitFor();
    const rows = page.getByTestId('catalog-sync').locator('..').getByRole('row');
    assert.equal(await rows.count(), 5);
    assert.equal(await rows.filter({ hasText: zh['catalog.sync.changedNo'] }).count(), 4);
  });

  it('an officer has no settings tab and is refused the page', async () => {
    await signIn('stats.officer');
    await page.goto(`${server!.baseUrl}/catalog`);
    await page.getByRole('navigation', { name: zh['catalog.tab.label'] }).waitFor();
    assert.equal(await page.getByRole('navigation', { name: zh['catalog.tab.label'] }).getByRole('link', { name: zh['catalog.tab.settings'] }).count(), 0);
    await page.goto(`${server!.baseUrl}/catalog/settings`);
    await page.getByRole('heading', { level: 1, name: zh['page.forbidden'] }).waitFor();
    assert.deepEqual(pageErrors, []);
  });
});
