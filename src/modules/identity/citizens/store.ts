// SQL for citizen accounts, their sessions and codes, enterprises and agents.
import { sql } from 'kysely';
import type { Executor } from '../../../platform/db.ts';
import type { Sealed } from '../../../platform/secret-box.ts';

export type CitizenRow = {
  id: string;
  status: 'active' | 'deleted';
  id_number: string | null;
  name: string | null;
  phone: string | null;
  email: string | null;
  password_hash: string | null;
  password_changed_at: Date | null;
  failed_attempts: number;
  locked_until: Date | null;
  totp_secret: Sealed | null;
  totp_pending: Sealed | null;
  totp_enabled_at: Date | null;
  totp_last_step: string | number | null;
  verified_at: Date | null;
  verification_exchange_id: string | null;
  last_sign_in_at: Date | null;
  created_at: Date;
  updated_at: Date;
  deleted_at: Date | null;
};

/** A live account: every personal field is there (the table's check says so). */
export type ActiveCitizen = CitizenRow & { status: 'active'; id_number: string; name: string; password_hash: string };

export type SessionRow = { id_hash: string; citizen_id: string; csrf_token: string; created_at: Date; last_seen_at: Date; ended_at: Date | null };

export type CodeRow = {
  id: string;
  citizen_id: string;
  purpose: 'password_reset';
  channel: 'phone' | 'email';
  code_hash: string;
  attempts: number;
  created_at: Date;
  expires_at: Date;
  used_at: Date | null;
};

export type EnterpriseRow = {
  id: string;
  credit_code: string;
  name: string;
  legal_rep_id: string;
  status: 'active' | 'closed';
  verified_at: Date;
  verification_exchange_id: string | null;
  created_at: Date;
  closed_at: Date | null;
};

export type AgentRow = {
  id: string;
  enterprise_id: string;
  agent_id: string;
  service_code: string;
  expires_at: Date;
  granted_at: Date;
  revoked_at: Date | null;
};

const T = 'identity.citizens';

const json = (value: Sealed | null) => (value === null ? null : sql`${JSON.stringify(value)}::jsonb`);

function writable(changes: Partial<CitizenRow>) {
  const { totp_secret, totp_pending, ...rest } = changes;
  return {
    ...rest,
    ...(totp_secret !== undefined ? { totp_secret: json(totp_secret) } : {}),
    ...(totp_pending !== undefined ? { totp_pending: json(totp_pending) } : {}),
  };
}

export async function findCitizen(db: Executor, id: string, forUpdate = false): Promise<CitizenRow | undefined> {
  let q = db.selectFrom(T).selectAll().where('id', '=', id);
  if (forUpdate) q = q.forUpdate();
  return q.executeTakeFirst() as Promise<CitizenRow | undefined>;
}

/** The live account whose ID number, phone or email is `login` (each unique among live accounts). */
export async function findByLogin(db: Executor, login: { idNumber?: string; phone?: string; email?: string }): Promise<CitizenRow | undefined> {
  let q = db.selectFrom(T).selectAll().where('status', '=', 'active');
  if (login.idNumber) q = q.where('id_number', '=', login.idNumber);
  else if (login.phone) q = q.where('phone', '=', login.phone);
  else if (login.email) q = q.where(sql`lower(email)`, '=', login.email.toLowerCase());
  else return undefined;
  return q.executeTakeFirst() as Promise<CitizenRow | undefined>;
}

/** Which of the given identifiers another live account already uses. */
export async function takenBy(db: Executor, values: { idNumber: string; phone?: string | null; email?: string | null }): Promise<{ idNumber: boolean; phone: boolean; email: boolean }> {
  const rows = await db
    .selectFrom(T)
    .select(['id_number', 'phone', 'email'])
    .where('status', '=', 'active')
    .where((eb) =>
      eb.or([
        eb('id_number', '=', values.idNumber),
        ...(values.phone ? [eb('phone', '=', values.phone)] : []),
        ...(values.email ? [eb(sql`lower(email)`, '=', values.email.toLowerCase())] : []),
      ]),
    )
    .execute();
  return {
    idNumber: rows.some((r) => r.id_number === values.idNumber),
    phone: Boolean(values.phone) && rows.some((r) => r.phone === values.phone),
    email: Boolean(values.email) && rows.some((r) => typeof r.email === 'string' && r.email.toLowerCase() === values.email!.toLowerCase()),
  };
}

