// Catalog search through its route on a fresh database: Chinese and English words, near
// matches for misspellings, facet counts, sort and paging, highlights; only published versions
// are found, and an approved revision replaces the old text at once, also in another process's
// copy. Unit tests of the analyzer, the fuzzy matcher and the highlighter first.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { localOperator } from '../../../platform/actor.ts';
import { buildOrganization, buildUser } from '../../../test-support/factories.ts';
import { createTestApp, type TestApp, type TestUser } from '../../../test-support/test-app.ts';
import { POPULATION } from '../../registries/index.ts';
import { parseQuery, stem, terms } from './analyze.ts';
import { createTrigramIndex, editDistance } from './fuzzy.ts';
import { marked, ranges, snippet } from './highlight.ts';
import { createSearchService } from './service.ts';
import { buildEntryMetadata } from '../test-fixtures.ts';

describe('analysis', () => {
  test('Han runs give bigrams (so 低保 is found inside 城乡低保对象名册) and longer segmented words', () => {
    const t = terms('城乡低保对象名册');
    for (const gram of ['城乡', '乡低', '低保', '对象', '名册']) assert.ok(t.has(gram), gram);
    assert.ok(terms('最低生活保障').has('保障'));
    assert.ok(terms('年').has('年'), 'a lone character stands for itself');
  });

  test('a query is segmented with Intl.Segmenter; one-character segments join, function characters separate', () => {
    // ICU cuts 低保 into 低|保: the two are taken as one unit.
    assert.deepEqual(parseQuery('城乡低保对象名册').map((u) => u.text), ['城乡', '低保', '对象', '名册']);
    assert.deepEqual(parseQuery('低保的名册').map((u) => u.text), ['低保', '名册']);
    assert.deepEqual(parseQuery('低保'), [{ kind: 'han', text: '低保', grams: ['低保'] }]);
    assert.deepEqual(parseQuery('最低生活保障').map((u) => u.text), ['最低', '生活', '保障']);
    assert.deepEqual(parseQuery('教育厅').map((u) => u.text), ['教育厅'], 'a lone character joins the word before it');
    assert.deepEqual(parseQuery('省教育厅').map((u) => u.text), ['省教育厅'], 'or the word after it');
  });

  test('other words are folded, lightly stemmed, stopwords dropped; full-width letters fold', () => {
    assert.deepEqual([...terms('The Register of Minimum-Living-Allowance RECIPIENTS')], ['register', 'minimum', 'living', 'allowance', 'recipient']);
    assert.deepEqual(parseQuery('ＡＬＬＯＷＡＮＣＥＳ 2024年').map((u) => (u.kind === 'word' ? u.term : u.text)), ['allowance', '2024', '年']);
    assert.equal(stem('registries'), 'registry');
    assert.equal(stem('address'), 'address');
    assert.equal(stem('status'), 'status');
    assert.equal(stem('analysis'), 'analysis');
  });

  test('edit distance (transpositions count once) and near words by trigrams', () => {
    assert.equal(editDistance('alowance', 'allowance', 2), 1);
    assert.equal(editDistance('recieve', 'receive', 2), 1);
    assert.equal(editDistance('kitten', 'sitting', 1), 2, 'stops above the limit');
    const words = createTrigramIndex(['allowance', 'alliance', 'register', 'registry', 'recipient']);
    assert.deepEqual(words.near('alowance', () => 0).map((n) => n.term), ['allowance', 'alliance']);
    assert.deepEqual(words.near('regster', () => 0).map((n) => n.term), ['register'], 'registry is two edits away: too far for seven letters');
    assert.deepEqual(words.near('reg', () => 0), [], 'no near matches under four letters');
    assert.deepEqual(words.completions('regis'), ['register', 'registry']);
  });

  test('highlights are ranges and escaped HTML; snippets keep the ranges in place', () => {
    const marks = { terms: new Set(['allowance']), han: ['低保'] };
    assert.deepEqual(ranges('城乡低保对象名册', marks), [[2, 4]]);
    assert.equal(marked('城乡低保对象名册', [[2, 4]]), '城乡<mark>低保</mark>对象名册');
    const name = '<b>Allowance</b> & "others"';
    assert.deepEqual(ranges(name, marks), [[3, 12]]);
    assert.equal(marked(name, ranges(name, marks)), '&lt;b&gt;<mark>Allowance</mark>&lt;/b&gt; &amp; &quot;others&quot;');
    const long = `${'前言'.repeat(100)}低保${'后记'.repeat(100)}`;
    const cut = snippet(long, ranges(long, marks), 40);
    assert.ok(cut.text.startsWith('…') && cut.text.endsWith('…'));
    assert.equal(cut.text.slice(cut.ranges[0][0], cut.ranges[0][1]), '低保');
  });
});

