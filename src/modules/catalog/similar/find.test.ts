// The lookup through the in-memory index gives the full scan's answer: the same entries, in
// the same order, with the same scores and matched items, ties at the end of the list
// included. A generated catalog of 3,000 entries (names and items from small word lists, so
// that many entries are near-duplicates and many scores tie), with one department's drafts and
// revisions in progress; compared for many drafts, both departments and several limits, again
// after entries are published anew (the index catches up), and inside a transaction.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { after, before, test } from 'node:test';
import { buildOrganization } from '../../../test-support/factories.ts';
import { createTestApp, type TestApp } from '../../../test-support/test-app.ts';
import type { EntryRow } from '../store.ts';
import { createFinder, featuresOf, findByScan, keep, shown, type Finder } from './find.ts';
import { MIN_SHOWN, features, similarity, type Features, type NamedInput } from './score.ts';
import * as store from './store.ts';

const SUBJECTS: [string, string][] = [
  ['低保', 'minimum living allowance'], ['特困人员', 'persons in extreme poverty'], ['医疗保险', 'medical insurance'], ['养老保险', 'pension insurance'],
  ['企业', 'enterprise'], ['不动产', 'real estate'], ['机动车', 'motor vehicle'], ['户籍', 'household registration'], ['学校', 'school'],
  ['环境监测', 'environmental monitoring'], ['社会组织', 'social organization'], ['残疾人', 'persons with disabilities'],
];
const OBJECTS: [string, string][] = [['对象名册', 'register of recipients'], ['名册', 'register'], ['名单', 'list'], ['登记信息', 'registration records'], ['统计数据', 'statistics'], ['台账', 'ledger']];
const QUALIFIERS = ['', '全省', '城乡', '市级', '县级'];
const ITEMS: [string, string, string][] = [
  ['姓名', 'Name', 'name'], ['身份证号', 'ID number', 'id_number'], ['公民身份号码', '', 'idNumber'], ['性别', 'Sex', 'sex'], ['出生日期', 'Date of birth', 'birth_date'],
  ['联系电话', 'Phone', 'phone'], ['住址', 'Address', 'address'], ['统一社会信用代码', 'Unified social credit code', 'credit_code'], ['单位名称', 'Organization name', 'org_name'],
  ['发放金额', 'Amount paid', 'amount'], ['保障金额', 'Allowance', 'amount'], ['行政区划', 'Administrative division', 'division'], ['学籍号', 'Student number', 'student_no'],
];

function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rnd = random(20261208);
const pick = <T>(list: T[]): T => list[Math.floor(rnd() * list.length)]!;

/** A name and items from the word lists: some items by field or English name only, some spelt with spaces or full width. */
function generated(): Required<NamedInput> {
  const [subZh, subEn] = pick(SUBJECTS);
  const [objZh, objEn] = pick(OBJECTS);
  const items = [...new Set(Array.from({ length: 1 + Math.floor(rnd() * 5) }, () => pick(ITEMS)))].map(([name, nameEn, field]) => {
    const r = rnd();
    return r < 0.15 ? { field } : r < 0.25 ? { nameEn, field: field.toUpperCase() } : r < 0.3 ? { name: ` ${name}（码）` } : { name, nameEn, field };
  });
  return { nameZh: `${pick(QUALIFIERS)}${subZh}${objZh}`, nameEn: rnd() < 0.5 ? `${objEn} of ${subEn}` : '', dataItems: items };
}

