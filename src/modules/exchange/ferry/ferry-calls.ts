// Service calls across the ferry. The consumer's node checks the crossing policy, takes the
// whole body, signs the request and writes it as a bundle; the client's HTTP call waits for
// the answer to come back (up to EGOV_FERRY_WAIT_SECONDS). The provider's node, importing the
// bundle, makes the same checks as for a call over TLS plus the crossing policy, verifies the
// signature, marks the call as being delivered (so a crash never delivers it twice), calls
// the backend, and sends the signed answer back the same way. Both sides log their side.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../../../platform/clock.ts';
import type { Suite, SuiteName } from '../../trust/index.ts';
import { mayCross } from '../crossing.ts';
import type { MessageLog } from '../message-log.ts';
import type { MemberSigner } from '../node-identity.ts';
import type { ConfIndex, NodeEntry } from '../routing.ts';
import { checkAnswer, sendAnswer } from '../message/answer.ts';
import { FORWARD_REQUEST_HEADERS, FORWARD_RESPONSE_HEADERS, pickHeaders, type BackendCaller } from '../message/backend.ts';
import type { Context } from '../message/client-proxy.ts';
import { ERRORS, ExchangeError, isXRoadErrorType, replyError, type XRoadErrorType } from '../message/errors.ts';
import { entryFor, requestMetaOf, signedFields, UNSIGNED, type Exchange } from '../message/exchange-record.ts';
import { Meter, watchRate, type SlowClientGuard } from '../message/meter.ts';
import { checkCallFromNode } from '../message/provider.ts';
import { decodeSigned, encodeSigned, signMeta, verifySigned, type RequestMeta, type Signed } from '../message/signed-meta.ts';
import { Spool } from '../message/spool.ts';
import { keptBodies, newCapture, throughCapture } from '../message/body-capture.ts';
import type { BundleHandler, Ferry } from './ferry.ts';

export type FerryCallDeps = {
  /** The service's backend: over HTTP, or a built-in one (pub/sub). */
  callBackend: BackendCaller;
  self: string;
  zone: string;
  ferry: Ferry;
  routing: () => Promise<ConfIndex>;
  log: MessageLog;
  memberSigner: (member: string) => Promise<MemberSigner>;
  suites: Record<SuiteName, Suite>;
  clock: Clock;
  spoolDir: string;
  slowClient: SlowClientGuard;
};

const text = (value: unknown) => (typeof value === 'string' ? value : '');

