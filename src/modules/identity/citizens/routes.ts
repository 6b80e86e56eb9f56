// HTTP for citizens under /api/citizen/…, for the public portal. These routes are outside
// staff authentication (auth: 'public' to the staff hook); the signed-in ones authenticate
// the interim citizen session first (cookie egov_citizen_session, X-CSRF-Token on writes).
// Steps in order: rate limit, authenticate, validate, authorize (in the service: a citizen
// only ever reaches their own account and the enterprises they represent), handler.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { NoContent, ProblemSchema } from '../../../http/schemas.ts';
import type { App } from '../../../http/server.ts';
import { LockedError, UnauthenticatedError } from '../../../platform/errors.ts';
import type { CitizenAccounts } from './accounts.ts';
import type { DataUsage } from './data-usage.ts';
import type { Enterprises } from './enterprises.ts';
import type { CitizenContext, Meta } from './model.ts';
import type { createPasswordReset } from './reset.ts';
import {
  AgentGrant,
  Agent,
  AgentList,
  AgentParams,
  CitizenAccount,
  CitizenRegister,
  CitizenSession,
  CitizenSignIn,
  DataReadList,
  DeleteAccount,
  Enterprise,
  EnterpriseList,
  EnterpriseParams,
  EnterpriseRegister,
  ResetConfirm,
  ResetRequest,
  ResetRequested,
  TotpConfirm,
  TotpEnrolment,
  Verification,
} from './schema.ts';
import { citizenSessionCookie, type CitizenSessions } from './session.ts';
import type { createSignIn } from './sign-in.ts';
import type { createTotpEnrolment } from './totp-factor.ts';
import { pickLang } from '../oidc/language.ts';

const tags = ['citizens'];
const ERRORS = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema, 409: ProblemSchema } as const;

export type CitizenRouteDeps = {
  accounts: CitizenAccounts;
  signIn: ReturnType<typeof createSignIn>;
  totp: ReturnType<typeof createTotpEnrolment>;
  reset: ReturnType<typeof createPasswordReset>;
  enterprises: Enterprises;
  sessions: CitizenSessions;
  dataUsage: DataUsage;
  settings: { cookieSecure: boolean; rateLimitPerMinute: number; sessionIdleMinutes: number };
};

