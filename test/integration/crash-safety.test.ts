// Kill -9 during a stream of writes; every acknowledged write must be there after restart,
// and the audit chain must still verify.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { freshDataHome, runCli, signIn, startServer, stopServer, type DataHome } from '../support/egov-process.ts';

let home: DataHome;
after(async () => home && (await home.cleanup()));

test('acknowledged writes survive SIGKILL and the audit chain verifies', { timeout: 240_000 }, async () => {
  home = await freshDataHome();
  const first = await startServer(home.env);
  const { cookie, csrf } = await signIn(first.baseUrl, 'dataadmin');
  const orgs = (await (await fetch(`${first.baseUrl}/api/organizations?q=${encodeURIComponent('数据局')}`, { headers: { cookie } })).json()) as { items: { id: string }[] };
  const orgId = orgs.items[0].id;

  const acknowledged: string[] = [];
  let stop = false;
  const writer = async (lane: number) => {
    for (let i = 0; !stop; i++) {
      const code = `crash-${lane}-${i}`;
      try {
        const res = await fetch(`${first.baseUrl}/api/organizations/${orgId}/subsystems`, {
          method: 'POST',
          headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' },
          body: JSON.stringify({ code, nameZh: `崩溃测试${i}`, nameEn: `Crash test ${i}` }),
        });
        if (res.status === 201) acknowledged.push(code);
        else if (!stop) throw new Error(`unexpected ${res.status}: ${await res.text()}`);
      } catch (err) {
        if (stop) return; // the connection died with the server: that write was never acknowledged
        throw err;
      }
    }
  };
  let failure: unknown;
  const lanes = [0, 1, 2, 3].map((lane) => writer(lane).catch((err) => (failure = err)));
  const deadline = Date.now() + 60_000;
  while (acknowledged.length < 80 && !failure && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  if (failure) {
    first.child.kill('SIGKILL');
    throw failure;
  }
  stop = true;
  const killed = new Promise((resolve) => first.child.once('exit', resolve));
  first.child.kill('SIGKILL');
  await killed;
  await Promise.allSettled(lanes);
  assert.ok(acknowledged.length >= 80);

  const second = await startServer(home.env);
  try {
    const session = await signIn(second.baseUrl, 'dataadmin');
    const list = (await (await fetch(`${second.baseUrl}/api/organizations/${orgId}/subsystems`, { headers: { cookie: session.cookie } })).json()) as { items: { code: string }[] };
    const present = new Set(list.items.map((s) => s.code));
    const lost = acknowledged.filter((code) => !present.has(code));
    assert.deepEqual(lost, [], `${lost.length} of ${acknowledged.length} acknowledged writes were lost`);
  } finally {
    assert.equal(await stopServer(second), 0, 'SIGTERM shuts down cleanly with exit code 0');
  }
  const verify = runCli(['verify'], home.env);
  assert.equal(verify.status, 0, verify.stderr + verify.stdout);
  assert.match(verify.stdout, /Audit chain OK: \d+ rows/);
});

test('SIGTERM lets requests in flight finish, persists what it acknowledged and exits 0', { timeout: 240_000 }, async () => {
  const termHome = await freshDataHome();
  try {
    const server = await startServer(termHome.env);
    const { cookie, csrf } = await signIn(server.baseUrl, 'dataadmin');
    const orgs = (await (await fetch(`${server.baseUrl}/api/organizations?q=${encodeURIComponent('数据局')}`, { headers: { cookie } })).json()) as { items: { id: string }[] };
    const orgId = orgs.items[0].id;
    const inFlight = Array.from({ length: 30 }, (_, i) =>
      fetch(`${server.baseUrl}/api/organizations/${orgId}/subsystems`, {
        method: 'POST',
        headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' },
        body: JSON.stringify({ code: `term-${i}`, nameZh: `停机测试${i}`, nameEn: `Shutdown ${i}` }),
      }).then(
        (res) => ({ code: `term-${i}`, status: res.status }),
        () => ({ code: `term-${i}`, status: 0 }), // refused: it arrived after the server stopped listening
      ),
    );
    await new Promise((r) => setTimeout(r, 5));
    const exitCode = stopServer(server, 'SIGTERM');
    const outcomes = await Promise.all(inFlight);
    assert.equal(await exitCode, 0, server.output());
    assert.ok(outcomes.every((o) => [0, 201, 503].includes(o.status)), JSON.stringify(outcomes));
    const acknowledged = outcomes.filter((o) => o.status === 201).map((o) => o.code);
    assert.ok(acknowledged.length > 0, `no request finished after SIGTERM: ${JSON.stringify(outcomes)}`);

    const again = await startServer(termHome.env);
    try {
      const session = await signIn(again.baseUrl, 'dataadmin');
      const list = (await (await fetch(`${again.baseUrl}/api/organizations/${orgId}/subsystems`, { headers: { cookie: session.cookie } })).json()) as { items: { code: string }[] };
      const present = new Set(list.items.map((s) => s.code));
      assert.deepEqual(acknowledged.filter((c) => !present.has(c)), []);
    } finally {
      await stopServer(again);
    }
  } finally {
    await termHome.cleanup();
  }
});
