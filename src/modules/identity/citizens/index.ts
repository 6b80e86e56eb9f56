// Citizen identity: accounts of natural persons, really-named against the population
// registry read through the exchange; password sign-in with lockout and an optional TOTP
// second factor; password reset by the account's own channel; deletion that erases personal
// data and keeps the record the law requires; enterprises verified against the legal-entity
// registry, and the agents their legal representatives authorize per service.
//
// For the OpenID Connect provider (decision 0019: `sub` = citizen:{id}) this is the account
// kind "citizen": findBySub(sub), authenticate(login, password, totp?), secondFactor(id, totp),
// actingOptions(sub, service?) and claims(sub, scopes, options), adapted in
// ../oidc/citizen-account.ts. The public portal signs citizens in through the provider as a
// built-in client (portal-client.ts) and then holds the citizen session (session.ts).
import type { FastifyRequest } from 'fastify';
import type { App } from '../../../http/server.ts';
import type { Audit } from '../../../platform/audit.ts';
import type { Clock } from '../../../platform/clock.ts';
import type { Db } from '../../../platform/db.ts';
import type { SecretBox } from '../../../platform/secret-box.ts';
import { createCitizenAccounts } from './accounts.ts';
import { createClaims } from './claims.ts';
import { loggingCodeSender, type CodeSender, type ContactSink } from './code-sender.ts';
import { createDataUsage } from './data-usage.ts';
import { createEnterprises } from './enterprises.ts';
import type { CitizenContext, CitizenSettings, Meta } from './model.ts';
import { actingEnterpriseOf, portalSignedOutCookies, registerPortalClientRoutes } from './portal-client.ts';
import { createRegistryCheck, type RegistryCheckDeps } from './registry-check.ts';
import { createOwnRecords } from './own-records.ts';
import { createPasswordReset } from './reset.ts';
import { registerCitizenRoutes } from './routes.ts';
import { createCitizenSessions } from './session.ts';
import { createSignIn } from './sign-in.ts';
import { createTotpEnrolment } from './totp-factor.ts';

export type { CitizenAccount, Verification } from './accounts.ts';
export type { AuthResult, AuthFailure } from './sign-in.ts';
export type { CitizenClaims, ClaimOptions } from './claims.ts';
export type { CodeMessage, CodeSender, ContactSink, Contacts } from './code-sender.ts';
export type { CitizenContext, CitizenSettings } from './model.ts';
export { loggingCodeSender } from './code-sender.ts';
export { CITIZEN_COOKIE } from './session.ts';
export { PORTAL_CLIENT_ID, PORTAL_HOME, portalClient, type ActingEnterprise, type PortalSignInFailure } from './portal-client.ts';
export type { DataRead } from './data-usage.ts';
export type { OwnRecord } from './own-records.ts';
export { identitySubsystemOf } from './registry-check.ts';

export type CitizensDeps = {
  db: Db;
  audit: Audit;
  clock: Clock;
  box: SecretBox;
  settings: CitizenSettings & { cookieSecure: boolean; rateLimitPerMinute: number };
  /** How the identity service reaches the registries through the exchange (see registry-check.ts). */
  exchange: Omit<RegistryCheckDeps, 'db' | 'box'>;
  /** Where one-time codes go; default: a line in the log saying a code was sent, masked. */
  codeSender?: CodeSender;
  log?: (line: string) => void;
};

