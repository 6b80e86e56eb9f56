// Sends random and mutated bodies to every write endpoint. No answer may be a 5xx, and a
// rejected request must leave the business tables exactly as they were.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { REGISTRATION_FORMAT, signRegistration, type RegistrationBody } from '../../src/modules/exchange/registration.ts';
import { createSuites, type KeyPair, type SuiteName } from '../../src/modules/trust/index.ts';
import { issueCertificate, newSerialNumber, toPem } from '../../src/modules/trust/x509.ts';
import { localOperator } from '../../src/platform/actor.ts';
import { buildOrganization, newCreditCode } from '../../src/test-support/factories.ts';
import { buildServiceBody } from '../../src/modules/services/catalog/test-fixtures.ts';
import { buildForm } from '../../src/modules/services/forms/test-fixtures.ts';
import { createTestApp, type TestApp, type TestUser } from '../../src/test-support/test-app.ts';

const REQUESTS = Number(process.env.EGOV_FUZZ_REQUESTS ?? 1800);
const SEED = Number(process.env.EGOV_FUZZ_SEED ?? 20261126);

let t: TestApp;
/** A certificate the officer holds and a request waiting for the CA operator, for the trust endpoints. */
const trust = { serial: '', pendingId: '' };
/** A subsystem of A with one service, and B's subsystem as a client, for the exchange endpoints. */
const exchange = { subsystemId: '', serviceId: '', client: '', groupId: '' };
const rooms: string[] = [];
/** Signs a registration (as prepareNodes sets up); crafted registrations name `craftMember`, which no other node claims. */
let signedRegistration: (name: string, members: string[], overrides?: Partial<RegistrationBody>) => Record<string, unknown>;
let craftMember = '';
/**
 * For the node endpoints: signed registrations to send (one genuine, the rest well-formed but
 * wrong: signatures, instance, members, keys, address), the registrations the operator may
 * decide on (two made here, plus any the fuzzer gets accepted), client credentials and
 * crossing rules to revoke (likewise), and a certificate PEM for the certificate credential.
 */
/** Catalog entries an accepted create made, for the endpoints that act on one. */
const catalog = { entries: [] as string[] };
/** Notices an accepted send left in the officer's inbox, to mark read. */
const messages: string[] = [];
const services: string[] = [];
const catalogEntry = () => ({
  classification: { class: '3', item: '07', subItem: '000', detail: '' },
  nameZh: '模糊测试资源',
  nameEn: 'Fuzz resource',
  abstractZh: '用于模糊测试。',
  format: { class: 'database', type: 'PostgreSQL' },
  dataItems: [{ name: '名称', nameEn: 'Name', field: 'name', type: 'string' }],
  sharing: { type: 'conditional', condition: '业务需要', methods: ['api'] },
  open: { open: false },
  updateCycle: 'monthly',
});
const nodes = { registrations: [] as Record<string, unknown>[], decidable: [] as string[], credentials: [] as string[], rules: [] as string[], subsystem: '', certificatePem: '' };
before(async () => {
  t = await createTestApp();
  const { adminA, officerA, securityAdmin } = t.world;
  const issued = await t.request('POST', '/api/trust/certificate-requests', { as: adminA, body: { profile: 'signing', holderUserId: officerA.id } });
  trust.serial = (await t.request('POST', `/api/trust/certificate-requests/${issued.json.id}/approve`, { as: securityAdmin, body: { version: 1 } })).json.certificateSerial;
  trust.pendingId = (await t.request('POST', '/api/trust/certificate-requests', { as: adminA, body: { profile: 'tls', nodeName: 'fuzz.example' } })).json.id;
  const directory = t.services.directory.service;
  const subsystem = await directory.createSubsystem(localOperator('fuzz'), t.world.deptA.id, { code: 'fuzzsys', nameZh: '模糊系统', nameEn: 'Fuzz system' });
  exchange.subsystemId = subsystem.id;
  nodes.subsystem = subsystem.identifier;
  exchange.client = (await directory.createSubsystem(localOperator('fuzz'), t.world.deptB.id, { code: 'fuzzclient', nameZh: '模糊客户', nameEn: 'Fuzz client' })).identifier;
  exchange.serviceId = (await t.request('POST', '/api/exchange/services', { as: adminA, body: { subsystemId: exchange.subsystemId, code: 'svc', backendUrl: 'http://127.0.0.1:9/x' } })).json.id;
  exchange.groupId = (await t.request('POST', '/api/exchange/groups', { as: t.world.platformAdmin, body: { code: 'fuzz-group' } })).json.id;
  // Subsystems that may become pub/sub rooms: each once, then a conflict.
  for (const code of ['room1', 'room2', 'room3']) rooms.push((await directory.createSubsystem(localOperator('fuzz'), t.world.deptA.id, { code, nameZh: '消息室', nameEn: 'Room' })).id);
  await prepareNodes();
});

