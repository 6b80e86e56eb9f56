// Test data of the interoperability tests: entries of several departments in every state
// that matters to the public interfaces (open and published, open but not yet published,
// published but not open, published and being revised, derived from a registry), with
// Chinese text, built through the catalog's own routes.
import assert from 'node:assert/strict';
import { localOperator } from '../../../platform/actor.ts';
import { buildOrganization, buildUser } from '../../../test-support/factories.ts';
import type { TestApp, TestUser } from '../../../test-support/test-app.ts';
import { POPULATION } from '../../registries/index.ts';

export function buildMetadata(overrides: Record<string, unknown> = {}) {
  return {
    classification: { class: '3', item: '07', subItem: '000', detail: '' },
    nameZh: '公共厕所位置',
    nameEn: 'Public toilets',
    abstractZh: '全省城市公共厕所的位置、开放时间与无障碍设施。',
    abstractEn: 'Where the public toilets of the province are, when they open and their accessibility.',
    format: { class: 'spreadsheet', type: 'CSV' },
    dataItems: [
      { name: '名称', nameEn: 'Name', type: 'string' },
      { name: '经度', nameEn: 'Longitude', type: 'decimal' },
      { name: '纬度', nameEn: 'Latitude', type: 'decimal' },
    ],
    sharing: { type: 'unconditional', methods: ['bulk', 'api'] },
    open: { open: true },
    licence: 'CC-BY-4.0',
    updateCycle: 'monthly',
    themes: ['01'],
    keywords: ['公厕', '城市管理'],
    ...overrides,
  };
}

export type Seeded = {
  /** deptB plays the data bureau; deptC is a third department. */
  officerC: TestUser;
  deptCId: string;
  openA: { id: string; code: string };
  openTheme: { id: string; code: string };
  openC: { id: string; code: string };
  revised: { id: string; code: string };
  notOpen: { id: string; code: string };
  draftOpen: { id: string; code: string };
  submittedOpen: { id: string; code: string };
  base: { id: string; code: string };
};

async function draft(t: TestApp, as: TestUser, metadata: Record<string, unknown>) {
  const res = await t.request('POST', '/api/catalog/entries', { as, body: { metadata } });
  assert.equal(res.statusCode, 201, res.body);
  return res.json as { id: string; code: string; version: number };
}

async function submit(t: TestApp, as: TestUser, entry: { id: string; version: number }) {
  const res = await t.request('POST', `/api/catalog/entries/${entry.id}/submit`, { as, body: { version: entry.version } });
  assert.equal(res.statusCode, 200, res.body);
  return res.json as { id: string; code: string; version: number };
}

export async function publish(t: TestApp, as: TestUser, metadata: Record<string, unknown>) {
  const submitted = await submit(t, as, await draft(t, as, metadata));
  const res = await t.request('POST', `/api/catalog/entries/${submitted.id}/approve`, { as: t.world.adminB, body: { version: submitted.version, comment: '同意' } });
  assert.equal(res.statusCode, 200, res.body);
  // Each publication a minute after the one before, so "newest first" means something.
  t.clock.advance(60_000);
  return res.json as { id: string; code: string; version: number };
}

export async function seedCatalog(t: TestApp): Promise<Seeded> {
  const res = await t.request('PUT', '/api/catalog/settings', { as: t.world.platformAdmin, body: { reviewerOrgId: t.world.deptB.id, answerWorkingDays: 10 } });
  assert.equal(res.statusCode, 200, res.body);
  const deptC = await buildOrganization(t.services, { parentId: t.world.province.id, nameZh: '浙江省教育厅', nameEn: 'Zhejiang Education Department', divisionCode: '330000' });
  const officerC = await buildUser(t.services, { orgId: deptC.id, roles: ['officer'], username: 'officer-edu' });
  const c = { id: officerC.id, username: officerC.username, orgId: deptC.id };
  const a = t.world.officerA;

  const openA = await publish(t, a, buildMetadata({ nameZh: '机动车违法停车热点', nameEn: 'Illegal parking hot spots', abstractZh: '按路段统计的机动车违法停车次数（“热点”），每月更新。', keywords: ['交通', '停车', '热点'], themes: ['03'] }));
  const openTheme = await publish(t, a, buildMetadata({ classification: { class: '2', item: '05', subItem: '001', detail: '' }, nameZh: '安全生产检查结果', nameEn: '', abstractEn: '', licence: '浙江省公共数据开放许可协议', updateCycle: 'quarterly', themes: [], keywords: ['安全生产'] }));
  const openC = await publish(t, c, buildMetadata({ nameZh: '中小学名录', nameEn: 'Primary and secondary schools', abstractZh: '全省中小学校的名称、地址与办学类型。', keywords: [], themes: [], licence: 'CC0-1.0', updateCycle: 'yearly' }));
  const revisedPublished = await publish(t, a, buildMetadata({ nameZh: '公共停车场泊位', nameEn: 'Public car park spaces', keywords: ['停车'], updateCycle: 'realtime' }));
  const revision = await t.request('PUT', `/api/catalog/entries/${revisedPublished.id}`, { as: a, body: { version: revisedPublished.version, metadata: buildMetadata({ nameZh: '公共停车场泊位（修订中）', keywords: ['停车'] }) } });
  assert.equal(revision.statusCode, 200, revision.body);
  const notOpen = await publish(t, a, buildMetadata({ nameZh: '户籍人口变动', nameEn: 'Household registrations', open: { open: false }, licence: '', sharing: { type: 'conditional', condition: '用于人口管理', methods: ['api'] } }));
  const draftOpen = await draft(t, a, buildMetadata({ nameZh: '尚未发布的开放数据' }));
  const submittedOpen = await submit(t, a, await draft(t, a, buildMetadata({ nameZh: '待审核的开放数据' })));

  await t.services.registries.catalog.install(localOperator('test'), POPULATION, t.world.deptA.id);
  const sync = await t.request('POST', '/api/catalog/base-entries/sync', { as: t.world.platformAdmin });
  assert.equal(sync.statusCode, 200, sync.body);
  const baseCode = (sync.json as { registry: string; code: string }[]).find((r) => r.registry === 'population')!.code;
  const base = (await t.services.database.db.selectFrom('catalog.entries').select(['id', 'code']).where('code', '=', baseCode).executeTakeFirstOrThrow()) as { id: string; code: string };

  return { officerC: c, deptCId: deptC.id, openA, openTheme, openC, revised: revisedPublished, notOpen, draftOpen, submittedOpen, base };
}
