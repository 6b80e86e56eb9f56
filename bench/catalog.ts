// `npm run bench:catalog [-- options]`: the catalog search's figures, each next to a baseline
// measured in this same run on this same database, because absolute times are noisy.
//   1. Indexing: N generated entries (realistic names, abstracts and data items from word
//      lists, deterministic) are inserted as published, then indexed through the search's
//      index path (the analyzer and catalog.search_docs, in transactions of 1,000, as
//      publishing does one by one); entries/s. For reference, the same terms loaded into a bare
//      table with a to_tsvector('simple', …) column and a GIN index.
//   2. Search through the API of a started egov process, signed in, 20 concurrent clients, a
//      mix of Chinese and English queries (some misspelt) with facets, sorts and pages: p50,
//      p95, p99 and req/s (goal: p95 ≤ 50 ms). Baseline: a bare Fastify route running one
//      full-text query (ts_rank over the GIN-indexed tsvector, the same filters, top 20 and
//      the total) on the same data, without facets, highlights, session or fuzzy matching.
//   3. The check against duplicate construction on the same server: drafts reworded from the
//      same word lists (near-duplicates, typed-ahead fragments, English-only ones) sent to
//      POST /api/catalog/entries/similar by SIMILAR_CLIENTS concurrent clients (a number of
//      requests, not a time: p50, p95),
//      next to search queries at the same concurrency right before (the ratio); then, one
//      at a time, creates of near-duplicate drafts (confirmed), creates of drafts like
//      nothing in the catalog, and revisions of a draft (PUT, which runs no check): the
//      create's added time is its median minus the revision's.
// Options:
//   --entries N          entries on PostgreSQL (default 100,000);
//   --pglite-entries N   entries on the embedded database (default 20,000; 0 skips it);
//   --only postgres|pglite
//   --seconds S          each search load (default 15, after a 3 s warm-up).
//   --no-bare            skips the bare full-text baseline (faster, for the similar figures);
//   --similar-requests N previews measured (default 1,000); --creates N creates of each kind (default 30).
// BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres) names the server on
// which a fresh database is created for the run and dropped after it.
// `node bench/catalog.ts bare <port> postgres <url> | pglite <dataDir>` runs the baseline server.
import crypto from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import Fastify from 'fastify';
import { CompiledQuery, sql } from 'kysely';
import pg from 'pg';
import { closeServices, openConfiguredDatabase, openServices } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { seedDemo } from '../src/demo/seed.ts';
import type { EntryMetadata } from '../src/modules/catalog/index.ts';
import { parseQuery } from '../src/modules/catalog/search/analyze.ts';
import type { Db } from '../src/platform/db.ts';
import { createFreshPostgresDatabase } from '../src/test-support/database.ts';
import { backendCpu, processCpuMs } from './cpu.ts';
import { DEMO_PASSWORD, freePort, signIn, startServer, stopServer, waitForHealth, type RunningServer } from '../test/support/egov-process.ts';

const CONNECTIONS = 20;
const BASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const log = (line: string) => console.log(`[${new Date().toISOString().slice(11, 19)}, load ${os.loadavg()[0].toFixed(1)}] ${line}`);
const perSecond = (n: number, ms: number) => Math.round((n * 1000) / ms).toLocaleString('en');

// ---- generated entries -------------------------------------------------------------------

