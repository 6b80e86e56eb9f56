// The central node's node and client-credential endpoints through HTTP: registrations a new
// node sends (signed with its keys) and the platform admin's decision on them, client
// credentials managed by the subsystem's organization, the crossing policy between zones,
// and a service's data classification. Who may do what, and what bad input is told.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { after, before, test } from 'node:test';
import { localOperator } from '../../platform/actor.ts';
import { buildOrganization } from '../../test-support/factories.ts';
import { createTestApp, type TestApp } from '../../test-support/test-app.ts';
import { createSuites, type KeyPair, type Suite, type SuiteName } from '../trust/index.ts';
import { issueCertificate, newSerialNumber, toPem } from '../trust/x509.ts';
import { checkCode, REGISTRATION_FORMAT, signRegistration, type RegistrationBody } from './registration.ts';

let t: TestApp;
let suites: Record<SuiteName, Suite>;
let hukou: { id: string; identifier: string };
before(async () => {
  t = await createTestApp();
  suites = createSuites({ sm2UserId: t.config.sm2UserId });
  hukou = await t.services.directory.service.createSubsystem(localOperator('test'), t.world.deptA.id, { code: 'hukou', nameZh: '户籍系统', nameEn: 'Household registration' });
});
after(() => t.close());

const REGISTRATIONS = '/exchange/v1/nodes/registrations';
const registrationsOf = (id: string) => `/api/exchange/nodes/registrations/${id}`;

/**
 * A registration as a joining node sends it: its keys made here, each signing the request.
 * `keys` swaps in other keys (of the wrong kind, say); `edit` changes the body before it is
 * signed, `after` once signed.
 */
