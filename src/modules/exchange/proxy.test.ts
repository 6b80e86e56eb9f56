// The /r1 message path on one node, against a real backend HTTP server: authentication,
// access rights, X-Road headers and errors, limits, timeouts, and the hash-chained,
// batch-timestamped message log that records both sides of every call.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { localOperator } from '../../platform/actor.ts';
import { buildUser, newCreditCode } from '../../test-support/factories.ts';
import { createTestApp, type TestApp, type TestUser, enableTestTotp } from '../../test-support/test-app.ts';
import { readCertificate } from '../trust/index.ts';
import { verifyEvidence } from './evidence.ts';

let t: TestApp;
let backend: http.Server;
let backendUrl: string;
const seen: { method: string; url: string; headers: http.IncomingHttpHeaders; body: string }[] = [];
let provider: string; // A's subsystem "hukou"
let client: string; // B's subsystem "welfare"
const tokens = new Map<string, string>();

before(async () => {
  backend = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      if (req.url?.startsWith('/persons/v1/slow')) return; // never answers
      res.writeHead(200, { 'content-type': 'application/json', 'x-internal-secret': 'must not leak' });
      res.end(JSON.stringify({ name: '张三', path: req.url }));
    });
  });
  await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
  backendUrl = `http://127.0.0.1:${(backend.address() as AddressInfo).port}`;

  t = await createTestApp({ env: { EGOV_EXCHANGE_LOG_TIMESTAMP_SECONDS: '0' } });
  const directory = t.services.directory.service;
  provider = (await directory.createSubsystem(localOperator('test'), t.world.deptA.id, { code: 'hukou', nameZh: '户籍系统', nameEn: 'Household registration' })).identifier;
  client = (await directory.createSubsystem(localOperator('test'), t.world.deptB.id, { code: 'welfare', nameZh: '救助系统', nameEn: 'Welfare' })).identifier;
  const subsystemId = (await directory.findSubsystemByIdentifier(provider))!.id;
  const register = async (body: Record<string, unknown>) => {
    const res = await t.request('POST', '/api/exchange/services', { as: t.world.adminA, body: { subsystemId, ...body } });
    assert.equal(res.statusCode, 201, res.body);
    return res.json.id as string;
  };
  const persons = await register({ code: 'persons', backendUrl: `${backendUrl}/persons`, timeoutMs: 500, maxBodyBytes: 64 });
  await t.request('POST', `/api/exchange/services/${persons}/rights`, { as: t.world.adminA, body: { clientKind: 'subsystem', client, method: 'GET', pathPattern: '/v1/**' } });
  await t.request('POST', `/api/exchange/services/${persons}/rights`, { as: t.world.adminA, body: { clientKind: 'subsystem', client, method: 'POST', pathPattern: '/v1/search' } });
  const down = await register({ code: 'down', backendUrl: 'http://127.0.0.1:9/nothing' });
  await t.request('POST', `/api/exchange/services/${down}/rights`, { as: t.world.adminA, body: { clientKind: 'subsystem', client } });
});
after(async () => {
  await t.close();
  await new Promise<void>((resolve) => backend.close(() => resolve()));
});

async function tokenOf(user: TestUser): Promise<string> {
  if (!tokens.has(user.username)) {
    const res = await t.request('POST', '/api/tokens', { as: user, body: { name: 'exchange client', expiresInDays: 30 } });
    tokens.set(user.username, res.json.token);
  }
  return tokens.get(user.username)!;
}

