// Record imports and exports through HTTP: each format round-trips, bad files are refused
// naming row and field with nothing written, references within one file resolve in either
// direction, resumable imports skip and report bad rows, existing records are refused or get
// new versions, progress can be polled, and only the owner organization's staff get in.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { localOperator } from '../../../platform/actor.ts';
import { createTestApp, type TestApp, type TestUser } from '../../../test-support/test-app.ts';
import { LEGAL_ENTITIES, POPULATION, type RegistryDefinition } from '../index.ts';
import type { ImportFormat } from './read.ts';
import { buildPopulation, CONTENT_TYPE, counts, encodeGb18030, entitiesFile, personsFile, snapshot, tempDir } from './test-files.ts';

let t: TestApp;
let officer: TestUser;
const dir = tempDir();
const sample = buildPopulation({ persons: 1200, entities: 120 });
const FORMATS: ImportFormat[] = ['csv', 'jsonl', 'xlsx'];

/** A registry with the population's fields under another name: a fresh registry to import into. */
const copyOf = (definition: RegistryDefinition, name: string): RegistryDefinition => ({ ...definition, name, titleZh: `${definition.titleZh}（${name}）`, titleEn: `${definition.titleEn} (${name})` });

before(async () => {
  t = await createTestApp();
  officer = t.world.officerA;
  const op = localOperator('test');
  await t.services.registries.catalog.install(op, POPULATION, t.world.deptA.id);
  await t.services.registries.catalog.install(op, LEGAL_ENTITIES, t.world.deptA.id);
  for (const format of FORMATS) {
    await t.services.registries.catalog.install(op, copyOf(POPULATION, `population-${format}`), t.world.deptA.id);
    await t.services.registries.catalog.install(op, copyOf(LEGAL_ENTITIES, `entities-${format}`), t.world.deptA.id);
  }
});
after(async () => {
  await t.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const db = () => t.services.database.db;

async function importFile(registry: string, file: string | Buffer, format: ImportFormat, query: Record<string, string> = {}, as: TestUser | undefined = officer) {
  const params = new URLSearchParams({ reason: '户籍数据迁移', ...query });
  t.clock.advance(1000); // imports are listed newest first
  const body = typeof file === 'string' ? fs.readFileSync(file) : file;
  return t.request('POST', `/api/registries/${registry}/imports?${params}`, { as, body, headers: { 'content-type': CONTENT_TYPE[format] } });
}

async function exportAs(registry: string, format: ImportFormat, query = '') {
  const res = await t.http.inject({ method: 'GET', url: `/api/registries/${registry}/export?format=${format}${query}`, headers: await headersOf(officer) });
  return res;
}

async function headersOf(user: TestUser): Promise<Record<string, string>> {
  const session = await t.signIn(user);
  return { cookie: session.cookie, 'x-csrf-token': session.csrfToken };
}

test('the population and its entities go in atomically from each format, and each export imports into a fresh registry as the same records', async () => {
  const persons = await personsFile(dir, 'persons', 'csv', sample.persons);
  const res = await importFile('population', persons, 'csv', { fileName: 'persons.csv' });
  assert.equal(res.statusCode, 200, res.body);
  assert.equal(res.json.status, 'done');
  assert.equal(res.json.totalRows, 1200);
  assert.equal(res.json.committedRows, 1200);
  assert.equal(res.json.createdRows, 1200);
  assert.equal(res.json.errorCount, 0);
  assert.deepEqual(await counts(db(), 'population'), { records: 1200, versions: 1200 });
  const entities = await entitiesFile(dir, 'entities', 'jsonl', sample.entities);
  const ent = await importFile('legal-entities', entities, 'jsonl');
  assert.equal(ent.statusCode, 200, ent.body);
  assert.equal(ent.json.committedRows, 120);

  const version = await sql<{ operation: string; source: string; reason: string; import_id: string; actor_name: string }>`select operation, source, reason, import_id, actor_name from registries.record_versions where registry = 'population' limit 1`.execute(db());
  assert.deepEqual(version.rows[0], { operation: 'import', source: 'import:persons.csv', reason: '户籍数据迁移', import_id: res.json.id, actor_name: officer.username });
  const audits = await sql<{ n: number }>`select count(*)::int as n from audit.events where action = 'registries.records.import' and subject_id = 'population'`.execute(db());
  assert.equal(audits.rows[0].n, 1, 'one audit event for the whole import');

  const original = await snapshot(db(), 'population');
  const originalEntities = await snapshot(db(), 'legal-entities');
  for (const format of FORMATS) {
    const exported = await exportAs('population', format);
    assert.equal(exported.statusCode, 200, exported.body);
    assert.equal(exported.headers['x-record-count'], '1200');
    assert.match(String(exported.headers['content-disposition']), new RegExp(`population\\.${format}`));
    const again = await importFile(`population-${format}`, exported.rawPayload, format);
    assert.equal(again.statusCode, 200, again.body);
    assert.equal(again.json.committedRows, 1200, format);
    assert.deepEqual(await snapshot(db(), `population-${format}`), original, `${format}: the same records`);
    const exportedEntities = await exportAs('legal-entities', format);
    const entitiesAgain = await importFile(`entities-${format}`, exportedEntities.rawPayload, format);
    assert.equal(entitiesAgain.statusCode, 200, entitiesAgain.body);
    assert.deepEqual(await snapshot(db(), `entities-${format}`), originalEntities, `${format}: the same entities`);
  }
  const exportsAudited = await sql<{ detail: { format: string; count: number } }>`select detail from audit.events where action = 'registries.records.export' and subject_id = 'population' order by seq`.execute(db());
  assert.deepEqual(
    exportsAudited.rows.map((r) => [r.detail.format, r.detail.count]),
    FORMATS.map((f) => [f, 1200]),
    'one audit event per export, naming format and count',
  );
});

/** A person of the sample with some fields changed, as a CSV file of the population's columns. */
function csvOf(rows: Record<string, string | undefined>[], columns = POPULATION.fields.map((f) => f.name)): string {
  const cell = (v: string | undefined) => (v === undefined ? '' : /[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
  return [columns.join(','), ...rows.map((r) => columns.map((c) => cell(r[c])).join(','))].join('\r\n') + '\r\n';
}

/** Living adults of the sample without family links, so each stands alone in a file. */
const loners = sample.persons.filter((p) => !p.fatherId && !p.motherId && !p.spouseId && p.status === 'living').slice(0, 40);

/** The same ID number with its check character made wrong. */
function wrongChecksum(id: string): string {
  const last = id.at(-1)!;
  return id.slice(0, 17) + (last === '0' ? '1' : '0');
}

test('bad files are refused with 400 naming row and field, and nothing is written', async () => {
  const fresh = buildPopulation({ persons: 60, seed: 99 }).persons.filter((p) => !p.fatherId && !p.motherId && !p.spouseId && p.status === 'living');
  assert.ok(fresh.length >= 8);
  const before = await counts(db(), 'population');
  const importsBefore = (await sql<{ n: number }>`select count(*)::int as n from registries.imports where registry = 'population' and status = 'done'`.execute(db())).rows[0].n;
  const cases: { name: string; body: Buffer; format?: ImportFormat; field: string | RegExp; code: string }[] = [
    { name: 'a wrong check character', body: Buffer.from(csvOf([fresh[0], { ...fresh[1], idNumber: wrongChecksum(fresh[1].idNumber) }])), field: 'row 3: idNumber', code: 'id_number_check_character' },
    { name: 'a birth date the ID number contradicts', body: Buffer.from(csvOf([fresh[2], { ...fresh[3], birthDate: '1950-01-01' }, fresh[4]])), field: 'row 3: birthDate', code: 'disagrees_with_id_number' },
    { name: 'an unknown division', body: Buffer.from(csvOf([fresh[5], fresh[6], { ...fresh[7], currentDivision: '999999' }])), field: 'row 4: currentDivision', code: 'unknown_division' },
    { name: 'the same in JSON Lines', body: Buffer.from([fresh[0], { ...fresh[1], hukouDivision: '990199' }].map((p) => JSON.stringify(p)).join('\n')), format: 'jsonl', field: 'row 2: hukouDivision', code: 'unknown_division' },
    { name: 'a GBK-encoded CSV', body: encodeGb18030(csvOf([fresh[0], fresh[1]])), field: 'file', code: 'encoding_gb18030' },
    { name: 'an unknown column', body: Buffer.from(csvOf([fresh[0]], [...POPULATION.fields.map((f) => f.name), 'nickname'])), field: 'nickname', code: 'unknown_column' },
    { name: 'a missing required column', body: Buffer.from(csvOf([fresh[0]], POPULATION.fields.map((f) => f.name).filter((f) => f !== 'ethnicity'))), field: 'ethnicity', code: 'missing_column' },
    { name: 'a row of the wrong width', body: Buffer.from(csvOf([fresh[0]]) + '110101199003071234,张三\r\n'), field: 'row 3: columns', code: 'row_width' },
    { name: 'a key given twice', body: Buffer.from(csvOf([fresh[0], fresh[0]])), field: 'row 3: idNumber', code: 'duplicate_key' },
    { name: 'a father nobody knows', body: Buffer.from(csvOf([{ ...fresh[0], fatherId: buildPopulation({ persons: 5, seed: 98 }).persons[0].idNumber }])), field: 'row 2: fatherId', code: 'no_such_person' },
    { name: 'a record the registry has', body: Buffer.from(csvOf([fresh[0], loners[0]])), field: 'row 3: idNumber', code: 'record_exists' },
    { name: 'a NUL character', body: Buffer.from(csvOf([{ ...fresh[0], hukouAddress: 'a\u0000b' }])), field: 'row 2: hukouAddress', code: 'nul_character' },
    { name: 'a NUL character in JSON', body: Buffer.from(JSON.stringify({ ...fresh[0], currentAddress: 'a\u0000b' })), format: 'jsonl', field: 'row 1: currentAddress', code: 'nul_character' },
  ];
  for (const c of cases) {
    const res = await importFile('population', c.body, c.format ?? 'csv');
    assert.equal(res.statusCode, 400, `${c.name}: ${res.body}`);
    const error = res.json.errors.find((e: { code: string }) => e.code === c.code);
    assert.ok(error, `${c.name}: ${res.body}`);
    if (typeof c.field === 'string') assert.equal(error.field, c.field, c.name);
    assert.ok(res.json.detail.length > 20, c.name);
  }
  const zh = await t.request('POST', `/api/registries/population/imports?reason=x`, { as: officer, body: encodeGb18030(csvOf([fresh[0]])), headers: { 'content-type': 'text/csv', 'accept-language': 'zh-CN' } });
  assert.match(zh.json.detail, /GB18030/);
  assert.match(zh.json.detail, /UTF-8/);
  assert.deepEqual(await counts(db(), 'population'), before, 'nothing was written');
  const importsAfter = (await sql<{ n: number }>`select count(*)::int as n from registries.imports where registry = 'population' and status = 'done'`.execute(db())).rows[0].n;
  assert.equal(importsAfter, importsBefore);
  // A refused atomic import keeps its report for whoever looks later.
  const refused = await importFile('population', Buffer.from(csvOf([{ ...fresh[0], ethnicity: '77' }])), 'csv');
  const kept = await t.request('GET', `/api/registries/population/imports?limit=1`, { as: officer });
  assert.equal(kept.json[0].status, 'failed');
  assert.equal(kept.json[0].committedRows, 0);
  assert.deepEqual(kept.json[0].report.map((e: { row: number; field: string; code: string }) => [e.row, e.field, e.code]), [[2, 'ethnicity', 'not_in_code_list']]);
  assert.match(refused.json.detail, new RegExp(kept.json[0].id));
  // A dry run checks and writes nothing, not even an import.
  const dry = await importFile('population', Buffer.from(csvOf([fresh[0], { ...fresh[1], sex: fresh[1].sex === '1' ? '2' : '1' }])), 'csv', { dryRun: 'true' });
  assert.equal(dry.statusCode, 200, dry.body);
  assert.deepEqual([dry.json.dryRun, dry.json.totalRows, dry.json.validRows, dry.json.errorCount, dry.json.report[0].field], [true, 2, 1, 1, 'sex']);
  assert.deepEqual(await counts(db(), 'population'), before);
});

test('family links resolve within the file, whichever comes first; a link to a refused row is refused too', async () => {
  const family = buildPopulation({ persons: 300, seed: 5 }).persons;
  const linked = family.filter((p) => p.fatherId || p.motherId || p.spouseId);
  assert.ok(linked.length > 50);
  // Children before their parents: every reference points to a later row.
  const reversed = [...family].reverse();
  const res = await importFile('population', await personsFile(dir, 'family', 'jsonl', reversed), 'jsonl');
  assert.equal(res.statusCode, 200, res.body);
  assert.equal(res.json.committedRows, 300);
  const child = linked.find((p) => p.fatherId)!;
  const stored = await t.request('GET', `/api/registries/population/records/${child.idNumber}`, { as: officer });
  assert.equal(stored.json.data.fatherId, child.fatherId);

  // Resumable: a parent refused for its own problem takes down the rows naming them (and only those).
  const next = buildPopulation({ persons: 200, seed: 6 }).persons;
  const parent = next.find((p) => next.some((c) => c.fatherId === p.idNumber))!;
  const children = next.filter((c) => c.fatherId === parent.idNumber || c.spouseId === parent.idNumber);
  const broken = next.map((p) => (p === parent ? { ...p, ethnicity: '77' } : p));
  const partial = await importFile('population', await personsFile(dir, 'broken', 'csv', broken), 'csv', { mode: 'resumable' });
  assert.equal(partial.statusCode, 200, partial.body);
  assert.equal(partial.json.status, 'done');
  const parentRow = broken.indexOf(broken.find((p) => p.idNumber === parent.idNumber)!) + 2;
  assert.ok(partial.json.report.some((e: { row: number; code: string }) => e.row === parentRow && e.code === 'not_in_code_list'));
  const dependents = partial.json.report.filter((e: { code: string }) => e.code === 'no_such_person' || e.code === 'refers_to_refused_row');
  assert.ok(dependents.length >= children.length, JSON.stringify(partial.json.report));
  assert.equal(partial.json.committedRows, 200 - 1 - dependents.length);
  assert.equal(partial.json.errorCount, partial.json.report.length);
  const left = await sql<{ n: number }>`select count(*)::int as n from registries.records where registry = 'population' and (data->>'fatherId' = ${parent.idNumber} or data->>'motherId' = ${parent.idNumber} or data->>'spouseId' = ${parent.idNumber} or key = ${parent.idNumber})`.execute(db());
  assert.equal(left.rows[0].n, 0, 'no record names the refused parent');
});

test('existing records: refused by default; with existing=update, changed ones get a new version and the same ones are left alone', async () => {
  const some = loners.slice(0, 10);
  const file = Buffer.from(csvOf(some.map((p, i) => (i < 3 ? { ...p, currentAddress: `${p.currentAddress}（已迁）` } : p))));
  const refused = await importFile('population', file, 'csv');
  assert.equal(refused.statusCode, 400);
  assert.equal(refused.json.errors.filter((e: { code: string }) => e.code === 'record_exists').length, 10);
  const updated = await importFile('population', file, 'csv', { existing: 'update', fileName: 'moves.csv' });
  assert.equal(updated.statusCode, 200, updated.body);
  assert.deepEqual([updated.json.createdRows, updated.json.updatedRows, updated.json.unchangedRows, updated.json.committedRows], [0, 3, 7, 10]);
  const history = await t.request('GET', `/api/registries/population/records/${some[0].idNumber}/history`, { as: officer });
  assert.deepEqual(history.json.map((v: { version: number; operation: string; source: string }) => [v.version, v.operation, v.source]), [[2, 'import', 'import:moves.csv'], [1, 'import', 'import:persons.csv']]);
  assert.match(history.json[0].data.currentAddress, /已迁/);
  const unchanged = await t.request('GET', `/api/registries/population/records/${some[5].idNumber}/history`, { as: officer });
  assert.equal(unchanged.json.length, 1);
});

test('a resumable import skips and reports bad rows, commits the rest, and can be followed while it runs', async () => {
  const persons = buildPopulation({ persons: 400, seed: 11 }).persons;
  // One bad row in each hundred, of persons no one else names (else their relatives go too).
  const named = new Set(persons.flatMap((p) => [p.fatherId, p.motherId, p.spouseId]));
  const bad = [7, 107, 207, 307].map((i) => persons.findIndex((p, j) => j >= i && !named.has(p.idNumber) && !p.fatherId && !p.motherId && !p.spouseId));
  const batch = persons.map((p, i) => (bad.includes(i) ? { ...p, currentDivision: '999999' } : p));
  const file = await personsFile(dir, 'batch', 'xlsx', batch);
  const res = await importFile('population', file, 'xlsx', { mode: 'resumable', background: 'true', fileName: 'batch.xlsx' });
  assert.equal(res.statusCode, 202, res.body);
  assert.equal(res.json.status, 'running');
  let view = res.json;
  const seen = new Set<string>();
  for (let i = 0; i < 400 && view.status === 'running'; i++) {
    await new Promise((resolve) => setTimeout(resolve, 25));
    const polled = await t.request('GET', `/api/registries/population/imports/${res.json.id}`, { as: officer });
    assert.equal(polled.statusCode, 200, polled.body);
    view = polled.json;
    seen.add(view.phase);
    assert.ok(view.progress >= 0 && view.progress <= 1);
  }
  assert.equal(view.status, 'done', JSON.stringify(view));
  assert.deepEqual([view.totalRows, view.processedRows, view.committedRows, view.errorCount, view.progress], [400, 400, 396, 4, 1]);
  assert.deepEqual(view.report.map((e: { row: number; field: string }) => [e.row, e.field]), bad.map((i) => [i + 2, 'currentDivision']));
  for (const key of ['id', 'registry', 'format', 'mode', 'status', 'fileName', 'totalRows', 'processedRows', 'committedRows', 'errorCount', 'report', 'createdAt', 'finishedAt']) assert.ok(key in view, key);
  const list = await t.request('GET', '/api/registries/population/imports', { as: officer });
  assert.equal(list.json[0].id, view.id);
});

test('resume takes only an interrupted import, and only with the same file; in the background it can be followed', async () => {
  const persons = buildPopulation({ persons: 40, seed: 77, divisions: ['330111'] }).persons;
  const file = Buffer.from(csvOf(persons));
  const done = await importFile('population', file, 'csv', { mode: 'resumable' });
  assert.equal(done.json.status, 'done', done.body);
  const resume = (body: Buffer, query = '') => t.request('POST', `/api/registries/population/imports/${done.json.id}/resume${query}`, { as: officer, body, headers: { 'content-type': 'text/csv' } });
  const again = await resume(file);
  assert.equal(again.statusCode, 409, again.body);
  assert.equal(again.json.code, 'import_finished');
  // As a crash leaves it: interrupted, its batches committed.
  await sql`update registries.imports set status = 'interrupted' where id = ${done.json.id}`.execute(db());
  const other = await resume(Buffer.from(csvOf(persons.slice(1))));
  assert.equal(other.statusCode, 400, other.body);
  assert.equal(other.json.errors[0].code, 'file_mismatch');
  const missing = await t.request('POST', `/api/registries/population/imports/${crypto.randomUUID()}/resume`, { as: officer, body: file, headers: { 'content-type': 'text/csv' } });
  assert.equal(missing.statusCode, 404);
  const before = await counts(db(), 'population');
  const resumed = await resume(file, '?background=true');
  assert.equal(resumed.statusCode, 202, resumed.body);
  let view = resumed.json;
  for (let i = 0; i < 400 && view.status === 'running'; i++) {
    await new Promise((resolve) => setTimeout(resolve, 25));
    view = (await t.request('GET', `/api/registries/population/imports/${done.json.id}`, { as: officer })).json;
  }
  assert.deepEqual([view.status, view.committedRows], ['done', 40]);
  assert.deepEqual(await counts(db(), 'population'), before, 'nothing written twice');
});

test('only the owner organization’s staff import, follow and export; others are refused before the body is read, and nothing is written', async () => {
  const body = Buffer.from(csvOf([buildPopulation({ persons: 3, seed: 123 }).persons[0]]));
  const before = await counts(db(), 'population');
  const any = (await t.request('GET', '/api/registries/population/imports?limit=1', { as: officer })).json[0].id;
  const calls: [string, string, Buffer | undefined][] = [
    ['POST', '/api/registries/population/imports?reason=x', body],
    ['POST', `/api/registries/population/imports/${any}/resume`, body],
    ['GET', '/api/registries/population/imports', undefined],
    ['GET', `/api/registries/population/imports/${any}`, undefined],
    ['GET', '/api/registries/population/export?format=csv', undefined],
  ];
  for (const [method, url, payload] of calls) {
    const anonymous = await t.request(method, url, { body: payload, headers: payload ? { 'content-type': 'text/csv' } : {} });
    assert.equal(anonymous.statusCode, 401, `${method} ${url}`);
    const other = await t.request(method, url, { as: t.world.adminB, body: payload, headers: payload ? { 'content-type': 'text/csv' } : {} });
    assert.equal(other.statusCode, 403, `${method} ${url}: ${other.body}`);
    // The platform administrator does not keep the population registry either.
    const platform = await t.request(method, url, { as: t.world.platformAdmin, body: payload, headers: payload ? { 'content-type': 'text/csv' } : {} });
    assert.equal(platform.statusCode, 403, `${method} ${url}`);
  }
  // Refused before the query is looked at: no reason, but 403 all the same.
  assert.equal((await t.request('POST', '/api/registries/population/imports', { as: t.world.adminB, body, headers: { 'content-type': 'text/csv' } })).statusCode, 403);
  assert.deepEqual(await counts(db(), 'population'), before);
  const noReason = await t.request('POST', '/api/registries/population/imports', { as: officer, body, headers: { 'content-type': 'text/csv' } });
  assert.equal(noReason.statusCode, 400);
  assert.equal(noReason.json.errors[0].field, 'reason');
  const badType = await t.request('POST', '/api/registries/population/imports?reason=x', { as: officer, body, headers: { 'content-type': 'application/pdf' } });
  assert.equal(badType.statusCode, 400);
  assert.equal(badType.json.errors[0].field, 'format');
  const notRecords = await t.request('GET', '/api/registries/population/export?where.nickname=x', { as: officer });
  assert.equal(notRecords.statusCode, 400);
  assert.equal(notRecords.json.errors[0].field, 'where.nickname');
  assert.deepEqual(await counts(db(), 'population'), before);
});

test('an export takes equality filters and is one audit event', async () => {
  const division = loners[0].hukouDivision;
  const readsBefore = await sql<{ n: number }>`select count(*)::int as n from registries.reads`.execute(db());
  const res = await exportAs('population', 'jsonl', `&where.hukouDivision=${division}&where.status=living`);
  assert.equal(res.statusCode, 200, res.body);
  const lines = res.body.trim().split('\n').map((l) => JSON.parse(l));
  assert.ok(lines.length > 0);
  assert.ok(lines.every((p: { hukouDivision: string; status: string }) => p.hukouDivision === division && p.status === 'living'));
  assert.equal(res.headers['x-record-count'], String(lines.length));
  const event = await sql<{ detail: { count: number; where: Record<string, string> } }>`select detail from audit.events where action = 'registries.records.export' order by seq desc limit 1`.execute(db());
  assert.deepEqual(event.rows[0].detail.where, { hukouDivision: division, status: 'living' });
  assert.equal(event.rows[0].detail.count, lines.length);
  const reads = await sql<{ n: number }>`select count(*)::int as n from registries.reads`.execute(db());
  assert.equal(reads.rows[0].n, readsBefore.rows[0].n, 'an export is audited once, not logged per record');
});
