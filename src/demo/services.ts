// The demo's four public services (issue 8), each with a realistic guide, published by its
// department through the service catalog's own checks: individual business registration
// (market regulation), the residence permit (public security), the social security card
// (human resources and social security), and the environmental impact approval of a
// construction project, handled jointly by ecology and environment with natural resources.
import type { Services } from '../app.ts';
import { localOperator, type Operator } from '../platform/actor.ts';
import type { ServiceInput } from '../modules/services/index.ts';
import { seedServiceForm } from './service-forms.ts';

const asMemberOf = (orgId: string): Operator => ({ ...localOperator('seed'), auditAs: { id: null, name: 'seed', orgId } });

const ID_CARD = { key: 'idCard', nameZh: '居民身份证', nameEn: 'Resident identity card', required: true, fetchable: { registry: 'population', field: 'idNumber' }, templateUrl: null, sampleUrl: null };
const PHOTO = { key: 'photo', nameZh: '近期免冠证件照（电子版）', nameEn: 'Recent passport-style photo (digital)', required: true, fetchable: null, templateUrl: null, sampleUrl: null };
const upload = (key: string, nameZh: string, nameEn: string, required = true) => ({ key, nameZh, nameEn, required, fetchable: null, templateUrl: null, sampleUrl: null });

type DemoService = Omit<ServiceInput, 'orgId' | 'jointOrgIds'> & { org: string; joint: string[] };

