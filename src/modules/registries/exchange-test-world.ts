// What the tests of the geospatial and macroeconomic registries' exchange backends share: a
// test app with the demo province's divisions, the registry installed for department A and
// served on the exchange by A's member through its built-in backend, client systems of
// department B (some with rights), and calls to /r1 as one of them. Not a test file itself.
import assert from 'node:assert/strict';
import { localOperator } from '../../platform/actor.ts';
import { createTestApp, type TestApp, type TestUser } from '../../test-support/test-app.ts';
import type { RegistryDefinition } from './engine/definition.ts';

export type Client = { identifier: string; token: string };

/** A client system of `orgId` that authenticates with an API token. */
export async function subsystem(t: TestApp, orgId: string, code: string, admin: TestUser): Promise<Client & { id: string }> {
  const created = await t.services.directory.service.createSubsystem(localOperator('test'), orgId, { code, nameZh: `${code} 系统`, nameEn: `${code} system` });
  const res = await t.request('POST', '/api/exchange/clients', { as: admin, body: { subsystem: created.identifier, kind: 'token' } });
  assert.equal(res.statusCode, 201, res.body);
  return { id: created.id, identifier: created.identifier, token: res.json.token };
}

export type ExchangeWorld<K extends string> = {
  t: TestApp;
  /** The identifier of department A's subsystem that registers the service. */
  provider: string;
  serviceId: string;
  clients: Record<K, Client>;
};

/**
 * The registry `definition` of department A, seeded by `seed`, as A's service `backend` (with
 * the backend egov:`backend`), and B's client systems `clients`; those in `rights` get a right
 * on every path and method (so that what the backend itself refuses, writes, is seen too),
 * with the fields given or the whole answer.
 */
export async function createExchangeWorld<K extends string>(options: {
  definition: RegistryDefinition;
  seed: (t: TestApp) => Promise<unknown>;
  backend: string;
  clients: readonly K[];
  rights: readonly (readonly [K, readonly string[] | undefined])[];
}): Promise<ExchangeWorld<K>> {
  const t = await createTestApp({ env: { EGOV_EXCHANGE_LOG_TIMESTAMP_SECONDS: '0' } });
  const directory = t.services.directory.service;
  await directory.addLocalDivision({ code: '990000', name: '青云省', level: 'province', parent: null });
  await directory.addLocalDivision({ code: '990100', name: '云州市', level: 'city', parent: '990000' });
  await directory.addLocalDivision({ code: '990200', name: '临江市', level: 'city', parent: '990000' });
  await directory.addLocalDivision({ code: '990121', name: '安平县', level: 'county', parent: '990100' });
  await t.services.registries.catalog.install(localOperator('test'), options.definition, t.world.deptA.id);
  await options.seed(t);
  const registries = await subsystem(t, t.world.deptA.id, 'registries', t.world.adminA);
  const clients = {} as Record<K, Client>;
  for (const code of options.clients) clients[code] = await subsystem(t, t.world.deptB.id, code, t.world.adminB);
  const service = await t.request('POST', '/api/exchange/services', { as: t.world.adminA, body: { subsystemId: registries.id, code: options.backend, backendUrl: `egov:${options.backend}`, classification: 'internal' } });
  assert.equal(service.statusCode, 201, service.body);
  for (const [client, fields] of options.rights) {
    const res = await t.request('POST', `/api/exchange/services/${service.json.id}/rights`, { as: t.world.adminA, body: { clientKind: 'subsystem', client: clients[client].identifier, ...(fields ? { fields } : {}) } });
    assert.equal(res.statusCode, 201, res.body);
  }
  return { t, provider: registries.identifier, serviceId: service.json.id, clients };
}

export type CallOptions = { body?: unknown; lang?: string; token?: string | null; service?: string };

/**
 * Calls `path` of the exchange service `service` (options.service overrides it) as the client
 * system `as` (none: no client named), giving `issue` as the call's reason.
 */
export async function callService(t: TestApp, service: string, issue: string, method: string, path: string, as: Client | null, options: CallOptions = {}) {
  const headers: Record<string, string> = { 'x-road-issue': issue };
  if (as) {
    headers['x-road-client'] = as.identifier;
    if (options.token !== null) headers.authorization = `Bearer ${options.token ?? as.token}`;
  }
  if (options.lang) headers['accept-language'] = options.lang;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const res = await t.http.inject({ method: method as 'GET', url: `/r1/${options.service ?? service}${path}`, headers, ...(options.body !== undefined ? { payload: JSON.stringify(options.body) } : {}) });
  let json: any;
  try {
    json = res.json();
  } catch {
    json = undefined;
  }
  return { status: res.statusCode, body: res.body, json, headers: res.headers };
}

/** The rows of each table, then the audit events whose action starts with `auditPrefix`: unchanged when nothing was written. */
export async function rowCounts(t: TestApp, tables: readonly string[], auditPrefix: string): Promise<number[]> {
  const db = t.services.database.db;
  const n = async (q: { executeTakeFirstOrThrow(): Promise<{ n: unknown }> }) => Number((await q.executeTakeFirstOrThrow()).n);
  const counts: number[] = [];
  for (const table of tables) counts.push(await n(db.selectFrom(table).select((eb) => eb.fn.countAll().as('n'))));
  counts.push(await n(db.selectFrom('audit.events').select((eb) => eb.fn.countAll().as('n')).where('action', 'like', `${auditPrefix}%`)));
  return counts;
}
