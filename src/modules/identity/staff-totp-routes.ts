// HTTP for staff TOTP: your own (status, set up, confirm, turn off) under /api/session/totp,
// and the security admin's reset of someone else's under /api/users/{id}/totp. Every route
// needs a signed-in user (the server's default); the service applies the role rules.
import { NoContent, STAFF_ERRORS } from '../../http/schemas.ts';
import { requestContext, type App } from '../../http/server.ts';
import { IdParams, TotpCodeBody, TotpEnrolment, TotpStatus } from './schema.ts';
import type { StaffTotp } from './staff-totp.ts';

const tags = ['identity'];

export function registerStaffTotpRoutes(app: App, totp: StaffTotp): void {
  app.get('/api/session/totp', {
    schema: { tags, summary: 'Your two-step sign-in: on, required for your roles, a setup waiting', response: { 200: TotpStatus, ...STAFF_ERRORS } },
    handler: async (request) => totp.status(requestContext(request)),
  });

  app.post('/api/session/totp', {
    schema: { tags, summary: 'Start setting up two-step sign-in: a new TOTP secret, shown once', response: { 200: TotpEnrolment, ...STAFF_ERRORS } },
    handler: async (request, reply) => reply.header('cache-control', 'no-store').send(await totp.start(requestContext(request))),
  });

  app.post('/api/session/totp/confirm', {
    schema: { tags, summary: 'Turn two-step sign-in on with a code from the new secret', body: TotpCodeBody, response: { 204: NoContent, ...STAFF_ERRORS } },
    handler: async (request, reply) => {
      await totp.confirm(requestContext(request), request.body.code);
      return reply.code(204).send(null);
    },
  });

  app.post('/api/session/totp/remove', {
    schema: { tags, summary: 'Turn two-step sign-in off, with a current code (not for administrators)', body: TotpCodeBody, response: { 204: NoContent, ...STAFF_ERRORS } },
    handler: async (request, reply) => {
      await totp.remove(requestContext(request), request.body.code);
      return reply.code(204).send(null);
    },
  });

  app.delete('/api/users/:id/totp', {
    schema: { tags, summary: 'Reset someone’s two-step sign-in (security admin): it is off, their sessions end', params: IdParams, response: { 204: NoContent, ...STAFF_ERRORS } },
    handler: async (request, reply) => {
      await totp.reset(requestContext(request), request.params.id);
      return reply.code(204).send(null);
    },
  });
}