export function createCitizens(deps: CitizensDeps) {
  const check = createRegistryCheck({ db: deps.db, box: deps.box, ...deps.exchange });
  let sender: CodeSender = deps.codeSender ?? loggingCodeSender(deps.log ?? (() => undefined));
  const codeSender: CodeSender = { send: (message) => sender.send(message) };
  // Until the app wires messaging in, contacts stay with the account only.
  let contactSink: ContactSink = { update: async () => undefined };
  const contacts: ContactSink = { update: (sub, value) => contactSink.update(sub, value) };
  const core = { db: deps.db, audit: deps.audit, clock: deps.clock, box: deps.box, check, codeSender, contacts, settings: deps.settings };
  const accounts = createCitizenAccounts(core);
  const signIn = createSignIn(core);
  const totp = createTotpEnrolment(core, accounts.active);
  const reset = createPasswordReset(core);
  const enterprises = createEnterprises(core, accounts.active);
  const sessions = createCitizenSessions(core);
  const { claims } = createClaims(core, enterprises);
  const dataUsage = createDataUsage(core, accounts.active);
  const ownRecords = createOwnRecords(core, accounts.active, async (citizenId, creditCode) => (await enterprises.actingAs(citizenId, creditCode)) !== undefined);

  return {
    // The account-kind interface for the OpenID Connect provider.
    /** A live account by `sub` (citizen:{id}); undefined for anything else. */
    findBySub: accounts.findBySub,
    /** The password (and, when on, TOTP) check with lockout; a result, never an exception for bad credentials. */
    authenticate: (login: string, password: string, totp?: string, meta?: Meta) => signIn.authenticate(login, password, totp, meta),
    /** The TOTP step after a password authenticate found right (totp_required, with its citizenId). */
    secondFactor: (citizenId: string, totp: string, meta?: Meta) => signIn.secondFactor(citizenId, totp, meta),
    /** The enterprises `sub` may act for now (for the service, when given): what sign-in offers. */
    actingOptions: async (sub: string, serviceCode?: string) => {
      const found = await accounts.findBySub(sub);
      return found ? enterprises.actingOptions(found.citizenId, serviceCode) : [];
    },
    /** Claims by scope; the full ID number only with options.fullIdNumber; enterprise claims with options.enterprise. */
    claims,

    accounts,
    enterprises,
    /** Two-step sign-in: enrol (a secret shown once), confirm with a code. */
    totp,
    /** A forgotten password: a code to the account's channel, then a new password with it. */
    reset,
    /** Replaces where codes go (the app wires messaging's adapter). */
    useCodeSender(next: CodeSender): void {
      sender = next;
    },
    /** Where the contacts and language a citizen registers with go (messaging's recipients); a deleted account's are cleared. */
    useContactSink(next: ContactSink): void {
      contactSink = next;
    },
    /** Citizen browser sessions: the portal's pages authenticate with them. */
    sessions,
    /** The enterprise the signed-in person chose at the portal's sign-in to act for, if any. */
    actingEnterprise: (request: FastifyRequest, ctx: CitizenContext) => actingEnterpriseOf(deps.box, request, ctx),
    /** The citizen's own registry records (and their enterprises'), read through the exchange to prefill e-forms. */
    ownRecords,
    /** Cookies that end the portal's sign-in in this browser. */
    signedOutCookies: () => portalSignedOutCookies(deps.box, deps.settings.cookieSecure),
    /** Who read the signed-in citizen's population record, through the exchange (audited). */
    dataUsage: (ctx: CitizenContext, lang: 'zh-CN' | 'en') => dataUsage.mine(ctx, lang),
    /** `portal`: the portal's built-in client at the provider (its secret), whose sign-in opens citizen sessions. */
    registerRoutes(app: App, portal?: { clientSecret: () => Promise<string>; publicUrl: string; signInRateLimitPerMinute: number }): void {
      check.attach((request) => app.inject(request).then((res) => ({ statusCode: res.statusCode, body: res.body, headers: res.headers as Record<string, unknown> })));
      registerCitizenRoutes(app, { accounts, signIn, totp, reset, enterprises, sessions, dataUsage, settings: deps.settings });
      if (portal) {
        registerPortalClientRoutes(app, {
          ...core,
          sessions,
          clientSecret: portal.clientSecret,
          config: { publicUrl: portal.publicUrl, cookieSecure: deps.settings.cookieSecure, signInRateLimitPerMinute: portal.signInRateLimitPerMinute },
        });
      }
    },
  };
}

export type Citizens = ReturnType<typeof createCitizens>;
/** What the OpenID Connect provider needs of the citizen account kind. */
export type CitizenAccountKind = Pick<Citizens, 'findBySub' | 'authenticate' | 'secondFactor' | 'actingOptions' | 'claims'>;
