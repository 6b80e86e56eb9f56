// One database handle for both back ends: PGlite (embedded, file-backed) and PostgreSQL.
// Kysely talks to either through the same PostgreSQL dialect, so SQL is written once.
import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import {
  CompiledQuery,
  Kysely,
  PostgresAdapter,
  PostgresDialect,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type QueryResult,
  type Transaction,
} from 'kysely';
import pg from 'pg';

export type DatabaseKind = 'pglite' | 'postgres';

// Modules type their own tables inside store.ts; the shared handle is untyped.
export type Db = Kysely<any>;
export type Executor = Db | Transaction<any>;

export type RawSession = {
  query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<R[]>;
  exec(script: string): Promise<void>;
};

// Arbitrary but fixed: the advisory lock key that serialises schema changes and restores.
const SCHEMA_LOCK_KEY = 7_264_001;

export type Database = {
  kind: DatabaseKind;
  db: Db;
  /**
   * A transaction on one connection below Kysely, for multi-statement scripts (migrations, restore).
   * On PostgreSQL it also serialises callers across replicas with an advisory lock. `snapshot`:
   * read only, and every statement sees the same snapshot (REPEATABLE READ), for a consistent
   * copy while other replicas write (on PGlite the one connection's mutex already gives that).
   */
  rawTransaction<T>(fn: (raw: RawSession) => Promise<T>, options?: { snapshot?: boolean }): Promise<T>;
  /**
   * For a library that brings its own SQL (pg-boss): one statement with parameters, or a script of
   * several without, each on its own turn of the connection and outside any transaction a caller
   * holds. A script's rows are the rows of all its statements, in order. On the embedded database
   * a failed script's open transaction is rolled back before the connection is handed on.
   */
  executeSql(text: string, values?: unknown[]): Promise<{ rows: any[] }>;
  /**
   * PostgreSQL only: how to open another pool on this database (pg-boss keeps its own). It holds
   * the password: never log it; print `describe`.
   */
  connectionString?: string;
  /** LISTENs on a channel; the handler gets each NOTIFY payload. Returns an unlisten. */
  listen(channel: string, handler: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
  /** A description safe to print: never includes a password. */
  describe: string;
};

const INT8_OID = 20;
const NUMERIC_OID = 1700;

// Serialises access to the single PGlite connection: a transaction must own it from BEGIN to COMMIT.
// A query issued outside an open transaction's handle, while that transaction waits for it,
// would wait forever; the timeout turns that bug into an error that names it.
const ACQUIRE_TIMEOUT_MS = 30_000;

class Mutex {
  private tail: Promise<void> = Promise.resolve();
  acquire(): Promise<() => void> {
    let release!: () => void;
    const next = new Promise<void>((resolve) => (release = resolve));
    const previous = this.tail;
    this.tail = this.tail.then(() => next);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error('The embedded database connection stayed busy for 30 s: most likely a query ran outside the open transaction it was waiting for.')),
        ACQUIRE_TIMEOUT_MS,
      );
      timer.unref();
    });
    return Promise.race([previous.then(() => release), timeout]).finally(() => clearTimeout(timer));
  }
}

class PgliteConnection implements DatabaseConnection {
  private readonly pglite: PGlite;
  constructor(pglite: PGlite) {
    this.pglite = pglite;
  }
  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const result = await this.pglite.query<R>(query.sql, [...query.parameters]);
    return {
      rows: result.rows,
      numAffectedRows: result.affectedRows === undefined ? undefined : BigInt(result.affectedRows),
    };
  }
  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('Streaming queries are not supported on the embedded database.');
  }
}

class PgliteDriver implements Driver {
  private readonly pglite: PGlite;
  readonly mutex = new Mutex();
  private readonly releases = new WeakMap<DatabaseConnection, () => void>();
  private readonly connection: PgliteConnection;
  constructor(pglite: PGlite) {
    this.pglite = pglite;
    this.connection = new PgliteConnection(pglite);
  }
  async init(): Promise<void> {}
  async acquireConnection(): Promise<DatabaseConnection> {
    const release = await this.mutex.acquire();
    // The connection object is shared, so key the release by a per-acquire wrapper.
    const handle: DatabaseConnection = {
      executeQuery: (q) => this.connection.executeQuery(q),
      streamQuery: () => this.connection.streamQuery(),
    };
    this.releases.set(handle, release);
    return handle;
  }
  async beginTransaction(conn: DatabaseConnection): Promise<void> {
    await conn.executeQuery(CompiledQuery.raw('begin'));
  }
  async commitTransaction(conn: DatabaseConnection): Promise<void> {
    await conn.executeQuery(CompiledQuery.raw('commit'));
  }
  async rollbackTransaction(conn: DatabaseConnection): Promise<void> {
    await conn.executeQuery(CompiledQuery.raw('rollback'));
  }
  async releaseConnection(conn: DatabaseConnection): Promise<void> {
    this.releases.get(conn)?.();
    this.releases.delete(conn);
  }
  async destroy(): Promise<void> {
    if (!this.pglite.closed) await this.pglite.close();
  }
}

