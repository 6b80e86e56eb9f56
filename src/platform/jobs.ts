// Persistent jobs and timers on pg-boss (decision 0025): a timer is a job that waits in the
// database until its time, so it survives restarts and fires on whichever replica polls first.
//
// Delivery is at least once. A handler can run again for a job it already did: the process can
// stop after the handler's work committed but before the job was marked done, and a handler that
// runs longer than the queue's expiry is retried. Handlers must be idempotent: check the state
// they are about to change ("is the application still waiting for acceptance?") and do nothing
// when it has moved on.
//
// pg-boss keeps its tables in its own schema, `pgboss`, and creates and migrates it at start().
// The jobs are derived state: a module that schedules timers keeps the dates in its own tables
// and schedules them again (idempotently, by key) when it starts, so a backup leaves `pgboss` out.
import { PgBoss, fromKysely, type Db as BossDb, type JobWithMetadata } from 'pg-boss';
import type { Transaction } from 'kysely';
import type { Database } from './db.ts';
import type { Logger } from './logger.ts';

export const JOBS_SCHEMA = 'pgboss';

export type Job<P> = {
  id: string;
  queue: string;
  /** The key the job was scheduled with. */
  key: string | null;
  payload: P;
  /** When it was due. */
  runAt: Date;
  /** 1 on the first run, 2 on the first retry, … */
  attempt: number;
};

/** Runs a due job. Throwing fails this attempt; the job is retried after the queue's delay. */
export type JobHandler<P> = (job: Job<P>) => Promise<void>;

export type QueueSettings = {
  /** Attempts after the first before the job is marked failed. Default 10. */
  retryLimit?: number;
  /** Seconds before the first retry; doubled each time (with jitter) up to an hour. Default 30. */
  retryDelaySeconds?: number;
  /** A running handler is presumed dead after this long, and its job retried. Default 600. */
  expireInSeconds?: number;
};

export type WorkOptions = QueueSettings & {
  /** How often an idle worker asks for due jobs. At least 0.5. Default: the jobs' setting. */
  pollingIntervalSeconds?: number;
};

export type ScheduleOptions = {
  /** When the job becomes due. A time in the past makes it due now. */
  runAt: Date;
  /**
   * Names the timer within its queue. While a job with this key waits (not yet running), scheduling
   * the key again replaces that job's time and payload instead of adding a second job.
   */
  key: string;
  /**
   * The caller's transaction: the job is written in it, and exists only if it commits. The queue
   * must be known to this process first (work() on it, or an earlier schedule() outside a transaction).
   */
  tx?: Transaction<any>;
};

export type Jobs = {
  /** Creates or migrates the `pgboss` schema and starts the workers registered so far. */
  start(): Promise<void>;
  /** Stops polling and waits (up to 10 s) for running handlers. Jobs not yet done stay for the next start. */
  stop(): Promise<void>;
  /** Schedules a job, or moves the waiting job with the same key. Returns the job's id. */
  schedule(queue: string, payload: object, options: ScheduleOptions): Promise<string>;
  /** Cancels the waiting job with this key, if any. Returns how many were cancelled (0 or 1). */
  cancel(queue: string, key: string, options?: { tx?: Transaction<any> }): Promise<number>;
  /** Runs handler for each due job of queue. Before start(), it is registered and begins at start(). */
  work<P = unknown>(queue: string, handler: JobHandler<P>, options?: WorkOptions): Promise<void>;
};

export type JobsOptions = {
  database: Database;
  logger: Logger;
  /** Default polling interval of workers, in seconds (at least 0.5). Default 2. */
  pollingIntervalSeconds?: number;
  /** Connections in pg-boss's own pool on PostgreSQL. Default 4. */
  poolSize?: number;
  /** How long stop() waits for running handlers, in ms. Default 10 000. */
  stopTimeoutMs?: number;
};

export class JobsError extends Error {}

const DEFAULT_SETTINGS: Required<QueueSettings> = { retryLimit: 10, retryDelaySeconds: 30, expireInSeconds: 600 };
// A waiting job is deleted this long after its time if nothing ran it (pg-boss's default is 14
// days). Long, because a statutory timer must not vanish while a node is down; the owning module
// schedules its timers again at start anyway.
const RETENTION_SECONDS = 90 * 24 * 3600;

function queueOptions(settings: QueueSettings) {
  const s = { ...DEFAULT_SETTINGS, ...settings };
  return {
    retryLimit: s.retryLimit,
    retryDelay: s.retryDelaySeconds,
    retryBackoff: s.retryDelaySeconds > 0,
    ...(s.retryDelaySeconds > 0 ? { retryDelayMax: 3600 } : {}),
    expireInSeconds: s.expireInSeconds,
    retentionSeconds: RETENTION_SECONDS,
  };
}

/** pg-boss's view of one of our databases: every statement through Database.executeSql. */
function bossDb(database: Database): BossDb {
  return { executeSql: (text, values) => database.executeSql(text, values) };
}

