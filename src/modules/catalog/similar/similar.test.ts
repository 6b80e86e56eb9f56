// The check against duplicate construction: the score (unit tests), then through the routes.
// Civil affairs (deptC here) has published a register of allowance recipients and a fourth
// department keeps an unpublished draft of one; public security (deptA) drafts a similar
// register, is shown the published one and not the other department's draft, is refused until
// it confirms, and the data bureau (deptB) reads what it was shown and its note.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildOrganization, buildUser } from '../../../test-support/factories.ts';
import { createTestApp, type TestApp, type TestUser } from '../../../test-support/test-app.ts';
import { HIGH_SIMILARITY, ITEM_WEIGHT, MIN_ITEMS, NAME_WEIGHT, features, normalField, normalName, similarity } from './score.ts';
import { buildEntryMetadata } from '../test-fixtures.ts';

describe('similarity score', () => {
  const of = (nameZh: string, items: (string | { name?: string; nameEn?: string; field?: string })[] = [], nameEn = '') =>
    features({ nameZh, nameEn, dataItems: items.map((i) => (typeof i === 'string' ? { name: i } : i)) });

  test('weights add up to one and the same name alone reaches the threshold, shared items alone never do', () => {
    assert.equal(NAME_WEIGHT + ITEM_WEIGHT, 1);
    assert.ok(ITEM_WEIGHT < HIGH_SIMILARITY && NAME_WEIGHT >= HIGH_SIMILARITY);
    const same = similarity(of('低保对象名册'), of('低保对象名册', ['姓名']));
    assert.equal(same.nameScore, 1);
    assert.equal(same.score, NAME_WEIGHT);
    const itemsOnly = similarity(of('学校名录', ['姓名', '身份证号', '住址']), of('户籍人口', ['姓名', '身份证号', '住址', '性别']));
    assert.equal(itemsOnly.itemScore, 1);
    assert.ok(itemsOnly.score < HIGH_SIMILARITY, String(itemsOnly.score));
    assert.equal(similarity(of('低保对象名册', ['姓名']), of('低保对象名册', ['姓名'])).score, Math.round((NAME_WEIGHT + ITEM_WEIGHT / MIN_ITEMS) * 1000) / 1000);
  });

  test('names worded differently share their bigrams; unrelated names score nothing', () => {
    const near = similarity(of('城乡低保对象名册'), of('低保对象名单'));
    assert.ok(near.nameScore > 0.5 && near.nameScore < 1, String(near.nameScore));
    assert.equal(similarity(of('学校名录'), of('机动车违法停车热点')).score, 0);
  });

  test('an English name on both sides raises the score but never lowers it', () => {
    const zhOnly = similarity(of('最低生活保障名单'), of('低保对象名册'));
    const sameEn = similarity(of('最低生活保障名单', [], 'Minimum living allowance recipients'), of('低保对象名册', [], 'Recipients of the minimum living allowance'));
    assert.ok(sameEn.nameScore > zhOnly.nameScore, `${sameEn.nameScore} > ${zhOnly.nameScore}`);
    const otherEn = similarity(of('低保对象名册', [], 'Dibao list'), of('低保对象名册', [], 'Register of allowance recipients'));
    assert.equal(otherEn.nameScore, 1);
    assert.ok(similarity(of('', [], 'Allowance recipients'), of('低保对象名册', [], 'Allowance recipients')).nameScore === 1, 'a draft named in English only is compared in English');
  });

  test('items match by folded name, English name or field, each once, and say which', () => {
    assert.equal(normalName(' 身份证号（码） '), '身份证号码');
    assert.equal(normalName('ＩＤ Number'), 'idnumber');
    assert.equal(normalField('id_number'), normalField('idNumber'));
    const s = similarity(
      of('x', ['姓名', { name: '公民身份号码', field: 'id_number' }, { name: '金额', nameEn: 'Amount' }, '姓名 ']),
      of('y', ['姓名', { name: '身份证号', field: 'idNumber' }, { name: '保障金额', nameEn: 'amount' }]),
    );
    assert.deepEqual(s.matchedItems, [
      { draft: '姓名', existing: '姓名' },
      { draft: '公民身份号码', existing: '身份证号' },
      { draft: '金额', existing: '保障金额' },
    ]);
    assert.equal(s.itemScore, 0.75, 'three of the draft’s four items, the repeated 姓名 matched once');
  });

  test('a small draft is not fully covered by one common item; an empty draft matches nothing', () => {
    assert.equal(similarity(of('a', ['姓名']), of('b', ['姓名', '性别'])).itemScore, Math.round((1 / MIN_ITEMS) * 1000) / 1000);
    assert.equal(similarity(of(''), of('低保对象名册', ['姓名'])).score, 0);
  });
});

