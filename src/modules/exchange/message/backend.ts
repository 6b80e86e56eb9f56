// The last hop on the provider's node: the request goes to the backend URL registered for
// the service, with the X-Road headers a backend expects and only the headers that were
// signed, under the service's timeout.
import http from 'node:http';
import https from 'node:https';
import { Readable, Writable } from 'node:stream';
import { ExchangeError } from './errors.ts';

/** Headers the client may pass to the backend, and the backend back to the client. */
export const FORWARD_REQUEST_HEADERS = ['content-type', 'content-length', 'accept', 'accept-language', 'user-agent', 'x-road-userid', 'x-road-issue', 'idempotency-key', 'x-event-id'];
export const FORWARD_RESPONSE_HEADERS = ['content-type', 'content-language', 'cache-control', 'etag', 'last-modified', 'content-disposition'];

/** The named headers of a request or response, as a plain object (single values only). */
export function pickHeaders(headers: http.IncomingHttpHeaders, names: string[]): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const name of names) {
    const value = headers[name];
    if (typeof value === 'string') picked[name] = value;
  }
  return picked;
}

const agents = { http: new http.Agent({ keepAlive: true, maxFreeSockets: 256 }), https: new https.Agent({ keepAlive: true, maxFreeSockets: 256 }) };

export type BackendCall = {
  xRoadId: string;
  client: string;
  service: string;
  backendUrl: string;
  method: string;
  path: string;
  query: string;
  headers: Record<string, string>;
  timeoutMs: number;
};

/**
 * Sends the call; `body` is piped in by the caller. The promise settles with the backend's
 * response, or an ExchangeError (timeout, unreachable backend).
 */
export function callBackend(call: BackendCall): { outbound: http.ClientRequest; response: Promise<http.IncomingMessage> } {
  const url = new URL(call.backendUrl + call.path + (call.query ? `?${call.query}` : ''));
  const headers = { ...call.headers, 'x-road-id': call.xRoadId, 'x-road-client': call.client, 'x-road-service': call.service };
  const secure = url.protocol === 'https:';
  const outbound = (secure ? https : http).request(url, { method: call.method, headers, timeout: call.timeoutMs, agent: secure ? agents.https : agents.http });
  const response = new Promise<http.IncomingMessage>((resolve, reject) => {
    outbound.once('response', resolve);
    outbound.on('timeout', () => outbound.destroy(new ExchangeError('Server.ServerProxy.Timeout', `The service did not answer within ${call.timeoutMs} ms.`)));
    outbound.on('error', (err) => {
      reject(err instanceof ExchangeError ? err : new ExchangeError('Server.ServerProxy.ServiceFailed', `The service's backend could not be reached (${(err as NodeJS.ErrnoException).code ?? err.message}).`));
    });
  });
  return { outbound, response };
}

/** A backend built into egov (pub/sub rooms): the whole request in, the whole answer out. */
export type BuiltinResponse = { status: number; headers: Record<string, string>; body: Buffer };
export type BuiltinHandler = (call: BackendCall & { body: Buffer }) => Promise<BuiltinResponse>;
/** The answer a backend gives, from a socket or from a built-in handler. */
export type BackendResponse = Readable & { statusCode?: number; headers: http.IncomingHttpHeaders };
export type BackendCaller = (call: BackendCall) => { outbound: Writable; response: Promise<BackendResponse> };

/** Bodies for built-in backends are small JSON documents. */
const BUILTIN_BODY_LIMIT = 1024 * 1024;

/**
 * Calls a service's backend: an http(s) URL, or `egov:<name>` for a built-in backend of this
 * node, called in process but through the same path (rights, signatures, log).
 */
export function createBackendCaller(builtins: Record<string, BuiltinHandler>): BackendCaller {
  return (call) => {
    if (!call.backendUrl.startsWith('egov:')) return callBackend(call);
    const handler = builtins[call.backendUrl.slice('egov:'.length)];
    const chunks: Buffer[] = [];
    let size = 0;
    let fail!: (err: Error) => void;
    let deliver!: (value: BackendResponse) => void;
    const response = new Promise<BackendResponse>((resolve, reject) => {
      deliver = resolve;
      fail = reject;
    });
    const outbound = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        size += chunk.length;
        if (size > BUILTIN_BODY_LIMIT) return callback(new ExchangeError('Server.ServerProxy.RequestTooLarge', `A request to a built-in service is at most ${BUILTIN_BODY_LIMIT} bytes.`));
        chunks.push(chunk);
        callback();
      },
      final(callback) {
        if (!handler) {
          fail(new ExchangeError('Server.ServerProxy.ServiceFailed', `This node has no built-in backend ${call.backendUrl}.`));
          return callback();
        }
        handler({ ...call, body: Buffer.concat(chunks) }).then(
          (answer) => deliver(Object.assign(Readable.from([answer.body]), { statusCode: answer.status, headers: { ...answer.headers, 'content-length': String(answer.body.length) } })),
          (err: unknown) => fail(new ExchangeError('Server.ServerProxy.ServiceFailed', `The built-in service failed: ${(err as Error).message}`)),
        );
        callback();
      },
    });
    outbound.on('error', (err) => fail(err instanceof ExchangeError ? err : new ExchangeError('Server.ServerProxy.ServiceFailed', err.message)));
    return { outbound, response };
  };
}

/** Pipes `body` into the backend request; a failing body (too large, too slow) aborts it. */
export function sendBody(body: Readable, outbound: Writable): void {
  body.on('error', (err) => outbound.destroy(err));
  body.pipe(outbound);
}
