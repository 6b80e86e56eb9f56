// The macroeconomic database through HTTP: who may read and write, bad input named and
// nothing written, exact answers for series, cross-sections and roll-ups along the division
// tree, revisions and "as published on", optimistic concurrency on indicators, and imports
// of SDMX-CSV and plain CSV that are all or nothing with their report.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { localOperator } from '../../../platform/actor.ts';
import { createTestApp, type TestApp, type TestUser } from '../../../test-support/test-app.ts';
import { MACROECONOMIC } from '../index.ts';

const BASE = '/api/registries/macroeconomic';
let t: TestApp;
let officer: TestUser;

before(async () => {
  t = await createTestApp();
  const directory = t.services.directory.service;
  await directory.addLocalDivision({ code: '990000', name: '青云省', level: 'province', parent: null });
  await directory.addLocalDivision({ code: '990100', name: '云州市', level: 'city', parent: '990000' });
  await directory.addLocalDivision({ code: '990200', name: '临江市', level: 'city', parent: '990000' });
  await directory.addLocalDivision({ code: '990121', name: '安平县', level: 'county', parent: '990100' });
  await directory.addLocalDivision({ code: '990122', name: '石门县', level: 'county', parent: '990100' });
  await t.services.registries.catalog.install(localOperator('test'), MACROECONOMIC, t.world.deptA.id);
  officer = t.world.officerA;
});
after(() => t.close());

let serial = 0;
function buildIndicator(overrides: Record<string, unknown> = {}) {
  serial++;
  return { code: `IND${serial}`, nameZh: `指标${serial}`, nameEn: `Indicator ${serial}`, unitZh: '亿元', unitEn: '100 million yuan', frequency: 'A', aggregation: 'sum', decimals: 2, ...overrides };
}

async function createIndicator(overrides: Record<string, unknown> = {}) {
  const res = await t.request('POST', `${BASE}/indicators`, { as: officer, body: buildIndicator(overrides) });
  assert.equal(res.statusCode, 201, res.body);
  return res.json as { code: string; version: number };
}

async function set(indicator: string, region: string, period: string, value: number | string, extra: Record<string, unknown> = {}) {
  const res = await t.request('PUT', `${BASE}/observations`, { as: officer, body: { indicator, region, period, value, reason: 'test', ...extra } });
  assert.equal(res.statusCode, 200, res.body);
  return res.json;
}

async function exported(indicator: string): Promise<string[]> {
  const res = await t.request('GET', `${BASE}/export?indicator=${indicator}`, { as: officer });
  assert.equal(res.statusCode, 200, res.body);
  return res.body.trim().split(/\r?\n/).slice(1);
}

async function importCsv(body: unknown, as: TestUser = officer) {
  return t.request('POST', `${BASE}/imports`, { as, body });
}