const SUBJECTS: [string, string][] = [
  ['低保', 'minimum living allowance'], ['特困人员', 'persons in extreme poverty'], ['医疗保险', 'medical insurance'], ['养老保险', 'pension insurance'],
  ['失业保险', 'unemployment insurance'], ['工伤保险', 'work injury insurance'], ['住房公积金', 'housing provident fund'], ['企业', 'enterprise'],
  ['个体工商户', 'individual business'], ['食品经营许可', 'food business licence'], ['药品零售', 'drug retail'], ['不动产', 'real estate'],
  ['土地出让', 'land transfer'], ['建设工程', 'construction project'], ['道路运输', 'road transport'], ['机动车', 'motor vehicle'],
  ['驾驶人', 'driver'], ['户籍', 'household registration'], ['出生医学证明', 'birth certificate'], ['婚姻登记', 'marriage registration'],
  ['学校', 'school'], ['学生资助', 'student grant'], ['教师资格', 'teacher qualification'], ['医疗机构', 'medical institution'],
  ['执业医师', 'licensed physician'], ['疫苗接种', 'vaccination'], ['环境监测', 'environmental monitoring'], ['排污许可', 'pollutant discharge permit'],
  ['水质', 'water quality'], ['空气质量', 'air quality'], ['安全生产', 'work safety'], ['危险化学品', 'hazardous chemical'],
  ['消防', 'fire safety'], ['价格监测', 'price monitoring'], ['税收', 'tax'], ['财政补贴', 'fiscal subsidy'],
  ['政府采购', 'government procurement'], ['招标投标', 'tendering and bidding'], ['统计调查', 'statistical survey'], ['社会组织', 'social organization'],
  ['慈善', 'charity'], ['退役军人', 'veteran'], ['残疾人', 'persons with disabilities'], ['养老机构', 'elderly care institution'],
  ['就业', 'employment'], ['职业技能', 'vocational skill'], ['劳动合同', 'labour contract'], ['农业补贴', 'agricultural subsidy'],
  ['农村承包地', 'rural contracted land'], ['林权', 'forest right'], ['渔业', 'fishery'], ['气象', 'weather'],
  ['地震', 'earthquake'], ['应急物资', 'emergency supplies'], ['公共交通', 'public transport'], ['旅游', 'tourism'],
  ['文物', 'cultural relic'], ['知识产权', 'intellectual property'], ['商标', 'trademark'], ['行政处罚', 'administrative penalty'],
];
const OBJECTS: [string, string][] = [
  ['对象名册', 'register of recipients'], ['名册', 'register'], ['登记信息', 'registration records'], ['统计数据', 'statistics'], ['台账', 'ledger'],
  ['名录', 'directory'], ['明细', 'details'], ['审批信息', 'approvals'], ['监测数据', 'monitoring data'], ['档案', 'archives'], ['发放信息', 'payments'],
];
const QUALIFIERS: [string, string][] = [['全省', 'Provincial'], ['城乡', 'Urban and rural'], ['市级', 'Municipal'], ['县级', 'County'], ['年度', 'Annual'], ['', '']];
const ITEMS: [string, string, string][] = [
  ['姓名', 'Name', 'string'], ['身份证号', 'ID number', 'string'], ['性别', 'Sex', 'string'], ['出生日期', 'Date of birth', 'date'], ['联系电话', 'Phone', 'string'],
  ['住址', 'Address', 'string'], ['统一社会信用代码', 'Unified social credit code', 'string'], ['单位名称', 'Organization name', 'string'], ['法定代表人', 'Legal representative', 'string'],
  ['注册资本', 'Registered capital', 'decimal'], ['成立日期', 'Date of establishment', 'date'], ['经营范围', 'Business scope', 'string'], ['许可证编号', 'Licence number', 'string'],
  ['有效期', 'Validity', 'date'], ['发放金额', 'Amount paid', 'decimal'], ['发放日期', 'Payment date', 'date'], ['行政区划', 'Administrative division', 'string'],
  ['坐标', 'Coordinates', 'geometry'], ['面积', 'Area', 'decimal'], ['用途', 'Use', 'string'], ['监测值', 'Measured value', 'decimal'], ['监测时间', 'Measured at', 'datetime'],
  ['处罚决定书文号', 'Penalty decision number', 'string'], ['处罚事由', 'Grounds for penalty', 'string'], ['学校名称', 'School name', 'string'], ['学籍号', 'Student number', 'string'],
  ['车牌号码', 'Licence plate', 'string'], ['准驾车型', 'Permitted vehicle class', 'string'], ['参保状态', 'Insurance status', 'string'], ['缴费基数', 'Contribution base', 'decimal'],
];
const PURPOSES: [string, string][] = [['社会救助审核', 'social assistance review'], ['行政审批', 'administrative approval'], ['监管执法', 'supervision and enforcement'], ['统计分析', 'statistical analysis'], ['公共服务', 'public services']];
const FORMATS: [EntryMetadata['format']['class'], string][] = [['database', 'PostgreSQL'], ['spreadsheet', 'XLSX'], ['file', 'CSV'], ['api', 'JSON'], ['image', 'GeoTIFF'], ['self-describing', 'XML']];
const CYCLES: [EntryMetadata['updateCycle'], string][] = [['realtime', '实时'], ['daily', '每日'], ['weekly', '每周'], ['monthly', '每月'], ['quarterly', '每季度'], ['yearly', '每年'], ['irregular', '不定期']];

