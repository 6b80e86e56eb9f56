// The information resource catalog in a real browser against the real server on the demo
// world (issue 6, Done when): human resources drafts an entry in the editor, is told beside the
// third data item's cell that it has no type, corrects it and submits it; the data bureau
// approves it from its review queue and it is found by search. Education finds the population
// registry's entry (conditional, with its exchange service) by search and facet and asks for
// two data items for a system of its own; public security sees the request among those to
// answer, on time by its deadline, and approves one item; education's system then calls the
// population service through the exchange (real HTTP, /r1) and gets that field and not the
// other. Statistics and the request in English once; every page's controls labelled.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { en } from '../../web/src/i18n/en.ts';
import { zhCN as zh } from '../../web/src/i18n/zh-CN.ts';
import { assertControlsLabelled, ensureWebBuilt, fill, launchChromium, startServer, type RunningServer } from './harness.ts';
import { apiSession, signedInPage } from './session.ts';

let server: RunningServer | undefined;
let browser: Browser | undefined;
let context: BrowserContext | undefined;
let page: Page;
const pageErrors: string[] = [];
/** Education's calling system and its exchange token, made in the setup through the API. */
let eduSystem = '';
let eduToken = '';
let requestUrl = '';

const ENTRY_NAME = '社会保险参保登记信息';
const byId = (id: string) => page.locator(`[id="${id}"]`);

async function signIn(username: string): Promise<void> {
  await context?.close();
  ({ context, page } = await signedInPage(browser!, server!.baseUrl, username, { pageErrors }));
}

async function openCatalog(tab?: keyof typeof zh): Promise<void> {
  await page.getByRole('navigation', { name: zh['nav.label'] }).getByRole('link', { name: zh['catalog.nav'], exact: true }).click();
  await page.getByRole('heading', { level: 1, name: zh['catalog.title'] }).waitFor();
  if (tab) await page.getByRole('navigation', { name: zh['catalog.tab.label'] }).getByRole('link', { name: zh[tab], exact: true }).click();
}

/** Education's system reads a person from the population registry through the exchange. */
async function readPerson(service: string, idNumber: string) {
  const res = await fetch(`${server!.baseUrl}/r1/${service}/data/population/1.0/read`, {
    method: 'POST',
    headers: { 'x-road-client': eduSystem, authorization: `Bearer ${eduToken}`, 'x-road-issue': 'enrolment-check', 'content-type': 'application/json' },
    body: JSON.stringify({ query: { content: { idNumber } } }),
  });
  const text = await res.text();
  return { status: res.status, body: text, content: res.status === 200 ? ((JSON.parse(text) as { content: Record<string, unknown> }).content) : undefined };
}

