// The last hop on the provider's node: the request goes to the backend URL registered for
// the service, with the X-Road headers a backend expects and only the headers that were
// signed, under the service's timeout.
import http from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import { ExchangeError } from './errors.ts';

/** Headers the client may pass to the backend, and the backend back to the client. */
export const FORWARD_REQUEST_HEADERS = ['content-type', 'content-length', 'accept', 'accept-language', 'user-agent', 'x-road-userid', 'x-road-issue'];
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

/** Pipes `body` into the backend request; a failing body (too large, too slow) aborts it. */
export function sendBody(body: Readable, outbound: http.ClientRequest): void {
  body.on('error', (err) => outbound.destroy(err));
  body.pipe(outbound);
}
