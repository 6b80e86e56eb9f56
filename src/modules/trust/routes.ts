// Public trust endpoints: the CA chain and the CRL (fixed interfaces other tools rely on).
import { Type } from 'typebox';
import { ProblemSchema } from '../../http/schemas.ts';
import type { App } from '../../http/server.ts';
import type { Authority } from './authority.ts';

const tags = ['trust'];

export function registerTrustRoutes(app: App, authority: Authority): void {
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
      params: Type.Object({ serial: Type.String({ pattern: '^[0-9A-Fa-f]{2,40}$', description: 'serial number in hex, as printed by openssl x509 -serial' }) }),
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
    schema: { tags, summary: "The issuing CA's current certificate revocation list, DER", security: [], response: { 200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary' }) } },
    handler: async (_request, reply) => reply.type('application/pkix-crl').header('cache-control', 'public, max-age=60').send(await authority.crl()),
  });
}
