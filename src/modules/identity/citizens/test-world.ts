// What the citizen tests share (not a test file itself): a test app where department A owns
// the population and legal-entity registries and publishes them on the exchange, department
// B (standing for the data bureau) has the `identity` subsystem with a right to only the
// fields real-name checks need, factories for persons, entities and citizens, and a
// citizen's signed-in requests.
import assert from 'node:assert/strict';
import { localOperator } from '../../../platform/actor.ts';
import { buildCreditCode } from '../../../platform/codes/credit-code.ts';
import { idNumberCheckCharacter } from '../../../platform/codes/id-number.ts';
import { createTestApp, type TestApp } from '../../../test-support/test-app.ts';
import { LEGAL_ENTITIES, PERSONAL_DATA_USAGE_PATH, POPULATION, readPathsOf } from '../../registries/index.ts';

export const CITIZEN_PASSWORD = 'Citizen#2026pw';
export const PERSON_FIELDS = ['name', 'status'];
export const ENTITY_FIELDS = ['name', 'status', 'legalRepId'];

export type CitizenWorld = { t: TestApp; identitySubsystem: string; populationServiceId: string; entitiesServiceId: string };

export async function buildCitizenWorld(options: { grant?: boolean; env?: Record<string, string>; personFields?: string[]; entityFields?: string[] } = {}): Promise<CitizenWorld> {
  const t = await createTestApp({ env: { EGOV_EXCHANGE_LOG_TIMESTAMP_SECONDS: '0', ...options.env } });
  const op = localOperator('test');
  await t.services.registries.catalog.install(op, POPULATION, t.world.deptA.id);
  await t.services.registries.catalog.install(op, LEGAL_ENTITIES, t.world.deptA.id);
  const directory = t.services.directory.service;
  const registries = await directory.createSubsystem(op, t.world.deptA.id, { code: 'registries', nameZh: '基础库服务', nameEn: 'Registry services' });
  const identity = await directory.createSubsystem(op, t.world.deptB.id, { code: 'identity', nameZh: '统一身份认证系统', nameEn: 'Unified identity system' });
  const serviceIds: string[] = [];
  for (const [registry, fields] of [['population', options.personFields ?? PERSON_FIELDS], ['legal-entities', options.entityFields ?? ENTITY_FIELDS]] as const) {
    const service = await t.request('POST', '/api/exchange/services', { as: t.world.adminA, body: { subsystemId: registries.id, code: registry, backendUrl: 'egov:registries', classification: 'personal' } });
    assert.equal(service.statusCode, 201, service.body);
    serviceIds.push(service.json.id);
    if (options.grant === false) continue;
    // The person's own "who read my data" is asked on the population service too.
    for (const path of [...readPathsOf('egov:registries', registry)!, ...(registry === 'population' ? [PERSONAL_DATA_USAGE_PATH] : [])]) {
      const right = await t.request('POST', `/api/exchange/services/${service.json.id}/rights`, { as: t.world.adminA, body: { clientKind: 'subsystem', client: identity.identifier, ...path, fields } });
      assert.equal(right.statusCode, 201, right.body);
    }
  }
  return { t, identitySubsystem: identity.identifier, populationServiceId: serviceIds[0], entitiesServiceId: serviceIds[1] };
}

let serial = 0;
/** A valid ID number of Beijing Chaoyang (110105) for a birth date and sex. */
export function newIdNumber(birthDate = '1985-03-12', sex: '1' | '2' = '1'): string {
  serial++;
  const first17 = `110105${birthDate.replaceAll('-', '')}${String(serial % 100).padStart(2, '0')}${sex === '1' ? '1' : '2'}`;
  return first17 + idNumberCheckCharacter(first17);
}

/** A person in the population registry (written as its owner would). */
export async function buildPerson(t: TestApp, overrides: Record<string, unknown> = {}): Promise<{ idNumber: string; name: string }> {
  const birthDate = (overrides.birthDate as string) ?? '1985-03-12';
  const sex = (overrides.sex as '1' | '2') ?? '1';
  const data: Record<string, unknown> = { idNumber: newIdNumber(birthDate, sex), name: `张${serial}`, sex, birthDate, ethnicity: '01', hukouDivision: '110105', hukouAddress: '北京市朝阳区建国路 1 号', maritalStatus: '10', status: 'living', ...overrides };
  if (data.status === 'deceased') data.deathDate ??= '2024-01-01';
  await t.services.registries.records.create({ op: localOperator('test'), source: 'test' }, 'population', data, '测试 / test');
  return { idNumber: String(data.idNumber), name: String(data.name) };
}

