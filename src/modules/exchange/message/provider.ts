// The provider side of a call from another node, on the node port. The peer is a node of the
// instance (its TLS certificate is the one the global configuration lists) that hosts the
// client's member; the service is hosted here; the client has an access right. The body is
// spooled while it arrives, and forwarded only once the signed request metadata that follows
// it verifies: the client member's live certificate, the signature, and the body's hash.
// The backend's answer streams back, followed by this node's signature over it, written only
// after the provider side is in the message log.
import crypto from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import type { Clock } from '../../../platform/clock.ts';
import type { Suite, SuiteName } from '../../trust/index.ts';
import { IdentifierError, formatClientId, formatServiceId, parseClientId, parseServicePath } from '../identifiers.ts';
import type { MessageLog } from '../message-log.ts';
import type { MemberSigner } from '../node-identity.ts';
import { memberOf, type ConfIndex, type NodeEntry, type ServiceEntry } from '../routing.ts';
import { FORWARD_RESPONSE_HEADERS, pickHeaders, sendBody, type BackendCaller, type BackendResponse } from './backend.ts';
import { entryFor } from './exchange-record.ts';
import { ERRORS, ExchangeError, writeError, type XRoadErrorType } from './errors.ts';
import { Meter } from './meter.ts';
import { decodeSigned, encodeSigned, signMeta, SIGNED_TRAILER, verifySigned, type RequestMeta, type Signed } from './signed-meta.ts';
import { Spool } from './spool.ts';
import { keptBodies, newCapture, throughCapture } from './body-capture.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export type ProviderDeps = {
  /** The service's backend: over HTTP, or a built-in one (pub/sub). */
  callBackend: BackendCaller;
  self: string;
  log: MessageLog;
  memberSigner: (member: string) => Promise<MemberSigner>;
  suites: Record<SuiteName, Suite>;
  clock: Clock;
  spoolDir: string;
};

/** `grantedFields`: what the rights that matched grant of the answer (null: all of it). */
export type CallCheck = { ok: true; service: ServiceEntry; clientMember: string; grantedFields: string[] | null } | { ok: false; type: XRoadErrorType; message: string };

/**
 * What the provider's node checks before it reads a body, for a call that another node (the
 * peer, over TLS or across the ferry) made: the peer hosts the client's member, the service
 * is hosted here and active, the client has a right to this method and path, and there is a
 * backend to forward to.
 */
export function checkCallFromNode(routing: ConfIndex, self: string, peer: NodeEntry, call: { client: string; service: string; method: string; path: string }): CallCheck {
  const clientMember = memberOf(decodeURIComponent(call.client));
  if (routing.hostOf(clientMember)?.name !== peer.name) return { ok: false, type: 'Server.ServerProxy.SslAuthenticationFailed', message: `Node ${peer.name} does not host ${clientMember}; it cannot call for ${call.client}.` };
  const service = routing.findService(decodeURIComponent(call.service));
  if (!service || routing.hostOf(service.member)?.name !== self) return { ok: false, type: 'Server.ServerProxy.UnknownService', message: `No service ${call.service} is hosted on node ${self}.` };
  if (service.status !== 'active') return { ok: false, type: 'Server.ServerProxy.ServiceDisabled', message: `The service ${call.service} is disabled.` };
  // The grant is this node's reading of the rights; whatever the calling node signed, it decides nothing here.
  const grant = routing.access(service.identifier, call.client, call.method, call.path);
  if (!grant) return { ok: false, type: 'Server.ServerProxy.AccessDenied', message: `${call.client} has no access right to ${call.method} ${call.path || '/'} on ${call.service}.` };
  if (!service.backendUrl) return { ok: false, type: 'Server.ServerProxy.ServiceFailed', message: `This node has no backend address for ${call.service}.` };
  return { ok: true, service, clientMember, grantedFields: grant.fields };
}

