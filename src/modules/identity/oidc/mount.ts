// Hands /oidc/* and the discovery document to oidc-provider's own Node handler on the raw
// request (decision 0019): Fastify parses no body there and answers nothing itself.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { App } from '../../../http/server.ts';

export type NodeHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;

export function mountProvider(app: App, deps: { handler: () => Promise<NodeHandler>; issuer: string; headers: Record<string, string> }): void {
  const issuer = new URL(deps.issuer);
  app.register(async (scope) => {
    // The provider reads the body stream itself.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));
    const forward = async (request: import('fastify').FastifyRequest, reply: import('fastify').FastifyReply) => {
      const handler = await deps.handler();
      reply.hijack();
      const req = request.raw;
      // Every URL the provider builds starts with the issuer, whatever the caller's Host header
      // said (the provider trusts X-Forwarded-*; these replace any a caller sent).
      req.headers['x-forwarded-proto'] = issuer.protocol.slice(0, -1);
      req.headers['x-forwarded-host'] = issuer.host;
      req.headers['x-forwarded-for'] = request.ip;
      const res = reply.raw;
      for (const [name, value] of Object.entries(deps.headers)) res.setHeader(name, value);
      res.setHeader('x-request-id', String(request.id));
      await handler(req, res);
    };
    const options = { config: { auth: 'public' as const }, schema: { hide: true } };
    scope.route({ method: ['GET', 'POST', 'OPTIONS'], url: '/oidc/*', ...options, handler: forward });
    scope.route({ method: ['GET', 'OPTIONS'], url: '/.well-known/openid-configuration', ...options, handler: forward });
  });
}
