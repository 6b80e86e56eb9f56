// One exchange as the message log records it, and the helpers each side uses to build its row.
import type { LogEntry } from '../message-log.ts';
import type { RequestMeta, Signed } from './signed-meta.ts';

/** One exchange in progress, as the log will record it. */
export type Exchange = { xRoadId: string; started: number; client: string; service: string; method: string; path: string; query: string; userId: string | null };
export type Outcome = Omit<LogEntry, keyof Exchange | 'side' | 'durationMs'>;

export const UNSIGNED = { requestMeta: null, requestSignature: null, requestSigner: null, responseMeta: null, responseSignature: null, responseSigner: null };

/** The signed parts of an outcome: what was signed, by whom, and its hash. */
export const signedFields = (request: Signed | undefined, response?: Signed) => ({
  requestHash: request?.hash ?? '',
  requestMeta: request?.meta ?? null,
  requestSignature: request?.signature ?? null,
  requestSigner: request?.signer ?? null,
  responseHash: response?.hash ?? '',
  responseMeta: response?.meta ?? null,
  responseSignature: response?.signature ?? null,
  responseSigner: response?.signer ?? null,
});

/** A log entry for one side of an exchange. */
export function entryFor(exchange: Exchange, side: LogEntry['side'], outcome: Outcome): LogEntry {
  const { started, ...call } = exchange;
  return { ...call, side, durationMs: Math.round(performance.now() - started), ...outcome };
}

/** What the request metadata says of the call itself (the body and headers are added by the caller). */
export function requestMetaOf(exchange: Exchange): Omit<RequestMeta, 'v' | 'headers' | 'bodyHash' | 'bodyBytes'> {
  return { xRoadId: exchange.xRoadId, client: exchange.client, service: exchange.service, method: exchange.method, path: exchange.path, query: exchange.query, userId: exchange.userId };
}

/** X-Road-Request-Hash is base64; our hashes are hex. */
export const base64OfHex = (hex: string) => Buffer.from(hex, 'hex').toString('base64');
