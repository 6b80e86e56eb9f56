// The zone ferry between two nodes with no network path between them: the central node on
// the external network, and a department's node on the internal network whose only link is
// a pair of one-way transfer directories. The department's node registers, gets its
// certificates and its configuration across the ferry; its client calls a service on the
// central node and the answer comes back the same way. The crossing policy is checked on
// both sides, a replayed or altered bundle is refused, and every crossing is audited.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { localOperator } from '../../../platform/actor.ts';
import { waitFor } from '../../../test-support/nodes.ts';
import { createTestApp, type TestApp } from '../../../test-support/test-app.ts';
import { encodeSigned, signMeta } from '../message/signed-meta.ts';

let central: TestApp;
let inner: TestApp;
let dir: string;
let toCentral: string; // internal → external device
let toInner: string; // external → internal device
let backend: http.Server;
const received: string[] = [];
let client: string;
let services: Record<'open' | 'secret', string>;
let token: string;

before(async () => {
  backend = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c));
    req.on('end', () => {
      received.push(String(req.headers['x-road-id']));
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify({ answer: '已收到', echo: body, path: req.url }));
    });
  });
  await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
  const backendUrl = `http://127.0.0.1:${(backend.address() as AddressInfo).port}`;

  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'egov-ferry-'));
  toCentral = path.join(dir, 'internal-to-external');
  toInner = path.join(dir, 'external-to-internal');
  for (const d of [toCentral, toInner]) fs.mkdirSync(d);
  const ferry = (peer: string, out: string, inbox: string) => ({ EGOV_FERRY_PEER: peer, EGOV_FERRY_OUT_DIR: out, EGOV_FERRY_IN_DIR: inbox, EGOV_FERRY_POLL_MS: '100', EGOV_GLOBAL_CONF_REFRESH_SECONDS: '1', EGOV_EXCHANGE_LOG_TIMESTAMP_SECONDS: '0' });
  central = await createTestApp({ env: ferry('dept-internal', toInner, toCentral) });
  const { deptA, deptB, adminB, platformAdmin } = central.world;
  const directory = central.services.directory.service;
  client = (await directory.createSubsystem(localOperator('test'), deptA.id, { code: 'cases', nameZh: '案件系统', nameEn: 'Cases' })).identifier;
  const provider = await directory.createSubsystem(localOperator('test'), deptB.id, { code: 'welfare', nameZh: '救助系统', nameEn: 'Welfare' });
  const register = async (code: string, classification: string) => {
    const res = await central.request('POST', '/api/exchange/services', { as: adminB, body: { subsystemId: provider.id, code, backendUrl: `${backendUrl}/${code}`, classification } });
    assert.equal(res.statusCode, 201, res.body);
    assert.equal(res.json.classification, classification);
    await central.request('POST', `/api/exchange/services/${res.json.id}/rights`, { as: adminB, body: { clientKind: 'subsystem', client } });
    return res.json.identifier as string;
  };
  services = { open: await register('open', 'public'), secret: await register('secret', 'sensitive') };
  const rule = await central.request('POST', '/api/exchange/crossing-rules', { as: platformAdmin, body: { fromZone: 'internal', toZone: 'external', servicePattern: `${deptB.identifier}/*`, classifications: ['public', 'internal'] } });
  assert.equal(rule.statusCode, 201, rule.body);

  // The anchor's address leads nowhere: the ferry is the only way.
  const anchorFile = path.join(dir, 'anchor.json');
  fs.writeFileSync(anchorFile, JSON.stringify(await central.services.exchange.anchor('http://127.0.0.1:9')));
  inner = await createTestApp({ env: { EGOV_ANCHOR_FILE: anchorFile, EGOV_NODE_NAME: 'dept-internal', EGOV_NODE_ZONE: 'internal', EGOV_NODE_MEMBERS: deptA.identifier, ...ferry('central', toCentral, toInner) } });
  await inner.http.listen({ port: 0, host: '127.0.0.1' });
  token = (await inner.services.exchange.clientAuth.add(localOperator('test'), { subsystem: client, kind: 'token' })).token!;
}, { timeout: 120_000 });

after(async () => {
  await inner?.close();
  await central?.close();
  await new Promise<void>((resolve) => backend.close(() => resolve()));
  fs.rmSync(dir, { recursive: true, force: true });
}, { timeout: 60_000 });

