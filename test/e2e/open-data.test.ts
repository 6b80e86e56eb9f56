// The open data site in a real browser against the real server on the demo world (issue 6,
// open data): signed out, a reader finds the statistics bureau's dataset by an English word,
// opens its page (licence, newest release, preview, update history), and downloads its CSV
// and an earlier release's JSON; the page reads in English too. The bureau's officer then
// publishes a release from the entry's page in the workbench: a file with a bad cell is
// refused with the row and column named, the corrected file is published, and the public
// page shows the new release.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { en } from '../../web/src/i18n/en.ts';
import { zhCN as zh } from '../../web/src/i18n/zh-CN.ts';
import { assertControlsLabelled, ensureWebBuilt, fill, launchChromium, startServer, type RunningServer } from './harness.ts';
import { signInPage } from './session.ts';

let server: RunningServer | undefined;
let browser: Browser | undefined;
let context: BrowserContext | undefined;
let page: Page;
const pageErrors: string[] = [];
let datasetId = '';

const NAME = '青云省各市县常住人口与地区生产总值';

async function newPage(): Promise<void> {
  await context?.close();
  context = await browser!.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  context.setDefaultTimeout(15_000);
  page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
}

async function signIn(username: string): Promise<void> {
  await newPage();
  await signInPage(page, server!.baseUrl, username);
}

