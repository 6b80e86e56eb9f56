// The live traffic view: the meter's arithmetic (histogram percentiles, windows, the bound on
// its memory), and GET /api/exchange/traffic after real calls through /r1 against a real
// backend: who sees what, the numbers, and old seconds falling out as the clock moves.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { localOperator } from '../../platform/actor.ts';
import { manualClock } from '../../platform/clock.ts';
import { buildUser, newCreditCode } from '../../test-support/factories.ts';
import { createTestApp, type TestApp, type TestUser, enableTestTotp } from '../../test-support/test-app.ts';
import type { LogEntry } from './message-log.ts';
import { BINS, binOf, createTrafficMeter, MAX_SERIES, quantile, SPARK_POINTS } from './traffic.ts';

function buildEntry(overrides: Partial<LogEntry> = {}): LogEntry {
  return {
    xRoadId: 'x',
    side: 'provider',
    client: 'EGOV-TEST/GOV/B/welfare',
    service: 'EGOV-TEST/GOV/A/hukou/persons',
    method: 'GET',
    path: '/v1',
    query: '',
    status: 200,
    error: null,
    requestHash: '',
    responseHash: '',
    requestBytes: 0,
    responseBytes: 0,
    durationMs: 10,
    userId: null,
    requestMeta: null,
    requestSignature: null,
    requestSigner: null,
    responseMeta: null,
    responseSignature: null,
    responseSigner: null,
    ...overrides,
  };
}

