// The last hop: what a backend receives. Only forwardable headers pass, whoever put others in
// the call (a client, or a node that signed them); the granted fields and the X-Road headers
// are this node's own.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { backendHeaders, callBackend, createBackendCaller, createBuiltins, type BackendCall } from './backend.ts';

let server: http.Server;
let url: string;
const seen: http.IncomingHttpHeaders[] = [];
before(async () => {
  server = http.createServer((req, res) => {
    seen.push(req.headers);
    req.resume();
    req.on('end', () => res.end('ok'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

const call = (over: Partial<BackendCall>): BackendCall => ({
  xRoadId: '00000000-0000-4000-8000-000000000001',
  client: 'EGOV/GOV/B/welfare',
  service: 'EGOV/GOV/A/hukou/persons',
  backendUrl: url,
  method: 'GET',
  path: '/v1/persons/1',
  query: '',
  // What a node could have signed besides the forwardable headers.
  headers: { accept: 'application/json', 'x-road-issue': 'case-7', 'x-egov-granted-fields': 'everything', 'x-road-client': 'EGOV/GOV/X/spoofed', authorization: 'Bearer stolen' },
  timeoutMs: 2000,
  grantedFields: null,
  ...over,
});

async function send(c: BackendCall): Promise<http.IncomingHttpHeaders> {
  const { outbound, response } = callBackend(c);
  outbound.end();
  (await response).resume();
  return seen.at(-1)!;
}

test('an HTTP backend gets the granted fields from the node, never from the call headers', async () => {
  const limited = await send(call({ grantedFields: ['birthDate', 'name'] }));
  assert.equal(limited['x-egov-granted-fields'], 'birthDate,name');
  assert.equal(limited['x-road-client'], 'EGOV/GOV/B/welfare', 'the verified client, not a header');
  assert.equal(limited['x-road-issue'], 'case-7', 'the purpose passes');
  assert.equal(limited.accept, 'application/json');
  assert.equal(limited.authorization, undefined);
  const whole = await send(call({ grantedFields: null }));
  assert.equal(whole['x-egov-granted-fields'], undefined, 'the whole answer: no header at all');
  assert.equal(backendHeaders(call({ grantedFields: [] }))['x-egov-granted-fields'], '', 'an empty grant is an empty list, not the whole answer');
});

test('built-ins are looked up when called, by exact name, and get the same headers', async () => {
  const builtins = createBuiltins();
  const caller = createBackendCaller(builtins);
  const run = async (c: BackendCall) => {
    const { outbound, response } = caller(c);
    outbound.end();
    const answer = await response;
    const chunks: Buffer[] = [];
    for await (const chunk of answer) chunks.push(chunk as Buffer);
    return { status: answer.statusCode, body: Buffer.concat(chunks).toString('utf8') };
  };
  await assert.rejects(run(call({ backendUrl: 'egov:late' })), /no built-in backend egov:late/);
  await assert.rejects(run(call({ backendUrl: 'egov:constructor' })), /no built-in backend egov:constructor/, "an object's inherited property is no handler");
  builtins.register('late', async (c) => ({ status: 200, headers: {}, body: Buffer.from(JSON.stringify({ fields: c.grantedFields, header: c.headers['x-egov-granted-fields'] ?? null, auth: c.headers.authorization ?? null })) }));
  assert.deepEqual(JSON.parse((await run(call({ backendUrl: 'egov:late', grantedFields: ['name'] }))).body), { fields: ['name'], header: 'name', auth: null });
  assert.deepEqual(JSON.parse((await run(call({ backendUrl: 'egov:late', grantedFields: null }))).body), { fields: null, header: null, auth: null });
  assert.throws(() => builtins.register('late', async () => ({ status: 200, headers: {}, body: Buffer.alloc(0) })), /already a built-in backend egov:late/);
  assert.throws(() => builtins.register('__proto__', async () => ({ status: 200, headers: {}, body: Buffer.alloc(0) })), /not a built-in backend name/);
});
