// The demo instance: the fictitious Qingyun Province (青云省), its government, ten provincial
// departments, two cities with departments of their own, and one county. Its division codes
// (99xxxx) are deliberately outside GB/T 2260 so nobody mistakes it for a real place; they are
// registered as local divisions. Credit codes are built with valid check characters.
import type { Role } from '../platform/actor.ts';
import { buildCreditCode } from '../platform/codes/credit-code.ts';

/**
 * The demo administrators' TOTP secret (base32), documented in the README like the demo
 * password, so `npm start` stays usable: administrators must sign in with a code (level 3).
 * Add it to an authenticator app, or compute a code with any TOTP tool. Demo data only: a
 * real installation's administrators set their own up at their first sign-in.
 */
export const DEMO_TOTP_SECRET = 'EGOVDEMOTOTPSECRETDONOTUSE234567';

export type DemoOrg = {
  key: string;
  parentKey: string | null;
  nameZh: string;
  nameEn: string;
  divisionCode: string;
  type: 'government' | 'organ' | 'institution';
};

export const DEMO_DIVISIONS = [
  { code: '990000', name: '青云省', level: 'province' as const, parent: null },
  { code: '990100', name: '云州市', level: 'city' as const, parent: '990000' },
  { code: '990200', name: '临江市', level: 'city' as const, parent: '990000' },
  { code: '990121', name: '安平县', level: 'county' as const, parent: '990100' },
];

const PROVINCE_DEPARTMENTS: [string, string, string][] = [
  ['psb', '青云省公安厅', 'Qingyun Provincial Department of Public Security'],
  ['ca', '青云省民政厅', 'Qingyun Provincial Department of Civil Affairs'],
  ['amr', '青云省市场监督管理局', 'Qingyun Provincial Administration for Market Regulation'],
  ['hrss', '青云省人力资源和社会保障厅', 'Qingyun Provincial Department of Human Resources and Social Security'],
  ['nr', '青云省自然资源厅', 'Qingyun Provincial Department of Natural Resources'],
  ['stats', '青云省统计局', 'Qingyun Provincial Bureau of Statistics'],
  ['fin', '青云省财政厅', 'Qingyun Provincial Department of Finance'],
  ['eco', '青云省生态环境厅', 'Qingyun Provincial Department of Ecology and Environment'],
  ['edu', '青云省教育厅', 'Qingyun Provincial Department of Education'],
  ['data', '青云省数据局', 'Qingyun Provincial Data Bureau'],
];

function cityDepartments(prefix: string, cityZh: string, cityEn: string): [string, string, string][] {
  return [
    [`${prefix}-psb`, `${cityZh}公安局`, `${cityEn} Public Security Bureau`],
    [`${prefix}-amr`, `${cityZh}市场监督管理局`, `${cityEn} Administration for Market Regulation`],
    [`${prefix}-hrss`, `${cityZh}人力资源和社会保障局`, `${cityEn} Human Resources and Social Security Bureau`],
  ];
}

export const DEMO_ORGS: DemoOrg[] = [
  { key: 'gov', parentKey: null, nameZh: '青云省人民政府', nameEn: "Qingyun Provincial People's Government", divisionCode: '990000', type: 'government' },
  ...PROVINCE_DEPARTMENTS.map(([key, nameZh, nameEn]) => ({ key, parentKey: 'gov', nameZh, nameEn, divisionCode: '990000', type: 'organ' as const })),
  { key: 'yz', parentKey: 'gov', nameZh: '云州市人民政府', nameEn: "Yunzhou Municipal People's Government", divisionCode: '990100', type: 'government' },
  ...cityDepartments('yz', '云州市', 'Yunzhou').map(([key, nameZh, nameEn]) => ({ key, parentKey: 'yz', nameZh, nameEn, divisionCode: '990100', type: 'organ' as const })),
  { key: 'lj', parentKey: 'gov', nameZh: '临江市人民政府', nameEn: "Linjiang Municipal People's Government", divisionCode: '990200', type: 'government' },
  ...cityDepartments('lj', '临江市', 'Linjiang').map(([key, nameZh, nameEn]) => ({ key, parentKey: 'lj', nameZh, nameEn, divisionCode: '990200', type: 'organ' as const })),
  { key: 'ap', parentKey: 'yz', nameZh: '安平县人民政府', nameEn: "Anping County People's Government", divisionCode: '990121', type: 'government' },
];

/** Deterministic, valid credit codes: registration authority 1 (staffing office), type 1 (organ). */
export function demoCreditCode(org: DemoOrg, index: number): string {
  return buildCreditCode('1', '1', org.divisionCode, `QY${String(index + 1).padStart(6, '0')}`);
}

export type DemoUser = { username: string; displayName: string; orgKey: string; roles: Role[] };

export function demoUsers(): DemoUser[] {
  const users: DemoUser[] = [
    { username: 'dataadmin', displayName: '数据局平台管理员', orgKey: 'data', roles: ['platform_admin'] },
    { username: 'security', displayName: '数据局安全管理员', orgKey: 'data', roles: ['security_admin'] },
    { username: 'auditor', displayName: '数据局审计管理员', orgKey: 'data', roles: ['audit_admin'] },
  ];
  for (const org of DEMO_ORGS) {
    if (org.type === 'government') continue;
    users.push({ username: `${org.key}.admin`, displayName: `${org.nameZh}管理员`, orgKey: org.key, roles: ['org_admin'] });
    users.push({ username: `${org.key}.officer`, displayName: `${org.nameZh}工作人员`, orgKey: org.key, roles: ['officer'] });
  }
  return users;
}

/** Business systems of the demo departments: the members' subsystems on the exchange. */
export const DEMO_SUBSYSTEMS = [
  { orgKey: 'psb', code: 'hukou', nameZh: '人口户籍系统', nameEn: 'Household registration system', description: '户籍信息查询与核验' },
  { orgKey: 'ca', code: 'welfare', nameZh: '社会救助系统', nameEn: 'Social assistance system', description: '低保与特困救助审核' },
  { orgKey: 'amr', code: 'licensing', nameZh: '市场主体登记系统', nameEn: 'Business registration system', description: '企业登记与电子营业执照' },
  { orgKey: 'psb', code: 'registries', nameZh: '人口基础信息库服务', nameEn: 'Population register services', description: '人口基础信息库的数据共享服务' },
  { orgKey: 'amr', code: 'registries', nameZh: '法人单位基础信息库服务', nameEn: 'Legal entities register services', description: '法人单位基础信息库的数据共享服务' },
  { orgKey: 'hrss', code: 'social-insurance', nameZh: '社会保险系统', nameEn: 'Social insurance system', description: '参保登记与缴费' },
  { orgKey: 'data', code: 'identity', nameZh: '统一身份认证系统', nameEn: 'Unified identity system', description: '个人与企业账户的实名核验' },
] as const;
