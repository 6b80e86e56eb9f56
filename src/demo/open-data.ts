// The demo's open data: the statistics bureau catalogs a table of resident population and
// GDP by division, open under CC BY 4.0; the data bureau approves it; two releases follow
// (2024's figures, then 2025's added), so the public site shows a dataset with a history.
// Through the catalog's own services, so every value is checked as a provider's would be.
import type { Services } from '../app.ts';
import type { Operator } from '../platform/actor.ts';
import { localOperator } from '../platform/actor.ts';

/** The seed acting as a member of an organization (no policy applies to a local operator; the audit names it). */
const asMemberOf = (orgId: string): Operator => ({ ...localOperator('seed'), auditAs: { id: null, name: 'seed', orgId } });

const METADATA = {
  classification: { class: '3', item: '07', subItem: '000', detail: '' },
  nameZh: '青云省各市县常住人口与地区生产总值',
  nameEn: 'Resident population and GDP of Qingyun by division',
  abstractZh: '青云省及所辖市、县的年末常住人口（万人）和地区生产总值（亿元），按年度发布，数据来源为统计年报。',
  abstractEn: 'Year-end resident population (10,000 persons) and gross regional product (100 million yuan) of Qingyun province and its cities and counties, published yearly from the statistical yearbook.',
  format: { class: 'spreadsheet', type: 'CSV' },
  dataItems: [
    { name: '区划代码', nameEn: 'Division code', field: 'division_code', type: 'string', description: '统计用区划代码（6 位）' },
    { name: '区划名称', nameEn: 'Division', field: 'division_name', type: 'string', description: '' },
    { name: '年度', nameEn: 'Year', field: 'year', type: 'integer', description: '' },
    { name: '常住人口（万人）', nameEn: 'Resident population (10,000)', field: 'population', type: 'decimal', description: '年末常住人口' },
    { name: '地区生产总值（亿元）', nameEn: 'GDP (100 million yuan)', field: 'gdp', type: 'decimal', description: '当年价格' },
    { name: '是否初步核算', nameEn: 'Preliminary', field: 'preliminary', type: 'boolean', description: '初步核算数据将在次年修订' },
  ],
  sharing: { type: 'unconditional', methods: ['bulk', 'api'] },
  open: { open: true, condition: '' },
  licence: 'CC-BY-4.0',
  updateCycle: 'yearly',
  themes: ['01'],
  keywords: ['人口', '经济', '统计'],
};

const HEADER = 'division_code,division_name,year,population,gdp,preliminary';
const Y2024 = ['990000,青云省,2024,4862.35,58213.6,否', '990100,云州市,2024,1204.18,17520.4,否', '990200,临江市,2024,836.52,9876.3,否', '990121,安平县,2024,58.41,412.7,否'];
const Y2025 = ['990000,青云省,2025,4870.12,61032.9,是', '990100,云州市,2025,1211.06,18402.1,是', '990200,临江市,2025,838.90,10311.8,是', '990121,安平县,2025,58.02,431.5,是'];

export async function seedOpenData(services: Services, ids: Map<string, string>): Promise<void> {
  const stats = asMemberOf(ids.get('stats')!);
  const bureau = asMemberOf(ids.get('data')!);
  const catalog = services.catalog.service;
  const draft = await catalog.create(stats, METADATA);
  const submitted = await catalog.submit(stats, draft.id, draft.version, '年度统计数据，申请向社会开放');
  await catalog.decide(bureau, submitted.id, submitted.version, 'approve', '同意开放');
  const file = (lines: string[]) => Buffer.from([HEADER, ...lines].join('\r\n'), 'utf8');
  await services.catalog.openData.service.publish(stats, draft.id, file(Y2024), '2024 年统计年报数据');
  await services.catalog.openData.service.publish(stats, draft.id, file([...Y2024, ...Y2025]), '新增 2025 年初步核算数据');
}
