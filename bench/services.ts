// `npm run bench:services [-- options]`: the online services' figures of issue 8, each next to
// a baseline measured in this same run, because absolute times on this shared machine are noisy.
// Per database (a new PostgreSQL database next to BENCH_DATABASE_URL or DATABASE_URL, dropped
// after; then a temp PGlite folder, removed after), an `egov start` process on 127.0.0.1 over
// the demo world:
//   1. Submissions. APPLICANTS citizens (living demo persons) register through
//      /api/citizen/register (real name checked through the exchange) and sign in; then in each
//      round all of them at once POST /api/citizen/applications over real HTTP (keep-alive): the
//      demo's individual business registration, its e-form filled (the registry fields left to
//      the platform's prefill), a ~200 KB PDF as the premises material (base64 in the JSON),
//      submit: true, an Idempotency-Key. One applicant in ten also sends a copy of its request
//      at the same moment (a racing retry) and one in twenty retries once answered: both must
//      get the first application back (200, the same id). Figures: new applications per second
//      (over the rounds' wall time) and p50/p95/p99 of the first attempts' latency.
//      Baseline: the very same request bytes, in the same pattern, POSTed to a bare Fastify
//      route (a child process) that parses the JSON body and answers 201; its rounds alternate
//      with egov's, so both see the same neighbours. Reference: the same egov submission with
//      a 2 KB PDF. Checked after: exactly one application (with its file and its open
//      acceptance task) per key sent, as many as the 201 answers, and no key twice.
//   2. The officer's inbox. APPLICATIONS applications with one task each (20 organizations ×
//      4 duties; tasks 85% done, 3% cancelled, 10% open, 2% claimed) loaded directly with SQL
//      (generate_series), then GET /api/services/inbox as the market regulation officer, who
//      holds the demo's four duties (acceptor, reviewer, approver, leader; granted here if not), INBOX_CLIENTS clients for SECONDS: p50/p95/p99 (goal p95 ≤ 50 ms).
//      Baseline: GET /api/session, a trivial signed-in GET, same clients, same time, in
//      alternating slices. The inbox's SQL plan (EXPLAIN ANALYZE) is printed too.
// Options:
//   --applicants N          concurrent applicants (default 200; the demo has about 230 living persons)
//   --rounds R              measured submission rounds on PostgreSQL (default 5, after one warm-up round)
//   --pglite-rounds R       on the embedded database, slower (default 3)
//   --attachment-kb K       the PDF's size (default 200)
//   --pg-applications N     applications loaded on PostgreSQL (default 1,000,000)
//   --pglite-applications N on the embedded database (default 100,000)
//   --inbox-clients C       (default 10)
//   --seconds S             each inbox and baseline load (default 10, after a 2 s warm-up)
//   --only postgres|pglite
// The server runs under coreutils `timeout`, so it stops by itself even if this process dies.
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import Fastify from 'fastify';
import { processCpuMs } from './cpu.ts';

// ---- the bare baseline server: this same file, run as a child ---------------------------------

async function baselineServer(port: number): Promise<void> {
  const app = Fastify({ logger: false, bodyLimit: 40 * 1024 * 1024 });
  app.get('/api/health', async () => ({ status: 'ok' }));
  app.post('/submit', async (request, reply) => {
    const body = request.body as { serviceCode?: string; attachments?: unknown[] };
    return reply.code(201).send({ id: crypto.randomUUID(), serviceCode: body.serviceCode, files: body.attachments?.length ?? 0 });
  });
  await app.listen({ port, host: '127.0.0.1' });
  const stop = () => void app.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  // It also stops when its parent goes: the stdin pipe closes.
  process.stdin.on('close', stop);
  process.stdin.resume();
}

if (process.argv[2] === '--baseline-server') await baselineServer(Number(process.argv[3]));
else await main();

