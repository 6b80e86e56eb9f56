// The baseline of the registries lookup benchmark, in a process of its own: a bare Fastify
// route doing the same indexed lookup as egov's record read, with nothing else (no session,
// no authorization, no masking, no read log, no audit).
//   lookup <port> postgres <url>      a pg pool of 10 (egov's pool size) on that database;
//   lookup <port> pglite <dataDir>    egov's own embedded-database opener on that folder.
// It prints "ready" once listening. It stops on SIGTERM, when its standard input closes (the
// benchmark that started it has gone) and, whatever happens, after 30 minutes.
import Fastify from 'fastify';
import { CompiledQuery } from 'kysely';
import pg from 'pg';
import { loadConfig } from '../src/config.ts';
import { openConfiguredDatabase } from '../src/app.ts';

const [role, portArg, kind, target] = process.argv.slice(2);
if (role !== 'lookup' || (kind !== 'postgres' && kind !== 'pglite')) throw new Error('usage: registries-servers.ts lookup <port> postgres <url> | pglite <dataDir>');

const SQL = "select data from registries.records where registry = 'population' and key = $1";
let find: (key: string) => Promise<unknown>;
let close: () => Promise<void>;
if (kind === 'postgres') {
  const pool = new pg.Pool({ connectionString: target, max: 10 });
  pool.on('error', () => {});
  find = async (key) => (await pool.query(SQL, [key])).rows[0]?.data;
  close = () => pool.end();
} else {
  const database = await openConfiguredDatabase(loadConfig({ NODE_ENV: 'development', EGOV_DATA_DIR: target, LOG_LEVEL: 'warn' }));
  find = async (key) => ((await database.db.executeQuery(CompiledQuery.raw(SQL, [key]))).rows[0] as { data?: unknown } | undefined)?.data;
  close = () => database.close();
}

const app = Fastify({ logger: false });
app.get('/api/health', async () => ({ status: 'ok' }));
app.get<{ Params: { key: string } }>('/records/:key', async (request, reply) => {
  const data = await find(request.params.key);
  if (data === undefined) return reply.code(404).send({ status: 404 });
  return data;
});

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  await app.close().catch(() => {});
  await close().catch(() => {});
  process.exit(0);
}
process.on('SIGTERM', () => void stop());
process.stdin.on('end', () => void stop());
process.stdin.on('error', () => void stop());
process.stdin.resume();
setTimeout(() => void stop(), 30 * 60_000).unref();

await app.listen({ port: Number(portArg), host: '127.0.0.1' });
process.stdout.write('ready\n');
