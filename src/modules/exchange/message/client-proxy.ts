// The client side of the message path, after the X-Road message protocol for REST v1: a
// client system calls its node as {METHOD} /r1/INSTANCE/CLASS/MEMBER/SUBSYSTEM/SERVICE[/path]
// with X-Road-Client (or GovStack's Information-Mediator-Client). The node authenticates the
// client for that subsystem and finds, in the global configuration, the node that hosts the
// service's member.
// - Hosted here: the in-process path. Access rights are checked, the body streams to the
//   backend and back, both sides are signed and logged on this node.
// - Hosted elsewhere: the body streams to the provider's node over mutual TLS, followed by the
//   signed request metadata; the provider's answer is held (spooled) until its signature and
//   its binding to our request verify, then streamed to the client.
// Either way both sides are logged before the client has the response's last byte.
import crypto from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../../../http/server.ts';
import type { Clock } from '../../../platform/clock.ts';
import type { Suite, SuiteName } from '../../trust/index.ts';
import { GlobalConfError } from '../global-conf.ts';
import { IdentifierError, formatClientId, formatServiceId, parseClientId, parseServicePath } from '../identifiers.ts';
import type { LogEntry, MessageLog } from '../message-log.ts';
import { base64OfHex, entryFor, requestMetaOf, signedFields, UNSIGNED, type Exchange, type Outcome } from './exchange-record.ts';
import type { MemberSigner } from '../node-identity.ts';
import { memberOf, type ConfIndex, type NodeEntry, type ServiceEntry } from '../routing.ts';
import { FORWARD_REQUEST_HEADERS, FORWARD_RESPONSE_HEADERS, pickHeaders, sendBody, type BackendCaller, type BackendResponse } from './backend.ts';
import { ERRORS, ExchangeError, isXRoadErrorType, replyError, type XRoadErrorType } from './errors.ts';
import { Meter, watchRate, type SlowClientGuard } from './meter.ts';
import { checkAnswer, sendAnswer } from './answer.ts';
import { decodeSigned, encodeSigned, signMeta, SIGNED_TRAILER, type Signed } from './signed-meta.ts';
import { Spool } from './spool.ts';
import { keptBodies, newCapture, throughCapture } from './body-capture.ts';
import type { NodeTransport } from './transport.ts';
import { forwardByFerry, type FerryCallDeps } from '../ferry/ferry-calls.ts';

const MAX_CLIENT_HEADER = 1024;
/** Time for the network between nodes, on top of the service's own timeout. */
const NETWORK_MARGIN_MS = 5_000;
/** An error answer from another node is small; more is not read. */
const MAX_ERROR_BODY = 64 * 1024;
const UNLIMITED = Number.MAX_SAFE_INTEGER;

export type ClientCheck = { ok: true } | { ok: false; type: 'Client.Unauthenticated' | 'Client.NotOwner'; message: string };

export type ClientProxyDeps = {
  /** The service's backend: over HTTP, or a built-in one (pub/sub). */
  callBackend: BackendCaller;
  self: string;
  /** The global configuration, indexed; throws GlobalConfError when a member node has no valid copy. */
  routing: () => Promise<ConfIndex>;
  /** Whether the caller acts for `subsystem` (canonical identifier) of a member hosted here. */
  authenticateClient: (request: FastifyRequest, subsystem: string, member: string) => Promise<ClientCheck>;
  memberSigner: (member: string) => Promise<MemberSigner>;
  log: MessageLog;
  transport: NodeTransport;
  suites: Record<SuiteName, Suite>;
  clock: Clock;
  slowClient: SlowClientGuard;
  spoolDir: string;
  /** Calls to services on the node across the ferry; `isolated`: the only way out. */
  ferry?: FerryCallDeps & { isolated: boolean };
};