describe('the traffic meter', () => {
  test('log-scale bins cover 0 ms to beyond any timeout; percentiles land within a bin of the truth', () => {
    assert.equal(binOf(0), 0);
    assert.equal(binOf(-5), 0);
    assert.equal(binOf(Number.NaN), 0);
    assert.equal(binOf(1), 1);
    assert.ok(binOf(600_000) < BINS - 1, 'the longest timeout has a bin of its own');
    assert.equal(binOf(1e12), BINS - 1);
    for (let ms = 1; ms < 100_000; ms = Math.ceil(ms * 1.07)) assert.ok(binOf(ms + 1) >= binOf(ms));

    const hist = new Array<number>(BINS).fill(0);
    hist[binOf(10)] += 90;
    hist[binOf(1000)] += 10;
    const near = (value: number | null, truth: number) => assert.ok(value !== null && Math.abs(value - truth) / truth < 0.2, `${value} is not near ${truth}`);
    near(quantile(hist, 100, 0.5), 10);
    near(quantile(hist, 100, 0.95), 1000);
    near(quantile(hist, 100, 0.99), 1000);
    assert.equal(quantile(hist, 0, 0.5), null);
  });

  test('counts per service and side, errors by status or X-Road error, calls per second over the last minute', () => {
    const clock = manualClock(new Date('2026-03-02T08:00:00.000Z'));
    const meter = createTrafficMeter(clock);
    for (let i = 0; i < 30; i++) {
      meter.record([buildEntry({ side: 'consumer', durationMs: 20 }), buildEntry({ side: 'provider', durationMs: 15 })]);
      clock.advance(1000);
    }
    meter.record([buildEntry({ side: 'consumer', status: 404 }), buildEntry({ side: 'provider', status: 403, error: 'Server.ServerProxy.AccessDenied: no' })]);
    meter.record([buildEntry({ service: 'EGOV-TEST/GOV/A/hukou/other', status: 200, error: 'Server.ServerProxy.Timeout: late' })]);
    const snapshot = meter.snapshot(60);
    assert.equal(snapshot.scope, 'node');
    assert.equal(snapshot.stepSeconds, 2);
    const row = (service: string, side: string) => snapshot.services.find((r) => r.service.endsWith(service) && r.side === side)!;
    assert.deepEqual([row('persons', 'consumer').calls, row('persons', 'consumer').errors], [31, 1]);
    assert.deepEqual([row('persons', 'provider').calls, row('persons', 'provider').errors], [31, 1]);
    assert.deepEqual([row('other', 'provider').calls, row('other', 'provider').errors], [1, 1]);
    assert.equal(snapshot.services[0].calls >= snapshot.services.at(-1)!.calls, true, 'the busiest first');
    assert.equal(row('persons', 'consumer').callsPerSecond, Math.round((31 / 60) * 100) / 100);
    assert.ok(Math.abs(row('persons', 'consumer').p50Ms! - 20) < 3);
    assert.deepEqual([snapshot.totals.consumer.calls, snapshot.totals.provider.calls, snapshot.totals.provider.errors], [31, 32, 2]);
    const series = row('persons', 'consumer').series.calls;
    assert.equal(series.length, SPARK_POINTS);
    assert.equal(series.reduce((a, b) => a + b, 0), 31);
    assert.deepEqual(series.slice(0, 14), new Array(14).fill(0), 'the first half-minute of the window had no calls');
  });

  test('seconds older than the window fall out, to the second; after 15 minutes nothing is left', () => {
    const clock = manualClock(new Date('2026-03-02T08:00:00.000Z'));
    const meter = createTrafficMeter(clock);
    meter.record([buildEntry()]);
    clock.advance(59_999);
    assert.equal(meter.snapshot(60).totals.provider.calls, 1);
    clock.advance(1);
    assert.equal(meter.snapshot(60).totals.provider.calls, 0, 'exactly 60 s later the call is out of the 1-minute window');
    assert.deepEqual(meter.snapshot(60).services, []);
    assert.equal(meter.snapshot(60).totals.provider.p50Ms, null);
    const five = meter.snapshot(300);
    assert.deepEqual([five.totals.provider.calls, five.totals.provider.callsPerSecond], [1, 0], 'still in the 5-minute window, no longer in the last minute');
    clock.advance(840_000);
    assert.equal(meter.snapshot(900).totals.provider.calls, 0);
    assert.equal(meter.seriesCount(), 0, 'an idle series is forgotten');

    // A ring slot is reused 15 minutes later: the old second's counts do not come back.
    meter.record([buildEntry()]);
    clock.advance(900_000);
    meter.record([buildEntry()]);
    assert.equal(meter.snapshot(900).totals.provider.calls, 1);
  });

  test('memory is bounded: beyond the series limit, calls are counted in one overflow series', () => {
    const clock = manualClock(new Date('2026-03-02T08:00:00.000Z'));
    const meter = createTrafficMeter(clock);
    for (let i = 0; i < MAX_SERIES + 50; i++) meter.record([buildEntry({ service: `EGOV-TEST/GOV/A/hukou/s${i}` })]);
    assert.equal(meter.seriesCount(), MAX_SERIES + 1);
    const snapshot = meter.snapshot(60);
    assert.equal(snapshot.totals.provider.calls, MAX_SERIES + 50, 'no call is lost');
    assert.equal(snapshot.services.find((r) => r.service === '*')?.calls, 50);
    assert.equal(meter.snapshot(60, { organization: 'EGOV-TEST/GOV/A' }).services.some((r) => r.service === '*'), false, 'the overflow belongs to no organization');
    clock.advance(900_000);
    meter.record([buildEntry({ service: 'EGOV-TEST/GOV/A/hukou/new' })]);
    assert.equal(meter.seriesCount(), 1, 'idle series make room');
  });
});