export function registerCitizenRoutes(app: App, deps: CitizenRouteDeps): void {
  const { accounts, enterprises, sessions, settings } = deps;
  const contexts = new WeakMap<FastifyRequest, CitizenContext>();
  const meta = (request: FastifyRequest): Meta => ({ ip: request.ip, requestId: String(request.id) });
  const limited = { auth: 'public' as const, rateLimit: { max: settings.rateLimitPerMinute, timeWindow: '1 minute' } };
  // Authentication before validation, so an anonymous caller learns nothing about the schema.
  const signedIn = {
    config: { auth: 'public' as const },
    preValidation: async (request: FastifyRequest) => {
      contexts.set(request, await sessions.require(request));
    },
  };
  const ctx = (request: FastifyRequest): CitizenContext => {
    const found = contexts.get(request);
    if (!found) throw new UnauthenticatedError();
    return found;
  };
  const cookie = (reply: FastifyReply, value: string | undefined) => reply.header('set-cookie', citizenSessionCookie(value, settings.cookieSecure));

  app.post('/api/citizen/register', {
    config: limited,
    schema: { tags, summary: 'Register a citizen account, verified by real name against the population registry (through the exchange)', security: [], body: CitizenRegister, response: { 201: CitizenAccount, ...ERRORS, 429: ProblemSchema } },
    // The language the citizen registered in is the one their messages come in.
    handler: async (request, reply) => reply.code(201).send(await accounts.register(request.body, meta(request), pickLang(undefined, request.headers['accept-language']))),
  });

  app.post('/api/citizen/session', {
    config: limited,
    schema: { tags, summary: 'Sign in as a citizen (interim session until OpenID Connect sign-in lands)', security: [], body: CitizenSignIn, response: { 200: CitizenSession, 400: ProblemSchema, 401: ProblemSchema, 423: ProblemSchema, 429: ProblemSchema } },
    handler: async (request, reply) => {
      const result = await deps.signIn.authenticate(request.body.login, request.body.password, request.body.totp, meta(request));
      if (!result.ok) {
        if (result.code === 'account_locked') throw new LockedError(result.code, result.message, result.messageZh);
        throw new UnauthenticatedError(result.code, result.message, result.messageZh);
      }
      const started = await sessions.start(result.citizenId);
      cookie(reply, started.sessionId);
      return { sub: result.sub, csrfToken: started.csrfToken, idleTimeoutSeconds: settings.sessionIdleMinutes * 60, interim: true as const };
    },
  });

  app.get('/api/citizen/session', {
    ...signedIn,
    schema: { tags, summary: 'The signed-in citizen and the CSRF token for writes', security: [], response: { 200: CitizenSession, 401: ProblemSchema } },
    handler: async (request) => {
      const c = ctx(request);
      return { sub: `citizen:${c.citizenId}`, csrfToken: c.csrfToken, idleTimeoutSeconds: settings.sessionIdleMinutes * 60, interim: true as const };
    },
  });

  app.delete('/api/citizen/session', {
    ...signedIn,
    schema: { tags, summary: 'Sign out', security: [], response: { 204: NoContent, ...ERRORS } },
    handler: async (request, reply) => {
      await sessions.end(ctx(request));
      cookie(reply, undefined);
      return reply.code(204).send(null);
    },
  });

  app.get('/api/citizen/account', {
    ...signedIn,
    schema: { tags, summary: 'Your account (a read of personal data, audited)', security: [], response: { 200: CitizenAccount, ...ERRORS } },
    handler: async (request) => accounts.get(ctx(request)),
  });

  app.get('/api/citizen/account/verification', {
    ...signedIn,
    schema: { tags, summary: 'Your real-name verification status', security: [], response: { 200: Verification, ...ERRORS } },
    handler: async (request) => accounts.verification(ctx(request)),
  });

  app.get('/api/citizen/account/data-usage', {
    ...signedIn,
    schema: { tags, summary: 'Who read your population record ("who read my data"), newest first: asked through the exchange, audited', security: [], response: { 200: DataReadList, ...ERRORS } },
    handler: async (request) => ({ items: await deps.dataUsage.mine(ctx(request), pickLang(undefined, request.headers['accept-language'])) }),
  });

  app.post('/api/citizen/account/totp', {
    ...signedIn,
    schema: { tags, summary: 'Start two-step sign-in: a new TOTP secret, shown once', security: [], response: { 200: TotpEnrolment, ...ERRORS } },
    handler: async (request, reply) => reply.header('cache-control', 'no-store').send(await deps.totp.enrol(ctx(request))),
  });

  app.post('/api/citizen/account/totp/confirm', {
    ...signedIn,
    schema: { tags, summary: 'Turn two-step sign-in on with a code from the new secret', security: [], body: TotpConfirm, response: { 204: NoContent, ...ERRORS } },
    handler: async (request, reply) => {
      await deps.totp.confirm(ctx(request), request.body.code);
      return reply.code(204).send(null);
    },
  });

  app.post('/api/citizen/account/delete', {
    ...signedIn,
    schema: { tags, summary: 'Delete your account: personal data erased, a record kept as the law requires', security: [], body: DeleteAccount, response: { 204: NoContent, ...ERRORS } },
    handler: async (request, reply) => {
      await accounts.delete(ctx(request), request.body.password, request.body.totp);
      cookie(reply, undefined);
      return reply.code(204).send(null);
    },
  });

  app.post('/api/citizen/password-reset', {
    config: limited,
    schema: { tags, summary: "Send a one-time code to the account's phone or email; the answer is the same whether or not there is such an account", security: [], body: ResetRequest, response: { 202: ResetRequested, 400: ProblemSchema, 429: ProblemSchema } },
    handler: async (request, reply) => {
      await deps.reset.request(request.body.login, meta(request));
      return reply.code(202).send({
        message: 'If an account has this login, a code was sent to its phone or email. It is valid for a few minutes.',
        messageZh: '如该账号存在，验证码已发送至其手机或邮箱，几分钟内有效。',
      });
    },
  });

  app.post('/api/citizen/password-reset/confirm', {
    config: limited,
    schema: { tags, summary: 'Set a new password with the code; unlocks the account and ends its sessions', security: [], body: ResetConfirm, response: { 204: NoContent, 400: ProblemSchema, 429: ProblemSchema } },
    handler: async (request, reply) => {
      await deps.reset.confirm(request.body.login, request.body.code, request.body.newPassword, meta(request));
      return reply.code(204).send(null);
    },
  });

  app.get('/api/citizen/enterprises', {
    ...signedIn,
    schema: { tags, summary: 'Enterprises you represent or are an agent of now', security: [], response: { 200: EnterpriseList, ...ERRORS } },
    handler: async (request) => ({ items: await enterprises.mine(ctx(request)) }),
  });

  app.post('/api/citizen/enterprises', {
    ...signedIn,
    schema: { tags, summary: 'Register an enterprise you legally represent, verified against the legal-entity registry (through the exchange)', security: [], body: EnterpriseRegister, response: { 201: Enterprise, ...ERRORS } },
    handler: async (request, reply) => reply.code(201).send(await enterprises.register(ctx(request), request.body.creditCode)),
  });

  app.get('/api/citizen/enterprises/:id/agents', {
    ...signedIn,
    schema: { tags, summary: "The enterprise's agents (its legal representative only)", security: [], params: EnterpriseParams, response: { 200: AgentList, ...ERRORS } },
    handler: async (request) => ({ items: await enterprises.agents(ctx(request), request.params.id) }),
  });

  app.post('/api/citizen/enterprises/:id/agents', {
    ...signedIn,
    schema: { tags, summary: 'Authorize a registered citizen to act for the enterprise in one service until an expiry', security: [], params: EnterpriseParams, body: AgentGrant, response: { 201: Agent, ...ERRORS } },
    handler: async (request, reply) => reply.code(201).send(await enterprises.authorize(ctx(request), request.params.id, request.body)),
  });

  app.delete('/api/citizen/enterprises/:id/agents/:authorizationId', {
    ...signedIn,
    schema: { tags, summary: "Revoke an agent's authorization", security: [], params: AgentParams, response: { 204: NoContent, ...ERRORS } },
    handler: async (request, reply) => {
      await enterprises.revoke(ctx(request), request.params.id, request.params.authorizationId);
      return reply.code(204).send(null);
    },
  });
}
