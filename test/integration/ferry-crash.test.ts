// Kill -9 the central node while it imports calls that came across the ferry from a node on
// the internal network, then start it again: every call is answered exactly once (by its
// backend's answer, or, for the one the crash caught at the backend, by "delivery unknown"),
// and no backend sees any call twice.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { after, test } from 'node:test';
import { DEMO_ORGS, demoCreditCode } from '../../src/demo/dataset.ts';
import { localOperator } from '../../src/platform/actor.ts';
import { waitFor } from '../../src/test-support/nodes.ts';
import { createTestApp, type TestApp } from '../../src/test-support/test-app.ts';
import { freshDataHome, signIn, startServer, stopServer, type DataHome, type RunningServer } from '../support/egov-process.ts';

const CALLS = 30;
let home: DataHome | undefined;
let inner: TestApp | undefined;
let central: RunningServer | undefined;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'egov-ferry-crash-'));
const deliveries = new Map<string, number>();
// Each call takes the backend a moment, so the kill lands while the import is under way.
const backend = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    const id = String(req.headers['x-road-id']);
    deliveries.set(id, (deliveries.get(id) ?? 0) + 1);
    setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: id })), 40);
  });
});
after(async () => {
  if (central) await stopServer(central, 'SIGKILL');
  await inner?.close();
  await home?.cleanup();
  await new Promise<void>((resolve) => backend.close(() => resolve()));
  fs.rmSync(dir, { recursive: true, force: true });
});

const code = (key: string) => {
  const index = DEMO_ORGS.findIndex((o) => o.key === key);
  return demoCreditCode(DEMO_ORGS[index], index);
};

async function api(baseUrl: string, session: { cookie: string; csrf: string }, method: string, url: string, payload?: unknown) {
  const response = await fetch(`${baseUrl}${url}`, { method, headers: { cookie: session.cookie, 'x-csrf-token': session.csrf, 'content-type': 'application/json' }, body: payload === undefined ? undefined : JSON.stringify(payload) });
  assert.ok(response.ok, `${method} ${url}: ${response.status} ${await response.clone().text()}`);
  return response.json();
}

