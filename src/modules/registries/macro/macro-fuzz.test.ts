// Fuzzing the macroeconomic write endpoints (and the queries): valid requests with fields
// swapped for random values of any type, and random CSV files. Whatever comes in, the
// answer is a 2xx or a 4xx, never a 5xx.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { localOperator } from '../../../platform/actor.ts';
import { createTestApp, type TestApp } from '../../../test-support/test-app.ts';
import { MACROECONOMIC } from '../index.ts';

const BASE = '/api/registries/macroeconomic';
let t: TestApp;
before(async () => {
  t = await createTestApp();
  await t.services.directory.service.addLocalDivision({ code: '990000', name: '青云省', level: 'province', parent: null });
  await t.services.directory.service.addLocalDivision({ code: '990100', name: '云州市', level: 'city', parent: '990000' });
  await t.services.registries.catalog.install(localOperator('test'), MACROECONOMIC, t.world.deptA.id);
  await t.services.registries.macro.service.createIndicator(localOperator('test'), { code: 'GDP', nameZh: '地区生产总值', nameEn: 'GRP', unitZh: '亿元', unitEn: '100 million yuan', frequency: 'A', aggregation: 'sum', decimals: 2 });
});
after(() => t.close());

// A small deterministic generator, so a failure can be replayed.
let seed = 20250917;
const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)];
const STRINGS = ['', ' ', '990100', '999999', '000000', '2024', '2024-Q3', '2024-13', '9999-Q9', 'NaN', 'Infinity', '-0', '1e308', '1'.repeat(400), '地区', '\ufffd', "'; drop table x; --", '"', ',', '\r\n', '%00', '../..', 'GDP', 'gdp', 'A', 'sum'];
const value = (): unknown => pick<() => unknown>([() => pick(STRINGS), () => random() * 1e20 - 1e19, () => Math.floor(random() * 10) - 3, () => null, () => true, () => [], () => ({}), () => [pick(STRINGS)], () => ({ a: 1 })])();

function mutate(body: Record<string, unknown>): Record<string, unknown> {
  const out = { ...body };
  const keys = [...Object.keys(body), 'extra'];
  for (let i = 0; i < 1 + Math.floor(random() * 3); i++) {
    const key = pick(keys);
    if (random() < 0.15) delete out[key];
    else out[key] = value();
  }
  return out;
}

function csv(): string {
  const rows = ['indicator,region,period,value,status'];
  for (let i = 0; i < 1 + Math.floor(random() * 5); i++) rows.push(Array.from({ length: 3 + Math.floor(random() * 4) }, () => String(pick(STRINGS))).join(pick([',', ';', '\t'])));
  if (random() < 0.3) rows[0] = pick(['DATAFLOW,INDICATOR,REF_AREA,TIME_PERIOD,OBS_VALUE', 'STRUCTURE,STRUCTURE_ID,ACTION,INDICATOR,REF_AREA,TIME_PERIOD,OBS_VALUE', '"unterminated', '']);
  return rows.join(pick(['\n', '\r\n', '\r']));
}

test('no write endpoint answers 5xx to random input', async () => {
  const indicator = { code: 'X1', nameZh: '指标', nameEn: 'Indicator', unitZh: '元', unitEn: 'yuan', frequency: 'A', aggregation: 'sum', decimals: 2 };
  const { code: _c, ...update } = { ...indicator, version: 1 };
  const observation = { indicator: 'GDP', region: '990100', period: '2024', value: '1.5', status: 'A', reason: 'fuzz', source: 'fuzz' };
  const json = { format: 'csv', content: 'indicator,region,period,value\nGDP,990100,2024,1\n', reason: 'fuzz', mapping: { indicator: 'INDICATOR' }, dryRun: true };
  for (let i = 0; i < 120; i++) {
    const calls: [string, string, unknown, Record<string, string>?][] = [
      ['POST', `${BASE}/indicators`, mutate(indicator)],
      ['PUT', `${BASE}/indicators/${encodeURIComponent(String(pick(['GDP', 'X1', ...STRINGS])))}`, mutate(update)],
      ['DELETE', `${BASE}/indicators/X${i}?version=${encodeURIComponent(String(value()))}`, undefined],
      ['PUT', `${BASE}/observations`, mutate(observation)],
      ['POST', `${BASE}/imports`, mutate(json)],
      ['POST', `${BASE}/imports?reason=fuzz&format=${pick(['csv', 'sdmx-csv', 'x', ''])}`, csv(), { 'content-type': 'text/csv' }],
      ['POST', `${BASE}/imports?reason=fuzz`, Buffer.from(Array.from({ length: 40 }, () => Math.floor(random() * 256))), { 'content-type': 'text/csv' }],
    ];
    for (const [method, url, body, headers] of calls) {
      const res = await t.request(method, url, { as: t.world.officerA, body, headers });
      assert.ok(res.statusCode < 500, `${method} ${url} ${JSON.stringify(body, (_key, v) => (typeof v === "string" && v.length > 20 ? `${v.slice(0, 10)}…(${v.length})` : v))} → ${res.statusCode} ${res.body}`);
    }
  }
});

test('no query answers 5xx to random parameters', async () => {
  for (let i = 0; i < 150; i++) {
    const q = (names: string[]) => names.map((n) => (random() < 0.1 ? '' : `${n}=${encodeURIComponent(String(value()))}`)).filter(Boolean).join('&');
    for (const url of [`${BASE}/series?${q(['indicator', 'region', 'from', 'to', 'asOf'])}`, `${BASE}/cross-section?${q(['indicator', 'period', 'parent', 'asOf'])}`, `${BASE}/aggregate?${q(['indicator', 'period', 'division', 'asOf'])}`, `${BASE}/observations/revisions?${q(['indicator', 'region', 'period'])}`, `${BASE}/export?${q(['indicator', 'region', 'from', 'to'])}`]) {
      const res = await t.request('GET', url, { as: t.world.adminB });
      assert.ok(res.statusCode < 500, `${url} → ${res.statusCode} ${res.body}`);
    }
  }
});