export function createJobs(options: JobsOptions): Jobs {
  const { database, logger } = options;
  const log = logger.child({ component: 'jobs' });
  const pollingIntervalSeconds = options.pollingIntervalSeconds ?? 2;
  const common = {
    schema: JOBS_SCHEMA,
    // No cron schedules yet: their clock monitor and cron worker would only poll.
    schedule: false,
    openTelemetry: { enabled: false },
  };
  // On PostgreSQL pg-boss keeps its own small pool, so job polling never waits behind requests.
  // On the embedded database there is one connection: pg-boss queues for it like any other caller.
  const boss =
    database.kind === 'postgres'
      ? new PgBoss({ ...common, connectionString: requireConnectionString(database), max: options.poolSize ?? 4, application_name: 'egov-jobs' })
      : new PgBoss({ ...common, db: bossDb(database), backend: 'pglite' });
  boss.on('error', (err: Error) => log.error({ err: err.message }, 'job system error'));
  boss.on('warning', (warning: { message: string }) => log.warn({ warning: warning.message }, 'job system warning'));

  const workers = new Map<string, { handler: JobHandler<any>; options: WorkOptions }>();
  const known = new Set<string>();
  let started = false;

  async function ensureQueue(queue: string, settings: QueueSettings | undefined): Promise<void> {
    if (known.has(queue) && !settings) return;
    // create_queue does nothing when the queue exists; updateQueue then applies this process's settings.
    await boss.createQueue(queue, queueOptions(settings ?? {}));
    if (settings) await boss.updateQueue(queue, queueOptions(settings));
    known.add(queue);
  }

  async function startWorker(queue: string, handler: JobHandler<any>, workOptions: WorkOptions): Promise<void> {
    const { pollingIntervalSeconds: polling, ...settings } = workOptions;
    await ensureQueue(queue, settings);
    await boss.work(queue, { includeMetadata: true, pollingIntervalSeconds: polling ?? pollingIntervalSeconds }, async (batch: JobWithMetadata<object>[]) => {
      for (const job of batch) {
        const attempt = job.retryCount + 1;
        try {
          await handler({ id: job.id, queue, key: job.singletonKey, payload: job.data, runAt: job.startAfter, attempt });
        } catch (err) {
          log.warn({ queue, job: job.id, attempt, err: err instanceof Error ? err.message : String(err) }, 'job failed; it will be retried unless its retries are used up');
          throw err;
        }
      }
    });
  }

  function requireStarted(what: string) {
    if (!started) throw new JobsError(`jobs.${what}() before jobs.start(): start the job system after migrations.`);
  }

  function txDb(queue: string, tx: Transaction<any>): BossDb {
    // pg-boss reads a queue's row the first time it uses it, through its own connection. On the
    // embedded database that connection is the one the caller's transaction holds, so the read
    // would wait for the transaction that waits for it. Known queues are cached: require one.
    if (!known.has(queue)) {
      throw new JobsError(`Queue ${queue} is not known to this process yet: call jobs.work('${queue}', …) (or schedule outside a transaction once) before scheduling in a transaction.`);
    }
    return fromKysely(tx);
  }

  return {
    async start() {
      if (started) return;
      await boss.start();
      started = true;
      for (const [queue, worker] of workers) await startWorker(queue, worker.handler, worker.options);
    },

    async stop() {
      if (!started) return;
      started = false;
      known.clear();
      await boss.stop({ graceful: true, timeout: options.stopTimeoutMs ?? 10_000, close: true });
    },

    async schedule(queue, payload, { runAt, key, tx }) {
      requireStarted('schedule');
      if (!key) throw new JobsError('A job needs a key.');
      const db = tx ? txDb(queue, tx) : undefined;
      if (!tx) await ensureQueue(queue, undefined);
      const result = await boss.upsert(queue, payload, { singletonKey: key, startAfter: runAt, ...(db ? { db } : {}) });
      const id = result.jobs[0];
      if (!id) throw new JobsError(`Scheduling ${queue}/${key} wrote no job.`);
      return id;
    },

    async cancel(queue, key, { tx } = {}) {
      requireStarted('cancel');
      const db = tx ? txDb(queue, tx) : undefined;
      if (!tx) await ensureQueue(queue, undefined);
      const waiting = await boss.findJobs(queue, { key, queued: true, ...(db ? { db } : {}) });
      if (waiting.length === 0) return 0;
      await boss.cancel(queue, waiting.map((j) => j.id), db ? { db } : {});
      return waiting.length;
    },

    async work(queue, handler, workOptions = {}) {
      if (workers.has(queue)) throw new JobsError(`Queue ${queue} already has a worker in this process.`);
      workers.set(queue, { handler, options: workOptions });
      if (started) await startWorker(queue, handler, workOptions);
    },
  };
}

function requireConnectionString(database: Database): string {
  if (!database.connectionString) throw new JobsError(`${database.describe} has no connection string for the job system's pool.`);
  return database.connectionString;
}
