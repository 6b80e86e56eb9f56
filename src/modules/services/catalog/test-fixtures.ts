// A complete service guide for tests: every text in both languages, one material the
// platform can fetch and one to upload, a fee, an FAQ; overrides change what a test is about.
import type { ServiceBody } from './schema.ts';

let serial = 0;

export function buildServiceBody(orgId: string, overrides: Partial<ServiceBody> = {}): ServiceBody {
  serial++;
  return {
    code: `TEST-${process.pid}-${serial}`,
    kind: 'licence',
    orgId,
    jointOrgIds: [],
    nameZh: `测试许可事项${serial}`,
    nameEn: `Test licence ${serial}`,
    summaryZh: '用于测试的行政许可事项。',
    summaryEn: 'An administrative licence for tests.',
    legalBasis: [{ zh: '《中华人民共和国行政许可法》', en: 'Administrative Licensing Law of the PRC' }],
    conditions: [{ zh: '申请人具有完全民事行为能力', en: 'The applicant has full civil capacity' }],
    materials: [
      { key: 'idCard', nameZh: '居民身份证', nameEn: 'Resident identity card', required: true, fetchable: { registry: 'population', field: 'idNumber' }, templateUrl: null, sampleUrl: null },
      { key: 'floorPlan', nameZh: '经营场所平面图', nameEn: 'Floor plan of the premises', required: true, fetchable: null, templateUrl: '/templates/floor-plan.pdf', sampleUrl: null },
    ],
    fees: [],
    statutoryDays: 20,
    promisedDays: 5,
    visits: 0,
    faqs: [{ qZh: '可以委托他人办理吗？', qEn: 'Can someone apply for me?', aZh: '可以，经办人须获授权。', aEn: 'Yes, an authorized agent can.' }],
    events: ['starting'],
    ...overrides,
  };
}