export async function insertCitizen(db: Executor, row: CitizenRow): Promise<void> {
  await db.insertInto(T).values(writable(row)).execute();
}

export async function updateCitizen(db: Executor, id: string, changes: Partial<CitizenRow>): Promise<void> {
  await db.updateTable(T).set(writable(changes)).where('id', '=', id).execute();
}

export async function insertSession(db: Executor, row: SessionRow): Promise<void> {
  await db.insertInto('identity.citizen_sessions').values(row).execute();
}

export async function findLiveSession(db: Executor, idHash: string): Promise<SessionRow | undefined> {
  return db.selectFrom('identity.citizen_sessions').selectAll().where('id_hash', '=', idHash).where('ended_at', 'is', null).executeTakeFirst() as Promise<SessionRow | undefined>;
}

export async function touchSession(db: Executor, idHash: string, at: Date): Promise<void> {
  await db.updateTable('identity.citizen_sessions').set({ last_seen_at: at }).where('id_hash', '=', idHash).execute();
}

export async function endSession(db: Executor, idHash: string, at: Date): Promise<void> {
  await db.updateTable('identity.citizen_sessions').set({ ended_at: at }).where('id_hash', '=', idHash).where('ended_at', 'is', null).execute();
}

export async function endCitizenSessions(db: Executor, citizenId: string, at: Date): Promise<void> {
  await db.updateTable('identity.citizen_sessions').set({ ended_at: at }).where('citizen_id', '=', citizenId).where('ended_at', 'is', null).execute();
}

export async function insertCode(db: Executor, row: CodeRow): Promise<void> {
  await db.insertInto('identity.citizen_codes').values(row).execute();
}

/** The newest unused code of a purpose, locked for the caller's transaction. */
export async function findOpenCode(db: Executor, citizenId: string, purpose: CodeRow['purpose']): Promise<CodeRow | undefined> {
  return db
    .selectFrom('identity.citizen_codes')
    .selectAll()
    .where('citizen_id', '=', citizenId)
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .orderBy('created_at', 'desc')
    .limit(1)
    .forUpdate()
    .executeTakeFirst() as Promise<CodeRow | undefined>;
}

