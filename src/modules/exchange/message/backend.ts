// The last hop on the provider's node: the request goes to the backend URL registered for
// the service, with the X-Road headers a backend expects, the fields the call was granted,
// and only the headers that were signed, under the service's timeout.
import http from 'node:http';
import https from 'node:https';
import { Readable, Writable } from 'node:stream';
import { ExchangeError } from './errors.ts';

/**
 * Headers the client may pass to the backend, and the backend back to the client. Only the
 * provider's node sets GRANTED_FIELDS_HEADER and the X-Road headers: never in this list.
 */
export const FORWARD_REQUEST_HEADERS = ['content-type', 'content-length', 'accept', 'accept-language', 'user-agent', 'x-road-userid', 'x-road-issue', 'idempotency-key', 'x-event-id', 'if-match'];
/** The fields of the answer the call was granted, comma-separated; absent: the whole answer. */
export const GRANTED_FIELDS_HEADER = 'x-egov-granted-fields';
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
  /** The client's headers the backend may see (FORWARD_REQUEST_HEADERS; others are dropped here). */
  headers: Record<string, string>;
  timeoutMs: number;
  /**
   * What the provider's node granted this call by its access rights: the fields of the answer
   * the client may have (the union over the rights that matched, sorted), or null for the
   * whole answer. The backend is the one that leaves the other fields out.
   */
  grantedFields: string[] | null;
};

/**
 * The headers a backend receives: the forwardable ones the call carries (whatever else a
 * client or a signing node put there is dropped), then what this node itself says.
 */
export function backendHeaders(call: BackendCall): Record<string, string> {
  const headers: Record<string, string> = { ...pickHeaders(call.headers, FORWARD_REQUEST_HEADERS), 'x-road-id': call.xRoadId, 'x-road-client': call.client, 'x-road-service': call.service };
  if (call.grantedFields !== null) headers[GRANTED_FIELDS_HEADER] = call.grantedFields.join(',');
  return headers;
}

/**
 * Sends the call; `body` is piped in by the caller. The promise settles with the backend's
 * response, or an ExchangeError (timeout, unreachable backend).
 */
export function callBackend(call: BackendCall): { outbound: http.ClientRequest; response: Promise<http.IncomingMessage> } {
  const url = new URL(call.backendUrl + call.path + (call.query ? `?${call.query}` : ''));
  const headers = backendHeaders(call);
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

/** A built-in backend's answer: status, the headers to return (FORWARD_RESPONSE_HEADERS pass), the whole body. */
export type BuiltinResponse = { status: number; headers: Record<string, string>; body: Buffer };
/**
 * A backend built into egov (pub/sub rooms, a module's own service): the whole request in,
 * the whole answer out, called only after the exchange checked the caller's access right.
 * `client` is the verified caller; `grantedFields` what its rights grant of the answer
 * (null: all of it), which the handler must honour. Any organization may register a
 * service of its own subsystems with the backend egov:NAME, so a handler must answer only
 * with what `service`'s member owns, never with another organization's data.
 */
export type BuiltinHandler = (call: BackendCall & { body: Buffer }) => Promise<BuiltinResponse>;

/** A built-in backend's name, as in egov:NAME. */
export const BUILTIN_NAME = /^[a-z][a-z0-9-]{0,63}$/;

/** The built-in backends of this process, by name; modules add theirs while the app is wired. */
export function createBuiltins() {
  const handlers = new Map<string, BuiltinHandler>();
  return {
    register(name: string, handler: BuiltinHandler): void {
      if (!BUILTIN_NAME.test(name)) throw new Error(`"${name}" is not a built-in backend name: a lowercase letter, then lowercase letters, digits or hyphens (at most 64).`);
      if (handlers.has(name)) throw new Error(`There is already a built-in backend egov:${name}.`);
      handlers.set(name, handler);
    },
    find: (name: string): BuiltinHandler | undefined => handlers.get(name),
    has: (name: string): boolean => handlers.has(name),
  };
}
export type Builtins = ReturnType<typeof createBuiltins>;

/** The answer a backend gives, from a socket or from a built-in handler. */
export type BackendResponse = Readable & { statusCode?: number; headers: http.IncomingHttpHeaders };
export type BackendCaller = (call: BackendCall) => { outbound: Writable; response: Promise<BackendResponse> };

/** Bodies for built-in backends are small JSON documents. */
const BUILTIN_BODY_LIMIT = 1024 * 1024;

/**
 * Calls a service's backend: an http(s) URL, or `egov:<name>` for a built-in backend of this
 * node, called in process but through the same path (rights, signatures, log). Handlers are
 * looked up at call time, so ones registered after this caller was made are found.
 */
export function createBackendCaller(builtins: Pick<Builtins, 'find'>): BackendCaller {
  return (call) => {
    if (!call.backendUrl.startsWith('egov:')) return callBackend(call);
    const handler = builtins.find(call.backendUrl.slice('egov:'.length));
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
        // The same headers an HTTP backend would get, granted fields included.
        Promise.resolve()
          .then(() => handler({ ...call, headers: backendHeaders(call), body: Buffer.concat(chunks) }))
          .then(
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