async function main(): Promise<void> {
  // Loaded here, not above: the baseline child needs none of egov.
  const { PGlite } = await import('@electric-sql/pglite');
  const { default: pg } = await import('pg');
  const { DEMO_PASSWORD, freePort, MAIN, ROOT, waitForHealth } = await import('../test/support/egov-process.ts');
  const { values: options } = parseArgs({
    options: {
      applicants: { type: 'string', default: '200' },
      rounds: { type: 'string', default: '5' },
      'pglite-rounds': { type: 'string', default: '3' },
      'attachment-kb': { type: 'string', default: '200' },
      'pg-applications': { type: 'string', default: '1000000' },
      'pglite-applications': { type: 'string', default: '100000' },
      'inbox-clients': { type: 'string', default: '10' },
      seconds: { type: 'string', default: '10' },
      only: { type: 'string' },
    },
  });
  const APPLICANTS = Number(options.applicants);
  const ROUNDS = { postgres: Number(options.rounds), pglite: Number(options['pglite-rounds']) };
  const ATTACHMENT_BYTES = Number(options['attachment-kb']) * 1024;
  const INBOX_CLIENTS = Number(options['inbox-clients']);
  const SECONDS = Number(options.seconds);
  const BASE_URL = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const SERVICE = 'amr.individual-business-registration';
  const OFFICER = 'amr.officer';
  const DUTIES = ['acceptor', 'reviewer', 'approver'];
  const ALL_DUTIES = ['acceptor', 'reviewer', 'approver', 'leader'];
  const ORGS = 20;
  const SERVER_MAX_SECONDS = 60 * 60;
  const RUN = crypto.randomBytes(4).toString('hex');
  const KEY_PREFIX = `bench-${RUN}-`;

  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'egov-bench-services-'));
  const serverLog = path.join(home, 'egov.log');
  const children: ChildProcess[] = [];
  const drops: (() => Promise<void>)[] = [];

  const log = (line: string) => console.log(`[${new Date().toISOString().slice(11, 19)}, load ${os.loadavg()[0].toFixed(1)}] ${line}`);
  const fmt = (n: number) => Math.round(n).toLocaleString('en');
  const ms = (x: number) => (x < 10 ? x.toFixed(2) : x.toFixed(1));
  const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
  type Latency = { n: number; p50: number; p95: number; p99: number; max: number };
  const latencyOf = (xs: number[]): Latency => {
    const s = [...xs].sort((a, b) => a - b);
    return { n: s.length, p50: percentile(s, 50), p95: percentile(s, 95), p99: percentile(s, 99), max: s.at(-1)! };
  };

  // ---- HTTP ---------------------------------------------------------------------------------------

  type Answer = { status: number; body: string; headers: http.IncomingHttpHeaders; ms: number };

  function send(agent: http.Agent, url: string, method: string, headers: Record<string, string>, body?: Buffer | string): Promise<Answer> {
    const u = new URL(url);
    const t0 = performance.now();
    const all = body === undefined ? headers : { 'content-type': 'application/json', ...headers, 'content-length': String(Buffer.byteLength(body)) };
    return new Promise((resolve, reject) => {
      const req = http.request({ agent, host: u.hostname, port: u.port, path: u.pathname + u.search, method, headers: { accept: 'application/json', ...all } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), headers: res.headers, ms: performance.now() - t0 }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  async function call(agent: http.Agent, url: string, method: string, headers: Record<string, string>, body?: unknown) {
    const res = await send(agent, url, method, headers, body === undefined ? undefined : JSON.stringify(body));
    if (res.status !== 200 && res.status !== 201) throw new Error(`${method} ${url}: ${res.status} ${res.body.slice(0, 500)}`);
    return { ...res, json: JSON.parse(res.body) };
  }

  const cookieOf = (answer: Answer, name: string) => {
    const found = (answer.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).find((c) => c.startsWith(`${name}=`));
    if (!found) throw new Error(`no ${name} cookie in the answer`);
    return found;
  };

  async function concurrently<T, R>(limit: number, items: T[], fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
    const out: R[] = new Array(items.length);
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(limit, items.length) }, async () => {
        while (next < items.length) {
          const i = next++;
          out[i] = await fn(items[i], i);
        }
      }),
    );
    return out;
  }

  // ---- processes ----------------------------------------------------------------------------------

  type Server = { timeout: ChildProcess; pid: number; baseUrl: string };

  /** `egov start` under coreutils `timeout`, so it stops by itself even if this process dies. */
  async function startEgov(env: Record<string, string>): Promise<Server> {
    const port = await freePort();
    const nodePort = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    const childEnv: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: 'development',
      EGOV_DEMO_PASSWORD: DEMO_PASSWORD,
      LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info', // one line per request, as in production (to /dev/null)
      EGOV_COOKIE_SECURE: 'false',
      // Two hundred applicants register and sign in from one address within a minute.
      EGOV_SIGNIN_RATE_LIMIT: '100000',
      HOST: '127.0.0.1',
      PORT: String(port),
      EGOV_PUBLIC_URL: baseUrl,
      EGOV_NODE_PORT: String(nodePort),
      EGOV_NODE_URL: `https://127.0.0.1:${nodePort}`,
      ...env,
    };
    if (!env.DATABASE_URL) delete childEnv.DATABASE_URL;
    // Its output goes to a file in the run's folder, shown if the run fails.
    const logFd = fs.openSync(serverLog, 'a');
    const timeout = spawn('timeout', ['--kill-after=10', String(SERVER_MAX_SECONDS), process.execPath, MAIN, 'start'], { cwd: ROOT, env: childEnv, stdio: ['ignore', logFd, logFd] });
    fs.closeSync(logFd);
    timeout.once('exit', (code, signal) => {
      if (!stopping.has(timeout)) log(`egov exited by itself (code ${code}, signal ${signal})`);
    });
    children.push(timeout);
    await waitForHealth(baseUrl, timeout, 300_000);
    const pids = fs.readFileSync(`/proc/${timeout.pid}/task/${timeout.pid}/children`, 'utf8').trim().split(/\s+/);
    return { timeout, pid: Number(pids[0]), baseUrl };
  }

  const stopping = new Set<ChildProcess>();
  async function stopChild(child: ChildProcess): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) return;
    stopping.add(child);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM'); // timeout passes it on to egov
    await exited;
  }

  async function startBaseline(): Promise<{ child: ChildProcess; baseUrl: string; pid: number }> {
    const port = await freePort();
    const child = spawn(process.execPath, [import.meta.filename, '--baseline-server', String(port)], { cwd: ROOT, stdio: ['pipe', 'ignore', 'inherit'] });
    children.push(child);
    const baseUrl = `http://127.0.0.1:${port}`;
    await waitForHealth(baseUrl, child, 60_000);
    return { child, baseUrl, pid: child.pid! };
  }

  // ---- SQL on either database (PGlite only while egov is stopped: one process owns the folder) ----

  type Target = { url?: string; dir?: string };
  type Sql = { query<T = Record<string, unknown>>(text: string): Promise<T[]>; close(): Promise<void> };

  async function openSql(target: Target): Promise<Sql> {
    if (target.url) {
      const client = new pg.Client({ connectionString: target.url });
      client.on('error', (err) => log(`database connection lost: ${err.message}`));
      await client.connect();
      return { query: async <T,>(text: string) => (await client.query(text)).rows as T[], close: () => client.end() };
    }
    const db = await PGlite.create(target.dir!);
    return { query: async <T,>(text: string) => ((await db.exec(text)).at(-1)?.rows ?? []) as T[], close: () => db.close() };
  }

  // ---- part 1: submissions ----------------------------------------------------------------------

  type Session = { cookie: string; csrf: string };

  async function staffSignIn(agent: http.Agent, baseUrl: string, username: string): Promise<Session & { user: { id: string; orgId: string } }> {
    const res = await call(agent, `${baseUrl}/api/session`, 'POST', {}, { username, password: DEMO_PASSWORD });
    return { cookie: cookieOf(res, 'egov_session'), csrf: res.json.csrfToken, user: res.json.user };
  }

  /** APPLICANTS living demo persons, registered as citizens and signed in (not measured). */
  async function signUpApplicants(agent: http.Agent, baseUrl: string): Promise<Session[]> {
    const officer = await staffSignIn(agent, baseUrl, 'psb.officer');
    const persons: { idNumber: string; name: string }[] = [];
    for (let page = 1; persons.length < APPLICANTS; page++) {
      const res = await call(agent, `${baseUrl}/api/registries/population/records?where.status=living&pageSize=100&page=${page}`, 'GET', { cookie: officer.cookie });
      const items = res.json.results as { data: { idNumber: string; name: string } }[];
      if (items.length === 0) throw new Error(`only ${persons.length} living persons in the demo registry; ${APPLICANTS} applicants asked for`);
      persons.push(...items.map((r) => ({ idNumber: r.data.idNumber, name: r.data.name })));
    }
    const password = 'Bench#2026applicant';
    return concurrently(8, persons.slice(0, APPLICANTS), async (p, i) => {
      const email = `bench.${RUN}.${i}@example.cn`;
      await call(agent, `${baseUrl}/api/citizen/register`, 'POST', {}, { idNumber: p.idNumber, name: p.name, email, password });
      const res = await call(agent, `${baseUrl}/api/citizen/session`, 'POST', {}, { login: email, password });
      return { cookie: cookieOf(res, 'egov_citizen_session'), csrf: res.json.csrfToken };
    });
  }

  /** A complete application: the e-form (what the registries hold is left to the prefill) and a PDF of `bytes`. */
  function applicationBody(bytes: number): Buffer {
    const file = Buffer.alloc(bytes, 0x20);
    Buffer.from('%PDF-1.7\n').copy(file);
    crypto.randomFillSync(file, 16, bytes - 32); // a scan does not compress
    return Buffer.from(
      JSON.stringify({
        serviceCode: SERVICE,
        formData: {
          phone: '13800138000',
          email: 'applicant@example.cn',
          businessName: '示范市东城区便民日杂店',
          organisation: 'individual',
          industry: 'retail',
          businessScope: '日用百货、文具用品零售',
          premisesAddress: '青云省示范市东城区人民路 18 号',
          premisesUse: 'rented',
          capital: 50000,
          employees: 2,
          declaration: true,
        },
        attachments: [{ materialKey: 'premises', fileName: '经营场所租赁合同.pdf', content: file.toString('base64') }],
        submit: true,
      }),
    );
  }

  type Round = { wallMs: number; firsts: number[]; created: number; replays: number; keys: string[] };

  /**
   * One round: every applicant POSTs at the same moment; one in ten sends a racing copy, one in
   * twenty retries after its answer. Every copy and retry must come back with the first one's id.
   */
  async function submissionRound(agent: http.Agent, url: string, sessions: Session[], body: Buffer, tag: string, isEgov: boolean): Promise<Round> {
    const keys = sessions.map((_, i) => `${KEY_PREFIX}${tag}-${i}`);
    const firsts: number[] = new Array(sessions.length);
    let created = 0;
    let replays = 0;
    const post = (i: number) => send(agent, url, 'POST', { cookie: sessions[i].cookie, 'x-csrf-token': sessions[i].csrf, 'idempotency-key': keys[i] }, body);
    const idOf = (a: Answer) => (isEgov ? (JSON.parse(a.body) as { id: string }).id : 'bare');
    const t0 = performance.now();
    await Promise.all(
      sessions.map(async (_, i) => {
        const attempts = [post(i), ...(i % 10 === 3 ? [post(i)] : [])];
        const answers = await Promise.all(attempts);
        firsts[i] = answers[0].ms;
        if (i % 20 === 7) answers.push(await post(i));
        for (const a of answers) if (a.status !== 201 && a.status !== 200) throw new Error(`${url} (${keys[i]}): ${a.status} ${a.body.slice(0, 500)}`);
        const made = answers.filter((a) => a.status === 201).length;
        if (isEgov && made !== 1) throw new Error(`${keys[i]}: ${made} answers said created (201) for one key`);
        if (isEgov && new Set(answers.map(idOf)).size !== 1) throw new Error(`${keys[i]}: retries came back with another application`);
        created += isEgov ? made : 1;
        replays += answers.length - 1;
      }),
    );
    return { wallMs: performance.now() - t0, firsts, created, replays, keys };
  }

  type Submissions = { rounds: number; requests: number; created: number; replays: number; wallMs: number; perSecond: number; latency: Latency; serverCpuMs: number };

  function summarize(rounds: Round[], cpuMs: number): Submissions {
    const wallMs = rounds.reduce((s, r) => s + r.wallMs, 0);
    const created = rounds.reduce((s, r) => s + r.created, 0);
    const replays = rounds.reduce((s, r) => s + r.replays, 0);
    return { rounds: rounds.length, requests: created + replays, created, replays, wallMs, perSecond: (created * 1000) / wallMs, latency: latencyOf(rounds.flatMap((r) => r.firsts)), serverCpuMs: cpuMs / (created + replays) };
  }

  // ---- part 2: the inbox -------------------------------------------------------------------------

  /**
   * `n` applications, each with one task, spread over ORGS organizations (the officer's is one)
   * and four duties; statuses mostly closed. Rows i in [from, to].
   */
  function loadStatements(ids: { orgId: string; serviceId: string; officerId: string; columns: Set<string> }, from: number, to: number): string[] {
    const org = `case when i % ${ORGS} = 0 then '${ids.orgId}'::uuid else md5('bench-org-' || (i % ${ORGS}))::uuid end`;
    const duty = `(array['${ALL_DUTIES.join("','")}'])[1 + (i / ${ORGS}) % 4]`;
    // The status bucket walks independently of the organization and the duty.
    const bucket = `((i / ${ORGS * 4}) + i * 7) % 100`;
    const src = `select i, ${org} as org, ${duty} as duty, ${bucket} as b, now() - make_interval(secs => (${to} - i) * 20) as at, current_date + ((i * 37) % 60) - 15 as due from generate_series(${from}, ${to}) i`;
    // Columns a newer schema may have: filled when there.
    const optional = [
      ['applicant_person_name', `'申请人' || (i % 100000)`],
      ['applicant_id_number', `'99012119850312' || lpad((i % 10000)::text, 4, '0')`],
    ].filter(([column]) => ids.columns.has(column));
    const extraColumns = optional.map(([column]) => `, ${column}`).join('');
    const extraValues = optional.map(([, value]) => `, ${value}`).join('');
    const taskStatus = `case when b < 85 then 'done' when b < 88 then 'cancelled' when b < 98 then 'open' else 'claimed' end`;
    return [
      `insert into services.applications (id, number, service_id, service_code, service_version, org_id, handling, applicant_citizen_id, applicant_name, status, form_data, prefilled, submitted_at, accepted_on, due_date, version, created_at, updated_at${extraColumns})
       select md5('bench-app-' || i)::uuid, 'BENCH' || lpad(i::text, 10, '0'), '${ids.serviceId}', '${SERVICE}', 1, org, 'single', md5('bench-citizen-' || (i % 100000))::uuid, '申请人' || (i % 100000),
         case when b < 85 then 'approved' when b < 88 then 'withdrawn' else 'in_review' end,
         '{"industry":"retail","businessScope":"日用百货零售","premisesAddress":"青云省示范市东城区人民路 18 号","capital":50000,"employees":2}'::jsonb, '{}'::jsonb,
         at, (at + interval '1 day')::date, due, 1, at, at${extraValues}
       from (${src}) s`,
      `insert into services.tasks (id, application_id, ref, org_id, duty, kind, name_zh, name_en, status, assignee_id, assignee_name, due_date, service_code, application_number, applicant_name, version, created_at, claimed_at, done_at)
       select md5('bench-task-' || i)::uuid, md5('bench-app-' || i)::uuid, case when duty = 'acceptor' then 'acceptance' else 'Task_' || duty end, org, duty,
         case when duty = 'acceptor' then 'acceptance' else 'review' end, case when duty = 'acceptor' then '受理' else '审查' end, case when duty = 'acceptor' then 'Acceptance' else 'Review' end,
         ${taskStatus}, case when b >= 98 then (case when i % 7 = 0 then '${ids.officerId}'::uuid else md5('bench-staff-' || (i % 50))::uuid end) end, case when b >= 98 then '工作人员' end,
         due, '${SERVICE}', 'BENCH' || lpad(i::text, 10, '0'), '申请人' || (i % 100000), 1, at, case when b >= 98 then at end, case when b < 88 then at + interval '2 days' end
       from (${src}) s`,
    ];
  }

  /** The inbox's two statements as store.inbox sends them for scope 'all', with the values in place. */
  function inboxSql(orgId: string, userId: string, duties: string[]): { page: string; count: string } {
    const where = `t.org_id = '${orgId}' and t.duty in (${duties.map((d) => `'${d}'`).join(', ')}) and t.status in ('open', 'claimed') and (t.status = 'open' or (t.status = 'claimed' and t.assignee_id = '${userId}'))`;
    return {
      page: `select t.*, t.due_date::text as due_date from services.tasks t where ${where} order by t.due_date nulls last, t.created_at limit 50 offset 0`,
      count: `select count(*)::text as n from (select 1 from services.tasks t where ${where} limit 10000) c`,
    };
  }

  type Load = Latency & { rps: number; serverCpuMs: number };

  /** `clients` closed-loop clients GETting each `url` in turn, in alternating slices of `sliceMs`. */
  async function alternatingLoad(agent: http.Agent, targets: { url: string; headers: Record<string, string>; pid: number }[], totalMs: number, slices: number): Promise<Load[]> {
    const lat = targets.map(() => [] as number[]);
    const wall = targets.map(() => 0);
    const cpu = targets.map(() => 0);
    for (let s = 0; s < slices; s++) {
      for (const [k, t] of targets.entries()) {
        const cpu0 = processCpuMs(t.pid);
        const t0 = performance.now();
        const end = t0 + totalMs / slices;
        await Promise.all(
          Array.from({ length: INBOX_CLIENTS }, async () => {
            while (performance.now() < end) {
              const res = await send(agent, t.url, 'GET', t.headers);
              if (res.status !== 200) throw new Error(`GET ${t.url}: ${res.status} ${res.body.slice(0, 300)}`);
              lat[k].push(res.ms);
            }
          }),
        );
        wall[k] += performance.now() - t0;
        cpu[k] += processCpuMs(t.pid) - cpu0;
      }
    }
    return targets.map((_, k) => ({ ...latencyOf(lat[k]), rps: (lat[k].length * 1000) / wall[k], serverCpuMs: cpu[k] / lat[k].length }));
  }

  // ---- one database --------------------------------------------------------------------------------

  type Figures = {
    database: string;
    egov: Submissions;
    small: Submissions;
    bare: Submissions;
    requestBytes: number;
    correctness: { keys: number; applications: number; distinctKeys: number; files: number; openTasks: number; answered201: number };
    applications: number;
    loadMs: number;
    inboxTotal: number;
    inbox: Load;
    session: Load;
    plan: string[];
  };

  async function benchOne(kind: 'postgres' | 'pglite', applicationsToLoad: number): Promise<Figures> {
    const target: Target = {};
    const env: Record<string, string> = { EGOV_DATA_DIR: path.join(home, `${kind}-data`) };
    let database: string;
    if (kind === 'postgres') {
      // A name of its own, not egov_test_*: test runs on this server clean up theirs.
      const name = `egov_bench_services_${RUN}`;
      const admin = await openSql({ url: BASE_URL });
      await admin.query(`create database ${name}`);
      await admin.close();
      drops.push(async () => {
        const a = await openSql({ url: BASE_URL });
        await a.query(`drop database if exists ${name} with (force)`);
        await a.close();
      });
      const url = new URL(BASE_URL);
      url.pathname = `/${name}`;
      target.url = env.DATABASE_URL = url.toString();
      const sql = await openSql(target);
      database = `PostgreSQL ${(await sql.query<{ v: string }>("select current_setting('server_version') as v"))[0].v.split(' ')[0]}`;
      await sql.close();
    } else {
      target.dir = env.EGOV_DATA_DIR;
      database = 'PGlite (embedded)';
    }
    log(`${database}: starting egov on a fresh database (the demo world is seeded)…`);
    let server = await startEgov(env);
    const agent = new http.Agent({ keepAlive: true, maxSockets: APPLICANTS * 2 + 16 });
    try {
      const sessions = await signUpApplicants(agent, server.baseUrl);
      log(`${sessions.length} citizens registered and signed in`);

      // Part 1: egov's and the baseline's rounds alternate.
      const full = applicationBody(ATTACHMENT_BYTES);
      const small = applicationBody(2048);
      const bare = await startBaseline();
      const egovUrl = `${server.baseUrl}/api/citizen/applications`;
      const bareUrl = `${bare.baseUrl}/submit`;
      const allKeys: string[] = [];
      let answered201 = 0;
      const egovRound = async (tag: string, body: Buffer) => {
        const r = await submissionRound(agent, egovUrl, sessions, body, tag, true);
        allKeys.push(...r.keys);
        answered201 += r.created;
        return r;
      };
      await egovRound('warm', full);
      await submissionRound(agent, bareUrl, sessions, full, 'warm', false);
      const egovRounds: Round[] = [];
      const bareRounds: Round[] = [];
      let egovCpu = 0;
      let bareCpu = 0;
      for (let r = 1; r <= ROUNDS[kind]; r++) {
        let cpu0 = processCpuMs(server.pid);
        egovRounds.push(await egovRound(`r${r}`, full));
        egovCpu += processCpuMs(server.pid) - cpu0;
        cpu0 = processCpuMs(bare.pid);
        bareRounds.push(await submissionRound(agent, bareUrl, sessions, full, `r${r}`, false));
        bareCpu += processCpuMs(bare.pid) - cpu0;
        const e = egovRounds.at(-1)!;
        const b = bareRounds.at(-1)!;
        log(`round ${r}: egov ${e.created} applications in ${(e.wallMs / 1000).toFixed(2)} s (${fmt((e.created * 1000) / e.wallMs)}/s, ${e.replays} retries answered); bare ${fmt((b.created * 1000) / b.wallMs)}/s`);
      }
      await stopChild(bare.child);
      const smallRounds: Round[] = [];
      let smallCpu = 0;
      for (let r = 1; r <= Math.max(1, Math.ceil(ROUNDS[kind] / 2)); r++) {
        const cpu0 = processCpuMs(server.pid);
        smallRounds.push(await egovRound(`small${r}`, small));
        smallCpu += processCpuMs(server.pid) - cpu0;
      }
      log('submissions measured; checking what was stored…');

      // The checks, and part 2's load, straight on the database (PGlite: with egov stopped).
      if (kind === 'pglite') await stopChild(server.timeout);
      const sql = await openSql(target);
      let loadMs = 0;
      let ids!: { orgId: string; serviceId: string; officerId: string; columns: Set<string> };
      let correctness: Figures['correctness'];
      let plan: string[] = [];
      let officerDuties: string[] = [];
      try {
        const like = `'${KEY_PREFIX}%'`;
        const [c] = await sql.query<{ n: number; d: number; k: number }>(
          `select count(*)::int as n, count(distinct (applicant_citizen_id, idempotency_key))::int as d, count(distinct idempotency_key)::int as k from services.applications where idempotency_key like ${like}`,
        );
        const [files] = await sql.query<{ n: number }>(`select count(*)::int as n from services.attachments f join services.applications a on a.id = f.application_id where a.idempotency_key like ${like}`);
        const [tasks] = await sql.query<{ n: number }>(`select count(*)::int as n from services.tasks t join services.applications a on a.id = t.application_id where a.idempotency_key like ${like} and t.status = 'open' and a.status = 'submitted'`);
        correctness = { keys: new Set(allKeys).size, applications: c.n, distinctKeys: c.k, files: files.n, openTasks: tasks.n, answered201 };
        const ok = correctness.applications === correctness.keys && correctness.distinctKeys === correctness.keys && c.d === c.n && correctness.files === correctness.keys && correctness.openTasks === correctness.keys && answered201 === correctness.keys;
        if (!ok) throw new Error(`what was stored does not match what was sent: ${JSON.stringify(correctness)}`);
        log(`stored: ${fmt(c.n)} applications for ${fmt(correctness.keys)} keys (201 answers: ${fmt(answered201)}), each with its file and its open acceptance task`);

        const [officer] = await sql.query<{ id: string; org_id: string }>(`select id, org_id from identity.users where username = '${OFFICER}'`);
        const [service] = await sql.query<{ id: string }>(`select id from services.services where code = '${SERVICE}'`);
        const columns = await sql.query<{ name: string }>(`select column_name as name from information_schema.columns where table_schema = 'services' and table_name = 'applications'`);
        ids = { orgId: officer.org_id, serviceId: service.id, officerId: officer.id, columns: new Set(columns.map((c) => c.name)) };
        await sql.query(`insert into services.duties (staff_id, org_id, duty, granted_at) select '${officer.id}', '${officer.org_id}', d, now() from unnest(array['${DUTIES.join("','")}']) d on conflict do nothing`);
        log(`loading ${fmt(applicationsToLoad)} applications and their tasks with SQL…`);
        const t0 = performance.now();
        const chunk = kind === 'postgres' ? applicationsToLoad : 25_000;
        for (let from = 1; from <= applicationsToLoad; from += chunk) {
          for (const statement of loadStatements(ids, from, Math.min(applicationsToLoad, from + chunk - 1))) await sql.query(statement);
        }
        await sql.query('vacuum analyze services.applications');
        await sql.query('vacuum analyze services.tasks');
        loadMs = performance.now() - t0;
        log(`loaded in ${(loadMs / 1000).toFixed(1)} s`);
        officerDuties = (await sql.query<{ duty: string }>(`select duty from services.duties where staff_id = '${ids.officerId}' and org_id = '${ids.orgId}' order by duty`)).map((r) => r.duty);
        const q = inboxSql(ids.orgId, ids.officerId, officerDuties);
        for (const statement of [q.page, q.count]) {
          await sql.query(statement); // warm
          const rows = await sql.query<{ 'QUERY PLAN': string }>(`explain (analyze, buffers) ${statement}`);
          plan.push(...rows.map((r) => r['QUERY PLAN']), '');
        }
      } finally {
        await sql.close();
      }
      if (kind === 'pglite') server = await startEgov(env);

      // Part 2: the inbox against a trivial signed-in GET, in alternating slices.
      const officer = await staffSignIn(agent, server.baseUrl, OFFICER);
      const inboxUrl = `${server.baseUrl}/api/services/inbox`;
      const sample = await call(agent, inboxUrl, 'GET', { cookie: officer.cookie });
      if (sample.json.items.length !== 50 || sample.json.duties.join() !== officerDuties.join()) throw new Error(`unexpected inbox: total ${sample.json.total}, ${sample.json.items.length} items, duties ${sample.json.duties}`);
      log(`inbox: total ${fmt(sample.json.total)} open tasks for ${OFFICER}'s duties (${officerDuties.join(', ')}), first page of ${sample.json.items.length}; measuring…`);
      const targets = [
        { url: inboxUrl, headers: { cookie: officer.cookie }, pid: server.pid },
        { url: `${server.baseUrl}/api/session`, headers: { cookie: officer.cookie }, pid: server.pid },
      ];
      await alternatingLoad(agent, targets, 4000, 2); // warm-up
      const [inbox, session] = await alternatingLoad(agent, targets, SECONDS * 1000, 4);
      return {
        database,
        egov: summarize(egovRounds, egovCpu),
        small: summarize(smallRounds, smallCpu),
        bare: summarize(bareRounds, bareCpu),
        requestBytes: full.length,
        correctness,
        applications: applicationsToLoad,
        loadMs,
        inboxTotal: sample.json.total,
        inbox,
        session,
        plan,
      };
    } finally {
      agent.destroy();
      await stopChild(server.timeout);
    }
  }

  // ---- the report -----------------------------------------------------------------------------------

  function report(f: Figures) {
    const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');
    const sub = (s: Submissions) => `${s.perSecond.toFixed(1)}/s; p50 ${ms(s.latency.p50)} ms, p95 ${ms(s.latency.p95)} ms, p99 ${ms(s.latency.p99)} ms; server CPU ${ms(s.serverCpuMs)} ms/request`;
    const load = (l: Load) => `${fmt(l.rps)} req/s; p50 ${ms(l.p50)} ms, p95 ${ms(l.p95)} ms, p99 ${ms(l.p99)} ms; server CPU ${ms(l.serverCpuMs)} ms/request`;
    const c = f.correctness;
    console.log('');
    console.log(`${f.database}: ${APPLICANTS} concurrent applicants, ${f.egov.rounds} rounds, request ${(f.requestBytes / 1024).toFixed(0)} KB (a ${(ATTACHMENT_BYTES / 1024).toFixed(0)} KB PDF in base64)`);
    console.log('| figure | egov | baseline | ratio | goal |');
    console.log('| --- | --- | --- | --- | --- |');
    console.log(`| submissions, ${(ATTACHMENT_BYTES / 1024).toFixed(0)} KB PDF | ${sub(f.egov)} | bare Fastify, same bytes: ${sub(f.bare)} | ${(f.egov.perSecond / f.bare.perSecond).toFixed(3)} | |`);
    console.log(`| (reference) submissions, 2 KB PDF | ${sub(f.small)} | | ${(f.egov.perSecond / f.small.perSecond).toFixed(2)} (200 KB ÷ 2 KB) | |`);
    console.log(`| inbox, ${fmt(f.applications)} applications, ${INBOX_CLIENTS} clients | ${load(f.inbox)} | GET /api/session: ${load(f.session)} | ${(f.inbox.rps / f.session.rps).toFixed(3)} | p95 ≤ 50 ms: ${verdict(f.inbox.p95 <= 50)} |`);
    console.log(`checked: ${fmt(c.keys)} keys sent (${fmt(f.egov.replays + f.small.replays)} racing or later retries among the measured requests), ${fmt(c.answered201)} answered 201, ${fmt(c.applications)} applications stored (${fmt(c.distinctKeys)} distinct keys), ${fmt(c.files)} files, ${fmt(c.openTasks)} open acceptance tasks: ${c.applications === c.keys ? 'exactly one each' : 'MISMATCH'}`);
    console.log(`loaded ${fmt(f.applications)} applications and tasks with SQL in ${(f.loadMs / 1000).toFixed(1)} s; the officer's inbox total: ${fmt(f.inboxTotal)}`);
    console.log(`inbox SQL plan (EXPLAIN ANALYZE, page then count):`);
    for (const line of f.plan) console.log(`    ${line}`);
    console.log(`submission ratio (egov ÷ bare Fastify, applications/s): ${(f.egov.perSecond / f.bare.perSecond).toFixed(3)}`);
    console.log(`inbox ratio (egov inbox ÷ GET /api/session, req/s): ${(f.inbox.rps / f.session.rps).toFixed(3)}; inbox p95 ${ms(f.inbox.p95)} ms (goal ≤ 50 ms: ${verdict(f.inbox.p95 <= 50)})`);
  }

  const results: Figures[] = [];
  try {
    console.log(`egov services benchmark: ${os.cpus().length} × ${os.cpus()[0].model}, ${Math.round(os.totalmem() / 1024 ** 3)} GB, Node ${process.version}, ${new Date().toISOString()}`);
    // Each database's table as soon as it is measured, and all of them again at the end.
    if (options.only !== 'pglite') {
      results.push(await benchOne('postgres', Number(options['pg-applications'])));
      report(results.at(-1)!);
    }
    if (options.only !== 'postgres') {
      results.push(await benchOne('pglite', Number(options['pglite-applications'])));
      report(results.at(-1)!);
    }
    if (results.length > 1) for (const figures of results) report(figures);
  } catch (err) {
    const tail = fs.existsSync(serverLog) ? fs.readFileSync(serverLog, 'utf8').split('\n').filter((l) => !l.includes('"msg":"request')).slice(-30).join('\n') : '';
    console.error(`the run failed; the end of egov's log (request lines left out):\n${tail}`);
    throw err;
  } finally {
    for (const child of children) await stopChild(child).catch(() => {});
    for (const drop of drops) await drop().catch(() => {});
    fs.rmSync(home, { recursive: true, force: true });
  }
}