async function prepareNodes() {
  const { deptA, deptB, province, platformAdmin } = t.world;
  const suites = createSuites({ sm2UserId: t.config.sm2UserId });
  const memberSuite: SuiteName = t.config.trustSuite;
  const otherSuite: SuiteName = memberSuite === 'sm2-sm3' ? 'ecdsa-p256-sha256' : 'sm2-sm3';
  const signed = (name: string, members: string[], overrides: Partial<RegistrationBody> = {}, keys: { auth?: KeyPair; member?: KeyPair } = {}) => {
    const auth = keys.auth ?? suites['ecdsa-p256-sha256'].generateKeyPair();
    const memberKeys = new Map(members.map((m) => [m, keys.member ?? suites[memberSuite].generateKeyPair()] as const));
    const body: RegistrationBody = {
      format: REGISTRATION_FORMAT,
      instance: t.config.instance,
      name,
      url: `https://${name}.example.gov.cn:5500`,
      zone: 'external',
      members,
      authKey: auth.publicKeySpki.toString('base64'),
      memberKeys: members.map((member) => ({ member, publicKey: memberKeys.get(member)!.publicKeySpki.toString('base64') })),
      submittedAt: new Date().toISOString(),
      ...overrides,
    };
    return signRegistration(body, { auth, members: memberKeys }, suites) as unknown as Record<string, unknown>;
  };
  signedRegistration = signed;
  craftMember = (await buildOrganization(t.services, { parentId: province.id, nameZh: '模糊测试局', nameEn: 'Fuzz Bureau' })).identifier;
  const member = province.identifier;
  const genuine = signed('fuzz-node', [member]);
  nodes.registrations = [
    // The genuine one thrice: accepted registrations are what the approve and reject endpoints act on.
    genuine,
    genuine,
    genuine,
    signed('fuzz-node', [member], { instance: 'OTHER-INSTANCE' }),
    signed('fuzz-node', [`${t.config.instance}/GOV/NOSUCHMEMBER0001`]),
    signed('fuzz-node', [member], { url: 'https://exa mple.gov.cn:5500' }),
    signed('fuzz-node', [member], { url: 'https://fuzz-node.example.gov.cn:99999' }),
    signed('central', [member]),
    signed('fuzz-node', [member], {}, { auth: suites['sm2-sm3'].generateKeyPair() }),
    signed('fuzz-node', [member], {}, { member: suites[otherSuite].generateKeyPair() }),
    // Signed, then altered: the signatures no longer hold.
    { ...genuine, url: 'https://elsewhere.example.gov.cn:5500' },
    { ...genuine, authKey: Buffer.from('not a key').toString('base64') },
    { ...genuine, signatures: { auth: (genuine.signatures as { auth: string }).auth, members: [] } },
    { ...genuine, memberKeys: [] },
  ];
  for (const [name, org] of [['fuzz-approve', deptA], ['fuzz-reject', deptB]] as const) {
    const res = await t.http.inject({ method: 'POST', url: '/exchange/v1/nodes/registrations', payload: signed(name, [org.identifier]), remoteAddress: '192.0.2.1' });
    assert.equal(res.statusCode, 201, res.body);
    nodes.decidable.push(res.json().id);
  }
  const suite = suites['ecdsa-p256-sha256'];
  const key = suite.generateKeyPair();
  const name = { commonName: 'fuzz client system' };
  nodes.certificatePem = toPem(issueCertificate({ profile: 'tls', serialNumber: newSerialNumber(), subject: name, subjectPublicKeySpki: key.publicKeySpki, notBefore: new Date(Date.now() - 60_000), notAfter: new Date(Date.now() + 86_400_000), issuer: { name, key, suite } }));
  for (const value of ['10.9.0.0/16', '10.9.1.1']) {
    const res = await t.request('POST', '/api/exchange/clients', { as: t.world.adminA, body: { subsystem: nodes.subsystem, kind: 'address', value } });
    assert.equal(res.statusCode, 201, res.body);
    nodes.credentials.push(res.json.credential.id);
  }
  const rule = await t.request('POST', '/api/exchange/crossing-rules', { as: platformAdmin, body: { fromZone: 'external', toZone: 'internal', servicePattern: '*', classifications: ['public'] } });
  assert.equal(rule.statusCode, 201, rule.body);
  nodes.rules.push(rule.json.id);
}
after(() => t.close());