/** mulberry32: the same entries on every run. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Provider = { id: string; nameZh: string; nameEn: string };
type Row = { id: string; code: string; provider_org_id: string; status: 'published'; metadata: string; version: number; published_version: number; published_metadata: string; published_at: Date; source_registry: null; created_at: Date; updated_at: Date };

/** `taken`: the last sequence number already used per classification (the demo's own entries). */
export function* generateEntries(n: number, providers: Provider[], taken: Map<string, number> = new Map()): Generator<Row> {
  const rnd = random(20261206);
  const pick = <T>(list: T[]): T => list[Math.floor(rnd() * list.length)];
  const sequences = new Map(taken);
  for (let i = 0; i < n; i++) {
    const p = Math.floor(rnd() * providers.length);
    const provider = providers[p];
    const [subZh, subEn] = pick(SUBJECTS);
    const [objZh, objEn] = pick(OBJECTS);
    const [qualZh, qualEn] = pick(QUALIFIERS);
    const [purZh, purEn] = pick(PURPOSES);
    const [cycle, cycleZh] = pick(CYCLES);
    const [format, formatType] = pick(FORMATS);
    const items = [...new Set(Array.from({ length: 3 + Math.floor(rnd() * 6) }, () => pick(ITEMS)))];
    const theme = rnd() < 0.2;
    const classification = theme ? { class: '2' as const, item: String(1 + Math.floor(rnd() * 12)).padStart(2, '0'), subItem: '001', detail: '' } : { class: '3' as const, item: '07', subItem: String(p + 1).padStart(3, '0'), detail: '' };
    const key = `${classification.class}${classification.item}${classification.subItem}`;
    const sequence = (sequences.get(key) ?? 0) + 1;
    sequences.set(key, sequence);
    const share = rnd();
    const sharing: EntryMetadata['sharing'] = share < 0.4 ? { type: 'unconditional', condition: '', basis: '', methods: ['api', 'bulk'] } : share < 0.85 ? { type: 'conditional', condition: `用于${purZh}`, basis: '', methods: ['api'] } : { type: 'none', condition: '', basis: '《中华人民共和国个人信息保护法》', methods: [] };
    const open = sharing.type !== 'none' && rnd() < 0.2;
    const metadata: EntryMetadata = {
      classification,
      nameZh: `${qualZh}${subZh}${objZh}`,
      nameEn: `${qualEn ? `${qualEn} ` : ''}${objEn} of ${subEn}`.replace(/^./, (c) => c.toUpperCase()),
      abstractZh: `${provider.nameZh}掌握的${qualZh}${subZh}${objZh}，包括${items.map((it) => it[0]).join('、')}等信息项，${cycleZh}更新，用于${purZh}。`,
      abstractEn: `The ${objEn} of ${subEn} kept by the ${provider.nameEn}: ${items.map((it) => it[1].toLowerCase()).join(', ')}. Updated ${cycle}; used for ${purEn}.`,
      format: { class: format, type: formatType },
      dataItems: items.map(([name, nameEn, type]) => ({ name, nameEn, field: nameEn.toLowerCase().replaceAll(' ', '_'), type: type as EntryMetadata['dataItems'][number]['type'], description: '' })),
      sharing,
      open: { open, condition: '' },
      updateCycle: cycle,
      themes: theme ? [] : rnd() < 0.3 ? [String(1 + Math.floor(rnd() * 12)).padStart(2, '0')] : [],
      keywords: [subZh, subEn],
      relatedCodes: [],
      exchangeService: '',
      licence: open ? 'CC-BY-4.0' : '',
    };
    const publishedAt = new Date(Date.UTC(2020, 0, 1) + Math.floor(rnd() * 6 * 365 * 86_400_000));
    const json = JSON.stringify(metadata);
    const id = crypto.createHash('sha256').update(`bench-entry-${i}`).digest('hex');
    yield {
      id: `${id.slice(0, 8)}-${id.slice(8, 12)}-4${id.slice(13, 16)}-8${id.slice(17, 20)}-${id.slice(20, 32)}`,
      code: `${key}/${String(sequence).padStart(6, '0')}`,
      provider_org_id: provider.id,
      status: 'published',
      metadata: json,
      version: 1,
      published_version: 1,
      published_metadata: json,
      published_at: publishedAt,
      source_registry: null,
      created_at: publishedAt,
      updated_at: publishedAt,
    };
  }
}

// ---- drafts for the similar-entries check -------------------------------------------------

type Draft = { nameZh: string; nameEn: string; dataItems: { name?: string; nameEn?: string; field?: string }[] };

/**
 * Drafts as departments write them while the editor asks for similar entries: the generated
 * names reworded (名册 → 名单, another qualifier) with some of the usual items, some by field
 * only; fragments typed so far (a subject alone, which thousands of entries share); English only.
 */
export function similarDrafts(n: number): Draft[] {
  const rnd = random(20261207);
  const pick = <T>(list: T[]): T => list[Math.floor(rnd() * list.length)];
  const drafts: Draft[] = [];
  for (let i = 0; i < n; i++) {
    const [subZh, subEn] = pick(SUBJECTS);
    const [objZh, objEn] = pick(OBJECTS);
    const qualifier = pick(['', '省级', '全市', '城乡', '年度']);
    const items = [...new Set(Array.from({ length: 2 + Math.floor(rnd() * 5) }, () => pick(ITEMS)))].map(([name, nameEn]) =>
      rnd() < 0.3 ? { field: nameEn.replace(/ (.)/g, (_, c: string) => c.toUpperCase()).replace(/^./, (c) => c.toLowerCase()) } : rnd() < 0.5 ? { name } : { name, nameEn },
    );
    const kind = i % 5;
    if (kind === 3) drafts.push({ nameZh: subZh, nameEn: '', dataItems: [] });
    else if (kind === 4) drafts.push({ nameZh: '', nameEn: `${objEn} of ${subEn}`, dataItems: items });
    else drafts.push({ nameZh: `${qualifier}${subZh}${objZh.replace('名册', '名单').replace('信息', '情况')}`, nameEn: kind === 0 ? `${objEn} of ${subEn}` : '', dataItems: items });
  }
  return drafts;
}

