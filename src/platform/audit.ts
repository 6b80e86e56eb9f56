// The tamper-evident audit log. Every write and every sign-in appends a row in the same
// transaction as the change it records; each row's hash covers the previous hash and the
// row's canonical content, so `egov verify` can name the first row that was altered.
import crypto from 'node:crypto';
import { sql } from 'kysely';
import { canonicalJson } from './canonical-json.ts';
import type { Clock } from './clock.ts';
import type { Db, Executor } from './db.ts';

export type AuditHash = 'sha256' | 'sm3';

export type AuditActor = { id: string | null; name: string; orgId: string | null };

export const SYSTEM_ACTOR: AuditActor = { id: null, name: 'system', orgId: null };

export type AuditEntry = {
  actor: AuditActor;
  action: string;
  subjectType: string | null;
  subjectId: string | null;
  outcome: 'success' | 'failure';
  detail?: Record<string, unknown>;
  ip?: string | null;
  requestId?: string | null;
};

export type AuditEvent = {
  seq: number;
  at: Date;
  actorId: string | null;
  actorName: string;
  orgId: string | null;
  action: string;
  subjectType: string | null;
  subjectId: string | null;
  outcome: 'success' | 'failure';
  ip: string | null;
  requestId: string | null;
  detail: Record<string, unknown>;
  algorithm: AuditHash;
  prevHash: string;
  hash: string;
};

export type VerifyResult =
  | { ok: true; rows: number; headSeq: number }
  | { ok: false; rows: number; firstBadSeq: number; reason: string };

export function hashEvent(event: Omit<AuditEvent, 'hash'>): string {
  const content = canonicalJson([
    event.seq,
    event.at.toISOString(),
    event.actorId,
    event.actorName,
    event.orgId,
    event.action,
    event.subjectType,
    event.subjectId,
    event.outcome,
    event.ip,
    event.requestId,
    event.detail,
    event.algorithm,
  ]);
  return crypto.createHash(event.algorithm).update(`${event.prevHash}\n${content}`).digest('hex');
}

export function rowToEvent(row: Record<string, any>): AuditEvent {
  return {
    seq: Number(row.seq),
    at: new Date(row.at),
    actorId: row.actor_id,
    actorName: row.actor_name,
    orgId: row.org_id,
    action: row.action,
    subjectType: row.subject_type,
    subjectId: row.subject_id,
    outcome: row.outcome,
    ip: row.ip,
    requestId: row.request_id,
    detail: row.detail ?? {},
    algorithm: row.algorithm,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

export type Audit = ReturnType<typeof createAudit>;

export function createAudit(deps: { db: Db; clock: Clock; algorithm: AuditHash }) {
  async function append(trx: Executor, entry: AuditEntry): Promise<AuditEvent> {
    // The row lock on the head serialises appenders until this transaction commits.
    const head = await sql<{ seq: number; hash: string }>`select seq, hash from audit.chain_head where id = 1 for update`
      .execute(trx)
      .then((r) => r.rows[0]);
    // Millisecond precision so the timestamp round-trips through the database unchanged.
    const at = new Date(deps.clock.now().getTime());
    const unhashed: Omit<AuditEvent, 'hash'> = {
      seq: Number(head.seq) + 1,
      at,
      actorId: entry.actor.id,
      actorName: entry.actor.name,
      orgId: entry.actor.orgId,
      action: entry.action,
      subjectType: entry.subjectType,
      subjectId: entry.subjectId,
      outcome: entry.outcome,
      ip: entry.ip ?? null,
      requestId: entry.requestId ?? null,
      detail: JSON.parse(JSON.stringify(entry.detail ?? {})),
      algorithm: deps.algorithm,
      prevHash: head.hash,
    };
    const event = { ...unhashed, hash: hashEvent(unhashed) };
    await trx
      .insertInto('audit.events')
      .values({
        seq: event.seq,
        at: event.at,
        actor_id: event.actorId,
        actor_name: event.actorName,
        org_id: event.orgId,
        action: event.action,
        subject_type: event.subjectType,
        subject_id: event.subjectId,
        outcome: event.outcome,
        ip: event.ip,
        request_id: event.requestId,
        detail: JSON.stringify(event.detail),
        algorithm: event.algorithm,
        prev_hash: event.prevHash,
        hash: event.hash,
      })
      .execute();
    await trx.updateTable('audit.chain_head').set({ seq: event.seq, hash: event.hash }).where('id', '=', 1).execute();
    return event;
  }

  return {
    /** Appends in the caller's transaction, or in a transaction of its own. */
    async record(executor: Executor, entry: AuditEntry): Promise<AuditEvent> {
      if (executor.isTransaction) return append(executor, entry);
      return (executor as Db).transaction().execute((trx) => append(trx, entry));
    },

    /** Walks the whole chain in sequence order and names the first row that does not match. */
    async verify(onProgress?: (checked: number) => void): Promise<VerifyResult> {
      let prevHash = '0'.repeat(64);
      let expectedSeq = 1;
      let rows = 0;
      const batch = 2000;
      for (;;) {
        const page = await deps.db
          .selectFrom('audit.events')
          .selectAll()
          .where('seq', '>=', expectedSeq)
          .orderBy('seq')
          .limit(batch)
          .execute();
        for (const row of page) {
          const event = rowToEvent(row);
          if (event.seq !== expectedSeq) {
            return { ok: false, rows, firstBadSeq: expectedSeq, reason: `row ${expectedSeq} is missing` };
          }
          if (event.prevHash !== prevHash) {
            return { ok: false, rows, firstBadSeq: event.seq, reason: `row ${event.seq} does not link to the row before it` };
          }
          if (hashEvent(event) !== event.hash) {
            return { ok: false, rows, firstBadSeq: event.seq, reason: `row ${event.seq} was changed after it was written` };
          }
          prevHash = event.hash;
          expectedSeq++;
          rows++;
        }
        onProgress?.(rows);
        if (page.length < batch) break;
      }
      const head = await deps.db.selectFrom('audit.chain_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirstOrThrow();
      if (Number(head.seq) !== rows || head.hash !== prevHash) {
        return { ok: false, rows, firstBadSeq: rows + 1, reason: `the chain head points at row ${head.seq} but the log ends at row ${rows}: rows were removed` };
      }
      return { ok: true, rows, headSeq: rows };
    },
  };
}