// A small deterministic PRNG (mulberry32) so a failure can be replayed with EGOV_FUZZ_SEED.
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

const NASTY: unknown[] = [
  null, true, false, 0, -1, 1e308, -0, 3.14, '', ' ', 'a'.repeat(5000), "'; drop table directory.organizations; --", '%_\\', '\u0000', '𠮷野家', '<script>alert(1)</script>',
  '../../etc/passwd', '00000000-0000-0000-0000-000000000000', '91110000600037341L', '330000', [], [1, 2], {}, { $ne: 1 }, { __proto__: { admin: true } },
  'true', '1', 'NaN', '2026-13-45T99:99:99Z',
];

type Endpoint = {
  method: string;
  url: (random: () => number) => string;
  /** Who sends it; a public endpoint is sent with no session, from a new address each time (it is rate-limited per address). */
  as: () => TestUser | 'public';
  valid: (random: () => number) => Record<string, unknown>;
  sideEffectsOnReject?: boolean;
  /** What an accepted request made, for the endpoints that act on it (decide, revoke). */
  accepted?: (json: any) => void;
  /** `valid` makes the hostile body itself and signs it: sent as it is, since a mutation would only break the signature. */
  presigned?: boolean;
};

const pick = <T>(random: () => number, list: T[]) => list[Math.floor(random() * list.length)];
/**
 * An id from the pool (most of the time, often the newest: what the previous endpoint just
 * made) or one that names nothing or is no id at all.
 */
const someId = (random: () => number, pool: string[]) =>
  random() < 0.8 && pool.length > 0 ? (random() < 0.4 ? pick(random, pool) : pool[pool.length - 1]) : pick(random, ['00000000-0000-0000-0000-000000000000', crypto.randomUUID(), 'not-a-uuid', '%00', '..', 'a'.repeat(300)]);

/**
 * A registration signed properly around one hostile value the schema lets through, so it
 * meets the checks behind the signature, and, once accepted, the approval after them
 * (which certifies the URL's host: an address that does not parse used to fail there).
 */
function craftedRegistration(random: () => number): Record<string, unknown> {
  const urls = ['https://exa mple.gov.cn:5500', 'https://fuzz-craft.example.gov.cn:99999', 'https://[::1', 'https://%zz.example', 'https:///path', 'https://a:b@fuzz-craft.example/x?y#z', 'https://例子.中国:5500', 'https://fuzz-craft.example.gov.cn:5500/', `https://${'a'.repeat(480)}`, 'https://[::1]:5500'];
  const hostile: [keyof RegistrationBody, unknown[]][] = [
    ['url', urls],
    ['url', urls],
    ['url', urls],
    ['name', ['central']],
    ['zone', ['internal', 'public']],
    ['submittedAt', ['2026-02-30T00:00:00Z', '9999-12-31T23:59:59Z', '1970-01-01T00:00:00+14:00']],
    ['members', [[craftMember, craftMember], [`${t.config.instance}/GOV/NOSUCHMEMBER0002`], [craftMember, t.world.province.identifier]]],
    ['instance', [t.config.instance.toLowerCase()]],
  ];
  const [field, values] = pick(random, hostile);
  const value = pick(random, values);
  return field === 'members' ? signedRegistration('fuzz-craft', value as string[]) : signedRegistration('fuzz-craft', [craftMember], { [field]: value });
}

