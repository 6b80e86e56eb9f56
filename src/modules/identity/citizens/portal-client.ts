// The public portal as a client of the platform's own provider (decision 0022), built in as
// the workbench is: citizens and the people acting for enterprises sign in at the provider,
// and the portal opens the citizen session on its return.
//   GET /api/citizen/oidc/start     state, nonce and PKCE in a sealed cookie, then to /oidc/auth
//   GET /api/citizen/oidc/callback  the code exchanged on the back channel, the ID token checked,
//                                   citizens only, then the citizen session and, when the person
//                                   chose to act for an enterprise, which one
//   GET /api/citizen/oidc/logout    after the portal ended its session: the provider's sign-out
// Failures go back to the portal's home with a reason it puts into words.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../../config.ts';
import type { App } from '../../../http/server.ts';
import type { Audit } from '../../../platform/audit.ts';
import type { Clock } from '../../../platform/clock.ts';
import type { Db } from '../../../platform/db.ts';
import { sha256Hex, UUID_PATTERN } from '../../../platform/ids.ts';
import type { Sealed, SecretBox } from '../../../platform/secret-box.ts';
import type { BuiltinClient } from '../oidc/index.ts';
import { createCodeExchange } from '../relying-party/code-exchange.ts';
import { authorizationUrl, builtinClient, CallbackQuery, endSessionUrl, LogoutQuery, returningFlow, StartQuery, type RelyingParty } from '../relying-party/client.ts';
import { flowCookie, newFlow, readCookie, safeNext, sealFlow, type FlowCookie } from '../relying-party/flow.ts';
import type { IdTokenClaims } from '../relying-party/id-token.ts';
import { citizenActor, type CitizenContext } from './model.ts';
import { citizenSessionCookie, type CitizenSessions } from './session.ts';

export const PORTAL_CLIENT_ID = 'egov-portal';
/** Who (sub, account type), the name and masked ID number, and the enterprise the person acts for. */
export const PORTAL_SCOPE = 'openid profile enterprise';
/** Where a signed-in citizen lands unless they asked for another page: "my space". */
export const PORTAL_HOME = '/me';
const PORTAL_FLOW: FlowCookie = { name: 'egov_portal_oidc', path: '/api/citizen/oidc', context: 'identity.portal-oidc-flow/v1' };
const ACTING_COOKIE = 'egov_portal_acting';
const ACTING_CONTEXT = 'identity.portal-acting/v1';
const CITIZEN_SUB = new RegExp(`^citizen:(${UUID_PATTERN.replace(/^\^|\$$/g, '')})$`);

/** The portal as the relying party it is at the provider. */
export const portalParty = (publicUrl: string): RelyingParty => ({
  clientId: PORTAL_CLIENT_ID,
  scope: PORTAL_SCOPE,
  name: { zh: '政务服务门户', en: 'the government services portal' },
  callback: `${publicUrl}/api/citizen/oidc/callback`,
  signedOut: `${publicUrl}/?signed-out=1`,
  issuer: publicUrl,
  flow: PORTAL_FLOW,
});

export const portalClient = (publicUrl: string): BuiltinClient => builtinClient(portalParty(publicUrl));

/** The enterprise a signed-in person chose at sign-in to act for. */
export type ActingEnterprise = { creditCode: string; name: string; role: 'legal_representative' | 'agent' };

/** Why a portal sign-in came back to the home page; the portal says each in words. */
export type PortalSignInFailure = 'failed' | 'cancelled' | 'not-citizen';

export type PortalClientDeps = {
  db: Db;
  audit: Audit;
  clock: Clock;
  box: SecretBox;
  config: Pick<Config, 'publicUrl' | 'cookieSecure' | 'signInRateLimitPerMinute'>;
  sessions: CitizenSessions;
  clientSecret: () => Promise<string>;
};

const tags = ['citizens'];

/** The acting enterprise kept beside the session: sealed, and only for the session it was chosen in. */
export function actingEnterpriseOf(box: SecretBox, request: FastifyRequest, ctx: CitizenContext): ActingEnterprise | undefined {
  const raw = readCookie(request.headers.cookie, ACTING_COOKIE);
  if (!raw || raw.length > 4096) return undefined;
  try {
    const sealed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Sealed;
    const value = JSON.parse(box.open(sealed, ACTING_CONTEXT).toString('utf8')) as ActingEnterprise & { session: string };
    return value.session === ctx.sessionIdHash ? { creditCode: value.creditCode, name: value.name, role: value.role } : undefined;
  } catch {
    return undefined;
  }
}

function actingCookie(box: SecretBox, secure: boolean, value?: ActingEnterprise & { session: string }): string {
  const sealed = value ? Buffer.from(JSON.stringify(box.seal(Buffer.from(JSON.stringify(value)), ACTING_CONTEXT))).toString('base64url') : '';
  const parts = [`${ACTING_COOKIE}=${sealed}`, 'Path=/', 'HttpOnly', 'SameSite=Strict'];
  if (secure) parts.push('Secure');
  if (!value) parts.push('Max-Age=0');
  return parts.join('; ');
}