function pgliteDialect(driver: PgliteDriver): Dialect {
  return {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => driver,
    createQueryCompiler: () => new PostgresQueryCompiler(),
    createIntrospector: (db) => new PostgresIntrospector(db),
  };
}

export class DatabaseInUseError extends Error {}

/**
 * PGlite is one process's database: a second process opening the same folder would corrupt
 * it. A lock file with our pid guards the folder; a lock left by a killed process is taken over.
 */
function lockDataDir(dataDir: string): () => void {
  const lockPath = path.join(dataDir, 'egov.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lockPath, String(process.pid), { flag: 'wx' });
      return () => fs.rmSync(lockPath, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = Number(fs.readFileSync(lockPath, 'utf8'));
      if (holder && holder !== process.pid && processAlive(holder)) {
        throw new DatabaseInUseError(
          `The embedded database in ${dataDir} is in use by process ${holder}. Stop that egov process first (a running server owns its data folder).`,
        );
      }
      fs.rmSync(lockPath, { force: true });
    }
  }
  throw new DatabaseInUseError(`Could not lock ${dataDir}.`);
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export type PgliteOptions = { sharedBuffers?: string };

export async function openPglite(dataDir: string | undefined, options: PgliteOptions = {}): Promise<Database> {
  let unlock = () => {};
  if (dataDir) {
    fs.mkdirSync(dataDir, { recursive: true });
    unlock = lockDataDir(dataDir);
  }
  const pglite = await PGlite.create(dataDir ?? 'memory://', {
    parsers: { [INT8_OID]: (v: string) => Number(v), [NUMERIC_OID]: (v: string) => Number(v) },
    // PostgreSQL's default 128 MB of shared buffers would be most of a small node's memory.
    postgresqlconf: [`shared_buffers = ${options.sharedBuffers ?? '32MB'}`],
  }).catch((err) => {
    unlock();
    throw err;
  });
  const driver = new PgliteDriver(pglite);
  const db = new Kysely<any>({ dialect: pgliteDialect(driver) });
  return {
    kind: 'pglite',
    db,
    describe: dataDir ? `embedded PostgreSQL (PGlite) in ${dataDir}` : 'embedded PostgreSQL (PGlite) in memory',
    async rawTransaction(fn) {
      const release = await driver.mutex.acquire();
      try {
        return await pglite.transaction(async (tx) =>
          fn({
            query: async (text, params) => (await tx.query<any>(text, params ?? [])).rows,
            exec: async (script) => {
              await tx.exec(script);
            },
          }),
        );
      } finally {
        release();
      }
    },
    async executeSql(text, values) {
      const release = await driver.mutex.acquire();
      try {
        if (values && values.length > 0) return { rows: (await pglite.query<any>(text, values)).rows };
        // Without parameters the text may be several statements (BEGIN … COMMIT): only exec takes those.
        const results = await pglite.exec(text);
        return { rows: results.flatMap((r) => r.rows ?? []) };
      } catch (err) {
        // A script that failed between BEGIN and COMMIT leaves the one connection in an aborted
        // transaction; the next user must not inherit it. Outside a transaction this is a no-op.
        await pglite.exec('rollback').catch(() => {});
        throw err;
      } finally {
        release();
      }
    },
    async listen(channel, handler) {
      return pglite.listen(channel, handler);
    },
    async close() {
      await disarmAlarm(pglite, driver.mutex);
      await db.destroy();
      unlock();
    },
  };
}

/**
 * PostgreSQL arms an alarm for its timeouts (lock_timeout, statement_timeout, and the 10 s flush of
 * pending statistics when a session falls idle) and, when a timeout is no longer needed, leaves the
 * alarm to fire for nothing. In PGlite the alarm is a JavaScript timer, so it would keep the process
 * alive for up to 10–30 s after close (pg-boss's statements set such timeouts). Flushing the
 * statistics now leaves nothing to wake up for, and a 1 ms statement_timeout moves the armed alarm
 * to 1 ms from now; it fires before we close.
 */
async function disarmAlarm(pglite: PGlite, mutex: Mutex): Promise<void> {
  if (pglite.closed) return;
  // Not worth waiting long for: a connection still busy at close has bigger problems.
  const acquiring = mutex.acquire();
  acquiring.catch(() => {});
  const release = await Promise.race([acquiring, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 1000).unref())]);
  if (!release) return;
  try {
    await pglite.exec('set statement_timeout = 1');
    await pglite.exec('select pg_stat_force_next_flush()');
    await pglite.exec('reset statement_timeout');
    await new Promise((resolve) => setTimeout(resolve, 5));
  } catch {
    // Closing anyway: at worst the process exits when the alarm fires.
  } finally {
    release();
  }
}

