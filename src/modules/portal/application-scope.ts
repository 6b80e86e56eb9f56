// The portal's application pages in a scope of their own: the forms that upload materials post
// multipart/form-data (read with @fastify/multipart within limits, multipart.ts), the others
// application/x-www-form-urlencoded, as everywhere on the portal.
import querystring from 'node:querystring';
import multipart from '@fastify/multipart';
import type { App } from '../../http/server.ts';
import { registerApplicationPages } from './application-routes.ts';
import type { PortalApplications } from './applications-port.ts';
import { registerApplyRoutes } from './apply-routes.ts';
import { MULTIPART_OPTIONS } from './multipart.ts';
import type { Responder } from './respond.ts';
import type { PortalAccounts } from './routes.ts';

const FORM_LIMIT = 16_384;

export function registerApplicationScope(app: App, deps: { respond: Responder; accounts: PortalAccounts; applications: PortalApplications; log: { warn: (obj: object, msg: string) => void } }): void {
  app.register(async (scope) => {
    await scope.register(multipart, MULTIPART_OPTIONS);
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: FORM_LIMIT }, (_request, body, done) => done(null, { ...querystring.parse(String(body)) }));
    registerApplyRoutes(scope as unknown as App, deps);
    registerApplicationPages(scope as unknown as App, deps);
  });
}