let entitySerial = 0;
/** A legal entity represented by `legalRepId` (who must be in the population registry). */
export async function buildEntity(t: TestApp, legalRepId: string, overrides: Record<string, unknown> = {}): Promise<{ creditCode: string; name: string }> {
  entitySerial++;
  const creditCode = buildCreditCode('9', '1', '110105', `MA${String(entitySerial).padStart(4, '0')}${String(process.pid % 100).padStart(2, '0')}`);
  const data = { creditCode, name: `北京测试${entitySerial}科技有限公司`, entityType: '91', legalRepId, legalRepName: '法人', divisionCode: '110105', registeredAddress: '北京市朝阳区', establishedDate: '2020-01-01', status: 'active', registrationAuthority: '北京市朝阳区市场监督管理局', ...overrides };
  await t.services.registries.records.create({ op: localOperator('test'), source: 'test' }, 'legal-entities', data, '测试 / test');
  return { creditCode: data.creditCode, name: data.name };
}

export type TestCitizen = { idNumber: string; name: string; phone: string; email: string; sub: string; id: string };

let phoneSerial = 0;
/** A registered (and so verified) citizen, with a person in the registry behind it. */
export async function buildCitizen(t: TestApp, overrides: { phone?: string; email?: string; person?: Record<string, unknown> } = {}): Promise<TestCitizen> {
  const person = await buildPerson(t, overrides.person);
  phoneSerial++;
  const phone = overrides.phone ?? `139${String(process.pid % 10000).padStart(4, '0')}${String(phoneSerial).padStart(4, '0')}`;
  const email = overrides.email ?? `citizen${phoneSerial}.${process.pid}@example.cn`;
  const res = await t.request('POST', '/api/citizen/register', { body: { idNumber: person.idNumber, name: person.name, phone, email, password: CITIZEN_PASSWORD } });
  assert.equal(res.statusCode, 201, res.body);
  return { ...person, phone, email, sub: res.json.sub, id: String(res.json.sub).slice('citizen:'.length) };
}

export type CitizenSession = { cookie: string; csrfToken: string };

export async function signInCitizen(t: TestApp, login: string, password = CITIZEN_PASSWORD, totp?: string): Promise<CitizenSession> {
  const res = await t.request('POST', '/api/citizen/session', { body: { login, password, ...(totp ? { totp } : {}) } });
  assert.equal(res.statusCode, 200, res.body);
  const cookie = String(res.headers['set-cookie']).split(';')[0];
  assert.match(cookie, /^egov_citizen_session=/);
  return { cookie, csrfToken: res.json.csrfToken };
}

/** A request as a signed-in citizen (the CSRF token on writes unless csrf: false). */
export async function asCitizen(t: TestApp, session: CitizenSession | null, method: string, url: string, body?: unknown, options: { csrf?: boolean; lang?: string } = {}) {
  const headers: Record<string, string> = {};
  if (session) {
    headers.cookie = session.cookie;
    if (options.csrf !== false) headers['x-csrf-token'] = session.csrfToken;
  }
  if (options.lang) headers['accept-language'] = options.lang;
  return t.request(method, url, { headers, ...(body !== undefined ? { body } : {}) });
}

/** Rows of the citizen tables and audit events whose action starts with `prefix`. */
export async function counts(t: TestApp, prefix = 'identity.citizen.register'): Promise<{ citizens: number; enterprises: number; audit: number }> {
  const db = t.services.database.db;
  const n = async (table: string) => Number((await db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  const audit = Number((await db.selectFrom('audit.events').select((eb) => eb.fn.countAll().as('n')).where('action', 'like', `${prefix}%`).where('outcome', '=', 'success').executeTakeFirstOrThrow()).n);
  return { citizens: await n('identity.citizens'), enterprises: await n('identity.enterprises'), audit };
}
