// The message path for REST calls, after the X-Road message protocol for REST v1: a client
// system calls its node as {METHOD} /r1/INSTANCE/CLASS/MEMBER/SUBSYSTEM/SERVICE[/path] with
// X-Road-Client (or GovStack's Information-Mediator-Client). The node authenticates the
// client, checks the provider's access rights, forwards to the service's backend with the
// body streamed both ways under the service's size limit and timeout, and logs both sides
// before the response ends. Errors carry X-Road-Error and a JSON body, as X-Road sends them.
// This is the in-process path (provider on this node); the node-to-node transport with
// signatures and mutual TLS is the next step of issue 4.
import crypto from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../../http/server.ts';
import type { Actor } from '../../platform/actor.ts';
import { canonicalJson } from '../../platform/canonical-json.ts';
import type { CmsSigner } from '../trust/index.ts';
import { IdentifierError, formatClientId, formatServiceId, parseClientId, parseServicePath, type ClientId } from './identifiers.ts';
import { GlobalConfError } from './global-conf.ts';
import type { LogEntry, MessageLog } from './message-log.ts';
import type { Registry } from './registry.ts';

/** X-Road error types, with the HTTP status each is answered with. */
const ERRORS = {
  'Client.BadRequest': 400,
  'Client.Unauthenticated': 401,
  'Client.NotOwner': 403,
  'Server.ServerProxy.UnknownService': 404,
  'Server.ServerProxy.AccessDenied': 403,
  'Server.ServerProxy.ServiceDisabled': 503,
  'Server.ServerProxy.RequestTooLarge': 413,
  'Client.SlowRequest': 408,
  'Server.ClientProxy.OutdatedGlobalConf': 503,
  'Server.ServerProxy.ServiceFailed': 502,
  'Server.ServerProxy.Timeout': 504,
} as const;
export type XRoadErrorType = keyof typeof ERRORS;

/** Headers the client may pass to the backend, and the backend back to the client. */
const FORWARD_REQUEST_HEADERS = ['content-type', 'content-length', 'accept', 'accept-language', 'user-agent', 'x-road-userid', 'x-road-issue'];
const FORWARD_RESPONSE_HEADERS = ['content-type', 'content-length', 'content-language', 'cache-control', 'etag', 'last-modified', 'content-disposition'];
const MAX_CLIENT_HEADER = 1024;

/** A refusal before the call is forwarded carries no signatures. */
const UNSIGNED = { requestMeta: null, requestSignature: null, requestSigner: null, responseMeta: null, responseSignature: null, responseSigner: null };

export type MemberSigner = CmsSigner & { serial: string };

/** Signed metadata: canonical JSON, so any verifier recomputes the same bytes. */
function signMeta(meta: Record<string, unknown>, signer: MemberSigner): { meta: string; signature: Buffer; hash: string } {
  const text = canonicalJson(meta);
  const bytes = Buffer.from(text, 'utf8');
  return { meta: text, signature: signer.suite.sign(bytes, signer.key), hash: crypto.createHash('sha256').update(bytes).digest('hex') };
}

class ExchangeError extends Error {
  readonly type: XRoadErrorType;
  constructor(type: XRoadErrorType, message: string) {
    super(message);
    this.type = type;
  }
}

/**
 * Counts and hashes what passes through; fails the stream once it exceeds `limit` bytes.
 * With `onEnd`, the last chunk is held back until onEnd (the log write) has finished: the
 * client cannot have the whole answer before the exchange is logged, even when it knows
 * the length and stops reading at the last byte.
 */
class Meter extends Transform {
  bytes = 0;
  readonly hash = crypto.createHash('sha256');
  private readonly limit: number;
  private readonly onEnd: (() => Promise<void>) | undefined;
  private held: Buffer | undefined;
  constructor(limit: number, onEnd?: () => Promise<void>) {
    super();
    this.limit = limit;
    this.onEnd = onEnd;
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.limit) return callback(new ExchangeError('Server.ServerProxy.RequestTooLarge', `The body is larger than the service's limit of ${this.limit} bytes.`));
    this.hash.update(chunk);
    if (!this.onEnd) return callback(null, chunk);
    const previous = this.held;
    this.held = chunk;
    callback(null, previous);
  }
  override _flush(callback: TransformCallback): void {
    if (!this.onEnd) return callback();
    this.onEnd().then(
      () => callback(null, this.held),
      (err: unknown) => callback(err as Error),
    );
  }
}

function sendError(reply: FastifyReply, xRoadId: string, type: XRoadErrorType, message: string) {
  return reply
    .code(ERRORS[type])
    .header('x-road-id', xRoadId)
    .header('x-road-error', type)
    .type('application/json; charset=utf-8')
    .send({ type, message, detail: xRoadId });
}

/** A client must keep sending its body at this rate, measured over each window, or it is cut off. */
export type SlowClientGuard = { minBytesPerSecond: number; windowMs: number };

