// Trust HTTP: the public CA chain, CRL, status and verification (fixed interfaces other tools
// rely on); the RFC 3161 TSA; certificate requests, the CA operator's decisions, downloads,
// renewal and revocation; signing and timestamping for signed-in staff.
import { Type } from 'typebox';
import { ProblemSchema, STAFF_ERRORS } from '../../http/schemas.ts';
import { requestContext, type App } from '../../http/server.ts';
import { ValidationError } from '../../platform/errors.ts';
import type { Authority } from './authority.ts';
import { decodeBase64 } from './base64.ts';
import type { Certificates } from './certificates.ts';
import {
  BatchTimestampInput,
  BatchTimestampResult,
  CertificatePage,
  CertificateQuery,
  CertificateRequestCreate,
  CertificateRequestView,
  CertificateView,
  Decision,
  IdParams,
  MAX_DOCUMENT_BYTES,
  Rejection,
  Renewal,
  RequestPage,
  RequestQuery,
  Revocation,
  SerialParams,
  SignInput,
  SignResult,
  TimestampInput,
  TimestampResult,
  VerifyInput,
} from './schema.ts';
import type { Signing } from './signing.ts';
import { grantedResponse, parseRequest, TimestampError } from './tsa.ts';
import type { Verification } from './verification.ts';
import { toPem } from './x509.ts';

const tags = ['trust'];
/** Documents travel as base64 in JSON: 10 MiB of document is about 13.4 MiB of body. */
const DOCUMENT_BODY_LIMIT = Math.ceil((MAX_DOCUMENT_BYTES * 2 * 4) / 3) + 256 * 1024;
const PUBLIC_VERIFY_PER_MINUTE = 120;
const Binary = Type.Unsafe<Buffer>({ type: 'string', format: 'binary' });

export type TrustRouteDeps = { authority: Authority; certificates: Certificates; signing: Signing; verification: Verification };

