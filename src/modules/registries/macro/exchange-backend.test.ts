// The macroeconomic database through the exchange (/r1, the built-in backend
// egov:macroeconomic): who may call (authenticated client systems with a right; only the
// owner's member serves it), field-level rights by indicator code (an indicator not granted
// is not listed and is refused wherever a query names it, existing or not; `provenance`
// adds who published a revision and why), errors in the caller's language, bad input named
// with nothing written, and no writes at all.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { localOperator } from '../../../platform/actor.ts';
import type { TestApp } from '../../../test-support/test-app.ts';
import { callService, createExchangeWorld, rowCounts, subsystem as createSubsystem, type CallOptions, type Client } from '../exchange-test-world.ts';
import { MACROECONOMIC } from '../index.ts';

let t: TestApp;
let provider: string;
let clients: Record<'analysis' | 'welfare' | 'census' | 'nosy', Client>;
/** Welfare reads population and prices; the census office reads GDP with its provenance. */
const WELFARE_FIELDS = ['POP', 'CPI'];
const CENSUS_FIELDS = ['GDP', 'provenance'];

before(async () => {
  ({ t, provider, clients } = await createExchangeWorld({
    definition: MACROECONOMIC,
    seed: (t) => t.services.registries.macro.seedDemo(localOperator('test')),
    backend: 'macroeconomic',
    clients: ['analysis', 'welfare', 'census', 'nosy'],
    rights: [
      ['analysis', undefined],
      ['welfare', WELFARE_FIELDS],
      ['census', CENSUS_FIELDS],
    ],
  }));
});
after(() => t.close());

const subsystem = (orgId: string, code: string, admin: typeof t.world.adminA) => createSubsystem(t, orgId, code, admin);
const call = (method: string, path: string, as: Client | null, options: CallOptions = {}) => callService(t, `${provider}/macroeconomic`, '低保标准测算 2026', method, path, as, options);
const counts = () => rowCounts(t, ['registries.macro_indicators', 'registries.macro_revisions'], 'registries.macro.');

const staff = async (path: string) => (await t.request('GET', `/api/registries/macroeconomic${path}`, { as: t.world.officerA })).json;

test('unauthenticated callers are refused before the database is reached', async () => {
  const anonymous = await call('GET', '/indicators', null);
  assert.equal(anonymous.status, 400, anonymous.body);
  const withoutToken = await call('GET', '/indicators', clients.analysis, { token: null });
  assert.equal(withoutToken.status, 401, withoutToken.body);
  assert.doesNotMatch(anonymous.body + withoutToken.body, /GDP|nameZh/);
});

test('a client system without a right is refused (403), and only the owner’s member serves the database', async () => {
  const refused = await call('GET', '/series?indicator=GDP&region=990100', clients.nosy);
  assert.equal(refused.status, 403, refused.body);
  assert.doesNotMatch(refused.body, /3921|points/);
  const squatter = await subsystem(t.world.deptB.id, 'copycat', t.world.adminB);
  const service = await t.request('POST', '/api/exchange/services', { as: t.world.adminB, body: { subsystemId: squatter.id, code: 'macroeconomic', backendUrl: 'egov:macroeconomic' } });
  assert.equal(service.statusCode, 201, service.body);
  await t.request('POST', `/api/exchange/services/${service.json.id}/rights`, { as: t.world.adminB, body: { clientKind: 'subsystem', client: clients.nosy.identifier } });
  for (const path of ['/indicators', '/series?indicator=GDP&region=990100', '/aggregate?indicator=GDP&period=2024&division=990000']) {
    const stolen = await call('GET', path, clients.nosy, { service: `${squatter.identifier}/macroeconomic` });
    assert.equal(stolen.status, 404, stolen.body);
    assert.doesNotMatch(stolen.body, /nameZh|points|"value"/);
  }
});

test('a right to the whole answer reads what the workbench reads', async () => {
  const list = await call('GET', '/indicators', clients.analysis);
  assert.equal(list.status, 200, list.body);
  assert.deepEqual(list.json, await staff('/indicators'));
  for (const path of ['/series?indicator=GDP&region=990100', '/cross-section?indicator=GDP&period=2024&parent=990000', '/aggregate?indicator=GDP&period=2024&division=990000', '/observations/revisions?indicator=GDP&region=990100&period=2023']) {
    const res = await call('GET', path, clients.analysis);
    assert.equal(res.status, 200, `${path}: ${res.body}`);
    assert.deepEqual(res.json, await staff(path), path);
  }
  const coverage = await call('GET', '/indicators/GDP/coverage', clients.analysis);
  assert.deepEqual(coverage.json, await staff('/indicators/GDP/coverage'));
  const log = await t.services.exchange.log.findByXRoadId(String(coverage.headers['x-road-id']));
  assert.ok(log.some((r) => r.side === 'provider' && r.client === clients.analysis.identifier && r.path === '/indicators/GDP/coverage'));
});

