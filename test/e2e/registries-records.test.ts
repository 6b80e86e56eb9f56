// The record registries in a real browser, on the demo server: the public security
// department's officer finds the population registry from the navigation, searches it with a
// purpose, opens a person, changes an address with a reason and sees the new version with its
// provenance, sees who read the record (with that purpose), is told beside the input that an
// ID number's check character is wrong, and reads the pages in both languages. An officer of
// market regulation, which does not keep the population registry, is refused with the
// server's words and sees no data. A file of people is imported with a progress bar, and a
// bad one is refused with its problems by row and field.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { CODE_LISTS } from '../../src/modules/registries/index.ts';
import { idNumberCheckCharacter } from '../../src/platform/codes/id-number.ts';
import { en } from '../../web/src/i18n/en.ts';
import { zhCN as zh } from '../../web/src/i18n/zh-CN.ts';
import { assertControlsLabelled, ensureWebBuilt, fill, launchChromium, startServer, type RunningServer } from './harness.ts';
import { pageCsrfToken, signedInPage } from './session.ts';

let server: RunningServer | undefined;
let browser: Browser | undefined;
let context: BrowserContext | undefined;
let page: Page;
const pageErrors: string[] = [];

const idNumber = (first17: string) => first17 + idNumberCheckCharacter(first17);
/** A wrong check character for a number: any other one. */
const wrongCheck = (id: string) => id.slice(0, 17) + (id[17] === '0' ? '1' : '0');

// New people of the demo county (990121), born on dates and with sequence numbers the demo's
// generated population does not use (checked before they are used).
const NEWBORN = idNumber('99012120200101993');
const WANG = idNumber('99012119900701994');
const ZHAO = idNumber('99012119910203995');

type Person = { key: string; version: number; data: Record<string, string> };
/** The person the first test works on; the refusal test tries to read them too. */
let chosen: Person | undefined;

/** A living person of the demo population, through the API the page uses (logged as a read with this purpose). */
async function aLivingPerson(): Promise<Person> {
  const res = await page.request.get(`${server!.baseUrl}/api/registries/population/records?where.status=living&where.maritalStatus=10&orderBy=idNumber&pageSize=1&purpose=e2e`);
  assert.equal(res.status(), 200, await res.text());
  const body = (await res.json()) as { results: Person[] };
  assert.ok(body.results[0], 'the demo has living unmarried people');
  for (const key of [NEWBORN, WANG, ZHAO]) {
    const found = (await (await page.request.get(`${server!.baseUrl}/api/registries/population/records?where.idNumber=${key}&purpose=e2e`)).json()) as { count: number };
    assert.equal(found.count, 0, `${key} is not in the demo population`);
  }
  return body.results[0];
}

async function signIn(username: string): Promise<void> {
  await context?.close();
  ({ context, page } = await signedInPage(browser!, server!.baseUrl, username, { pageErrors }));
}


/** The text an input's aria-describedby points at: its hint and its error. */
async function description(page: Page, label: string): Promise<string> {
  const input = page.getByLabel(label, { exact: true });
  const ids = (await input.getAttribute('aria-describedby')) ?? '';
  const texts = await Promise.all(ids.split(/\s+/).filter(Boolean).map((id) => page.locator(`[id="${id}"]`).innerText()));
  return texts.join(' ');
}

