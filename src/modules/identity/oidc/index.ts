// The OpenID Connect provider of unified identity (decision 0019): business systems sign
// their users in through egov. Accounts come by kind (staff now, citizens next), clients are
// the directory's business subsystems, and everything the provider keeps is in the database.
import type Provider from 'oidc-provider';
import type { ClientMetadata } from 'oidc-provider';
import type { Config } from '../../../config.ts';
import type { App } from '../../../http/server.ts';
import type { Audit } from '../../../platform/audit.ts';
import type { Clock } from '../../../platform/clock.ts';
import type { Db } from '../../../platform/db.ts';
import type { SecretBox } from '../../../platform/secret-box.ts';
import { accountKinds, type AccountKind } from './accounts.ts';
import { registerClientRoutes } from './client-routes.ts';
import { createClientService, type SubsystemLookup } from './client-service.ts';
import { oidcHeaders } from './headers.ts';
import { registerInteractionRoutes } from './interactions.ts';
import { loadProviderKeys } from './keys.ts';
import { mountProvider, type NodeHandler } from './mount.ts';
import * as payloads from './payload-store.ts';
import { createProvider } from './provider.ts';

export type { AccountKind, SignInMeta } from './accounts.ts';
export type { AccountClaims, AccountType } from './claims.ts';
export { maskIdNumber } from './claims.ts';
export { staffAccountKind } from './staff-account.ts';
export type { SubsystemLookup } from './client-service.ts';

export type OidcDeps = { db: Db; audit: Audit; clock: Clock; box: SecretBox; config: Config; directory: SubsystemLookup; kinds: AccountKind[] };

export function createOidc(deps: OidcDeps) {
  const { db, config } = deps;
  const kinds = accountKinds(deps.kinds);
  let built: Promise<{ provider: Provider; handler: NodeHandler }> | undefined;
  // Built on first use: making keys on a fresh database takes a moment, and CLI commands never need them.
  const ready = () =>
    (built ??= (async () => {
      const keys = await loadProviderKeys(db, deps.box, deps.clock.now());
      const provider = createProvider({
        db,
        keys,
        accounts: kinds,
        clients: (clientId) => clients.providerMetadata(clientId),
        settings: { issuer: config.publicUrl, accessTokenSeconds: config.oidcAccessTokenSeconds, refreshTokenDays: config.oidcRefreshTokenDays, sessionHours: config.oidcSessionHours },
      });
      return { provider, handler: provider.callback() };
    })().catch((err: unknown) => {
      built = undefined;
      throw err;
    }));
  const clients = createClientService({ ...deps, validateMetadata: async (metadata) => (await ready()).provider.Client.validate(metadata as ClientMetadata) });
  const headers = oidcHeaders(config.tls);
  return {
    clients,
    provider: async () => (await ready()).provider,
    registerRoutes(app: App) {
      registerClientRoutes(app, clients);
      registerInteractionRoutes(app, { provider: async () => (await ready()).provider, kinds, clients, config, headers });
      mountProvider(app, { handler: async () => (await ready()).handler, issuer: config.publicUrl, headers });
    },
    /** Drops expired sessions, codes and tokens. */
    sweep: () => payloads.deleteExpired(db, new Date()),
  };
}

export type Oidc = ReturnType<typeof createOidc>;
