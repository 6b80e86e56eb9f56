// The node's message log. Every exchange leaves one row per side (consumer, provider), each
// hash-chained to the row before it, so `egov exchange verify-log` can name the first row
// that was changed. Rows are timestamped in batches: one TSA token over the Merkle root of a
// batch's row hashes, with no TSA call per message (docs/trust-proofs.md).
import crypto from 'node:crypto';
import { sql } from 'kysely';
import { canonicalJson } from '../../platform/canonical-json.ts';
import { createGroupCommit } from '../../platform/group-commit.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db, Executor } from '../../platform/db.ts';
import { escapeLike } from '../../platform/sql.ts';
import type { Sealed } from '../../platform/secret-box.ts';
import type { CapturedBody } from './message/body-capture.ts';
import { archivedPrefix } from './log-archive-records.ts';

export const GENESIS = '0'.repeat(64);
/** The most exchanges one log transaction holds. */
const MAX_GROUP = 500;

export type LogEntry = {
  xRoadId: string;
  side: 'consumer' | 'provider';
  client: string;
  service: string;
  method: string;
  path: string;
  query: string;
  status: number;
  error: string | null;
  requestHash: string;
  responseHash: string;
  requestBytes: number;
  responseBytes: number;
  durationMs: number;
  userId: string | null;
  /** Signed metadata (canonical JSON) and raw signatures with the signer's certificate serial. */
  requestMeta: string | null;
  requestSignature: Buffer | null;
  requestSigner: string | null;
  responseMeta: string | null;
  responseSignature: Buffer | null;
  responseSigner: string | null;
};

export type LogRow = Record<string, unknown> & { seq: number | string; at: Date; prev_hash: string; hash: string };

/** What a row's hash covers: every field in a fixed order, and the hash before it. */
export function rowHash(seq: number, at: Date, e: LogEntry, prevHash: string): string {
  const b64 = (b: Buffer | null) => (b ? b.toString('base64') : null);
  const content = canonicalJson([
    seq, at.toISOString(), e.xRoadId, e.side, e.client, e.service, e.method, e.path, e.query, e.status, e.error, e.requestHash, e.responseHash, e.requestBytes, e.responseBytes, e.durationMs, e.userId,
    e.requestMeta, b64(e.requestSignature), e.requestSigner, e.responseMeta, b64(e.responseSignature), e.responseSigner, prevHash,
  ]);
  return crypto.createHash('sha256').update(content).digest('hex');
}

export function entryOf(row: LogRow): LogEntry {
  const bytes = (v: unknown) => (v ? Buffer.from(v as Uint8Array) : null);
  return {
    xRoadId: String(row.x_road_id),
    side: row.side as LogEntry['side'],
    client: String(row.client),
    service: String(row.service),
    method: String(row.method),
    path: String(row.path),
    query: String(row.query),
    status: Number(row.status),
    error: (row.error as string | null) ?? null,
    requestHash: String(row.request_hash),
    responseHash: String(row.response_hash),
    requestBytes: Number(row.request_bytes),
    responseBytes: Number(row.response_bytes),
    durationMs: Number(row.duration_ms),
    userId: (row.user_id as string | null) ?? null,
    requestMeta: (row.request_meta as string | null) ?? null,
    requestSignature: bytes(row.request_signature),
    requestSigner: (row.request_signer as string | null) ?? null,
    responseMeta: (row.response_meta as string | null) ?? null,
    responseSignature: bytes(row.response_signature),
    responseSigner: (row.response_signer as string | null) ?? null,
  };
}

/** Another process batched some of the same rows first; this transaction rolls back. */
class BatchRaceLost extends Error {}

export type LogSearch = { xRoadId?: string; client?: string; service?: string; from?: string; to?: string; outcome?: 'success' | 'failure'; orgPrefix?: string; limit: number; offset: number };
export type LogSummary = {
  seq: number;
  xRoadId: string;
  side: string;
  at: string;
  client: string;
  service: string;
  method: string;
  path: string;
  status: number;
  error: string | null;
  durationMs: number;
  requestBytes: number;
  responseBytes: number;
  timestamped: boolean;
};

/** `rows`: rows checked in the database; `archivedRows` rows before them were archived to files (log-archive.ts). */
export type LogVerifyResult = { ok: true; rows: number; batches: number; archives: number; archivedRows: number } | { ok: false; rows: number; firstBadSeq: number; reason: string };

