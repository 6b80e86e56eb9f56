// Open data through its routes: a provider publishes releases of an open entry's data as
// CSV, checked cell by cell with nothing written on a bad file; the public (signed out)
// reads the dataset, its licence and update history, queries rows, and downloads CSV and
// JSON of the newest or an earlier release; entries that are not open are not there; other
// departments cannot publish data for an entry they do not provide.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTestApp, type TestApp } from '../../../test-support/test-app.ts';
import { buildMetadata, seedCatalog, type Seeded } from '../interop/test-fixtures.ts';
import { publish } from '../interop/test-fixtures.ts';

let t: TestApp;
let seeded: Seeded;
let toilets: { id: string; code: string };

const ITEMS = [
  { name: '名称', nameEn: 'Name', field: 'name', type: 'string' },
  { name: '经度', nameEn: 'Longitude', field: 'lng', type: 'decimal' },
  { name: '纬度', nameEn: 'Latitude', field: 'lat', type: 'decimal' },
  { name: '无障碍', nameEn: 'Accessible', field: 'accessible', type: 'boolean' },
  { name: '蹲位数', nameEn: 'Stalls', field: 'stalls', type: 'integer' },
  { name: '启用日期', nameEn: 'Opened', field: 'opened', type: 'date' },
];

const FIRST = ['名称,经度,纬度,无障碍,蹲位数,启用日期', '西湖公厕,120.1551,30.2741,是,12,2019-05-01', '"武林广场公厕, 北侧",120.1652,30.2767,否,8,', '=HYPERLINK("x"),120.17,30.28,yes,,2020-01-31'].join('\r\n');
// English names and API fields in another order: the provider's system export.
const SECOND = ['stalls,name,Longitude,lat,accessible,opened', '14,西湖公厕,120.1551,30.2741,true,2019-05-01', '6,湖滨公厕,120.1628,30.2590,false,2024-11-20'].join('\n');

