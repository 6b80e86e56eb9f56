// The check against duplicate construction in a real browser on the demo world (issue 6):
// human resources drafts "法人单位基本信息" with the credit code, name and legal representative
// as data items; as it types, the editor lists market regulation's legal entities registry
// entry (法人单位基础信息库) as highly similar, with the items in common. Saving without
// confirming is refused beside the checkbox and nothing is created; ticking it and writing a
// note creates and submits the entry, whose page shows what was checked. The data bureau opens
// it from its review queue and reads what the drafter was shown, the confirmation and the note.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { zhCN as zh } from '../../web/src/i18n/zh-CN.ts';
import { assertControlsLabelled, ensureWebBuilt, fill, launchChromium, startServer, type RunningServer } from './harness.ts';
import { signInPage } from './session.ts';

let server: RunningServer | undefined;
let browser: Browser | undefined;
let context: BrowserContext | undefined;
let page: Page;
const pageErrors: string[] = [];

const ENTRY_NAME = '法人单位基本信息';
const EXISTING = '法人单位基础信息库';
const NOTE = '本厅只登记社保参保单位，用于参保登记，不含法人库的其他信息。';

async function signIn(username: string): Promise<void> {
  await context?.close();
  context = await browser!.newContext({ locale: 'zh-CN', viewport: { width: 1366, height: 900 } });
  context.setDefaultTimeout(15_000);
  page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await signInPage(page, server!.baseUrl, username);
}

async function entryCount(): Promise<number> {
  return page.evaluate(async () => ((await (await fetch('/api/catalog/entries?mine=true&pageSize=200')).json()) as { total: number }).total);
}