let t: TestApp;
let officerC: TestUser;
let officerD: TestUser;
let published: { id: string; code: string };
let draftD: { id: string; code: string };

const db = () => t.services.database.db;
const count = async (table: string, where?: [string, string]) => {
  let q = db().selectFrom(table).select((eb) => eb.fn.countAll().as('n'));
  if (where) q = q.where(where[0], '=', where[1]);
  return Number((await q.executeTakeFirstOrThrow()).n);
};

const metadata = (overrides: Record<string, unknown> = {}) => buildEntryMetadata({ themes: [], ...overrides });

async function draft(as: TestUser, overrides: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) {
  const res = await t.request('POST', '/api/catalog/entries', { as, body: { metadata: metadata(overrides), ...extra } });
  assert.equal(res.statusCode, 201, res.body);
  return res.json as { id: string; code: string; version: number };
}

type Similar = { id: string; code: string; score: number; high: boolean; status: string; provider: { id: string; nameZh: string }; matchedItems: { draft: string; existing: string }[] };
async function preview(as: TestUser, body: Record<string, unknown>) {
  const res = await t.request('POST', '/api/catalog/entries/similar', { as, body });
  assert.equal(res.statusCode, 200, res.body);
  return res.json as { threshold: number; items: Similar[] };
}

before(async () => {
  t = await createTestApp();
  const deptC = await buildOrganization(t.services, { parentId: t.world.province.id, nameZh: '浙江省民政局', nameEn: 'Civil Affairs Bureau' });
  const deptD = await buildOrganization(t.services, { parentId: t.world.province.id, nameZh: '浙江省教育厅', nameEn: 'Zhejiang Education Department' });
  officerC = await buildUser(t.services, { orgId: deptC.id, roles: ['officer'], username: 'officer-c' }).then((u) => ({ id: u.id, username: u.username, orgId: deptC.id }));
  officerD = await buildUser(t.services, { orgId: deptD.id, roles: ['officer'], username: 'officer-d' }).then((u) => ({ id: u.id, username: u.username, orgId: deptD.id }));
  const settings = await t.request('PUT', '/api/catalog/settings', { as: t.world.platformAdmin, body: { reviewerOrgId: t.world.deptB.id, answerWorkingDays: 10 } });
  assert.equal(settings.statusCode, 200, settings.body);
  // C's register, published.
  const c = await draft(officerC);
  const submitted = await t.request('POST', `/api/catalog/entries/${c.id}/submit`, { as: officerC, body: { version: c.version } });
  const approved = await t.request('POST', `/api/catalog/entries/${c.id}/approve`, { as: t.world.adminB, body: { version: submitted.json.version } });
  assert.equal(approved.statusCode, 200, approved.body);
  published = c;
  // D's draft of a similar register, never published: D's and the data bureau's only.
  // (C's register is highly alike: D confirms it is not the same, as the editor would.)
  draftD = await draft(officerD, { nameZh: '城乡低保对象名单', nameEn: 'Dibao recipients' }, { similarSeen: [c.id], similarAcknowledged: true });
});
after(() => t.close());

test('the routes ask for a signed-in user', async () => {
  assert.equal((await t.request('POST', '/api/catalog/entries/similar', { body: { nameZh: '低保' } })).statusCode, 401);
  assert.equal((await t.request('GET', `/api/catalog/entries/${published.id}/similar-check`)).statusCode, 401);
});

test('only staff who may draft ask for similar entries', async () => {
  for (const as of [t.world.auditor, t.world.platformAdmin, t.world.securityAdmin]) {
    const res = await t.request('POST', '/api/catalog/entries/similar', { as, body: { nameZh: '低保对象名册' } });
    assert.equal(res.statusCode, 403, `${as.username}: ${res.body}`);
  }
});