/** A whole entry for a draft, as the editor creates it. */
function draftMetadata(draft: Draft, seq: number) {
  return {
    classification: { class: '3', item: '07', subItem: '000', detail: '' },
    nameZh: draft.nameZh || `草稿${seq}`,
    nameEn: draft.nameEn,
    abstractZh: `基准测试编目草稿 ${seq}。`,
    abstractEn: `Benchmark draft ${seq}.`,
    format: { class: 'database', type: 'PostgreSQL' },
    dataItems: (draft.dataItems.length > 0 ? draft.dataItems : [{ name: '姓名' }]).map((d, i) => ({ name: d.name ?? d.nameEn ?? d.field ?? `项${i}`, nameEn: d.nameEn ?? '', field: d.field ?? `f${i}`, type: 'string', description: '' })),
    sharing: { type: 'conditional', condition: '用于统计分析', basis: '', methods: ['api'] },
    open: { open: false, condition: '' },
    updateCycle: 'monthly',
    themes: [],
    keywords: [],
    relatedCodes: [],
    exchangeService: '',
    licence: '',
  };
}

/** A draft sharing no term and no item with the catalog (rare characters, made-up items). */
function unrelatedDraft(seq: number): Draft {
  const rare = '甪鬯黹黻黼龠龢鼗鼙鼯鼷齁齉齘齚'.split('');
  const word = (k: number) => rare[(seq * 7 + k) % rare.length] + rare[(seq * 3 + k * 5 + 1) % rare.length];
  return { nameZh: `${word(0)}${word(1)}${word(2)}${seq}`, nameEn: '', dataItems: [{ name: `${word(3)}${seq}`, field: `zq${seq}x` }, { name: `${word(4)}${seq}`, field: `zr${seq}y` }] };
}

// ---- loading and indexing ---------------------------------------------------------------

const configOf = (env: Record<string, string>) => loadConfig({ NODE_ENV: 'development', EGOV_DEMO_PASSWORD: DEMO_PASSWORD, LOG_LEVEL: 'warn', ...env });

const BARE_TABLE = `
  create schema bench_bare;
  create table bench_bare.entries (
    id uuid primary key, code text not null, provider uuid not null, class text not null, sharing text not null, open boolean not null,
    format text not null, cycle text not null, published_at timestamptz not null, name_zh text not null, name_en text not null,
    tsv tsvector not null);
  create index on bench_bare.entries using gin (tsv);`;
const BARE_LOAD = `
  insert into bench_bare.entries
  select entry_id, code, provider_org_id, class, sharing, open, format_class, update_cycle, published_at, name_zh, name_en,
         setweight(to_tsvector('simple', name_terms), 'A') || setweight(to_tsvector('simple', item_terms), 'B') || to_tsvector('simple', abstract_terms)
    from catalog.search_docs`;

type Loaded = { entries: number; insertMs: number; indexMs: number; indexCpuMs: number; bareMs: number; providers: Provider[] };

/** Seeds the demo world, inserts the entries as published, indexes them, and loads the bare table. */
async function load(env: Record<string, string>, n: number): Promise<Loaded> {
  const services = await openServices(configOf(env));
  try {
    await seedDemo(services, DEMO_PASSWORD);
    const providers = (await services.directory.service.listOrganizations()).filter((o) => o.type === 'organ').map((o) => ({ id: o.id, nameZh: o.nameZh, nameEn: o.nameEn }));
    const db: Db = services.database.db;
    let t0 = performance.now();
    let batch: Row[] = [];
    const flush = async () => {
      if (batch.length > 0) await db.insertInto('catalog.entries').values(batch).execute();
      batch = [];
    };
    const taken = new Map((await db.selectFrom('catalog.sequences').select(['classification', 'last']).execute()).map((r) => [r.classification as string, Number(r.last)]));
    for (const row of generateEntries(n, providers, taken)) {
      batch.push(row);
      if (batch.length === 500) await flush();
    }
    await flush();
    // The codes' sequences as creating the entries one by one would have left them, for the drafts created later.
    await sql`insert into catalog.sequences (classification, last)
              select split_part(code, '/', 1), max(split_part(code, '/', 2)::int) from catalog.entries group by 1
              on conflict (classification) do update set last = greatest(catalog.sequences.last, excluded.last)`.execute(db);
    const insertMs = performance.now() - t0;
    log(`inserted ${n.toLocaleString('en')} published entries in ${(insertMs / 1000).toFixed(1)} s`);

    // The index path: what publishing runs in its transaction, 1,000 entries per transaction.
    const ids = (await db.selectFrom('catalog.entries').select('id').where('source_registry', 'is', null).orderBy('code').execute()).map((r) => r.id as string);
    const cpu0 = process.cpuUsage();
    t0 = performance.now();
    let indexed = 0;
    for (let i = 0; i < ids.length; i += 1000) {
      const rows = await db.selectFrom('catalog.entries').selectAll().where('id', 'in', ids.slice(i, i + 1000)).execute();
      indexed += await db.transaction().execute((trx) => services.catalog.search.indexEntries(trx, rows as never));
    }
    const indexMs = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    log(`indexed ${indexed.toLocaleString('en')} entries in ${(indexMs / 1000).toFixed(1)} s (${perSecond(indexed, indexMs)} entries/s)`);

    t0 = performance.now();
    for (const statement of BARE_TABLE.split(';').filter((x) => x.trim())) await sql.raw(statement).execute(db);
    await sql.raw(BARE_LOAD).execute(db);
    const bareMs = performance.now() - t0;
    log(`bare tsvector table with GIN index loaded in ${(bareMs / 1000).toFixed(1)} s`);
    await sql.raw('analyze').execute(db);
    return { entries: indexed, insertMs, indexMs, indexCpuMs: (cpu.user + cpu.system) / 1000, bareMs, providers };
  } finally {
    await closeServices(services);
  }
}