function metadataOf(named: Required<NamedInput>) {
  return {
    classification: { class: '3', item: '07', subItem: '001', detail: '' },
    nameZh: named.nameZh,
    nameEn: named.nameEn,
    abstractZh: `${named.nameZh}。`,
    abstractEn: named.nameEn,
    format: { class: 'database', type: 'PostgreSQL' },
    dataItems: named.dataItems.map((d) => ({ name: d.name ?? '', nameEn: d.nameEn ?? '', field: d.field ?? '', type: 'string', description: '' })),
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

let t: TestApp;
let finder: Finder;
let orgs: string[];
const published: EntryRow[] = [];
const db = () => t.services.database.db;
const N = 3000;

/** Publishes `rows` as publishing does: the entries' published columns and the search index, in one transaction. */
async function publish(rows: EntryRow[]) {
  await db()
    .transaction()
    .execute(async (trx) => {
      for (const r of rows) await trx.updateTable('catalog.entries').set({ provider_org_id: r.provider_org_id, published_version: r.published_version, published_metadata: JSON.stringify(r.published_metadata), metadata: JSON.stringify(r.metadata), status: r.status }).where('id', '=', r.id).execute();
      await t.services.catalog.search.indexEntries(trx, rows);
    });
}

before(async () => {
  t = await createTestApp();
  const c = await buildOrganization(t.services, { parentId: t.world.province.id, nameZh: '浙江省民政局', nameEn: 'Civil Affairs Bureau' });
  orgs = [t.world.deptA.id, t.world.deptB.id, c.id];
  const rows: EntryRow[] = [];
  const earlier: Required<NamedInput>[] = [];
  for (let i = 0; i < N; i++) {
    // One in eight is a copy of an earlier entry (the same resource catalogued again).
    const named = i > 10 && rnd() < 0.125 ? earlier[Math.floor(rnd() * earlier.length)]! : generated();
    earlier.push(named);
    const metadata = metadataOf(named) as unknown as EntryRow['metadata'];
    const provider = orgs[i % 3]!;
    const now = new Date(Date.UTC(2026, 0, 1) + i * 60_000);
    // deptA's last hundred: drafts never published, and revisions of published entries.
    const kind = provider === t.world.deptA.id && i >= N - 300 ? (i % 2 === 0 ? 'draft' : 'revision') : 'published';
    const workingCopy = kind === 'revision' ? (metadataOf(generated()) as unknown as EntryRow['metadata']) : metadata;
    rows.push({
      id: crypto.randomUUID(),
      code: `307001/${String(i + 1).padStart(6, '0')}`,
      provider_org_id: provider,
      status: kind === 'published' ? 'published' : 'draft',
      metadata: workingCopy,
      version: 1,
      published_version: kind === 'draft' ? 0 : 1,
      published_metadata: kind === 'draft' ? null : metadata,
      published_at: kind === 'draft' ? null : now,
      source_registry: null,
      created_at: now,
      updated_at: now,
    });
  }
  for (let i = 0; i < rows.length; i += 500) {
    const batch = rows.slice(i, i + 500).map((r) => ({ ...r, metadata: JSON.stringify(r.metadata), published_metadata: r.published_metadata ? JSON.stringify(r.published_metadata) : null }));
    await db().insertInto('catalog.entries').values(batch).execute();
  }
  published.push(...rows.filter((r) => r.published_version > 0));
  for (let i = 0; i < published.length; i += 1000) await db().transaction().execute((trx) => t.services.catalog.search.indexEntries(trx, published.slice(i, i + 1000)));
  finder = createFinder(db());
});
after(() => t.close());

const drafts: NamedInput[] = [
  ...Array.from({ length: 40 }, () => generated()),
  ...Array.from({ length: 8 }, () => ({ nameZh: pick(SUBJECTS)[0] })),
  ...Array.from({ length: 6 }, () => ({ nameEn: `${pick(OBJECTS)[1]} of ${pick(SUBJECTS)[1]}` })),
  ...Array.from({ length: 6 }, () => ({ dataItems: generated().dataItems })),
  { nameZh: '机动车违法停车热点' },
  {},
];

/** The full scan over every candidate of `orgId`, read once (the scan's own SQL), for many drafts. */
async function scanner(executor: Parameters<typeof findByScan>[0], orgId: string) {
  const all: { c: store.Candidate; f: Features }[] = [];
  let afterId: string | null = null;
  for (;;) {
    const page = await store.candidates(executor, orgId, null, afterId);
    all.push(...page.map((c) => ({ c, f: featuresOf(c) })));
    if (page.length < store.CANDIDATE_PAGE) break;
    afterId = page[page.length - 1]!.id;
  }
  // findByScan's loop, each candidate scored once for all the limits.
  return (draft: NamedInput) => {
    const mine = features(draft);
    const empty = mine.zh.size === 0 && mine.en.size === 0 && mine.items.length === 0;
    const scored = empty ? [] : all.map(({ c, f }) => ({ c, s: similarity(mine, f) })).filter(({ s }) => s.score >= MIN_SHOWN);
    return (limit: number) => {
      const best: store.ShownEntry[] = [];
      for (const { c, s } of scored) keep(best, shown(c, s, orgId), limit);
      return best;
    };
  };
}

/** Compares every draft for both departments and three limits; counts what the comparisons covered. */
async function compareAll(executor: Parameters<typeof findByScan>[0], label: string) {
  const seen = { lists: 0, entries: 0, ties: 0, own: 0 };
  for (const orgId of orgs.slice(0, 2)) {
    const scan = await scanner(executor, orgId);
    for (const [d, draft] of drafts.entries()) {
      const scanned = scan(draft);
      const wide = scanned(21);
      for (const limit of [1, 5, 20]) {
        const expected = scanned(limit);
        const actual = await finder.find(executor, orgId, draft, limit, null);
        assert.deepEqual(actual, expected, `${label}: draft ${d} ${JSON.stringify(draft)}, ${orgId === orgs[0] ? 'deptA' : 'deptB'}, limit ${limit}`);
        seen.lists += actual.length > 0 ? 1 : 0;
        seen.entries += actual.length;
        seen.own += actual.filter((e) => e.status === 'draft').length;
        // A tie across the end of the list: which of the equal scores stay is the scan's order.
        if (wide.length > limit && wide[limit - 1]!.score === wide[limit]!.score) seen.ties++;
      }
    }
  }
  return seen;
}

test('the index gives the full scan’s lists, ties included, for many drafts, departments and limits', async () => {
  const seen = await compareAll(db(), 'pool');
  assert.ok(seen.lists > 250 && seen.entries > 2500, JSON.stringify(seen));
  assert.ok(seen.ties > 20, `ties at the end of a list were compared: ${JSON.stringify(seen)}`);
  assert.ok(seen.own > 10, `deptA's drafts and revisions were compared: ${JSON.stringify(seen)}`);
  // The scan itself, through its SQL, for a few.
  for (const draft of drafts.slice(0, 5)) assert.deepEqual(await finder.find(db(), orgs[0]!, draft, 5, null), await findByScan(db(), orgs[0]!, draft, 5, null));
});

test('entries published after the index was loaded are found, as the scan finds them, outside and inside a transaction', async () => {
  // New versions of published entries, renamed after drafts (and one moved to deptA, as a derived entry may be).
  const changed = published.slice(0, 60).map((r, i) => {
    const named = drafts[i % 40] as Required<NamedInput>;
    const metadata = metadataOf(named) as unknown as EntryRow['metadata'];
    return { ...r, provider_org_id: i === 0 ? orgs[0]! : r.provider_org_id, version: r.version + 1, published_version: r.published_version + 1, metadata, published_metadata: metadata, status: 'published' as const };
  });
  await publish(changed.slice(0, 30));
  const seen = await compareAll(db(), 'after publishing');
  assert.ok(seen.lists > 250, JSON.stringify(seen));
  const renamed = await finder.find(db(), orgs[1]!, drafts[3]!, 20, null);
  assert.ok(renamed.some((e) => e.id === changed[3]!.id && e.score >= 0.6), 'a renamed entry is found by its new name');

  // Inside a transaction (as the create's check runs): the index catches up through it.
  await publish(changed.slice(30));
  await db()
    .transaction()
    .execute(async (trx) => {
      const inside = await compareAll(trx, 'in a transaction');
      assert.ok(inside.lists > 250, JSON.stringify(inside));
      assert.deepEqual(await finder.find(trx, orgs[0]!, drafts[33]!, 5, changed[33]!.id), await findByScan(trx, orgs[0]!, drafts[33]!, 5, changed[33]!.id), 'the entry being created is left out');
    });
});

test('a finder started inside a transaction loads the index through it', async () => {
  const fresh = createFinder(db());
  await db()
    .transaction()
    .execute(async (trx) => {
      for (const draft of drafts.slice(0, 10)) assert.deepEqual(await fresh.find(trx, orgs[1]!, draft, 5, null), await findByScan(trx, orgs[1]!, draft, 5, null));
    });
});