let t: TestApp;
let officerC: TestUser;
let deptCId: string;

const metadata = (overrides: Record<string, unknown> = {}) => buildEntryMetadata({ dataItems: [{ name: '姓名', nameEn: 'Name', type: 'string' }, { name: '保障金额', nameEn: 'Amount paid', type: 'decimal' }], ...overrides });

type Entry = { id: string; code: string; version: number };

async function draft(as: TestUser, overrides: Record<string, unknown> = {}): Promise<Entry> {
  const res = await t.request('POST', '/api/catalog/entries', { as, body: { metadata: metadata(overrides) } });
  assert.equal(res.statusCode, 201, res.body);
  return res.json;
}

async function submit(as: TestUser, entry: Entry): Promise<Entry> {
  const res = await t.request('POST', `/api/catalog/entries/${entry.id}/submit`, { as, body: { version: entry.version } });
  assert.equal(res.statusCode, 200, res.body);
  return res.json;
}

async function approve(entry: Entry): Promise<Entry> {
  const res = await t.request('POST', `/api/catalog/entries/${entry.id}/approve`, { as: t.world.adminB, body: { version: entry.version } });
  assert.equal(res.statusCode, 200, res.body);
  return res.json;
}

async function publish(as: TestUser, overrides: Record<string, unknown> = {}) {
  t.clock.advance(60_000);
  return approve(await submit(as, await draft(as, overrides)));
}

type Item = { id: string; code: string; nameZh: string; nameEn: string; abstractZh: string; score: number; highlights: Record<string, [number, number][]>; marked: Record<string, string> };
type Result = { total: number; items: Item[]; facets: Record<string, { value: string; label: string; count: number }[]>; fuzzy: boolean; corrections: { term: string; suggestions: string[] }[]; sort: string };

async function search(query: string, as: TestUser = t.world.officerA, headers: Record<string, string> = {}): Promise<Result> {
  const res = await t.request('GET', `/api/catalog/search${query ? `?${query}` : ''}`, { as, headers });
  assert.equal(res.statusCode, 200, res.body);
  return res.json;
}
const names = (r: Result) => r.items.map((i) => i.nameZh);
const q = (text: string) => `q=${encodeURIComponent(text)}`;

let dibao: Entry;
let draftOnly: Entry;

before(async () => {
  t = await createTestApp();
  const deptC = await buildOrganization(t.services, { parentId: t.world.province.id, nameZh: '浙江省教育厅', nameEn: 'Zhejiang Education Department' });
  deptCId = deptC.id;
  officerC = await buildUser(t.services, { orgId: deptC.id, roles: ['officer'], username: 'officer-c' }).then((u) => ({ id: u.id, username: u.username, orgId: deptC.id }));
  const res = await t.request('PUT', '/api/catalog/settings', { as: t.world.platformAdmin, body: { reviewerOrgId: t.world.deptB.id, answerWorkingDays: 10 } });
  assert.equal(res.statusCode, 200, res.body);

  dibao = await publish(t.world.officerA);
  await publish(t.world.officerA, {
    nameZh: '特困人员供养名册',
    nameEn: 'Register of persons in extreme poverty',
    abstractZh: '特困人员的供养信息，与低保对象名册互相参照。',
    abstractEn: 'Support for persons in extreme poverty, cross-checked with the allowance register.',
    sharing: { type: 'unconditional', methods: ['api', 'bulk'] },
    format: { class: 'spreadsheet', type: 'XLSX' },
    updateCycle: 'quarterly',
  });
  await publish(officerC, {
    nameZh: '学校名录',
    nameEn: 'Directory of schools',
    abstractZh: '全省各级各类学校的名称、地址与办学层次。',
    abstractEn: 'Names, addresses and levels of every school in the province.',
    dataItems: [{ name: '学校名称', nameEn: 'School name', type: 'string' }],
    sharing: { type: 'unconditional', methods: ['bulk'] },
    open: { open: true },
    licence: 'CC-BY-4.0',
    format: { class: 'file', type: 'CSV' },
    updateCycle: 'yearly',
    themes: ['01'],
  });
  await publish(officerC, {
    nameZh: '<script>alert(1)</script> 学生资助名单',
    nameEn: 'Student <b>grants</b> list',
    abstractZh: '家庭经济困难学生的资助发放。',
    abstractEn: 'Grants paid to students from families in difficulty.',
    dataItems: [{ name: '学生姓名', nameEn: 'Student name', type: 'string' }],
    updateCycle: 'yearly',
  });
  // Never published: a draft, a submitted entry, a rejected one.
  draftOnly = await draft(t.world.officerA, { nameZh: '草稿目录甲', nameEn: 'Zanzibarite draft register' });
  await submit(t.world.officerA, await draft(t.world.officerA, { nameZh: '待审目录乙', nameEn: 'Quokkaberry pending register' }));
  const toReject = await submit(t.world.officerA, await draft(t.world.officerA, { nameZh: '退回目录丙', nameEn: 'Wombatine rejected register' }));
  const rejected = await t.request('POST', `/api/catalog/entries/${toReject.id}/reject`, { as: t.world.adminB, body: { version: toReject.version, comment: '请补充' } });
  assert.equal(rejected.statusCode, 200, rejected.body);
});
after(() => t.close());