test('an indicator not granted is not listed and is refused wherever a query names it', async () => {
  const list = await call('GET', '/indicators', clients.welfare);
  assert.deepEqual(list.json.map((i: { code: string }) => i.code).sort(), ['CPI', 'POP']);
  const series = await call('GET', '/series?indicator=POP&region=990121&from=2020&to=2022', clients.welfare);
  assert.equal(series.status, 200, series.body);
  assert.deepEqual(series.json.points.map((p: { value: number }) => p.value), [57.9, 57.5, 57.1]);
  const rolled = await call('GET', '/aggregate?indicator=POP&period=2024&division=990000', clients.welfare);
  assert.equal(rolled.status, 200, rolled.body);
  assert.equal(rolled.json.value, 1056.8);
  for (const path of [
    '/indicators/GDP',
    '/indicators/GDP/coverage',
    '/series?indicator=GDP&region=990100',
    '/cross-section?indicator=RETAIL&period=2024&parent=990000',
    '/aggregate?indicator=GDP&period=2024&division=990000',
    '/observations/revisions?indicator=GDP&region=990100&period=2023',
    // Not an indicator at all: refused alike, so a consumer cannot tell which codes exist.
    '/indicators/SECRET',
    '/series?indicator=SECRET&region=990100',
  ]) {
    const res = await call('GET', path, clients.welfare);
    assert.equal(res.status, 403, `${path}: ${res.body}`);
    assert.equal(res.json.code, 'field_not_granted');
    assert.ok(['indicator', 'code'].includes(res.json.errors[0].field));
    assert.doesNotMatch(res.body, /3921|3948|地区生产总值|社会消费品|points|children/);
  }
  // With a right to everything, an unknown indicator is simply not there.
  assert.equal((await call('GET', '/indicators/SECRET', clients.analysis)).status, 404);
});

test('revisions: the figures always, who published them and why only with `provenance`', async () => {
  const census = await call('GET', '/observations/revisions?indicator=GDP&region=990100&period=2023', clients.census);
  assert.equal(census.status, 200, census.body);
  assert.equal(census.json.length, 2);
  assert.match(census.json[1].reason, /经济普查/);
  assert.ok(census.json[1].source && census.json[1].actorName);
  const welfare = await call('GET', '/observations/revisions?indicator=POP&region=990100&period=2023', clients.welfare);
  assert.equal(welfare.status, 200, welfare.body);
  for (const revision of welfare.json) assert.deepEqual(Object.keys(revision).sort(), ['publishedAt', 'revision', 'status', 'value']);
  assert.doesNotMatch(welfare.body, /统计年鉴|seed|演示/);
  // The census office has no POP: its provenance right adds nothing there.
  assert.equal((await call('GET', '/series?indicator=POP&region=990100', clients.census)).status, 403);
});

test('errors are problem+json in the caller’s language, naming what is wrong', async () => {
  const zh = await call('GET', '/indicators/GDP', clients.welfare, { lang: 'zh-CN' });
  assert.equal(zh.status, 403);
  assert.equal(zh.headers['content-type'], 'application/problem+json; charset=utf-8');
  assert.equal(zh.json.title, '无权操作');
  assert.match(zh.json.detail, /指标 GDP/);
  const en = await call('GET', '/series?indicator=POP&region=999999', clients.welfare, { lang: 'en-GB' });
  assert.equal(en.status, 400);
  assert.equal(en.json.errors[0].field, 'region');
  assert.match(en.json.detail, /not a known division code/);
  const zh400 = await call('GET', '/series?indicator=POP&region=999999', clients.welfare, { lang: 'zh' });
  assert.match(zh400.json.detail, /行政区划代码/);
});

test('bad input gets a 4xx naming the parameter, writes are not offered, and nothing is written', async () => {
  const before = await counts();
  const cases: [string, string, unknown, number, string][] = [
    ['GET', '/series?indicator=POP', undefined, 400, 'region'],
    ['GET', '/series?indicator=POP&region=990100&from=2024-Q1', undefined, 400, 'from'],
    ['GET', '/series?indicator=POP&region=990100&asOf=yesterday', undefined, 400, 'asOf'],
    ['GET', '/series?indicator=POP&region=990100&limit=3', undefined, 400, 'limit'],
    ['GET', '/series?indicator=POP&region=990100&region=990200', undefined, 400, 'region'],
    ['GET', '/series?indicator=POP&region=%00', undefined, 400, 'region'],
    ['GET', '/cross-section?indicator=POP&period=2024', undefined, 400, 'parent'],
    ['GET', '/aggregate?indicator=POP&period=2024&division=990121', undefined, 400, 'division'],
    ['GET', '/aggregate?indicator=POP&period=24&division=990000', undefined, 400, 'period'],
    ['GET', '/observations/revisions?indicator=POP&region=abc&period=2024', undefined, 400, 'region'],
    ['GET', '/observations/revisions?indicator=POP&region=990100&period=2024-13', undefined, 400, 'period'],
    ['GET', '/observations/revisions?indicator=POP&region=990100&period=1999', undefined, 404, ''],
    ['GET', `/indicators/${'X'.repeat(41)}`, undefined, 400, 'code'],
    ['GET', '/indicators?all=1', undefined, 400, 'all'],
    ['PUT', '/observations', { indicator: 'POP', region: '990100', period: '2024', value: 1, reason: 'x' }, 405, ''],
    ['POST', '/indicators', { code: 'NEW', nameZh: '新', nameEn: 'New', unitZh: '个', unitEn: 'unit', frequency: 'A', aggregation: 'sum', decimals: 0 }, 405, ''],
    ['DELETE', '/indicators/POP?version=1', undefined, 405, ''],
    ['POST', '/imports', { content: 'indicator,region,period,value\nPOP,990100,2030,1', reason: 'x' }, 405, ''],
    ['GET', '/export', undefined, 404, ''],
  ];
  for (const [method, path, body, status, field] of cases) {
    const res = await call(method, path, clients.welfare, { body });
    assert.equal(res.status, status, `${method} ${path}: ${res.body}`);
    assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8', `${method} ${path}`);
    if (field) assert.ok(res.json.errors.some((e: { field: string }) => e.field === field), `${method} ${path}: ${res.body}`);
  }
  assert.deepEqual(await counts(), before);
});