describe('GET /api/exchange/traffic', () => {
  let t: TestApp;
  let backend: http.Server;
  let provider: string; // A's subsystem "hukou"
  let clientB: string; // B's subsystem "welfare"
  let clientC: string; // the archives' subsystem "records"
  let archivist: TestUser;
  let stranger: TestUser;
  const tokens = new Map<string, string>();

  before(async () => {
    backend = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(req.url?.includes('/fail') ? 500 : 200, { 'content-type': 'application/json' });
        res.end('{"ok":true}');
      });
    });
    await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
    const backendUrl = `http://127.0.0.1:${(backend.address() as AddressInfo).port}`;

    t = await createTestApp({ env: { EGOV_EXCHANGE_LOG_TIMESTAMP_SECONDS: '0' } });
    const directory = t.services.directory.service;
    const operator = localOperator('test');
    provider = (await directory.createSubsystem(operator, t.world.deptA.id, { code: 'hukou', nameZh: '户籍系统', nameEn: 'Household registration' })).identifier;
    clientB = (await directory.createSubsystem(operator, t.world.deptB.id, { code: 'welfare', nameZh: '救助系统', nameEn: 'Welfare' })).identifier;
    const archives = await directory.create(operator, { parentId: t.world.province.id, nameZh: '浙江省档案馆', nameEn: 'Archives', creditCode: newCreditCode('330000'), divisionCode: '330000', type: 'organ' });
    clientC = (await directory.createSubsystem(operator, archives.id, { code: 'records', nameZh: '档案系统', nameEn: 'Records' })).identifier;
    const archivistUser = await buildUser(t.services, { username: 'archives-admin', orgId: archives.id, roles: ['org_admin'] });
    await enableTestTotp(t, archivistUser);
    archivist = { id: archivistUser.id, username: archivistUser.username, orgId: archives.id };
    const elsewhere = await directory.create(operator, { parentId: t.world.province.id, nameZh: '浙江省气象局', nameEn: 'Meteorology', creditCode: newCreditCode('330000'), divisionCode: '330000', type: 'organ' });
    const strangerUser = await buildUser(t.services, { username: 'weather-officer', orgId: elsewhere.id, roles: ['officer'] });
    stranger = { id: strangerUser.id, username: strangerUser.username, orgId: elsewhere.id };

    const subsystemId = (await directory.findSubsystemByIdentifier(provider))!.id;
    const register = async (code: string, url: string) => {
      const res = await t.request('POST', '/api/exchange/services', { as: t.world.adminA, body: { subsystemId, code, backendUrl: url } });
      assert.equal(res.statusCode, 201, res.body);
      return res.json.id as string;
    };
    const persons = await register('persons', `${backendUrl}/persons`);
    for (const client of [clientB, clientC]) {
      const res = await t.request('POST', `/api/exchange/services/${persons}/rights`, { as: t.world.adminA, body: { clientKind: 'subsystem', client, method: 'GET', pathPattern: '/v1/**' } });
      assert.equal(res.statusCode, 201, res.body);
    }
    const down = await register('down', 'http://127.0.0.1:9/nothing');
    await t.request('POST', `/api/exchange/services/${down}/rights`, { as: t.world.adminA, body: { clientKind: 'subsystem', client: clientB } });
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

  async function call(method: string, service: string, path: string, as: TestUser, client: string) {
    const res = await t.http.inject({ method: method as 'GET', url: `/r1/${provider}/${service}${path}`, headers: { 'x-road-client': client, authorization: `Bearer ${await tokenOf(as)}` } });
    return res.statusCode;
  }

  async function traffic(as: TestUser | undefined, window?: number) {
    return t.request('GET', `/api/exchange/traffic${window ? `?window=${window}` : ''}`, as ? { as } : {});
  }

  type Row = { service: string; side: string; calls: number; errors: number; p50Ms: number | null; p95Ms: number | null; p99Ms: number | null; series: { calls: number[] } };
  const counts = (rows: Row[]) => Object.fromEntries(rows.map((r) => [`${r.service.split('/').at(-1)} ${r.side}`, [r.calls, r.errors]]));

  test('refuses the unauthenticated and a window it does not keep', async () => {
    assert.equal((await traffic(undefined)).statusCode, 401);
    const bad = await traffic(t.world.auditor, 61);
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /window/);
  });

  test('after real calls: calls and errors per service and side, latency, and each organization sees only its own', async () => {
    const adminB = t.world.adminB;
    assert.deepEqual(
      [
        await call('GET', 'persons', '/v1/persons/1', adminB, clientB),
        await call('GET', 'persons', '/v1/persons/2', adminB, clientB),
        await call('GET', 'persons', '/v1/persons/3', adminB, clientB),
        await call('GET', 'persons', '/v1/fail', adminB, clientB),
        await call('DELETE', 'persons', '/v1/persons/1', adminB, clientB),
        await call('GET', 'persons', '/v1/persons/1', t.world.adminA, clientB),
        await call('GET', 'down', '/x', adminB, clientB),
        await call('GET', 'persons', '/v1/persons/4', archivist, clientC),
      ],
      [200, 200, 200, 500, 403, 403, 502, 200],
    );

    const node = await traffic(t.world.platformAdmin, 60);
    assert.equal(node.statusCode, 200, node.body);
    assert.equal(node.headers['cache-control'], 'no-store');
    assert.equal(node.json.scope, 'node');
    // A refusal before the provider is reached (the caller is not the client's owner) is the consumer side's only.
    assert.deepEqual(counts(node.json.services), { 'persons consumer': [7, 3], 'persons provider': [6, 2], 'down consumer': [1, 1], 'down provider': [1, 1] });
    assert.deepEqual([node.json.totals.consumer.calls, node.json.totals.consumer.errors, node.json.totals.provider.calls, node.json.totals.provider.errors], [8, 4, 7, 3]);
    assert.equal(node.json.totals.consumer.callsPerSecond, 0.13);
    for (const row of node.json.services as Row[]) {
      assert.ok(row.p50Ms !== null && row.p95Ms !== null && row.p99Ms !== null);
      assert.ok(row.p50Ms <= row.p95Ms && row.p95Ms <= row.p99Ms, JSON.stringify(row));
      assert.equal(row.series.calls.reduce((a, b) => a + b, 0), row.calls);
    }
    for (const admin of [t.world.securityAdmin, t.world.auditor]) assert.deepEqual((await traffic(admin, 60)).json.totals, node.json.totals);

    // The provider's organization sees every call to its services; a client's organization
    // only its own clients' calls; an organization in none of them sees nothing.
    assert.deepEqual(counts((await traffic(t.world.officerA, 60)).json.services), counts(node.json.services));
    const ofB = await traffic(adminB, 60);
    assert.equal(ofB.json.scope, 'organization');
    assert.deepEqual(counts(ofB.json.services), { 'persons consumer': [6, 3], 'persons provider': [5, 2], 'down consumer': [1, 1], 'down provider': [1, 1] });
    assert.deepEqual(counts((await traffic(archivist, 60)).json.services), { 'persons consumer': [1, 0], 'persons provider': [1, 0] });
    const none = await traffic(stranger, 60);
    assert.equal(none.statusCode, 200);
    assert.deepEqual([none.json.services, none.json.totals.consumer.calls, none.json.totals.provider.calls], [[], 0, 0]);
  });

  test("windows follow the node's clock: a minute later the 1-minute window is empty, 15 minutes later all are", async () => {
    const earlier = (await traffic(t.world.auditor, 300)).json;
    t.clock.advance(61_000);
    const minute = (await traffic(t.world.auditor, 60)).json;
    assert.deepEqual([minute.services, minute.totals.consumer.calls, minute.totals.consumer.p50Ms], [[], 0, null]);
    const five = (await traffic(t.world.auditor, 300)).json;
    assert.equal(five.stepSeconds, 10);
    assert.deepEqual(counts(five.services), counts(earlier.services));
    assert.equal(five.totals.consumer.callsPerSecond, 0, 'none in the last minute');
    const series = five.services[0].series.calls as number[];
    assert.deepEqual(series.slice(-6), [0, 0, 0, 0, 0, 0], 'the last minute of the sparkline is empty');

    await call('GET', 'persons', '/v1/persons/5', t.world.adminB, clientB);
    assert.deepEqual(counts((await traffic(t.world.auditor, 60)).json.services), { 'persons consumer': [1, 0], 'persons provider': [1, 0] });
    t.clock.advance(900_000);
    t.forgetSessions();
    const later = (await traffic(t.world.auditor, 900)).json;
    assert.deepEqual([later.services, later.totals.provider.calls], [[], 0]);
  });
});
