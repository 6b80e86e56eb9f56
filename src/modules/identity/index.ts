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
import { createAccounts, type SubtreeLookup } from './accounts.ts';
import { createAuthentication, type OrgLookup } from './authentication.ts';
import { registerIdentityRoutes } from './routes.ts';

export type { CreatedToken, SessionInfo, Token, User, UserCreate } from './schema.ts';

export const identityMigrations: MigrationSource = { module: 'identity', dir: path.join(import.meta.dirname, 'migrations') };

export function createIdentity(deps: { db: Db; audit: Audit; clock: Clock; changes: ChangeFeed; config: Config; directory: OrgLookup & SubtreeLookup }) {
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
  return {
    authentication,
    accounts,
    registerRoutes: (app: App) => registerIdentityRoutes(app, { authentication, accounts, config }),
  };
}

export type Identity = ReturnType<typeof createIdentity>;