test('an import killed midway resumes: every call answered once, none delivered twice', { timeout: 300_000 }, async () => {
  await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
  const toCentral = path.join(dir, 'internal-to-external');
  const toInner = path.join(dir, 'external-to-internal');
  for (const d of [toCentral, toInner]) fs.mkdirSync(d);
  home = await freshDataHome();
  const centralEnv = { ...home.env, EGOV_FERRY_PEER: 'dept-internal', EGOV_FERRY_OUT_DIR: toInner, EGOV_FERRY_IN_DIR: toCentral, EGOV_FERRY_POLL_MS: '100', EGOV_GLOBAL_CONF_REFRESH_SECONDS: '1' };
  central = await startServer(centralEnv);
  const base = central.baseUrl;

  // The public security department's service; civil affairs, on the internal network, may call it.
  const provider = `EGOV-DEMO/GOV/${code('psb')}/hukou`;
  const civilAffairs = `EGOV-DEMO/GOV/${code('ca')}`;
  const client = `${civilAffairs}/welfare`;
  const psb = await signIn(base, 'psb.admin');
  const psbOrg = ((await (await fetch(`${base}/api/session`, { headers: { cookie: psb.cookie } })).json()) as { user: { orgId: string } }).user.orgId;
  const subsystems = (await (await fetch(`${base}/api/organizations/${psbOrg}/subsystems`, { headers: { cookie: psb.cookie } })).json()) as { items: { id: string; code: string }[] };
  const service = await api(base, psb, 'POST', '/api/exchange/services', { subsystemId: subsystems.items.find((s) => s.code === 'hukou')!.id, code: 'ferried', backendUrl: `http://127.0.0.1:${(backend.address() as AddressInfo).port}/x`, classification: 'internal' });
  await api(base, psb, 'POST', `/api/exchange/services/${service.id}/rights`, { clientKind: 'subsystem', client });
  const admin = await signIn(base, 'dataadmin');
  await api(base, admin, 'POST', '/api/exchange/crossing-rules', { fromZone: 'internal', toZone: 'external', servicePattern: `${provider}/*`, classifications: ['internal'] });
  const anchorFile = path.join(dir, 'anchor.json');
  fs.writeFileSync(anchorFile, JSON.stringify({ ...(await api(base, admin, 'GET', '/api/exchange/anchor')), centralUrl: 'http://127.0.0.1:9' }));

  // The internal node joins across the ferry.
  inner = await createTestApp({
    env: { EGOV_ANCHOR_FILE: anchorFile, EGOV_NODE_NAME: 'dept-internal', EGOV_NODE_ZONE: 'internal', EGOV_NODE_MEMBERS: civilAffairs, EGOV_FERRY_PEER: 'central', EGOV_FERRY_OUT_DIR: toCentral, EGOV_FERRY_IN_DIR: toInner, EGOV_FERRY_POLL_MS: '100', EGOV_FERRY_WAIT_SECONDS: '240', EGOV_EXCHANGE_LOG_TIMESTAMP_SECONDS: '0' },
  });
  const registration = await waitFor('the registration to cross', async () => ((await api(base, admin, 'GET', '/api/exchange/nodes/registrations?status=pending')) as { id: string; version: number }[])[0], 60_000);
  await api(base, admin, 'POST', `/api/exchange/nodes/registrations/${registration.id}/approve`, { version: registration.version });
  await waitFor('a configuration in which the internal node hosts civil affairs', async () => {
    const routing = await inner!.services.exchange.routing();
    return routing.hostOf(civilAffairs)?.name === 'dept-internal' && routing.findService(`${provider}/ferried`);
  }, 60_000);
  await inner.http.listen({ port: 0, host: '127.0.0.1' });
  const innerUrl = `http://127.0.0.1:${(inner.http.server.address() as AddressInfo).port}`;
  const token = (await inner.services.exchange.clientAuth.add(localOperator('test'), { subsystem: client, kind: 'token' })).token!;

  // Thirty calls at once: thirty bundles for the central node to import, one by one.
  const calls = Array.from({ length: CALLS }, async () => {
    const res = await fetch(`${innerUrl}/r1/${provider}/ferried/call`, { method: 'POST', headers: { 'x-road-client': client, authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{"q":1}' });
    const r = { status: res.status, xRoadId: String(res.headers.get('x-road-id')), error: res.headers.get('x-road-error'), body: await res.text() };
    return r;
  });
  await waitFor('the central node to be part-way through the import', () => deliveries.size >= 8, 120_000);
  await stopServer(central, 'SIGKILL');
  const deliveredBeforeKill = deliveries.size;
  assert.ok(deliveredBeforeKill < CALLS, `the kill came after all ${CALLS} calls were delivered`);
  central = await startServer(centralEnv);

  const results = await Promise.all(calls);
  const answered = results.filter((r) => r.status === 200);
  const unknown = results.filter((r) => r.error === 'Server.ServerProxy.DeliveryUnknown');
  assert.equal(answered.length + unknown.length, CALLS, `every call answered: ${JSON.stringify(results.filter((r) => r.status !== 200 && !r.error?.endsWith('DeliveryUnknown')))}`);
  assert.ok(unknown.length <= 1, 'at most the one call the crash caught at its backend is of unknown outcome');
  for (const r of answered) assert.equal(deliveries.get(r.xRoadId), 1, `${r.xRoadId} answered, and delivered exactly once`);
  for (const r of unknown) assert.ok((deliveries.get(r.xRoadId) ?? 0) <= 1);
  assert.ok([...deliveries.values()].every((n) => n === 1), 'no call reached the backend twice');
  assert.ok(deliveries.size > deliveredBeforeKill, 'the restarted node delivered the calls still waiting');
});
