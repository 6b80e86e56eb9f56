import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestApp } from '../test-support/test-app.ts';

let t: TestApp;
before(async () => {
  t = await createTestApp({ env: { EGOV_BODY_LIMIT_BYTES: '4096' } });
});
after(() => t.close());

describe('GET /api/health', () => {
  test('answers 200 with the database kind, without signing in', async () => {
    const res = await t.request('GET', '/api/health');
    assert.equal(res.statusCode, 200);
    assert.equal(res.json.status, 'ok');
    assert.equal(res.json.database, t.services.database.kind);
  });
});

describe('GET /api/openapi.json and /api/docs', () => {
  test('publishes OpenAPI 3.1 with every API route and a human docs page', async () => {
    const res = await t.request('GET', '/api/openapi.json');
    assert.equal(res.statusCode, 200);
    assert.equal(res.json.openapi, '3.1.0');
    for (const path of ['/api/organizations', '/api/organizations/{id}', '/api/session', '/api/users', '/api/audit', '/api/health']) {
      assert.ok(res.json.paths[path], `missing ${path}`);
    }
    const docs = await t.request('GET', '/api/docs/');
    assert.equal(docs.statusCode, 200);
    assert.match(docs.body, /swagger/i);
  });
});

describe('GET /api/metrics', () => {
  test('serves Prometheus text with request counts and latency histograms to loopback callers', async () => {
    await t.request('GET', '/api/health');
    const res = await t.request('GET', '/api/metrics', { headers: {} });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /egov_http_requests_total\{method="GET",route="\/api\/health",status="200"\} \d+/);
    assert.match(res.body, /egov_http_request_duration_seconds_bucket\{method="GET",route="\/api\/health",le="0.005"\} \d+/);
  });

  test('with a metrics token configured, a caller without it is refused', async () => {
    const guarded = await createTestApp({ env: { EGOV_METRICS_TOKEN: 'scrape-secret' } });
    try {
      assert.equal((await guarded.request('GET', '/api/metrics')).statusCode, 403);
      assert.equal((await guarded.request('GET', '/api/metrics', { headers: { authorization: 'Bearer wrong' } })).statusCode, 403);
      assert.equal((await guarded.request('GET', '/api/metrics', { headers: { authorization: 'Bearer scrape-secret' } })).statusCode, 200);
    } finally {
      await guarded.close();
    }
  });

  test('in production without a metrics token nobody reads metrics, not even a local caller', async () => {
    const production = await createTestApp({ env: { NODE_ENV: 'production', EGOV_DATA_DIR: '/nonexistent-unused', LOG_LEVEL: 'silent' } });
    try {
      assert.equal((await production.request('GET', '/api/metrics')).statusCode, 403);
    } finally {
      await production.close();
    }
  });
});

describe('cross-cutting HTTP behaviour', () => {
  test('security headers: API answers are locked down and never cached; no HSTS without TLS', async () => {
    const res = await t.request('GET', '/api/health');
    assert.equal(res.headers['content-security-policy'], "default-src 'none'; frame-ancestors 'none'");
    assert.equal(res.headers['cache-control'], 'no-store');
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.equal(res.headers['x-frame-options'], 'DENY');
    assert.equal(res.headers['strict-transport-security'], undefined);
  });

  test('web pages get the browser policy: scripts only from this origin, no framing', async () => {
    const res = await t.request('GET', '/organizations');
    assert.match(String(res.headers['content-security-policy']), /default-src 'self'; script-src 'self'/);
    assert.match(String(res.headers['content-security-policy']), /frame-ancestors 'none'/);
    assert.equal(res.headers['cross-origin-opener-policy'], 'same-origin');
  });

  test('HSTS is sent when TLS is configured', async () => {
    const tls = await createTestApp({ env: { EGOV_TLS: 'true' } });
    try {
      assert.match(String((await tls.request('GET', '/api/health')).headers['strict-transport-security']), /max-age=31536000/);
    } finally {
      await tls.close();
    }
  });

  test('every response carries a request id, echoing a well-formed incoming one', async () => {
    const own = await t.request('GET', '/api/health', { headers: { 'x-request-id': 'trace-123' } });
    assert.equal(own.headers['x-request-id'], 'trace-123');
    const generated = await t.request('GET', '/api/health', { headers: { 'x-request-id': 'bad id with spaces' } });
    assert.match(String(generated.headers['x-request-id']), /^[0-9a-f-]{36}$/);
  });

  test('a body over the limit is 413 problem+json', async () => {
    const res = await t.request('POST', '/api/session', { body: { username: 'x'.repeat(5000), password: 'y' } });
    assert.equal(res.statusCode, 413);
    assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
  });

  test('malformed JSON is a 400 problem, not a 500', async () => {
    const res = await t.http.inject({ method: 'POST', url: '/api/session', headers: { 'content-type': 'application/json' }, payload: '{"username":' });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().status, 400);
  });

  test('an unknown API path is a 404 problem; detail follows Accept-Language', async () => {
    const en = await t.request('GET', '/api/nothing-here', { headers: { 'accept-language': 'en' } });
    assert.equal(en.statusCode, 404);
    assert.equal(en.json.code, 'not_found');
    assert.match(en.json.detail, /No API route/);
    const zh = await t.request('GET', '/api/nothing-here', { headers: { 'accept-language': 'zh-CN,zh;q=0.9' } });
    assert.match(zh.json.detail, /找不到接口/);
    assert.equal(zh.json.title, '未找到');
  });
});
