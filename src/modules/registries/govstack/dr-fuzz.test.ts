// Fuzzing the GovStack Digital Registries API: valid requests of every write operation and
// database/modify with parts swapped for random values of any type, random query strings and
// paths, directly and through the exchange, by a client with the whole record and one with
// some fields. Whatever comes in, the answer is a 2xx or a 4xx, never a 5xx.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { buildDrWorld, dr, DR, person, POP, viaExchange, type DrWorld } from './test-world.ts';

let w: DrWorld;
before(async () => {
  w = await buildDrWorld();
});
after(() => w.t.close());

// A small deterministic generator, so a failure can be replayed.
let seed = 20260105;
const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
const STRINGS = ['', ' ', '110105', '999999', '1980-05-17', '2999-01-01', '1980-02-30', '11010519800517011X', 'x'.repeat(300), '张三', '\ufffd', "'; drop table x; --", '"', '(', '(a+)+$', '.*', '%00', '../..', 'null', 'true', '-1', '1e308', 'living', 'deceased', '20', 'idNumber', 'name', '*', '\u0000', 'a\u0000b', '\\p{L}', '[[:alpha:]]'];
const value = (): unknown => pick<() => unknown>([() => pick(STRINGS), () => random() * 1e20 - 1e19, () => Math.floor(random() * 10) - 3, () => null, () => true, () => [], () => ({}), () => [pick(STRINGS)], () => ({ a: 1 }), () => ({ content: {} })])();

function mutate(body: Record<string, unknown>, depth = 0): Record<string, unknown> {
  const out = { ...body };
  const keys = [...Object.keys(body), 'extra', 'idNumber', 'query', 'write', 'content'];
  for (let i = 0; i < 1 + Math.floor(random() * 3); i++) {
    const key = pick(keys);
    const current = out[key];
    if (random() < 0.15) delete out[key];
    else if (depth < 3 && current && typeof current === 'object' && !Array.isArray(current) && random() < 0.6) out[key] = mutate(current as Record<string, unknown>, depth + 1);
    else out[key] = value();
  }
  return out;
}

const schemaBody = () => ({
  code: 'fuzzreg',
  catalogName: 'Fuzz',
  schema: {
    type: 'object',
    description: 'fuzz',
    filename: 'f.json',
    creationDate: '2026-01-05',
    properties: {
      ID: { type: 'string', primaryKey: true, pattern: '^F[0-9]+$' },
      label: { type: 'string', maxLength: 20, 'x-egov': { labelZh: '标签', sensitivity: 'internal' } },
      count: { type: 'integer', minimum: 0 },
      day: { type: 'string', format: 'date' },
    },
    required: ['ID'],
  },
});

test('no write operation answers 5xx to random input', async () => {
  const existing = person();
  await dr(w.t, 'POST', `${POP}/create`, { as: w.welfare, body: { write: { content: existing } } });
  for (let i = 0; i < 100; i++) {
    const content = person();
    const calls: [string, string, unknown, Record<string, string>?][] = [
      ['POST', `${POP}/create`, mutate({ write: { content: mutate(content) } })],
      ['POST', `${POP}/exists`, mutate({ query: { content: { name: pick(STRINGS) } } })],
      ['POST', `${POP}/read`, mutate({ query: { content: { idNumber: existing.idNumber } } })],
      ['PUT', `${POP}/update`, mutate({ query: { content: { idNumber: existing.idNumber } }, write: { content: { currentAddress: pick(STRINGS) } } }), { 'if-match': String(pick(['"1"', '*', 'W/"9"', 'x', ''])) }],
      ['PUT', `${POP}/updateEntries`, mutate({ query: { content: { name: pick(STRINGS) } }, write: { content: { currentDivision: pick(STRINGS) } } })],
      ['POST', `${POP}/updateOrCreate`, mutate({ query: { content: { idNumber: content.idNumber } }, write: { content: mutate(content) } })],
      ['DELETE', `${POP}/${encodeURIComponent(String(pick([...STRINGS, existing.idNumber])))}/delete`, undefined, { 'if-match': String(pick(['"7"', '"1"', 'bad'])) }],
      ['POST', `${DR}/database/modify`, mutate(schemaBody())],
      ['DELETE', `${DR}/database/${encodeURIComponent(String(value()))}`, undefined],
    ];
    for (const [method, url, body, headers] of calls) {
      const as = pick([w.welfare, w.portal]);
      const res = random() < 0.2 ? await viaExchange(w, method, url.replace(DR, ''), { as, body, headers }) : await dr(w.t, method, url, { as, body, headers: { ...headers, 'x-road-issue': String(pick(['fuzz', '核验'])) } });
      assert.ok(res.statusCode < 500, `${method} ${url} ${JSON.stringify(body, (_k, v) => (typeof v === 'string' && v.length > 20 ? `${v.slice(0, 10)}…(${v.length})` : v))} → ${res.statusCode} ${res.body}`);
    }
  }
});

