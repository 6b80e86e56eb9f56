// Staff identity: civil servants' accounts in one organization with roles, sign-in with
// level-3 protections, browser sessions with CSRF protection, and API tokens for machines.
import path from 'node:path';
import type { Config } from '../../config.ts';
import type { App } from '../../http/server.ts';
import type { Audit } from '../../platform/audit.ts';
import type { ChangeFeed } from '../../platform/changes.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db.ts';
import type { MigrationSource } from '../../platform/migrate.ts';
import type { SecretBox } from '../../platform/secret-box.ts';
import { createAccounts, type SubtreeLookup } from './accounts.ts';
import { createAuthentication, type OrgLookup } from './authentication.ts';
import { portalClient, type CitizenAccountKind } from './citizens/index.ts';
import { citizenAccountKind, createOidc, staffAccountKind, type SubsystemLookup } from './oidc/index.ts';
import { registerIdentityRoutes } from './routes.ts';
import { createStaffTotp } from './staff-totp.ts';
import { WORKBENCH_CLIENT_ID, registerWorkbenchClientRoutes, workbenchClient } from './workbench-client/index.ts';

export type { CreatedToken, SessionInfo, Token, User, UserCreate } from './schema.ts';
export type { CitizenContext } from './citizens/index.ts';
export type { TotpEnrolment, TotpStatus } from './schema.ts';
export { TOTP_REQUIRED_ROLES, mustUseTotp } from './policy.ts';
export { totpCode } from './totp/codes.ts';

export const identityMigrations: MigrationSource = { module: 'identity', dir: path.join(import.meta.dirname, 'migrations') };

export function createIdentity(deps: { db: Db; audit: Audit; clock: Clock; changes: ChangeFeed; config: Config; box: SecretBox; directory: OrgLookup & SubtreeLookup & SubsystemLookup }) {
  const { config } = deps;
  // The issuer authenticator apps show beside the account, as for citizens (src/app.ts).
  const staffTotp = createStaffTotp({ ...deps, issuer: `egov ${config.instance}` });
  const authentication = createAuthentication({
    ...deps,
    totp: staffTotp,
    settings: {
      sessionIdleMinutes: config.sessionIdleMinutes,
      lockoutThreshold: config.lockoutThreshold,
      lockoutMinutes: config.lockoutMinutes,
      passwordMaxAgeDays: config.passwordMaxAgeDays,
    },
  });
  const accounts = createAccounts(deps);
  // The OpenID Connect provider reads accounts by kind: `sub` is `{kind}:{id}`. Each kind of
  // account adds its AccountKind to this list: staff here, citizens (./citizens/, wired later
  // in src/app.ts because they read the registries through the exchange) through useCitizens.
  // The workbench and the public portal are the provider's clients, built in (./workbench-client/,
  // ./citizens/portal-client.ts).
  let citizens: CitizenAccountKind | undefined;
  const citizenPort = () => {
    if (!citizens) throw new Error('Citizen accounts are not wired: call identity.useCitizens(citizens) in src/app.ts');
    return citizens;
  };
  const oidc = createOidc({
    ...deps,
    kinds: [staffAccountKind({ authentication, directory: deps.directory, passwordChangeClients: [WORKBENCH_CLIENT_ID] }), citizenAccountKind(citizenPort)],
    builtinClients: [workbenchClient(config.publicUrl), portalClient(config.publicUrl)],
  });
  return {
    authentication,
    accounts,
    staffTotp,
    oidc,
    /** The citizen accounts the provider signs citizens in with (sub = citizen:{id}). */
    useCitizens(port: CitizenAccountKind): void {
      citizens = port;
    },
    registerRoutes: (app: App) => {
      registerIdentityRoutes(app, { authentication, accounts, staffTotp, config });
      oidc.registerRoutes(app);
      registerWorkbenchClientRoutes(app, { ...deps, authentication, clientSecret: () => oidc.builtinSecret(WORKBENCH_CLIENT_ID), endProviderSession: oidc.endSessionOf });
    },
  };
}

export type Identity = ReturnType<typeof createIdentity>;