/** Cookies that end the portal's sign-in in this browser: the session and the acting enterprise. */
export const portalSignedOutCookies = (box: SecretBox, secure: boolean) => [citizenSessionCookie(undefined, secure), actingCookie(box, secure)];

export function registerPortalClientRoutes(app: App, deps: PortalClientDeps): void {
  const { config, box, clock } = deps;
  const party = portalParty(config.publicUrl);
  const secure = config.cookieSecure;
  const codes = createCodeExchange(app, { clientId: PORTAL_CLIENT_ID, redirectUri: party.callback, issuer: config.publicUrl, clientSecret: deps.clientSecret });
  const next = (value: unknown) => safeNext(value, PORTAL_HOME, ['/login']);

  function back(reply: FastifyReply, reason: PortalSignInFailure) {
    return reply.header('set-cookie', flowCookie(PORTAL_FLOW, '', secure, true)).header('cache-control', 'no-store').redirect(`/?signin=${reason}`, 303);
  }

  app.get('/api/citizen/oidc/start', {
    config: { auth: 'public' },
    schema: { tags, summary: 'Sign in to the portal through the platform sign-in (OpenID Connect): redirects to the provider', security: [], querystring: StartQuery },
    handler: async (request, reply) => {
      const flow = newFlow(next(request.query.next), clock.now());
      return reply.header('set-cookie', flowCookie(PORTAL_FLOW, sealFlow(box, flow, PORTAL_FLOW), secure)).header('cache-control', 'no-store').redirect(authorizationUrl(party, flow, request.query.lang), 303);
    },
  });

  app.get('/api/citizen/oidc/callback', {
    config: { auth: 'public', rateLimit: { max: config.signInRateLimitPerMinute, timeWindow: '1 minute' } },
    schema: { tags, summary: 'Where the platform sign-in returns to the portal: starts the citizen session, then to the page asked for', security: [], querystring: CallbackQuery },
    handler: async (request, reply) => {
      const { query } = request;
      // Read once and cleared whatever happens: a callback cannot be replayed with it.
      const { flow, matches } = returningFlow(box, party, request.headers.cookie, query.state, clock.now());
      if (!flow || !matches) {
        request.log.warn({ reqId: request.id, hasFlow: Boolean(flow) }, 'portal sign-in: state missing or not this browser’s');
        return back(reply, 'failed');
      }
      if (query.error || !query.code) return back(reply, query.error === 'access_denied' ? 'cancelled' : 'failed');
      let claims: IdTokenClaims;
      let info: Record<string, unknown> = {};
      try {
        const tokens = await codes.tokens(query.code, flow);
        claims = tokens.claims;
        // Whom the person acts for is a claim of the `enterprise` scope: userinfo has it.
        if (claims.account_type === 'enterprise') info = await codes.userinfo(tokens.accessToken, claims.sub);
      } catch (err) {
        request.log.warn({ reqId: request.id, reason: (err as Error).message }, 'portal sign-in: code exchange or ID token refused');
        return back(reply, 'failed');
      }
      const citizen = claims.account_type === 'citizen' || claims.account_type === 'enterprise' ? CITIZEN_SUB.exec(claims.sub) : null;
      if (!citizen) return back(reply, 'not-citizen');
      const citizenId = citizen[1];
      const session = await deps.sessions.start(citizenId);
      const acting =
        claims.account_type === 'enterprise' && typeof info.credit_code === 'string'
          ? { creditCode: info.credit_code, name: String(info.enterprise_name ?? info.credit_code), role: info.enterprise_role === 'legal_representative' ? ('legal_representative' as const) : ('agent' as const) }
          : undefined;
      await deps.audit.record(deps.db, {
        actor: citizenActor(citizenId),
        action: 'identity.citizen.sign_in',
        subjectType: 'citizen',
        subjectId: citizenId,
        outcome: 'success',
        detail: { via: `oidc:${PORTAL_CLIENT_ID}`, ...(acting ? { actingFor: acting.creditCode } : {}) },
        ip: request.ip,
        requestId: String(request.id),
      });
      const cookies = [flowCookie(PORTAL_FLOW, '', secure, true), citizenSessionCookie(session.sessionId, secure), actingCookie(box, secure, acting ? { ...acting, session: sha256Hex(session.sessionId) } : undefined)];
      return reply.header('set-cookie', cookies).header('cache-control', 'no-store').redirect(flow.next, 303);
    },
  });

  app.get('/api/citizen/oidc/logout', {
    config: { auth: 'public' },
    schema: { tags, summary: 'After the portal ended its session: sign out of the platform sign-in too (RP-initiated logout), then back to the portal', security: [], querystring: LogoutQuery },
    handler: async (request, reply) => {
      return reply.header('set-cookie', portalSignedOutCookies(box, secure)).header('cache-control', 'no-store').redirect(endSessionUrl(party, request.query.lang), 303);
    },
  });
}