// ---- the query mix ------------------------------------------------------------------------

export function queryMix(providers: Provider[]): string[] {
  const p = (i: number) => providers[i % providers.length].id;
  const mix: Record<string, string | string[]>[] = [
    { q: '低保' }, { q: '低保', sharing: 'conditional' }, { q: '医疗保险', class: '3' }, { q: '企业 登记信息' }, { q: '不动产', cycle: 'monthly' },
    { q: '学校 名录' }, { q: '城乡低保对象名册' }, { q: '养老机构', open: 'true' }, { q: '危险化学品 台账' }, { q: '身份证号', sharing: 'unconditional' },
    { q: '统一社会信用代码', format: 'database' }, { q: '环境监测', provider: p(3) }, { q: '慈善', page: '2' }, { q: '公安厅 驾驶人' },
    { q: 'allowance' }, { q: 'minimum living allowance', sharing: 'conditional' }, { q: 'enterprise registration' }, { q: 'school', open: 'true' },
    { q: 'medical insurance', class: '3', cycle: 'monthly' }, { q: 'real estate register' }, { q: 'vaccination', sort: 'name' }, { q: 'tax', format: 'api' },
    { q: 'alowance' }, { q: 'regstration records' }, { q: 'vacination', sharing: 'unconditional' }, { q: 'permit', sort: 'published' },
    {}, { sharing: 'none' }, { provider: p(1), sort: 'published' }, { class: '2', open: 'true', sort: 'name' },
  ];
  return mix.map((params) => {
    const search = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) for (const value of [v].flat()) search.append(k, value);
    return search.toString();
  });
}

type Load = { rps: number; p50: number; p95: number; p99: number; requests: number; serverCpuMs: number; databaseCpuMs: number | undefined };
/** The database the server under load uses on PostgreSQL, seen from another connection. */
type Watch = { admin: pg.Client; database: string };

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

type Request = { method: 'GET' | 'POST'; path: string; body?: string };

/**
 * A 3 s warm-up, then the measured load: `connections` clients sending `next()`'s requests.
 * Around the measured part, the server's CPU and (PostgreSQL) its backends' CPU per request:
 * on a shared machine these say what a request costs when the wall times do not.
 */