export const DEMO_SERVICES: DemoService[] = [
  {
    code: 'amr.individual-business-registration',
    kind: 'licence',
    org: 'amr',
    joint: [],
    nameZh: '个体工商户设立登记',
    nameEn: 'Registering an individual business',
    summaryZh: '自然人从事个体工商业经营，向市场监督管理部门申请设立登记，领取营业执照。',
    summaryEn: 'A natural person who runs a small business registers it with market regulation and receives a business licence.',
    legalBasis: [
      { zh: '《促进个体工商户发展条例》', en: 'Regulations on Promoting the Development of Individual Businesses' },
      { zh: '《中华人民共和国市场主体登记管理条例》', en: 'Regulations on the Registration of Market Entities' },
    ],
    conditions: [
      { zh: '申请人为具有经营能力的自然人', en: 'The applicant is a natural person able to run a business' },
      { zh: '有固定的经营场所', en: 'There are fixed business premises' },
    ],
    materials: [ID_CARD, upload('premises', '经营场所使用证明', 'Proof of the right to use the premises'), upload('nameApproval', '名称自主申报承诺书', 'Declaration of the chosen business name', false)],
    fees: [],
    statutoryDays: 15,
    promisedDays: 1,
    visits: 0,
    faqs: [{ qZh: '可以由他人代为办理吗？', qEn: 'Can someone else apply for me?', aZh: '可以，经办人须在平台上获得您的授权。', aEn: 'Yes: an agent you authorize on the platform can.' }],
    events: ['starting'],
  },
  {
    code: 'psb.residence-permit',
    kind: 'confirmation',
    org: 'psb',
    joint: [],
    nameZh: '居住证申领',
    nameEn: 'Applying for a residence permit',
    summaryZh: '离开常住户口所在地，在本省城市居住半年以上的公民，申领居住证，享受居住地基本公共服务。',
    summaryEn: 'Citizens living in a city of the province for six months or more away from their household registration apply for a residence permit and the public services it brings.',
    legalBasis: [{ zh: '《居住证暂行条例》', en: 'Interim Regulations on Residence Permits' }],
    conditions: [
      { zh: '在居住地居住半年以上', en: 'Has lived in the city for six months or more' },
      { zh: '有合法稳定就业、合法稳定住所或连续就读三者之一', en: 'Has lawful stable work, a lawful stable home, or continuous schooling there' },
    ],
    materials: [ID_CARD, PHOTO, upload('residenceProof', '居住证明（租赁合同或房产证明）', 'Proof of residence (tenancy agreement or property certificate)'), upload('employmentProof', '就业或就读证明', 'Proof of work or study', false)],
    fees: [],
    statutoryDays: 15,
    promisedDays: 7,
    visits: 1,
    faqs: [{ qZh: '居住证多久签注一次？', qEn: 'How often is the permit renewed?', aZh: '每年签注一次，可在平台上在线签注。', aEn: 'Once a year, online on the platform.' }],
    events: ['residence'],
  },
  {
    code: 'hrss.social-security-card',
    kind: 'public_service',
    org: 'hrss',
    joint: [],
    nameZh: '社会保障卡申领',
    nameEn: 'Applying for a social security card',
    summaryZh: '参保人员申领社会保障卡，用于就医结算、待遇领取和人社业务办理。',
    summaryEn: 'Insured persons apply for a social security card, used for medical bills, benefits and social security business.',
    legalBasis: [{ zh: '《中华人民共和国社会保险法》', en: 'Social Insurance Law of the PRC' }],
    conditions: [{ zh: '已在本省参加社会保险', en: 'Is insured in the province' }],
    materials: [ID_CARD, PHOTO],
    fees: [],
    statutoryDays: 20,
    promisedDays: 10,
    visits: 0,
    faqs: [{ qZh: '卡片如何领取？', qEn: 'How do I get the card?', aZh: '可选择邮寄或到合作银行网点领取。', aEn: 'By post, or at a partner bank branch.' }],
    events: ['employment', 'retirement'],
  },
  {
    code: 'eco.construction-eia-approval',
    kind: 'licence',
    org: 'eco',
    joint: ['nr'],
    nameZh: '建设项目环境影响报告书审批',
    nameEn: 'Approval of the environmental impact report of a construction project',
    summaryZh: '建设单位在开工前报批建设项目环境影响报告书；生态环境部门会同自然资源部门联合审查用地和生态保护红线。',
    summaryEn: 'Before building starts, the developer has the project’s environmental impact report approved; ecology and environment reviews it jointly with natural resources, who check the land and the ecological red lines.',
    legalBasis: [
      { zh: '《中华人民共和国环境影响评价法》', en: 'Environmental Impact Assessment Law of the PRC' },
      { zh: '《建设项目环境保护管理条例》', en: 'Regulations on the Environmental Protection Management of Construction Projects' },
    ],
    conditions: [{ zh: '项目符合国土空间规划和生态环境分区管控要求', en: 'The project fits the territorial spatial plan and the environmental zoning' }],
    materials: [
      { key: 'businessLicence', nameZh: '建设单位营业执照', nameEn: "Developer's business licence", required: true, fetchable: { registry: 'legal-entities', field: 'creditCode' }, templateUrl: null, sampleUrl: null },
      upload('eiaReport', '环境影响报告书（全本）', 'Environmental impact report (full text)'),
      upload('landPreApproval', '用地预审与选址意见书', 'Land pre-approval and site selection opinion'),
      upload('publicParticipation', '公众参与说明', 'Statement of public participation'),
    ],
    fees: [],
    statutoryDays: 45,
    promisedDays: 30,
    visits: 1,
    faqs: [{ qZh: '技术评估时间计入审批时限吗？', qEn: 'Does the technical assessment count towards the time limit?', aZh: '不计入。专家评审、技术评估期间暂停计时，并书面告知申请人。', aEn: 'No. The clock stops for expert review and technical assessment, and you are told in writing.' }],
    events: ['construction'],
  },
];

export async function seedServices(services: Services, orgIds: Map<string, string>): Promise<void> {
  const catalog = services.publicServices.catalog;
  for (const demo of DEMO_SERVICES) {
    const { org, joint, ...content } = demo;
    const orgId = orgIds.get(org)!;
    const op = asMemberOf(orgId);
    const created = await catalog.create(op, { ...content, orgId, jointOrgIds: joint.map((k) => orgIds.get(k)!) });
    // The e-form is written while the service is a draft; publishing freezes it.
    await seedServiceForm(services, op, created.code);
    await catalog.setStatus(op, created.code, created.version, 'published');
  }
}
