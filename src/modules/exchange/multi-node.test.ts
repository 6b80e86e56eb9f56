// Three nodes of one instance on 127.0.0.1, each with its own database: the central node and
// two departments' nodes that joined it (registration, approval, certificates). Department
// A's client system calls department B's service through its own node; the nodes talk over
// mutual TLS, sign both sides and log both sides. Between A and B sits a man in the middle
// that holds B's TLS key (the worst case: a stolen transport key) and can alter what passes:
// the message signatures must still catch it. B's backend learns from B which fields of its
// answer A was granted.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { localOperator } from '../../platform/actor.ts';
import { freePort, joinNode, startCentral, waitFor, type RunningNode } from '../../test-support/nodes.ts';
import { createSuites } from '../trust/index.ts';
import { verifyEvidence } from './evidence.ts';
import { issueCertificate, newSerialNumber, toPem } from '../trust/x509.ts';

let central: Awaited<ReturnType<typeof startCentral>>;
let nodeA: RunningNode;
let nodeB: RunningNode;
let backend: http.Server;
let mitm: https.Server;
let tamper: 'none' | 'request-body' | 'request-signature' | 'response-body' = 'none';
const backendSeen: { url: string; headers: http.IncomingHttpHeaders; body: string }[] = [];
let clientA: string; // A's subsystem
let stranger: string; // another subsystem of A, with no right
let serviceB: string; // B's service identifier
let limitedB: string; // B's service of which A may have only some fields
let tokenA: string;
let tokenStranger: string;

// A hang anywhere must fail the file with a reason, not hold CI.
before(async () => {
  backend = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c));
    req.on('end', () => {
      backendSeen.push({ url: req.url!, headers: req.headers, body });
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify({ name: '李四', echo: body, path: req.url }));
    });
  });
  await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
  const backendUrl = `http://127.0.0.1:${(backend.address() as AddressInfo).port}`;

  central = await startCentral();
  const { deptA, deptB } = central.app.world;
  const directory = central.app.services.directory.service;
  clientA = (await directory.createSubsystem(localOperator('test'), deptA.id, { code: 'hukou', nameZh: '户籍系统', nameEn: 'Household registration' })).identifier;
  stranger = (await directory.createSubsystem(localOperator('test'), deptA.id, { code: 'other', nameZh: '其他系统', nameEn: 'Other' })).identifier;
  const providerSubsystem = await directory.createSubsystem(localOperator('test'), deptB.id, { code: 'welfare', nameZh: '救助系统', nameEn: 'Welfare' });
  const register = async (code: string, url: string, fields?: string[]) => {
    const res = await central.app.request('POST', '/api/exchange/services', { as: central.app.world.adminB, body: { subsystemId: providerSubsystem.id, code, backendUrl: url, timeoutMs: 2000 } });
    assert.equal(res.statusCode, 201, res.body);
    const grant = await central.app.request('POST', `/api/exchange/services/${res.json.id}/rights`, { as: central.app.world.adminB, body: { clientKind: 'subsystem', client: clientA, ...(fields ? { fields } : {}) } });
    assert.equal(grant.statusCode, 201, grant.body);
    return res.json.identifier as string;
  };
  serviceB = await register('families', `${backendUrl}/families`);
  await register('down', 'http://127.0.0.1:9/nothing');
  limitedB = await register('persons', `${backendUrl}/persons`, ['name', 'birthDate']);

  // B is registered at the man in the middle's address; the man forwards to B's real port.
  const mitmPort = await freePort();
  nodeA = await joinNode(central, { name: 'dept-a', members: [deptA.identifier] });
  nodeB = await joinNode(central, { name: 'dept-b', members: [deptB.identifier], url: `https://127.0.0.1:${mitmPort}` });
  mitm = await startMitm(mitmPort);

  const addToken = async (subsystem: string) => (await nodeA.app.services.exchange.clientAuth.add(localOperator('test'), { subsystem, kind: 'token' })).token!;
  tokenA = await addToken(clientA);
  tokenStranger = await addToken(stranger);
  // A learns B's address from the configuration, B learns its backend: both must be current.
  await waitFor('node A to know node B', async () => (await nodeA.app.services.exchange.routing()).findNode('dept-b'));
  await waitFor("node B to know its services' backends", async () => (await nodeB.app.services.exchange.routing()).findService(limitedB)?.backendUrl);
}, { timeout: 420_000 });

