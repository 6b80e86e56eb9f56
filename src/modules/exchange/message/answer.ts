// The last step on the consumer's node for a call answered by another node (over TLS or
// across the ferry): the provider's signed answer is checked (its member's live certificate,
// the signature, the binding to our request, the body's hash), then streamed to the client
// with the consumer side logged before the client can have the last byte.
import type { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';
import type { Clock } from '../../../platform/clock.ts';
import type { Suite, SuiteName } from '../../trust/index.ts';
import type { MessageLog } from '../message-log.ts';
import type { ConfIndex, ServiceEntry } from '../routing.ts';
import type { XRoadErrorType } from './errors.ts';
import { base64OfHex, entryFor, signedFields, type Exchange } from './exchange-record.ts';
import { Meter } from './meter.ts';
import { keptBodies, newCapture, throughCapture, type BodyCapture } from './body-capture.ts';
import { verifySigned, type ResponseMeta, type Signed } from './signed-meta.ts';

export type AnswerCheck = { ok: true; meta: ResponseMeta } | { ok: false; type: XRoadErrorType; message: string };

export function checkAnswer(input: {
  routing: ConfIndex;
  suites: Record<SuiteName, Suite>;
  clock: Clock;
  service: ServiceEntry;
  exchange: Exchange;
  from: string;
  signedRequest: Signed | undefined;
  signedResponse: Signed | undefined;
  status: number;
  bodyHash: string;
  bodyBytes: number;
}): AnswerCheck {
  const expected: Partial<ResponseMeta> = { xRoadId: input.exchange.xRoadId, requestHash: input.signedRequest?.hash, status: input.status, bodyHash: input.bodyHash, bodyBytes: input.bodyBytes };
  const verdict = verifySigned<ResponseMeta>(input.signedResponse, input.service.member, expected, input.routing, input.suites, input.clock.now());
  if (verdict.ok) return verdict;
  return { ok: false, type: verdict.certificate ? 'Server.ClientProxy.ProviderCertificateInvalid' : 'Server.ClientProxy.InvalidSignature', message: `The answer from ${input.from} does not verify: ${verdict.reason}.` };
}

/** Sends a verified answer to the client; resolves with what Fastify's handler returns. */
export function sendAnswer(
  reply: FastifyReply,
  log: MessageLog,
  answer: { exchange: Exchange; status: number; meta: ResponseMeta; signedRequest: Signed; signedResponse: Signed; body: Readable; bytes: number; requestBytes: number; requestCopy?: BodyCapture },
) {
  const { exchange } = answer;
  const responseCopy = newCapture(log);
  const toClient = new Meter(Number.MAX_SAFE_INTEGER, async () => {
    const entry = entryFor(exchange, 'consumer', { status: answer.status, error: null, requestBytes: answer.requestBytes, responseBytes: answer.bytes, ...signedFields(answer.signedRequest, answer.signedResponse) });
    await log.appendWith([entry], keptBodies(exchange.xRoadId, 'consumer', answer.requestCopy, responseCopy));
  });
  reply.code(answer.status).header('x-road-id', exchange.xRoadId).header('x-road-request-hash', base64OfHex(answer.signedRequest.hash)).headers(answer.meta.headers).header('content-length', answer.bytes);
  answer.body.on('error', (err) => toClient.destroy(err));
  return reply.send(throughCapture(answer.body, responseCopy).pipe(toClient));
}