describe('record registries in the workbench: search, a record, its versions and readers', { timeout: 600_000 }, () => {
  before(async () => {
    ensureWebBuilt();
    // The demo seed (organizations, users, the four registries and their data) runs at the first start; a loaded CI machine takes minutes.
    server = await startServer({ timeoutMs: 300_000 });
    browser = await launchChromium();
  });

  after(async () => {
    await context?.close().catch(() => {});
    await browser?.close().catch(() => {});
    await server?.stop();
  });

  it('lets the owner organization search, read, change and check the population registry, in both languages', async () => {
    await signIn('psb.officer');
    chosen = await aLivingPerson();
    const { key, data: person } = chosen;
    await page.getByRole('navigation', { name: zh['nav.label'] }).getByRole('link', { name: zh['registries.title'], exact: true }).click();
    await page.getByRole('heading', { level: 1, name: zh['registries.title'] }).waitFor();
    const registries = page.getByTestId('registries-table');
    const populationRow = registries.getByRole('row', { name: /人口基础信息库/ });
    await populationRow.getByText('青云省公安厅').waitFor();
    assert.match(await populationRow.innerText(), new RegExp(zh['registries.access.keeper']));
    await registries.getByRole('row', { name: /法人单位基础信息库/ }).getByText('青云省市场监督管理局').waitFor();
    await populationRow.getByRole('link', { name: '人口基础信息库' }).click();

    // Search by an indexed field, with a purpose.
    await page.getByRole('heading', { level: 1, name: '人口基础信息库' }).waitFor();
    await page.getByText(zh['records.search.first']).waitFor();
    await page.getByLabel(zh['records.search.field'], { exact: true }).selectOption('name');
    await page.getByLabel(zh['records.search.value'], { exact: true }).fill(person.name);
    await page.getByLabel(zh['records.search.purpose'], { exact: true }).fill('户籍核查 2026-001');
    await assertControlsLabelled(page);
    await page.getByRole('search').getByRole('button', { name: zh['common.search'], exact: true }).click();
    const table = page.getByTestId('records-table');
    const row = table.getByRole('row', { name: new RegExp(key) });
    await row.waitFor();
    const found = await table.locator('tbody tr').count();
    assert.equal(await table.locator('tbody tr', { hasText: person.name }).count(), found, `only people named ${person.name}`);
    assert.match(await row.innerText(), new RegExp(`${CODE_LISTS.sex[person.sex][0]} \\(${person.sex}\\)`), 'codes shown by their names');
    await page.getByText(fill(zh['records.resultsCount'], { count: found })).waitFor();

    // The record, with all its fields.
    await row.getByRole('link', { name: key }).click();
    await page.getByRole('heading', { level: 1, name: fill(zh['records.record.titleNamed'], { name: person.name, key }) }).waitFor();
    const data = page.getByTestId('record-data');
    assert.ok((await data.innerText()).includes(`${CODE_LISTS.ethnicity[person.ethnicity][0]} (${person.ethnicity})`));
    await page.getByText(fill(zh['records.record.purpose'], { purpose: '户籍核查 2026-001' })).waitFor();

    // Change the address with a reason: a new version with its provenance.
    await page.getByRole('button', { name: zh['records.edit'], exact: true }).click();
    const address = page.getByLabel('户籍地址', { exact: true });
    await address.fill('安平县城关镇和平街 8 号');
    await page.getByLabel(zh['records.form.reason'], { exact: true }).fill('门牌号更正');
    await assertControlsLabelled(page);
    await page.getByRole('button', { name: zh['records.form.save'], exact: true }).click();
    await page.getByText(fill(zh['records.saved'], { version: 2 })).waitFor();
    assert.match(await data.innerText(), /和平街 8 号/);
    const history = page.getByTestId('record-history');
    const v2 = history.getByRole('row', { name: /^2\b/ });
    await v2.waitFor();
    const v2Text = await v2.innerText();
    assert.match(v2Text, /门牌号更正/);
    assert.match(v2Text, /psb\.officer/);
    assert.match(v2Text, new RegExp(zh['records.operation.update']));
    assert.match(v2Text, /户籍地址/, 'the changed field is named');
    const v1 = await history.getByRole('row', { name: /^1\b/ }).innerText();
    assert.ok(v1.includes('演示数据 / demo data') && v1.includes(fill(zh['records.source.importFile'], { file: 'demo-population.jsonl' })), v1);

    // Someone else changes the record while the form is open: the save is refused, what was
    // typed stays, and reading the record again brings in the other change.
    await page.getByRole('button', { name: zh['records.edit'], exact: true }).click();
    await page.getByLabel('现住址', { exact: true }).fill('云州市新华路 5 号');
    await page.getByLabel(zh['records.form.reason'], { exact: true }).fill('现住址变更');
    const other = await page.request.patch(`${server!.baseUrl}/api/registries/population/records/${key}`, { headers: { 'x-csrf-token': await pageCsrfToken(page, server!.baseUrl) }, data: { version: 2, patch: { formerName: '曾用名甲' }, reason: '他人同时修改' } });
    assert.equal(other.status(), 200, await other.text());
    await page.getByRole('button', { name: zh['records.form.save'], exact: true }).click();
    const stale = page.getByRole('alert');
    await stale.getByText(zh['records.stale']).waitFor();
    assert.match(await stale.innerText(), /在您读取第 2 版之后已被修改/);
    await stale.getByRole('button', { name: zh['records.reloadRecord'] }).click();
    await page.getByText(fill(zh['records.form.reloaded'], { version: 3 })).waitFor();
    assert.equal(await page.getByLabel('现住址', { exact: true }).inputValue(), '云州市新华路 5 号');
    assert.equal(await page.getByLabel('曾用名', { exact: true }).inputValue(), '曾用名甲');
    await page.getByRole('button', { name: zh['records.form.save'], exact: true }).click();
    await page.getByText(fill(zh['records.saved'], { version: 4 })).waitFor();
    assert.match(await data.innerText(), /曾用名甲/);
    assert.match(await data.innerText(), /新华路 5 号/);

    // Who read it: the search and the page, with the purpose.
    const reads = page.getByTestId('record-reads');
    await reads.waitFor();
    const readRows = reads.getByRole('row', { name: /户籍核查 2026-001/ });
    assert.ok((await readRows.count()) >= 2, 'the search and the opened record are both logged');
    assert.match(await readRows.first().innerText(), /psb\.officer/);
    assert.match(await readRows.first().innerText(), new RegExp(zh['records.channel.workbench']));

    // As of a date before the record existed: the server says there was none.
    await page.getByLabel(zh['records.asOf.date'], { exact: true }).fill('2000-01-01');
    await page.getByRole('button', { name: zh['records.asOf.show'], exact: true }).click();
    await page.locator('#record-asof-title ~ div [role="alert"]').waitFor();

    // A new record with a wrong check character: told beside the ID number input.
    await page.goto(`${server!.baseUrl}/registries/population/new`);
    await page.getByRole('heading', { level: 1, name: fill(zh['records.newTitle'], { title: '人口基础信息库' }) }).waitFor();
    await page.getByLabel('公民身份号码', { exact: true }).fill(wrongCheck(NEWBORN));
    await page.getByLabel('姓名', { exact: true }).fill('张小明');
    await page.getByLabel('性别', { exact: true }).selectOption('1');
    await page.getByLabel('出生日期', { exact: true }).fill('2020-01-01');
    await page.getByLabel('民族', { exact: true }).selectOption('01');
    await page.getByLabel('户籍地行政区划', { exact: true }).fill('990121');
    await page.getByLabel('户籍地址', { exact: true }).fill('安平县城关镇和平街 8 号');
    await page.getByLabel('婚姻状况', { exact: true }).selectOption('10');
    await page.getByLabel('人员状态', { exact: true }).selectOption('living');
    await page.getByLabel(zh['records.form.reason'], { exact: true }).fill('出生登记');
    await assertControlsLabelled(page);
    await page.getByRole('button', { name: zh['records.form.create'], exact: true }).click();
    const summary = page.getByRole('alert');
    await summary.waitFor();
    assert.match(await summary.innerText(), /校验码错误/);
    const idInput = page.getByLabel('公民身份号码', { exact: true });
    assert.equal(await idInput.getAttribute('aria-invalid'), 'true');
    assert.match(await description(page, '公民身份号码'), /不是有效的公民身份号码：校验码错误/);
    // Its input is kept; corrected, the record is created.
    assert.equal(await page.getByLabel('姓名', { exact: true }).inputValue(), '张小明');
    await idInput.fill(NEWBORN);
    await page.getByRole('button', { name: zh['records.form.create'], exact: true }).click();
    await page.getByRole('heading', { level: 1, name: fill(zh['records.record.titleNamed'], { name: '张小明', key: NEWBORN }) }).waitFor();
    await page.getByText(zh['records.created']).waitFor();

    // English: the same pages from the other catalog, labels from the definition in English.
    await page.getByRole('group', { name: zh['lang.label'] }).getByRole('button', { name: en['lang.en'] }).click();
    await page.getByRole('heading', { level: 2, name: en['records.history.title'] }).waitFor();
    await page.getByRole('heading', { level: 2, name: en['records.reads.title'] }).waitFor();
    assert.match(await page.getByTestId('record-data').innerText(), /Date of birth/);
    assert.match(await page.getByTestId('record-data').innerText(), /Male \(1\)/);
    await page.getByRole('link', { name: fill(en['records.backTo'], { title: 'Population register' }) }).click();
    await page.getByRole('heading', { level: 1, name: 'Population register' }).waitFor();
    await page.getByLabel(en['records.search.text'], { exact: true }).waitFor();
    await assertControlsLabelled(page);
    assert.deepEqual(pageErrors, []);
  });

  it('imports a file with a live progress bar, and lists the problems of a bad one by row and field', async () => {
    await signIn('psb.officer');
    await page.goto(`${server!.baseUrl}/registries/population`);
    await page.getByRole('link', { name: zh['records.imports.link'], exact: true }).click();
    await page.getByRole('heading', { level: 1, name: fill(zh['records.imports.title'], { title: '人口基础信息库' }) }).waitFor();
    const header = 'idNumber,name,sex,birthDate,ethnicity,hukouDivision,hukouAddress,maritalStatus,status';
    const wang = `${WANG},王芳,2,1990-07-01,01,990121,安平县城关镇和平街 9 号,10,living`;
    const zhao = `${wrongCheck(ZHAO)},赵磊,1,1991-02-03,01,990121,安平县城关镇和平街 9 号,10,living`;
    const upload = async (fileName: string, rows: string[]) => {
      await page.getByLabel(zh['records.imports.form.file'], { exact: true }).setInputFiles({ name: fileName, mimeType: 'text/csv', buffer: Buffer.from([header, ...rows].join('\n') + '\n') });
      await page.getByLabel(zh['records.imports.form.reason'], { exact: true }).fill('户籍数据迁移');
      await page.getByRole('button', { name: zh['records.imports.form.submit'], exact: true }).click();
    };
    await assertControlsLabelled(page);

    // All or nothing: one bad row, nothing written, the problem named by row and field.
    await upload('bad.csv', [wang, zhao]);
    const progress = page.getByTestId('import-progress');
    await progress.getByText(zh['records.imports.phase.failed']).waitFor();
    const bar = progress.getByRole('progressbar');
    assert.ok(await bar.getAttribute('aria-describedby'), 'the bar has its text equivalent');
    await progress.getByText(fill(zh['records.imports.progress.failedAtomic'], { errors: 1 })).waitFor();
    const problem = page.getByTestId('import-report').getByRole('row', { name: /^3\b/ });
    assert.match(await problem.innerText(), /公民身份号码/);
    assert.match(await problem.innerText(), /校验码错误/);

    // A good file: done, the bar full, the counts in words.
    await upload('good.csv', [wang]);
    await progress.getByText(zh['records.imports.phase.done']).waitFor();
    assert.equal(await bar.evaluate((el) => (el as HTMLProgressElement).value), 1);
    await progress.getByText(/新建 1 条/).waitFor();
    const recent = page.getByTestId('imports-recent');
    await recent.getByRole('row', { name: /good\.csv/ }).getByText(zh['records.imports.status.done']).waitFor();
    assert.match(await recent.getByRole('row', { name: /bad\.csv/ }).innerText(), new RegExp(zh['records.imports.status.failed']));

    // The imported person, with the import as the version's source.
    await page.goto(`${server!.baseUrl}/registries/population/${WANG}`);
    const v1 = page.getByTestId('record-history').getByRole('row', { name: /^1\b/ });
    assert.match(await v1.innerText(), /good\.csv/);
    assert.match(await v1.innerText(), /户籍数据迁移/);
    assert.deepEqual(pageErrors, []);
  });

  it('refuses an officer of another organization with the server’s words, showing no data', async () => {
    await signIn('amr.officer');
    await page.goto(`${server!.baseUrl}/registries`);
    assert.match(await page.getByTestId('registries-table').getByRole('row', { name: /人口基础信息库/ }).innerText(), new RegExp(zh['registries.access.exchange']));
    await page.goto(`${server!.baseUrl}/registries/population`);
    const refusal = page.getByTestId('records-error');
    await refusal.waitFor();
    assert.match(await refusal.innerText(), /仅登记库所属单位的工作人员可在此查阅/);
    assert.equal(await page.getByTestId('records-table').count(), 0);
    assert.equal(await page.getByRole('search').count(), 0, 'no search form for a registry one does not keep');

    await page.goto(`${server!.baseUrl}/registries/population/${chosen?.key ?? WANG}`);
    await page.getByTestId('record-error').waitFor();
    assert.match(await page.getByTestId('record-error').innerText(), /仅登记库所属单位的工作人员可在此查阅/);
    if (chosen) assert.equal(await page.getByText(chosen.data.name).count(), 0);

    // The refusal follows the language.
    await page.getByRole('group', { name: zh['lang.label'] }).getByRole('button', { name: en['lang.en'] }).click();
    await page.getByText(/Only the owner organization's staff read this registry here/).waitFor();
    assert.deepEqual(pageErrors, []);
  });
});