/** The consumer's side: a client's call to a service hosted across the ferry. */
export async function forwardByFerry(request: FastifyRequest, reply: FastifyReply, deps: FerryCallDeps, ctx: Context & { host: NodeEntry; routing: ConfIndex }): Promise<unknown> {
  const { exchange, service, host, routing, clientMember, fail } = ctx;
  if (service.status !== 'active') return fail('Server.ServerProxy.ServiceDisabled', `The service ${exchange.service} is disabled.`);
  if (!mayCross(routing.conf.crossing, deps.zone, host.zone, service.identifier, service.classification)) {
    return fail('Server.ClientProxy.CrossingRefused', `No crossing rule lets calls to ${exchange.service} (${service.classification}) cross from the ${deps.zone} zone to the ${host.zone} zone.`);
  }
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > service.maxBodyBytes) return fail('Server.ServerProxy.RequestTooLarge', `The body (${declared} bytes) is larger than the service's limit of ${service.maxBodyBytes} bytes.`);
  const clientSigner = await deps.memberSigner(clientMember);
  const { 'content-length': _length, ...headers } = pickHeaders(request.headers, FORWARD_REQUEST_HEADERS);

  // The whole body first: a bundle is one file.
  const meter = new Meter(service.maxBodyBytes);
  const spool = new Spool(deps.spoolDir, service.maxBodyBytes);
  const requestCopy = newCapture(deps.log);
  const stopWatching = watchRate(request.raw, deps.slowClient, (err) => meter.destroy(err));
  try {
    await new Promise<void>((resolve, reject) => {
      meter.on('error', reject);
      spool.on('error', reject);
      throughCapture(request.raw.pipe(meter), requestCopy).pipe(spool).on('finish', resolve);
    });
  } catch (err) {
    spool.discard();
    return fail(err instanceof ExchangeError ? err.type : 'Client.BadRequest', (err as Error).message);
  } finally {
    stopWatching();
  }
  const signedRequest = signMeta({ v: 1, ...requestMetaOf(exchange), headers, bodyHash: spool.hash(), bodyBytes: spool.bytes }, clientSigner);
  const logConsumer = (type: XRoadErrorType, message: string, status: number = ERRORS[type]) =>
    deps.log.append(entryFor(exchange, 'consumer', { status, error: `${type}: ${message}`, requestBytes: spool.bytes, responseBytes: 0, ...signedFields(signedRequest) }));
  const failLogged = async (type: XRoadErrorType, message: string, status?: number) => {
    await logConsumer(type, message, status);
    return replyError(reply, exchange.xRoadId, type, message, status);
  };

  const answer = deps.ferry.awaitAnswer(exchange.xRoadId, deps.ferry.settings.waitSeconds * 1000);
  answer.catch(() => undefined); // a send failure below answers the client instead
  try {
    await deps.ferry.send('request', { ...requestMetaOf(exchange), signed: encodeSigned(signedRequest) }, spool.open());
  } catch (err) {
    return failLogged('Server.ClientProxy.NetworkError', `The call could not be written to the ferry: ${(err as Error).message}`);
  }
  let result;
  try {
    result = await answer;
  } catch (err) {
    return failLogged('Server.ClientProxy.FerryTimeout', (err as Error).message);
  }
  const status = Number(result.meta.status) || 502;
  const error = result.meta.error as { type?: unknown; message?: unknown } | undefined;
  if (error) {
    result.body.resume();
    const type = isXRoadErrorType(error.type) ? error.type : 'Server.ServerProxy.ServiceFailed';
    return failLogged(type, text(error.message) || type, status);
  }
  const signedResponse = decodeSigned(result.meta.signed);
  const check = checkAnswer({ routing: await deps.routing(), suites: deps.suites, clock: deps.clock, service, exchange, from: host.name, signedRequest, signedResponse, status, bodyHash: result.hash, bodyBytes: result.bytes });
  if (!check.ok) {
    result.body.resume();
    return failLogged(check.type, check.message);
  }
  return sendAnswer(reply, deps.log, { exchange, status, meta: check.meta, signedRequest, signedResponse: signedResponse!, body: result.body, bytes: result.bytes, requestBytes: spool.bytes, requestCopy });
}

/** The consumer's side, on import: an answer goes to the call that waits for it, or is logged as late. */
export function receiveAnswer(deps: FerryCallDeps): BundleHandler {
  return async ({ meta, body }) => {
    const spool = new Spool(deps.spoolDir, Number.MAX_SAFE_INTEGER);
    await new Promise<void>((resolve, reject) => {
      body.on('error', reject);
      spool.on('error', reject);
      body.pipe(spool).on('finish', resolve);
    });
    const xRoadId = text(meta.xRoadId);
    if (deps.ferry.answer(xRoadId, { meta, body: spool.open(), hash: spool.hash(), bytes: spool.bytes })) return;
    // Nobody waits any more (the client gave up, or this node restarted): kept in the log.
    spool.discard();
    const exchange: Exchange = { xRoadId, started: performance.now(), client: text(meta.client), service: text(meta.service), method: text(meta.method), path: text(meta.path), query: text(meta.query), userId: null };
    const signed = decodeSigned(meta.signed);
    await deps.log.append(entryFor(exchange, 'consumer', { status: Number(meta.status) || 502, error: 'Client.AnswerTooLate: the answer came back across the ferry after the client stopped waiting', requestHash: '', responseHash: signed?.hash ?? '', requestBytes: 0, responseBytes: spool.bytes, ...UNSIGNED, responseMeta: signed?.meta ?? null, responseSignature: signed?.signature ?? null, responseSigner: signed?.signer ?? null }));
  };
}