test('every route asks for a signed-in user, and only the owner organization’s officers and admins write', async () => {
  const { code, version } = await createIndicator();
  const reads = [
    `${BASE}/indicators`,
    `${BASE}/indicators/${code}`,
    `${BASE}/indicators/${code}/coverage`,
    `${BASE}/observations/revisions?indicator=${code}&region=990100&period=2024`,
    `${BASE}/series?indicator=${code}&region=990100`,
    `${BASE}/cross-section?indicator=${code}&period=2024&parent=990000`,
    `${BASE}/aggregate?indicator=${code}&period=2024&division=990000`,
    `${BASE}/export`,
  ];
  const writes: [string, string, unknown][] = [
    ['POST', `${BASE}/indicators`, buildIndicator()],
    ['PUT', `${BASE}/indicators/${code}`, { ...buildIndicator(), code: undefined, version }],
    ['DELETE', `${BASE}/indicators/${code}?version=${version}`, undefined],
    ['PUT', `${BASE}/observations`, { indicator: code, region: '990100', period: '2024', value: 1, reason: 'x' }],
    ['POST', `${BASE}/imports`, { format: 'csv', content: `indicator,region,period,value\n${code},990100,2024,1\n`, reason: 'x' }],
  ];
  for (const url of reads) {
    assert.equal((await t.request('GET', url)).statusCode, 401, url);
    // Any member of staff reads (another organization's admin too).
    assert.notEqual((await t.request('GET', url, { as: t.world.adminB })).statusCode, 403, url);
  }
  for (const [method, url, body] of writes) {
    assert.equal((await t.request(method, url, { body })).statusCode, 401, `${method} ${url}`);
    for (const who of [t.world.adminB, t.world.auditor, t.world.platformAdmin]) {
      const res = await t.request(method, url, { as: who, body });
      assert.equal(res.statusCode, 403, `${method} ${url} as ${who.username}: ${res.body}`);
    }
    // The role is checked before the input: a caller who may not write learns nothing of the schema.
    assert.equal((await t.request(method, url, { as: t.world.adminB, body: { nonsense: true } })).statusCode, 403);
  }
  const raw = await t.request('POST', `${BASE}/imports?reason=x`, { as: t.world.adminB, body: 'indicator,region,period,value\n', headers: { 'content-type': 'text/csv' } });
  assert.equal(raw.statusCode, 403);
  assert.deepEqual(await exported(code), [], 'nothing was written by the refused calls');
  // The owner's org admin writes too.
  const ok = await t.request('PUT', `${BASE}/observations`, { as: t.world.adminA, body: { indicator: code, region: '990100', period: '2024', value: 1, reason: 'x' } });
  assert.equal(ok.statusCode, 200, ok.body);
});

test('indicators: create, duplicate code, stale version 409, frequency locked once observed, delete', async () => {
  const created = await createIndicator({ code: 'GDPX', nameZh: '地区生产总值' });
  assert.equal(created.version, 1);
  const dup = await t.request('POST', `${BASE}/indicators`, { as: officer, body: buildIndicator({ code: 'GDPX' }) });
  assert.equal(dup.statusCode, 409);
  assert.equal(dup.json.code, 'indicator_exists');
  const bad = await t.request('POST', `${BASE}/indicators`, { as: officer, body: buildIndicator({ code: 'gdp x', frequency: 'W', aggregation: 'median' }) });
  assert.equal(bad.statusCode, 400);
  assert.deepEqual(bad.json.errors.map((e: { field: string }) => e.field).sort(), ['aggregation', 'code', 'frequency']);

  const { code: _code, ...fields } = buildIndicator({ nameEn: 'Gross regional product' });
  const first = await t.request('PUT', `${BASE}/indicators/GDPX`, { as: officer, body: { ...fields, version: 1 } });
  assert.equal(first.statusCode, 200, first.body);
  assert.equal(first.json.version, 2);
  assert.equal(first.json.nameEn, 'Gross regional product');
  const stale = await t.request('PUT', `${BASE}/indicators/GDPX`, { as: officer, body: { ...fields, nameEn: 'Other', version: 1 } });
  assert.equal(stale.statusCode, 409);
  assert.equal(stale.json.code, 'stale_version');
  assert.equal((await t.request('GET', `${BASE}/indicators/GDPX`, { as: officer })).json.nameEn, 'Gross regional product');

  await set('GDPX', '990100', '2024', 10);
  const monthly = await t.request('PUT', `${BASE}/indicators/GDPX`, { as: officer, body: { ...fields, frequency: 'M', version: 2 } });
  assert.equal(monthly.statusCode, 409);
  assert.equal(monthly.json.code, 'frequency_locked');
  assert.equal((await t.request('DELETE', `${BASE}/indicators/GDPX?version=2`, { as: officer })).json.code, 'indicator_in_use');

  const spare = await createIndicator();
  assert.equal((await t.request('DELETE', `${BASE}/indicators/${spare.code}?version=1`, { as: officer })).statusCode, 204);
  assert.equal((await t.request('GET', `${BASE}/indicators/${spare.code}`, { as: officer })).statusCode, 404);
  const events = await t.services.database.db.selectFrom('audit.events').select('action').where('subject_id', '=', 'GDPX').orderBy('seq').execute();
  assert.deepEqual(events.map((e) => e.action), ['registries.macro.indicator.create', 'registries.macro.indicator.update']);
});

