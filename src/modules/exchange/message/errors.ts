// X-Road error types, and how they reach a client: the HTTP status each is answered with, the
// X-Road-Error header and a JSON body { type, message, detail }, as X-Road sends them.
import type { ServerResponse } from 'node:http';
import type { FastifyReply } from 'fastify';

export const ERRORS = {
  'Client.BadRequest': 400,
  'Client.Unauthenticated': 401,
  'Client.NotOwner': 403,
  'Client.SlowRequest': 408,
  'Server.ClientProxy.OutdatedGlobalConf': 503,
  'Server.ClientProxy.NetworkError': 502,
  'Server.ClientProxy.InvalidSignature': 502,
  'Server.ClientProxy.ProviderCertificateInvalid': 502,
  'Server.ClientProxy.CrossingRefused': 403,
  'Server.ClientProxy.FerryTimeout': 504,
  'Server.ServerProxy.CrossingRefused': 403,
  'Server.ServerProxy.DeliveryUnknown': 502,
  'Server.ServerProxy.SslAuthenticationFailed': 403,
  'Server.ServerProxy.UnknownService': 404,
  'Server.ServerProxy.AccessDenied': 403,
  'Server.ServerProxy.ServiceDisabled': 503,
  'Server.ServerProxy.RequestTooLarge': 413,
  'Server.ServerProxy.InvalidSignature': 400,
  'Server.ServerProxy.ClientCertificateInvalid': 403,
  'Server.ServerProxy.ServiceFailed': 502,
  'Server.ServerProxy.Timeout': 504,
} as const;
export type XRoadErrorType = keyof typeof ERRORS;

export const isXRoadErrorType = (value: unknown): value is XRoadErrorType => typeof value === 'string' && value in ERRORS;

export class ExchangeError extends Error {
  readonly type: XRoadErrorType;
  constructor(type: XRoadErrorType, message: string) {
    super(message);
    this.type = type;
  }
}

export const errorBody = (xRoadId: string, type: XRoadErrorType, message: string) => JSON.stringify({ type, message, detail: xRoadId });

export function replyError(reply: FastifyReply, xRoadId: string, type: XRoadErrorType, message: string, status: number = ERRORS[type]) {
  return reply.code(status).header('x-road-id', xRoadId).header('x-road-error', type).type('application/json; charset=utf-8').send(errorBody(xRoadId, type, message));
}

/** The same answer on a plain node:http response (the node port has no Fastify). */
export function writeError(res: ServerResponse, xRoadId: string, type: XRoadErrorType, message: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = errorBody(xRoadId, type, message);
  res.writeHead(ERRORS[type], { 'x-road-id': xRoadId, 'x-road-error': type, 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}
