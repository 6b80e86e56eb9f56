// HTTP for sign-in, the current session, accounts and API tokens.
import { Type } from 'typebox';
import type { Config } from '../../config.ts';
import { STAFF_ERRORS, ProblemSchema, NoContent } from '../../http/schemas.ts';
import { SESSION_COOKIE, requestContext, type App } from '../../http/server.ts';
import { operatorFromRequest } from '../../platform/actor.ts';
import type { Accounts } from './accounts.ts';
import type { Authentication } from './authentication.ts';
import * as policy from './policy.ts';
import { registerStaffTotpRoutes } from './staff-totp-routes.ts';
import type { StaffTotp } from './staff-totp.ts';
import { ChangePassword, CreatedToken, IdParams, ResetPassword, SessionInfo, SignIn, Token, TokenCreate, User, UserCreate, UserPage, UserQuery, UserUpdate } from './schema.ts';

const tags = ['identity'];

export function sessionCookie(value: string, config: Config, clear = false): string {
  const parts = [`${SESSION_COOKIE}=${clear ? '' : encodeURIComponent(value)}`, 'Path=/', 'HttpOnly', 'SameSite=Strict'];
  if (config.cookieSecure) parts.push('Secure');
  if (clear) parts.push('Max-Age=0');
  return parts.join('; ');
}

export function registerIdentityRoutes(app: App, deps: { authentication: Authentication; accounts: Accounts; staffTotp: StaffTotp; config: Config }): void {
  const { authentication, accounts, config } = deps;

  app.post('/api/session', {
    config: { auth: 'public', rateLimit: { max: config.signInRateLimitPerMinute, timeWindow: '1 minute' } },
    schema: {
      tags,
      summary: 'Sign in with user name, password and, when the account has two-step sign-in on, the TOTP code',
      description: 'Administrators who have not set up two-step sign-in are refused (403 totp_enrolment_required): they set it up at the workbench sign-in page.',
      security: [],
      body: SignIn,
      response: { 200: SessionInfo, 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 423: ProblemSchema, 429: ProblemSchema },
    },
    handler: async (request, reply) => {
      const meta = { ip: request.ip, userAgent: request.headers['user-agent'], requestId: String(request.id) };
      const { sessionId, info } = await authentication.signIn(request.body.username, request.body.password, meta, request.body.totp);
      reply.header('set-cookie', sessionCookie(sessionId, config));
      return info;
    },
  });

  app.get('/api/session', {
    schema: { tags, summary: 'The signed-in user and the CSRF token for writes', response: { 200: SessionInfo, 401: ProblemSchema } },
    handler: async (request) => authentication.currentSession(requestContext(request).actor),
  });

  app.delete('/api/session', {
    schema: { tags, summary: 'Sign out', response: { 204: NoContent, ...STAFF_ERRORS } },
    handler: async (request, reply) => {
      await authentication.signOut(requestContext(request));
      reply.header('set-cookie', sessionCookie('', config, true));
      return reply.code(204).send(null);
    },
  });

  app.post('/api/session/password', {
    schema: { tags, summary: 'Change your own password', body: ChangePassword, response: { 204: NoContent, ...STAFF_ERRORS } },
    handler: async (request, reply) => {
      await authentication.changePassword(requestContext(request), request.body.currentPassword, request.body.newPassword);
      return reply.code(204).send(null);
    },
  });

  app.get('/api/users', {
    schema: { tags, summary: 'Search accounts', querystring: UserQuery, response: { 200: UserPage, ...STAFF_ERRORS } },
    handler: async (request) => accounts.list(requestContext(request), request.query),
  });

  app.get('/api/users/:id', {
    schema: { tags, summary: 'One account', params: IdParams, response: { 200: User, ...STAFF_ERRORS } },
    handler: async (request) => accounts.get(requestContext(request), request.params.id),
  });

  app.post('/api/users', {
    schema: { tags, summary: 'Create an account', body: UserCreate, response: { 201: User, ...STAFF_ERRORS } },
    handler: async (request, reply) => {
      policy.assertMayManageUsers(requestContext(request).actor);
      return reply.code(201).send(await accounts.create(operatorFromRequest(requestContext(request)), request.body));
    },
  });

  app.patch('/api/users/:id', {
    schema: { tags, summary: 'Edit an account: name, roles, active', params: IdParams, body: UserUpdate, response: { 200: User, ...STAFF_ERRORS } },
    handler: async (request) => {
      policy.assertMayManageUsers(requestContext(request).actor);
      return accounts.update(operatorFromRequest(requestContext(request)), request.params.id, request.body);
    },
  });

  app.post('/api/users/:id/reset-password', {
    schema: { tags, summary: 'Set a new password; unlocks the account and ends its sessions', params: IdParams, body: ResetPassword, response: { 204: NoContent, ...STAFF_ERRORS } },
    handler: async (request, reply) => {
      policy.assertMayManageUsers(requestContext(request).actor);
      await accounts.resetPassword(operatorFromRequest(requestContext(request)), request.params.id, request.body.password);
      return reply.code(204).send(null);
    },
  });

  registerStaffTotpRoutes(app, deps.staffTotp);

  app.get('/api/tokens', {
    schema: { tags, summary: 'Your API tokens', response: { 200: Type.Object({ items: Type.Array(Token) }), ...STAFF_ERRORS } },
    handler: async (request) => ({ items: await authentication.listTokens(requestContext(request).actor) }),
  });

  app.post('/api/tokens', {
    schema: { tags, summary: 'Create an API token for a machine client; the secret is shown once', body: TokenCreate, response: { 201: CreatedToken, ...STAFF_ERRORS } },
    handler: async (request, reply) => reply.code(201).send(await authentication.createToken(requestContext(request), request.body.name, request.body.expiresInDays)),
  });

  app.delete('/api/tokens/:id', {
    schema: { tags, summary: 'Revoke an API token', params: IdParams, response: { 204: NoContent, ...STAFF_ERRORS } },
    handler: async (request, reply) => {
      await authentication.revokeToken(requestContext(request), request.params.id);
      return reply.code(204).send(null);
    },
  });
}
