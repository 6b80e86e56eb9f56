// The OpenID Connect provider of unified identity (decision 0019): business systems sign
// their users in through egov. Accounts come by kind (staff now, citizens next), clients are
// the directory's business subsystems, and everything the provider keeps is in the database.
import crypto from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import type { AdapterPayload, ClientMetadata } from 'oidc-provider';
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
import { interactionState } from './interaction-state.ts';
import { registerInteractionRoutes } from './interactions.ts';
import { loadProviderKeys, type ProviderKeys } from './keys.ts';
import { t } from './language.ts';
import { mountProvider, type NodeHandler } from './mount.ts';
import * as payloads from './payload-store.ts';
import { createProvider } from './provider.ts';

export type { AccountKind, SignInMeta } from './accounts.ts';
export type { AccountClaims, AccountType } from './claims.ts';
export { staffAccountKind } from './staff-account.ts';
export { citizenAccountKind } from './citizen-account.ts';
export type { SubsystemLookup } from './client-service.ts';

/**
 * A client of the platform itself (the workbench): not a row of identity.oidc_clients, so no
 * one can list, edit or delete it through the registration API. Its secret is derived from a
 * key sealed in identity.oidc_keys, the same on every replica and never stored or shown.
 */
export type BuiltinClient = { clientId: string; name: { zh: string; en: string }; metadata: () => Omit<AdapterPayload, 'client_id' | 'client_secret'> };

export type OidcDeps = { db: Db; audit: Audit; clock: Clock; box: SecretBox; config: Config; directory: SubsystemLookup; kinds: AccountKind[]; builtinClients?: BuiltinClient[] };

const builtinSecret = (keys: ProviderKeys, clientId: string) => crypto.createHmac('sha256', keys.clientSecretKey).update(`egov/builtin-client/${clientId}`).digest('base64url');

export function createOidc(deps: OidcDeps) {
  const { db, config } = deps;
  const kinds = accountKinds(deps.kinds);
  const state = interactionState(db);
  const builtin = new Map((deps.builtinClients ?? []).map((c) => [c.clientId, c]));
  let built: Promise<{ provider: Provider; handler: NodeHandler; keys: ProviderKeys }> | undefined;
  // Built on first use: making keys on a fresh database takes a moment, and CLI commands never need them.
  const ready = () =>
    (built ??= (async () => {
      const keys = await loadProviderKeys(db, deps.box, deps.clock.now());
      const provider = createProvider({
        db,
        keys,
        accounts: kinds,
        state,
        clients: async (clientId) => {
          const own = builtin.get(clientId);
          return own ? { ...own.metadata(), client_id: clientId, client_secret: builtinSecret(keys, clientId) } : clients.providerMetadata(clientId);
        },
        settings: { issuer: config.publicUrl, accessTokenSeconds: config.oidcAccessTokenSeconds, refreshTokenDays: config.oidcRefreshTokenDays, sessionHours: config.oidcSessionHours },
      });
      return { provider, handler: provider.callback(), keys };
    })().catch((err: unknown) => {
      built = undefined;
      throw err;
    }));
  const clients = createClientService({ ...deps, validateMetadata: async (metadata) => (await ready()).provider.Client.validate(metadata as ClientMetadata) });
  const headers = oidcHeaders(config.tls);
  // The sign-in page names the client the person is signing in to, built-in ones included.
  const named = { ...clients, displayName: async (clientId: string, lang: 'zh-CN' | 'en') => (builtin.has(clientId) ? t(lang, builtin.get(clientId)!.name) : clients.displayName(clientId, lang)) };
  return {
    clients,
    /** The secret a built-in client authenticates to the token endpoint with. */
    builtinSecret: async (clientId: string) => {
      if (!builtin.has(clientId)) throw new Error(`${clientId} is not a built-in client`);
      return builtinSecret((await ready()).keys, clientId);
    },
    provider: async () => (await ready()).provider,
    /**
     * Ends the provider's session in this browser if it is `sub`'s. The workbench does so for
     * someone whose password must change: they reach the change page, and no other client
     * signs them in on the strength of that session meanwhile.
     */
    async endSessionOf(req: IncomingMessage, res: ServerResponse, sub: string): Promise<void> {
      const { provider } = await ready();
      const session = await provider.Session.get({ req, res } as unknown as Parameters<typeof provider.Session.get>[0]);
      if (session.accountId === sub) await session.destroy();
    },
    registerRoutes(app: App) {
      registerClientRoutes(app, clients);
      registerInteractionRoutes(app, { provider: async () => (await ready()).provider, kinds, clients: named, config, headers, state });
      mountProvider(app, { handler: async () => (await ready()).handler, issuer: config.publicUrl, headers });
    },
    /** Drops expired sessions, codes and tokens. */
    sweep: () => payloads.deleteExpired(db, new Date()),
  };
}

export type Oidc = ReturnType<typeof createOidc>;
