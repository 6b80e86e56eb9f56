// Fuzzing the licence endpoints: the write (revoke) with random bodies, ids and identities, the
// staff list's query, the public verification with random identifiers, and issue() with input
// whose fields are swapped for random values. Whatever comes in, the answer is a 2xx or a 4xx
// (issue: a domain error), never a 5xx; a refused revoke changes nothing.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { TestApp } from '../../../test-support/test-app.ts';
import { buildLicenceInput, issueLicence, provisionSeal } from './test-fixtures.ts';
import type { LicenceInput } from './model.ts';

let t: TestApp;
const ids: string[] = [];
const identifiers: string[] = [];
before(async () => {
  const { createTestApp } = await import('../../../test-support/test-app.ts');
  t = await createTestApp();
  await provisionSeal(t, t.world.deptA.id, t.world.officerA);
  for (let i = 0; i < 3; i++) {
    const l = await issueLicence(t, buildLicenceInput(t.world.deptA.id));
    ids.push(l.id);
    identifiers.push(l.identifier);
  }
});
after(() => t.close());

let seed = 20261203;
const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)];
const STRINGS = ['', ' ', '\u0000', 'x'.repeat(600), '以欺骗手段取得', "'; drop table services.licences; --", '<script>', '%00', '..', '00000000-0000-0000-0000-000000000000', 'not-a-uuid', '1e308', 'NaN', '𠮷'];
const value = (): unknown => pick<() => unknown>([() => pick(STRINGS), () => random() * 1e20, () => -1, () => null, () => true, () => [], () => ({}), () => [pick(STRINGS)], () => ({ a: 1 })])();

function mutate<T extends Record<string, unknown>>(body: T): Record<string, unknown> {
  const out: Record<string, unknown> = { ...body };
  const keys = [...Object.keys(body), 'extra'];
  for (let i = 0; i < 1 + Math.floor(random() * 3); i++) {
    const key = pick(keys);
    if (random() < 0.15) delete out[key];
    else out[key] = value();
  }
  return out;
}

test('no licence endpoint answers 5xx to random input; a refused revoke changes nothing', async () => {
  const { adminA, adminB, officerA } = t.world;
  for (let i = 0; i < 80; i++) {
    const id = random() < 0.7 ? pick(ids) : String(pick(STRINGS));
    const as = pick([adminA, adminB, officerA, undefined]);
    const body = random() < 0.2 ? value() : mutate({ reason: '以欺骗手段取得' });
    const before = await t.services.database.db.selectFrom('services.licences').select(['id', 'status']).orderBy('id').execute();
    const res = await t.request('POST', `/api/licences/${encodeURIComponent(id)}/revoke`, { ...(as ? { as } : {}), body });
    assert.ok(res.statusCode < 500, `revoke ${id} as ${as?.username}: ${res.statusCode} ${res.body}`);
    if (res.statusCode >= 400) assert.deepEqual(await t.services.database.db.selectFrom('services.licences').select(['id', 'status']).orderBy('id').execute(), before);
    const q = `status=${encodeURIComponent(String(value()))}&limit=${encodeURIComponent(String(value()))}&orgId=${encodeURIComponent(String(pick([t.world.deptA.id, ...STRINGS])))}`;
    const list = await t.request('GET', `/api/licences?${q}`, { as: pick([adminA, adminB, officerA]) });
    assert.ok(list.statusCode < 500, `list ${q}: ${list.statusCode} ${list.body}`);
    const identifier = random() < 0.5 ? pick(identifiers).slice(0, Math.floor(random() * 80)) + String(pick(STRINGS)) : String(pick(STRINGS));
    for (const url of [`/licences/${encodeURIComponent(identifier)}`, `/api/public/licences/${encodeURIComponent(identifier)}`]) {
      const res2 = await t.http.inject({ method: 'GET', url, headers: { accept: pick(['text/html', 'application/json', '*/*']), 'x-forwarded-for': `10.0.${i % 250}.1` } });
      assert.ok(res2.statusCode < 500, `${url}: ${res2.statusCode}`);
    }
  }
});

test('issue() refuses random input with a domain error, never a crash, and writes nothing', async () => {
  const count = async () => (await t.services.database.db.selectFrom('services.licences').select('id').execute()).length;
  const start = await count();
  let refused = 0;
  for (let i = 0; i < 80; i++) {
    const valid = buildLicenceInput(t.world.deptA.id);
    const input = mutate(valid as unknown as Record<string, unknown>);
    if (random() < 0.5) input.holder = mutate(valid.holder as unknown as Record<string, unknown>);
    if (random() < 0.3) input.fields = [mutate(valid.fields[0]! as unknown as Record<string, unknown>)];
    try {
      await issueLicence(t, input as unknown as LicenceInput);
    } catch (err) {
      assert.ok((err as { code?: unknown }).code !== undefined && !(err instanceof TypeError), `not a domain error: ${(err as Error).stack}`);
      refused++;
    }
  }
  assert.ok(refused > 0);
  const issuedNow = (await count()) - start;
  assert.equal(issuedNow, 80 - refused, 'only the accepted ones were written');
});