async function measure(baseUrl: string, next: () => Request, headers: Record<string, string>, connections: number, seconds: number, pid: number, watch?: Watch, amount?: number): Promise<Load> {
  // `amount`: that many requests instead of `seconds` (and one per client to warm up), so slow answers are measured too.
  const options = (duration: number) => ({
    url: baseUrl,
    connections,
    ...(amount === undefined ? { duration } : { amount: duration === 3 ? connections : amount }),
    headers,
    timeout: 300, // seconds: a slow answer is a figure, not an error
    requests: [{ method: 'GET' as const, setupRequest: (request: autocannon.Request) => ({ ...request, ...next() }) }],
  });
  await autocannon(options(3));
  const backends = watch && backendCpu(watch.admin, watch.database);
  await backends?.start();
  const cpu0 = processCpuMs(pid);
  const times: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(options(seconds), (err, done) => (err ? reject(err) : resolve(done)));
    instance.on('response', (_client, _status, _bytes, responseTime) => times.push(responseTime));
  });
  const serverCpu = processCpuMs(pid) - cpu0;
  const databaseCpu = await backends?.stop();
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${baseUrl}: ${result.non2xx} non-2xx and ${result.errors} errors`);
  times.sort((a, b) => a - b);
  const at = (p: number) => Math.round(percentile(times, p) * 10) / 10;
  const n = times.length;
  return { rps: result.requests.average, p50: at(50), p95: at(95), p99: at(99), requests: n, serverCpuMs: serverCpu / n, databaseCpuMs: databaseCpu === undefined ? undefined : databaseCpu / n };
}

/** CONNECTIONS (or `connections`) clients going round the query mix. */
function searchLoad(baseUrl: string, pathOf: (query: string) => string, queries: string[], headers: Record<string, string>, seconds: number, pid: number, watch?: Watch, connections = CONNECTIONS): Promise<Load> {
  let next = 0;
  return measure(baseUrl, () => ({ method: 'GET', path: pathOf(queries[next++ % queries.length]) }), headers, connections, seconds, pid, watch);
}

const rssMb = (pid: number) => {
  const line = fs.readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
  return Math.round(Number(line?.split(/\s+/)[1] ?? 0) / 1024);
};

async function egovSearch(env: Record<string, string>, queries: string[], seconds: number, watch?: Watch) {
  const server: RunningServer = await startServer({ ...env, LOG_LEVEL: 'warn' }, 180_000, { discardOutput: true });
  try {
    const { cookie } = await signIn(server.baseUrl, 'data.officer');
    const rssBefore = rssMb(server.child.pid!);
    let t0 = performance.now();
    const first = await fetch(`${server.baseUrl}/api/catalog/search?q=%E4%BD%8E%E4%BF%9D`, { headers: { cookie } });
    const firstMs = performance.now() - t0;
    const rssLoaded = rssMb(server.child.pid!);
    const body = (await first.json()) as { total: number };
    if (first.status !== 200 || body.total === 0) throw new Error(`egov search did not answer as expected: ${first.status} ${JSON.stringify(body).slice(0, 300)}`);
    t0 = performance.now();
    await fetch(`${server.baseUrl}/api/catalog/search?sort=name`, { headers: { cookie } }); // builds the sort orders
    const ordersMs = performance.now() - t0;
    const load = await searchLoad(server.baseUrl, (q) => `/api/catalog/search?${q}`, queries, { cookie }, seconds, server.child.pid!, watch);
    const rss = rssMb(server.child.pid!);
    log(`egov search: p95 ${load.p95} ms; the similar-entries check…`);
    const similar = await similarFigures(server, queries, seconds, watch);
    return { ...load, firstMs, ordersMs, rssBefore, rssLoaded, rss, similar };
  } finally {
    await stopServer(server);
  }
}

const SIMILAR_CLIENTS = 4;
/** --similar-requests, --creates: how many previews are measured, and creates of each kind. */
let similarRequests = 1000;
let creates = 30;
const median = (xs: number[]) => percentile([...xs].sort((a, b) => a - b), 50);

/**
 * The check against duplicate construction, on the server that just served the searches:
 * the preview endpoint under SIMILAR_CLIENTS clients next to searches at that concurrency,
 * then creates one at a time (near-duplicates, confirmed; drafts like nothing) next to
 * revisions of a draft, which run no check.
 */
async function similarFigures(server: RunningServer, queries: string[], seconds: number, watch?: Watch) {
  const { cookie, csrf } = await signIn(server.baseUrl, 'data.officer');
  const headers = { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' };
  const pid = server.child.pid!;
  const drafts = similarDrafts(60);
  const post = async (path: string, body: unknown, method = 'POST') => {
    const t0 = performance.now();
    const res = await fetch(`${server.baseUrl}${path}`, { method, headers, body: JSON.stringify(body) });
    const ms = performance.now() - t0;
    const json = (await res.json()) as Record<string, unknown>;
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json).slice(0, 300)}`);
    return { ms, json };
  };
  // The first check after a start may load what it needs (as the first search does).
  const first = await post('/api/catalog/entries/similar', drafts[0]);
  const shown = (first.json.items as unknown[]).length;
  const search = await searchLoad(server.baseUrl, (q) => `/api/catalog/search?${q}`, queries, { cookie }, seconds, pid, watch, SIMILAR_CLIENTS);
  let next = 0;
  const preview = await measure(server.baseUrl, () => ({ method: 'POST', path: '/api/catalog/entries/similar', body: JSON.stringify(drafts[next++ % drafts.length]) }), headers, SIMILAR_CLIENTS, seconds, pid, watch, similarRequests);
  log(`similar preview: p50 ${preview.p50} ms, p95 ${preview.p95} ms; search at ${SIMILAR_CLIENTS} clients: p95 ${search.p95} ms`);

  const nearMs: number[] = [];
  const unrelatedMs: number[] = [];
  const reviseMs: number[] = [];
  const base = await post('/api/catalog/entries', { metadata: draftMetadata(unrelatedDraft(0), 0) });
  let version = base.json.version as number;
  for (let i = 1; i <= creates; i++) {
    const draft = drafts[(i * 7) % drafts.length];
    const seen = ((await post('/api/catalog/entries/similar', draft)).json.items as { id: string }[]).map((s) => s.id);
    nearMs.push((await post('/api/catalog/entries', { metadata: draftMetadata(draft, i), similarSeen: seen, similarAcknowledged: true })).ms);
    unrelatedMs.push((await post('/api/catalog/entries', { metadata: draftMetadata(unrelatedDraft(i), i) })).ms);
    const revised = await post(`/api/catalog/entries/${base.json.id as string}`, { version, metadata: draftMetadata(unrelatedDraft(1000 + i), i) }, 'PUT');
    version = revised.json.version as number;
    reviseMs.push(revised.ms);
  }
  const created = { near: median(nearMs), unrelated: median(unrelatedMs), revise: median(reviseMs), nearMax: Math.max(...nearMs) };
  log(`creates: near-duplicate p50 ${created.near.toFixed(1)} ms, unrelated ${created.unrelated.toFixed(1)} ms, revision ${created.revise.toFixed(1)} ms`);
  return { firstMs: first.ms, shown, search, preview, creates: created };
}

async function bareSearch(kind: 'postgres' | 'pglite', target: string, queries: string[], seconds: number, watch?: Watch): Promise<Load> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [import.meta.filename, 'bare', String(port), kind, target], { stdio: ['pipe', 'ignore', 'inherit'] });
  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    await waitForHealth(baseUrl, child, 120_000);
    const sample = await fetch(`${baseUrl}/search?q=%E4%BD%8E%E4%BF%9D`);
    if (sample.status !== 200 || ((await sample.json()) as { total: number }).total === 0) throw new Error('the bare search did not answer as expected');
    return await searchLoad(baseUrl, (q) => `/search?${q}`, queries, {}, seconds, child.pid!, watch);
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
}