export function registerTrustRoutes(app: App, deps: TrustRouteDeps): void {
  const { authority, certificates, signing, verification } = deps;

  app.get('/api/trust/ca.pem', {
    config: { auth: 'public' },
    schema: { tags, summary: 'The issuing CA and root certificates, PEM, issuing first', security: [], response: { 200: Type.String() } },
    handler: async (_request, reply) => reply.type('application/pem-certificate-chain').header('cache-control', 'public, max-age=300').send(await authority.chainPem()),
  });

  app.get('/api/trust/status/:serial', {
    config: { auth: 'public' },
    schema: {
      tags,
      summary: 'Status of a certificate by serial number (hex): good, revoked with when and why, or unknown',
      security: [],
      params: SerialParams,
      response: {
        200: Type.Object({
          serial: Type.String(),
          status: Type.Union([Type.Literal('good'), Type.Literal('revoked'), Type.Literal('unknown')]),
          notBefore: Type.Optional(Type.String({ format: 'date-time' })),
          notAfter: Type.Optional(Type.String({ format: 'date-time' })),
          revokedAt: Type.Optional(Type.String({ format: 'date-time' })),
          reason: Type.Optional(Type.String()),
        }),
        400: ProblemSchema,
      },
    },
    handler: async (request) => authority.status(request.params.serial),
  });

  app.get('/api/trust/crl', {
    config: { auth: 'public' },
    schema: { tags, summary: "The issuing CA's current certificate revocation list, DER", security: [], response: { 200: Binary } },
    handler: async (_request, reply) => reply.type('application/pkix-crl').header('cache-control', 'public, max-age=60').send(await authority.crl()),
  });

  app.post('/api/trust/verify', {
    // Public and CPU-bound (an SM2 verification takes milliseconds): limited per client address.
    config: { auth: 'public', rateLimit: { max: PUBLIC_VERIFY_PER_MINUTE, timeWindow: '1 minute' } },
    bodyLimit: DOCUMENT_BODY_LIMIT,
    schema: {
      tags,
      summary: 'Verify a signature, a sealed document or a timestamp: valid or why not, who signed, when, and the certificate at that time',
      security: [],
      body: VerifyInput,
      response: { 200: Type.Unsafe({ type: 'object', additionalProperties: true }), 400: ProblemSchema, 413: ProblemSchema, 429: ProblemSchema },
    },
    handler: async (request) => {
      const signed = decodeBase64('signatureBase64', request.body.signatureBase64);
      const document = request.body.documentBase64 === undefined ? undefined : decodeBase64('documentBase64', request.body.documentBase64);
      return verification.verify(signed, document);
    },
  });

  // RFC 3161 over HTTP: a DER TimeStampReq in, a DER TimeStampResp out. Staff and API tokens only.
  app.addContentTypeParser('application/timestamp-query', { parseAs: 'buffer', bodyLimit: 64 * 1024 }, (_request, body, done) => done(null, body));
  app.post('/api/trust/tsa', {
    schema: { tags, summary: 'RFC 3161 time stamping (application/timestamp-query → application/timestamp-reply)', response: { 200: Binary, ...STAFF_ERRORS, 415: ProblemSchema } },
    handler: async (request, reply) => {
      let parsed;
      try {
        parsed = parseRequest(request.body as Buffer);
      } catch (err) {
        if (err instanceof TimestampError) throw new ValidationError([{ field: 'body', code: err.code, message: err.message }]);
        throw err;
      }
      return reply.type('application/timestamp-reply').send(grantedResponse(await signing.tokenFor(parsed.imprint, parsed.nonce)));
    },
  });

  app.post('/api/trust/timestamps', {
    bodyLimit: DOCUMENT_BODY_LIMIT,
    schema: { tags, summary: 'Timestamp a hash or a document (JSON); the token is an RFC 3161 TimeStampToken, base64', body: TimestampInput, response: { 200: TimestampResult, ...STAFF_ERRORS, 413: ProblemSchema } },
    handler: async (request) => {
      const result = await signing.timestamp(request.body);
      return { tokenBase64: result.token.toString('base64'), genTime: result.genTime.toISOString(), hash: result.hash, digestHex: result.digest.toString('hex') };
    },
  });

  app.post('/api/trust/timestamps/batch', {
    bodyLimit: 16 * 1024 * 1024,
    schema: { tags, summary: 'One timestamp over the Merkle root of many hashes, with an inclusion proof for each (docs/trust-proofs.md)', body: BatchTimestampInput, response: { 200: BatchTimestampResult, ...STAFF_ERRORS, 413: ProblemSchema } },
    handler: async (request) => {
      const receipt = await signing.timestampBatch(request.body.hash, request.body.digestsHex.map((h) => Buffer.from(h, 'hex')));
      return { tokenBase64: receipt.token.toString('base64'), genTime: receipt.genTime.toISOString(), rootHex: receipt.root.toString('hex'), proofs: receipt.proofs };
    },
  });

  app.post('/api/trust/signatures', {
    bodyLimit: DOCUMENT_BODY_LIMIT,
    schema: { tags, summary: 'Sign a document with your certificate (CMS detached or enveloping), or seal a JSON or XML document', body: SignInput, response: { 200: SignResult, ...STAFF_ERRORS, 413: ProblemSchema } },
    handler: async (request) => {
      const signed = await signing.sign(requestContext(request), request.body);
      return { format: signed.format, mode: signed.mode, mediaType: signed.mediaType, fileExtension: signed.fileExtension, signatureBase64: signed.signature.toString('base64'), signedAt: signed.signedAt.toISOString() };
    },
  });

  app.post('/api/trust/certificate-requests', {
    schema: { tags, summary: 'Request a certificate for your organization (organization admin)', body: CertificateRequestCreate, response: { 201: CertificateRequestView, ...STAFF_ERRORS } },
    handler: async (request, reply) => reply.code(201).send(await certificates.request(requestContext(request), request.body)),
  });

  app.get('/api/trust/certificate-requests', {
    schema: { tags, summary: "Certificate requests: your organization's, or all for the CA operator and the auditor", querystring: RequestQuery, response: { 200: RequestPage, ...STAFF_ERRORS } },
    handler: async (request) => certificates.listRequests(requestContext(request), request.query),
  });

  app.post('/api/trust/certificate-requests/:id/approve', {
    schema: { tags, summary: 'Approve a request and issue the certificate (CA operator)', params: IdParams, body: Decision, response: { 200: CertificateRequestView, ...STAFF_ERRORS } },
    handler: async (request) => certificates.approve(requestContext(request), request.params.id, request.body.version, request.body.note),
  });

  app.post('/api/trust/certificate-requests/:id/reject', {
    schema: { tags, summary: 'Reject a request with a note (CA operator)', params: IdParams, body: Rejection, response: { 200: CertificateRequestView, ...STAFF_ERRORS } },
    handler: async (request) => certificates.reject(requestContext(request), request.params.id, request.body.version, request.body.note),
  });

  app.get('/api/trust/certificates', {
    schema: { tags, summary: "Certificates: your organization's, or any organization's for the CA operator and the auditor", querystring: CertificateQuery, response: { 200: CertificatePage, ...STAFF_ERRORS } },
    handler: async (request) => certificates.list(requestContext(request), request.query),
  });

  app.get('/api/trust/certificates/:serial', {
    schema: { tags, summary: 'One certificate', params: SerialParams, response: { 200: CertificateView, ...STAFF_ERRORS } },
    handler: async (request) => certificates.get(requestContext(request), request.params.serial),
  });

  app.get('/api/trust/certificates/:serial/pem', {
    schema: { tags, summary: 'Download the certificate and its chain, PEM', params: SerialParams, response: { 200: Type.String(), ...STAFF_ERRORS } },
    handler: async (request, reply) => {
      const der = await certificates.download(requestContext(request), request.params.serial);
      return reply
        .type('application/pem-certificate-chain')
        .header('content-disposition', `attachment; filename="${request.params.serial.toLowerCase()}.pem"`)
        .send(toPem(der) + (await authority.chainPem()));
    },
  });

  app.get('/api/trust/certificates/:serial/der', {
    schema: { tags, summary: 'Download the certificate, DER', params: SerialParams, response: { 200: Binary, ...STAFF_ERRORS } },
    handler: async (request, reply) => {
      const der = await certificates.download(requestContext(request), request.params.serial);
      return reply.type('application/pkix-cert').header('content-disposition', `attachment; filename="${request.params.serial.toLowerCase()}.cer"`).send(der);
    },
  });

  app.post('/api/trust/certificates/:serial/revoke', {
    schema: { tags, summary: 'Revoke a certificate with a reason (organization admin or CA operator)', params: SerialParams, body: Revocation, response: { 200: CertificateView, ...STAFF_ERRORS } },
    handler: async (request) => certificates.revoke(requestContext(request), request.params.serial, request.body.reason),
  });

  app.post('/api/trust/certificates/:serial/renew', {
    schema: { tags, summary: 'Request the renewal of a certificate (organization admin); the CA operator approves it', params: SerialParams, body: Renewal, response: { 201: CertificateRequestView, ...STAFF_ERRORS } },
    handler: async (request, reply) => reply.code(201).send(await certificates.renew(requestContext(request), request.params.serial, request.body.csrPem)),
  });
}