after(async () => {
  mitm?.closeAllConnections();
  mitm?.close();
  for (const node of [nodeA, nodeB, central]) await node?.close();
  await new Promise<void>((resolve) => backend.close(() => resolve()));
}, { timeout: 60_000 });

/** Holds B's TLS identity towards A, and A's towards B; passes HTTP through, altered on demand. */
async function startMitm(port: number): Promise<https.Server> {
  const bIdentity = (await nodeB.app.services.exchange.identity.tlsIdentity())!;
  const aIdentity = (await nodeA.app.services.exchange.identity.tlsIdentity())!;
  const agent = new https.Agent({ keepAlive: true, key: aIdentity.keyPem, cert: aIdentity.certPem, rejectUnauthorized: false });
  const flip = (chunk: Buffer) => {
    const copy = Buffer.from(chunk);
    copy[copy.length - 1] ^= 1;
    return copy;
  };
  const server = https.createServer({ key: bIdentity.keyPem, cert: bIdentity.certPem, requestCert: true, rejectUnauthorized: false }, (req, res) => {
    const { host: _host, ...headers } = req.headers;
    const outbound = https.request({ host: '127.0.0.1', port: nodeB.nodePort, method: req.method, path: req.url, headers, agent }, (answer) => {
      res.writeHead(answer.statusCode!, answer.headers);
      let first = true;
      answer.on('data', (chunk: Buffer) => {
        res.write(tamper === 'response-body' && first ? flip(chunk) : chunk);
        first = false;
      });
      answer.on('end', () => {
        if (Object.keys(answer.trailers).length > 0) res.addTrailers(answer.trailers as Record<string, string>);
        res.end();
      });
    });
    let first = true;
    req.on('data', (chunk: Buffer) => {
      outbound.write(tamper === 'request-body' && first ? flip(chunk) : chunk);
      first = false;
    });
    req.on('end', () => {
      const trailers = { ...req.trailers } as Record<string, string>;
      if (tamper === 'request-signature' && trailers['x-egov-signed']) {
        const [meta, signature, serial] = trailers['x-egov-signed'].split('.');
        trailers['x-egov-signed'] = [meta, flip(Buffer.from(signature, 'base64')).toString('base64'), serial].join('.');
      }
      outbound.addTrailers(trailers);
      outbound.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return server;
}

async function callB(path: string, options: { token?: string; client?: string; method?: string; body?: string; service?: string; headers?: Record<string, string> } = {}) {
  const response = await fetch(`${nodeA.httpUrl}/r1/${options.service ?? serviceB}${path}`, {
    method: options.method ?? 'GET',
    headers: { 'x-road-client': options.client ?? clientA, authorization: `Bearer ${options.token ?? tokenA}`, ...(options.body ? { 'content-type': 'application/json' } : {}), ...options.headers },
    body: options.body,
  });
  const text = await response.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

const rowsOf = async (node: RunningNode, xRoadId: string) => (await node.app.services.exchange.log.findByXRoadId(xRoadId)) as Record<string, any>[];

test("A's client calls B's service across the nodes; both sides are signed, logged and verify as evidence", async () => {
  const res = await callB('/v1/families?size=2', { method: 'POST', body: '{"id":"330106199001011234"}' });
  assert.equal(res.status, 200, res.text);
  assert.deepEqual(res.json, { name: '李四', echo: '{"id":"330106199001011234"}', path: '/families/v1/families?size=2' });
  const xRoadId = res.headers.get('x-road-id')!;
  assert.match(xRoadId, /^[0-9a-f-]{36}$/);
  assert.ok(res.headers.get('x-road-request-hash'));
  const seen = backendSeen.at(-1)!;
  assert.equal(seen.headers['x-road-client'], clientA);
  assert.equal(seen.headers['x-road-id'], xRoadId);

  const [consumer] = await rowsOf(nodeA, xRoadId);
  const [provider] = await rowsOf(nodeB, xRoadId);
  assert.equal(consumer.side, 'consumer');
  assert.equal(provider.side, 'provider');
  assert.equal((await rowsOf(nodeA, xRoadId)).length, 1, 'A logs only its own side');
  assert.equal(consumer.request_hash, provider.request_hash, 'both sides logged the same signed request');
  assert.equal(consumer.response_hash, provider.response_hash, 'both sides logged the same signed response');
  assert.equal(`sha256:${crypto.createHash('sha256').update(consumer.request_meta).digest('base64')}`, `sha256:${res.headers.get('x-road-request-hash')}`);

  // Each node's evidence verifies offline against the instance root, and carries both signatures.
  const pem = await (await fetch(`${central.httpUrl}/api/trust/ca.pem`)).text();
  const root = Buffer.from(pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g)!.at(-1)!.replace(/-----(BEGIN|END) CERTIFICATE-----|\s/g, ''), 'base64');
  for (const node of [nodeA, nodeB]) {
    const evidence = await node.app.services.exchange.exportEvidence(xRoadId);
    const check = verifyEvidence(evidence!, createSuites(), root);
    assert.equal(check.ok, true, `${node.name}: ${check.problems.join('; ')}`);
    assert.ok(check.facts.some((f) => f.includes('request signed by 浙江省公安厅')), check.facts.join('\n'));
    assert.ok(check.facts.some((f) => f.includes('response signed by 浙江省民政厅')), check.facts.join('\n'));
  }
  assert.equal((await nodeA.app.services.exchange.verifyLog()).ok, true);
  assert.equal((await nodeB.app.services.exchange.verifyLog()).ok, true);
});

test("B's node tells its backend the fields A was granted, from its own reading of the rights; A's client cannot set them", async () => {
  const injected = { 'x-egov-granted-fields': 'everything' };
  const limited = await callB('/v1/persons/1', { service: limitedB, headers: injected });
  assert.equal(limited.status, 200, limited.text);
  const seen = backendSeen.at(-1)!;
  assert.equal(seen.url, '/persons/v1/persons/1');
  assert.equal(seen.headers['x-egov-granted-fields'], 'birthDate,name');
  // What A signed, and B logged, carries no such header: the grant is B's, not part of the request.
  const [provider] = await rowsOf(nodeB, limited.headers.get('x-road-id')!);
  assert.equal(JSON.parse(provider.request_meta).headers['x-egov-granted-fields'], undefined);

  const whole = await callB('/v1/families', { headers: injected });
  assert.equal(whole.status, 200, whole.text);
  assert.equal(backendSeen.at(-1)!.url, '/families/v1/families');
  assert.equal(backendSeen.at(-1)!.headers['x-egov-granted-fields'], undefined, 'a right without fields: the whole answer, no header');
});

test('without an access right: 403 with X-Road-Error, logged on both sides', async () => {
  const res = await callB('/v1/families', { client: stranger, token: tokenStranger });
  assert.equal(res.status, 403, res.text);
  assert.equal(res.headers.get('x-road-error'), 'Server.ServerProxy.AccessDenied');
  assert.match(res.json.message, /has no access right/);
  const xRoadId = res.headers.get('x-road-id')!;
  const [consumer] = await rowsOf(nodeA, xRoadId);
  const [provider] = await rowsOf(nodeB, xRoadId);
  assert.match(consumer.error, /^Server\.ServerProxy\.AccessDenied/);
  assert.match(provider.error, /^Server\.ServerProxy\.AccessDenied/);
});

test("a client is refused at its own node: no credentials, another subsystem's token, a member hosted elsewhere", async () => {
  const none = await fetch(`${nodeA.httpUrl}/r1/${serviceB}/v1/families`, { headers: { 'x-road-client': clientA } });
  assert.equal(none.status, 401);
  assert.equal(none.headers.get('x-road-error'), 'Client.Unauthenticated');
  const wrong = await callB('/v1/families', { token: tokenStranger });
  assert.equal(wrong.status, 403);
  assert.equal(wrong.headers.get('x-road-error'), 'Client.NotOwner');
  const elsewhere = await callB('/v1/families', { client: `${central.app.world.deptB.identifier}/welfare` });
  assert.equal(elsewhere.status, 403);
  assert.match(elsewhere.json.message, /hosted on node dept-b/);
});

test('a body or a signature altered in transit is refused, by whichever side receives it, and logged', async () => {
  try {
    for (const [mode, status, error] of [
      ['request-body', 400, 'Server.ServerProxy.InvalidSignature'],
      ['request-signature', 400, 'Server.ServerProxy.InvalidSignature'],
      ['response-body', 502, 'Server.ClientProxy.InvalidSignature'],
    ] as const) {
      tamper = mode;
      const before = backendSeen.length;
      const res = await callB('/v1/families', { method: 'POST', body: '{"id":"330106199001011234"}' });
      assert.equal(res.status, status, `${mode}: ${res.text}`);
      assert.equal(res.headers.get('x-road-error'), error, mode);
      if (mode !== 'response-body') assert.equal(backendSeen.length, before, `${mode}: nothing reached the backend`);
      const [consumer] = await rowsOf(nodeA, res.headers.get('x-road-id')!);
      assert.match(consumer.error, new RegExp(error.replaceAll('.', '\\.')), mode);
    }
  } finally {
    tamper = 'none';
  }
  assert.equal((await callB('/v1/families')).status, 200, 'untouched calls pass again');
});

test('client systems authenticate by certificate (on the client HTTPS port) or by source address, per subsystem', async () => {
  // A client system's own certificate, as its operator would make it.
  const suite = createSuites()['ecdsa-p256-sha256'];
  const key = suite.generateKeyPair();
  const name = { commonName: 'hukou client system' };
  const der = issueCertificate({ profile: 'tls', serialNumber: newSerialNumber(), subject: name, subjectPublicKeySpki: key.publicKeySpki, notBefore: new Date(Date.now() - 60_000), notAfter: new Date(Date.now() + 86_400_000), issuer: { name, key, suite } });
  const certPem = toPem(der);
  const keyPem = crypto.createPrivateKey({ key: suite.exportPrivate(key), format: 'der', type: 'pkcs8' }).export({ format: 'pem', type: 'pkcs8' }) as string;
  const clientTls = await nodeA.app.listenClientTls(0, '127.0.0.1');
  const viaTls = (withCertificate: boolean) =>
    new Promise<{ status: number; error: unknown }>((resolve, reject) => {
      const request = https.request({ host: '127.0.0.1', port: clientTls.port, path: `/r1/${serviceB}/v1/families`, headers: { 'x-road-client': clientA }, rejectUnauthorized: false, ...(withCertificate ? { key: keyPem, cert: certPem } : {}) }, (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode!, error: res.headers['x-road-error'] }));
      });
      request.on('error', reject);
      request.end();
    });
  assert.deepEqual(await viaTls(true), { status: 403, error: 'Client.NotOwner' }, 'a certificate nobody registered for the subsystem is not its credential');
  const added = await nodeA.app.services.exchange.clientAuth.add(localOperator('test'), { subsystem: clientA, kind: 'certificate', value: certPem });
  assert.equal((await viaTls(true)).status, 200);
  assert.equal((await viaTls(false)).status, 401, 'without the certificate');
  await nodeA.app.services.exchange.clientAuth.revoke(localOperator('test'), added.credential.id);
  assert.equal((await viaTls(true)).status, 403, 'revoked');

  const bare = () => fetch(`${nodeA.httpUrl}/r1/${serviceB}/v1/families`, { headers: { 'x-road-client': stranger } });
  assert.equal((await bare()).status, 401);
  const address = await nodeA.app.services.exchange.clientAuth.add(localOperator('test'), { subsystem: stranger, kind: 'address', value: '127.0.0.0/8' });
  const trusted = await bare();
  assert.equal(trusted.status, 403, 'authenticated by its address, then refused for lack of a right');
  assert.equal(trusted.headers.get('x-road-error'), 'Server.ServerProxy.AccessDenied');
  await nodeA.app.services.exchange.clientAuth.revoke(localOperator('test'), address.credential.id);
  assert.equal((await bare()).status, 401);
});

test("B's backend down: a clear error, logged on both sides", async () => {
  const res = await callB('', { service: serviceB.replace(/families$/, 'down') });
  assert.equal(res.status, 502, res.text);
  assert.equal(res.headers.get('x-road-error'), 'Server.ServerProxy.ServiceFailed');
  assert.match(res.json.message, /backend could not be reached \(ECONNREFUSED\)/);
  const xRoadId = res.headers.get('x-road-id')!;
  assert.match((await rowsOf(nodeA, xRoadId))[0].error, /ServiceFailed/);
  assert.match((await rowsOf(nodeB, xRoadId))[0].error, /ServiceFailed/);
});

test("a revoked client certificate is refused by the provider's node", async () => {
  const signer = await nodeA.app.services.exchange.identity.memberSigner(central.app.world.deptA.identifier);
  const revoked = await central.app.request('POST', `/api/trust/certificates/${signer!.serial}/revoke`, { as: central.app.world.securityAdmin, body: { reason: 'keyCompromise' } });
  assert.equal(revoked.statusCode, 200, revoked.body);
  await nodeB.app.services.exchange.globalConf!.refresh();
  const res = await callB('/v1/families');
  assert.equal(res.status, 403, res.text);
  assert.equal(res.headers.get('x-road-error'), 'Server.ServerProxy.ClientCertificateInvalid');
  assert.match(res.json.message, new RegExp(`certificate ${signer!.serial} was revoked .*keyCompromise`));
  assert.match((await rowsOf(nodeB, res.headers.get('x-road-id')!))[0].error, /ClientCertificateInvalid/);
});

test("node status: a member node's role, certificate, enrolment and configuration", async () => {
  assert.equal((await nodeA.app.request('GET', '/api/exchange/status')).statusCode, 401);
  const status = await nodeA.app.request('GET', '/api/exchange/status', { as: nodeA.app.world.platformAdmin });
  assert.equal(status.statusCode, 200, status.body);
  assert.equal(status.json.role, 'member');
  assert.deepEqual([status.json.node.name, status.json.node.zone, status.json.node.listening, status.json.node.enrolment.status], ['dept-a', 'external', true, 'approved']);
  assert.ok(status.json.node.authCertificate.daysLeft > 300);
  assert.equal(status.json.globalConf.valid, true);
  assert.equal(status.json.configurationCertificate, null);
  assert.ok(status.json.tsaCertificate.daysLeft > 1000);
  const nodes = await central.app.request('GET', '/api/exchange/nodes', { as: central.app.world.auditor });
  assert.deepEqual(
    (nodes.json as { name: string; members: string[] }[]).map((n) => [n.name, n.members.includes(central.app.world.deptA.identifier), n.members.includes(central.app.world.deptB.identifier)]),
    [['central', false, false], ['dept-a', true, false], ['dept-b', false, true]],
  );
  assert.equal((await central.app.request('GET', '/api/exchange/nodes', { as: central.app.world.officerA })).statusCode, 403);
});

test('an expired global configuration is refused with a clear error', async () => {
  nodeA.app.clock.advance(11 * 60_000);
  const res = await callB('/v1/families');
  assert.equal(res.status, 503);
  assert.equal(res.headers.get('x-road-error'), 'Server.ClientProxy.OutdatedGlobalConf');
  assert.match(res.json.message, /expired at .* calls are refused/);
});