function endpoints(): Endpoint[] {
  const w = t.world;
  return [
    { method: 'POST', url: () => '/api/organizations', as: () => w.platformAdmin, valid: () => ({ parentId: w.province.id, nameZh: '模糊测试厅', nameEn: 'Fuzz Dept', creditCode: newCreditCode('330000'), divisionCode: '330000', type: 'organ' }) },
    { method: 'PATCH', url: () => `/api/organizations/${w.deptB.id}`, as: () => w.platformAdmin, valid: () => ({ version: 1, nameEn: 'Renamed' }) },
    { method: 'POST', url: () => `/api/organizations/${w.deptB.id}/deactivate`, as: () => w.platformAdmin, valid: () => ({ version: 1 }) },
    { method: 'POST', url: () => `/api/organizations/${w.deptB.id}/reactivate`, as: () => w.platformAdmin, valid: () => ({ version: 1 }) },
    { method: 'POST', url: () => `/api/organizations/${w.deptA.id}/subsystems`, as: () => w.adminA, valid: () => ({ code: 'fz', nameZh: '系统', nameEn: 'System', description: 'd' }) },
    { method: 'POST', url: () => '/api/users', as: () => w.securityAdmin, valid: () => ({ username: 'fuzzuser', displayName: '模糊', orgId: w.deptA.id, roles: ['officer'], password: 'Fuzz#pass2026' }) },
    { method: 'PATCH', url: () => `/api/users/${w.officerA.id}`, as: () => w.securityAdmin, valid: () => ({ version: 1, displayName: '改名' }) },
    { method: 'POST', url: () => `/api/users/${w.adminB.id}/reset-password`, as: () => w.securityAdmin, valid: () => ({ password: 'Reset#pass2026' }) },
    { method: 'POST', url: () => '/api/tokens', as: () => w.officerA, valid: () => ({ name: 'fuzz', expiresInDays: 3 }) },
    // Failed sign-ins and password checks are audited and counted on purpose, so only "no 5xx" applies.
    { method: 'POST', url: () => '/api/trust/certificate-requests', as: () => w.adminA, valid: () => ({ profile: 'signing', holderUserId: w.officerA.id, suite: 'sm2-sm3' }) },
    { method: 'POST', url: () => `/api/trust/certificate-requests/${trust.pendingId}/reject`, as: () => w.securityAdmin, valid: () => ({ version: 1, note: 'fuzz' }) },
    { method: 'POST', url: () => `/api/trust/certificates/${trust.serial}/renew`, as: () => w.adminA, valid: () => ({}) },
    { method: 'POST', url: () => `/api/trust/certificates/${trust.serial}/revoke`, as: () => w.adminA, valid: () => ({ reason: 'superseded' }) },
    { method: 'POST', url: () => '/api/trust/signatures', as: () => w.officerA, valid: () => ({ certificateSerial: trust.serial, documentBase64: 'aGVsbG8=', mode: 'enveloping', format: 'cms' }) },
    { method: 'POST', url: () => '/api/trust/verify', as: () => w.officerA, valid: () => ({ signatureBase64: 'MIIBAA==', documentBase64: 'aGVsbG8=' }) },
    { method: 'POST', url: () => '/api/trust/timestamps', as: () => w.officerA, valid: () => ({ hash: 'sm3', digestHex: 'ab'.repeat(32) }) },
    { method: 'POST', url: () => '/api/trust/timestamps/batch', as: () => w.officerA, valid: () => ({ hash: 'sha256', digestsHex: ['ab'.repeat(32), 'cd'.repeat(32)] }) },
    { method: 'POST', url: () => '/api/exchange/services', as: () => w.adminA, valid: () => ({ subsystemId: exchange.subsystemId, code: 'svc2', backendUrl: 'https://127.0.0.1:8443/api', timeoutMs: 1000, maxBodyBytes: 1000, classification: 'personal' }) },
    { method: 'PATCH', url: () => `/api/exchange/services/${exchange.serviceId}`, as: () => w.adminA, valid: () => ({ version: 1, timeoutMs: 2000, classification: 'sensitive' }) },
    { method: 'POST', url: () => `/api/exchange/services/${exchange.serviceId}/rights`, as: () => w.adminA, valid: () => ({ clientKind: 'subsystem', client: exchange.client, method: 'GET', pathPattern: '/v1/**', fields: ['name', 'birthDate'] }) },
    { method: 'POST', url: () => '/api/exchange/groups', as: () => w.platformAdmin, valid: () => ({ code: 'fuzz-group-2', description: 'x' }) },
    { method: 'POST', url: () => `/api/exchange/groups/${exchange.groupId}/members`, as: () => w.platformAdmin, valid: () => ({ client: exchange.client }) },
    { method: 'POST', url: () => '/api/exchange/rooms', as: () => w.adminA, valid: (random) => ({ subsystemId: pick(random, rooms) }) },
    { method: 'POST', url: () => '/exchange/v1/nodes/registrations', as: () => 'public', valid: (random) => structuredClone(pick(random, nodes.registrations)), accepted: (json) => nodes.decidable.push(json.id) },
    { method: 'POST', url: () => '/exchange/v1/nodes/registrations', as: () => 'public', presigned: true, valid: craftedRegistration, accepted: (json) => nodes.decidable.push(json.id) },
    { method: 'POST', url: (random) => `/api/exchange/nodes/registrations/${someId(random, nodes.decidable)}/approve`, as: () => w.platformAdmin, valid: () => ({ version: 1, note: '核对校验码无误' }) },
    { method: 'POST', url: (random) => `/api/exchange/nodes/registrations/${someId(random, nodes.decidable)}/reject`, as: () => w.platformAdmin, valid: () => ({ version: 1, note: 'unknown node' }) },
    {
      method: 'POST',
      url: () => '/api/exchange/clients',
      as: () => w.adminA,
      valid: (random) => pick(random, [{ subsystem: nodes.subsystem, kind: 'token', label: 'fuzz' }, { subsystem: nodes.subsystem, kind: 'certificate', value: nodes.certificatePem }, { subsystem: nodes.subsystem, kind: 'address', value: '2001:db8::/32' }]),
      accepted: (json) => nodes.credentials.push(json.credential.id),
    },
    { method: 'DELETE', url: (random) => `/api/exchange/clients/${someId(random, nodes.credentials)}`, as: () => w.adminA, valid: () => ({}) },
    { method: 'POST', url: () => '/api/exchange/crossing-rules', as: () => w.platformAdmin, valid: () => ({ fromZone: 'internal', toZone: 'external', servicePattern: `${w.deptB.identifier}/*`, classifications: ['public', 'internal'] }), accepted: (json) => nodes.rules.push(json.id) },
    { method: 'DELETE', url: (random) => `/api/exchange/crossing-rules/${someId(random, nodes.rules)}`, as: () => w.platformAdmin, valid: () => ({}) },
    { method: 'PUT', url: () => '/api/calendar/days/2026-07-01', as: () => w.platformAdmin, valid: () => ({ kind: 'holiday', nameZh: '防汛假', nameEn: 'Flood leave' }) },
    { method: 'PUT', url: () => '/api/calendar/years/2027', as: () => w.platformAdmin, valid: () => ({ sourceZh: '国务院办公厅通知', sourceEn: 'State Council notice' }) },
    { method: 'PUT', url: () => '/api/catalog/settings', as: () => w.platformAdmin, valid: () => ({ reviewerOrgId: w.deptB.id, answerWorkingDays: 10 }) },
    { method: 'POST', url: () => '/api/catalog/entries', as: () => w.officerA, valid: () => ({ metadata: catalogEntry(), similarSeen: catalog.entries.slice(0, 2), similarAcknowledged: true, similarNote: '已核对，并非重复' }), accepted: (json) => catalog.entries.push(json.id) },
    { method: 'POST', url: () => '/api/catalog/entries/similar', as: () => w.officerA, valid: () => ({ nameZh: '模糊测试资源', nameEn: 'Fuzz resource', dataItems: [{ name: '名称', nameEn: 'Name', field: 'name' }], limit: 5 }) },
    { method: 'PUT', url: (random) => `/api/catalog/entries/${someId(random, catalog.entries)}`, as: () => w.officerA, valid: () => ({ version: 1, metadata: catalogEntry() }) },
    { method: 'POST', url: (random) => `/api/catalog/entries/${someId(random, catalog.entries)}/submit`, as: () => w.officerA, valid: () => ({ version: 1, comment: '请审核' }) },
    { method: 'PUT', url: () => '/api/messages/preferences', as: () => w.officerA, valid: () => ({ language: 'en', categories: [{ category: 'notice', email: true, sms: false }] }) },
    { method: 'POST', url: () => '/api/messages/notices', as: () => w.platformAdmin, valid: () => ({ to: `staff:${w.officerA.id}`, title: '系统维护', text: '周六 22:00 系统维护。' }), accepted: (json) => messages.push(json.id) },
    { method: 'POST', url: (random) => `/api/messages/${someId(random, messages)}/read`, as: () => w.officerA, valid: () => ({}) },
    { method: 'POST', url: () => '/api/messages/read-all', as: () => w.officerA, valid: () => ({}) },
    // Citizens (public): no registry is published here, so a valid registration is refused as unverifiable.
    { method: 'POST', url: () => '/api/citizen/register', as: () => 'public', valid: () => ({ idNumber: '11010519491231002X', name: '张三', phone: '13800138000', email: 'zhang@example.cn', password: 'Fuzz#pass2026' }) },
    { method: 'POST', url: () => '/api/citizen/session', as: () => 'public', valid: () => ({ login: '13800138000', password: 'Fuzz#pass2026', totp: '123456' }) },
    { method: 'POST', url: () => '/api/citizen/password-reset', as: () => 'public', valid: () => ({ login: '11010519491231002X' }) },
    { method: 'POST', url: () => '/api/citizen/password-reset/confirm', as: () => 'public', valid: () => ({ login: 'zhang@example.cn', code: '123456', newPassword: 'Fuzz#pass2027' }) },
    { method: 'POST', url: () => '/api/session', as: () => w.officerA, valid: () => ({ username: 'nobody', password: 'x' }), sideEffectsOnReject: true },
    { method: 'POST', url: () => '/api/session/password', as: () => w.officerA, valid: () => ({ currentPassword: 'Wrong#pass1', newPassword: 'x' }), sideEffectsOnReject: true },
    // Staff two-step sign-in: setting up, confirming (a wrong code counts towards the lockout), removing, the security admin's reset.
    { method: 'POST', url: () => '/api/session/totp', as: () => w.officerA, valid: () => ({}) },
    { method: 'POST', url: () => '/api/session/totp/confirm', as: () => w.officerA, valid: () => ({ code: '123456' }), sideEffectsOnReject: true },
    { method: 'POST', url: () => '/api/session/totp/remove', as: () => w.officerA, valid: () => ({ code: '123456' }), sideEffectsOnReject: true },
    { method: 'DELETE', url: (random) => `/api/users/${someId(random, [w.officerA.id])}/totp`, as: () => w.securityAdmin, valid: () => ({}) },
    // The service catalog: drafts by the organization's administrator, publish and withdraw by version.
    { method: 'POST', url: () => '/api/services', as: () => w.adminA, valid: () => buildServiceBody(w.deptA.id), accepted: (json) => services.push(json.code) },
    { method: 'PUT', url: (random) => `/api/services/${encodeURIComponent(services.length && random() < 0.8 ? services[services.length - 1]! : 'NO-SUCH-SERVICE')}`, as: () => w.adminA, valid: () => { const { code: _c, orgId: _o, ...content } = buildServiceBody(w.deptA.id); return { ...content, version: 1 }; } },
    { method: 'POST', url: (random) => `/api/services/${encodeURIComponent(services.length && random() < 0.8 ? services[services.length - 1]! : 'NO-SUCH-SERVICE')}/publish`, as: () => w.adminA, valid: () => ({ version: 1 }) },
    { method: 'POST', url: (random) => `/api/services/${encodeURIComponent(services.length && random() < 0.8 ? services[0]! : 'NO-SUCH-SERVICE')}/withdraw`, as: () => w.adminA, valid: () => ({ version: 2 }) },
    // A service's e-form: written while the service is a draft, by the version read (0: the first).
    { method: 'PUT', url: (random) => `/api/services/${encodeURIComponent(services.length && random() < 0.8 ? services[services.length - 1]! : 'NO-SUCH-SERVICE')}/form`, as: () => w.adminA, valid: (random) => ({ version: random() < 0.5 ? 0 : 1, ...buildForm() }) },
    // GovStack Registration's writes: the applicant's need a citizen session (none here: 401), the officer's a task of theirs.
    { method: 'POST', url: (random) => `/govstack/registration/services/${someId(random, [w.deptA.id])}/applications`, as: () => 'public', valid: () => ({ applicantId: 'citizen:00000000-0000-4000-8000-000000000000', formData: { eFormId: '00000000-0000-4000-8000-000000000000', data: { name: { value: '张三' } } }, documentUrls: [] }) },
    { method: 'PUT', url: (random) => `/govstack/registration/applications/${someId(random, [w.deptA.id])}`, as: () => 'public', valid: () => ({ applicantId: '00000000-0000-4000-8000-000000000000', documentUrls: [] }) },
    { method: 'POST', url: () => '/govstack/registration/documents', as: () => 'public', valid: () => ({ file: ['JVBERi0xLjcK'], materialKey: 'floorPlan' }) },
    { method: 'POST', url: (random) => `/govstack/registration/tasks/${someId(random, [w.deptA.id])}/complete`, as: () => w.officerA, valid: () => ({ data: { decision: { value: 'accept' }, version: 1 } }) },
    // The portal's forms (sent here as JSON bodies; each field is read as text or not at all).
    { method: 'POST', url: () => '/register', as: () => 'public', valid: () => ({ idNumber: '11010519491231002X', name: '张三', phone: '13800138001', password: 'Fuzz#pass2026', lang: 'en' }), sideEffectsOnReject: true },
    { method: 'POST', url: () => '/password-reset', as: () => 'public', valid: () => ({ login: '13800138001' }), sideEffectsOnReject: true },
    { method: 'POST', url: () => '/password-reset/confirm', as: () => 'public', valid: () => ({ login: '13800138001', code: '123456', newPassword: 'Fuzz#pass2027' }), sideEffectsOnReject: true },
  ];
}