/** The provider's side, on import: a call from across the ferry. */
export function serveFromFerry(deps: FerryCallDeps): BundleHandler {
  return async ({ row, meta, body, resumed }) => {
    const exchange: Exchange = { xRoadId: text(meta.xRoadId), started: performance.now(), client: text(meta.client), service: text(meta.service), method: text(meta.method), path: text(meta.path), query: text(meta.query), userId: typeof meta.userId === 'string' ? meta.userId : null };
    const call = { xRoadId: exchange.xRoadId, client: exchange.client, service: exchange.service, method: exchange.method, path: exchange.path, query: exchange.query };
    let signedRequest: Signed | undefined = decodeSigned(meta.signed);
    let requestBytes = 0;
    const answerError = async (type: XRoadErrorType, message: string) => {
      body.resume();
      await deps.log.append(entryFor(exchange, 'provider', { status: ERRORS[type], error: `${type}: ${message}`, requestBytes, responseBytes: 0, ...signedFields(signedRequest) }));
      await deps.ferry.send('response', { ...call, status: ERRORS[type], error: { type, message } });
    };
    if (resumed && row.state === 'delivering') {
      return answerError('Server.ServerProxy.DeliveryUnknown', 'This node stopped while the call was with its backend; whether the backend received it is unknown, so it was not sent again.');
    }
    const routing = await deps.routing();
    const peer = routing.findNode(row.peer);
    if (!peer) return answerError('Server.ServerProxy.SslAuthenticationFailed', `${row.peer} is not a node of the configuration.`);
    const checked = checkCallFromNode(routing, deps.self, peer, exchange);
    if (!checked.ok) return answerError(checked.type, checked.message);
    const { service, clientMember, grantedFields } = checked;
    if (!mayCross(routing.conf.crossing, peer.zone, deps.zone, service.identifier, service.classification)) {
      return answerError('Server.ServerProxy.CrossingRefused', `No crossing rule lets calls to ${exchange.service} (${service.classification}) cross from the ${peer.zone} zone to the ${deps.zone} zone.`);
    }
    const spool = new Spool(deps.spoolDir, service.maxBodyBytes);
    try {
      await new Promise<void>((resolve, reject) => {
        body.on('error', reject);
        spool.on('error', reject);
        body.pipe(spool).on('finish', resolve);
      });
    } catch (err) {
      spool.discard();
      return answerError(err instanceof ExchangeError ? err.type : 'Server.ServerProxy.InvalidSignature', `The request body could not be read: ${(err as Error).message}`);
    }
    requestBytes = spool.bytes;
    const expected: Partial<RequestMeta> = { ...call, bodyHash: spool.hash(), bodyBytes: spool.bytes };
    const verdict = verifySigned<RequestMeta>(signedRequest, clientMember, expected, routing, deps.suites, deps.clock.now());
    if (!verdict.ok) {
      spool.discard();
      signedRequest = undefined;
      return answerError(verdict.certificate ? 'Server.ServerProxy.ClientCertificateInvalid' : 'Server.ServerProxy.InvalidSignature', `The request does not verify: ${verdict.reason}.`);
    }

    // From here the backend may receive the call: recorded first, so a crash never sends it twice.
    await deps.ferry.markDelivering(row, exchange.xRoadId);
    const providerSigner = await deps.memberSigner(service.member);
    const { outbound, response } = deps.callBackend({ ...exchange, backendUrl: service.backendUrl!, headers: { ...verdict.meta.headers, 'content-length': String(spool.bytes) }, timeoutMs: service.timeoutMs, grantedFields });
    const requestCopy = newCapture(deps.log);
    throughCapture(spool.open(), requestCopy).pipe(outbound);
    let backend;
    try {
      backend = await response;
    } catch (err) {
      return answerError((err as ExchangeError).type ?? 'Server.ServerProxy.ServiceFailed', (err as Error).message);
    }
    const answer = new Spool(deps.spoolDir, Number.MAX_SAFE_INTEGER);
    const responseCopy = newCapture(deps.log);
    await new Promise<void>((resolve, reject) => {
      backend.on('error', reject);
      throughCapture(backend, responseCopy).pipe(answer).on('finish', resolve);
    });
    const status = backend.statusCode ?? 502;
    const headers = pickHeaders(backend.headers, FORWARD_RESPONSE_HEADERS);
    const signedResponse = signMeta({ v: 1, xRoadId: exchange.xRoadId, requestHash: signedRequest!.hash, status, headers, bodyHash: answer.hash(), bodyBytes: answer.bytes }, providerSigner);
    await deps.ferry.send('response', { ...call, status, signed: encodeSigned(signedResponse) }, answer.open());
    await deps.log.appendWith([entryFor(exchange, 'provider', { status, error: null, requestBytes, responseBytes: answer.bytes, ...signedFields(signedRequest, signedResponse) })], keptBodies(exchange.xRoadId, 'provider', requestCopy, responseCopy));
  };
}