test('bad input is refused naming the field', async () => {
  const cases: [Record<string, unknown>, string][] = [
    [{ nameZh: { text: '低保' } }, 'nameZh'],
    [{ nameZh: '低'.repeat(201) }, 'nameZh'],
    [{ dataItems: [{ name: '名'.repeat(101) }] }, 'dataItems.0.name'],
    [{ dataItems: 'x' }, 'dataItems.0'],
    [{ limit: 0 }, 'limit'],
    [{ nameZh: '低保', colour: 'red' }, 'colour'],
  ];
  for (const [body, field] of cases) {
    const res = await t.request('POST', '/api/catalog/entries/similar', { as: t.world.officerA, body });
    assert.equal(res.statusCode, 400, `${JSON.stringify(body)}: ${res.body}`);
    assert.ok((res.json.errors as { field: string }[]).some((e) => e.field === field), `${field} in ${res.body}`);
  }
  const entries = await count('catalog.entries');
  for (const [extra, field] of [
    [{ similarSeen: ['not-an-id'] }, 'similarSeen.0'],
    [{ similarAcknowledged: 'perhaps' }, 'similarAcknowledged'],
    [{ similarNote: 'x'.repeat(2001) }, 'similarNote'],
  ] as const) {
    const res = await t.request('POST', '/api/catalog/entries', { as: t.world.officerA, body: { metadata: metadata(), ...extra } });
    assert.equal(res.statusCode, 400, res.body);
    assert.ok((res.json.errors as { field: string }[]).some((e) => e.field === field), `${field} in ${res.body}`);
  }
  assert.equal(await count('catalog.entries'), entries);
});

test('a drafter sees published entries and its own, never a third department’s drafts', async () => {
  const found = await preview(t.world.officerA, { nameZh: '城乡低保对象名册', dataItems: [{ name: '姓名' }, { name: '公民身份号码', field: 'id_number' }, { name: '救助金额' }] });
  assert.equal(found.threshold, HIGH_SIMILARITY);
  const c = found.items.find((i) => i.id === published.id);
  assert.ok(c, JSON.stringify(found.items));
  assert.equal(c.status, 'published');
  assert.equal(c.provider.nameZh, '浙江省民政局');
  assert.equal(c.high, true);
  assert.deepEqual(c.matchedItems.map((m) => m.existing), ['姓名', '身份证号']);
  assert.ok(!found.items.some((i) => i.id === draftD.id), 'D’s draft stays D’s');
  // D itself sees its own draft (and C's published entry) but it never blocks D.
  const byD = await preview(officerD, { nameZh: '城乡低保对象名单' });
  const own = byD.items.find((i) => i.id === draftD.id);
  assert.equal(own?.status, 'draft');
  assert.equal(own?.high, false);
  // Nothing alike: nothing listed. An empty draft: nothing, not an error.
  assert.deepEqual((await preview(t.world.officerA, { nameZh: '机动车违法停车热点' })).items, []);
  assert.deepEqual((await preview(t.world.officerA, {})).items, []);
  assert.equal((await preview(t.world.officerA, { nameZh: '低保', limit: 1 })).items.length, 1);
});

test('an unconfirmed highly similar entry of another department refuses the draft and writes nothing', async () => {
  const before = { entries: await count('catalog.entries'), checks: await count('catalog.similar_checks'), audit: await count('audit.events') };
  const refused = await t.request('POST', '/api/catalog/entries', { as: t.world.officerA, body: { metadata: metadata({ nameZh: '城乡低保对象名册' }) } });
  assert.equal(refused.statusCode, 409, refused.body);
  assert.equal(refused.json.code, 'similar_entries_unacknowledged');
  assert.match(refused.json.detail, new RegExp(published.code.replace('/', '\\/')));
  assert.match(refused.json.detail, /not the same/);
  assert.equal(refused.json.errors[0].field, 'similarAcknowledged');
  const zh = await t.request('POST', '/api/catalog/entries', { as: t.world.officerA, body: { metadata: metadata({ nameZh: '城乡低保对象名册' }) }, headers: { 'accept-language': 'zh-CN' } });
  assert.equal(zh.statusCode, 409);
  assert.match(zh.json.detail, /其他部门已编目与此高度相似的资源/);
  assert.ok(zh.json.detail.includes(published.code));
  // Confirmed without having been shown it: refused too, saying so.
  const unseen = await t.request('POST', '/api/catalog/entries', { as: t.world.officerA, body: { metadata: metadata({ nameZh: '城乡低保对象名册' }), similarAcknowledged: true, similarSeen: [draftD.id] } });
  assert.equal(unseen.statusCode, 409, unseen.body);
  assert.match(unseen.json.detail, /not among those you were shown/);
  assert.deepEqual({ entries: await count('catalog.entries'), checks: await count('catalog.similar_checks'), audit: await count('audit.events') }, before);
});