export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable DATABASE_URL)';
  }
}

export async function openPostgres(url: string, poolSize = 10): Promise<Database> {
  pg.types.setTypeParser(INT8_OID, (v: string) => Number(v));
  pg.types.setTypeParser(NUMERIC_OID, (v: string) => Number(v));
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // An idle pooled connection can die (server restart, admin termination). pg emits that on the
  // pool; unhandled it would crash the process. The pool replaces the connection on next use.
  pool.on('error', () => {});
  // A failed connection should surface now, with a clear message, not on the first request.
  const probe = await pool.connect().catch((err: Error) => {
    throw new Error(`Cannot connect to PostgreSQL at ${redactUrl(url)}: ${err.message}`);
  });
  probe.release();
  const db = new Kysely<any>({ dialect: new PostgresDialect({ pool }) });
  return {
    kind: 'postgres',
    db,
    describe: `PostgreSQL at ${redactUrl(url)}`,
    connectionString: url,
    async executeSql(text, values) {
      const result: pg.QueryResult | pg.QueryResult[] = await pool.query(text, values && values.length > 0 ? values : undefined) as any;
      // A script of several statements answers with one result per statement.
      return { rows: Array.isArray(result) ? result.flatMap((r) => r.rows ?? []) : result.rows };
    },
    async rawTransaction(fn, options) {
      const client = await pool.connect();
      try {
        await client.query(options?.snapshot ? 'begin isolation level repeatable read read only' : 'begin');
        await client.query('select pg_advisory_xact_lock($1)', [SCHEMA_LOCK_KEY]);
        const result = await fn({
          query: async (text, params) => (await client.query(text, params ?? [])).rows,
          exec: async (script) => {
            await client.query(script);
          },
        });
        await client.query('commit');
        return result;
      } catch (err) {
        await client.query('rollback').catch(() => {});
        throw err;
      } finally {
        client.release();
      }
    },
    async listen(channel, handler) {
      // A connection of its own: LISTEN holds it for as long as we listen. If it drops, the
      // handler hears '*' (something may have been missed) and we reconnect every 5 s.
      let client: pg.Client | undefined;
      let closed = false;
      let retry: NodeJS.Timeout | undefined;
      const reconnectLater = () => {
        if (closed) return;
        retry = setTimeout(() => void connect().catch(reconnectLater), 5000);
        retry.unref();
      };
      const connect = async (): Promise<void> => {
        const next = new pg.Client({ connectionString: url });
        next.on('notification', (msg) => msg.channel === channel && handler(msg.payload ?? ''));
        next.on('error', () => {
          handler('*');
          next.end().catch(() => {});
          reconnectLater();
        });
        await next.connect();
        await next.query(`listen ${JSON.stringify(channel)}`);
        client = next;
      };
      await connect();
      return async () => {
        closed = true;
        clearTimeout(retry);
        await client?.end().catch(() => {});
      };
    },
    async close() {
      await db.destroy();
      // Kysely ends the pool only if it ever used it; raw transactions use it directly.
      if (!pool.ended) await pool.end();
    },
  };
}

export async function openDatabase(options: { databaseUrl?: string; dataDir?: string; pgliteSharedBuffers?: string }): Promise<Database> {
  return options.databaseUrl ? openPostgres(options.databaseUrl) : openPglite(options.dataDir, { sharedBuffers: options.pgliteSharedBuffers });
}