async function call(method: string, path: string, options: { as?: TestUser; clientHeader?: string | null; headerName?: string; body?: string } = {}) {
  const headers: Record<string, string> = {};
  if (options.clientHeader !== null) headers[options.headerName ?? 'x-road-client'] = options.clientHeader ?? client;
  if (options.as !== undefined) headers.authorization = `Bearer ${await tokenOf(options.as)}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  return t.http.inject({ method: method as 'GET', url: `/r1/${provider}/persons${path}`, headers, ...(options.body !== undefined ? { payload: options.body } : {}) });
}

test('a client calls a service it has a right to: forwarded, answered and logged on both sides', async () => {
  const res = await call('GET', '/v1/persons/1?fields=name', { as: t.world.adminB });
  assert.equal(res.statusCode, 200, res.body);
  assert.deepEqual(res.json(), { name: '张三', path: '/persons/v1/persons/1?fields=name' });
  const xRoadId = String(res.headers['x-road-id']);
  assert.match(xRoadId, /^[0-9a-f-]{36}$/);
  assert.ok(res.headers['x-road-request-hash']);
  assert.equal(res.headers['x-internal-secret'], undefined, 'only safe response headers come back');
  const forwarded = seen.at(-1)!;
  assert.equal(forwarded.headers['x-road-id'], xRoadId);
  assert.equal(forwarded.headers['x-road-client'], client);
  assert.equal(forwarded.headers['x-road-service'], `${provider}/persons`);
  assert.equal(forwarded.headers.authorization, undefined, "the client's token never reaches the backend");

  const rows = await t.services.exchange.log.findByXRoadId(xRoadId);
  assert.deepEqual(rows.map((r) => r.side).sort(), ['consumer', 'provider']);
  assert.equal(rows[0].status, 200);
  assert.equal(Number(rows[0].response_bytes), Buffer.byteLength(res.body));

  // Each side is signed by its member's exchange key, issued to the member on first use.
  const row = rows[0];
  const requestMeta = JSON.parse(String(row.request_meta));
  assert.deepEqual([requestMeta.xRoadId, requestMeta.client, requestMeta.method, requestMeta.path, requestMeta.query], [xRoadId, client, 'GET', '/v1/persons/1', 'fields=name']);
  assert.equal(res.headers['x-road-request-hash'], crypto.createHash('sha256').update(String(row.request_meta)).digest('base64'));
  const responseMeta = JSON.parse(String(row.response_meta));
  assert.equal(responseMeta.requestHash, row.request_hash);
  assert.equal(responseMeta.bodyHash, crypto.createHash('sha256').update(res.rawPayload).digest('hex'));
  for (const [meta, signature, signer, org] of [
    [row.request_meta, row.request_signature, row.request_signer, t.world.deptB],
    [row.response_meta, row.response_signature, row.response_signer, t.world.deptA],
  ] as const) {
    const cert = await t.services.trust.certificates.findIssued(String(signer));
    assert.equal(cert.profile, 'member');
    assert.equal(cert.org_id, org.id);
    const suite = t.services.trust.suites[cert.suite];
    assert.ok(suite.verify(Buffer.from(String(meta)), Buffer.from(signature as Uint8Array), readCertificate(Buffer.from(cert.der)).publicKeySpki));
    assert.ok(!suite.verify(Buffer.from(String(meta).replace('"v":1', '"v":2')), Buffer.from(signature as Uint8Array), readCertificate(Buffer.from(cert.der)).publicKeySpki));
  }

  const posted = await call('POST', '/v1/search', { as: t.world.adminB, body: '{"name":"张三"}' });
  assert.equal(posted.statusCode, 200);
  assert.equal(seen.at(-1)!.body, '{"name":"张三"}');
  const alias = await call('GET', '/v1/persons/2', { as: t.world.adminB, headerName: 'information-mediator-client' });
  assert.equal(alias.statusCode, 200, 'Information-Mediator-Client is an alias of X-Road-Client');
});

test('refusals carry X-Road-Error and a JSON body, and are logged', async () => {
  const expectError = async (res: Awaited<ReturnType<typeof call>>, status: number, type: string) => {
    assert.equal(res.statusCode, status, res.body);
    assert.equal(res.headers['x-road-error'], type);
    assert.equal(res.json().type, type);
    assert.equal(res.json().detail, res.headers['x-road-id']);
  };
  const before = seen.length;
  await expectError(await call('DELETE', '/v1/persons/1', { as: t.world.adminB }), 403, 'Server.ServerProxy.AccessDenied');
  await expectError(await call('GET', '/v2/persons', { as: t.world.adminB }), 403, 'Server.ServerProxy.AccessDenied');
  await expectError(await call('GET', '/v1/persons/1'), 401, 'Client.Unauthenticated');
  await expectError(await call('GET', '/v1/persons/1', { as: t.world.adminA }), 403, 'Client.NotOwner');
  await expectError(await call('GET', '/v1/persons/1', { as: t.world.adminB, clientHeader: null }), 400, 'Client.BadRequest');
  await expectError(await call('GET', '/v1/persons/1', { as: t.world.adminB, clientHeader: 'EGOV-DEMO/GOV' }), 400, 'Client.BadRequest');
  await expectError(await call('GET', '/v1/persons/1', { as: t.world.adminB, clientHeader: 'x'.repeat(2000) }), 400, 'Client.BadRequest');
  await expectError(await call('GET', '/v1/..%2F..%2Fadmin', { as: t.world.adminB }), 400, 'Client.BadRequest');
  await expectError(await call('POST', '/v1/search', { as: t.world.adminB, body: JSON.stringify({ padding: 'x'.repeat(200) }) }), 413, 'Server.ServerProxy.RequestTooLarge');
  assert.equal(seen.length, before, 'nothing refused reached the backend');

  const unknown = await t.http.inject({ method: 'GET', url: `/r1/${provider}/nothing/v1`, headers: { 'x-road-client': client, authorization: `Bearer ${await tokenOf(t.world.adminB)}` } });
  await expectError(unknown, 404, 'Server.ServerProxy.UnknownService');
  const down = await t.http.inject({ method: 'GET', url: `/r1/${provider}/down/x`, headers: { 'x-road-client': client, authorization: `Bearer ${await tokenOf(t.world.adminB)}` } });
  await expectError(down, 502, 'Server.ServerProxy.ServiceFailed');
  const slow = await call('GET', '/v1/slow', { as: t.world.adminB });
  await expectError(slow, 504, 'Server.ServerProxy.Timeout');

  const denied = await t.services.exchange.log.findByXRoadId(String((await call('DELETE', '/v1/persons/1', { as: t.world.adminB })).headers['x-road-id']));
  assert.deepEqual(denied.map((r) => r.side).sort(), ['consumer', 'provider'], 'a refusal by the provider is logged on both sides');
  assert.match(String(denied[0].error), /^Server\.ServerProxy\.AccessDenied/);
});

test('the message log search: by id, service and outcome; each member sees only its own calls', async () => {
  const res = await call('GET', '/v1/persons/9', { as: t.world.adminB });
  const xRoadId = String(res.headers['x-road-id']);
  assert.equal((await t.request('GET', '/api/exchange/log')).statusCode, 401);
  const byId = await t.request('GET', `/api/exchange/log?xRoadId=${xRoadId}`, { as: t.world.officerA });
  assert.equal(byId.statusCode, 200);
  assert.deepEqual(byId.json.items.map((r: { side: string }) => r.side).sort(), ['consumer', 'provider']);
  const failures = await t.request('GET', `/api/exchange/log?outcome=failure&service=${encodeURIComponent(provider)}`, { as: t.world.auditor });
  assert.ok(failures.json.total > 0);
  assert.ok(failures.json.items.every((r: { status: number; error: string | null }) => r.status >= 400 || r.error));
  // A member that takes part in none of these calls sees none of them.
  const directory = t.services.directory.service;
  const outsider = await directory.create(localOperator('test'), { parentId: t.world.province.id, nameZh: '浙江省档案馆', nameEn: 'Archives', creditCode: newCreditCode('330000'), divisionCode: '330000', type: 'organ' });
  const outsiderAdmin = await buildUser(t.services, { username: 'archives-admin', orgId: outsider.id, roles: ['org_admin'] });
  await enableTestTotp(t, outsiderAdmin);
  const seenByOutsider = await t.request('GET', '/api/exchange/log', { as: { id: outsiderAdmin.id, username: outsiderAdmin.username, orgId: outsider.id } });
  assert.equal(seenByOutsider.json.total, 0);
  assert.equal((await t.request('GET', '/api/exchange/log?from=yesterday', { as: t.world.auditor })).statusCode, 400);
});

test('an exchange exports as evidence that verifies offline, and any change to it is named', async () => {
  const res = await call('GET', '/v1/persons/7', { as: t.world.adminB });
  const xRoadId = String(res.headers['x-road-id']);
  const pkg = (await t.services.exchange.exportEvidence(xRoadId))!;
  assert.equal(pkg.records.length, 2);
  const chain = await t.services.trust.authority.chainDer();
  const suites = t.services.trust.suites;
  const good = verifyEvidence(JSON.parse(JSON.stringify(pkg)), suites, chain[1]);
  assert.deepEqual(good.problems, []);
  assert.ok(good.facts.some((f) => /request signed by 浙江省民政厅/.test(f)), good.facts.join('\n'));
  assert.ok(good.facts.some((f) => /response signed by 浙江省公安厅/.test(f)));
  assert.ok(good.facts.some((f) => /existed, as it is, at/.test(f)));
  assert.equal(await t.services.exchange.exportEvidence('00000000-0000-4000-8000-000000000000'), undefined);

  const tampered = (change: (p: typeof pkg) => void) => {
    const copy = JSON.parse(JSON.stringify(pkg));
    change(copy);
    return verifyEvidence(copy, suites, chain[1]).problems.join('\n');
  };
  assert.match(tampered((p) => (p.records[0].status = 500)), /content does not match its hash/);
  assert.match(tampered((p) => (p.records[0].requestMeta = p.records[0].requestMeta!.replace('"GET"', '"PUT"'))), /request hash does not match|does not verify/);
  assert.match(tampered((p) => (p.batches[0].root = '00'.repeat(32))), /another root|inclusion proof/);
  assert.match(tampered((p) => (p.batches[0].proofs[String(p.records[0].seq)].index += 1)), /inclusion proof/);
  const otherRoot = (await createTestAppRoot())!;
  assert.match(verifyEvidence(JSON.parse(JSON.stringify(pkg)), suites, otherRoot).problems.join('\n'), /not the trusted root/);
});

/** A root certificate of another instance, to show a package is pinned to its own CA. */
async function createTestAppRoot(): Promise<Buffer | undefined> {
  const suite = t.services.trust.suites['ecdsa-p256-sha256'];
  const key = suite.generateKeyPair();
  const name = { commonName: 'Another instance Root CA' };
  const { issueCertificate, newSerialNumber } = await import('../trust/x509.ts');
  return issueCertificate({ profile: 'root-ca', serialNumber: newSerialNumber(), subject: name, subjectPublicKeySpki: key.publicKeySpki, notBefore: new Date(), notAfter: new Date(Date.now() + 86_400_000), issuer: { name, key, suite } });
}

test('the message log is hash-chained and batch-timestamped; a changed row is named', async () => {
  await call('GET', '/v1/persons/8', { as: t.world.adminB });
  assert.equal(await t.services.exchange.timestampLog(), 2, 'the two records of the last call form the next batch');
  assert.equal(await t.services.exchange.timestampLog(), 0, 'nothing left to batch');
  const verified = await t.services.exchange.verifyLog();
  assert.equal(verified.ok, true, JSON.stringify(verified));
  assert.equal((verified as { batches: number }).batches, 2, 'the evidence export batched the earlier calls; this call made the second batch');

  const db = t.services.database.db;
  await assert.rejects(sql`update exchange.message_log set status = 200 where seq = 2`.execute(db), /append-only/);
  await sql`alter table exchange.message_log disable trigger user`.execute(db);
  await sql`update exchange.message_log set status = 599 where seq = 3`.execute(db);
  await sql`alter table exchange.message_log enable trigger user`.execute(db);
  const broken = await t.services.exchange.verifyLog();
  assert.deepEqual([broken.ok, (broken as { firstBadSeq: number }).firstBadSeq], [false, 3]);
  assert.match((broken as { reason: string }).reason, /row 3 was changed/);
});