describe('the information resource catalog in the workbench', { timeout: 300_000 }, () => {
  before(async () => {
    ensureWebBuilt();
    server = await startServer();
    browser = await launchChromium();
    // Education has no business system in the demo: its administrator registers one and a token for it.
    const edu = await apiSession(server!.baseUrl, 'edu.admin');
    const subsystem = (await edu.call('POST', `/api/organizations/${edu.orgId}/subsystems`, { code: 'enrolment', nameZh: '招生系统', nameEn: 'Enrolment' })) as { identifier: string };
    eduSystem = subsystem.identifier;
    eduToken = ((await edu.call('POST', '/api/exchange/clients', { subsystem: eduSystem, kind: 'token' })) as { token: string }).token;
    assert.ok(eduToken);
  });

  after(async () => {
    await context?.close().catch(() => {});
    await browser?.close().catch(() => {});
    await server?.stop();
  });

  it('a department drafts an entry: the missing type of its third data item is named in its cell; corrected, it is submitted', async () => {
    await signIn('hrss.officer');
    await openCatalog();
    await assertControlsLabelled(page);
    await page.getByRole('link', { name: zh['catalog.new'], exact: true }).click();
    await page.getByRole('heading', { level: 1, name: zh['catalog.editor.newTitle'] }).waitFor();
    assert.equal(await page.getByLabel(zh['catalog.form.class'], { exact: true }).inputValue(), '3', 'a department resource by default');
    await page.getByLabel(zh['catalog.form.nameZh'], { exact: true }).fill(ENTRY_NAME);
    await page.getByLabel(zh['catalog.form.nameEn'], { exact: true }).fill('Social insurance enrolment');
    await page.getByLabel(zh['catalog.form.abstractZh'], { exact: true }).fill('本省参保人员的参保登记信息，含参保状态和参保日期。');
    await page.getByLabel(zh['catalog.form.formatType'], { exact: true }).fill('JSON');
    const cell = (row: number, column: keyof typeof zh) => page.getByLabel(fill(zh['catalog.items.cell'], { row, column: zh[column] }), { exact: true });
    await cell(1, 'catalog.items.name').fill('姓名');
    await cell(1, 'catalog.items.field').fill('name');
    await cell(1, 'catalog.items.type').selectOption('string');
    // Adding a row puts the keyboard in its first cell.
    await page.getByRole('button', { name: zh['catalog.items.add'], exact: true }).click();
    await page.keyboard.type('参保状态');
    assert.equal(await cell(2, 'catalog.items.name').inputValue(), '参保状态');
    await cell(2, 'catalog.items.field').fill('insuranceStatus');
    await cell(2, 'catalog.items.type').selectOption('string');
    await page.getByRole('button', { name: zh['catalog.items.add'], exact: true }).click();
    await cell(3, 'catalog.items.name').fill('参保日期');
    await cell(3, 'catalog.items.field').fill('insuredSince');
    // Shared on conditions: the conditions are marked required.
    assert.equal(await page.getByLabel(zh['catalog.form.sharingType'], { exact: true }).inputValue(), 'conditional');
    assert.equal(await page.getByLabel(zh['catalog.form.condition'], { exact: true }).getAttribute('required'), '');
    await page.getByLabel(zh['catalog.form.condition'], { exact: true }).fill('用于社会保障待遇资格核验');
    await page.getByRole('group', { name: zh['catalog.form.themes'] }).getByLabel(zh['catalog.theme.03'], { exact: true }).check();
    await page.getByLabel(zh['catalog.form.keywords'], { exact: true }).fill('社保，参保');
    await assertControlsLabelled(page);

    // The third item has no type: the server's problem is beside that cell, and in the summary.
    await page.getByRole('button', { name: zh['catalog.form.saveDraft'], exact: true }).click();
    const summary = page.getByRole('alert').filter({ hasText: zh['common.errorSummary'] });
    await summary.waitFor();
    await summary.getByRole('link', { name: new RegExp(`^${fill(zh['catalog.items.cell'], { row: 3, column: zh['catalog.items.type'] })}`) }).waitFor();
    const typeCell = byId('catalog-entry-dataItems[2].type');
    assert.equal(await typeCell.getAttribute('aria-invalid'), 'true');
    assert.equal(await byId('catalog-entry-dataItems[2].type-error').textContent(), zh['fieldError.enum']);
    assert.equal(await byId('catalog-entry-dataItems[1].type').getAttribute('aria-invalid'), null, 'the other rows are fine');
    assert.equal(await cell(3, 'catalog.items.name').inputValue(), '参保日期', 'what was typed is kept');

    await typeCell.selectOption('date');
    await page.getByRole('button', { name: zh['catalog.form.saveSubmit'], exact: true }).click();
    await page.getByRole('heading', { level: 1, name: ENTRY_NAME }).waitFor();
    await page.getByRole('status').filter({ hasText: zh['catalog.done.submitted'] }).waitFor();
    await page.locator('.lead .badge').filter({ hasText: zh['catalog.status.submitted'] }).waitFor();
    const items = page.getByRole('region', { name: fill(zh['catalog.items.title'], { count: 3 }) });
    await items.getByRole('cell', { name: '参保日期', exact: true }).waitFor();
    await items.getByRole('cell', { name: zh['catalog.itemType.date'], exact: true }).waitFor();
    const trail = page.getByRole('region', { name: zh['catalog.trail.title'] });
    await trail.getByRole('cell', { name: zh['catalog.review.action.submit'], exact: true }).waitFor();
    assert.equal(await page.getByRole('link', { name: zh['catalog.entry.edit'], exact: true }).count(), 0, 'not changed while under review');
    await assertControlsLabelled(page);

    // It is among the department's entries, under review.
    await page.getByRole('navigation', { name: zh['catalog.tab.label'] }).getByRole('link', { name: zh['catalog.tab.mine'], exact: true }).click();
    await page.getByRole('row').filter({ hasText: ENTRY_NAME }).filter({ hasText: zh['catalog.status.submitted'] }).waitFor();
    await assertControlsLabelled(page);
  });

  it('the data bureau approves it from the review queue; it is published and found by search', async () => {
    await signIn('data.admin');
    await openCatalog('catalog.tab.review');
    await page.getByRole('heading', { level: 1, name: zh['catalog.reviewQueue.title'] }).waitFor();
    await assertControlsLabelled(page);
    await page.getByRole('row').filter({ hasText: ENTRY_NAME }).getByRole('link', { name: ENTRY_NAME }).click();
    await page.getByRole('heading', { level: 1, name: ENTRY_NAME }).waitFor();
    const review = page.getByRole('region', { name: zh['catalog.review.title'], exact: true });
    await review.getByLabel(zh['catalog.review.comment'], { exact: true }).fill('元数据完整，同意发布');
    await assertControlsLabelled(page);
    await review.getByRole('button', { name: zh['catalog.review.approve'], exact: true }).click();
    await page.getByRole('status').filter({ hasText: /已审核通过并发布/ }).waitFor();
    await page.locator('.lead .badge').filter({ hasText: zh['catalog.status.published'] }).waitFor();
    await page.getByRole('region', { name: zh['catalog.versions.title'] }).getByRole('cell', { name: '1', exact: true }).waitFor();
    await page.getByRole('region', { name: zh['catalog.trail.title'] }).getByRole('cell', { name: '元数据完整，同意发布', exact: true }).waitFor();
    assert.equal(await page.getByRole('region', { name: zh['catalog.review.title'], exact: true }).count(), 0, 'nothing left to review');

    await page.getByRole('navigation', { name: zh['catalog.tab.label'] }).getByRole('link', { name: zh['catalog.tab.review'], exact: true }).click();
    await page.getByText(zh['catalog.reviewQueue.empty']).waitFor();

    // Published: the search finds it, its match marked.
    await page.getByRole('navigation', { name: zh['catalog.tab.label'] }).getByRole('link', { name: zh['catalog.tab.browse'], exact: true }).click();
    await page.getByLabel(zh['catalog.search.q'], { exact: true }).fill('参保');
    await page.getByRole('button', { name: zh['common.search'], exact: true }).click();
    const results = page.getByRole('region', { name: fill(zh['catalog.search.resultsFor'], { q: '参保' }) });
    await results.getByRole('link', { name: ENTRY_NAME }).waitFor();
    assert.ok((await results.locator('mark').count()) > 0, 'the matches are highlighted');

    // The data bureau also has the box of overdue requests, empty for now.
    await page.getByRole('navigation', { name: zh['catalog.tab.label'] }).getByRole('link', { name: zh['catalog.tab.requests'], exact: true }).click();
    await page.getByRole('navigation', { name: zh['catalog.box.label'] }).getByRole('link', { name: zh['catalog.box.escalated'], exact: true }).click();
    await page.getByText(zh['catalog.requests.empty.escalated']).waitFor();
    await assertControlsLabelled(page);
  });

  it('another department finds the population entry by search and facet and requests two items for its own system', async () => {
    await signIn('edu.officer');
    await openCatalog();
    // The base view lists the registries' entries.
    await page.getByRole('link', { name: '人口基础信息库' }).waitFor();
    await page.getByLabel(zh['catalog.search.q'], { exact: true }).fill('人口');
    await page.getByRole('button', { name: zh['common.search'], exact: true }).click();
    await page.getByRole('region', { name: fill(zh['catalog.search.resultsFor'], { q: '人口' }) }).waitFor();
    const sharing = page.getByRole('group', { name: zh['catalog.facet.sharing'] });
    await sharing.getByRole('checkbox', { name: /^有条件共享/ }).check();
    await page.waitForURL(/sharing=conditional/);
    assert.equal(await sharing.getByRole('checkbox', { name: /^有条件共享/ }).isChecked(), true);
    await assertControlsLabelled(page);
    await page.getByRole('link', { name: '人口基础信息库' }).click();

    await page.getByRole('heading', { level: 1, name: '人口基础信息库' }).waitFor();
    const metadata = page.getByTestId('catalog-metadata');
    await metadata.getByText(zh['catalog.sharing.conditional'], { exact: true }).waitFor();
    const service = (await metadata.locator('code').first().textContent()) ?? '';
    assert.match(service, /\/registries\/population$/, 'the entry names its exchange service');
    await page.getByRole('region', { name: /信息项/ }).getByRole('cell', { name: '出生日期', exact: true }).waitFor();
    await assertControlsLabelled(page);

    // No right yet: the exchange refuses education's system.
    const psb = await apiSession(server!.baseUrl, 'psb.admin');
    const person = ((await psb.call('GET', '/api/registries/population/records?pageSize=1')) as { results: { key: string }[] }).results[0].key;
    assert.equal((await readPerson(service, person)).status, 403);

    await page.getByRole('link', { name: zh['catalog.entry.request'], exact: true }).click();
    await page.getByRole('heading', { level: 1, name: fill(zh['catalog.ask.title'], { name: '人口基础信息库' }) }).waitFor();
    const asked = page.getByRole('group', { name: new RegExp(zh['catalog.ask.items']) });
    await asked.getByLabel('姓名', { exact: true }).check();
    await asked.getByLabel('出生日期', { exact: true }).check();
    await page.getByLabel(zh['catalog.ask.purpose'], { exact: true }).fill('义务教育入学资格审核');
    await page.getByLabel(zh['catalog.ask.legalBasis'], { exact: true }).fill('《中华人民共和国义务教育法》第十二条');
    await page.getByLabel(zh['catalog.ask.subsystem'], { exact: true }).selectOption(eduSystem);
    await assertControlsLabelled(page);
    await page.getByRole('button', { name: zh['catalog.ask.submit'], exact: true }).click();

    await page.getByRole('status').filter({ hasText: zh['catalog.done.requestSent'] }).waitFor();
    requestUrl = page.url();
    const details = page.getByTestId('catalog-request');
    await details.getByText(zh['catalog.requestStatus.pending'], { exact: true }).waitFor();
    const deadline = details.getByTestId('catalog-deadline');
    assert.equal(await deadline.getAttribute('data-deadline'), 'ok');
    assert.match((await deadline.textContent()) ?? '', new RegExp(`${zh['catalog.deadline.ok']}.*还剩 \\d+ 个工作日`));
    assert.match((await details.textContent()) ?? '', /姓名、出生日期/);
    await page.getByRole('button', { name: zh['catalog.withdraw.button'], exact: true }).waitFor();
    await assertControlsLabelled(page);
  });

  it('the provider sees it to answer with its deadline, and approves one item of the two', async () => {
    await signIn('psb.admin');
    await openCatalog('catalog.tab.requests');
    await page.getByRole('navigation', { name: zh['catalog.box.label'] }).getByRole('link', { name: zh['catalog.box.incoming'], exact: true }).click();
    const row = page.getByRole('row').filter({ hasText: '青云省教育厅' }).filter({ hasText: '人口基础信息库' });
    await row.waitFor();
    const deadline = row.getByTestId('catalog-deadline');
    assert.equal(await deadline.getAttribute('data-deadline'), 'ok');
    assert.match((await deadline.getAttribute('class')) ?? '', /deadline-ok/, 'the colour repeats the words');
    assert.match((await deadline.textContent()) ?? '', new RegExp(zh['catalog.deadline.ok']));
    await row.getByText(zh['catalog.requestStatus.pending'], { exact: true }).waitFor();
    await assertControlsLabelled(page);
    await row.getByRole('link', { name: '人口基础信息库' }).click();

    const answer = page.getByRole('region', { name: zh['catalog.answer.title'] });
    await answer.waitFor();
    await answer.getByLabel('出生日期', { exact: true }).uncheck();
    await answer.getByLabel(zh['catalog.answer.reason'], { exact: true }).fill('入学审核只需核对姓名');
    await assertControlsLabelled(page);
    await answer.getByRole('button', { name: fill(zh['catalog.answer.approveFewer'], { count: 1 }), exact: true }).click();
    await page.getByRole('status').filter({ hasText: fill(zh['catalog.done.requestApproved'], { count: 1 }) }).waitFor();
    const details = page.getByTestId('catalog-request');
    await details.getByText(zh['catalog.requestStatus.approved'], { exact: true }).waitFor();
    assert.match((await details.textContent()) ?? '', new RegExp(`${zh['catalog.request.granted']}姓名`));
    await page.getByRole('region', { name: zh['catalog.revoke.title'] }).waitFor();
  });

  it("the approval lets the consumer's system read the granted field through the exchange, and not the other", async () => {
    const psb = await apiSession(server!.baseUrl, 'psb.admin');
    const person = ((await psb.call('GET', '/api/registries/population/records?pageSize=1')) as { results: { key: string }[] }).results[0].key;
    const service = (await page.getByTestId('catalog-request').locator('code').last().textContent()) ?? '';
    assert.match(service, /\/registries\/population$/);
    const read = await readPerson(service, person);
    assert.equal(read.status, 200, read.body);
    assert.ok(typeof read.content!.name === 'string' && (read.content!.name as string).length > 0, 'the granted field is there');
    assert.equal(read.content!.birthDate, undefined, 'birth date was asked for but not granted');
    assert.equal(read.content!.ethnicity, undefined, 'nor anything not asked for');
  });

  it('in English: the request and the statistics', async () => {
    await page.goto(requestUrl.replace(/\?.*$/, ''));
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { level: 1, name: fill(en['catalog.request.titleOf'], { name: 'Population register' }) }).waitFor();
    const details = page.getByTestId('catalog-request');
    await details.getByText(en['catalog.requestStatus.approved'], { exact: true }).waitFor();
    assert.match((await details.textContent()) ?? '', new RegExp(`${en['catalog.request.granted']}姓名`));
    await assertControlsLabelled(page);

    await page.getByRole('navigation', { name: en['catalog.tab.label'] }).getByRole('link', { name: en['catalog.tab.statistics'], exact: true }).click();
    await page.getByRole('heading', { level: 1, name: en['catalog.stats.title'] }).waitFor();
    const psbRow = page.getByRole('region', { name: en['catalog.stats.tableTitle'] }).getByRole('row').filter({ hasText: 'Public Security' });
    await psbRow.waitFor();
    const cells = await psbRow.getByRole('cell').allTextContents();
    // Organization, made, received, approved, rejected, pending, overdue, rate, days.
    assert.deepEqual(cells.slice(2, 5), ['1', '1', '0']);
    assert.equal(cells[7], '100%');
    await page.getByTestId('catalog-chart-received').waitFor();
    await page.getByTestId('catalog-chart-rate').getByRole('img').waitFor();
    await assertControlsLabelled(page);
    assert.deepEqual(pageErrors, []);
  });
});
