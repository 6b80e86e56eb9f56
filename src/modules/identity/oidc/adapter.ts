// oidc-provider's storage adapter over identity.oidc_payloads, so sessions, codes and tokens
// survive a restart and are shared by replicas. Clients are not payloads: the "Client" model
// reads the registered relying parties (identity.oidc_clients) instead.
import type { Adapter, AdapterPayload } from 'oidc-provider';
import type { Db } from '../../../platform/db.ts';
import * as store from './payload-store.ts';

export type ClientSource = (clientId: string) => Promise<AdapterPayload | undefined>;

// Expiry is the provider's own arithmetic on the wall clock (it does not know our Clock), so
// rows expire on the wall clock too.
const wallNow = () => new Date();

export function adapterFactory(db: Db, clients: ClientSource): (model: string) => Adapter {
  return (model) => (model === 'Client' ? clientAdapter(clients) : payloadAdapter(db, model));
}

function payloadAdapter(db: Db, model: string): Adapter {
  const present = (row: store.PayloadRow | undefined): AdapterPayload | undefined => {
    if (!row) return undefined;
    const payload = row.payload as AdapterPayload;
    return row.consumed_at ? { ...payload, consumed: Math.floor(row.consumed_at.getTime() / 1000) } : payload;
  };
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
    find: async (id) => present(await store.findPayload(db, model, 'id', id, wallNow())),
    findByUid: async (uid) => present(await store.findPayload(db, model, 'uid', uid, wallNow())),
    findByUserCode: async (userCode) => present(await store.findPayload(db, model, 'user_code', userCode, wallNow())),
    consume: (id) => store.consumePayload(db, model, id, wallNow()),
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