test('an observation with bad input is refused naming the field, and nothing is written', async () => {
  const { code } = await createIndicator({ frequency: 'Q' });
  const cases: [Record<string, unknown>, string, string][] = [
    [{ region: '990300' }, 'region', 'division_unknown'],
    [{ region: '99A100' }, 'region', 'division_format'],
    [{ period: '2024' }, 'period', 'period_frequency'],
    [{ period: '2024-Q5' }, 'period', 'period_format'],
    [{ value: 'abc' }, 'value', 'value_not_number'],
    [{ value: '1,234.5' }, 'value', 'value_not_number'],
    [{ value: '1e400' }, 'value', 'value_out_of_range'],
    [{ status: 'provisional' }, 'status', 'pattern'],
  ];
  for (const [change, field, errorCode] of cases) {
    const res = await t.request('PUT', `${BASE}/observations`, { as: officer, body: { indicator: code, region: '990100', period: '2024-Q3', value: '12.5', reason: 'test', ...change } });
    assert.equal(res.statusCode, 400, JSON.stringify(change));
    assert.equal(res.json.errors[0].field, field, res.body);
    assert.equal(res.json.errors[0].code, errorCode, res.body);
  }
  const unknown = await t.request('PUT', `${BASE}/observations`, { as: officer, body: { indicator: 'NOPE', region: '990100', period: '2024', value: 1, reason: 'x' } });
  assert.equal(unknown.statusCode, 400);
  assert.equal(unknown.json.errors[0].field, 'indicator');
  const zh = await t.request('PUT', `${BASE}/observations`, { as: officer, body: { indicator: code, region: '990300', period: '2024-Q3', value: 1, reason: 'x' }, headers: { 'accept-language': 'zh-CN' } });
  assert.match(zh.json.detail, /不是已知的行政区划代码/);
  assert.deepEqual(await exported(code), []);
});

test('series, cross-section and exact values', async () => {
  const { code } = await createIndicator({ code: 'GDPS' });
  await set(code, '990100', '2022', 3702.3);
  await set(code, '990100', '2023', '3921.86');
  await set(code, '990100', '2024', 4130.55, { status: 'P' });
  await set(code, '990200', '2024', 2638.05);
  await set(code, '990000', '2024', 6768.6);
  const series = await t.request('GET', `${BASE}/series?indicator=${code}&region=990100&from=2023&to=2024`, { as: t.world.adminB });
  assert.equal(series.statusCode, 200, series.body);
  assert.deepEqual(series.json.points.map((p: { period: string; value: number; status: string }) => [p.period, p.value, p.status]), [['2023', 3921.86], ['2024', 4130.55]].map(([p, v], i) => [p, v, i === 1 ? 'P' : 'A']));
  assert.equal(series.json.indicator.code, code);
  const coverage = await t.request('GET', `${BASE}/indicators/${code}/coverage`, { as: officer });
  assert.deepEqual(coverage.json, { regions: ['990000', '990100', '990200'], periods: ['2022', '2023', '2024'] });

  const cross = await t.request('GET', `${BASE}/cross-section?indicator=${code}&period=2024&parent=990000`, { as: officer });
  assert.equal(cross.statusCode, 200, cross.body);
  assert.deepEqual(cross.json.items, [
    { region: '990100', value: 4130.55, status: 'P' },
    { region: '990200', value: 2638.05, status: 'A' },
  ]);
  assert.deepEqual(cross.json.parent, { region: '990000', value: 6768.6, status: 'A' });
  const counties = await t.request('GET', `${BASE}/cross-section?indicator=${code}&period=2024&parent=990100`, { as: officer });
  assert.deepEqual(counties.json.items, [{ region: '990121', value: null, status: null }, { region: '990122', value: null, status: null }]);

  const badPeriod = await t.request('GET', `${BASE}/series?indicator=${code}&region=990100&from=2024-Q1`, { as: officer });
  assert.equal(badPeriod.statusCode, 400);
  assert.equal(badPeriod.json.errors[0].field, 'from');
  const badRegion = await t.request('GET', `${BASE}/cross-section?indicator=${code}&period=2024&parent=991100`, { as: officer });
  assert.equal(badRegion.json.errors[0].field, 'parent');
});

