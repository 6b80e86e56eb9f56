// What egov keeps beside oidc-provider's own artefacts, in the same table
// (identity.oidc_payloads, under model names of our own):
// - a sign-in half done: whose password was right, while the page asks for the TOTP code
//   (keyed by the interaction's uid, which only the browser holding its cookie can use);
// - whom a person acts for under a grant: themselves or an enterprise, chosen at sign-in.
//   Keyed by the grant, so revoking the grant (a replayed code) or deleting the client
//   (its payloads carry clientId) removes it with the tokens it applies to.
import type { Db } from '../../../platform/db.ts';
import type { Acting } from './accounts.ts';
import * as store from './payload-store.ts';

const PENDING = 'EgovPendingSignIn';
const ACTING = 'EgovActing';
/** How long the second step may wait after the password. */
const PENDING_SECONDS = 5 * 60;

// Expiry on the wall clock, as the provider's own artefacts (adapter.ts).
const wallIn = (seconds: number) => new Date(Date.now() + seconds * 1000);

export type PendingSignIn = { kind: string; id: string };

export function interactionState(db: Db) {
  return {
    async savePending(uid: string, pending: PendingSignIn): Promise<void> {
      await store.upsertPayload(db, { model: PENDING, id: uid, payload: pending, grant_id: null, uid: null, user_code: null, expires_at: wallIn(PENDING_SECONDS), consumed_at: null });
    },
    async findPending(uid: string): Promise<PendingSignIn | undefined> {
      const row = await store.findPayload(db, PENDING, 'id', uid, new Date());
      return row?.payload as PendingSignIn | undefined;
    },
    dropPending: (uid: string) => store.deletePayload(db, PENDING, uid),

    /** Records the choice for a new grant; `acting` null: the person acts as themselves. */
    async saveActing(grantId: string, entry: { accountId: string; clientId: string; acting: Acting | null }, ttlSeconds: number): Promise<void> {
      await store.upsertPayload(db, { model: ACTING, id: grantId, payload: entry, grant_id: grantId, uid: null, user_code: null, expires_at: wallIn(ttlSeconds), consumed_at: null });
    },
    /** Whom `accountId` acts for under the grant; undefined: themselves (or nothing was chosen). */
    async findActing(grantId: string, accountId: string): Promise<Acting | undefined> {
      const row = await store.findPayload(db, ACTING, 'id', grantId, new Date());
      const entry = row?.payload as { accountId: string; acting: Acting | null } | undefined;
      // A choice only ever applies to the account that made it.
      return entry && entry.accountId === accountId ? (entry.acting ?? undefined) : undefined;
    },
  };
}

export type InteractionState = ReturnType<typeof interactionState>;