function mutate(random: () => number, body: Record<string, unknown>): unknown {
  const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)];
  const keys = Object.keys(body);
  switch (Math.floor(random() * 7)) {
    case 0: // drop a field
      return Object.fromEntries(Object.entries(body).filter(([k]) => k !== pick(keys)));
    case 1: // a field gets a nasty value
      return { ...body, [pick(keys)]: pick(NASTY) };
    case 2: // an unknown field
      return { ...body, [pick(['admin', 'id', 'status', 'path', 'level', '__proto__', 'constructor'])]: pick(NASTY) };
    case 3: // several fields at once
      return Object.fromEntries(keys.map((k) => [k, random() < 0.5 ? pick(NASTY) : body[k]]));
    case 4: // not an object at all
      return pick(NASTY);
    case 5: // random JSON structure
      return Object.fromEntries(Array.from({ length: Math.floor(random() * 5) }, () => [pick(keys.concat(['x', 'y'])), pick(NASTY)]));
    default: // the valid body, possibly with mutated strings
      return Object.fromEntries(Object.entries(body).map(([k, v]) => [k, typeof v === 'string' && random() < 0.3 ? v.slice(0, Math.floor(random() * v.length)) + pick(['', 'Z', '\u202e', '0']) : v]));
  }
}

/** A request with no session, as a node that has not joined yet sends it. */
async function inject(method: string, url: string, body: unknown, remoteAddress: string) {
  const res = await t.http.inject({ method: method as 'POST', url, remoteAddress, ...(body !== undefined ? { payload: body as object } : {}) });
  let json: any;
  try {
    json = res.json();
  } catch {
    json = undefined;
  }
  return { statusCode: res.statusCode, body: res.body, json };
}