test('aggregation up the tree: sum, mean, none, and which divisions were missing', async () => {
  const sum = await createIndicator({ aggregation: 'sum' });
  // 990100 has no value of its own: it rolls up from its counties; 990200 has one.
  await set(sum.code, '990121', '2024', 400.5);
  await set(sum.code, '990122', '2024', 100.25);
  await set(sum.code, '990200', '2024', 2000.1);
  await set(sum.code, '990000', '2024', 2500);
  const total = await t.request('GET', `${BASE}/aggregate?indicator=${sum.code}&period=2024&division=990000`, { as: officer });
  assert.equal(total.statusCode, 200, total.body);
  assert.equal(total.json.value, 2500.85);
  assert.equal(total.json.published, 2500);
  assert.equal(total.json.complete, true);
  assert.deepEqual(total.json.children, [
    { region: '990100', value: 500.75, source: 'rollup' },
    { region: '990200', value: 2000.1, source: 'observation' },
  ]);

  const mean = await createIndicator({ aggregation: 'mean', unitZh: '上年=100', unitEn: 'previous year = 100' });
  await set(mean.code, '990121', '2024', 101);
  await set(mean.code, '990200', '2024', 103);
  const avg = await t.request('GET', `${BASE}/aggregate?indicator=${mean.code}&period=2024&division=990000`, { as: officer });
  assert.equal(avg.json.value, 102);
  assert.equal(avg.json.complete, false);
  assert.deepEqual(avg.json.missing, ['990122']);
  const none = await t.request('GET', `${BASE}/aggregate?indicator=${mean.code}&period=2023&division=990100`, { as: officer });
  assert.equal(none.json.value, null);
  assert.deepEqual(none.json.missing, ['990121', '990122']);

  const rate = await createIndicator({ aggregation: 'none', unitZh: '%', unitEn: '%' });
  const refused = await t.request('GET', `${BASE}/aggregate?indicator=${rate.code}&period=2024&division=990000`, { as: officer });
  assert.equal(refused.statusCode, 400);
  assert.equal(refused.json.code, 'validation_failed');
  assert.equal(refused.json.errors[0].code, 'not_aggregatable');
  const leaf = await t.request('GET', `${BASE}/aggregate?indicator=${sum.code}&period=2024&division=990121`, { as: officer });
  assert.equal(leaf.json.errors[0].code, 'no_subdivisions');
});

