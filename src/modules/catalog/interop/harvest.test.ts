// Harvesting through POST /api/catalog/harvest: who may, what a bad file or mapping gets
// (400 naming it, nothing written), a CKAN dump (a foreign portal's, with a mapping, dry run
// first) and DCAT files (this node's own export in Turtle and JSON-LD) imported as drafts of
// the harvesting department, with the report per dataset; harvested drafts go through review.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTestApp, type TestApp } from '../../../test-support/test-app.ts';
import { seedCatalog, type Seeded } from './test-fixtures.ts';

let t: TestApp;
let s: Seeded;
before(async () => {
  t = await createTestApp();
  s = await seedCatalog(t);
});
after(() => t.close());

const db = () => t.services.database.db;
const entryCount = async () => Number((await db().selectFrom('catalog.entries').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
const harvestAudits = async () => Number((await db().selectFrom('audit.events').select((eb) => eb.fn.countAll().as('n')).where('action', '=', 'catalog.harvest').executeTakeFirstOrThrow()).n);

/** A dump as a foreign CKAN portal answers package_search: extras as a list, no data items, one without notes, one without a title. */
function foreignDump() {
  const pkg = (name: string, overrides: Record<string, unknown> = {}) => ({
    id: `00000000-0000-4000-8000-${name.padStart(12, '0').slice(-12)}`,
    name,
    title: `Title of ${name}`,
    notes: `About ${name}.`,
    license_id: 'odc-odbl',
    license_title: 'Open Data Commons Open Database License (ODbL)',
    isopen: true,
    tags: [{ name: 'air' }, { name: 'quality' }],
    groups: [{ name: 'health' }],
    extras: [{ key: 'frequency', value: 'http://publications.europa.eu/resource/authority/frequency/DAILY' }],
    resources: [{ format: 'CSV', url: `https://portal.example.org/${name}.csv` }, { format: 'API', url: `https://portal.example.org/api/${name}` }],
    ...overrides,
  });
  return {
    help: 'https://portal.example.org/api/3/action/help_show?name=package_search',
    success: true,
    result: {
      count: 4,
      results: [
        pkg('air-quality', { title: 'Air quality', title_translated: { zh: '空气质量监测', en: 'Air quality' }, extras: [{ key: 'frequency', value: 'daily' }, { key: 'title_zh', value: '城市空气质量监测' }] }),
        pkg('noise', { notes: '', title: '噪声监测点' }),
        pkg('rivers', { extras: [{ key: 'frequency', value: 'every full moon' }], license_id: '', license_title: '', isopen: false }),
        pkg('untitled', { title: '', notes: '' }),
      ],
    },
  };
}

test('harvesting asks for a signed-in officer or administrator of a department', async () => {
  const body = { format: 'ckan', content: foreignDump() };
  assert.equal((await t.request('POST', '/api/catalog/harvest', { body })).statusCode, 401);
  for (const as of [t.world.auditor, t.world.platformAdmin, t.world.securityAdmin]) {
    const res = await t.request('POST', '/api/catalog/harvest', { as, body });
    assert.equal(res.statusCode, 403, `${as.username}: ${res.body}`);
  }
  const before = await entryCount();
  assert.equal((await t.request('POST', '/api/catalog/harvest', { as: t.world.officerA, body, csrf: false })).statusCode, 403, 'a session without its CSRF token');
  assert.equal(await entryCount(), before);
});

test('a bad file or mapping is refused naming what is wrong, and nothing is written', async () => {
  const before = await entryCount();
  const audits = await harvestAudits();
  const cases: [Record<string, unknown>, string, RegExp][] = [
    [{ format: 'ckan', content: '{"result": [' }, 'content', /is not JSON/],
    [{ format: 'ckan', content: { result: { count: 0, something: [] } } }, 'content', /no CKAN package/],
    [{ format: 'ckan', content: '' }, 'content', /is empty/],
    [{ format: 'dcat-turtle', content: '@prefix dcat: <http://www.w3.org/ns/dcat#> .\n<a> a dcat:Dataset ;\n  dcat:keyword "x" \n  <b> .' }, 'content', /not valid Turtle: .*line 4/],
    [{ format: 'dcat-turtle', content: '@prefix foaf: <http://xmlns.com/foaf/0.1/> .\n<https://x.example/a> a foaf:Agent .' }, 'content', /no dcat:Dataset/],
    [{ format: 'dcat-jsonld', content: { '@context': 'https://example.org/context.jsonld', '@type': 'dcat:Dataset' } }, 'content', /fetched: put the context in the file/],
    [{ format: 'dcat-jsonld', content: 'not json' }, 'content', /not JSON-LD/],
    [{ format: 'csv', content: 'a,b' }, 'format', /./],
    [{ format: 'ckan', content: foreignDump(), mapping: { fields: { colour: 'extras.colour' } } }, 'mapping.fields.colour', /not a field/],
    [{ format: 'ckan', content: foreignDump(), mapping: { defaults: { updateCycle: 'hourly' } } }, 'mapping.defaults.updateCycle', /one of/],
    [{ format: 'ckan', content: foreignDump(), mapping: { themes: { health: '13' } } }, 'mapping.themes.health', /01–12/],
  ];
  for (const [body, field, message] of cases) {
    const res = await t.request('POST', '/api/catalog/harvest', { as: t.world.officerA, body });
    assert.equal(res.statusCode, 400, `${field}: ${res.body}`);
    const named = (res.json.errors as { field: string; message: string }[]).find((e) => e.field === field || e.field === `/${field}` || e.field.endsWith(field));
    assert.ok(named, `${field} named in ${res.body}`);
    assert.match(named.message, message, res.body);
  }
  const session = await t.signIn(t.world.officerA);
  const badTurtle = await t.http.inject({ method: 'POST', url: '/api/catalog/harvest', headers: { 'content-type': 'text/turtle', cookie: session.cookie, 'x-csrf-token': session.csrfToken }, payload: '<a> <b> .' });
  assert.equal(badTurtle.statusCode, 400, badTurtle.body);
  assert.equal(badTurtle.json().errors[0].field, 'content');
  assert.equal(await entryCount(), before);
  assert.equal(await harvestAudits(), audits);
});

test('a CKAN dump with a mapping: dry run first, then drafts of the department, per-dataset report; again: unchanged', async () => {
  const mapping = { fields: { nameZh: 'extras.title_zh' }, themes: { health: '02' }, defaults: { updateCycle: 'weekly' } };
  const before = await entryCount();
  const dry = await t.request('POST', '/api/catalog/harvest', { as: s.officerC, body: { format: 'ckan', content: foreignDump(), mapping, dryRun: true } });
  assert.equal(dry.statusCode, 200, dry.body);
  assert.equal(dry.json.dryRun, true);
  assert.deepEqual([dry.json.total, dry.json.created, dry.json.updated, dry.json.skipped], [4, 3, 0, 1]);
  assert.equal(await entryCount(), before, 'a dry run writes nothing');

  const run = await t.request('POST', '/api/catalog/harvest', { as: s.officerC, body: { format: 'ckan', content: JSON.stringify(foreignDump()), mapping } });
  assert.equal(run.statusCode, 200, run.body);
  const report = run.json as { created: number; skipped: number; datasets: { source: string; title: string; outcome: string; entryId?: string; code?: string; reason?: string; errors?: { field: string }[]; warnings: string[] }[] };
  assert.equal(report.created, 3);
  const bySource = Object.fromEntries(report.datasets.map((d) => [d.source, d]));
  assert.equal(bySource['air-quality']!.title, '城市空气质量监测', 'the mapping took nameZh from an extra');
  assert.equal(bySource.noise!.outcome, 'created');
  assert.ok(bySource.noise!.warnings.some((w) => /title stands in/.test(w)), 'no description: said so');
  assert.ok(bySource.rivers!.warnings.some((w) => /every full moon/.test(w) && /weekly/.test(w)), 'an unknown frequency: the default, said so');
  assert.equal(bySource.untitled!.outcome, 'skipped');
  assert.ok(bySource.untitled!.errors!.some((e) => e.field === 'nameZh'), 'the rule broken named');
  assert.equal(await entryCount(), before + 3);

  const air = await t.request('GET', `/api/catalog/entries/${bySource['air-quality']!.entryId}`, { as: s.officerC });
  assert.equal(air.json.status, 'draft', 'a draft, to go through review');
  assert.equal(air.json.provider.id, s.deptCId);
  assert.match(air.json.code, /^307\d{3}\/\d{6}$/, 'a department resource');
  const m = air.json.metadata;
  assert.equal(m.nameEn, 'Air quality');
  assert.equal(m.updateCycle, 'daily');
  assert.deepEqual(m.themes, ['02']);
  assert.deepEqual(m.keywords, ['air', 'quality']);
  assert.equal(m.licence, 'ODbL-1.0');
  assert.equal(m.open.open, true);
  assert.deepEqual(m.sharing.methods, ['api'], 'an API resource');
  assert.equal(m.format.type, 'CSV, API');
  const rivers = await t.request('GET', `/api/catalog/entries/${bySource.rivers!.entryId}`, { as: s.officerC });
  assert.equal(rivers.json.metadata.open.open, false, 'no licence: not open');

  // Harvested drafts go through review like any other.
  const submitted = await t.request('POST', `/api/catalog/entries/${air.json.id}/submit`, { as: s.officerC, body: { version: air.json.version } });
  assert.equal(submitted.statusCode, 200, submitted.body);

  const again = await t.request('POST', '/api/catalog/harvest', { as: s.officerC, body: { format: 'ckan', content: foreignDump(), mapping } });
  assert.equal(again.statusCode, 200, again.body);
  const outcomes = Object.fromEntries((again.json.datasets as { source: string; outcome: string; reason?: string }[]).map((d) => [d.source, d]));
  assert.equal(outcomes['air-quality']!.outcome, 'skipped');
  assert.match(outcomes['air-quality']!.reason!, /already says the same/);
  assert.equal(outcomes.noise!.outcome, 'skipped');
  assert.equal(await entryCount(), before + 3);

  // A changed source updates the draft (not one under review).
  const changed = foreignDump();
  changed.result.results[1]!.notes = '全市噪声监测点位。';
  changed.result.results[0]!.notes = 'Changed while under review.';
  const update = await t.request('POST', '/api/catalog/harvest', { as: s.officerC, body: { format: 'ckan', content: changed, mapping } });
  const updated = Object.fromEntries((update.json.datasets as { source: string; outcome: string; reason?: string }[]).map((d) => [d.source, d]));
  assert.equal(updated.noise!.outcome, 'updated');
  assert.equal(updated['air-quality']!.outcome, 'skipped');
  assert.match(updated['air-quality']!.reason!, /waiting for review/);
  const noise = await t.request('GET', `/api/catalog/entries/${bySource.noise!.entryId}`, { as: s.officerC });
  assert.equal(noise.json.metadata.abstractZh, '全市噪声监测点位。');
  assert.equal(noise.json.version, 2);
});

test("DCAT files: this node's own export, Turtle as the body and JSON-LD in JSON, harvested by another department", async () => {
  const turtle = (await t.request('GET', '/catalog.ttl')).body;
  const jsonldDoc = (await t.request('GET', '/catalog.jsonld')).json;
  const session = await t.signIn(t.world.adminB);
  const before = await entryCount();
  const dry = await t.http.inject({ method: 'POST', url: '/api/catalog/harvest?dryRun=true', headers: { 'content-type': 'text/turtle; charset=utf-8', cookie: session.cookie, 'x-csrf-token': session.csrfToken }, payload: turtle });
  assert.equal(dry.statusCode, 200, dry.body);
  assert.deepEqual([dry.json().format, dry.json().dryRun, dry.json().created], ['dcat-turtle', true, 4]);
  assert.equal(await entryCount(), before);

  const run = await t.request('POST', '/api/catalog/harvest', { as: t.world.adminB, body: { format: 'dcat-jsonld', content: jsonldDoc } });
  assert.equal(run.statusCode, 200, run.body);
  assert.equal(run.json.created, 4);
  assert.equal(await entryCount(), before + 4);
  const parking = (run.json.datasets as { source: string; entryId: string }[]).find((d) => d.source.endsWith(s.openA.id))!;
  const entry = await t.request('GET', `/api/catalog/entries/${parking.entryId}`, { as: t.world.adminB });
  const m = entry.json.metadata;
  assert.equal(entry.json.provider.id, t.world.deptB.id);
  assert.equal(m.nameZh, '机动车违法停车热点');
  assert.equal(m.nameEn, 'Illegal parking hot spots');
  assert.equal(m.updateCycle, 'monthly');
  assert.equal(m.licence, 'CC-BY-4.0');
  assert.deepEqual([...m.keywords].sort(), ['交通', '停车', '热点'].sort());
  assert.equal(m.format.type, 'CSV, JSON');

  const turtleRun = await t.http.inject({ method: 'POST', url: '/api/catalog/harvest', headers: { 'content-type': 'text/turtle', cookie: session.cookie, 'x-csrf-token': session.csrfToken }, payload: turtle });
  assert.equal(turtleRun.json().skipped, 4, 'the same datasets again: unchanged');
});

test('the harvest endpoint answers no 5xx to random bodies', async () => {
  const session = await t.signIn(t.world.officerA);
  const pick = <T>(list: T[]) => list[Math.floor(Math.random() * list.length)]!;
  const values: unknown[] = [null, 0, -1, 1e308, '', 'x'.repeat(300), '{', '[]', '<a> <b> <c> .', true, [], {}, { '@context': {} }, { result: null }, { results: [{ name: 'a' }] }, [{ name: 'a', title: 1, resources: 'x' }]];
  for (let i = 0; i < 150; i++) {
    const body: Record<string, unknown> = {};
    if (Math.random() < 0.9) body.format = pick(['ckan', 'dcat-turtle', 'dcat-jsonld', 'other', 3]);
    if (Math.random() < 0.9) body.content = pick(values);
    if (Math.random() < 0.3) body.mapping = pick([...values, { fields: { nameZh: 3 } }, { defaults: { open: 'yes', themes: ['99'] } }, { updateCycles: { x: 'daily' } }]);
    if (Math.random() < 0.3) body.dryRun = pick([true, false, 'yes']);
    const res = await t.http.inject({ method: 'POST', url: '/api/catalog/harvest?dryRun=true', headers: { 'content-type': pick(['application/json', 'text/turtle', 'application/ld+json']), cookie: session.cookie, 'x-csrf-token': session.csrfToken }, payload: JSON.stringify(body) });
    assert.ok(res.statusCode < 500, `${JSON.stringify(body)} → ${res.statusCode} ${res.body}`);
  }
});
