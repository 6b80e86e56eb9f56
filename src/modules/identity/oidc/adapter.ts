// oidc-provider's storage adapter over identity.oidc_payloads, so sessions, codes and tokens
// survive a restart and are shared by replicas. Clients are not payloads: the "Client" model
// reads the registered relying parties (identity.oidc_clients) instead.
import { errors, type Adapter, type AdapterPayload } from 'oidc-provider';
import type { Db } from '../../../platform/db.ts';
import * as store from './payload-store.ts';

export type ClientSource = (clientId: string) => Promise<AdapterPayload | undefined>;

// Expiry is the provider's own arithmetic on the wall clock (it does not know our Clock), so
// rows expire on the wall clock too.
const wallNow = () => new Date();

/**
 * Tokens after which the provider reads their grant and session (the token endpoint,
 * userinfo): those are read in the same statement (payload-store.ts, read-ahead.ts).
 */
const READ_AHEAD_MODELS = new Set(['AuthorizationCode', 'RefreshToken', 'AccessToken']);
const AHEAD = {
  // The provider's grant, and whom the person acts for under it (EgovActing, interaction-state.ts).
  grantKeyed: ['Grant', 'EgovActing'],
  sessionModel: 'Session',
};

/** What a second use of a single-use artefact is called in the error the client gets. */
const SINGLE_USE: Record<string, string> = { AuthorizationCode: 'authorization code', RefreshToken: 'refresh token' };

export function adapterFactory(db: Db, clients: ClientSource): (model: string) => Adapter {
  return (model) => (model === 'Client' ? clientAdapter(clients) : payloadAdapter(db, model));
}

function payloadAdapter(db: Db, model: string): Adapter {
  const present = (row: store.PayloadRow | undefined): AdapterPayload | undefined => {
    if (!row) return undefined;
    const payload = row.payload as AdapterPayload;
    return row.consumed_at ? { ...payload, consumed: Math.floor(row.consumed_at.getTime() / 1000) } : payload;
  };
  const find = READ_AHEAD_MODELS.has(model)
    ? (id: string) => store.findTokenReadingAhead(db, model, id, AHEAD, wallNow())
    : (id: string) => store.findPayload(db, model, 'id', id, wallNow());
  return {
    async upsert(id, payload, expiresIn) {
      await store.upsertPayload(db, {
        model,
        id,
        payload: payload as Record<string, unknown>,
        grant_id: payload.grantId ?? null,
        uid: payload.uid ?? null,
        user_code: payload.userCode ?? null,
        expires_at: expiresIn ? new Date(wallNow().getTime() + expiresIn * 1000) : null,
        consumed_at: null,
      });
    },
    find: async (id) => present(await find(id)),
    findByUid: async (uid) => present(await store.findPayload(db, model, 'uid', uid, wallNow())),
    findByUserCode: async (userCode) => present(await store.findPayload(db, model, 'user_code', userCode, wallNow())),
    async consume(id) {
      if (await store.consumePayload(db, model, id, wallNow())) return;
      // The provider checks `consumed` before consuming, but two requests presenting the same
      // code at once both pass that check: the one that finds it used is a replay, and ends
      // the grant as the provider does for one it sees.
      const label = SINGLE_USE[model];
      if (!label) return;
      const grantId = (await store.findPayload(db, model, 'id', id, wallNow()))?.grant_id;
      if (grantId) await Promise.all([store.deleteByGrant(db, grantId), store.deletePayload(db, 'Grant', grantId)]);
      throw new errors.InvalidGrant(`${label} already consumed`);
    },
    destroy: (id) => store.deletePayload(db, model, id),
    revokeByGrantId: (grantId) => store.deleteByGrant(db, grantId),
  };
}

function clientAdapter(clients: ClientSource): Adapter {
  const readOnly = async () => {
    throw new Error('Clients are registered through /api/identity/oidc-clients, not through the provider.');
  };
  return {
    find: (id) => clients(id),
    upsert: readOnly,
    findByUid: async () => undefined,
    findByUserCode: async () => undefined,
    consume: readOnly,
    destroy: readOnly,
    revokeByGrantId: async () => undefined,
  };
}