/**
 * Cuts off a request body that trickles (a byte a second would hold a connection and a
 * backend request open for days): fewer than the minimum bytes in a whole window fails it.
 */
function watchRate(stream: Readable, guard: SlowClientGuard, fail: (err: ExchangeError) => void): () => void {
  let bytes = 0;
  const onData = (chunk: Buffer) => (bytes += chunk.length);
  stream.on('data', onData);
  const timer = setInterval(() => {
    // A paused stream is our backpressure (a slow backend), not a slow client.
    if (!stream.isPaused() && bytes < (guard.minBytesPerSecond * guard.windowMs) / 1000) {
      fail(new ExchangeError('Client.SlowRequest', `The request body arrived at ${Math.round((bytes * 1000) / guard.windowMs)} bytes/s, below the minimum of ${guard.minBytesPerSecond}; the request was cut off.`));
    }
    bytes = 0;
  }, guard.windowMs);
  const stop = () => {
    clearInterval(timer);
    stream.off('data', onData);
  };
  stream.once('end', stop);
  stream.once('error', stop);
  stream.once('close', stop);
  return stop;
}

export type ProxyDeps = {
  slowClient: SlowClientGuard;
  globalConf?: { current(): Promise<unknown> };
  registry: Registry;
  log: MessageLog;
  instance: string;
  /** The client subsystem's organization id when the caller acts for it, else undefined. */
  clientOrgOf: (actor: Actor, client: ClientId) => Promise<string | undefined>;
  memberSigner: (orgId: string) => Promise<MemberSigner>;
};

export function registerProxyRoutes(app: App, deps: ProxyDeps): void {
  app.register(async (scope) => {
    // The body is the client's stream, passed on as it arrives: no parser reads it here.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, _payload, done) => done(null));
    scope.route({
      method: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
      url: '/r1/*',
      config: { auth: 'public' },
      schema: { hide: true },
      handler: (request, reply) => handle(request, reply, deps),
    });
  });
}