test('no query, path or schema answers 5xx to random input', async () => {
  const params = ['search', 'filter', 'ordering', 'page', 'pageSize', 'query.name', 'query.idNumber', 'query.birthDate', 'query.x', 'userId', 'databaseId', 'query.'];
  for (let i = 0; i < 150; i++) {
    const q = Array.from({ length: Math.floor(random() * 4) }, () => `${pick(params)}=${encodeURIComponent(String(value()))}`).join('&');
    const segment = () => encodeURIComponent(String(pick([...STRINGS, 'population', '1.0', 'readValue', 'delete'])));
    for (const url of [`${POP}?${q}`, `${DR}/data/myPersonalDataUsage?${q}`, `${DR}/data/${segment()}/${segment()}?${q}`, `${POP}/${segment()}/readValue/${segment()}.${pick(['json', 'txt', 'x', ''])}`, `${DR}/database/${segment()}`, `${DR}/databases?${q}`, `${DR}/${segment()}/${segment()}`]) {
      const res = await dr(w.t, 'GET', url, { as: pick([w.welfare, w.portal, w.nosy]), headers: { 'x-road-userid': String(pick(STRINGS)) || 'x' } });
      assert.ok(res.statusCode < 500, `GET ${url} → ${res.statusCode} ${res.body}`);
    }
  }
  // Schemas with random properties: refused by name or defined, never a crash.
  const types = ['string', 'integer', 'number', 'boolean', 'array', 'object', 'date', undefined];
  for (let i = 0; i < 80; i++) {
    const properties: Record<string, unknown> = { ID: { type: 'string', primaryKey: random() < 0.9 } };
    for (let j = 0; j < 1 + Math.floor(random() * 4); j++) {
      properties[pick(['a', 'b', 'c', 'bad name', '1x', 'ok_field'])] = mutate({ type: pick(types), format: pick(['date', 'decimal', 'email', undefined]), pattern: pick(['^a$', '(a+)+', '[', undefined]), maxLength: value(), enum: random() < 0.2 ? value() : undefined, 'x-egov': random() < 0.3 ? { validators: [{ name: pick(['range', 'length', 'pattern', 'code-list', 'nope']), max: value(), min: value(), list: value(), pattern: value() }] } : undefined });
    }
    const body = { ...schemaBody(), code: `fz${i}`, schema: { ...schemaBody().schema, properties } };
    const res = await dr(w.t, 'POST', `${DR}/database/modify`, { as: w.own, body: random() < 0.3 ? mutate(body) : body });
    assert.ok(res.statusCode < 500, `modify ${JSON.stringify(body)} → ${res.statusCode} ${res.body}`);
    if (res.statusCode === 200) {
      const made = await dr(w.t, 'POST', `${DR}/data/fz${i}/1.0/create`, { as: w.own, body: { write: { content: { ID: 'F1', a: value(), b: value() } } } });
      assert.ok(made.statusCode < 500, `create in fz${i} → ${made.statusCode} ${made.body}`);
    }
  }
});
