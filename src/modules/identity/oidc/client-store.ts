// SQL for registered relying parties (identity.oidc_clients).
import type { Executor } from '../../../platform/db.ts';
import type { Sealed } from '../../../platform/secret-box.ts';

export type ClientRow = {
  client_id: string;
  subsystem_id: string;
  org_id: string;
  redirect_uris: string[];
  post_logout_redirect_uris: string[];
  scopes: string[];
  auth_method: 'client_secret_basic' | 'private_key_jwt';
  secret_sealed: Sealed | null;
  jwks: { keys: Record<string, unknown>[] } | null;
  id_token_alg: 'ES256' | 'RS256';
  version: number;
  created_at: Date;
  updated_at: Date;
  secret_rotated_at: Date | null;
};

const TABLE = 'identity.oidc_clients';
const json = (row: Partial<ClientRow>) => ({
  ...row,
  ...(row.secret_sealed !== undefined ? { secret_sealed: row.secret_sealed === null ? null : JSON.stringify(row.secret_sealed) } : {}),
  ...(row.jwks !== undefined ? { jwks: row.jwks === null ? null : JSON.stringify(row.jwks) } : {}),
});

export async function insertClient(db: Executor, row: ClientRow): Promise<void> {
  await db.insertInto(TABLE).values(json(row)).execute();
}

export async function findClient(db: Executor, clientId: string, forUpdate = false): Promise<ClientRow | undefined> {
  let query = db.selectFrom(TABLE).selectAll().where('client_id', '=', clientId);
  if (forUpdate) query = query.forUpdate();
  return (await query.executeTakeFirst()) as ClientRow | undefined;
}

export async function findClientBySubsystem(db: Executor, subsystemId: string): Promise<ClientRow | undefined> {
  return (await db.selectFrom(TABLE).selectAll().where('subsystem_id', '=', subsystemId).executeTakeFirst()) as ClientRow | undefined;
}

export async function listClients(db: Executor, orgId: string | undefined): Promise<ClientRow[]> {
  let query = db.selectFrom(TABLE).selectAll().orderBy('created_at').orderBy('client_id');
  if (orgId) query = query.where('org_id', '=', orgId);
  return (await query.execute()) as ClientRow[];
}

export async function updateClient(db: Executor, clientId: string, set: Partial<ClientRow>): Promise<void> {
  await db.updateTable(TABLE).set(json(set)).where('client_id', '=', clientId).execute();
}

export async function deleteClient(db: Executor, clientId: string): Promise<void> {
  await db.deleteFrom(TABLE).where('client_id', '=', clientId).execute();
}