describe('the open data site', { timeout: 240_000 }, () => {
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

  it('a reader who has not signed in finds the dataset by an English word and opens its page', async () => {
    await newPage();
    await page.goto(`${server!.baseUrl}/open`);
    await page.getByRole('heading', { level: 1, name: zh['open.title'] }).waitFor();
    await page.getByRole('searchbox', { name: zh['open.search.q'] }).fill('GDP');
    await page.getByRole('button', { name: zh['common.search'], exact: true }).click();
    const card = page.getByTestId('open-datasets').getByRole('listitem').filter({ hasText: NAME });
    await card.waitFor();
    assert.match((await card.textContent()) ?? '', /最新数据：第 2 版，8 行/);
    assert.match(page.url(), /\/open\?q=GDP/);
    await assertControlsLabelled(page);

    await card.getByRole('link', { name: NAME }).click();
    await page.getByRole('heading', { level: 1, name: NAME }).waitFor();
    datasetId = page.url().split('/open/datasets/')[1]!;
    const about = page.getByTestId('open-about');
    assert.match((await about.textContent()) ?? '', /Creative Commons Attribution 4\.0/);
    assert.equal(await about.getByRole('link', { name: /Creative Commons/ }).getAttribute('href'), 'https://creativecommons.org/licenses/by/4.0/');
    assert.match((await page.getByTestId('open-latest').textContent()) ?? '', /第 2 版，8 行/);
    // The preview reads the rows API: eight rows, yes/no in the reader's language.
    const preview = page.getByRole('region', { name: zh['open.preview.title'] });
    await preview.getByRole('row').nth(8).waitFor();
    assert.equal(await preview.getByRole('row').count(), 9);
    assert.match((await preview.getByRole('row').filter({ hasText: '2025' }).first().textContent()) ?? '', /是$/);
    const history = page.getByTestId('open-history').getByRole('listitem');
    assert.equal(await history.count(), 3);
    assert.match((await history.nth(0).textContent()) ?? '', /数据第 2 版（8 行）.*新增 2025 年初步核算数据/);
    assert.match((await history.nth(1).textContent()) ?? '', /数据第 1 版（4 行）.*2024 年统计年报数据/);
    assert.match((await history.nth(2).textContent()) ?? '', /元数据第 1 版/);
    assert.match((await page.getByTestId('open-api-example').textContent()) ?? '', new RegExp(`/open/api/datasets/${datasetId}/rows\\?limit=100`));
    await assertControlsLabelled(page);
  });

  it('downloads the newest CSV and an earlier release as JSON', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: zh['open.download.csv'] }).click()]);
    const path = await download.path();
    const { readFile } = await import('node:fs/promises');
    const csv = await readFile(path!, 'utf8');
    assert.ok(csv.startsWith('\uFEFFdivision_code,division_name,year,population,gdp,preliminary\r\n'), csv.slice(0, 80));
    assert.equal(csv.trimEnd().split('\r\n').length, 9);
    assert.match(csv, /990121,安平县,2025,58\.02,431\.5,true/);

    const earlier = page.getByTestId('open-history').getByRole('listitem').nth(1).getByRole('link', { name: 'JSON' });
    const response = await page.request.get(new URL((await earlier.getAttribute('href'))!, server!.baseUrl).toString());
    assert.equal(response.status(), 200);
    const rows = (await response.json()) as { year: number; population: number; preliminary: boolean }[];
    assert.equal(rows.length, 4);
    assert.deepEqual(rows[0], { division_code: '990000', division_name: '青云省', year: 2024, population: 4862.35, gdp: 58213.6, preliminary: false });
  });

  it('reads in English', async () => {
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { level: 1, name: 'Resident population and GDP of Qingyun by division' }).waitFor();
    await page.getByRole('heading', { level: 2, name: en['open.history.title'] }).waitFor();
    assert.match((await page.getByTestId('open-latest').textContent()) ?? '', /release 2, 8 rows/);
    const preview = page.getByRole('region', { name: en['open.preview.title'] });
    await preview.getByRole('columnheader', { name: 'Resident population (10,000)' }).waitFor();
  });

  it("the bureau's officer publishes a release from the workbench: a bad cell is named, the corrected file is published", async () => {
    await signIn('stats.officer');
    await page.goto(`${server!.baseUrl}/catalog/entries/${datasetId}`);
    const panel = page.getByTestId('open-releases');
    await panel.getByRole('heading', { name: zh['open.releases.title'] }).waitFor();
    await panel.getByRole('row').filter({ hasText: '2024 年统计年报数据' }).waitFor();
    assert.equal(await panel.getByRole('row').count(), 3, 'two releases and the header');
    await assertControlsLabelled(page);

    const header = '区划代码,区划名称,年度,常住人口（万人）,地区生产总值（亿元）,是否初步核算';
    const bad = [header, '990000,青云省,2025,4870.12,六万亿,否'].join('\n');
    const form = page.getByTestId('open-publish');
    await form.getByLabel(zh['open.publish.file'], { exact: true }).setInputFiles({ name: '2025.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
    await form.getByLabel(zh['open.publish.note'], { exact: true }).fill('2025 年最终核实数据');
    await form.getByRole('button', { name: zh['open.publish.submit'], exact: true }).click();
    const report = page.getByTestId('open-publish-report');
    await report.waitFor();
    assert.match((await report.getByRole('row').nth(1).textContent()) ?? '', /^2gdp.*应为数值/);
    assert.equal(await panel.getByRole('row').filter({ hasText: '2025 年最终核实数据' }).count(), 0, 'nothing published');

    const good = [header, '990000,青云省,2025,4870.12,61210.4,否', '990100,云州市,2025,1211.06,18455.0,否'].join('\n');
    await form.getByLabel(zh['open.publish.file'], { exact: true }).setInputFiles({ name: '2025.csv', mimeType: 'text/csv', buffer: Buffer.from(good) });
    await form.getByRole('button', { name: zh['open.publish.submit'], exact: true }).click();
    await page.getByText(fill(zh['open.publish.done'], { release: 3, rows: 2 })).waitFor();
    await panel.getByRole('row').filter({ hasText: '2025 年最终核实数据' }).waitFor();

    await page.goto(`${server!.baseUrl}/open/datasets/${datasetId}`);
    assert.match((await page.getByTestId('open-latest').textContent()) ?? '', /第 3 版，2 行/);
    assert.deepEqual(pageErrors, []);
  });
});
