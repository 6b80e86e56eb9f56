// Life events (for citizens) and business events (for enterprises): how people look for
// government services, by what is happening to them rather than by which department does what.
// Each event names the words the portal searches its sources for, so services, disclosures and
// open data join an event as they are published, without a list to keep by hand.
import type { Text } from './text.ts';

export type PortalEvent = { slug: string; audience: 'citizen' | 'enterprise'; name: Text; summary: Text; terms: string[] };

export const PORTAL_EVENTS: PortalEvent[] = [
  { slug: 'birth', audience: 'citizen', name: { zh: '出生落户', en: 'Having a baby' }, summary: { zh: '出生医学证明、户口登记、医保参保', en: 'Birth certificate, household registration, health insurance' }, terms: ['出生', '户籍', '人口'] },
  { slug: 'education', audience: 'citizen', name: { zh: '入学教育', en: 'Going to school' }, summary: { zh: '入学报名、学籍、资助', en: 'Enrolment, student records, grants' }, terms: ['教育', '学校', '入学'] },
  { slug: 'employment', audience: 'citizen', name: { zh: '就业创业', en: 'Work and jobs' }, summary: { zh: '求职登记、社会保险、职业培训', en: 'Job seeking, social insurance, training' }, terms: ['就业', '社会保险', '社保'] },
  { slug: 'residence', audience: 'citizen', name: { zh: '居住迁移', en: 'Moving home' }, summary: { zh: '居住证、户口迁移、住房', en: 'Residence permit, moving your registration, housing' }, terms: ['居住', '户籍', '住房'] },
  { slug: 'marriage', audience: 'citizen', name: { zh: '婚姻家庭', en: 'Marriage and family' }, summary: { zh: '婚姻登记、收养、家庭救助', en: 'Marriage registration, adoption, family support' }, terms: ['婚姻', '救助', '民政'] },
  { slug: 'retirement', audience: 'citizen', name: { zh: '退休养老', en: 'Retiring' }, summary: { zh: '养老保险、退休待遇、养老服务', en: 'Pensions, retirement benefits, elderly care' }, terms: ['养老', '退休', '社会保险'] },
  { slug: 'starting', audience: 'enterprise', name: { zh: '开办企业', en: 'Starting a business' }, summary: { zh: '设立登记、印章、税务、社保开户', en: 'Registration, seals, tax and social insurance accounts' }, terms: ['企业', '登记', '市场主体', '法人'] },
  { slug: 'construction', audience: 'enterprise', name: { zh: '工程建设', en: 'Building a project' }, summary: { zh: '用地、规划、环评、施工许可', en: 'Land, planning, environmental assessment, construction permit' }, terms: ['建设', '用地', '环境', '自然资源'] },
  { slug: 'operating', audience: 'enterprise', name: { zh: '经营纳税', en: 'Running a business' }, summary: { zh: '经营许可、纳税、统计报送', en: 'Operating licences, taxes, statistical returns' }, terms: ['经营', '税', '统计', '许可'] },
  { slug: 'hiring', audience: 'enterprise', name: { zh: '用工招聘', en: 'Hiring staff' }, summary: { zh: '招聘备案、社保登记、职业培训补贴', en: 'Hiring, social insurance registration, training subsidies' }, terms: ['就业', '社会保险', '人力资源'] },
  { slug: 'closing', audience: 'enterprise', name: { zh: '注销退出', en: 'Closing a business' }, summary: { zh: '清算、注销登记、税务注销', en: 'Winding up, deregistration, closing tax accounts' }, terms: ['注销', '企业', '登记'] },
];

export const findEvent = (slug: string) => PORTAL_EVENTS.find((e) => e.slug === slug);