const db = () => t.services.database.db;
const releaseCount = async () => Number((await db().selectFrom('catalog.open_releases').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
const rowCount = async () => Number((await db().selectFrom('catalog.open_release_rows').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
const audits = async () => Number((await db().selectFrom('audit.events').select((eb) => eb.fn.countAll().as('n')).where('action', '=', 'catalog.open_data.release').executeTakeFirstOrThrow()).n);

function upload(entryId: string, body: string | Buffer, options: { as?: TestApp['world']['officerA']; note?: string } = {}) {
  const note = options.note === undefined ? '2026 年第一次发布' : options.note;
  const query = note === '' ? '' : `?note=${encodeURIComponent(note)}`;
  return t.request('POST', `/api/catalog/entries/${entryId}/releases${query}`, { as: options.as ?? t.world.officerA, body, headers: { 'content-type': 'text/csv' } });
}

before(async () => {
  t = await createTestApp();
  seeded = await seedCatalog(t);
  toilets = await publish(t, t.world.officerA, buildMetadata({ nameZh: '城市公共厕所', nameEn: 'City public toilets', dataItems: ITEMS, keywords: ['公厕'] }));
});
after(() => t.close());

test('the provider publishes a release; the public reads it as CSV, JSON and through the rows API, without signing in', async () => {
  const res = await upload(toilets.id, FIRST);
  assert.equal(res.statusCode, 201, res.body);
  assert.equal(res.json.release, 1);
  assert.equal(res.json.rowCount, 3);
  assert.deepEqual(res.json.columns.map((c: { key: string }) => c.key), ['name', 'lng', 'lat', 'accessible', 'stalls', 'opened']);
  assert.match(res.json.sha256, /^[0-9a-f]{64}$/);
  assert.equal(await audits(), 1);

  const json = await t.request('GET', `/open/datasets/${toilets.id}/download.json`);
  assert.equal(json.statusCode, 200, json.body);
  assert.match(String(json.headers['content-type']), /application\/json/);
  assert.equal(json.headers['x-egov-release'], '1');
  assert.deepEqual(json.json, [
    { name: '西湖公厕', lng: 120.1551, lat: 30.2741, accessible: true, stalls: 12, opened: '2019-05-01' },
    { name: '武林广场公厕, 北侧', lng: 120.1652, lat: 30.2767, accessible: false, stalls: 8, opened: null },
    { name: '=HYPERLINK("x")', lng: 120.17, lat: 30.28, accessible: true, stalls: null, opened: '2020-01-31' },
  ]);

  const csv = await t.request('GET', `/open/datasets/${toilets.id}/download.csv`);
  assert.equal(csv.statusCode, 200);
  assert.match(String(csv.headers['content-disposition']), /attachment; filename=".+\.csv"/);
  const lines = csv.body.replace(/^\uFEFF/, '').trimEnd().split('\r\n');
  assert.ok(csv.body.startsWith('\uFEFF'), 'a byte-order mark, so spreadsheets read the Chinese text as UTF-8');
  assert.deepEqual(lines, ['name,lng,lat,accessible,stalls,opened', '西湖公厕,120.1551,30.2741,true,12,2019-05-01', '"武林广场公厕, 北侧",120.1652,30.2767,false,8,', `"'=HYPERLINK(""x"")",120.17,30.28,true,,2020-01-31`]);

  const rows = await t.request('GET', `/open/api/datasets/${toilets.id}/rows?accessible=true&limit=1`);
  assert.equal(rows.statusCode, 200, rows.body);
  assert.equal(rows.json.total, 2);
  assert.equal(rows.json.rows.length, 1);
  assert.equal(rows.json.rows[0].name, '西湖公厕');
  const next = await t.request('GET', `/open/api/datasets/${toilets.id}/rows?accessible=true&limit=1&offset=1`);
  assert.equal(next.json.rows[0].name, '=HYPERLINK("x")');
});

test('a second release becomes the newest; the first stays downloadable; the history lists data and metadata', async () => {
  t.clock.advance(60_000);
  const res = await upload(toilets.id, SECOND, { note: '新增湖滨公厕，更新西湖公厕蹲位' });
  assert.equal(res.statusCode, 201, res.body);
  assert.equal(res.json.release, 2);

  const dataset = await t.request('GET', `/open/api/datasets/${toilets.code.replace('/', '-')}`);
  assert.equal(dataset.statusCode, 200, dataset.body);
  const view = dataset.json;
  assert.equal(view.id, toilets.id);
  assert.equal(view.licence.id, 'cc-by', 'the CKAN licence id');
  assert.match(view.licence.title, /Creative Commons Attribution/);
  assert.match(view.licence.url, /creativecommons\.org/);
  assert.equal(view.latestRelease.release, 2);
  assert.equal(view.latestRelease.rowCount, 2);
  assert.deepEqual(view.history.map((h: { kind: string; release?: number; version?: number }) => `${h.kind}:${h.release ?? h.version}`), ['data:2', 'data:1', 'metadata:1']);
  assert.equal(view.history[0].note, '新增湖滨公厕，更新西湖公厕蹲位');
  assert.equal(view.provider.id, t.world.deptA.id);
  assert.equal(view.links.csv, `${t.config.publicUrl.replace(/\/$/, '')}/open/datasets/${toilets.id}/download.csv`);

  const newest = await t.request('GET', `/open/api/datasets/${toilets.id}/rows?name=${encodeURIComponent('西湖公厕')}`);
  assert.equal(newest.json.release, 2);
  assert.deepEqual(newest.json.rows, [{ name: '西湖公厕', lng: 120.1551, lat: 30.2741, accessible: true, stalls: 14, opened: '2019-05-01' }]);
  const first = await t.request('GET', `/open/datasets/${toilets.id}/download.json?release=1`);
  assert.equal(first.json.length, 3);
  assert.equal(first.headers['x-egov-release'], '1');
  const missing = await t.request('GET', `/open/datasets/${toilets.id}/download.csv?release=9`);
  assert.equal(missing.statusCode, 404);
  assert.equal(missing.json.code, 'not_found');
});

test('a bad file is refused with every bad cell named by row and column, and nothing is written', async () => {
  const before = { releases: await releaseCount(), rows: await rowCount(), audits: await audits() };
  const bad = ['名称,经度,纬度,无障碍,蹲位数,启用日期', '甲,120.1,30.2,是,十二,2019-05-01', '乙,东经120度,30.2,是,3,2019-02-30', '丙,120.1,30.2,也许,3,2019-02-03'].join('\n');
  const res = await upload(toilets.id, bad);
  assert.equal(res.statusCode, 400, res.body);
  assert.equal(res.json.code, 'import_rejected');
  assert.deepEqual(res.json.errors.map((e: { field: string; code: string }) => `${e.field}/${e.code}`), ['row 2: stalls/integer', 'row 3: lng/decimal', 'row 3: opened/date', 'row 4: accessible/boolean']);

  const header = await upload(toilets.id, ['名称,经度,纬度,无障碍,Stalls,颜色', '甲,1,2,是,3,红'].join('\n'));
  assert.equal(header.statusCode, 400);
  assert.deepEqual(header.json.errors.map((e: { field: string; code: string }) => `${e.field}/${e.code}`), ['颜色/unknown_column', 'opened/missing_column']);

  // "名称,经度" as GB18030 bytes, as Excel saves CSV on a Chinese system.
  const gbk = await upload(toilets.id, Buffer.concat([Buffer.from([0xc3, 0xfb, 0xb3, 0xc6]), Buffer.from(','), Buffer.from([0xbe, 0xad, 0xb6, 0xc8]), Buffer.from('\n1,2\n')]));
  assert.equal(gbk.statusCode, 400);
  assert.match(gbk.json.detail, /GB18030/);

  const empty = await upload(toilets.id, '');
  assert.equal(empty.statusCode, 400);
  const noNote = await upload(toilets.id, SECOND, { note: '' });
  assert.equal(noNote.statusCode, 400);
  assert.equal(noNote.json.errors[0].field, 'note');

  assert.deepEqual({ releases: await releaseCount(), rows: await rowCount(), audits: await audits() }, before);
});

test('only the provider publishes data, only for published open entries', async () => {
  const before = await releaseCount();
  const anonymous = await t.request('POST', `/api/catalog/entries/${toilets.id}/releases?note=x`, { body: SECOND, headers: { 'content-type': 'text/csv' } });
  assert.equal(anonymous.statusCode, 401);
  for (const as of [seeded.officerC, t.world.adminB, t.world.platformAdmin]) {
    const res = await upload(toilets.id, SECOND, { as });
    assert.equal(res.statusCode, 403, `${as.username}: ${res.body}`);
  }
  for (const entry of [seeded.notOpen, seeded.draftOpen, seeded.submittedOpen]) {
    const res = await upload(entry.id, 'a\n1\n');
    assert.equal(res.statusCode, 409, res.body);
    assert.equal(res.json.code, 'not_open');
  }
  const unknown = await upload('00000000-0000-4000-8000-000000000000', SECOND);
  assert.equal(unknown.statusCode, 404);
  assert.equal(await releaseCount(), before);

  const list = await t.request('GET', `/api/catalog/entries/${toilets.id}/releases`);
  assert.equal(list.statusCode, 401);
  const listed = await t.request('GET', `/api/catalog/entries/${toilets.id}/releases`, { as: seeded.officerC });
  assert.equal(listed.statusCode, 200);
  assert.deepEqual(listed.json.map((r: { release: number }) => r.release), [2, 1]);
});

test('entries that are not published and open are not on the public site', async () => {
  for (const entry of [seeded.notOpen, seeded.draftOpen, seeded.submittedOpen]) {
    for (const url of [`/open/api/datasets/${entry.id}`, `/open/api/datasets/${entry.id}/rows`, `/open/datasets/${entry.id}/download.csv`, `/open/datasets/${entry.id}/download.json`]) {
      const res = await t.request('GET', url);
      assert.equal(res.statusCode, 404, `${url}: ${res.body}`);
    }
  }
  const list = await t.request('GET', '/open/api/datasets?pageSize=100&open=false');
  assert.equal(list.statusCode, 200, list.body);
  const ids = list.json.items.map((i: { id: string }) => i.id);
  assert.ok(ids.includes(toilets.id) && ids.includes(seeded.openA.id) && ids.includes(seeded.openC.id));
  assert.ok(!ids.includes(seeded.notOpen.id) && !ids.includes(seeded.base.id) && !ids.includes(seeded.draftOpen.id));
  assert.ok(list.json.items.every((i: { open: boolean }) => i.open));
  assert.equal(list.json.items.find((i: { id: string }) => i.id === toilets.id).latestRelease.release, 2);
  assert.equal(list.json.items.find((i: { id: string }) => i.id === seeded.openA.id).latestRelease, null);

  const found = await t.request('GET', `/open/api/datasets?q=${encodeURIComponent('公共厕所')}`);
  assert.equal(found.json.items[0].id, toilets.id);
});

test('a dataset with no release yet gives its columns and no rows', async () => {
  const csv = await t.request('GET', `/open/datasets/${seeded.openA.id}/download.csv`);
  assert.equal(csv.statusCode, 200);
  assert.equal(csv.headers['x-egov-release'], 'none');
  assert.equal(csv.body, '\uFEFF名称,经度,纬度\r\n');
  const json = await t.request('GET', `/open/datasets/${seeded.openA.id}/download.json`);
  assert.deepEqual(json.json, []);
  const rows = await t.request('GET', `/open/api/datasets/${seeded.openA.id}/rows`);
  assert.deepEqual({ release: rows.json.release, total: rows.json.total }, { release: null, total: 0 });
});

test('bad queries of the public API name the parameter', async () => {
  const limit = await t.request('GET', `/open/api/datasets/${toilets.id}/rows?limit=5000`, { headers: { 'accept-language': 'zh-CN' } });
  assert.equal(limit.statusCode, 400);
  assert.equal(limit.json.errors[0].field, 'limit');
  assert.match(limit.json.detail, /1 至 1000/);
  const column = await t.request('GET', `/open/api/datasets/${toilets.id}/rows?colour=red`);
  assert.equal(column.statusCode, 400);
  assert.equal(column.json.errors[0].field, 'colour');
  const release = await t.request('GET', `/open/datasets/${toilets.id}/download.csv?release=abc`);
  assert.equal(release.statusCode, 400);
  const facet = await t.request('GET', '/open/api/datasets?format=paper');
  assert.equal(facet.statusCode, 400);
  assert.equal(facet.json.errors[0].field, 'format');
});

test('fuzzed release files get a 4xx or a release, never a 5xx', async () => {
  let seed = 20261202;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)]!;
  const cells = ['', '"', '""', '"a""b"', ',', '\r', '\n', '\u0000', '𠮷', '-1e308', '1e400', '9'.repeat(40), '是', 'true', '2026-02-29', '2026-02-28', 'POINT (1 2)', '{"type":"Point"}', '{', '=1+1', 'a'.repeat(10_500)];
  const lines = SECOND.split('\n');
  for (let i = 0; i < 60; i++) {
    let body: string | Buffer;
    switch (i % 4) {
      case 0: // a cell of a valid file replaced
        body = lines.map((line, n) => (n > 0 && random() < 0.7 ? line.split(',').map((c) => (random() < 0.3 ? pick(cells) : c)).join(',') : line)).join('\n');
        break;
      case 1: // the header mangled
        body = [lines[0]!.split(',').map((c) => (random() < 0.3 ? pick(cells) : c)).join(','), ...lines.slice(1)].join('\n');
        break;
      case 2: // random bytes
        body = Buffer.from(Array.from({ length: 1 + Math.floor(random() * 300) }, () => Math.floor(random() * 256)));
        break;
      default: // a valid file cut anywhere
        body = SECOND.slice(0, Math.floor(random() * SECOND.length));
    }
    const res = await upload(toilets.id, body, { note: `fuzz ${i}` });
    assert.ok(res.statusCode === 201 || (res.statusCode >= 400 && res.statusCode < 500), `case ${i}: ${res.statusCode} ${res.body}`);
    if (res.statusCode >= 400) assert.ok(res.json.detail.length > 0, `case ${i}: a problem that says what is wrong`);
  }
});