export function registerClientProxyRoutes(app: App, deps: ClientProxyDeps): void {
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

async function handle(request: FastifyRequest, reply: FastifyReply, deps: ClientProxyDeps): Promise<unknown> {
  const rawUrl = request.raw.url ?? '';
  const queryAt = rawUrl.indexOf('?');
  const exchange: Exchange = {
    xRoadId: crypto.randomUUID(),
    started: performance.now(),
    client: '',
    service: '',
    method: request.method,
    path: '',
    query: queryAt === -1 ? '' : rawUrl.slice(queryAt + 1),
    userId: typeof request.headers['x-road-userid'] === 'string' ? request.headers['x-road-userid'] : null,
  };
  // Refusals before the provider is reached are the consumer side's; after, both sides log them.
  let reachedProvider = false;
  const fail = async (type: XRoadErrorType, message: string) => {
    request.raw.resume(); // drain what the client still sends
    if (exchange.service) {
      const outcome = { status: ERRORS[type], error: `${type}: ${message}`, requestHash: '', responseHash: '', requestBytes: 0, responseBytes: 0, ...UNSIGNED };
      await deps.log.append(...(reachedProvider ? ['consumer', 'provider'] : ['consumer']).map((side) => entryFor(exchange, side as LogEntry['side'], outcome)));
    }
    return replyError(reply, exchange.xRoadId, type, message);
  };

  // 0. Route only on a valid global configuration.
  let routing: ConfIndex;
  try {
    routing = await deps.routing();
  } catch (err) {
    if (err instanceof GlobalConfError) return fail('Server.ClientProxy.OutdatedGlobalConf', err.message);
    throw err;
  }

  // 1. What is asked for, by whom.
  // GovStack's Information Mediator names the header Information-Mediator-Client, and its
  // Pub/Sub specification X-GovStack-Client: all three name the same thing.
  const clientHeader = request.headers['x-road-client'] ?? request.headers['information-mediator-client'] ?? request.headers['x-govstack-client'];
  if (typeof clientHeader !== 'string' || clientHeader.length === 0) return fail('Client.BadRequest', 'The X-Road-Client (or Information-Mediator-Client, X-GovStack-Client) header is missing.');
  if (clientHeader.length > MAX_CLIENT_HEADER) return fail('Client.BadRequest', `The X-Road-Client header is longer than ${MAX_CLIENT_HEADER} characters.`);
  let target: ReturnType<typeof parseServicePath>;
  try {
    const client = parseClientId(clientHeader);
    target = parseServicePath(rawUrl.slice('/r1/'.length, queryAt === -1 ? undefined : queryAt));
    if (client.subsystem === undefined) return fail('Client.BadRequest', 'The client must be a subsystem: INSTANCE/CLASS/MEMBER/SUBSYSTEM.');
    exchange.client = formatClientId(client);
  } catch (err) {
    if (err instanceof IdentifierError) return fail('Client.BadRequest', err.message);
    throw err;
  }
  exchange.service = formatServiceId(target.service);
  exchange.path = target.path;

  // 2. The client system proves it acts for its subsystem, whose member this node hosts.
  const clientMember = memberOf(decodeURIComponent(exchange.client));
  const clientCheck = await deps.authenticateClient(request, exchange.client, clientMember);
  if (!clientCheck.ok) return fail(clientCheck.type, clientCheck.message);

  // 3. The provider's service, and the node that hosts it.
  const service = routing.findService(decodeURIComponent(exchange.service));
  if (!service) return fail('Server.ServerProxy.UnknownService', `No service ${exchange.service} is registered.`);
  const host = routing.hostOf(service.member);
  if (!host) return fail('Server.ServerProxy.UnknownService', `No node hosts ${service.member}, the provider of ${exchange.service}.`);
  const declared = Number(request.headers['content-length'] ?? 0);
  if (host.name !== deps.self) {
    const ctx = { exchange, service, host, routing, clientMember, fail };
    if (deps.ferry && host.name === deps.ferry.ferry.settings.peer) return forwardByFerry(request, reply, deps.ferry, ctx);
    // A node in an isolated zone reaches other nodes only across its ferry.
    if (deps.ferry?.isolated) return fail('Server.ClientProxy.NetworkError', `${exchange.service} is hosted on node ${host.name}; this node reaches only ${deps.ferry.ferry.settings.peer}, across its ferry.`);
    return forwardToNode(request, reply, deps, ctx);
  }

  reachedProvider = true;
  if (service.status !== 'active') return fail('Server.ServerProxy.ServiceDisabled', `The service ${exchange.service} is disabled.`);
  const grant = routing.access(service.identifier, exchange.client, request.method, target.path);
  if (!grant) return fail('Server.ServerProxy.AccessDenied', `${exchange.client} has no access right to ${request.method} ${target.path || '/'} on ${exchange.service}.`);
  if (declared > service.maxBodyBytes) return fail('Server.ServerProxy.RequestTooLarge', `The body (${declared} bytes) is larger than the service's limit of ${service.maxBodyBytes} bytes.`);
  if (!service.backendUrl) return fail('Server.ServerProxy.ServiceFailed', `This node has no backend address for ${exchange.service}.`);
  return serveHere(request, reply, deps, { exchange, service, clientMember, fail }, grant.fields);
}

export type Context = { exchange: Exchange; service: ServiceEntry; clientMember: string; fail: (type: XRoadErrorType, message: string) => Promise<unknown> };

/** The provider is on this node: straight to its backend, both sides logged here; `grantedFields` as this node's rights grant. */
async function serveHere(request: FastifyRequest, reply: FastifyReply, deps: ClientProxyDeps, { exchange, service, clientMember, fail }: Context, grantedFields: string[] | null): Promise<unknown> {
  const [clientSigner, providerSigner] = await Promise.all([deps.memberSigner(clientMember), deps.memberSigner(service.member)]);
  const headers = pickHeaders(request.headers, FORWARD_REQUEST_HEADERS);
  const requestMeter = new Meter(service.maxBodyBytes);
  const { outbound, response } = deps.callBackend({ ...exchange, backendUrl: service.backendUrl!, headers, timeoutMs: service.timeoutMs, grantedFields });
  const stopWatching = watchRate(request.raw, deps.slowClient, (err) => {
    requestMeter.destroy(err);
    outbound.destroy(err);
  });
  outbound.once('close', stopWatching);
  const requestCopy = newCapture(deps.log);
  sendBody(throughCapture(request.raw.pipe(requestMeter), requestCopy) as Readable, outbound);
  let backend: BackendResponse;
  try {
    backend = await response;
  } catch (err) {
    return fail((err as ExchangeError).type ?? 'Server.ServerProxy.ServiceFailed', (err as Error).message);
  }
  const { 'content-length': _length, ...signedHeaders } = headers;
  const signedRequest = signMeta({ v: 1, ...requestMetaOf(exchange), headers: signedHeaders, bodyHash: requestMeter.hex(), bodyBytes: requestMeter.bytes }, clientSigner);
  const status = backend.statusCode ?? 502;
  const responseHeaders = pickHeaders(backend.headers, FORWARD_RESPONSE_HEADERS);
  const responseMeter = new Meter(UNLIMITED, async () => {
    const signedResponse = signMeta({ v: 1, xRoadId: exchange.xRoadId, requestHash: signedRequest.hash, status, headers: responseHeaders, bodyHash: responseMeter.hex(), bodyBytes: responseMeter.bytes }, providerSigner);
    const outcome = { status, error: null, requestBytes: requestMeter.bytes, responseBytes: responseMeter.bytes, ...signedFields(signedRequest, signedResponse) };
    // Bodies kept once, under the provider's side: both rows are this node's.
    await deps.log.appendWith([entryFor(exchange, 'consumer', outcome), entryFor(exchange, 'provider', outcome)], keptBodies(exchange.xRoadId, 'provider', requestCopy, responseCopy));
  });
  const responseCopy = newCapture(deps.log);
  reply.code(status).header('x-road-id', exchange.xRoadId).header('x-road-request-hash', base64OfHex(signedRequest.hash)).headers(responseHeaders);
  if (typeof backend.headers['content-length'] === 'string') reply.header('content-length', backend.headers['content-length']);
  backend.on('error', () => responseMeter.destroy());
  return reply.send(throughCapture(backend, responseCopy).pipe(responseMeter));
}

/** The provider is on another node: over mutual TLS, signed, and its answer verified before the client sees it. */
async function forwardToNode(request: FastifyRequest, reply: FastifyReply, deps: ClientProxyDeps, ctx: Context & { host: NodeEntry; routing: ConfIndex }): Promise<unknown> {
  const { exchange, service, host, routing, clientMember, fail } = ctx;
  if (service.status !== 'active') return fail('Server.ServerProxy.ServiceDisabled', `The service ${exchange.service} is disabled.`);
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > service.maxBodyBytes) return fail('Server.ServerProxy.RequestTooLarge', `The body (${declared} bytes) is larger than the service's limit of ${service.maxBodyBytes} bytes.`);
  const clientSigner = await deps.memberSigner(clientMember);
  const { 'content-length': _length, ...headers } = pickHeaders(request.headers, FORWARD_REQUEST_HEADERS);
  let outbound;
  try {
    outbound = await deps.transport.request(host, {
      method: request.method,
      path: request.raw.url!,
      // Chunked for every method: the signature follows the body as a trailer, even an empty body.
      headers: { ...headers, 'x-road-id': exchange.xRoadId, 'x-road-client': exchange.client, 'transfer-encoding': 'chunked', trailer: SIGNED_TRAILER },
      timeoutMs: service.timeoutMs + NETWORK_MARGIN_MS,
    });
  } catch (err) {
    return fail('Server.ClientProxy.NetworkError', (err as Error).message);
  }
  const requestMeter = new Meter(service.maxBodyBytes);
  const requestCopy = newCapture(deps.log);
  let signedRequest: Signed | undefined;
  const logConsumer = async (outcome: Outcome) => {
    await deps.log.append(entryFor(exchange, 'consumer', outcome));
  };

  return new Promise<unknown>((resolve) => {
    let settled = false;
    const settle = (value: unknown) => {
      if (!settled) {
        settled = true;
        resolve(value);
      }
    };
    const failWith = (type: XRoadErrorType, message: string) => {
      if (settled) return;
      request.raw.unpipe();
      settle(
        logConsumer({ status: ERRORS[type], error: `${type}: ${message}`, requestBytes: requestMeter.bytes, responseBytes: 0, ...signedFields(signedRequest) }).then(() => {
          request.raw.resume();
          return replyError(reply, exchange.xRoadId, type, message);
        }),
      );
    };
    outbound.on('timeout', () => outbound.destroy(new ExchangeError('Server.ServerProxy.Timeout', `${host.name} did not answer within ${service.timeoutMs + NETWORK_MARGIN_MS} ms.`)));
    outbound.on('error', (err) => failWith(err instanceof ExchangeError ? err.type : 'Server.ClientProxy.NetworkError', err instanceof ExchangeError ? err.message : `Node ${host.name} could not be reached (${(err as NodeJS.ErrnoException).code ?? err.message}).`));
    requestMeter.on('error', (err) => {
      outbound.destroy();
      failWith(err instanceof ExchangeError ? err.type : 'Client.BadRequest', err.message);
    });
    const stopWatching = watchRate(request.raw, deps.slowClient, (err) => requestMeter.destroy(err));
    outbound.once('close', stopWatching);
    requestMeter.on('end', () => {
      signedRequest = signMeta({ v: 1, ...requestMetaOf(exchange), headers, bodyHash: requestMeter.hex(), bodyBytes: requestMeter.bytes }, clientSigner);
      outbound.addTrailers({ [SIGNED_TRAILER]: encodeSigned(signedRequest) });
      outbound.end();
    });
    throughCapture(request.raw.pipe(requestMeter), requestCopy).pipe(outbound, { end: false });

    outbound.on('response', (response) => {
      const errorType = response.headers['x-road-error'];
      if (isXRoadErrorType(errorType)) return relayError(response, errorType);
      const spool = new Spool(deps.spoolDir, UNLIMITED);
      spool.on('error', (err) => failWith('Server.ClientProxy.NetworkError', `The answer from ${host.name} broke off (${err.message}).`));
      response.on('error', (err) => spool.destroy(err));
      response.pipe(spool).on('finish', () => {
        const signedResponse = decodeSigned(response.trailers[SIGNED_TRAILER]);
        const status = response.statusCode ?? 502;
        const check = checkAnswer({ routing, suites: deps.suites, clock: deps.clock, service, exchange, from: host.name, signedRequest, signedResponse, status, bodyHash: spool.hash(), bodyBytes: spool.bytes });
        if (!check.ok) {
          spool.discard();
          return failWith(check.type, check.message);
        }
        settle(sendAnswer(reply, deps.log, { exchange, status, meta: check.meta, signedRequest: signedRequest!, signedResponse: signedResponse!, body: spool.open(), bytes: spool.bytes, requestBytes: requestMeter.bytes, requestCopy }));
      });
    });

    /** The provider's node refused or failed: its X-Road error goes to the client as it came. */
    function relayError(response: IncomingMessage, type: XRoadErrorType) {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= MAX_ERROR_BODY) chunks.push(chunk);
      });
      response.on('end', () => {
        const body = Buffer.concat(chunks);
        let message = type as string;
        try {
          message = String(JSON.parse(body.toString('utf8')).message ?? type);
        } catch {
          // not JSON: the type alone says what failed
        }
        request.raw.unpipe();
        request.raw.resume();
        settle(
          logConsumer({ status: response.statusCode ?? 502, error: `${type}: ${message}`, requestBytes: requestMeter.bytes, responseBytes: 0, ...signedFields(signedRequest) }).then(() =>
            replyError(reply, exchange.xRoadId, type, message, response.statusCode ?? ERRORS[type]),
          ),
        );
      });
    }
  });
}