const innerUrl = () => `http://127.0.0.1:${(inner.http.server.address() as AddressInfo).port}`;
async function call(service: string, body = '{"q":1}') {
  const res = await fetch(`${innerUrl()}/r1/${service}/v1/items`, { method: 'POST', headers: { 'x-road-client': client, authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: text.startsWith('{') ? JSON.parse(text) : undefined };
}

test('the internal node registers across the ferry, is approved, and gets its certificates and configuration back', async () => {
  const admin = central.world.platformAdmin;
  const registration = await waitFor('the registration to cross', async () => {
    const pending = await central.request('GET', '/api/exchange/nodes/registrations?status=pending', { as: admin });
    return (pending.json as { id: string; name: string; checkCode: string; version: number; submittedFrom: string }[]).find((r) => r.name === 'dept-internal');
  });
  assert.equal(registration.submittedFrom, 'ferry:dept-internal');
  assert.equal((await inner.services.exchange.enrolment!.status())!.check_code, registration.checkCode);
  const approved = await central.request('POST', `/api/exchange/nodes/registrations/${registration.id}/approve`, { as: admin, body: { version: registration.version } });
  assert.equal(approved.statusCode, 200, approved.body);
  await waitFor('the certificates to come back', () => Promise.race([inner.nodeCertified.then(() => true), new Promise<false>((r) => setTimeout(() => r(false), 100))]));
  const conf = await waitFor('a configuration that lists the internal node', async () => {
    const routing = await inner.services.exchange.routing();
    return routing.findNode('dept-internal') && routing;
  });
  assert.equal(conf.findNode('central')!.zone, 'external');
  assert.equal(conf.findService(services.open)!.backendUrl, undefined, 'the internal node is told no backend of the central node');
});

test("a call crosses, is answered on the other side, and the answer comes back; both sides log and audit it", async () => {
  const res = await call(services.open, '{"案号":"2026-001"}');
  assert.equal(res.status, 200, res.text);
  assert.deepEqual(res.json, { answer: '已收到', echo: '{"案号":"2026-001"}', path: '/open/v1/items' });
  const xRoadId = res.headers.get('x-road-id')!;
  assert.equal(received.filter((id) => id === xRoadId).length, 1);
  const [consumer] = (await inner.services.exchange.log.findByXRoadId(xRoadId)) as Record<string, any>[];
  const [provider] = (await central.services.exchange.log.findByXRoadId(xRoadId)) as Record<string, any>[];
  assert.equal(consumer.side, 'consumer');
  assert.equal(provider.side, 'provider');
  assert.equal(consumer.response_hash, provider.response_hash);
  assert.equal(consumer.request_hash, provider.request_hash);
  for (const app of [central, inner]) {
    const audit = await app.request('GET', '/api/audit?action=exchange.ferry.import&limit=200', { as: app.world.auditor });
    assert.equal(audit.statusCode, 200, audit.body);
    assert.ok((audit.json.items as { detail: { kind: string } }[]).some((e) => e.detail.kind === (app === central ? 'request' : 'response')), 'each side audits what it took in');
    const exported = await app.request('GET', '/api/audit?action=exchange.ferry.export&limit=200', { as: app.world.auditor });
    assert.ok((exported.json.items as { detail: { kind: string } }[]).some((e) => e.detail.kind === (app === central ? 'response' : 'request')), 'and what it sent');
  }
});

test('the crossing policy: a sensitive service does not cross, refused on the internal side before anything is written', async () => {
  const before = fs.readdirSync(toCentral).length;
  const res = await call(services.secret);
  assert.equal(res.status, 403, res.text);
  assert.equal(res.headers.get('x-road-error'), 'Server.ClientProxy.CrossingRefused');
  assert.match(res.json.message, /No crossing rule .* \(sensitive\) cross from the internal zone to the external zone/);
  assert.equal(fs.readdirSync(toCentral).length, before);
});

test('a replayed bundle is refused and audited; an altered one too; the backend sees each call once', async () => {
  // Keep a copy of the next request bundle as the device delivers it.
  const copies = path.join(dir, 'copies');
  fs.mkdirSync(copies);
  const watcher = setInterval(() => {
    for (const name of fs.readdirSync(toCentral)) if (name.endsWith('.egb')) fs.copyFileSync(path.join(toCentral, name), path.join(copies, name));
  }, 5);
  const res = await call(services.open, '{"once":true}');
  clearInterval(watcher);
  assert.equal(res.status, 200, res.text);
  const xRoadId = res.headers.get('x-road-id')!;
  const [copy] = fs.readdirSync(copies);
  assert.ok(copy, 'the request bundle was seen on its way');

  fs.copyFileSync(path.join(copies, copy), path.join(toCentral, copy));
  await central.services.exchange.ferry!.importNow();
  const rejected = path.join(toCentral, 'rejected');
  assert.match(fs.readFileSync(path.join(rejected, `${copy}.reason.txt`), 'utf8'), /^replayed: bundle .* was already imported/);
  assert.equal(received.filter((id) => id === xRoadId).length, 1, 'the replay reached no backend');
  const audit = await central.request('GET', '/api/audit?action=exchange.ferry.reject', { as: central.world.auditor });
  assert.ok((audit.json.items as { detail: { reason: string } }[]).some((e) => /^replayed/.test(e.detail.reason)));

  // The same bundle passed off as a new one (another id): the sender's signature no longer holds.
  const copied = fs.readFileSync(path.join(copies, copy));
  const footerAt = copied.lastIndexOf(0x0a, copied.length - 2) + 1;
  const footer = JSON.parse(copied.subarray(footerAt).toString('utf8'));
  footer.id = crypto.randomUUID();
  const forgedName = `999999999999-${footer.id}.egb`;
  fs.writeFileSync(path.join(toCentral, forgedName), Buffer.concat([copied.subarray(0, footerAt), Buffer.from(`${JSON.stringify(footer)}\n`)]));
  await central.services.exchange.ferry!.importNow();
  assert.match(fs.readFileSync(path.join(rejected, `${forgedName}.reason.txt`), 'utf8'), /footer's signature does not verify/);
  assert.equal(received.filter((id) => id === xRoadId).length, 1, 'nor did the forgery');
});

test('the other side checks the policy too: a call its rules do not allow is refused there, with the reason coming back', async () => {
  const admin = central.world.platformAdmin;
  const [rule] = (await central.request('GET', '/api/exchange/crossing-rules', { as: admin })).json as { id: string }[];
  assert.equal((await central.request('DELETE', `/api/exchange/crossing-rules/${rule.id}`, { as: central.world.officerA })).statusCode, 403);
  assert.equal((await central.request('DELETE', `/api/exchange/crossing-rules/${rule.id}`, { as: admin })).statusCode, 204);
  // A genuine, signed call written straight to the ferry, as a node whose copy of the policy
  // still had the rule would write it.
  const exchange = inner.services.exchange;
  const signer = (await exchange.identity.memberSigner(central.world.deptA.identifier))!;
  const body = Buffer.from('{"q":2}');
  const call = { xRoadId: crypto.randomUUID(), client, service: services.open, method: 'POST', path: '/v1/items', query: '', userId: null };
  const signed = signMeta({ v: 1, ...call, headers: { 'content-type': 'application/json' }, bodyHash: crypto.createHash('sha256').update(body).digest('hex'), bodyBytes: body.length }, signer);
  const answer = exchange.ferry!.awaitAnswer(call.xRoadId, 20_000);
  await exchange.ferry!.send('request', { ...call, signed: encodeSigned(signed) }, Readable.from([body]));
  const { meta } = await answer;
  assert.equal(meta.status, 403);
  assert.deepEqual((meta.error as { type: string }).type, 'Server.ServerProxy.CrossingRefused');
  assert.equal(received.includes(call.xRoadId), false);
  const [provider] = (await central.services.exchange.log.findByXRoadId(call.xRoadId)) as Record<string, any>[];
  assert.match(provider.error, /CrossingRefused/);
});

test('node status shows the ferry backlog', async () => {
  const status = await inner.request('GET', '/api/exchange/status', { as: inner.world.auditor });
  assert.equal(status.statusCode, 200);
  assert.equal(status.json.ferry.peer, 'central');
  assert.deepEqual(Object.keys(status.json.ferry).sort(), ['inbound', 'outbound', 'peer', 'rejected', 'unfinished']);
});
