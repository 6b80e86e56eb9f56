// A service as its guide shows it, and the checks a draft must pass: every text in both
// languages, time limits within the law's (20 working days for one agency, 45 for joint
// handling; the promised period no longer than the statutory one), materials named once each.
import type { FieldError } from '../../../platform/errors.ts';

export const SERVICE_KINDS = ['licence', 'confirmation', 'payment', 'public_service'] as const;
export type ServiceKind = (typeof SERVICE_KINDS)[number];
export const SERVICE_CODE = /^[0-9A-Za-z][0-9A-Za-z._:/-]{1,99}$/;

/** Administrative Licensing Law art. 42: 20 working days for one agency, 45 for joint handling. */
export const STATUTORY_LIMIT = { single: 20, joint: 45 } as const;

export type Bilingual = { zh: string; en: string };
export type Material = { key: string; nameZh: string; nameEn: string; required: boolean; fetchable: { registry: string; field: string } | null; templateUrl: string | null; sampleUrl: string | null };
export type Fee = { itemZh: string; itemEn: string; amountFen: number; basisZh: string; basisEn: string };
export type Faq = { qZh: string; qEn: string; aZh: string; aEn: string };

export type ServiceInput = {
  code: string;
  kind: ServiceKind;
  orgId: string;
  jointOrgIds: string[];
  nameZh: string;
  nameEn: string;
  summaryZh: string;
  summaryEn: string;
  legalBasis: Bilingual[];
  conditions: Bilingual[];
  materials: Material[];
  fees: Fee[];
  statutoryDays: number;
  promisedDays: number;
  visits: 0 | 1;
  faqs: Faq[];
  events: string[];
};

const blank = (s: string) => s.trim().length === 0;

/** What is wrong with a service's content; empty when it may be saved. */
export function serviceProblems(input: ServiceInput, knownEvents: readonly string[]): FieldError[] {
  const errors: FieldError[] = [];
  const add = (field: string, code: string, message: string, messageZh: string) => errors.push({ field, code, message, messageZh });
  if (!SERVICE_CODE.test(input.code)) add('code', 'pattern', 'must be the item code: letters, digits and . _ : / - (2 to 100)', '须为事项编码：字母、数字及 . _ : / -（2 至 100 个字符）');
  for (const f of ['nameZh', 'nameEn', 'summaryZh', 'summaryEn'] as const) if (blank(input[f])) add(f, 'required', 'is required', '必填');
  const bilingual = (field: string, list: Bilingual[]) => list.forEach((b, i) => (blank(b.zh) || blank(b.en)) && add(`${field}/${i}`, 'required', 'needs both the Chinese and the English text', '中英文均须填写'));
  if (input.legalBasis.length === 0) add('legalBasis', 'required', 'must name at least one law or regulation', '须至少列出一项法律法规依据');
  bilingual('legalBasis', input.legalBasis);
  bilingual('conditions', input.conditions);
  const keys = new Set<string>();
  input.materials.forEach((m, i) => {
    if (!/^[a-z][a-zA-Z0-9]{0,39}$/.test(m.key)) add(`materials/${i}/key`, 'pattern', 'must start with a lower-case letter, then letters and digits (at most 40)', '须以小写字母开头，由字母和数字组成（最多 40 个字符）');
    else if (keys.has(m.key)) add(`materials/${i}/key`, 'duplicate', `"${m.key}" is already a material of this service`, `“${m.key}”已是本事项的材料`);
    keys.add(m.key);
    if (blank(m.nameZh) || blank(m.nameEn)) add(`materials/${i}`, 'required', 'needs its name in Chinese and English', '须填写中英文名称');
  });
  input.fees.forEach((f, i) => {
    if (!Number.isSafeInteger(f.amountFen) || f.amountFen < 0) add(`fees/${i}/amountFen`, 'range', 'must be a whole number of fen, 0 or more', '须为不小于 0 的整数（分）');
    if (blank(f.itemZh) || blank(f.itemEn) || blank(f.basisZh) || blank(f.basisEn)) add(`fees/${i}`, 'required', 'needs the item and its basis in Chinese and English', '须填写中英文收费项目及依据');
  });
  const limit = input.jointOrgIds.length > 0 ? STATUTORY_LIMIT.joint : STATUTORY_LIMIT.single;
  if (!Number.isInteger(input.statutoryDays) || input.statutoryDays < 1 || input.statutoryDays > limit) {
    add('statutoryDays', 'range', `must be 1 to ${limit} working days (${input.jointOrgIds.length > 0 ? 'joint handling' : 'one agency'}, Administrative Licensing Law art. 42)`, `须为 1 至 ${limit} 个工作日（${input.jointOrgIds.length > 0 ? '联合办理' : '单一机关办理'}，《行政许可法》第四十二条）`);
  }
  if (!Number.isInteger(input.promisedDays) || input.promisedDays < 1 || input.promisedDays > input.statutoryDays) add('promisedDays', 'range', 'must be 1 working day or more, and no more than the statutory period', '须不少于 1 个工作日，且不超过法定期限');
  if (input.jointOrgIds.includes(input.orgId)) add('jointOrgIds', 'self', 'must not include the implementing organization itself', '不能包含实施机关本身');
  if (new Set(input.jointOrgIds).size !== input.jointOrgIds.length) add('jointOrgIds', 'duplicate', 'names an organization twice', '重复列出同一机关');
  input.faqs.forEach((f, i) => (blank(f.qZh) || blank(f.qEn) || blank(f.aZh) || blank(f.aEn)) && add(`faqs/${i}`, 'required', 'needs the question and the answer in Chinese and English', '须填写中英文问题和答复'));
  input.events.forEach((e, i) => !knownEvents.includes(e) && add(`events/${i}`, 'enum', `is not a portal event (${knownEvents.join(', ')})`, `不是门户的办事场景（${knownEvents.join('、')}）`));
  return errors;
}
