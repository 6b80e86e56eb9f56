// The workbench's sign-in through the platform's own provider (decision 0019):
//   GET /api/session/oidc/start     state, nonce and PKCE in a sealed cookie, then to /oidc/auth
//   GET /api/session/oidc/callback  the code exchanged on the back channel, the ID token checked,
//                                   staff only, then the workbench session as POST /api/session makes it
//   GET /api/session/oidc/logout    RP-initiated logout at the provider, back to /login
// Failures go back to the sign-in page with a reason the web app puts into words; the details
// go to the log, never into the address.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../../config.ts';
import type { App } from '../../../http/server.ts';
import type { Audit } from '../../../platform/audit.ts';
import type { Clock } from '../../../platform/clock.ts';
import type { Db } from '../../../platform/db.ts';
import { DomainError } from '../../../platform/errors.ts';
import { UUID_PATTERN } from '../../../platform/ids.ts';
import type { SecretBox } from '../../../platform/secret-box.ts';
import type { Authentication } from '../authentication.ts';
import { sessionCookie } from '../routes.ts';
import { createCodeExchange } from '../relying-party/code-exchange.ts';
import { authorizationUrl, CallbackQuery, endSessionUrl, LogoutQuery, returningFlow, StartQuery } from '../relying-party/client.ts';
import { flowCookie, newFlow, sealFlow } from '../relying-party/flow.ts';
import type { IdTokenClaims } from '../relying-party/id-token.ts';
import { WORKBENCH_CLIENT_ID, WORKBENCH_FLOW, WORKBENCH_HOME, workbenchNext, workbenchParty } from './client.ts';

export type WorkbenchClientDeps = {
  db: Db;
  config: Config;
  box: SecretBox;
  clock: Clock;
  audit: Audit;
  authentication: Authentication;
  /** The workbench's client secret at the provider. */
  clientSecret: () => Promise<string>;
  /** Ends the provider's session in this browser if it is this account's. */
  endProviderSession: (req: IncomingMessage, res: ServerResponse, sub: string) => Promise<void>;
};

/** Why a sign-in came back to /login; the web app says each in words. */
export type SignInFailure = 'failed' | 'cancelled' | 'not-staff';

const tags = ['identity'];
const STAFF_SUB = new RegExp(`^staff:(${UUID_PATTERN.replace(/^\^|\$$/g, '')})$`);

export function registerWorkbenchClientRoutes(app: App, deps: WorkbenchClientDeps): void {
  const { config, box, clock } = deps;
  const party = workbenchParty(config.publicUrl);
  const secure = config.cookieSecure;
  const codes = createCodeExchange(app, { clientId: WORKBENCH_CLIENT_ID, redirectUri: party.callback, issuer: config.publicUrl, clientSecret: deps.clientSecret });

  function back(reply: FastifyReply, reason: SignInFailure, next?: string) {
    const params = new URLSearchParams({ reason });
    if (next && next !== WORKBENCH_HOME) params.set('next', next);
    return reply.header('set-cookie', flowCookie(WORKBENCH_FLOW, '', secure, true)).redirect(`/login?${params}`, 303);
  }

  const meta = (request: FastifyRequest) => ({ ip: request.ip, userAgent: request.headers['user-agent'], requestId: String(request.id) });

  app.get('/api/session/oidc/start', {
    config: { auth: 'public' },
    schema: { tags, summary: 'Sign in to the workbench through the platform sign-in (OpenID Connect): redirects to the provider', security: [], querystring: StartQuery },
    handler: async (request, reply) => {
      const flow = newFlow(workbenchNext(request.query.next), clock.now());
      return reply.header('set-cookie', flowCookie(WORKBENCH_FLOW, sealFlow(box, flow, WORKBENCH_FLOW), secure)).header('cache-control', 'no-store').redirect(authorizationUrl(party, flow, request.query.lang), 303);
    },
  });

  app.get('/api/session/oidc/callback', {
    config: { auth: 'public', rateLimit: { max: config.signInRateLimitPerMinute, timeWindow: '1 minute' } },
    schema: { tags, summary: 'Where the platform sign-in returns to the workbench: starts the workbench session, then to the page asked for', security: [], querystring: CallbackQuery },
    handler: async (request, reply) => {
      const { query } = request;
      // The cookie is read once and cleared whatever happens: a callback cannot be replayed with it.
      const { flow, matches } = returningFlow(box, party, request.headers.cookie, query.state, clock.now());
      if (!flow || !matches) {
        request.log.warn({ reqId: request.id, hasFlow: Boolean(flow) }, 'workbench sign-in: state missing or not this browser’s');
        return back(reply, 'failed', flow?.next);
      }
      if (query.error || !query.code) return back(reply, query.error === 'access_denied' ? 'cancelled' : 'failed', flow.next);
      let claims: IdTokenClaims;
      try {
        claims = await codes.exchange(query.code, flow);
      } catch (err) {
        request.log.warn({ reqId: request.id, reason: (err as Error).message }, 'workbench sign-in: code exchange or ID token refused');
        return back(reply, 'failed', flow.next);
      }
      const staff = claims.account_type === 'staff' ? STAFF_SUB.exec(claims.sub) : null;
      if (!staff) {
        await deps.audit.record(deps.db, {
          actor: { id: null, name: claims.sub.slice(0, 64), orgId: null },
          action: 'identity.sign_in',
          subjectType: 'user',
          subjectId: null,
          outcome: 'failure',
          detail: { reason: 'not_staff', via: `oidc:${WORKBENCH_CLIENT_ID}`, accountType: String(claims.account_type ?? '') },
          ip: request.ip,
          requestId: String(request.id),
        });
        return back(reply, 'not-staff');
      }
      let session: Awaited<ReturnType<Authentication['signInVerified']>>;
      try {
        session = await deps.authentication.signInVerified(staff[1], { ...meta(request), via: `oidc:${WORKBENCH_CLIENT_ID}` });
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        return back(reply, 'failed');
      }
      // A password that must change first: the workbench only, so no single sign-on from here.
      if (session.info.mustChangePassword) await deps.endProviderSession(request.raw, reply.raw, claims.sub);
      const next = session.info.mustChangePassword ? '/account/password' : flow.next;
      return reply.header('set-cookie', [flowCookie(WORKBENCH_FLOW, '', secure, true), sessionCookie(session.sessionId, config)]).header('cache-control', 'no-store').redirect(next, 303);
    },
  });

  app.get('/api/session/oidc/logout', {
    config: { auth: 'public' },
    schema: { tags, summary: 'After DELETE /api/session: sign out of the platform sign-in too (RP-initiated logout), then back to the sign-in page', security: [], querystring: LogoutQuery },
    handler: async (request, reply) => {
      return reply.header('cache-control', 'no-store').redirect(endSessionUrl(party, request.query.lang), 303);
    },
  });
}