test('the route asks for a signed-in user', async () => {
  assert.equal((await t.request('GET', '/api/catalog/search?q=低保')).statusCode, 401);
  assert.equal((await t.request('GET', '/api/catalog/search?sort=nonsense')).statusCode, 401, 'before the parameters are looked at');
});

test('bad parameters are refused naming the parameter, in both languages', async () => {
  const cases: [string, string][] = [
    ['sort=popularity', 'sort'],
    ['page=0', 'page'],
    ['page=abc', 'page'],
    ['pageSize=500', 'pageSize'],
    ['page=600&pageSize=20', 'page'],
    ['class=9', 'class'],
    ['provider=not-a-uuid', 'provider'],
    ['open=maybe', 'open'],
    ['format=pdf', 'format'],
    ['cycle=hourly', 'cycle'],
    ['sharing=sometimes', 'sharing'],
    ['colour=blue', 'colour'],
    [`q=${'低'.repeat(201)}`, 'q'],
    ['q=a&q=b', 'q'],
  ];
  for (const [query, field] of cases) {
    const res = await t.request('GET', `/api/catalog/search?${query}`, { as: t.world.officerA });
    assert.equal(res.statusCode, 400, `${query}: ${res.body}`);
    assert.match(String(res.headers['content-type']), /application\/problem\+json/);
    assert.ok((res.json.errors as { field: string }[]).some((e) => e.field === field), `${field} named in ${res.body}`);
  }
  const zh = await t.request('GET', '/api/catalog/search?sort=popularity', { as: t.world.officerA, headers: { 'accept-language': 'zh-CN' } });
  assert.match(zh.body, /相关度/);
});

test('Chinese: 低保 finds the register and entries that mention it, the name first', async () => {
  const r = await search(q('低保'));
  assert.deepEqual(names(r), ['低保对象名册', '特困人员供养名册'], 'a name match ranks above an abstract match');
  assert.ok(r.items[0].score > r.items[1].score);
  assert.equal((await search(q('低保 名册'))).total, 2);
  assert.deepEqual(names(await search(q('学校'))), ['学校名录']);
  assert.equal((await search(q('低保学校'))).total, 0, 'every word must match');
});

test('English: folded and stemmed; a misspelling finds the word it misses', async () => {
  assert.deepEqual(names(await search(q('Allowances'))).sort(), ['低保对象名册', '特困人员供养名册'].sort());
  const typo = await search(q('alowance'));
  assert.ok(names(typo).includes('低保对象名册'), JSON.stringify(typo));
  assert.equal(typo.fuzzy, true);
  assert.deepEqual(typo.corrections[0], { term: 'alowance', suggestions: ['allowance'] });
  assert.deepEqual(typo.items.find((i) => i.nameZh === '低保对象名册')!.highlights.nameEn, [[27, 36]], 'the word found is highlighted');
  assert.deepEqual(names(await search(q('shcools'))), ['学校名录'], 'a transposition');
  assert.deepEqual(names(await search(q('schoo'))), ['学校名录'], 'the beginning of a word');
  assert.equal((await search(q('xylophone'))).total, 0);
});

