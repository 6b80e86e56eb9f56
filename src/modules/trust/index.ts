// Trust services: the instance's PKI (root and issuing CA), signature suites (ECDSA P-256 /
// SHA-256 and SM2 / SM3), and the CRL. Exchange messages, e-licences, documents and the
// audit's evidence are signed with what this module provides. Organization certificates,
// document signatures, timestamps and seals are being added (issue 3).
import path from 'node:path';
import type { App } from '../../http/server.ts';
import type { MigrationSource } from '../../platform/migrate.ts';
import { createAuthority, type AuthorityDeps } from './authority.ts';
import { registerTrustRoutes } from './routes.ts';

export { createSuites, DEFAULT_SM2_USER_ID, SUITE_NAMES, type SuiteName } from './suites.ts';

export const trustMigrations: MigrationSource = { module: 'trust', dir: path.join(import.meta.dirname, 'migrations') };

export function createTrust(deps: AuthorityDeps) {
  const authority = createAuthority(deps);
  return { authority, registerRoutes: (app: App) => registerTrustRoutes(app, authority) };
}

export type Trust = ReturnType<typeof createTrust>;
