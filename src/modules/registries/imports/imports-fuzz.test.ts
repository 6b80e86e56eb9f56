// Fuzzing the import, resume and export endpoints: files made of valid rows with cells swapped
// for random values, random bytes, broken spreadsheets, JSON Lines of any JSON, and random
// options and filters. Whatever comes in, the answer is a 2xx or a 4xx, never a 5xx.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { localOperator } from '../../../platform/actor.ts';
import { createTestApp, type TestApp } from '../../../test-support/test-app.ts';
import { POPULATION } from '../index.ts';
import { buildPopulation } from './test-files.ts';

let t: TestApp;
before(async () => {
  t = await createTestApp();
  await t.services.registries.catalog.install(localOperator('test'), POPULATION, t.world.deptA.id);
});
after(() => t.close());

let seed = 20261202;
const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)];
const STRINGS = ['', ' ', '330106', '999999', '1990-02-30', '2999-01-01', '11010519491231002X', '11010519491231002x', 'X'.repeat(300), '"', '""', ',', '\r\n', '\n', ';', '\ufeff', '\ufffd', '\u0000', '地区', "'; drop table x; --", 'null', '{}', '[]', '1e400', '-1', 'true', 'living', 'deceased', '20', '01'];
const value = (): unknown => pick<() => unknown>([() => pick(STRINGS), () => random() * 1e20, () => Math.floor(random() * 10) - 3, () => null, () => true, () => [], () => ({}), () => [pick(STRINGS)], () => ({ a: [1] })])();
const persons = buildPopulation({ persons: 60, seed: 3 }).persons;
const FIELDS = POPULATION.fields.map((f) => f.name);

function csvCell(v: unknown): string {
  const text = typeof v === 'string' ? v : JSON.stringify(v) ?? '';
  return random() < 0.5 ? `"${text.replaceAll('"', '""')}"` : text;
}

function file(): { body: Buffer; type: string } {
  const rows = Array.from({ length: 1 + Math.floor(random() * 4) }, () => ({ ...pick(persons) }) as Record<string, unknown>);
  for (const row of rows) for (let i = 0; i < 1 + Math.floor(random() * 3); i++) row[random() < 0.9 ? pick(FIELDS) : 'extra'] = value();
  switch (pick(['csv', 'csv', 'jsonl', 'jsonl', 'bytes', 'xlsx'])) {
    case 'csv': {
      const header = random() < 0.2 ? [...FIELDS.slice(0, Math.floor(random() * FIELDS.length)), pick(['', 'extra', 'name'])] : FIELDS;
      const text = [header.join(','), ...rows.map((r) => header.map((f) => csvCell(r[f])).join(pick([',', ',', ';'])))].join(pick(['\n', '\r\n', '\r']));
      return { body: Buffer.from(random() < 0.1 ? `"${text}` : text), type: 'text/csv' };
    }
    case 'jsonl':
      return { body: Buffer.from(rows.map((r) => (random() < 0.1 ? JSON.stringify(value()) : JSON.stringify(r))).join(pick(['\n', '\r\n'])) + (random() < 0.2 ? '\n{"broken' : '')), type: 'application/x-ndjson' };
    case 'xlsx':
      // Not a workbook: a zip header and noise.
      return { body: Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.from(Array.from({ length: 60 }, () => Math.floor(random() * 256)))]), type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' };
    default:
      return { body: Buffer.from(Array.from({ length: 1 + Math.floor(random() * 80) }, () => Math.floor(random() * 256))), type: pick(['text/csv', 'application/x-ndjson', 'application/octet-stream', 'image/png']) };
  }
}

const option = (name: string, values: string[]) => (random() < 0.8 ? `&${name}=${encodeURIComponent(pick([...values, String(value())]))}` : '');

test('no import, resume or export answers 5xx to random input', async () => {
  const ids: string[] = ['00000000-0000-0000-0000-000000000000', 'x'];
  for (let i = 0; i < 100; i++) {
    const { body, type } = file();
    const query = `reason=${encodeURIComponent(pick(['fuzz', '', ' ', 'x'.repeat(600)]))}${option('mode', ['atomic', 'resumable'])}${option('existing', ['refuse', 'update'])}${option('dryRun', ['true', 'false'])}${option('fileName', ['a.csv', 'a.xlsx', ''])}${option('format', ['csv', 'jsonl', 'xlsx'])}`;
    const imported = await t.request('POST', `/api/registries/population/imports?${query}`, { as: t.world.officerA, body, headers: { 'content-type': type } });
    assert.ok(imported.statusCode < 500, `POST imports?${query} (${type}, ${body.length} bytes) → ${imported.statusCode} ${imported.body}`);
    if (imported.json?.id) ids.push(imported.json.id);
    const resumed = await t.request('POST', `/api/registries/population/imports/${encodeURIComponent(pick(ids))}/resume${option('background', ['true'])}`, { as: t.world.officerA, body, headers: { 'content-type': type } });
    assert.ok(resumed.statusCode < 500, `resume → ${resumed.statusCode} ${resumed.body}`);
    const exportQuery = `format=${encodeURIComponent(pick(['csv', 'jsonl', 'xlsx', 'pdf', '']))}${random() < 0.5 ? `&where.${encodeURIComponent(pick([...FIELDS, 'nope', '']))}=${encodeURIComponent(String(value()))}` : ''}${random() < 0.2 ? '&other=1' : ''}`;
    const exported = await t.request('GET', `/api/registries/${pick(['population', 'population', 'macroeconomic', 'nosuch'])}/export?${exportQuery}`, { as: t.world.officerA });
    assert.ok(exported.statusCode < 500, `export?${exportQuery} → ${exported.statusCode} ${exported.body}`);
  }
});
