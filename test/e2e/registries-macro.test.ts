// The macroeconomic database in a real browser, on the demo server with the Qingyun
// province's figures: the statistics bureau's officer opens the page from the navigation,
// picks GDP, and sees a line chart of the province over the years and a bar chart of its
// cities in the latest year, each with its data table; an "as published on" date before the
// figures were published leaves the series empty.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { localOperator } from '../../src/platform/actor.ts';
import { MACROECONOMIC } from '../../src/modules/registries/index.ts';
import { en } from '../../web/src/i18n/en.ts';
import { zhCN as zh } from '../../web/src/i18n/zh-CN.ts';
import { assertControlsLabelled, ensureWebBuilt, fill, launchChromium, startServer, type RunningServer } from './harness.ts';
import { seedDemoWithRegistry } from './registry-data.ts';
import { pageCsrfToken, signedInPage } from './session.ts';

let server: RunningServer | undefined;
let browser: Browser | undefined;
let context: BrowserContext | undefined;
let page: Page;
const pageErrors: string[] = [];

async function signIn(username: string): Promise<void> {
  await context?.close();
  ({ context, page } = await signedInPage(browser!, server!.baseUrl, username, { pageErrors }));
}


describe('the macroeconomic database in the workbench: charts of seeded figures', { timeout: 180_000 }, () => {
  before(async () => {
    ensureWebBuilt();
    // The demo world plus the registry and its seed, loaded before the server starts.
    server = await startServer({ prepare: (dataDir) => seedDemoWithRegistry(dataDir, { definition: MACROECONOMIC, keeper: '青云省统计局', seed: (services) => services.registries.macro.seedDemo(localOperator('e2e')) }) });
    browser = await launchChromium();
  });

  after(async () => {
    await context?.close().catch(() => {});
    await browser?.close().catch(() => {});
    await server?.stop();
  });

  it('shows a line chart of a region and a bar chart of its divisions, with their tables', async () => {
    await signIn('stats.officer');
    await page.getByRole('navigation', { name: zh['nav.label'] }).getByRole('link', { name: zh['macro.title'], exact: true }).click();
    await page.getByRole('heading', { level: 1, name: zh['macro.page.title'] }).waitFor();
    const indicators = page.getByTestId('macro-indicators');
    await indicators.getByRole('rowheader', { name: '常住人口', exact: true }).waitFor();
    await indicators.getByRole('button', { name: fill(zh['macro.showFor'], { name: '地区生产总值' }), exact: true }).click();
    assert.match(page.url(), /indicator=GDP/);

    const series = page.getByTestId('macro-series');
    const seriesTitle = fill(zh['macro.series.title'], { indicator: '地区生产总值', region: '青云省' });
    await series.getByRole('heading', { name: seriesTitle }).waitFor();
    await page.getByRole('img', { name: seriesTitle }).waitFor();
    assert.equal(await series.locator('circle').count(), 7, 'one point per year, 2019–2025');
    await series.getByText(zh['macro.table.show']).click();
    // 2023 as revised after the census: 3948.72 (云州市) + 2511.32 (临江市).
    const row2023 = series.getByRole('row', { name: /^2023/ });
    assert.match(await row2023.innerText(), /6,460\.04/);

    const cross = page.getByTestId('macro-cross-section');
    const crossTitle = fill(zh['macro.cross.title'], { indicator: '地区生产总值', region: '青云省', period: '2025' });
    await cross.getByRole('heading', { name: crossTitle }).waitFor();
    assert.equal(await cross.locator('rect').count(), 2, 'one bar per city');
    await cross.getByText(zh['macro.table.show']).click();
    assert.match(await cross.getByRole('row', { name: /云州市/ }).innerText(), /4,342\.18/);
    assert.match(await cross.getByRole('row', { name: /临江市/ }).innerText(), /2,770\.61/);
    await assertControlsLabelled(page);

    // The cities' own series.
    await page.getByLabel(zh['macro.controls.region'], { exact: true }).selectOption('990100');
    await series.getByRole('heading', { name: fill(zh['macro.series.title'], { indicator: '地区生产总值', region: '云州市' }) }).waitFor();

    // Before anything was published, there is nothing to show.
    await page.getByLabel(zh['macro.controls.asOf'], { exact: true }).fill('2020-01-01');
    await page.getByText(zh['macro.series.empty']).waitFor();
    assert.deepEqual(pageErrors, []);
  });
  const openMacro = async (query = '') => {
    await page.goto(`${server!.baseUrl}/registries/macroeconomic${query}`);
    await page.getByTestId('macro-indicators').waitFor();
  };
  const csvFile = (name: string, lines: string[]) => ({ name, mimeType: 'text/csv', buffer: Buffer.from(`${lines.join('\r\n')}\r\n`) });

  it('lets the keeper create an indicator, publish and revise an observation, and see the chart and the revisions follow', async () => {
    await signIn('stats.officer');
    await openMacro();
    await page.getByRole('button', { name: zh['macro.indicator.new'], exact: true }).click();
    const form = page.getByTestId('macro-indicator-new');
    await form.getByLabel(zh['macro.form.code'], { exact: true }).fill('grain');
    await form.getByLabel(zh['macro.form.nameZh'], { exact: true }).fill('粮食产量');
    await form.getByLabel(zh['macro.form.nameEn'], { exact: true }).fill('Grain output');
    await form.getByLabel(zh['macro.form.unitZh'], { exact: true }).fill('万吨');
    await form.getByLabel(zh['macro.form.unitEn'], { exact: true }).fill('10,000 tonnes');
    await form.getByLabel(zh['macro.form.decimals'], { exact: true }).fill('1');
    await assertControlsLabelled(page);
    // A code in small letters: the server refuses it, and the problem is shown beside the code.
    await form.getByRole('button', { name: zh['macro.form.create'], exact: true }).click();
    await form.locator('#macro-indicator-new-code-error').waitFor();
    await form.getByLabel(zh['macro.form.code'], { exact: true }).fill('GRAIN');
    await form.getByRole('button', { name: zh['macro.form.create'], exact: true }).click();
    await page.getByText(fill(zh['macro.notice.created'], { code: 'GRAIN', name: '粮食产量' })).waitFor();
    await page.getByTestId('macro-indicators').getByRole('rowheader', { name: '粮食产量', exact: true }).waitFor();
    await page.getByText(zh['macro.noData']).waitFor();
    assert.match(page.url(), /indicator=GRAIN/);

    // Someone else changes the indicator while it is being edited: refused, nothing typed is lost.
    await page.getByTestId('macro-indicators').getByRole('button', { name: fill(zh['macro.editFor'], { name: '粮食产量' }), exact: true }).click();
    const edit = page.getByTestId('macro-indicator-edit');
    await edit.getByLabel(zh['macro.form.descriptionZh'], { exact: true }).fill('全年粮食总产量。');
    const other = await page.request.put(`${server!.baseUrl}/api/registries/macroeconomic/indicators/GRAIN`, {
      headers: { 'x-csrf-token': await pageCsrfToken(page, server!.baseUrl) },
      data: { version: 1, nameZh: '粮食产量', nameEn: 'Grain production', unitZh: '万吨', unitEn: '10,000 tonnes', frequency: 'A', aggregation: 'sum', decimals: 1 },
    });
    assert.equal(other.status(), 200);
    await edit.getByRole('button', { name: zh['macro.form.save'], exact: true }).click();
    const stale = edit.getByRole('alert');
    await stale.getByText(zh['macro.stale']).waitFor();
    await stale.getByRole('button', { name: zh['macro.reloadIndicator'], exact: true }).click();
    await edit.getByText(fill(zh['macro.form.reloaded'], { version: '2' })).waitFor();
    assert.equal(await edit.getByLabel(zh['macro.form.nameEn'], { exact: true }).inputValue(), 'Grain production');
    assert.equal(await edit.getByLabel(zh['macro.form.descriptionZh'], { exact: true }).inputValue(), '全年粮食总产量。');
    await edit.getByRole('button', { name: zh['macro.form.save'], exact: true }).click();
    await page.getByText(fill(zh['macro.notice.saved'], { code: 'GRAIN', name: '粮食产量', version: '3' })).waitFor();

    // An observation: its period must fit the annual frequency.
    await page.getByRole('button', { name: zh['macro.obs.open'], exact: true }).click();
    const obs = page.getByTestId('macro-observation');
    assert.equal(await obs.getByLabel(zh['macro.obs.indicator'], { exact: true }).inputValue(), 'GRAIN');
    await obs.getByLabel(zh['macro.obs.region'], { exact: true }).fill('990100');
    await obs.getByLabel(zh['macro.obs.period'], { exact: true }).fill('2025-Q1');
    await obs.getByLabel(zh['macro.obs.value'], { exact: true }).fill('612.5');
    await obs.getByLabel(zh['macro.obs.reason'], { exact: true }).fill('2025 年统计公报');
    await obs.getByRole('button', { name: zh['macro.obs.submit'], exact: true }).click();
    const periodError = obs.locator('#macro-observation-period-error');
    await periodError.waitFor();
    assert.match(await periodError.innerText(), /与该指标的频度不符/);
    await obs.getByLabel(zh['macro.obs.period'], { exact: true }).fill('2025');
    await obs.getByRole('button', { name: zh['macro.obs.submit'], exact: true }).click();
    await page.getByText(fill(zh['macro.notice.observation'], { indicator: '粮食产量', region: '990100', period: '2025', revision: '1' })).waitFor();
    const series = page.getByTestId('macro-series');
    await series.getByRole('heading', { name: fill(zh['macro.series.title'], { indicator: '粮食产量', region: '云州市' }) }).waitFor();
    assert.equal(await series.locator('circle').count(), 1);
    await series.getByText(zh['macro.table.show']).click();
    assert.match(await series.getByRole('row', { name: /^2025/ }).innerText(), /612\.5/);
    const revisions = page.getByTestId('macro-revisions');
    await revisions.getByRole('row', { name: /^1 / }).getByText('2025 年统计公报').waitFor();

    // A revision: the chart shows the new value, the revisions list both, newest first.
    await page.getByRole('button', { name: zh['macro.obs.open'], exact: true }).click();
    assert.equal(await obs.getByLabel(zh['macro.obs.period'], { exact: true }).inputValue(), '2025');
    await obs.getByLabel(zh['macro.obs.value'], { exact: true }).fill('615.0');
    await obs.getByLabel(zh['macro.obs.status'], { exact: true }).selectOption('P');
    await obs.getByLabel(zh['macro.obs.reason'], { exact: true }).fill('快报修订');
    await obs.getByRole('button', { name: zh['macro.obs.submit'], exact: true }).click();
    await page.getByText(fill(zh['macro.notice.observation'], { indicator: '粮食产量', region: '990100', period: '2025', revision: '2' })).waitFor();
    await revisions.getByRole('row', { name: /^2 / }).getByText('快报修订').waitFor();
    const rows = await revisions.locator('tbody tr').allInnerTexts();
    assert.equal(rows.length, 2);
    assert.match(rows[0], /^2\s+615\.0\s+初步/);
    assert.match(rows[1], /^1\s+612\.5\s+/);
    await series.getByText(zh['macro.table.show']).click();
    assert.match(await series.getByRole('row', { name: /^2025/ }).innerText(), /615\.0/);
    assert.deepEqual(pageErrors, []);
  });

  it('imports a CSV with one bad row (row and column reported, nothing written), then the corrected file, and checks an SDMX-CSV file', async () => {
    await signIn('stats.officer');
    await openMacro('?indicator=GRAIN');
    const form = page.getByTestId('macro-import');
    const file = form.getByLabel(zh['macro.import.file'], { exact: true });
    await file.setInputFiles(csvFile('grain.csv', ['indicator,region,period,value,status', 'GRAIN,990200,2025,388.2,A', 'GRAIN,990200,2024,abc,A']));
    await form.getByLabel(zh['macro.import.reason'], { exact: true }).fill('2025 年统计年鉴');
    await form.getByRole('button', { name: zh['macro.import.submit'], exact: true }).click();
    const report = page.getByTestId('macro-import-report');
    await report.waitFor();
    const lines = await report.locator('tbody tr').allInnerTexts();
    assert.equal(lines.length, 1);
    assert.match(lines[0], /^3\s+value\s+“abc”不是数值/);
    const coverage = async () => ((await (await page.request.get(`${server!.baseUrl}/api/registries/macroeconomic/indicators/GRAIN/coverage`)).json()) as { regions: string[] }).regions;
    assert.deepEqual(await coverage(), ['990100'], 'nothing was written');

    await file.setInputFiles(csvFile('grain.csv', ['indicator,region,period,value,status', 'GRAIN,990200,2025,388.2,A', 'GRAIN,990200,2024,380.4,A']));
    await form.getByRole('button', { name: zh['macro.import.submit'], exact: true }).click();
    await page.getByTestId('macro-import-result').getByText(fill(zh['macro.import.done'], { rows: '2', created: '2', revised: '0', unchanged: '0', skipped: '0' })).waitFor();
    assert.deepEqual((await coverage()).sort(), ['990100', '990200']);

    // SDMX-CSV, checked only: the counts, nothing written.
    await file.setInputFiles(csvFile('grain-sdmx.csv', ['DATAFLOW,FREQ,INDICATOR,REF_AREA,TIME_PERIOD,OBS_VALUE,OBS_STATUS', 'QY:MACRO(1.0),A,GRAIN,990121,2025,58.3,A', 'QY:MACRO(1.0),A,GRAIN,990200,2025,388.2,A']));
    await form.getByLabel(zh['macro.import.dryRun'], { exact: true }).check();
    await form.getByRole('button', { name: zh['macro.import.check'], exact: true }).click();
    await page.getByTestId('macro-import-result').getByText(fill(zh['macro.import.checked'], { rows: '2', created: '1', revised: '0', unchanged: '1', skipped: '0' })).waitFor();
    assert.deepEqual((await coverage()).sort(), ['990100', '990200']);
    const exported = await (await page.request.get(`${server!.baseUrl}${await page.getByTestId('macro-export').getByRole('link', { name: fill(zh['macro.export.one'], { name: '粮食产量' }) }).getAttribute('href')}`)).text();
    assert.match(exported, /GRAIN,990200,2024,380\.4,A/);
    assert.deepEqual(pageErrors, []);
  });

  it('shows an officer of another organization no write controls, lists revisions, and reads in English', async () => {
    await signIn('nr.officer');
    await openMacro('?indicator=GDP');
    await page.getByTestId('macro-series').waitFor();
    assert.equal(await page.getByRole('button', { name: zh['macro.indicator.new'] }).count(), 0);
    assert.equal(await page.getByRole('button', { name: zh['macro.edit'] }).count(), 0);
    assert.equal(await page.getByRole('button', { name: zh['macro.obs.open'] }).count(), 0);
    assert.equal(await page.getByTestId('macro-import').count(), 0);
    const viewer = page.getByRole('region', { name: zh['macro.revisions.title'] });
    await viewer.getByLabel(zh['macro.obs.indicator'], { exact: true }).selectOption('GDP');
    await viewer.getByLabel(zh['macro.obs.region'], { exact: true }).fill('990100');
    await viewer.getByLabel(zh['macro.obs.period'], { exact: true }).fill('2023');
    await viewer.getByRole('button', { name: zh['macro.revisions.show'], exact: true }).click();
    const table = page.getByTestId('macro-revisions');
    await table.waitFor();
    assert.equal(await table.locator('tbody tr').count(), 2, 'the published value and its revision after the census');
    await page.getByTestId('macro-export').getByRole('link').first().waitFor();

    await signIn('stats.officer');
    await openMacro('?indicator=GDP');
    await page.getByRole('group', { name: zh['lang.label'] }).getByRole('button', { name: en['lang.en'] }).click();
    await page.getByRole('heading', { level: 1, name: en['macro.page.title'] }).waitFor();
    await page.getByTestId('macro-indicators').getByRole('button', { name: fill(en['macro.editFor'], { name: 'Gross regional product' }), exact: true }).click();
    await page.getByTestId('macro-indicator-edit').getByText(fill(en['macro.form.basedOn'], { version: '1' })).waitFor();
    await page.getByRole('button', { name: en['macro.obs.open'], exact: true }).click();
    await page.getByTestId('macro-observation').getByLabel(en['macro.obs.value'], { exact: true }).waitFor();
    await page.getByRole('heading', { name: en['macro.import.title'] }).waitFor();
    await assertControlsLabelled(page);
    assert.deepEqual(pageErrors, []);
  });
});