/** A digest of the business tables; sessions and the audit log change on purpose (sign-ins). */
async function fingerprint(): Promise<string> {
  const row = await sql<{ d: string }>`
    select md5(
      coalesce((select string_agg(o::text, '|' order by id) from directory.organizations o), '') ||
      coalesce((select string_agg(s::text, '|' order by id) from directory.subsystems s), '') ||
      coalesce((select string_agg(concat_ws(',', id, username, display_name, org_id, roles::text, password_hash, active, version), '|' order by id) from identity.users), '') ||
      coalesce((select string_agg(k::text, '|' order by id) from identity.api_tokens k), '') ||
      coalesce((select string_agg(r::text, '|' order by id) from trust.certificate_requests r), '') ||
      coalesce((select string_agg(c::text, '|' order by serial) from trust.certificates c), '') ||
      coalesce((select string_agg(id::text, '|' order by id) from trust.keys), '') ||
      coalesce((select number::text from trust.crl_state), '') ||
      coalesce((select string_agg(x::text, '|' order by id) from exchange.services x), '') ||
      coalesce((select string_agg(r::text, '|' order by id) from exchange.access_rights r), '') ||
      coalesce((select string_agg(g::text, '|' order by id) from exchange.groups g), '') ||
      coalesce((select string_agg(m::text, '|' order by group_id, client) from exchange.group_members m), '') ||
      coalesce((select string_agg(r::text, '|' order by id) from exchange.node_registrations r), '') ||
      coalesce((select string_agg(n::text, '|' order by name) from exchange.nodes n), '') ||
      coalesce((select string_agg(c::text, '|' order by id) from exchange.client_credentials c), '') ||
      coalesce((select string_agg(c::text, '|' order by id) from exchange.crossing_rules c), '') ||
      coalesce((select string_agg(y::text, '|' order by year) from calendar.years y), '') ||
      coalesce((select string_agg(d::text, '|' order by day) from calendar.days d), '') ||
      coalesce((select string_agg(c::text, '|' order by id) from catalog.settings c), '') ||
      coalesce((select string_agg(e::text, '|' order by id) from catalog.entries e), '') ||
      coalesce((select string_agg(r::text, '|' order by id) from catalog.reviews r), '') ||
      coalesce((select string_agg(q::text, '|' order by classification) from catalog.sequences q), '') ||
      coalesce((select string_agg(n::text, '|' order by org_id) from catalog.department_numbers n), '') ||
      coalesce((select string_agg(k::text, '|' order by id) from catalog.similar_checks k), '') ||
      coalesce((select string_agg(r::text, '|' order by sub) from messaging.recipients r), '') ||
      coalesce((select string_agg(p::text, '|' order by sub, category) from messaging.preferences p), '') ||
      coalesce((select string_agg(m::text, '|' order by id) from messaging.messages m), '') ||
      coalesce((select string_agg(d::text, '|' order by id) from messaging.deliveries d), '') ||
      coalesce((select string_agg(c::text, '|' order by id) from identity.citizens c), '') ||
      coalesce((select string_agg(c::text, '|' order by id) from identity.citizen_codes c), '') ||
      coalesce((select string_agg(e::text, '|' order by id) from identity.enterprises e), '') ||
      coalesce((select string_agg(a::text, '|' order by id) from identity.enterprise_agents a), '') ||
      coalesce((select string_agg(x::text, '|' order by id) from services.services x), '') ||
      coalesce((select string_agg(f::text, '|' order by id) from services.forms f), '') ||
      coalesce((select string_agg(concat_ws(',', id, citizen_id, material_key, sha256), '|' order by id) from services.documents d), '')
    ) as d`.execute(t.services.database.db);
  return row.rows[0].d;
}