async function handle(request: FastifyRequest, reply: FastifyReply, deps: ProxyDeps): Promise<unknown> {
  const xRoadId = crypto.randomUUID();
  const started = performance.now();
  const rawUrl = request.raw.url ?? '';
  const queryAt = rawUrl.indexOf('?');
  const query = queryAt === -1 ? '' : rawUrl.slice(queryAt + 1);
  let context: { client: string; service: string; path: string } = { client: '', service: '', path: '' };
  // Refusals before the provider is reached are the consumer side's; after, both sides log them.
  let reachedProvider = false;
  /** Logs the exchange: what this call was, with `outcome`, on the given sides. */
  const log = (outcome: Omit<LogEntry, 'xRoadId' | 'side' | 'client' | 'service' | 'method' | 'path' | 'query' | 'durationMs' | 'userId'>, sides: LogEntry['side'][]) => {
    const entry = { xRoadId, client: context.client, service: context.service, method: request.method, path: context.path, query, durationMs: Math.round(performance.now() - started), userId: request.actor?.userId ?? null, ...outcome };
    return deps.log.append(...sides.map((side) => ({ ...entry, side })));
  };
  const logFailure = (type: XRoadErrorType, message: string) =>
    log({ status: ERRORS[type], error: `${type}: ${message}`, requestHash: '', responseHash: '', requestBytes: 0, responseBytes: 0, ...UNSIGNED }, reachedProvider ? ['consumer', 'provider'] : ['consumer']);
  const fail = async (type: XRoadErrorType, message: string) => {
    request.raw.resume(); // drain what the client still sends
    if (context.service) await logFailure(type, message);
    return sendError(reply, xRoadId, type, message);
  };

  // 0. A member node routes only on a valid global configuration.
  if (deps.globalConf) {
    try {
      await deps.globalConf.current();
    } catch (err) {
      if (err instanceof GlobalConfError) return fail('Server.ClientProxy.OutdatedGlobalConf', err.message);
      throw err;
    }
  }

  // 1. What is asked for, by whom.
  const clientHeader = request.headers['x-road-client'] ?? request.headers['information-mediator-client'];
  if (typeof clientHeader !== 'string' || clientHeader.length === 0) return fail('Client.BadRequest', 'The X-Road-Client (or Information-Mediator-Client) header is missing.');
  if (clientHeader.length > MAX_CLIENT_HEADER) return fail('Client.BadRequest', `The X-Road-Client header is longer than ${MAX_CLIENT_HEADER} characters.`);
  let client: ClientId;
  let target: ReturnType<typeof parseServicePath>;
  try {
    client = parseClientId(clientHeader);
    target = parseServicePath(rawUrl.slice('/r1/'.length, queryAt === -1 ? undefined : queryAt));
  } catch (err) {
    if (err instanceof IdentifierError) return fail('Client.BadRequest', err.message);
    throw err;
  }
  if (client.subsystem === undefined) return fail('Client.BadRequest', 'The client must be a subsystem: INSTANCE/CLASS/MEMBER/SUBSYSTEM.');
  context = { client: formatClientId(client), service: formatServiceId(target.service), path: target.path };

  // 2. The client system proves it acts for its member (an API token of that organization).
  if (!request.actor) return fail('Client.Unauthenticated', 'Authenticate to your node with an API token (Authorization: Bearer …).');
  const clientOrgId = await deps.clientOrgOf(request.actor, client);
  if (!clientOrgId) return fail('Client.NotOwner', `Your credentials do not belong to the organization of ${context.client}.`);

  // 3. The provider's service and its access rights.
  reachedProvider = true;
  const service = await deps.registry.findServiceByIdentifier(decodeURIComponent(context.service));
  if (!service) return fail('Server.ServerProxy.UnknownService', `No service ${context.service} is registered.`);
  if (service.status !== 'active') return fail('Server.ServerProxy.ServiceDisabled', `The service ${context.service} is disabled.`);
  if (!(await deps.registry.authorize(service, context.client, request.method, target.path))) {
    return fail('Server.ServerProxy.AccessDenied', `${context.client} has no access right to ${request.method} ${target.path || '/'} on ${context.service}.`);
  }
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > service.max_body_bytes) return fail('Server.ServerProxy.RequestTooLarge', `The body (${declared} bytes) is larger than the service's limit of ${service.max_body_bytes} bytes.`);

  // 4. Forward, streaming both ways; sign and log both sides before the response's last byte.
  const [clientSigner, providerSigner] = await Promise.all([deps.memberSigner(clientOrgId), deps.memberSigner(service.org_id)]);
  const userId = typeof request.headers['x-road-userid'] === 'string' ? request.headers['x-road-userid'] : null;
  const backend = new URL(service.backend_url + target.path + (query ? `?${query}` : ''));
  const headers: Record<string, string> = { 'x-road-id': xRoadId, 'x-road-client': context.client, 'x-road-service': context.service };
  for (const name of FORWARD_REQUEST_HEADERS) {
    const value = request.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  const requestMeter = new Meter(service.max_body_bytes);
  return new Promise<unknown>((resolve) => {
    let settled = false;
    const settle = (value: unknown) => {
      if (!settled) {
        settled = true;
        resolve(value);
      }
    };
    const transport = backend.protocol === 'https:' ? https : http;
    const outbound = transport.request(backend, { method: request.method, headers, timeout: service.timeout_ms }, (response) => {
      const signedRequest = signMeta({ v: 1, xRoadId, client: context.client, service: context.service, method: request.method, path: target.path, query, userId, bodyHash: requestMeter.hash.digest('hex'), bodyBytes: requestMeter.bytes }, clientSigner);
      const status = response.statusCode ?? 502;
      const responseMeter = new Meter(Number.MAX_SAFE_INTEGER, async () => {
        const signedResponse = signMeta({ v: 1, xRoadId, requestHash: signedRequest.hash, status, bodyHash: responseMeter.hash.digest('hex'), bodyBytes: responseMeter.bytes }, providerSigner);
        await log(
          {
            status,
            error: null,
            requestHash: signedRequest.hash,
            responseHash: signedResponse.hash,
            requestBytes: requestMeter.bytes,
            responseBytes: responseMeter.bytes,
            requestMeta: signedRequest.meta,
            requestSignature: signedRequest.signature,
            requestSigner: clientSigner.serial,
            responseMeta: signedResponse.meta,
            responseSignature: signedResponse.signature,
            responseSigner: providerSigner.serial,
          },
          ['consumer', 'provider'],
        );
      });
      reply.code(status).header('x-road-id', xRoadId).header('x-road-request-hash', Buffer.from(signedRequest.hash, 'hex').toString('base64'));
      for (const name of FORWARD_RESPONSE_HEADERS) {
        const value = response.headers[name];
        if (typeof value === 'string') reply.header(name, value);
      }
      response.on('error', () => responseMeter.destroy());
      settle(reply.send(response.pipe(responseMeter)));
    });
    outbound.on('timeout', () => outbound.destroy(new ExchangeError('Server.ServerProxy.Timeout', `The service did not answer within ${service.timeout_ms} ms.`)));
    outbound.on('error', (err) => {
      const type = err instanceof ExchangeError ? err.type : 'Server.ServerProxy.ServiceFailed';
      const message = err instanceof ExchangeError ? err.message : `The service's backend could not be reached (${(err as NodeJS.ErrnoException).code ?? err.message}).`;
      if (!settled) settle(fail(type, message));
    });
    requestMeter.on('error', (err) => {
      outbound.destroy(err);
    });
    const stopWatching = watchRate(request.raw, deps.slowClient, (err) => {
      requestMeter.destroy(err);
      outbound.destroy(err);
    });
    outbound.once('close', stopWatching);
    request.raw.pipe(requestMeter).pipe(outbound);
  });
}
