// Bodies kept in the message log (EGOV_EXCHANGE_LOG_BODIES): sealed at rest on both nodes,
// exported with the evidence only on request (and that read audited), and checked there
// against the body hashes both members signed. A body over the limit is kept in part.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { localOperator } from '../../platform/actor.ts';
import { joinNode, startCentral, waitFor, type RunningNode } from '../../test-support/nodes.ts';
import { createSuites } from '../trust/index.ts';
import { verifyEvidence } from './evidence.ts';

const KEEP = { EGOV_EXCHANGE_LOG_BODIES: 'true', EGOV_EXCHANGE_LOG_BODY_LIMIT: '64' };
let central: Awaited<ReturnType<typeof startCentral>>;
let nodeA: RunningNode;
let backend: http.Server;
let client: string;
let service: string;
let token: string;

before(async () => {
  backend = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c));
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ 姓名: '张三', 身份证号: '330106199001011234', echoBytes: body.length })));
  });
  await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
  central = await startCentral(KEEP);
  const { deptA, deptB, adminB } = central.app.world;
  const directory = central.app.services.directory.service;
  client = (await directory.createSubsystem(localOperator('test'), deptA.id, { code: 'cases', nameZh: '案件', nameEn: 'Cases' })).identifier;
  const provider = await directory.createSubsystem(localOperator('test'), deptB.id, { code: 'people', nameZh: '人口', nameEn: 'People' });
  const created = await central.app.request('POST', '/api/exchange/services', { as: adminB, body: { subsystemId: provider.id, code: 'lookup', backendUrl: `http://127.0.0.1:${(backend.address() as AddressInfo).port}` } });
  assert.equal(created.statusCode, 201, created.body);
  service = created.json.identifier;
  await central.app.request('POST', `/api/exchange/services/${created.json.id}/rights`, { as: adminB, body: { clientKind: 'subsystem', client } });
  nodeA = await joinNode(central, { name: 'dept-a', members: [deptA.identifier], env: KEEP });
  token = (await nodeA.app.services.exchange.clientAuth.add(localOperator('test'), { subsystem: client, kind: 'token' })).token!;
  await waitFor("node A's configuration with the service", async () => (await nodeA.app.services.exchange.routing()).findService(service));
}, { timeout: 420_000 });

after(async () => {
  await nodeA?.close();
  await central?.close();
  await new Promise<void>((resolve) => backend.close(() => resolve()));
});

const call = (body: string) => fetch(`${nodeA.httpUrl}/r1/${service}/q`, { method: 'POST', headers: { 'x-road-client': client, authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body });

test('bodies are kept sealed on both nodes and come out only with the evidence, checked against the signed hashes', async () => {
  const res = await call('{"身份证号":"330106199001011234"}');
  assert.equal(res.status, 200);
  await res.text();
  const xRoadId = res.headers.get('x-road-id')!;
  for (const node of [nodeA, central]) {
    const rows = await node.app.services.database.db.selectFrom('exchange.message_bodies').selectAll().where('x_road_id', '=', xRoadId).execute();
    assert.deepEqual(rows.map((r) => r.part).sort(), ['request', 'response'], `${node.name} keeps both bodies`);
    assert.equal(JSON.stringify(rows).includes('330106199001011234'), false, `${node.name} keeps them sealed`);
    assert.equal((await node.app.services.exchange.exportEvidence(xRoadId))!.bodies, undefined, 'not without asking');
    const pkg = (await node.app.services.exchange.exportEvidence(xRoadId, { withBodies: localOperator('auditor on duty') }))!;
    assert.equal(pkg.bodies!.length, 2);
    const check = verifyEvidence(pkg, createSuites());
    assert.equal(check.ok, true, check.problems.join('; '));
    assert.ok(check.facts.some((f) => /request body .* the body whose hash was signed/.test(f)), check.facts.join('\n'));
    const forged = { ...pkg, bodies: pkg.bodies!.map((b) => (b.part === 'request' ? { ...b, dataBase64: Buffer.from('{"身份证号":"110105199001011234"}').toString('base64') } : b)) };
    assert.match(verifyEvidence(forged, createSuites()).problems.join('; '), /request body .*: it is not the body whose hash was signed/);
    const audit = await node.app.request('GET', '/api/audit?action=exchange.body.read', { as: node.app.world.auditor });
    assert.ok((audit.json.items as { subjectId: string; actorName: string }[]).some((e) => e.subjectId === xRoadId), `${node.name} audits the read`);
  }
});

test('a body longer than the limit is kept in part, and the evidence says so', async () => {
  const res = await call(JSON.stringify({ padding: 'x'.repeat(200) }));
  assert.equal(res.status, 200);
  await res.text();
  const pkg = (await nodeA.app.services.exchange.exportEvidence(res.headers.get('x-road-id')!, { withBodies: localOperator('auditor on duty') }))!;
  const request = pkg.bodies!.find((b) => b.part === 'request')!;
  assert.deepEqual([request.complete, request.bytes, Buffer.from(request.dataBase64, 'base64').length], [false, 214, 64]);
  const check = verifyEvidence(pkg, createSuites());
  assert.equal(check.ok, true, check.problems.join('; '));
  assert.ok(check.facts.some((f) => /only the first 64 of 214 bytes were kept/.test(f)));
});