test('a mistyped character in a long Chinese word still finds it, flagged fuzzy', async () => {
  const r = await search(q('特困人贝供养'));
  assert.deepEqual(names(r), ['特困人员供养名册']);
  assert.equal(r.fuzzy, true);
});

test("a provider's name finds its entries", async () => {
  assert.deepEqual(names(await search(q('教育厅'))).sort(), ['<script>alert(1)</script> 学生资助名单', '学校名录'].sort());
  assert.deepEqual(names(await search(q('教育厅 学校'))), ['学校名录']);
  assert.deepEqual(names(await search(q('education schools'))), ['学校名录']);
});

test('facets count per value, each facet ignoring its own filter; labels follow the language', async () => {
  const all = await search('');
  assert.equal(all.total, 4, 'an empty query lists every published entry');
  const count = (r: Result, facet: string, value: string) => r.facets[facet].find((v) => v.value === value)?.count ?? 0;
  assert.equal(count(all, 'provider', t.world.deptA.id), 2);
  assert.equal(count(all, 'provider', deptCId), 2);
  assert.equal(all.facets.provider.find((v) => v.value === deptCId)!.label, 'Zhejiang Education Department');
  assert.equal(count(all, 'sharing', 'conditional'), 2);
  assert.equal(count(all, 'sharing', 'unconditional'), 2);
  assert.equal(count(all, 'open', 'true'), 1);
  assert.equal(count(all, 'class', '3'), 4);
  assert.equal(count(all, 'cycle', 'yearly'), 2);
  assert.equal(count(all, 'format', 'database'), 2);

  const filtered = await search(`sharing=unconditional&provider=${deptCId}`);
  assert.deepEqual(names(filtered), ['学校名录']);
  assert.equal(count(filtered, 'sharing', 'conditional'), 1, "the sharing facet keeps the other value's count (with the provider filter)");
  assert.equal(count(filtered, 'provider', t.world.deptA.id), 1, 'the provider facet counts the unconditional entries of the other provider');
  assert.equal(count(filtered, 'cycle', 'yearly'), 1);
  const either = await search(`cycle=yearly&cycle=quarterly&${q('名册')}`);
  assert.deepEqual(names(either), ['特困人员供养名册'], 'values of one facet are alternatives');

  const zh = await search('', t.world.officerA, { 'accept-language': 'zh-CN' });
  assert.equal(zh.facets.sharing.find((v) => v.value === 'conditional')!.label, '有条件共享');
  assert.equal(zh.facets.class.find((v) => v.value === '3')!.label, '部门信息资源');
});

test('sort and paging', async () => {
  const byCode = await search('sort=code&pageSize=2');
  assert.equal(byCode.total, 4);
  assert.equal(byCode.items.length, 2);
  const page2 = await search('sort=code&pageSize=2&page=2');
  const codes = [...byCode.items, ...page2.items].map((i) => i.code);
  assert.deepEqual(codes, [...codes].sort());
  assert.equal(new Set(codes).size, 4);
  assert.equal((await search('sort=code&pageSize=2&page=3')).items.length, 0);
  assert.deepEqual((await search(q(codes[2]))).items.map((i) => i.code), [codes[2]], 'an entry is found by its resource code');
  const byName = await search('sort=name');
  assert.deepEqual(names(byName), [...names(byName)].sort(new Intl.Collator('zh').compare));
  const newest = await search('');
  assert.equal(newest.sort, 'published');
  assert.equal(newest.items[3].id, dibao.id, 'newest first: the first published is last');
});

test('highlights: ranges into the returned texts and HTML with everything else escaped', async () => {
  const r = await search(q('低保 allowance'));
  const item = r.items.find((i) => i.id === dibao.id)!;
  assert.deepEqual(item.highlights.nameZh, [[0, 2]]);
  assert.equal(item.marked.nameZh, '<mark>低保</mark>对象名册');
  assert.equal(item.marked.nameEn, 'Register of minimum-living-<mark>allowance</mark> recipients');
  assert.equal(item.marked.abstractZh, '全省城乡<mark>低保</mark>对象的基本信息与保障金额。');
  const hostile = (await search(q('学生 grants'))).items[0];
  assert.equal(hostile.marked.nameZh, '&lt;script&gt;alert(1)&lt;/script&gt; <mark>学生</mark>资助名单');
  assert.equal(hostile.marked.nameEn, 'Student &lt;b&gt;<mark>grants</mark>&lt;/b&gt; list');
});

