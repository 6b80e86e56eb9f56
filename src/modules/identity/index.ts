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
import { createOidc, staffAccountKind, type SubsystemLookup } from './oidc/index.ts';
import { registerIdentityRoutes } from './routes.ts';
import { WORKBENCH_CLIENT_ID, registerWorkbenchClientRoutes, workbenchClient } from './workbench-client/index.ts';

export type { CreatedToken, SessionInfo, Token, User, UserCreate } from './schema.ts';

export const identityMigrations: MigrationSource = { module: 'identity', dir: path.join(import.meta.dirname, 'migrations') };

export function createIdentity(deps: { db: Db; audit: Audit; clock: Clock; changes: ChangeFeed; config: Config; box: SecretBox; directory: OrgLookup & SubtreeLookup & SubsystemLookup }) {
  const { config } = deps;
  const authentication = createAuthentication({
    ...deps,
    settings: {
      sessionIdleMinutes: config.sessionIdleMinutes,
      lockoutThreshold: config.lockoutThreshold,
      lockoutMinutes: config.lockoutMinutes,
      passwordMaxAgeDays: config.passwordMaxAgeDays,
    },
  });
  const accounts = createAccounts(deps);
  // The OpenID Connect provider reads accounts by kind: `sub` is `{kind}:{id}`. Each kind of
  // account (citizens next, from ./citizens/) adds its AccountKind to this list.
  // The workbench is one of the provider's clients, built in (./workbench-client/).
  const oidc = createOidc({
    ...deps,
    kinds: [staffAccountKind({ authentication, directory: deps.directory, passwordChangeClients: [WORKBENCH_CLIENT_ID] })],
    builtinClients: [workbenchClient(config.publicUrl)],
  });
  return {
    authentication,
    accounts,
    oidc,
    registerRoutes: (app: App) => {
      registerIdentityRoutes(app, { authentication, accounts, config });
      oidc.registerRoutes(app);
      registerWorkbenchClientRoutes(app, { ...deps, authentication, clientSecret: () => oidc.builtinSecret(WORKBENCH_CLIENT_ID) });
    },
  };
}

export type Identity = ReturnType<typeof createIdentity>;