export async function countCodesSince(db: Executor, citizenId: string, purpose: CodeRow['purpose'], since: Date): Promise<number> {
  const row = await db
    .selectFrom('identity.citizen_codes')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('citizen_id', '=', citizenId)
    .where('purpose', '=', purpose)
    .where('created_at', '>', since)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function updateCode(db: Executor, id: string, changes: Partial<CodeRow>): Promise<void> {
  await db.updateTable('identity.citizen_codes').set(changes).where('id', '=', id).execute();
}

/** Closes every open code of the citizen (a new one replaces them; a deletion ends them). */
export async function closeCodes(db: Executor, citizenId: string, at: Date): Promise<void> {
  await db.updateTable('identity.citizen_codes').set({ used_at: at }).where('citizen_id', '=', citizenId).where('used_at', 'is', null).execute();
}

export async function insertEnterprise(db: Executor, row: EnterpriseRow): Promise<void> {
  await db.insertInto('identity.enterprises').values(row).execute();
}

export async function findEnterprise(db: Executor, id: string): Promise<EnterpriseRow | undefined> {
  return db.selectFrom('identity.enterprises').selectAll().where('id', '=', id).executeTakeFirst() as Promise<EnterpriseRow | undefined>;
}

export async function findActiveEnterpriseByCode(db: Executor, creditCode: string): Promise<EnterpriseRow | undefined> {
  return db.selectFrom('identity.enterprises').selectAll().where('credit_code', '=', creditCode).where('status', '=', 'active').executeTakeFirst() as Promise<EnterpriseRow | undefined>;
}

/** Live enterprises the citizen represents, or acts for as an agent whose authorization is current at `now`. */
export async function enterprisesOf(db: Executor, citizenId: string, now: Date): Promise<{ represented: EnterpriseRow[]; agentFor: (AgentRow & { enterprise: EnterpriseRow })[] }> {
  const represented = (await db.selectFrom('identity.enterprises').selectAll().where('legal_rep_id', '=', citizenId).where('status', '=', 'active').orderBy('created_at').execute()) as EnterpriseRow[];
  const agents = (await db
    .selectFrom('identity.enterprise_agents')
    .selectAll()
    .where('agent_id', '=', citizenId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .orderBy('granted_at')
    .execute()) as AgentRow[];
  const agentFor: (AgentRow & { enterprise: EnterpriseRow })[] = [];
  for (const agent of agents) {
    const enterprise = await findEnterprise(db, agent.enterprise_id);
    if (enterprise?.status === 'active') agentFor.push({ ...agent, enterprise });
  }
  return { represented, agentFor };
}

export async function closeEnterprisesOf(db: Executor, legalRepId: string, at: Date): Promise<string[]> {
  const rows = await db.updateTable('identity.enterprises').set({ status: 'closed', closed_at: at }).where('legal_rep_id', '=', legalRepId).where('status', '=', 'active').returning('id').execute();
  return rows.map((r) => r.id as string);
}

export async function insertAgent(db: Executor, row: AgentRow): Promise<void> {
  await db.insertInto('identity.enterprise_agents').values(row).execute();
}

export async function findAgent(db: Executor, id: string): Promise<AgentRow | undefined> {
  return db.selectFrom('identity.enterprise_agents').selectAll().where('id', '=', id).executeTakeFirst() as Promise<AgentRow | undefined>;
}

export async function listAgents(db: Executor, enterpriseId: string): Promise<(AgentRow & { agent_name: string | null })[]> {
  return db
    .selectFrom('identity.enterprise_agents as a')
    .innerJoin('identity.citizens as c', 'c.id', 'a.agent_id')
    .selectAll('a')
    .select('c.name as agent_name')
    .where('a.enterprise_id', '=', enterpriseId)
    .orderBy('a.granted_at', 'desc')
    .execute() as Promise<(AgentRow & { agent_name: string | null })[]>;
}

/** The agent's authorization for the service that counts at `now` (not revoked, not expired). */
export async function findCurrentAgent(db: Executor, enterpriseId: string, agentId: string, serviceCode: string, now: Date): Promise<AgentRow | undefined> {
  return db
    .selectFrom('identity.enterprise_agents')
    .selectAll()
    .where('enterprise_id', '=', enterpriseId)
    .where('agent_id', '=', agentId)
    .where('service_code', '=', serviceCode)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .orderBy('expires_at', 'desc')
    .executeTakeFirst() as Promise<AgentRow | undefined>;
}

export async function updateAgent(db: Executor, id: string, changes: Partial<AgentRow>): Promise<void> {
  await db.updateTable('identity.enterprise_agents').set(changes).where('id', '=', id).execute();
}

/** Ends every authorization the citizen holds as an agent, or the enterprises' agents. */
export async function revokeAgentsOf(db: Executor, filter: { agentId?: string; enterpriseIds?: string[] }, at: Date): Promise<void> {
  if (filter.agentId) await db.updateTable('identity.enterprise_agents').set({ revoked_at: at }).where('agent_id', '=', filter.agentId).where('revoked_at', 'is', null).execute();
  if (filter.enterpriseIds && filter.enterpriseIds.length > 0) await db.updateTable('identity.enterprise_agents').set({ revoked_at: at }).where('enterprise_id', 'in', filter.enterpriseIds).where('revoked_at', 'is', null).execute();
}

export type CredentialRow = { subsystem: string; credential_id: string; token_sealed: Sealed; created_at: Date };

export async function findCredential(db: Executor, subsystem: string): Promise<CredentialRow | undefined> {
  return db.selectFrom('identity.citizen_exchange_credentials').selectAll().where('subsystem', '=', subsystem).executeTakeFirst() as Promise<CredentialRow | undefined>;
}

export async function insertCredential(db: Executor, row: CredentialRow): Promise<void> {
  await db
    .insertInto('identity.citizen_exchange_credentials')
    .values({ ...row, token_sealed: sql`${JSON.stringify(row.token_sealed)}::jsonb` })
    .onConflict((oc) => oc.column('subsystem').doNothing())
    .execute();
}

export async function deleteCredential(db: Executor, subsystem: string): Promise<void> {
  await db.deleteFrom('identity.citizen_exchange_credentials').where('subsystem', '=', subsystem).execute();
}
