// What the GovStack Digital Registries tests share: a node whose department A owns the
// population and legal-entities registries and publishes population as the exchange service
// registries/population (backend egov:registries); department B's client systems with a
// right to the whole record (welfare), to some fields (portal), or none (nosy); valid
// records; and the specifications' own response schemas to check answers against.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import { localOperator } from '../../../platform/actor.ts';
import { idNumberCheckCharacter } from '../../../platform/codes/id-number.ts';
import { createTestApp, type TestApp } from '../../../test-support/test-app.ts';
import { LEGAL_ENTITIES, POPULATION } from '../index.ts';

export type Client = { identifier: string; token: string };
export type DrWorld = {
  t: TestApp;
  /** deptA's subsystem `registries`, which publishes population. */
  provider: string;
  providerId: string;
  serviceId: string;
  /** deptA's own client system (no right granted on the service unless a test grants it). */
  own: Client;
  /** deptB: a right to everything; a right to name, sex and birthDate; no right at all. */
  welfare: Client;
  portal: Client;
  nosy: Client;
  /** Fields the portal's right grants. */
  portalFields: string[];
};

export const DR = '/govstack/dr';
export const POP = `${DR}/data/population/1.0`;

export async function buildDrWorld(options: Parameters<typeof createTestApp>[0] = {}): Promise<DrWorld> {
  const t = await createTestApp({ ...options, env: { EGOV_EXCHANGE_LOG_TIMESTAMP_SECONDS: '0', ...options.env } });
  await t.services.registries.catalog.install(localOperator('test'), POPULATION, t.world.deptA.id);
  await t.services.registries.catalog.install(localOperator('test'), LEGAL_ENTITIES, t.world.deptA.id);
  const directory = t.services.directory.service;
  const subsystem = async (orgId: string, code: string, admin: typeof t.world.adminA): Promise<Client & { id: string }> => {
    const created = await directory.createSubsystem(localOperator('test'), orgId, { code, nameZh: `${code} 系统`, nameEn: `${code} system` });
    const res = await t.request('POST', '/api/exchange/clients', { as: admin, body: { subsystem: created.identifier, kind: 'token' } });
    assert.equal(res.statusCode, 201, res.body);
    return { id: created.id, identifier: created.identifier, token: res.json.token };
  };
  const provider = await subsystem(t.world.deptA.id, 'registries', t.world.adminA);
  const own = await subsystem(t.world.deptA.id, 'hukou', t.world.adminA);
  const welfare = await subsystem(t.world.deptB.id, 'welfare', t.world.adminB);
  const portal = await subsystem(t.world.deptB.id, 'portal', t.world.adminB);
  const nosy = await subsystem(t.world.deptB.id, 'nosy', t.world.adminB);
  const service = await t.request('POST', '/api/exchange/services', { as: t.world.adminA, body: { subsystemId: provider.id, code: 'population', backendUrl: 'egov:registries' } });
  assert.equal(service.statusCode, 201, service.body);
  const portalFields = ['name', 'sex', 'birthDate'];
  for (const body of [{ client: welfare.identifier }, { client: portal.identifier, fields: portalFields }]) {
    const res = await t.request('POST', `/api/exchange/services/${service.json.id}/rights`, { as: t.world.adminA, body: { clientKind: 'subsystem', ...body } });
    assert.equal(res.statusCode, 201, res.body);
  }
  return { t, provider: provider.identifier, providerId: provider.id, serviceId: service.json.id, own, welfare, portal, nosy, portalFields };
}

export type CallOptions = { as?: Client | null; body?: unknown; headers?: Record<string, string>; clientHeader?: string };

/** A direct call as a client system: its identifier in Information-Mediator-Client and its token. */
export async function dr(t: TestApp, method: string, url: string, options: CallOptions = {}) {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  if (options.as) {
    headers['information-mediator-client'] = options.clientHeader ?? options.as.identifier;
    headers.authorization = `Bearer ${options.as.token}`;
  }
  const res = await t.http.inject({ method: method as 'GET', url, headers, ...(options.body !== undefined ? { payload: options.body as object } : {}) });
  let json: any;
  try {
    json = res.json();
  } catch {
    json = undefined;
  }
  return { statusCode: res.statusCode, body: res.body, json, headers: res.headers };
}

/** The same operation through the exchange, as the service registries/population of department A. */
export async function viaExchange(world: DrWorld, method: string, apiPath: string, options: CallOptions = {}) {
  // /r1 takes Information-Mediator-Client as X-Road-Client.
  return dr(world.t, method, `/r1/${world.provider}/population${apiPath}`, options);
}

let serial = 0;
/** A valid ID number of Beijing Chaoyang (110105) for a birth date and sex. */
export function idNumber(birthDate: string, sex: '1' | '2'): string {
  serial++;
  const seq = String(serial % 100).padStart(2, '0') + (sex === '1' ? '1' : '2');
  const first17 = `110105${birthDate.replaceAll('-', '')}${seq}`;
  return first17 + idNumberCheckCharacter(first17);
}

export function person(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const birthDate = (overrides.birthDate as string) ?? '1980-05-17';
  const sex = (overrides.sex as '1' | '2') ?? '1';
  return { idNumber: idNumber(birthDate, sex), name: '张三', sex, birthDate, ethnicity: '01', hukouDivision: '110105', hukouAddress: '北京市朝阳区建国路 1 号', maritalStatus: '10', status: 'living', ...overrides };
}

// ---- the specifications' response schemas ------------------------------------------------

type Spec = Record<string, any>;
function loadSpec(name: string): Spec {
  const spec = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, 'spec', `${name}.json`), 'utf8')) as Spec;
  // The specs mark nullable fields with Swagger 2's x-nullable, and the database spec refers
  // to DatabaseInfo and DatabasesSchema, which it defines as databaseInfo and databasesSchema.
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node && typeof node === 'object') {
      const object = node as Record<string, unknown>;
      if (object['x-nullable'] === true && typeof object.type === 'string') object.type = [object.type, 'null'];
      if (object.$ref === '#/components/schemas/DatabaseInfo') object.$ref = '#/components/schemas/databaseInfo';
      if (object.$ref === '#/components/schemas/DatabasesSchema') object.$ref = '#/components/schemas/databasesSchema';
      Object.values(object).forEach(walk);
    }
  };
  walk(spec);
  return spec;
}

const ajv = new Ajv({ strict: false, validateSchema: false, validateFormats: false, allErrors: true });
ajv.addSchema(loadSpec('digital-registries-data-1.3.0'), 'data');
ajv.addSchema(loadSpec('digital-registries-database-1.3.0'), 'database');

const pointer = (...parts: string[]) => parts.map((p) => p.replaceAll('~', '~0').replaceAll('/', '~1')).join('/');

/** Asserts an answer fits the response schema the spec gives for the operation and status. */
export function assertSpec(spec: 'data' | 'database', specPath: string, method: string, status: number, body: unknown): void {
  const ref = `${spec}#/${pointer('paths', specPath, method.toLowerCase(), 'responses', String(status), 'content', 'application/json', 'schema')}`;
  const validate = ajv.getSchema(ref);
  assert.ok(validate, `the spec has a schema at ${ref}`);
  assert.ok(validate(body), `${method} ${specPath} ${status} fits the spec: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(body).slice(0, 500)}`);
}