// ---- the baseline server ----------------------------------------------------------------

async function bareServer(port: number, kind: string, target: string) {
  let run: (statement: string, params: unknown[]) => Promise<Record<string, unknown>[]>;
  let close: () => Promise<void>;
  if (kind === 'postgres') {
    const pool = new pg.Pool({ connectionString: target, max: 10 }); // egov's pool size
    pool.on('error', () => {});
    run = async (statement, params) => (await pool.query(statement, params)).rows;
    close = () => pool.end();
  } else {
    const database = await openConfiguredDatabase(loadConfig({ NODE_ENV: 'development', EGOV_DATA_DIR: target, LOG_LEVEL: 'warn' }));
    run = async (statement, params) => (await database.db.executeQuery(CompiledQuery.raw(statement, params))).rows as Record<string, unknown>[];
    close = () => database.close();
  }
  const FILTERS = [['provider', 'uuid'], ['class', 'text'], ['sharing', 'text'], ['open', 'boolean'], ['format', 'text'], ['cycle', 'text']] as const;
  const app = Fastify({ logger: false });
  app.get('/api/health', async () => ({ status: 'ok' }));
  app.get<{ Querystring: Record<string, string | string[]> }>('/search', async (request) => {
    const query = request.query;
    const params: unknown[] = [];
    const where: string[] = [];
    // The same terms egov looks up (its analyzer's units), all required.
    const text = parseQuery(String(query.q ?? ''))
      .flatMap((u) => (u.kind === 'word' ? [u.term] : u.grams))
      .join(' & ');
    if (text) {
      params.push(text);
      where.push(`tsv @@ to_tsquery('simple', $1)`);
    }
    for (const [column, type] of FILTERS) {
      if (query[column] === undefined) continue;
      params.push([query[column]].flat());
      where.push(`${column} = any($${params.length}::${type}[])`);
    }
    const offset = (Number(query.page ?? 1) - 1) * 20;
    const order = text ? `ts_rank(tsv, to_tsquery('simple', $1)) desc, code` : query.sort === 'name' ? 'name_zh, code' : 'published_at desc, code';
    const rows = await run(
      `select id, code, name_zh, name_en, provider, count(*) over () as total from bench_bare.entries
        ${where.length > 0 ? `where ${where.join(' and ')}` : ''} order by ${order} limit 20 offset ${offset}`,
      params,
    );
    return { total: Number(rows[0]?.total ?? 0), items: rows };
  });
  const stop = () => void app.close().then(close).finally(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.stdin.on('end', stop);
  process.stdin.resume();
  setTimeout(stop, 30 * 60_000).unref();
  await app.listen({ port, host: '127.0.0.1' });
}

// ---- the run -------------------------------------------------------------------------------

/** --keep: leave the databases for a look afterwards (development). */
let keep = false;
/** --no-bare: skip the bare full-text baseline. */
let withBare = true;

type Figures = { database: string; loaded: Loaded; egov: Awaited<ReturnType<typeof egovSearch>>; bare: Load | undefined };

async function benchOne(kind: 'postgres' | 'pglite', n: number, seconds: number, home: string): Promise<Figures> {
  let env: Record<string, string>;
  let target: string;
  let drop = async () => {};
  if (kind === 'postgres') {
    const fresh = await createFreshPostgresDatabase(BASE_URL);
    drop = fresh.drop;
    env = { DATABASE_URL: fresh.url, EGOV_DATA_DIR: path.join(home, 'pg-egov') };
    target = fresh.url;
  } else {
    target = path.join(home, 'pglite-egov');
    env = { EGOV_DATA_DIR: target };
  }
  try {
    if (keep) log(`keeping the database: ${JSON.stringify(env)}`);
    log(`${kind}: ${n.toLocaleString('en')} entries`);
    const loaded = await load(env, n);
    const queries = queryMix(loaded.providers);
    let admin: pg.Client | undefined;
    if (kind === 'postgres') {
      admin = new pg.Client({ connectionString: BASE_URL });
      await admin.connect();
    }
    const watch = admin && { admin, database: new URL(target).pathname.slice(1) };
    log('searches through egov…');
    const egov = await egovSearch(env, queries, seconds, watch);
    log(`egov: ${Math.round(egov.rps)} req/s, p95 ${egov.p95} ms (first search ${Math.round(egov.firstMs)} ms)`);
    let bare: Load | undefined;
    if (withBare) {
      log('searches through the bare full-text route…');
      bare = await bareSearch(kind, target, queries, seconds, watch);
      log(`bare: ${Math.round(bare.rps)} req/s, p95 ${bare.p95} ms`);
    }
    await admin?.end();
    return { database: kind === 'postgres' ? 'PostgreSQL' : 'PGlite', loaded, egov, bare };
  } finally {
    if (!keep) await drop().catch(() => {});
  }
}

function report(f: Figures) {
  const l = f.loaded;
  const ms = (x: number) => `${Math.round(x)} ms`;
  const ratio = (a: number, b: number | undefined) => (b === undefined ? 'n/a' : (a / b).toFixed(2));
  console.log('');
  console.log(`${f.database}, ${l.entries.toLocaleString('en')} entries, ${CONNECTIONS} clients, ${f.egov.requests.toLocaleString('en')} egov searches measured`);
  console.log('| figure | egov | baseline | ratio | goal |');
  console.log('| --- | --- | --- | --- | --- |');
  console.log(`| indexing | ${perSecond(l.entries, l.indexMs)} entries/s (${(l.indexMs / 1000).toFixed(1)} s; Node CPU ${(l.indexCpuMs / 1000).toFixed(1)} s) | bare tsvector + GIN load of the same terms: ${perSecond(l.entries, l.bareMs)} entries/s | ${(l.bareMs / l.indexMs).toFixed(2)} | |`);
  const b = f.bare;
  console.log(`| search | ${Math.round(f.egov.rps).toLocaleString('en')} req/s, p50 ${f.egov.p50} ms, p95 ${f.egov.p95} ms, p99 ${f.egov.p99} ms | ${b ? `${Math.round(b.rps).toLocaleString('en')} req/s, p50 ${b.p50} ms, p95 ${b.p95} ms, p99 ${b.p99} ms` : 'skipped (--no-bare)'} | ${ratio(f.egov.rps, b?.rps)} | p95 ≤ 50 ms: ${f.egov.p95 <= 50 ? 'met' : 'MISSED'} |`);
  const s = f.egov.similar;
  console.log(`| similar preview, ${SIMILAR_CLIENTS} clients | ${Math.round(s.preview.rps)} req/s, p50 ${s.preview.p50} ms, p95 ${s.preview.p95} ms, p99 ${s.preview.p99} ms | search at ${SIMILAR_CLIENTS} clients: ${Math.round(s.search.rps)} req/s, p50 ${s.search.p50} ms, p95 ${s.search.p95} ms | p95 ${ratio(s.preview.p95, s.search.p95)} × search | |`);
  console.log(`| create (one at a time, p50 of ${creates}) | near-duplicate ${s.creates.near.toFixed(1)} ms (max ${Math.round(s.creates.nearMax)}), like nothing ${s.creates.unrelated.toFixed(1)} ms | revision of a draft (no check) ${s.creates.revise.toFixed(1)} ms | added ${(s.creates.near - s.creates.revise).toFixed(1)} ms | |`);
  console.log(`first search after start (loads the index into memory): ${ms(f.egov.firstMs)}; first name-sorted search: ${ms(f.egov.ordersMs)}; first similar check: ${ms(s.firstMs)} (${s.shown} shown); egov RSS ${f.egov.rssBefore} MB before the first search, ${f.egov.rssLoaded} MB after it, ${f.egov.rss} MB after the search load; entries inserted in ${(l.insertMs / 1000).toFixed(1)} s`);
  const cpu = (l: Load) => `${l.serverCpuMs.toFixed(2)} ms server${l.databaseCpuMs === undefined ? ' (database included)' : ` + ${l.databaseCpuMs.toFixed(2)} ms database`}`;
  console.log(`CPU per request: egov search ${cpu(f.egov)}; similar preview ${cpu(s.preview)}${b ? `; bare ${cpu(b)}` : ''}`);
  console.log(`similar ratio (preview p95 / search p95 at ${SIMILAR_CLIENTS} clients): ${ratio(s.preview.p95, s.search.p95)}`);
  console.log(`search ratio (egov / bare full-text req/s): ${ratio(f.egov.rps, b?.rps)}; egov p95 ${f.egov.p95} ms (goal ≤ 50 ms: ${f.egov.p95 <= 50 ? 'met' : 'MISSED'})`);
}

async function main() {
  const { values } = parseArgs({ options: { entries: { type: 'string' }, 'pglite-entries': { type: 'string' }, only: { type: 'string' }, seconds: { type: 'string' }, keep: { type: 'boolean', default: false }, 'no-bare': { type: 'boolean', default: false }, 'similar-requests': { type: 'string' }, creates: { type: 'string' } } });
  similarRequests = Number(values['similar-requests'] ?? similarRequests);
  creates = Number(values.creates ?? creates);
  keep = values.keep;
  withBare = !values['no-bare'];
  const seconds = Number(values.seconds ?? 15);
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'egov-bench-catalog-'));
  console.log(`egov catalog search benchmark: ${os.cpus().length} × ${os.cpus()[0].model}, ${Math.round(os.totalmem() / 1024 ** 3)} GB, Node ${process.version}, ${new Date().toISOString()}`);
  try {
    const results: Figures[] = [];
    if (values.only !== 'pglite') results.push(await benchOne('postgres', Number(values.entries ?? 100_000), seconds, home));
    const pgliteEntries = Number(values['pglite-entries'] ?? 20_000);
    if (values.only !== 'postgres' && pgliteEntries > 0) results.push(await benchOne('pglite', pgliteEntries, seconds, home));
    for (const figures of results) report(figures);
  } finally {
    if (!keep) fs.rmSync(home, { recursive: true, force: true });
  }
}

if (process.argv[2] === 'bare') await bareServer(Number(process.argv[3]), process.argv[4], process.argv[5]);
else if (import.meta.main) await main();
