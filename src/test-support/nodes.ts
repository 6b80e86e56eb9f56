// Several nodes of one instance in one test process, each with its own database, talking over
// real HTTP and mutual TLS on 127.0.0.1: a central node, and member nodes that join it the way
// an operator would (registration, approval by the platform admin, certificates, node port).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { createTestApp, type TestApp } from './test-app.ts';

/** A port free right now on 127.0.0.1 (a node's URL must be known before it listens). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Polls `check` until it returns a value (not undefined/false), or fails after `timeoutMs`. */
/** How long a joining node may take to receive its certificates. */
const CERTIFICATION_WAIT_MS = 180_000;

export async function waitFor<T>(what: string, check: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      // A check that never answers must not hold the test past its deadline either.
      const value = await Promise.race([check(), new Promise<never>((_, reject) => setTimeout(() => reject(new Error('a check did not answer')), Math.max(deadline - Date.now(), 1)).unref())]);
      if (value !== undefined && value !== false) return value as T;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export type RunningNode = { app: TestApp; name: string; httpUrl: string; nodeUrl: string; nodePort: number; close(): Promise<void> };

async function listenHttp(app: TestApp): Promise<string> {
  await app.http.listen({ port: 0, host: '127.0.0.1' });
  return `http://127.0.0.1:${(app.http.server.address() as AddressInfo).port}`;
}

export async function startCentral(env: Record<string, string> = {}): Promise<RunningNode & { anchorFile: string }> {
  const nodePort = await freePort();
  const nodeUrl = `https://127.0.0.1:${nodePort}`;
  const app = await createTestApp({ env: { EGOV_NODE_URL: nodeUrl, EGOV_EXCHANGE_LOG_TIMESTAMP_SECONDS: '0', ...env } });
  const httpUrl = await listenHttp(app);
  await app.services.exchange.listenNode(nodePort);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'egov-anchor-'));
  const anchorFile = path.join(dir, 'anchor.json');
  fs.writeFileSync(anchorFile, JSON.stringify(await app.services.exchange.anchor(httpUrl)));
  return {
    app,
    name: 'central',
    httpUrl,
    nodeUrl,
    nodePort,
    anchorFile,
    async close() {
      await app.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A member node that joins `central`: it registers at start, the platform admin approves the
 * registration whose check code the node shows, and the node opens its node port once it has
 * its certificates and a configuration that lists it. `url` overrides the address other
 * nodes are told (a test may put something in between).
 */
export async function joinNode(central: RunningNode & { anchorFile: string }, options: { name: string; members: string[]; zone?: string; url?: string; env?: Record<string, string> }): Promise<RunningNode> {
  const nodePort = await freePort();
  const nodeUrl = options.url ?? `https://127.0.0.1:${nodePort}`;
  const app = await createTestApp({
    env: {
      EGOV_ANCHOR_FILE: central.anchorFile,
      EGOV_NODE_NAME: options.name,
      EGOV_NODE_URL: nodeUrl,
      EGOV_NODE_ZONE: options.zone ?? 'external',
      EGOV_NODE_MEMBERS: options.members.join(','),
      EGOV_GLOBAL_CONF_REFRESH_SECONDS: '1',
      EGOV_EXCHANGE_LOG_TIMESTAMP_SECONDS: '0',
      ...options.env,
    },
  });
  const admin = central.app.world.platformAdmin;
  const registration = await waitFor(`the registration of ${options.name}`, async () => {
    const pending = await central.app.request('GET', '/api/exchange/nodes/registrations?status=pending', { as: admin });
    return (pending.json as { id: string; name: string; checkCode: string; version: number }[]).find((r) => r.name === options.name);
  });
  const enrolment = await waitFor('the node to record its registration', () => app.services.exchange.enrolment!.status());
  assert.equal(enrolment.check_code, registration.checkCode, 'the node and the central operator see the same check code');
  const approved = await central.app.request('POST', `/api/exchange/nodes/registrations/${registration.id}/approve`, { as: admin, body: { version: registration.version } });
  assert.equal(approved.statusCode, 200, approved.body);
  // Certification crosses central's approval, the node's next configuration poll and its
  // enrolment: seconds on a quiet machine, over a minute when two multi-node test files run
  // at once on two busy cores (seen in CI), hence a longer wait than the other steps.
  await waitFor(`${options.name} to receive its certificates`, () => Promise.race([app.nodeCertified.then(() => true), new Promise<false>((resolve) => setTimeout(() => resolve(false), 200))]), CERTIFICATION_WAIT_MS);
  await app.services.exchange.listenNode(nodePort);
  await waitFor(`${options.name} in its own configuration`, async () => (await app.services.exchange.routing()).findNode(options.name));
  const httpUrl = await listenHttp(app);
  return { app, name: options.name, httpUrl, nodeUrl, nodePort, close: () => app.close() };
}