test('a confirmed draft is created with its check recorded and audited; its department and the data bureau read it, others not', async () => {
  const shown = await preview(t.world.officerA, { nameZh: '城乡低保对象名册', dataItems: metadata().dataItems });
  const note = '本厅名册仅含公安业务核查所需信息项，与民政局名册用途不同。';
  const entry = await draft(t.world.officerA, { nameZh: '城乡低保对象名册' }, { similarSeen: shown.items.map((i) => i.id), similarAcknowledged: true, similarNote: `  ${note} ` });
  const rows = await db().selectFrom('catalog.similar_checks').selectAll().where('entry_id', '=', entry.id).execute();
  assert.equal(rows.length, 1);
  assert.equal(rows[0].acknowledged, true);
  assert.equal(rows[0].note, note);
  const audit = await db().selectFrom('audit.events').selectAll().where('action', '=', 'catalog.entry.similar_seen').where('subject_id', '=', entry.code).execute();
  assert.equal(audit.length, 1);
  assert.equal(audit[0].detail.acknowledged, true);
  assert.equal(audit[0].detail.shown[0].code, published.code);

  for (const as of [t.world.officerA, t.world.adminB]) {
    const res = await t.request('GET', `/api/catalog/entries/${entry.id}/similar-check`, { as });
    assert.equal(res.statusCode, 200, res.body);
    const [check] = res.json.checks;
    assert.equal(check.acknowledged, true);
    assert.equal(check.note, note);
    assert.equal(check.actorName, t.world.officerA.username);
    const c = check.shown.find((s: Similar & { seen: boolean }) => s.id === published.id);
    assert.ok(c?.high && c.seen, JSON.stringify(check.shown));
    assert.equal(c.provider.nameZh, '浙江省民政局');
  }
  // Another department: the draft is not theirs to read at all.
  assert.equal((await t.request('GET', `/api/catalog/entries/${entry.id}/similar-check`, { as: officerC })).statusCode, 404);
  // A published entry is read by everyone, its check only by its department and the data bureau.
  const forbidden = await t.request('GET', `/api/catalog/entries/${published.id}/similar-check`, { as: officerD });
  assert.equal(forbidden.statusCode, 403, forbidden.body);
  const ownCheck = await t.request('GET', `/api/catalog/entries/${published.id}/similar-check`, { as: officerC });
  assert.equal(ownCheck.statusCode, 200);
  assert.equal(ownCheck.json.checks.length, 1, 'C’s own create was checked too, with nothing similar then');
  assert.deepEqual(ownCheck.json.checks[0].shown, []);
  assert.equal(ownCheck.json.checks[0].acknowledged, false);
  assert.equal((await t.request('GET', '/api/catalog/entries/00000000-0000-4000-8000-000000000000/similar-check', { as: t.world.adminB })).statusCode, 404);
});

test('the department’s own similar entries are shown and recorded but do not block', async () => {
  // D drafts the same register again: its own draft is highly alike, and C's published one is
  // only moderately (D's differs in its items).
  const again = await draft(officerD, { nameZh: '城乡低保对象名单', nameEn: 'Dibao recipients', dataItems: [{ name: '学生姓名', type: 'string' }] });
  const res = await t.request('GET', `/api/catalog/entries/${again.id}/similar-check`, { as: officerD });
  const own = res.json.checks[0].shown.find((s: Similar) => s.id === draftD.id);
  assert.ok(own && own.score >= HIGH_SIMILARITY && own.high === false, JSON.stringify(res.json.checks[0].shown));
});