test('a revision keeps the earlier value, and asOf answers as published then', async () => {
  const { code } = await createIndicator();
  const first = await set(code, '990100', '2023', 3921.86, { source: '2024 年统计年鉴', status: 'P' });
  assert.equal(first.changed, true);
  assert.equal(first.observation.revision, 1);
  // A date in asOf is a day in China Standard Time.
  const publishedOn = new Date(t.clock.now().getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
  const again = await set(code, '990100', '2023', '3921.860', { status: 'P' });
  assert.equal(again.changed, false, 'the same value is no new revision');
  t.clock.advance(3 * 86_400_000);
  t.forgetSessions(); // sessions end while the clock jumps days ahead
  const revised = await set(code, '990100', '2023', 3948.72, { source: '经济普查', reason: '根据第五次全国经济普查修订' });
  assert.equal(revised.observation.revision, 2);

  const now = await t.request('GET', `${BASE}/series?indicator=${code}&region=990100`, { as: officer });
  assert.deepEqual(now.json.points.map((p: { value: number; revision: number }) => [p.value, p.revision]), [[3948.72, 2]]);
  const then = await t.request('GET', `${BASE}/series?indicator=${code}&region=990100&asOf=${publishedOn}`, { as: officer });
  assert.deepEqual(then.json.points.map((p: { value: number; revision: number; status: string }) => [p.value, p.revision, p.status]), [[3921.86, 1, 'P']]);
  const before = await t.request('GET', `${BASE}/series?indicator=${code}&region=990100&asOf=2000-01-01`, { as: officer });
  assert.deepEqual(before.json.points, []);
  const crossThen = await t.request('GET', `${BASE}/cross-section?indicator=${code}&period=2023&parent=990000&asOf=${publishedOn}`, { as: officer });
  assert.equal(crossThen.json.items[0].value, 3921.86);
  const badAsOf = await t.request('GET', `${BASE}/series?indicator=${code}&region=990100&asOf=yesterday`, { as: officer });
  assert.equal(badAsOf.json.errors[0].field, 'asOf');

  const revisions = await t.request('GET', `${BASE}/observations/revisions?indicator=${code}&region=990100&period=2023`, { as: officer });
  assert.deepEqual(
    revisions.json.map((r: { revision: number; value: number; source: string; actorName: string; reason: string }) => [r.revision, r.value, r.source, r.actorName, r.reason]),
    [
      [1, 3921.86, '2024 年统计年鉴', officer.username, 'test'],
      [2, 3948.72, '经济普查', officer.username, '根据第五次全国经济普查修订'],
    ],
  );
  const audited = await t.services.database.db.selectFrom('audit.events').select('action').where('subject_id', '=', `${code}/990100/2023`).execute();
  assert.equal(audited.length, 2);
});

test('plain CSV import: all rows or none, with a report of every problem', async () => {
  const { code } = await createIndicator();
  const q = await createIndicator({ frequency: 'Q' });
  const bad = [
    'indicator,region,period,value,status',
    `${code},990100,2023,100,A`,
    `${code},990300,2023,5,A`, // unknown division
    `${code},990200,2023-Q1,5,A`, // not annual
    `${code},990200,2024,abc,A`, // not a number
    `NOPE,990200,2024,1,A`,
    `${q.code},990100,2024-Q1,1`, // short row
    `${code},990100,2023,101,A`, // duplicate of row 2
  ].join('\n');
  const res = await importCsv({ format: 'csv', content: bad, reason: 'yearbook 2024' });
  assert.equal(res.statusCode, 400, res.body);
  assert.equal(res.json.code, 'import_rejected');
  assert.deepEqual(
    res.json.errors.map((e: { field: string; code: string }) => `${e.field} ${e.code}`),
    ['row 3: region division_unknown', 'row 4: period period_frequency', 'row 5: value value_not_number', 'row 6: indicator indicator_unknown', 'row 7: columns row_width', 'row 8: period duplicate_row'],
  );
  assert.deepEqual(await exported(code), [], 'the good row was not written either');

  const good = ['indicator,region,period,value,status', `${code},990100,2023,100,A`, `${code},990200,2023,"50.5",P`, `${q.code},990100,2024-Q1,1.25,`].join('\r\n');
  const ok = await importCsv({ format: 'csv', content: `\ufeff${good}\r\n`, reason: 'yearbook 2024' });
  assert.equal(ok.statusCode, 200, ok.body);
  assert.deepEqual({ ...ok.json, importId: typeof ok.json.importId }, { importId: 'string', format: 'csv', dryRun: false, rows: 3, created: 3, revised: 0, unchanged: 0, skipped: 0 });
  assert.deepEqual(await exported(code), [`${code},990100,2023,100,A`, `${code},990200,2023,50.5,P`]);

  // Again, with one figure revised: one revision, the rest unchanged.
  const again = await importCsv({ content: good.replace('100,A', '102,A'), reason: 'revised' });
  assert.deepEqual([again.json.created, again.json.revised, again.json.unchanged], [0, 1, 2]);
  const dry = await importCsv({ content: good.replace('100,A', '103,A'), reason: 'check', dryRun: true });
  assert.deepEqual([dry.json.dryRun, dry.json.revised, dry.json.importId], [true, 1, null]);
  assert.equal((await exported(code))[0], `${code},990100,2023,102,A`);

  const wrongColumns = await importCsv({ format: 'csv', content: 'indicator,area,year,value\nX,990100,2023,1\n', reason: 'x' });
  assert.equal(wrongColumns.statusCode, 400);
  assert.equal(wrongColumns.json.errors[0].field, 'columns');
  assert.match(wrongColumns.json.detail, /area/);
  const missing = await importCsv({ format: 'csv', content: 'indicator,region,value\n', reason: 'x' });
  assert.equal(missing.json.errors[0].code, 'columns_missing');
  const empty = await importCsv({ format: 'csv', content: 'indicator,region,period,value\n', reason: 'x' });
  assert.equal(empty.json.errors[0].code, 'import_empty');
  const noReason = await importCsv({ content: good });
  assert.equal(noReason.json.errors[0].field, 'reason');

  const events = await t.services.database.db.selectFrom('audit.events').select(['action', 'detail']).where('action', '=', 'registries.macro.import').execute();
  assert.equal(events.length, 2, 'one audit event per import written, none for refused or dry runs');
});

test('a raw CSV file: UTF-8 accepted, GB18030 and other non-UTF-8 bytes refused saying so', async () => {
  const { code } = await createIndicator({ nameZh: '常住人口' });
  const text = `indicator,region,period,value,status\n${code},990100,2024,622.7,A\n`;
  const ok = await t.request('POST', `${BASE}/imports?reason=${encodeURIComponent('年鉴')}`, { as: officer, body: Buffer.from(text, 'utf8'), headers: { 'content-type': 'text/csv; charset=utf-8' } });
  assert.equal(ok.statusCode, 200, ok.body);
  assert.equal(ok.json.created, 1);

  // "云州市常住人口" in GB18030, as Excel on a Chinese system saves it.
  const gb = Buffer.concat([Buffer.from(`indicator,region,period,value,status\n${code},990200,2024,434.1,A\n# `), Buffer.from([0xd4, 0xc6, 0xd6, 0xdd, 0xca, 0xd0]), Buffer.from('\n')]);
  const refused = await t.request('POST', `${BASE}/imports?reason=x`, { as: officer, body: gb, headers: { 'content-type': 'text/csv' } });
  assert.equal(refused.statusCode, 400, refused.body);
  assert.equal(refused.json.errors[0].code, 'encoding_gb18030');
  assert.equal(refused.json.errors[0].field, 'file');
  assert.match(refused.json.detail, /line 3.*GB18030/);
  const base64 = await importCsv({ contentBase64: gb.toString('base64'), reason: 'x' });
  assert.equal(base64.json.errors[0].code, 'encoding_gb18030');
  const garbage = await t.request('POST', `${BASE}/imports?reason=x`, { as: officer, body: Buffer.from([0x69, 0x6e, 0xff, 0xfe, 0x0a]), headers: { 'content-type': 'text/csv' } });
  assert.equal(garbage.json.errors[0].code, 'encoding_not_utf8');
  const replaced = await importCsv({ content: `indicator,region,period,value\n${code},990200,2024,1\n\ufffd\ufffd\n`, reason: 'x' });
  assert.equal(replaced.json.errors[0].code, 'encoding_not_utf8');
  const noReason = await t.request('POST', `${BASE}/imports`, { as: officer, body: text, headers: { 'content-type': 'text/csv' } });
  assert.equal(noReason.json.errors[0].field, 'reason');
  assert.deepEqual(await exported(code), [`${code},990100,2024,622.7,A`]);
});

test('SDMX-CSV 1.0 and 2.0 imports, with the default and a custom column mapping', async () => {
  const { code } = await createIndicator({ frequency: 'Q' });
  const v1 = [
    'DATAFLOW,FREQ: Frequency,INDICATOR,REF_AREA,TIME_PERIOD,OBS_VALUE,OBS_STATUS,UNIT_MULT',
    `QY:MACRO(1.0),A: Annual,${code},990100,2024-Q1,951.2,A,8`,
    `QY:MACRO(1.0),Q,${code},990100,2024-Q2,1010.45,P,8`,
    `QY:MACRO(1.0),Q,${code},990200,2024-Q2,NaN,M,8`,
  ].join('\n');
  const freq = await importCsv({ format: 'sdmx-csv', content: v1, reason: 'x' });
  assert.equal(freq.statusCode, 400);
  assert.deepEqual(freq.json.errors.map((e: { field: string }) => e.field), ['row 2: FREQ']);
  const ok = await importCsv({ content: v1.replace('A: Annual', 'Q: Quarterly'), reason: 'SDMX 1.0' });
  assert.equal(ok.statusCode, 200, ok.body);
  assert.deepEqual([ok.json.format, ok.json.created, ok.json.skipped], ['sdmx-csv', 2, 1]);

  const v2 = [
    'STRUCTURE,STRUCTURE_ID,ACTION,SERIES,AREA,TIME_PERIOD,OBS_VALUE',
    `dataflow,QY:MACRO(1.0),I,${code},990200,2024-Q1,610.4`,
    `dataflow,QY:MACRO(1.0),D,${code},990200,2024-Q2,648.75`,
    `dataflow,QY:MACRO(1.0),A,${code},990200,2024-Q3,x`,
  ].join('\n');
  const defaults = await importCsv({ content: v2, reason: 'x' });
  assert.equal(defaults.json.errors[0].code, 'columns_missing');
  assert.match(defaults.json.detail, /INDICATOR, REF_AREA/);
  const refused = await importCsv({ content: v2, reason: 'x', mapping: { indicator: 'SERIES', region: 'AREA' } });
  assert.deepEqual(refused.json.errors.map((e: { field: string; code: string }) => `${e.field} ${e.code}`), ['row 2: ACTION action_unsupported', 'row 3: ACTION action_unsupported', 'row 4: OBS_VALUE value_not_number']);
  const fixed = v2.replace(',I,', ',A,').replace(',D,', ',R,').replace(',x', ',670.2').replace('2024-Q3', '2024Q3');
  const v2ok = await t.request('POST', `${BASE}/imports?reason=sdmx&indicatorColumn=SERIES&regionColumn=AREA`, { as: officer, body: fixed, headers: { 'content-type': 'text/csv' } });
  assert.equal(v2ok.statusCode, 200, v2ok.body);
  assert.equal(v2ok.json.created, 3);
  assert.deepEqual(await exported(code), [`${code},990100,2024-Q1,951.2,A`, `${code},990100,2024-Q2,1010.45,P`, `${code},990200,2024-Q1,610.4,A`, `${code},990200,2024-Q2,648.75,A`, `${code},990200,2024-Q3,670.2,A`]);
  const notSdmx = await importCsv({ format: 'sdmx-csv', content: 'indicator,region,period,value\n', reason: 'x' });
  assert.equal(notSdmx.json.errors[0].code, 'columns_not_sdmx');
});

test('the demo seed loads through the service, with a revision', async () => {
  const seeded = await createTestApp();
  try {
    for (const d of [
      { code: '990000', name: '青云省', level: 'province' as const, parent: null },
      { code: '990100', name: '云州市', level: 'city' as const, parent: '990000' },
      { code: '990200', name: '临江市', level: 'city' as const, parent: '990000' },
      { code: '990121', name: '安平县', level: 'county' as const, parent: '990100' },
    ])
      await seeded.services.directory.service.addLocalDivision(d);
    await seeded.services.registries.catalog.install(localOperator('test'), MACROECONOMIC, seeded.world.deptA.id);
    await seeded.services.registries.macro.seedDemo(localOperator('seed'));
    await seeded.services.registries.macro.seedDemo(localOperator('seed'));
    const list = await seeded.request('GET', `${BASE}/indicators`, { as: seeded.world.adminB });
    assert.deepEqual(list.json.map((i: { code: string }) => i.code), ['CPI', 'GDP', 'GDP_Q', 'POP', 'RETAIL', 'URBAN_RATE']);
    const gdp = await seeded.request('GET', `${BASE}/aggregate?indicator=GDP&period=2023&division=990000`, { as: seeded.world.adminB });
    assert.equal(gdp.json.value, gdp.json.published);
    const revisions = await seeded.request('GET', `${BASE}/observations/revisions?indicator=GDP&region=990100&period=2023`, { as: seeded.world.adminB });
    assert.deepEqual(revisions.json.map((r: { value: number }) => r.value), [3921.86, 3948.72]);
  } finally {
    await seeded.close();
  }
});