test('unpublished entries are never found', async () => {
  for (const word of ['Zanzibarite', 'Quokkaberry', 'Wombatine', '草稿目录', '待审目录', '退回目录']) assert.equal((await search(q(word))).total, 0, word);
  assert.ok(draftOnly.id);
});

test('an approved revision replaces the published text in the index; before approval the old one stays', async () => {
  const current = (await t.request('GET', `/api/catalog/entries/${dibao.id}`, { as: t.world.officerA })).json;
  const revised = await t.request('PUT', `/api/catalog/entries/${dibao.id}`, {
    as: t.world.officerA,
    body: { version: current.version, metadata: metadata({ nameZh: '城乡低保对象名册', nameEn: 'Register of urban and rural allowance recipients', abstractZh: '城乡低保对象及保障金额。', abstractEn: 'Urban and rural recipients.' }) },
  });
  assert.equal(revised.statusCode, 200, revised.body);
  assert.equal((await search(q('urban'))).total, 0, 'the draft revision is not published');
  assert.equal((await search(q('minimum'))).total, 1, 'the published version is still found');

  // Another process's copy, loaded now, must follow the approval too.
  const services = t.services;
  const replica = createSearchService({
    db: services.database.db,
    audit: services.audit,
    clock: services.clock,
    changes: services.changes,
    entries: services.catalog.service,
    findOrganization: (id) => services.directory.service.findOrganization(id),
    listOrganizations: () => services.directory.service.listOrganizations(),
    publicBaseUrl: 'http://127.0.0.1',
  });
  const onReplica = async (text: string) => (await replica.search({ q: text, filters: {}, sort: undefined, page: 1, pageSize: 20 }, false)).items.map((i) => i.nameZh);
  // Its first search has no words: nothing is scored yet.
  const listed = await replica.search({ q: 'x', filters: {}, sort: 'code', page: 1, pageSize: 20 }, false);
  assert.equal(listed.total, 4);
  assert.ok(listed.items.every((i) => i.score === 0));
  assert.deepEqual(await onReplica('minimum'), ['低保对象名册']);

  await approve(await submit(t.world.officerA, revised.json));
  const found = await search(q('低保'));
  assert.ok(names(found).includes('城乡低保对象名册'), JSON.stringify(names(found)));
  assert.ok(!names(found).includes('低保对象名册'));
  assert.equal((await search(q('minimum'))).total, 0, 'the old published text no longer matches');
  assert.equal((await search(q('urban'))).total, 1);
  assert.deepEqual(names(await search(q('urbna'))), ['城乡低保对象名册'], 'a word new to the index is known to the near matches too');
  assert.deepEqual(await onReplica('minimum'), [], 'the other copy caught up');
  assert.deepEqual(await onReplica('urban'), ['城乡低保对象名册']);
});

test('entries published before the index existed are indexed when a process first loads it; base entries are indexed on publication', async () => {
  const db = t.services.database.db;
  await db.deleteFrom('catalog.search_docs').where('entry_id', '=', dibao.id).execute();
  const replica = createSearchService({
    db,
    audit: t.services.audit,
    clock: t.services.clock,
    changes: t.services.changes,
    entries: t.services.catalog.service,
    findOrganization: (id) => t.services.directory.service.findOrganization(id),
    listOrganizations: () => t.services.directory.service.listOrganizations(),
    publicBaseUrl: 'http://127.0.0.1',
  });
  const found = await replica.search({ q: '城乡低保', filters: {}, sort: undefined, page: 1, pageSize: 20 }, true);
  assert.deepEqual(found.items.map((i) => i.id), [dibao.id]);
  assert.equal((await search(q('城乡低保'))).total, 1, 'the repaired row reaches this process too');

  await t.services.registries.catalog.install(localOperator('test'), POPULATION, t.world.deptA.id);
  const sync = await t.request('POST', '/api/catalog/base-entries/sync', { as: t.world.platformAdmin });
  assert.equal(sync.statusCode, 200, sync.body);
  const base = await search(`class=1&${q(POPULATION.titleZh)}`);
  assert.equal(base.total, 1, JSON.stringify(base));
  assert.equal(base.items[0].code, '101001/000001');
});