describe('similar entries shown while drafting a catalog entry', { timeout: 300_000 }, () => {
  before(async () => {
    ensureWebBuilt();
    server = await startServer();
    browser = await launchChromium();
  });
  after(async () => {
    await context?.close();
    await browser?.close();
    await server?.stop();
  });

  it('human resources drafts an entry like the legal entities registry’s, sees it listed, confirms and creates it', async () => {
    await signIn('hrss.officer');
    await page.getByRole('navigation', { name: zh['nav.label'] }).getByRole('link', { name: zh['catalog.nav'], exact: true }).click();
    await page.getByRole('link', { name: zh['catalog.new'], exact: true }).click();
    await page.getByRole('heading', { level: 1, name: zh['catalog.editor.newTitle'] }).waitFor();
    const panel = page.getByRole('region', { name: zh['catalog.similar.title'] });
    await panel.getByRole('status').filter({ hasText: zh['catalog.similar.waiting'] }).waitFor();

    await page.getByLabel(zh['catalog.form.nameZh'], { exact: true }).fill(ENTRY_NAME);
    await page.getByLabel(zh['catalog.form.abstractZh'], { exact: true }).fill('本省参保单位的统一社会信用代码、名称和法定代表人。');
    await page.getByLabel(zh['catalog.form.formatType'], { exact: true }).fill('JSON');
    const cell = (row: number, column: keyof typeof zh) => page.getByLabel(fill(zh['catalog.items.cell'], { row, column: zh[column] }), { exact: true });
    const items: [string, string][] = [
      ['统一社会信用代码', 'creditCode'],
      ['名称', 'name'],
      ['法定代表人', 'legalRepName'],
    ];
    for (const [i, [name, field]] of items.entries()) {
      if (i > 0) await page.getByRole('button', { name: zh['catalog.items.add'], exact: true }).click();
      await cell(i + 1, 'catalog.items.name').fill(name);
      await cell(i + 1, 'catalog.items.field').fill(field);
      await cell(i + 1, 'catalog.items.type').selectOption('string');
    }
    await page.getByLabel(zh['catalog.form.condition'], { exact: true }).fill('用于社会保险参保登记核验');

    // The registry's entry is listed, marked highly similar in words, with the items in common.
    const row = panel.getByRole('row').filter({ hasText: EXISTING });
    await row.waitFor();
    await row.getByText(zh['catalog.similar.high'], { exact: true }).waitFor();
    const matched = (await row.getByRole('cell').nth(4).textContent()) ?? '';
    for (const [name] of items) assert.ok(matched.includes(name), `${name} in ${matched}`);
    assert.equal(await row.getByRole('link').getAttribute('target'), '_blank', 'opens beside the draft');
    await panel.getByRole('status').filter({ hasText: /发现 \d+ 个相似资源，其中 [1-9]\d* 个高度相似/ }).waitFor();
    await assertControlsLabelled(page);

    // Saving without confirming: refused, the problem beside the checkbox, nothing created.
    const before = await entryCount();
    await page.getByRole('button', { name: zh['catalog.form.saveDraft'], exact: true }).click();
    const summary = page.getByRole('alert').filter({ hasText: zh['common.errorSummary'] });
    await summary.waitFor();
    assert.match((await summary.textContent()) ?? '', new RegExp(`其他部门已编目与此高度相似的资源.*${EXISTING}`));
    await summary.getByRole('link', { name: new RegExp(`^${zh['catalog.similar.acknowledgeLabel']}`) }).waitFor();
    const box = page.getByLabel(zh['catalog.similar.acknowledge'], { exact: true });
    assert.equal(await box.getAttribute('aria-invalid'), 'true');
    assert.equal(await box.isChecked(), false);
    assert.equal(await entryCount(), before, 'a refusal creates nothing');
    assert.equal(await page.getByLabel(zh['catalog.form.nameZh'], { exact: true }).inputValue(), ENTRY_NAME, 'what was typed is kept');

    await box.check();
    await page.getByLabel(zh['catalog.similar.note'], { exact: true }).fill(NOTE);
    await assertControlsLabelled(page);
    await page.getByRole('button', { name: zh['catalog.form.saveSubmit'], exact: true }).click();
    await page.getByRole('heading', { level: 1, name: ENTRY_NAME }).waitFor();
    await page.getByRole('status').filter({ hasText: zh['catalog.done.submitted'] }).waitFor();
    assert.equal(await entryCount(), before + 1);

    const record = page.getByRole('region', { name: zh['catalog.similarCheck.title'] });
    await record.getByText(zh['catalog.similarCheck.acknowledged']).waitFor();
    await record.getByText(NOTE).waitFor();
    await record.getByRole('row').filter({ hasText: EXISTING }).filter({ hasText: zh['catalog.similarCheck.seenYes'] }).waitFor();
    await assertControlsLabelled(page);
  });

  it('the data bureau opens it from the review queue and reads what the drafter was shown and their note', async () => {
    await signIn('data.admin');
    await page.getByRole('navigation', { name: zh['nav.label'] }).getByRole('link', { name: zh['catalog.nav'], exact: true }).click();
    await page.getByRole('navigation', { name: zh['catalog.tab.label'] }).getByRole('link', { name: zh['catalog.tab.review'], exact: true }).click();
    await page.getByRole('heading', { level: 1, name: zh['catalog.reviewQueue.title'] }).waitFor();
    await page.getByRole('row').filter({ hasText: ENTRY_NAME }).getByRole('link', { name: ENTRY_NAME }).click();
    await page.getByRole('heading', { level: 1, name: ENTRY_NAME }).waitFor();

    const record = page.getByRole('region', { name: zh['catalog.similarCheck.title'] });
    await record.getByText(fill(zh['catalog.similarCheck.summary'], { at: '', actor: 'hrss.officer' }).slice(1)).waitFor();
    await record.getByText(zh['catalog.similarCheck.acknowledged']).waitFor();
    await record.getByText(NOTE).waitFor();
    const row = record.getByRole('row').filter({ hasText: EXISTING });
    await row.getByText(zh['catalog.similar.high'], { exact: true }).waitFor();
    await row.filter({ hasText: zh['catalog.similarCheck.seenYes'] }).waitFor();
    // The review panel is on the same page, so the decision is taken with the record in view.
    await page.getByRole('region', { name: zh['catalog.review.title'], exact: true }).waitFor();
    await assertControlsLabelled(page);
    assert.deepEqual(pageErrors, []);
  });
});