function buildRegistration(
  overrides: Partial<RegistrationBody> = {},
  options: { keys?: { auth?: KeyPair; member?: KeyPair }; edit?: (body: RegistrationBody) => RegistrationBody; after?: (signed: Record<string, any>) => Record<string, any> } = {},
) {
  const name = overrides.name ?? `node-${crypto.randomBytes(3).toString('hex')}`;
  const members = overrides.members ?? [t.world.deptA.identifier];
  const auth = options.keys?.auth ?? suites['ecdsa-p256-sha256'].generateKeyPair();
  const memberKeys = new Map(members.map((m) => [m, options.keys?.member ?? suites[t.config.trustSuite].generateKeyPair()] as const));
  const built: RegistrationBody = {
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
  const body = options.edit ? options.edit(built) : built;
  const signed = signRegistration(body, { auth, members: memberKeys }, suites) as unknown as Record<string, any>;
  return { body, signed: options.after ? options.after(signed) : signed };
}

let sender = 0;
/** No session: the node has none yet. Each call from its own address, as registrations are rate-limited per address. */
async function submit(payload: unknown) {
  const res = await t.http.inject({ method: 'POST', url: REGISTRATIONS, payload: payload as object, remoteAddress: `198.51.100.${++sender}` });
  return { statusCode: res.statusCode, body: res.body, json: res.json() };
}

const registrationRows = async () => (await t.services.database.db.selectFrom('exchange.node_registrations').select('id').execute()).length;

async function pending() {
  const res = await t.request('GET', '/api/exchange/nodes/registrations?status=pending', { as: t.world.platformAdmin });
  assert.equal(res.statusCode, 200, res.body);
  return res.json as { id: string; name: string; checkCode: string; status: string; version: number; submittedFrom: string; decisionNote: string | null }[];
}

test('a registration signed with the keys it names is accepted, with its check code, and waits for the operator', async () => {
  const { body, signed } = buildRegistration({ name: 'dept-a-node' });
  const res = await submit(signed);
  assert.equal(res.statusCode, 201, res.body);
  assert.equal(res.json.checkCode, checkCode(body), 'the check code the node shows its operator');
  assert.equal(res.json.status, 'pending');
  assert.equal(res.json.certificates, null);

  const listed = (await pending()).find((r) => r.id === res.json.id);
  assert.ok(listed, 'listed as pending for the platform admin');
  assert.deepEqual([listed.name, listed.checkCode, listed.version, listed.submittedFrom], ['dept-a-node', checkCode(body), 1, `198.51.100.${sender}`]);
  const polled = await t.request('GET', `${REGISTRATIONS}/${res.json.id}`);
  assert.deepEqual([polled.statusCode, polled.json.status], [200, 'pending'], 'the node polls without a session');
  const events = await t.services.database.db.selectFrom('audit.events').select('action').where('subject_id', '=', res.json.id).execute();
  assert.deepEqual(events.map((e) => e.action), ['exchange.node.register']);

  assert.equal((await t.request('GET', '/api/exchange/nodes/registrations')).statusCode, 401);
  assert.equal((await t.request('GET', '/api/exchange/nodes/registrations', { as: t.world.adminA })).statusCode, 403);
});

test('a second registration from the same node name supersedes the first', async () => {
  const first = await submit(buildRegistration({ name: 'dept-a-again' }).signed);
  assert.equal(first.statusCode, 201, first.body);
  const second = await submit(buildRegistration({ name: 'dept-a-again' }).signed);
  assert.equal(second.statusCode, 201, second.body);
  assert.notEqual(second.json.checkCode, first.json.checkCode, 'new keys, new check code');

  assert.deepEqual((await pending()).filter((r) => r.name === 'dept-a-again').map((r) => r.id), [second.json.id]);
  const old = await t.request('GET', `${REGISTRATIONS}/${first.json.id}`);
  assert.deepEqual([old.json.status, old.json.note], ['rejected', 'superseded by a newer registration']);
  const late = await t.request('POST', `${registrationsOf(first.json.id)}/approve`, { as: t.world.platformAdmin, body: { version: 1 } });
  assert.deepEqual([late.statusCode, late.json.code], [409, 'already_decided'], 'the replaced request can no longer be approved');
});

test('wrong signatures, another instance, unknown members, bad keys and bad addresses are refused naming the field, and nothing is written', async () => {
  const before = await registrationRows();
  const member = t.world.deptA.identifier;
  const otherSuite: SuiteName = t.config.trustSuite === 'sm2-sm3' ? 'ecdsa-p256-sha256' : 'sm2-sm3';
  const cases: [string, Record<string, unknown>, string, string][] = [
    ['altered after signing', buildRegistration({}, { after: (s) => ({ ...s, url: 'https://elsewhere.example.gov.cn:5500' }) }).signed, 'authKey', 'registration'],
    ['another instance', buildRegistration({ instance: 'OTHER-INSTANCE' }).signed, 'instance', 'registration'],
    ['an unknown member', buildRegistration({ members: [`${t.config.instance}/GOV/NOSUCHMEMBER0001`] }).signed, 'members', 'not_found'],
    ['an authentication key that is no key', buildRegistration({}, { after: (s) => ({ ...s, authKey: Buffer.from('not a key').toString('base64') }) }).signed, 'authKey', 'registration'],
    ['an SM2 authentication key (TLS needs ECDSA P-256)', buildRegistration({}, { keys: { auth: suites['sm2-sm3'].generateKeyPair() } }).signed, 'authKey', 'registration'],
    [`a member key of ${otherSuite}`, buildRegistration({}, { keys: { member: suites[otherSuite].generateKeyPair() } }).signed, `memberKeys.${member}`, 'registration'],
    ["no member's signature", buildRegistration({}, { after: (s) => ({ ...s, signatures: { auth: s.signatures.auth, members: [] } }) }).signed, `memberKeys.${member}`, 'registration'],
    ['two keys for one member', buildRegistration({}, { edit: (b) => ({ ...b, memberKeys: [b.memberKeys[0], b.memberKeys[0]] }) }).signed, 'memberKeys', 'registration'],
    ['a key for another member than named', buildRegistration({}, { edit: (b) => ({ ...b, memberKeys: [{ ...b.memberKeys[0], member: t.world.deptB.identifier }] }) }).signed, 'memberKeys', 'registration'],
    ['no member keys at all', buildRegistration({}, { edit: (b) => ({ ...b, memberKeys: [] }) }).signed, 'memberKeys', 'minItems'],
    ['the central node\'s name', buildRegistration({ name: 'central' }).signed, 'name', 'taken'],
    // Signed correctly but unusable: approving it used to fail with a 500 (the fuzz test found it).
    ['an address that does not parse', buildRegistration({ url: 'https://exa mple.gov.cn:5500' }).signed, 'url', 'registration'],
    ['a port out of range', buildRegistration({ url: 'https://node.example.gov.cn:99999' }).signed, 'url', 'registration'],
    ['plain http', buildRegistration({ url: 'http://node.example.gov.cn:5500' }).signed, 'url', 'pattern'],
    ['a name with capitals', buildRegistration({ name: 'Dept_A' }).signed, 'name', 'pattern'],
    ['an unknown zone', buildRegistration({ zone: 'dmz' as 'public' }).signed, 'zone', 'enum'],
  ];
  for (const [what, payload, field, code] of cases) {
    const res = await submit(payload);
    assert.equal(res.statusCode, 400, `${what}: ${res.body}`);
    assert.deepEqual([res.json.errors[0].field, res.json.errors[0].code], [field, code], what);
  }
  assert.equal(await registrationRows(), before, 'no refused registration was stored');
});

test('approve and reject: the platform admin only, on the current version; a rejection needs its reason', async () => {
  const res = await submit(buildRegistration({ name: 'to-decide', members: [t.world.province.identifier] }).signed);
  assert.equal(res.statusCode, 201, res.body);
  const approve = `${registrationsOf(res.json.id)}/approve`;
  const reject = `${registrationsOf(res.json.id)}/reject`;
  for (const url of [approve, reject]) {
    const body = { version: 1, note: 'checked' };
    assert.equal((await t.request('POST', url, { body })).statusCode, 401, url);
    for (const as of [t.world.adminA, t.world.securityAdmin, t.world.auditor]) {
      const refused = await t.request('POST', url, { as, body });
      assert.deepEqual([refused.statusCode, refused.json.code], [403, 'forbidden'], `${url} as ${as.username}`);
    }
  }
  const stale = await t.request('POST', approve, { as: t.world.platformAdmin, body: { version: 2 } });
  assert.deepEqual([stale.statusCode, stale.json.code], [409, 'stale_version']);
  const staleReject = await t.request('POST', reject, { as: t.world.platformAdmin, body: { version: 2, note: 'no' } });
  assert.deepEqual([staleReject.statusCode, staleReject.json.code], [409, 'stale_version']);
  for (const body of [{ version: 1 }, { version: 1, note: '' }]) {
    const noReason = await t.request('POST', reject, { as: t.world.platformAdmin, body });
    assert.equal(noReason.statusCode, 400, JSON.stringify(body));
    assert.equal(noReason.json.errors[0].field, 'note');
  }
  const badVersion = await t.request('POST', approve, { as: t.world.platformAdmin, body: { version: 'one' } });
  assert.deepEqual([badVersion.statusCode, badVersion.json.errors[0].field], [400, 'version']);
  assert.equal((await t.request('POST', `${registrationsOf(crypto.randomUUID())}/approve`, { as: t.world.platformAdmin, body: { version: 1 } })).statusCode, 404);
  assert.deepEqual((await pending()).find((r) => r.id === res.json.id)?.version, 1, 'still pending, untouched');

  const rejected = await t.request('POST', reject, { as: t.world.platformAdmin, body: { version: 1, note: 'not one of ours' } });
  assert.equal(rejected.statusCode, 200, rejected.body);
  assert.deepEqual([rejected.json.status, rejected.json.decisionNote, rejected.json.version], ['rejected', 'not one of ours', 2]);
  const polled = await t.request('GET', `${REGISTRATIONS}/${res.json.id}`);
  assert.deepEqual([polled.json.status, polled.json.note, polled.json.certificates], ['rejected', 'not one of ours', null]);
  assert.equal((await t.request('POST', approve, { as: t.world.platformAdmin, body: { version: 2 } })).json.code, 'already_decided');
});

test('an approved node hosts its members: another node naming one of them gets 409', async () => {
  const res = await submit(buildRegistration({ name: 'dept-b-node', members: [t.world.deptB.identifier] }).signed);
  assert.equal(res.statusCode, 201, res.body);
  const approved = await t.request('POST', `${registrationsOf(res.json.id)}/approve`, { as: t.world.platformAdmin, body: { version: 1, note: 'check code confirmed by phone' } });
  assert.equal(approved.statusCode, 200, approved.body);
  assert.deepEqual([approved.json.status, approved.json.version], ['approved', 2]);
  const polled = await t.request('GET', `${REGISTRATIONS}/${res.json.id}`);
  assert.equal(polled.json.certificates.members[0].member, t.world.deptB.identifier, 'the node gets its certificates');
  const listed = await t.request('GET', '/api/exchange/nodes', { as: t.world.auditor });
  assert.deepEqual(listed.json.find((n: { name: string }) => n.name === 'dept-b-node')?.members, [t.world.deptB.identifier]);
  assert.equal((await t.request('GET', '/api/exchange/nodes')).statusCode, 401);
  assert.equal((await t.request('GET', '/api/exchange/nodes', { as: t.world.adminB })).statusCode, 403);

  const before = await registrationRows();
  const other = await submit(buildRegistration({ name: 'dept-b-other', members: [t.world.deptB.identifier] }).signed);
  assert.equal(other.statusCode, 409, other.body);
  assert.equal(other.json.code, 'member_hosted');
  assert.match(other.json.detail, /hosted by node dept-b-node/);
  assert.equal(await registrationRows(), before);
  const again = await submit(buildRegistration({ name: 'dept-b-node', members: [t.world.deptB.identifier] }).signed);
  assert.equal(again.statusCode, 201, 'the hosting node itself may register again (new keys)');
});

test('two pending registrations naming one member: the first approved hosts it, the second is refused with 409', async () => {
  const member = await buildOrganization(t.services, { parentId: t.world.province.id, nameZh: '浙江省自然资源厅', nameEn: 'Zhejiang Natural Resources Department' });
  const first = await submit(buildRegistration({ name: 'nr-node-1', members: [member.identifier] }).signed);
  const second = await submit(buildRegistration({ name: 'nr-node-2', members: [member.identifier] }).signed);
  assert.deepEqual([first.statusCode, second.statusCode], [201, 201], 'neither is hosted yet');
  assert.equal((await t.request('POST', `${registrationsOf(first.json.id)}/approve`, { as: t.world.platformAdmin, body: { version: 1 } })).statusCode, 200);
  const refused = await t.request('POST', `${registrationsOf(second.json.id)}/approve`, { as: t.world.platformAdmin, body: { version: 1 } });
  assert.deepEqual([refused.statusCode, refused.json.code], [409, 'member_hosted'], refused.body);
  assert.match(refused.json.detail, /hosted by node nr-node-1/);
  const polled = await t.request('GET', `${REGISTRATIONS}/${second.json.id}`);
  assert.equal(polled.json.status, 'pending', 'the refused approval changed nothing');
  const nodes = await t.request('GET', '/api/exchange/nodes', { as: t.world.platformAdmin });
  assert.equal(nodes.json.some((n: { name: string }) => n.name === 'nr-node-2'), false);
});

const CLIENTS = '/api/exchange/clients';
const credentialRows = async () => (await t.services.database.db.selectFrom('exchange.client_credentials').select('id').execute()).length;

function clientCertificatePem(): { pem: string; fingerprint: string } {
  const suite = suites['ecdsa-p256-sha256'];
  const key = suite.generateKeyPair();
  const name = { commonName: 'hukou client system' };
  const der = issueCertificate({ profile: 'tls', serialNumber: newSerialNumber(), subject: name, subjectPublicKeySpki: key.publicKeySpki, notBefore: new Date(Date.now() - 60_000), notAfter: new Date(Date.now() + 86_400_000), issuer: { name, key, suite } });
  return { pem: toPem(der), fingerprint: crypto.createHash('sha256').update(der).digest('hex') };
}

test("client credentials of each kind: created, listed and revoked by the subsystem's organization", async () => {
  const subsystem = hukou.identifier;
  const { pem, fingerprint } = clientCertificatePem();
  const token = await t.request('POST', CLIENTS, { as: t.world.adminA, body: { subsystem, kind: 'token', label: 'batch job' } });
  assert.equal(token.statusCode, 201, token.body);
  assert.match(token.json.token, /^egx_/, 'the token is shown once, here');
  assert.ok(!token.json.credential.value.includes(token.json.token), 'and never kept or shown again');
  const certificate = await t.request('POST', CLIENTS, { as: t.world.adminA, body: { subsystem, kind: 'certificate', value: pem } });
  assert.equal(certificate.statusCode, 201, certificate.body);
  assert.equal(certificate.json.credential.value, fingerprint);
  assert.equal(certificate.json.token, undefined);
  const address = await t.request('POST', CLIENTS, { as: t.world.adminA, body: { subsystem, kind: 'address', value: '10.1.2.0/24' } });
  assert.equal(address.statusCode, 201, address.body);
  assert.equal(address.json.credential.value, '10.1.2.0/24');
  const single = await t.request('POST', CLIENTS, { as: t.world.platformAdmin, body: { subsystem, kind: 'address', value: '2001:db8::7' } });
  assert.equal(single.statusCode, 201, 'the platform admin may too');
  assert.equal(single.json.credential.value, '2001:db8::7/128');
  const duplicate = await t.request('POST', CLIENTS, { as: t.world.adminA, body: { subsystem, kind: 'address', value: '10.1.2.0/24' } });
  assert.deepEqual([duplicate.statusCode, duplicate.json.code], [409, 'credential_exists']);

  const ids = [token, certificate, address, single].map((r) => r.json.credential.id as string);
  const listed = await t.request('GET', CLIENTS, { as: t.world.adminA });
  assert.deepEqual(listed.json.map((c: { id: string }) => c.id).sort(), [...ids].sort());
  assert.deepEqual((await t.request('GET', CLIENTS, { as: t.world.adminB })).json, [], "B does not see A's credentials");
  assert.equal((await t.request('GET', CLIENTS)).statusCode, 401);

  const revoke = `${CLIENTS}/${address.json.credential.id}`;
  assert.equal((await t.request('DELETE', revoke)).statusCode, 401);
  assert.equal((await t.request('DELETE', revoke, { as: t.world.adminB })).statusCode, 403);
  assert.equal((await t.request('DELETE', revoke, { as: t.world.officerA })).statusCode, 403);
  assert.equal((await t.request('DELETE', revoke, { as: t.world.adminA })).statusCode, 204);
  assert.equal((await t.request('DELETE', revoke, { as: t.world.platformAdmin })).statusCode, 404, 'already revoked');
  assert.equal((await t.request('DELETE', `${RULES}/${crypto.randomUUID()}`, { as: t.world.adminA })).statusCode, 403, 'a wrong role is refused before the rule is looked up');
  assert.equal((await t.request('DELETE', `${CLIENTS}/not-a-uuid`, { as: t.world.adminA })).statusCode, 400);
  const row = await t.services.database.db.selectFrom('exchange.client_credentials').select('revoked_at').where('id', '=', address.json.credential.id).executeTakeFirstOrThrow();
  assert.ok(row.revoked_at, 'kept, marked revoked');
  assert.ok(!(await t.request('GET', CLIENTS, { as: t.world.adminA })).json.some((c: { id: string }) => c.id === address.json.credential.id));
  const events = await t.services.database.db.selectFrom('audit.events').select('action').where('subject_id', '=', address.json.credential.id).orderBy('seq').execute();
  assert.deepEqual(events.map((e) => e.action), ['exchange.client_credential.add', 'exchange.client_credential.revoke']);
});

test("only the subsystem's organization admin adds its credentials; bad values are refused naming the field, and nothing is written", async () => {
  const subsystem = hukou.identifier;
  const body = { subsystem, kind: 'address', value: '10.7.0.0/16' };
  assert.equal((await t.request('POST', CLIENTS, { body })).statusCode, 401);
  assert.equal((await t.request('POST', CLIENTS, { as: t.world.adminB, body })).statusCode, 403, "another organization's admin");
  assert.equal((await t.request('POST', CLIENTS, { as: t.world.officerA, body })).statusCode, 403, 'an officer of the organization');
  const before = await credentialRows();
  const cases: [string, Record<string, unknown>, string, string][] = [
    ['a prefix too long', { subsystem, kind: 'address', value: '10.1.2.0/33' }, 'value', 'address'],
    ['an octet too big', { subsystem, kind: 'address', value: '10.1.2.300' }, 'value', 'address'],
    ['a host name', { subsystem, kind: 'address', value: 'client.example.gov.cn' }, 'value', 'address'],
    // Read as /0 this would let every address in.
    ['a slash with no prefix', { subsystem, kind: 'address', value: '10.1.2.0/' }, 'value', 'address'],
    ['a prefix in hexadecimal', { subsystem, kind: 'address', value: '10.1.2.0/0x18' }, 'value', 'address'],
    ['two prefixes', { subsystem, kind: 'address', value: '10.1.2.0/24/8' }, 'value', 'address'],
    ['no address', { subsystem, kind: 'address' }, 'value', 'address'],
    ['text for a certificate', { subsystem, kind: 'certificate', value: 'not a certificate' }, 'value', 'certificate'],
    ['a PEM with garbage inside', { subsystem, kind: 'certificate', value: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----' }, 'value', 'certificate'],
    ['no certificate', { subsystem, kind: 'certificate' }, 'value', 'certificate'],
    ['a member, not a subsystem', { subsystem: t.world.deptA.identifier, kind: 'token' }, 'subsystem', 'subsystem_required'],
    ['a malformed identifier', { subsystem: 'EGOV-DEMO/GOV', kind: 'token' }, 'subsystem', 'identifier'],
    ['an unknown kind', { subsystem, kind: 'password', value: 'x' }, 'kind', 'enum'],
    ['an unknown field', { subsystem, kind: 'token', admin: true }, 'admin', 'additionalProperties'],
  ];
  for (const [what, input, field, code] of cases) {
    const res = await t.request('POST', CLIENTS, { as: t.world.adminA, body: input });
    assert.equal(res.statusCode, 400, `${what}: ${res.body}`);
    assert.deepEqual([res.json.errors[0].field, res.json.errors[0].code], [field, code], what);
  }
  assert.equal(await credentialRows(), before);
});

const RULES = '/api/exchange/crossing-rules';
const ruleRows = async () => (await t.services.database.db.selectFrom('exchange.crossing_rules').select('id').execute()).length;

test('crossing rules: the platform admin allows calls across zones, by service and classification', async () => {
  const body = { fromZone: 'internal', toZone: 'external', servicePattern: `${t.world.deptB.identifier}/*`, classifications: ['public', 'internal', 'public'] };
  assert.equal((await t.request('POST', RULES, { body })).statusCode, 401);
  assert.equal((await t.request('POST', RULES, { as: t.world.adminA, body })).statusCode, 403);
  assert.equal((await t.request('POST', RULES, { as: t.world.securityAdmin, body })).statusCode, 403);
  const wrongRoleBadInput = await t.request('POST', RULES, { as: t.world.adminA, body: { ...body, toZone: 'internal' } });
  assert.equal(wrongRoleBadInput.statusCode, 403, 'the role is checked before the input, so a wrong role learns nothing');
  const before = await ruleRows();
  const refused: [string, Record<string, unknown>, string, string][] = [
    ['the same zone', { ...body, toZone: 'internal' }, 'toZone', 'same_zone'],
    ['no classification', { ...body, classifications: [] }, 'classifications', 'minItems'],
    ['classifications missing', { fromZone: 'internal', toZone: 'external', servicePattern: '*' }, 'classifications', 'required'],
    ['an unknown classification', { ...body, classifications: ['secret'] }, 'classifications.0', 'enum'],
    ['an unknown zone', { ...body, fromZone: 'dmz' }, 'fromZone', 'enum'],
    ['a pattern with a space', { ...body, servicePattern: 'EGOV-DEMO/GOV x' }, 'servicePattern', 'pattern'],
  ];
  for (const [what, input, field, code] of refused) {
    const res = await t.request('POST', RULES, { as: t.world.platformAdmin, body: input });
    assert.equal(res.statusCode, 400, `${what}: ${res.body}`);
    assert.deepEqual([res.json.errors[0].field, res.json.errors[0].code], [field, code], what);
  }
  assert.equal(await ruleRows(), before, 'nothing written by a refusal');

  const created = await t.request('POST', RULES, { as: t.world.platformAdmin, body });
  assert.equal(created.statusCode, 201, created.body);
  assert.deepEqual(created.json.classifications, ['public', 'internal']);
  const duplicate = await t.request('POST', RULES, { as: t.world.platformAdmin, body: { ...body, classifications: ['sensitive'] } });
  assert.deepEqual([duplicate.statusCode, duplicate.json.code], [409, 'rule_exists']);
  assert.equal(await ruleRows(), before + 1);
  const back = await t.request('POST', RULES, { as: t.world.platformAdmin, body: { ...body, fromZone: 'external', toZone: 'internal' } });
  assert.equal(back.statusCode, 201, 'the other direction is a rule of its own');

  assert.equal((await t.request('GET', RULES)).statusCode, 401);
  assert.equal((await t.request('GET', RULES, { as: t.world.officerA })).statusCode, 403);
  assert.equal((await t.request('GET', RULES, { as: t.world.auditor })).json.length, 2);

  const revoke = `${RULES}/${created.json.id}`;
  assert.equal((await t.request('DELETE', revoke)).statusCode, 401);
  assert.equal((await t.request('DELETE', revoke, { as: t.world.adminA })).statusCode, 403);
  assert.equal((await t.request('DELETE', revoke, { as: t.world.platformAdmin })).statusCode, 204);
  assert.equal((await t.request('DELETE', revoke, { as: t.world.platformAdmin })).statusCode, 404, 'already revoked');
  assert.equal((await t.request('DELETE', `${RULES}/${crypto.randomUUID()}`, { as: t.world.adminA })).statusCode, 403, 'a wrong role is refused before the rule is looked up');
  assert.equal((await t.request('DELETE', `${RULES}/not-a-uuid`, { as: t.world.platformAdmin })).statusCode, 400);
  assert.deepEqual((await t.request('GET', RULES, { as: t.world.platformAdmin })).json.map((r: { id: string }) => r.id), [back.json.id]);
});

test("a service's data classification: internal unless given, changed by its organization's admin only", async () => {
  const base = { subsystemId: hukou.id, backendUrl: 'http://127.0.0.1:9/x' };
  const plain = await t.request('POST', '/api/exchange/services', { as: t.world.adminA, body: { ...base, code: 'plain' } });
  assert.equal(plain.statusCode, 201, plain.body);
  assert.equal(plain.json.classification, 'internal');
  const personal = await t.request('POST', '/api/exchange/services', { as: t.world.adminA, body: { ...base, code: 'persons', classification: 'personal' } });
  assert.equal(personal.statusCode, 201, personal.body);
  assert.equal(personal.json.classification, 'personal');
  const bad = await t.request('POST', '/api/exchange/services', { as: t.world.adminA, body: { ...base, code: 'secret', classification: 'secret' } });
  assert.deepEqual([bad.statusCode, bad.json.errors[0].field], [400, 'classification']);
  assert.equal((await t.request('POST', '/api/exchange/services', { body: { ...base, code: 'anon', classification: 'public' } })).statusCode, 401);
  assert.equal((await t.request('POST', '/api/exchange/services', { as: t.world.adminB, body: { ...base, code: 'other', classification: 'public' } })).statusCode, 403);

  const url = `/api/exchange/services/${personal.json.id}`;
  const patch = { version: personal.json.version, classification: 'sensitive' };
  assert.equal((await t.request('PATCH', url, { body: patch })).statusCode, 401);
  assert.equal((await t.request('PATCH', url, { as: t.world.adminB, body: patch })).statusCode, 403);
  assert.equal((await t.request('PATCH', url, { as: t.world.officerA, body: patch })).statusCode, 403);
  const badPatch = await t.request('PATCH', url, { as: t.world.adminA, body: { ...patch, classification: 'top-secret' } });
  assert.deepEqual([badPatch.statusCode, badPatch.json.errors[0].field], [400, 'classification']);
  const updated = await t.request('PATCH', url, { as: t.world.adminA, body: patch });
  assert.equal(updated.statusCode, 200, updated.body);
  assert.deepEqual([updated.json.classification, updated.json.version], ['sensitive', personal.json.version + 1]);
});

test("rooms: an organization's admin makes one of its subsystems a pub/sub room (api, pub, pull), once", async () => {
  const directory = t.services.directory.service;
  const room = await directory.createSubsystem(localOperator('test'), t.world.deptA.id, { code: 'notices', nameZh: '通知室', nameEn: 'Notices' });
  const body = { subsystemId: room.id };
  const services = () => t.services.database.db.selectFrom('exchange.services').select(['code', 'backend_url', 'org_id']).where('subsystem_id', '=', room.id).orderBy('code').execute();
  assert.equal((await t.request('POST', '/api/exchange/rooms', { body })).statusCode, 401);
  assert.equal((await t.request('POST', '/api/exchange/rooms', { as: t.world.adminB, body })).statusCode, 403, "another organization's subsystem");
  assert.equal((await t.request('POST', '/api/exchange/rooms', { as: t.world.officerA, body })).statusCode, 403, 'an officer of the organization');
  assert.equal((await t.request('POST', '/api/exchange/rooms', { as: t.world.platformAdmin, body })).statusCode, 403, 'the platform admin does not run rooms for organizations');
  const unknown = await t.request('POST', '/api/exchange/rooms', { as: t.world.adminA, body: { subsystemId: crypto.randomUUID() } });
  assert.deepEqual([unknown.statusCode, unknown.json.errors[0].field, unknown.json.errors[0].code], [400, 'subsystemId', 'not_found']);
  const malformed = await t.request('POST', '/api/exchange/rooms', { as: t.world.adminA, body: { subsystemId: 'notices' } });
  assert.deepEqual([malformed.statusCode, malformed.json.errors[0].field], [400, 'subsystemId']);
  assert.deepEqual(await services(), [], 'nothing written by a refusal');

  const created = await t.request('POST', '/api/exchange/rooms', { as: t.world.adminA, body });
  assert.equal(created.statusCode, 201, created.body);
  assert.deepEqual(created.json.map((s: { identifier: string }) => s.identifier), ['api', 'pub', 'pull'].map((code) => `${room.identifier}/${code}`));
  assert.deepEqual(await services(), ['api', 'pub', 'pull'].map((code) => ({ code, backend_url: 'egov:pubsub', org_id: t.world.deptA.id })), 'answered by the node itself');
  const events = await t.services.database.db.selectFrom('audit.events').select('action').where('subject_id', '=', room.id).orderBy('seq').execute();
  assert.deepEqual(events.map((e) => e.action), ['directory.subsystem.create', 'exchange.room.enable']);

  const twice = await t.request('POST', '/api/exchange/rooms', { as: t.world.adminA, body });
  assert.deepEqual([twice.statusCode, twice.json.code], [409, 'service_code_taken']);
  assert.equal((await services()).length, 3, 'still the three services');
});
