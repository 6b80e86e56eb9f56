// Kill -9 while clients call a service through the exchange: every call the client saw
// answered must be in the message log after restart, and the log must still verify.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, test } from 'node:test';
import { DEMO_ORGS, demoCreditCode } from '../../src/demo/dataset.ts';
import { freshDataHome, runCli, signIn, startServer, stopServer, type DataHome } from '../support/egov-process.ts';

let home: DataHome | undefined;
const backend = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'));
});
after(async () => {
  await home?.cleanup();
  await new Promise<void>((resolve) => backend.close(() => resolve()));
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

test('answered exchange calls survive SIGKILL and the message log verifies', { timeout: 240_000 }, async () => {
  await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
  home = await freshDataHome();
  const first = await startServer(home.env);
  const provider = `EGOV-DEMO/GOV/${code('psb')}/hukou`;
  const client = `EGOV-DEMO/GOV/${code('ca')}/welfare`;
  const psb = await signIn(first.baseUrl, 'psb.admin');
  const session = (await (await fetch(`${first.baseUrl}/api/session`, { headers: { cookie: psb.cookie } })).json()) as { user: { orgId: string } };
  const subsystems = (await (await fetch(`${first.baseUrl}/api/organizations/${session.user.orgId}/subsystems`, { headers: { cookie: psb.cookie } })).json()) as { items: { id: string; code: string }[] };
  const service = await api(first.baseUrl, psb, 'POST', '/api/exchange/services', { subsystemId: subsystems.items.find((s) => s.code === 'hukou')!.id, code: 'crash', backendUrl: `http://127.0.0.1:${(backend.address() as AddressInfo).port}/x` });
  await api(first.baseUrl, psb, 'POST', `/api/exchange/services/${service.id}/rights`, { clientKind: 'subsystem', client });
  const ca = await signIn(first.baseUrl, 'ca.admin');
  const token = (await api(first.baseUrl, ca, 'POST', '/api/tokens', { name: 'crash', expiresInDays: 1 })).token as string;

  const answered: string[] = [];
  let stop = false;
  const lane = async () => {
    while (!stop) {
      try {
        const res = await fetch(`${first.baseUrl}/r1/${provider}/crash/call`, { method: 'POST', headers: { 'x-road-client': client, authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{"q":1}' });
        const body = await res.text(); // the call is answered only when the whole body has arrived
        if (res.status === 200 && body === '{"ok":true}') answered.push(String(res.headers.get('x-road-id')));
        else if (!stop) throw new Error(`unexpected ${res.status}: ${body}`);
      } catch (err) {
        if (stop) return;
        throw err;
      }
    }
  };
  let failure: unknown;
  const lanes = [0, 1, 2, 3].map(() => lane().catch((err) => (failure = err)));
  const deadline = Date.now() + 60_000;
  while (answered.length < 100 && !failure && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  stop = true;
  const killed = new Promise((resolve) => first.child.once('exit', resolve));
  first.child.kill('SIGKILL');
  await killed;
  await Promise.allSettled(lanes);
  if (failure) throw failure;
  assert.ok(answered.length >= 100, `only ${answered.length} calls were answered before the kill`);

  const second = await startServer(home.env);
  try {
    const auditor = await signIn(second.baseUrl, 'auditor');
    const missing: string[] = [];
    for (const id of answered) {
      const page = (await (await fetch(`${second.baseUrl}/api/exchange/log?xRoadId=${id}`, { headers: { cookie: auditor.cookie } })).json()) as { total: number };
      if (page.total !== 2) missing.push(id);
    }
    assert.deepEqual(missing, [], `${missing.length} of ${answered.length} answered calls are not logged on both sides`);
  } finally {
    assert.equal(await stopServer(second), 0);
  }
  const verified = runCli(['exchange', 'verify-log'], home.env);
  assert.equal(verified.status, 0, verified.stderr + verified.stdout);
  assert.match(verified.stdout, /Message log OK: \d+ rows/);
});