export type BatchTimestamper = (hashes: Buffer[]) => Promise<{ hash: 'sha256' | 'sm3'; root: Buffer; token: Buffer }>;
export type BatchChecker = (batch: { hash: 'sha256' | 'sm3'; root: Buffer; token: Buffer }, hashes: Buffer[]) => Promise<string | undefined>;

/** A body kept with its exchange (only with EGOV_EXCHANGE_LOG_BODIES). */
export type KeptBody = { xRoadId: string; side: LogEntry['side']; part: 'request' | 'response'; body: CapturedBody };
const bodyContext = (xRoadId: string, side: string, part: string) => `exchange.message_bodies/${xRoadId}/${side}/${part}`;

export function createMessageLog(deps: { db: Db; clock: Clock; sealBody?: (data: Buffer, context: string) => Sealed; bodyLimit?: number }) {
  const { db, clock } = deps;

  async function keepBodies(trx: Executor, bodies: KeptBody[]): Promise<void> {
    const at = clock.now();
    const rows = bodies.map((b) => ({ x_road_id: b.xRoadId, side: b.side, part: b.part, bytes: b.body.bytes, complete: b.body.complete, sealed: JSON.stringify(deps.sealBody!(b.body.data, bodyContext(b.xRoadId, b.side, b.part))), kept_at: at }));
    await trx.insertInto('exchange.message_bodies').values(rows).onConflict((oc) => oc.columns(['x_road_id', 'side', 'part']).doNothing()).execute();
  }

  async function appendIn(trx: Executor, entries: LogEntry[]): Promise<number[]> {
    // The head row lock serialises writers until this transaction commits.
    const head = await sql<{ seq: string; hash: string }>`select seq, hash from exchange.log_head where id = 1 for update`.execute(trx).then((r) => r.rows[0]);
    let seq = Number(head.seq);
    let prev = head.hash;
    const at = new Date(clock.now().getTime());
    const rows = entries.map((e) => {
      seq += 1;
      const hash = rowHash(seq, at, e, prev);
      const row = {
        seq,
        x_road_id: e.xRoadId,
        side: e.side,
        at,
        client: e.client,
        service: e.service,
        method: e.method,
        path: e.path,
        query: e.query,
        status: e.status,
        error: e.error,
        request_hash: e.requestHash,
        response_hash: e.responseHash,
        request_bytes: e.requestBytes,
        response_bytes: e.responseBytes,
        duration_ms: e.durationMs,
        user_id: e.userId,
        request_meta: e.requestMeta,
        request_signature: e.requestSignature,
        request_signer: e.requestSigner,
        response_meta: e.responseMeta,
        response_signature: e.responseSignature,
        response_signer: e.responseSigner,
        prev_hash: prev,
        hash,
        batch_id: null,
      };
      prev = hash;
      return row;
    });
    await trx.insertInto('exchange.message_log').values(rows).execute();
    await trx.updateTable('exchange.log_head').set({ seq, hash: prev }).where('id', '=', 1).execute();
    return rows.map((r) => r.seq);
  }

  // Told of rows once committed (the traffic meter); a listener's failure never fails an append.
  const listeners: ((entries: LogEntry[]) => void)[] = [];

  // Group commit (platform/group-commit.ts): one transaction for the appends that arrived
  // meanwhile, each caller answered once its rows are committed, the chain in arrival order.
  const appends = createGroupCommit<{ entries: LogEntry[]; bodies: KeptBody[] }, number[]>(async (batch) => {
    const entries = batch.flatMap((item) => item.entries);
    const bodies = batch.flatMap((item) => item.bodies);
    const seqs = await db.transaction().execute(async (trx) => {
      const written = await appendIn(trx, entries);
      if (bodies.length > 0) await keepBodies(trx, bodies);
      return written;
    });
    for (const listener of listeners) {
      try {
        listener(entries);
      } catch {}
    }
    let at = 0;
    return batch.map((item) => seqs.slice(at, (at += item.entries.length)));
  }, MAX_GROUP);

  return {
    onAppend(listener: (entries: LogEntry[]) => void): void {
      listeners.push(listener);
    },

    /** Appends the entries (e.g. both sides of one exchange) together; resolves once they are committed. */
    append(...entries: LogEntry[]): Promise<number[]> {
      return this.appendWith(entries, []);
    },

    /** Appends entries and, when bodies are kept (EGOV_EXCHANGE_LOG_BODIES), their bodies, in one transaction. */
    appendWith(entries: LogEntry[], bodies: KeptBody[]): Promise<number[]> {
      return appends.add({ entries, bodies: deps.sealBody ? bodies : [] });
    },

    /** Whether bodies are kept: callers capture them only then. */
    keepsBodies: deps.bodyLimit !== undefined && deps.sealBody !== undefined,
    bodyLimit: deps.bodyLimit ?? 0,

    /** The kept bodies of one exchange, opened; for evidence packages. */
    async bodiesOf(xRoadId: string, open: (sealed: Sealed, context: string) => Buffer) {
      const rows = await db.selectFrom('exchange.message_bodies').selectAll().where('x_road_id', '=', xRoadId).execute();
      return rows.map((r) => ({ side: r.side as LogEntry['side'], part: r.part as 'request' | 'response', bytes: Number(r.bytes), complete: Boolean(r.complete), data: open(r.sealed as Sealed, bodyContext(xRoadId, r.side, r.part)) }));
    },

    async findByXRoadId(xRoadId: string) {
      return db.selectFrom('exchange.message_log').selectAll().where('x_road_id', '=', xRoadId).orderBy('seq').execute();
    },

    /** Search for the workbench: newest first; `orgPrefix` limits to calls a member took part in. */
    async search(filter: LogSearch): Promise<{ items: LogSummary[]; total: number }> {
      let query = db.selectFrom('exchange.message_log');
      if (filter.xRoadId) query = query.where('x_road_id', '=', filter.xRoadId);
      if (filter.client) query = query.where('client', 'like', `${escapeLike(filter.client)}%`);
      if (filter.service) query = query.where('service', 'like', `${escapeLike(filter.service)}%`);
      if (filter.from) query = query.where('at', '>=', new Date(filter.from));
      if (filter.to) query = query.where('at', '<', new Date(filter.to));
      if (filter.outcome === 'success') query = query.where('error', 'is', null).where('status', '<', 400);
      if (filter.outcome === 'failure') query = query.where((eb) => eb.or([eb('error', 'is not', null), eb('status', '>=', 400)]));
      if (filter.orgPrefix) {
        const prefix = `${escapeLike(filter.orgPrefix)}/%`;
        query = query.where((eb) => eb.or([eb('client', 'like', prefix), eb('service', 'like', prefix)]));
      }
      const [rows, count] = await Promise.all([
        query.select(['seq', 'x_road_id', 'side', 'at', 'client', 'service', 'method', 'path', 'status', 'error', 'duration_ms', 'request_bytes', 'response_bytes', 'batch_id']).orderBy('seq', 'desc').limit(filter.limit).offset(filter.offset).execute(),
        query.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
      ]);
      return {
        items: rows.map((r) => ({
          seq: Number(r.seq),
          xRoadId: r.x_road_id,
          side: r.side,
          at: new Date(r.at).toISOString(),
          client: r.client,
          service: r.service,
          method: r.method,
          path: r.path,
          status: Number(r.status),
          error: r.error,
          durationMs: Number(r.duration_ms),
          requestBytes: Number(r.request_bytes),
          responseBytes: Number(r.response_bytes),
          timestamped: r.batch_id !== null,
        })),
        total: Number(count.n),
      };
    },

    /** For node status: rows written, rows not yet timestamped, and the latest batch's time. */
    async backlog(): Promise<{ rows: number; pending: number; lastBatchAt: string | null }> {
      const [head, pending, last] = await Promise.all([
        db.selectFrom('exchange.log_head').select('seq').where('id', '=', 1).executeTakeFirstOrThrow(),
        db.selectFrom('exchange.message_log').select((eb) => eb.fn.countAll<string>().as('n')).where('batch_id', 'is', null).executeTakeFirstOrThrow(),
        db.selectFrom('exchange.log_batches').select('created_at').orderBy('id', 'desc').limit(1).executeTakeFirst(),
      ]);
      return { rows: Number(head.seq), pending: Number(pending.n), lastBatchAt: last ? new Date(last.created_at).toISOString() : null };
    },

    /** A timestamp batch with the hashes of its rows, in order, to rebuild inclusion proofs. */
    async loadBatch(id: number) {
      const batch = await db.selectFrom('exchange.log_batches').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      const rows = await db.selectFrom('exchange.message_log').select('hash').where('seq', '>=', batch.first_seq).where('seq', '<=', batch.last_seq).orderBy('seq').execute();
      return { id: Number(batch.id), hash: batch.hash as 'sha256' | 'sm3', root: batch.root as string, token: Buffer.from(batch.token), hashes: rows.map((r) => Buffer.from(r.hash, 'hex')), firstSeq: Number(batch.first_seq) };
    },

    /** Timestamps every row not yet in a batch with one token; returns how many rows it covered. */
    async timestampPending(timestamp: BatchTimestamper, limit = 50_000): Promise<number> {
      const rows = await db.selectFrom('exchange.message_log').select(['seq', 'hash']).where('batch_id', 'is', null).orderBy('seq').limit(limit).execute();
      if (rows.length === 0) return 0;
      // The TSA signs outside the transaction (it may read the database itself).
      const batch = await timestamp(rows.map((r) => Buffer.from(r.hash, 'hex')));
      const id = Number(rows[0].seq);
      const lastSeq = Number(rows[rows.length - 1].seq);
      return db.transaction().execute(async (trx) => {
        // One batcher at a time across replicas: the lock on the head row. If another one
        // batched some of these rows meanwhile, this batch is dropped; the next run covers the rest.
        await sql`select 1 from exchange.log_head where id = 1 for update`.execute(trx);
        const updated = await trx.updateTable('exchange.message_log').set({ batch_id: id }).where('batch_id', 'is', null).where('seq', '>=', id).where('seq', '<=', lastSeq).executeTakeFirst();
        if (Number(updated.numUpdatedRows) !== rows.length) throw new BatchRaceLost();
        await trx.insertInto('exchange.log_batches').values({ id, first_seq: id, last_seq: lastSeq, hash: batch.hash, root: batch.root.toString('hex'), token: batch.token, created_at: clock.now() }).execute();
        return rows.length;
      }).catch((err: unknown) => {
        if (err instanceof BatchRaceLost) return 0;
        throw err;
      });
    },

    /** Walks the chain and every batch; names the first row or batch that does not match. */
    async verify(checkBatch: BatchChecker, onProgress?: (rows: number) => void): Promise<LogVerifyResult> {
      // Archived rows are gone from the database; the chain goes on from the last archived row.
      const archived = await archivedPrefix(db);
      if (!archived.ok) return { ok: false, rows: 0, firstBadSeq: archived.firstBadSeq, reason: archived.reason };
      let prev = archived.lastHash; // GENESIS when nothing was archived
      let expected = archived.lastSeq + 1;
      const pageSize = 2000;
      for (;;) {
        const page = (await db.selectFrom('exchange.message_log').selectAll().where('seq', '>=', expected).orderBy('seq').limit(pageSize).execute()) as LogRow[];
        for (const row of page) {
          const seq = Number(row.seq);
          if (seq !== expected) return { ok: false, rows: expected - 1, firstBadSeq: expected, reason: `row ${expected} is missing` };
          if (row.prev_hash !== prev) return { ok: false, rows: expected - 1, firstBadSeq: seq, reason: `row ${seq} does not link to the row before it` };
          if (rowHash(seq, new Date(row.at), entryOf(row), prev) !== row.hash) return { ok: false, rows: expected - 1, firstBadSeq: seq, reason: `row ${seq} was changed after it was written` };
          prev = row.hash;
          expected += 1;
        }
        onProgress?.(expected - 1);
        if (page.length < pageSize) break;
      }
      const rows = expected - 1;
      const head = await db.selectFrom('exchange.log_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirstOrThrow();
      if (Number(head.seq) !== rows || head.hash !== prev) return { ok: false, rows, firstBadSeq: rows + 1, reason: `the log head points at row ${head.seq} but the log ends at row ${rows}: rows were removed` };
      const batches = await db.selectFrom('exchange.log_batches').selectAll().orderBy('id').execute();
      for (const batch of batches) {
        const members = await db.selectFrom('exchange.message_log').select(['seq', 'hash', 'batch_id']).where('seq', '>=', batch.first_seq).where('seq', '<=', batch.last_seq).orderBy('seq').execute();
        if (members.some((m) => Number(m.batch_id) !== Number(batch.id))) return { ok: false, rows, firstBadSeq: Number(batch.first_seq), reason: `batch ${batch.id} does not hold rows ${batch.first_seq}–${batch.last_seq}` };
        const problem = await checkBatch({ hash: batch.hash as 'sha256' | 'sm3', root: Buffer.from(batch.root, 'hex'), token: Buffer.from(batch.token) }, members.map((m) => Buffer.from(m.hash, 'hex')));
        if (problem) return { ok: false, rows, firstBadSeq: Number(batch.first_seq), reason: `the timestamp of rows ${batch.first_seq}–${batch.last_seq} does not hold: ${problem}` };
      }
      return { ok: true, rows: rows - archived.lastSeq, batches: batches.length, archives: archived.archives, archivedRows: archived.lastSeq };
    },
  };
}

export type MessageLog = ReturnType<typeof createMessageLog>;