test(`${REQUESTS} random and mutated bodies to the write endpoints: no 5xx, nothing written by a rejection`, { timeout: 600_000 }, async (context) => {
  const random = rng(SEED);
  const list = endpoints();
  const statuses = new Map<number, number>();
  const byEndpoint = new Map<string, Map<number, number>>();
  let before = await fingerprint();
  for (let i = 0; i < REQUESTS; i++) {
    const endpoint = list[i % list.length];
    const url = endpoint.url(random);
    const as = endpoint.as();
    const raw = random() < 0.05;
    // Some bodies go unmutated, so what an accepted request leaves behind (a registration to
    // approve, a credential to revoke) is fuzzed too.
    const intact = !raw && (endpoint.presigned === true || random() < 0.1);
    const body = raw ? '{"unterminated": ' : intact ? endpoint.valid(random) : mutate(random, endpoint.valid(random));
    const remoteAddress = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
    const res = raw
      ? await t.http.inject({ method: endpoint.method as 'POST', url, headers: { 'content-type': 'application/json' }, payload: body as string, remoteAddress })
      : as === 'public'
        ? await inject(endpoint.method, url, body, remoteAddress)
        : await t.request(endpoint.method, url, { as, body });
    statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
    const key = `${endpoint.method} ${endpoint.url(() => 0)}`;
    const counts = byEndpoint.get(key) ?? new Map<number, number>();
    byEndpoint.set(key, counts.set(res.statusCode, (counts.get(res.statusCode) ?? 0) + 1));
    assert.ok(res.statusCode < 500, `request ${i} (seed ${SEED}) ${endpoint.method} ${url} ${JSON.stringify(body).slice(0, 300)} → ${res.statusCode} ${res.body.slice(0, 300)}`);
    if (res.statusCode < 300 && res.json) endpoint.accepted?.(res.json);
    const after = await fingerprint();
    if (res.statusCode >= 400 && !endpoint.sideEffectsOnReject) {
      assert.equal(after, before, `request ${i} was rejected with ${res.statusCode} but changed data: ${JSON.stringify(body).slice(0, 300)}`);
    }
    before = after;
    // A password reset or sign-in may have ended a session the helper cached.
    if (res.statusCode === 401 || i % 50 === 0) t.forgetSessions();
  }
  for (const [key, counts] of byEndpoint) context.diagnostic(`${key}: ${JSON.stringify(Object.fromEntries(counts))}`);
  const rejected = [...statuses].filter(([s]) => s >= 400).reduce((n, [, c]) => n + c, 0);
  assert.ok(rejected > REQUESTS / 2, `most fuzzed bodies should be rejected; statuses: ${JSON.stringify([...statuses])}`);
});
