// The global configuration between two databases over real HTTP: the central node publishes
// it signed; a member node, installed with the central node's anchor, fetches, verifies and
// keeps it, refuses a forged or foreign one, keeps serving on its copy while the central
// node is unreachable, and refuses once that copy has expired.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { localOperator } from '../../platform/actor.ts';
import { manualClock } from '../../platform/clock.ts';
import { closeTestDatabase, openMigratedTestDatabase, type TestDatabase } from '../../test-support/database.ts';
import { createTestApp, type TestApp } from '../../test-support/test-app.ts';
import { createSuites } from '../trust/index.ts';
import { createGlobalConfClient, GlobalConfError, parseAnchor, type Anchor, type SignedConf } from './global-conf.ts';

let central: TestApp;
let other: TestApp;
let node: TestDatabase;
let centralUrl: string;
let anchor: Anchor;
const suites = createSuites();

before(async () => {
  central = await createTestApp();
  other = await createTestApp({ env: { EGOV_INSTANCE: 'OTHER' } });
  node = await openMigratedTestDatabase();
  await central.services.directory.service.createSubsystem(localOperator('test'), central.world.deptA.id, { code: 'hukou', nameZh: '户籍系统', nameEn: 'Household registration' });
  await central.http.listen({ port: 0, host: '127.0.0.1' });
  centralUrl = `http://127.0.0.1:${(central.http.server.address() as AddressInfo).port}`;
  anchor = await central.services.exchange.anchor(centralUrl);
});
after(async () => {
  await central.close();
  await other.close();
  await closeTestDatabase(node);
});

test('the central node publishes a signed configuration that a member node verifies and keeps', async () => {
  const response = await fetch(`${centralUrl}/exchange/v1/global-conf`);
  assert.equal(response.status, 200);
  const clock = manualClock(new Date());
  const client = createGlobalConfClient({ db: node.database.db, clock, suites, anchor });
  await assert.rejects(client.current(), (err: unknown) => err instanceof GlobalConfError && err.code === 'no_global_conf');
  const conf = await client.refresh();
  assert.equal(conf.instance, 'EGOV-DEMO');
  assert.ok(conf.members.some((m) => m.identifier === central.world.deptA.identifier));
  assert.ok(conf.subsystems.some((s) => s.identifier === `${central.world.deptA.identifier}/hukou`));
  assert.equal(new Date(conf.expiresAt).getTime() - new Date(conf.generatedAt).getTime(), 10 * 60_000);

  // A restarted node reads its stored copy, verifying it again.
  const restarted = createGlobalConfClient({ db: node.database.db, clock, suites, anchor, fetchConf: async () => Promise.reject(new Error('central unreachable')) });
  assert.equal((await restarted.current()).generatedAt, conf.generatedAt);
  await assert.rejects(restarted.refresh(), /central unreachable/);
  assert.equal((await restarted.current()).generatedAt, conf.generatedAt, 'a failed refresh keeps the good copy');

  clock.advance(10 * 60_000 + 1);
  await assert.rejects(restarted.current(), (err: unknown) => err instanceof GlobalConfError && err.code === 'outdated_global_conf' && /expired at/.test(err.message));
});

test('a forged, altered or foreign configuration is refused', async () => {
  const genuine = (await (await fetch(`${centralUrl}/exchange/v1/global-conf`)).json()) as SignedConf;
  const clock = manualClock(new Date());
  const attempt = (signed: SignedConf) => createGlobalConfClient({ db: node.database.db, clock, suites, anchor, fetchConf: async () => signed }).refresh();

  const content = JSON.parse(Buffer.from(genuine.contentBase64, 'base64').toString('utf8'));
  content.expiresAt = new Date(Date.now() + 365 * 86_400_000).toISOString();
  await assert.rejects(attempt({ ...genuine, contentBase64: Buffer.from(JSON.stringify(content)).toString('base64') }), /does not verify \(content_mismatch\)/);

  const foreign = await other.services.exchange.signedGlobalConf();
  await assert.rejects(attempt(foreign), /not signed by the configuration certificate in this node's anchor/);
  await assert.rejects(attempt({ ...genuine, signatureBase64: 'AAAA' }), /cannot be read/);

  // The other instance's own anchor accepts its configuration but not ours.
  const otherAnchor = await other.services.exchange.anchor('http://127.0.0.1:9');
  await assert.rejects(createGlobalConfClient({ db: node.database.db, clock, suites, anchor: otherAnchor, fetchConf: async () => genuine }).refresh(), /anchor/);
});

test('an anchor names what is wrong with it', () => {
  assert.throws(() => parseAnchor(JSON.stringify({ ...anchor, instance: 'ELSEWHERE' }), 'EGOV-DEMO'), /anchor is for instance ELSEWHERE, but this node is configured for EGOV-DEMO/);
  assert.throws(() => parseAnchor('{"format":"something"}', 'EGOV-DEMO'), /not an egov anchor/);
  assert.throws(() => parseAnchor('not json', 'EGOV-DEMO'), /not JSON/);
});

test('node status: the central node, for the people who run it', async () => {
  assert.equal((await central.request('GET', '/api/exchange/status')).statusCode, 401);
  assert.equal((await central.request('GET', '/api/exchange/status', { as: central.world.officerA })).statusCode, 403);
  const status = await central.request('GET', '/api/exchange/status', { as: central.world.auditor });
  assert.equal(status.statusCode, 200);
  assert.deepEqual([status.json.role, status.json.instance, status.json.globalConf], ['central', 'EGOV-DEMO', { published: true }]);
  assert.ok(status.json.configurationCertificate.daysLeft > 1000);
  assert.ok(status.json.tsaCertificate.daysLeft > 1000);
  assert.deepEqual(Object.keys(status.json.messageLog).sort(), ['lastBatchAt', 'pending', 'rows']);
});