export async function serveForNode(req: IncomingMessage, res: ServerResponse, peer: NodeEntry, routing: ConfIndex, deps: ProviderDeps): Promise<void> {
  const rawUrl = req.url ?? '';
  const queryAt = rawUrl.indexOf('?');
  const headerId = req.headers['x-road-id'];
  const exchange = {
    xRoadId: typeof headerId === 'string' && UUID.test(headerId) ? headerId : crypto.randomUUID(),
    started: performance.now(),
    client: '',
    service: '',
    method: req.method ?? 'GET',
    path: '',
    query: queryAt === -1 ? '' : rawUrl.slice(queryAt + 1),
    userId: typeof req.headers['x-road-userid'] === 'string' ? req.headers['x-road-userid'] : null,
  };
  let signedRequest: Signed | undefined;
  let requestBytes = 0;
  const fail = async (type: XRoadErrorType, message: string) => {
    req.resume();
    if (exchange.service) {
      await deps.log.append(
        entryFor(exchange, 'provider', {
          status: ERRORS[type],
          error: `${type}: ${message}`,
          requestHash: signedRequest?.hash ?? '',
          responseHash: '',
          requestBytes,
          responseBytes: 0,
          requestMeta: signedRequest?.meta ?? null,
          requestSignature: signedRequest?.signature ?? null,
          requestSigner: signedRequest?.signer ?? null,
          responseMeta: null,
          responseSignature: null,
          responseSigner: null,
        }),
      );
    }
    writeError(res, exchange.xRoadId, type, message);
  };

  let target: ReturnType<typeof parseServicePath>;
  try {
    if (!rawUrl.startsWith('/r1/')) return fail('Client.BadRequest', 'Node-to-node calls are made to /r1/….');
    const clientHeader = req.headers['x-road-client'];
    const client = parseClientId(typeof clientHeader === 'string' ? clientHeader : '');
    target = parseServicePath(rawUrl.slice('/r1/'.length, queryAt === -1 ? undefined : queryAt));
    if (client.subsystem === undefined) return fail('Client.BadRequest', 'The client must be a subsystem.');
    exchange.client = formatClientId(client);
  } catch (err) {
    if (err instanceof IdentifierError) return fail('Client.BadRequest', err.message);
    throw err;
  }
  exchange.service = formatServiceId(target.service);
  exchange.path = target.path;

  const checked = checkCallFromNode(routing, deps.self, peer, exchange);
  if (!checked.ok) return fail(checked.type, checked.message);
  const { service, clientMember, grantedFields } = checked;

  // Verify before forward: the whole body first, then the signature that follows it.
  const spool = new Spool(deps.spoolDir, service.maxBodyBytes);
  try {
    await new Promise<void>((resolve, reject) => {
      req.on('error', reject);
      spool.on('error', reject);
      req.pipe(spool).on('finish', resolve);
    });
  } catch (err) {
    spool.discard();
    return fail(err instanceof ExchangeError ? err.type : 'Client.BadRequest', `The request body broke off: ${(err as Error).message}`);
  }
  requestBytes = spool.bytes;
  signedRequest = decodeSigned(req.trailers[SIGNED_TRAILER]);
  const expected: Partial<RequestMeta> = { xRoadId: exchange.xRoadId, client: exchange.client, service: exchange.service, method: exchange.method, path: exchange.path, query: exchange.query, bodyHash: spool.hash(), bodyBytes: spool.bytes };
  const verdict = verifySigned<RequestMeta>(signedRequest, clientMember, expected, routing, deps.suites, deps.clock.now());
  if (!verdict.ok) {
    spool.discard();
    return fail(verdict.certificate ? 'Server.ServerProxy.ClientCertificateInvalid' : 'Server.ServerProxy.InvalidSignature', `The request does not verify: ${verdict.reason}.`);
  }

  const providerSigner = await deps.memberSigner(service.member);
  const { outbound, response } = deps.callBackend({ ...exchange, backendUrl: service.backendUrl!, headers: { ...verdict.meta.headers, 'content-length': String(spool.bytes) }, timeoutMs: service.timeoutMs, grantedFields });
  const requestCopy = newCapture(deps.log);
  sendBody(throughCapture(spool.open(), requestCopy) as Readable, outbound);
  let backend: BackendResponse;
  try {
    backend = await response;
  } catch (err) {
    return fail((err as ExchangeError).type ?? 'Server.ServerProxy.ServiceFailed', (err as Error).message);
  }
  const status = backend.statusCode ?? 502;
  const headers = pickHeaders(backend.headers, FORWARD_RESPONSE_HEADERS);
  res.writeHead(status, { ...headers, 'x-road-id': exchange.xRoadId, trailer: SIGNED_TRAILER });
  const meter = new Meter(Number.MAX_SAFE_INTEGER);
  const responseCopy = newCapture(deps.log);
  backend.on('error', (err) => meter.destroy(err));
  meter.on('error', () => res.destroy());
  meter.on('end', () => {
    const signedResponse = signMeta({ v: 1, xRoadId: exchange.xRoadId, requestHash: signedRequest!.hash, status, headers, bodyHash: meter.hex(), bodyBytes: meter.bytes }, providerSigner);
    const entry = entryFor(exchange, 'provider', {
      status,
      error: null,
      requestHash: signedRequest!.hash,
      responseHash: signedResponse.hash,
      requestBytes,
      responseBytes: meter.bytes,
      requestMeta: signedRequest!.meta,
      requestSignature: signedRequest!.signature,
      requestSigner: signedRequest!.signer,
      responseMeta: signedResponse.meta,
      responseSignature: signedResponse.signature,
      responseSigner: signedResponse.signer,
    });
    // The signature is the answer's last part: the consumer has nothing it can use before
    // this side of the exchange is logged.
    deps.log.appendWith([entry], keptBodies(exchange.xRoadId, 'provider', requestCopy, responseCopy)).then(
      () => {
        res.addTrailers({ [SIGNED_TRAILER]: encodeSigned(signedResponse) });
        res.end();
      },
      () => res.destroy(),
    );
  });
  throughCapture(backend, responseCopy).pipe(meter).pipe(res, { end: false });
}
