// The geospatial registry in a real browser, on the demo server with the Qingyun province's
// layers: the natural resources department's officer opens the map from the navigation, sees
// every seeded feature drawn (no tiles, no network), clicks a point of interest to see its
// properties and the divisions that contain it, selects the county from the keyboard, asks
// about a point in a parcel's pond (not in the parcel) and hides a layer. Then the officer
// keeps the registry: changes a feature's properties (saved as a new version, listed in its
// history), meets someone else's change (409: nothing typed is lost), adds a feature, is told
// which ring and vertex of a self-intersecting polygon are wrong, imports a GeoJSON file with
// one bad feature (named with its field in the report) and a good one, deletes a feature
// after confirming; in English once. An officer of another organization sees no write controls.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { localOperator } from '../../src/platform/actor.ts';
import { GEOSPATIAL } from '../../src/modules/registries/index.ts';
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
const requests: string[] = [];

async function signIn(username: string): Promise<void> {
  await context?.close();
  ({ context, page } = await signedInPage(browser!, server!.baseUrl, username, { pageErrors, onPage: (p) => p.on('request', (request) => requests.push(request.url())) }));
}


describe('the geospatial registry in the workbench: a map of the seeded layers', { timeout: 180_000 }, () => {
  before(async () => {
    ensureWebBuilt();
    // The demo world plus the registry and its seed, loaded before the server starts.
    server = await startServer({ prepare: (dataDir) => seedDemoWithRegistry(dataDir, { definition: GEOSPATIAL, keeper: '青云省自然资源厅', seed: (services) => services.registries.geo.seedDemo(localOperator('e2e')) }) });
    browser = await launchChromium();
  });

  after(async () => {
    await context?.close().catch(() => {});
    await browser?.close().catch(() => {});
    await server?.stop();
  });

  it('draws the seeded features, shows a clicked feature’s properties and what contains a point', async () => {
    await signIn('nr.officer');
    await page.getByRole('navigation', { name: zh['nav.label'] }).getByRole('link', { name: zh['geo.title'], exact: true }).click();
    await page.getByRole('heading', { level: 1, name: zh['geo.page.title'] }).waitFor();
    const map = page.getByTestId('geo-map');
    await map.waitFor();
    // 4 boundaries, 4 parcels, 3 resources, 5 points of interest.
    assert.equal(await map.locator('.geo-feature').count(), 16);
    assert.equal(await map.locator('[data-layer="boundaries"] path').count(), 4);
    assert.equal(await map.locator('[data-layer="poi"] circle').count(), 5);
    await assertControlsLabelled(page);

    // A click on a point of interest: its properties, and the divisions containing the point clicked.
    await map.getByRole('button', { name: '青云省人民政府', exact: true }).click();
    const details = page.getByTestId('geo-details');
    await details.getByText('P-GOV-990000').waitFor();
    assert.match(await details.innerText(), /兴趣点[\s\S]*青云省人民政府[\s\S]*government/);
    const contained = page.getByTestId('geo-contained');
    await contained.getByText(/990100 云州市/).waitFor();
    assert.match(await contained.innerText(), /990000 青云省/);
    assert.doesNotMatch(await contained.innerText(), /990121/);

    // The keyboard: a county selected with Enter shows its area.
    await map.getByRole('button', { name: '990121 安平县', exact: true }).focus();
    await page.keyboard.press('Enter');
    await details.getByText('990121', { exact: true }).waitFor();
    assert.match(await details.innerText(), new RegExp(zh['geo.details.area']));

    // Typed coordinates: a point in the forest parcel's pond is in the county, not in the parcel; beside the pond, it is.
    await page.getByLabel(zh['geo.query.lon'], { exact: true }).fill('110.513');
    await page.getByLabel(zh['geo.query.lat'], { exact: true }).fill('30.503');
    await page.getByRole('button', { name: zh['geo.query.submit'], exact: true }).click();
    await contained.getByText(fill(zh['geo.query.result'], { lon: '110.513', lat: '30.503' })).waitFor();
    assert.match(await contained.innerText(), /990121 安平县/);
    assert.doesNotMatch(await contained.innerText(), /990121001002GB00001/);
    await page.getByLabel(zh['geo.query.lon'], { exact: true }).fill('110.511');
    await page.getByRole('button', { name: zh['geo.query.submit'], exact: true }).click();
    await contained.getByText(/990121001002GB00001 青山林场/).waitFor();

    // The list is the map's text equivalent; a layer can be hidden.
    const table = page.getByTestId('geo-features');
    await table.getByRole('button', { name: fill(zh['geo.showFor'], { name: '青云江' }), exact: true }).click();
    await details.getByText('R-QYJ').waitFor();
    await page.getByLabel(/^兴趣点/).uncheck();
    await map.getByRole('button', { name: '云州站' }).waitFor({ state: 'detached' });
    assert.equal(await map.locator('.geo-feature').count(), 11);

    // Nothing came from outside the platform: no tile server.
    const origin = new URL(server!.baseUrl).origin;
    assert.deepEqual(requests.filter((u) => !u.startsWith(origin) && !u.startsWith('data:')), []);
    assert.deepEqual(pageErrors, []);
  });
  const openGeo = async () => {
    await page.goto(`${server!.baseUrl}/registries/geospatial`);
    await page.getByTestId('geo-map').waitFor();
  };
  const showFeature = async (name: string) => {
    await page.getByTestId('geo-features').getByRole('button', { name: fill(zh['geo.showFor'], { name }), exact: true }).click();
    await page.getByTestId('geo-feature').waitFor();
  };

  it('lets the keeper change a feature’s properties, saved as a new version and listed in its history; a stale version loses nothing', async () => {
    await signIn('nr.officer');
    await openGeo();
    await showFeature('云州市第一中学');
    const work = page.getByTestId('geo-feature');
    await work.getByRole('button', { name: zh['geo.feature.edit'], exact: true }).click();
    const form = page.getByTestId('geo-edit');
    await form.getByText(fill(zh['geo.form.basedOn'], { version: '1' })).waitFor();
    await assertControlsLabelled(page);
    await form.getByLabel(zh['geo.prop.name'], { exact: true }).fill('云州市第一高级中学');
    await form.getByLabel(zh['geo.prop.category'], { exact: true }).selectOption('school');
    await form.getByRole('button', { name: zh['geo.form.addProperty'], exact: true }).click();
    await form.getByLabel(fill(zh['geo.form.propertyName'], { position: '1' }), { exact: true }).fill('students');
    await form.getByLabel(fill(zh['geo.form.propertyType'], { name: 'students' }), { exact: true }).selectOption('number');
    await form.getByLabel(fill(zh['geo.form.propertyValue'], { name: 'students' }), { exact: true }).fill('1800');
    // No reason: the server names the field, beside its input.
    await form.getByRole('button', { name: zh['geo.form.save'], exact: true }).click();
    await form.locator('#geo-edit-reason-error').waitFor();
    await form.getByLabel(zh['geo.form.reason'], { exact: true }).fill('2026 年校名变更');
    await form.getByRole('button', { name: zh['geo.form.save'], exact: true }).click();
    await page.getByText(fill(zh['geo.notice.saved'], { key: 'P-SCH-001', version: '2' })).waitFor();
    await page.getByTestId('geo-details').getByText('云州市第一高级中学').waitFor();
    const history = page.getByTestId('geo-history');
    const v2 = history.getByRole('row', { name: /^2 / });
    await v2.waitFor();
    assert.match(await v2.innerText(), /修改[\s\S]*2026 年校名变更[\s\S]*name、students/);
    assert.match(await history.getByRole('row', { name: /^1 / }).innerText(), /导入/);
    const saved = (await (await page.request.get(`${server!.baseUrl}/api/registries/geospatial/layers/poi/features/P-SCH-001`)).json()) as { version: number; properties: Record<string, unknown> };
    assert.deepEqual(saved.properties, { name: '云州市第一高级中学', nameEn: 'Yunzhou No. 1 Middle School', category: 'school', students: 1800 });

    // Someone else changes the feature while the form is open: the save is refused, nothing typed is lost.
    await work.getByRole('button', { name: zh['geo.feature.edit'], exact: true }).click();
    await form.getByLabel(zh['geo.prop.nameEn'], { exact: true }).fill('Yunzhou No. 1 Senior High School');
    await form.getByLabel(zh['geo.form.reason'], { exact: true }).fill('英文名称更正');
    const other = await page.request.put(`${server!.baseUrl}/api/registries/geospatial/layers/poi/features/P-SCH-001`, {
      headers: { 'x-csrf-token': await pageCsrfToken(page, server!.baseUrl) },
      data: { version: 2, properties: { ...saved.properties, students: 1850 }, reason: '他人同时修改' },
    });
    assert.equal(other.status(), 200);
    await form.getByRole('button', { name: zh['geo.form.save'], exact: true }).click();
    const stale = form.getByRole('alert');
    await stale.getByText(zh['geo.stale']).waitFor();
    assert.match(await stale.innerText(), /已被他人修改/);
    assert.equal(await form.getByLabel(zh['geo.prop.nameEn'], { exact: true }).inputValue(), 'Yunzhou No. 1 Senior High School');
    await stale.getByRole('button', { name: zh['geo.reloadFeature'], exact: true }).click();
    await form.getByText(fill(zh['geo.form.reloaded'], { version: '3' })).waitFor();
    assert.equal(await form.getByLabel(zh['geo.prop.nameEn'], { exact: true }).inputValue(), 'Yunzhou No. 1 Senior High School');
    assert.equal(await form.getByLabel(fill(zh['geo.form.propertyValue'], { name: 'students' }), { exact: true }).inputValue(), '1850');
    await form.getByRole('button', { name: zh['geo.form.save'], exact: true }).click();
    await page.getByText(fill(zh['geo.notice.saved'], { key: 'P-SCH-001', version: '4' })).waitFor();
    const after4 = (await (await page.request.get(`${server!.baseUrl}/api/registries/geospatial/layers/poi/features/P-SCH-001`)).json()) as { properties: Record<string, unknown> };
    assert.equal(after4.properties.nameEn, 'Yunzhou No. 1 Senior High School');
    assert.equal(after4.properties.students, 1850);
    assert.deepEqual(pageErrors, []);
  });

  it('adds a feature, names the ring and vertex of a self-intersecting polygon, imports a file with its report, and deletes after confirming', async () => {
    await signIn('nr.officer');
    await openGeo();
    const section = page.getByRole('region', { name: zh['geo.new.title'] });
    await section.getByRole('button', { name: zh['geo.new.button'], exact: true }).click();
    const form = page.getByTestId('geo-new');
    await form.getByLabel(zh['geo.form.layer'], { exact: true }).selectOption('poi');
    await form.getByLabel(zh['geo.form.key'], { exact: true }).fill('P-PARK-001');
    await form.getByLabel(zh['geo.prop.name'], { exact: true }).fill('镜湖公园');
    await form.getByLabel(zh['geo.prop.category'], { exact: true }).selectOption('scenic');
    await form.getByLabel(zh['geo.form.geometry'], { exact: true }).fill('{"type": "Point", "coordinates": [111.5, 31.0]}');
    await form.getByLabel(zh['geo.form.reason'], { exact: true }).fill('新建公园');
    await assertControlsLabelled(page);
    await form.getByRole('button', { name: zh['geo.form.create'], exact: true }).click();
    await page.getByText(fill(zh['geo.notice.created'], { key: 'P-PARK-001', version: '1' })).waitFor();
    await page.getByTestId('geo-map').getByRole('button', { name: '镜湖公园', exact: true }).waitFor();
    await page.getByTestId('geo-history').getByRole('row', { name: /^1 / }).getByText('新建公园').waitFor();

    // A parcel drawn as a bow tie: the ring crosses itself, and the error says where.
    await section.getByRole('button', { name: zh['geo.new.button'], exact: true }).click();
    await form.getByLabel(zh['geo.form.layer'], { exact: true }).selectOption('parcels');
    await form.getByLabel(zh['geo.form.key'], { exact: true }).fill('990121001009GB00001');
    await form.getByLabel(zh['geo.prop.landUse'], { exact: true }).selectOption('01');
    await form.getByLabel(zh['geo.form.geometry'], { exact: true }).fill('{"type": "Polygon", "coordinates": [[[110.6, 30.6], [110.61, 30.61], [110.61, 30.6], [110.6, 30.61], [110.6, 30.6]]]}');
    await form.getByLabel(zh['geo.form.reason'], { exact: true }).fill('新增地块');
    await form.getByRole('button', { name: zh['geo.form.create'], exact: true }).click();
    const geometryError = form.locator('#geo-new-geometry-error');
    await geometryError.waitFor();
    assert.match(await geometryError.innerText(), /coordinates\[0\]: 环 0 自相交，位于顶点 \d 与顶点 \d 之间/);
    assert.equal(await form.getByLabel(zh['geo.form.geometry'], { exact: true }).getAttribute('aria-invalid'), 'true');
    assert.match(await form.getByRole('alert').innerText(), /几何图形（GeoJSON） \(coordinates\[0\]\): 环 0 自相交/);
    await form.getByRole('button', { name: zh['common.cancel'], exact: true }).click();

    // An import: one feature's polygon crosses itself, so nothing is written and the report names it.
    const bad = { type: 'FeatureCollection', features: [
      { type: 'Feature', id: 'R-NEW-1', properties: { name: '新河', resourceType: 'river' }, geometry: { type: 'LineString', coordinates: [[110.2, 31.0], [110.4, 31.1]] } },
      { type: 'Feature', id: 'W-NEW-2', properties: { name: '新湿地', resourceType: 'wetland' }, geometry: { type: 'Polygon', coordinates: [[[110.6, 30.6], [110.61, 30.61], [110.61, 30.6], [110.6, 30.61], [110.6, 30.6]]] } },
    ] };
    const importForm = page.getByTestId('geo-import');
    await importForm.getByLabel(zh['geo.form.layer'], { exact: true }).selectOption('resources');
    await importForm.getByLabel(zh['geo.import.file'], { exact: true }).setInputFiles({ name: 'resources.geojson', mimeType: 'application/geo+json', buffer: Buffer.from(JSON.stringify(bad)) });
    await importForm.getByLabel(zh['geo.form.reason'], { exact: true }).fill('2026 年资源调查');
    await importForm.getByRole('button', { name: zh['geo.import.submit'], exact: true }).click();
    const report = page.getByTestId('geo-import-report');
    await report.waitFor();
    const rows = report.locator('tbody tr');
    assert.equal(await rows.count(), 1);
    assert.match(await rows.first().innerText(), /features\[1\]（W-NEW-2）\s+geometry\.coordinates\[0\]\s+环 0 自相交/);
    assert.equal((await (await page.request.get(`${server!.baseUrl}/api/registries/geospatial/layers/resources/features/R-NEW-1`)).status()), 404, 'nothing was imported');
    // The file corrected: both are imported.
    bad.features[1].geometry = { type: 'Polygon', coordinates: [[[110.6, 30.6], [110.61, 30.6], [110.61, 30.61], [110.6, 30.61], [110.6, 30.6]]] };
    await importForm.getByLabel(zh['geo.import.file'], { exact: true }).setInputFiles({ name: 'resources.geojson', mimeType: 'application/geo+json', buffer: Buffer.from(JSON.stringify(bad)) });
    await importForm.getByRole('button', { name: zh['geo.import.submit'], exact: true }).click();
    await page.getByTestId('geo-import-result').getByText(fill(zh['geo.import.done'], { features: '2', created: '2', updated: '0', unchanged: '0' })).waitFor();
    await page.getByTestId('geo-map').getByRole('button', { name: '新湿地', exact: true }).waitFor();
    const exported = (await (await page.request.get(`${server!.baseUrl}${await page.getByTestId('geo-export').getByRole('link', { name: /^自然资源要素/ }).getAttribute('href')}`)).json()) as { features: { id: string }[] };
    assert.ok(exported.features.some((f) => f.id === 'W-NEW-2'));

    // Deleting asks for a reason and a confirmation; the history stays.
    await page.getByTestId('geo-map').getByRole('button', { name: '镜湖公园', exact: true }).click();
    const work = page.getByTestId('geo-feature');
    await work.getByRole('heading', { name: fill(zh['geo.feature.title'], { layer: '兴趣点', name: '镜湖公园', key: 'P-PARK-001' }), exact: true }).waitFor();
    await work.getByRole('button', { name: zh['geo.feature.delete'], exact: true }).click();
    const deleteForm = page.locator('#geo-delete-panel');
    await deleteForm.getByLabel(zh['geo.form.reason'], { exact: true }).fill('录入重复');
    await deleteForm.getByRole('button', { name: zh['geo.feature.deleteSubmit'], exact: true }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText(fill(zh['geo.feature.deleteConfirm'], { name: '镜湖公园', key: 'P-PARK-001' })).waitFor();
    await dialog.getByRole('button', { name: zh['geo.feature.deleteConfirmButton'], exact: true }).click();
    await page.getByText(fill(zh['geo.notice.deleted'], { key: 'P-PARK-001' })).waitFor();
    await page.getByTestId('geo-map').getByRole('button', { name: '镜湖公园', exact: true }).waitFor({ state: 'detached' });
    const history = (await (await page.request.get(`${server!.baseUrl}/api/registries/geospatial/layers/poi/features/P-PARK-001/history`)).json()) as { operation: string; reason: string }[];
    assert.deepEqual(history.map((v) => [v.operation, v.reason]).sort(), [['create', '新建公园'], ['delete', '录入重复']]);
    assert.deepEqual(pageErrors, []);
  });

  it('reads in English, and shows an officer of another organization no write controls', async () => {
    await signIn('nr.officer');
    await openGeo();
    await page.getByRole('group', { name: zh['lang.label'] }).getByRole('button', { name: en['lang.en'] }).click();
    await page.getByRole('heading', { level: 1, name: en['geo.page.title'] }).waitFor();
    await page.getByTestId('geo-features').getByRole('button', { name: fill(en['geo.showFor'], { name: 'Qingyun River' }), exact: true }).click();
    const work = page.getByTestId('geo-feature');
    await work.getByRole('heading', { name: fill(en['geo.feature.title'], { layer: 'Natural-resource features', name: 'Qingyun River', key: 'R-QYJ' }) }).waitFor();
    await work.getByRole('button', { name: en['geo.feature.edit'], exact: true }).click();
    await page.getByTestId('geo-edit').getByLabel(en['geo.prop.resourceType'], { exact: true }).waitFor();
    await page.getByRole('heading', { name: fill(en['geo.history.title'], { key: 'R-QYJ' }) }).waitFor();
    await page.getByRole('heading', { name: en['geo.import.title'] }).waitFor();
    await assertControlsLabelled(page);

    await signIn('stats.officer');
    await openGeo();
    await showFeature('青云江');
    await page.getByTestId('geo-history').waitFor();
    await page.getByTestId('geo-export').getByRole('link').first().waitFor();
    assert.equal(await page.getByRole('button', { name: zh['geo.feature.edit'] }).count(), 0);
    assert.equal(await page.getByRole('button', { name: zh['geo.feature.delete'] }).count(), 0);
    assert.equal(await page.getByRole('button', { name: zh['geo.new.button'] }).count(), 0);
    assert.equal(await page.getByTestId('geo-import').count(), 0);
    assert.deepEqual(pageErrors, []);
  });
});
