// What an electronic licence is: the input an approval issues it from, the checks on that input
// (every problem at once, in both languages, naming the field), the document the issuer seals,
// and the licence's state on a given day. Pure: the service (service.ts) does the writing.
import { canonicalJson } from '../../../platform/canonical-json.ts';
import { checkCreditCode } from '../../../platform/codes/credit-code.ts';
import { parseIdNumber } from '../../../platform/codes/id-number.ts';
import type { FieldError } from '../../../platform/errors.ts';

export const HOLDER_KINDS = ['person', 'enterprise'] as const;
export type HolderKind = (typeof HOLDER_KINDS)[number];

/** One item of the licence's content, with its label in both languages; `public` items are shown to anyone verifying it. */
export type LicenceField = { key: string; labelZh: string; labelEn: string; value: string; public?: boolean };

/** What an approval issues a licence from (`licences.issue`). */
export type LicenceInput = {
  serviceCode: string;
  applicationId: string | null;
  issuerOrgId: string;
  holder: { kind: HolderKind; idNumber: string; name: string; citizenId?: string | null };
  licenceType: {
    nameZh: string;
    nameEn: string;
    /**
     * GB/T 36904's licence type code: the unified social credit code of the agency that defines
     * the type, then 3 digits. Default: the issuer's own code and `001` (a type the issuer defines).
     */
    code?: string;
  };
  fields: LicenceField[];
  /** Dates (YYYY-MM-DD), China Standard Time; no `validUntil`: valid without end. */
  validFrom: string;
  validUntil?: string | null;
};

export type LicenceStatus = 'valid' | 'revoked' | 'expired' | 'not_yet_valid';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const KEY = /^[A-Za-z][A-Za-z0-9_]{0,39}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SERVICE_CODE = /^[0-9A-Za-z][0-9A-Za-z._:/-]{1,99}$/;
const TYPE_CODE = /^[0-9A-HJ-NP-RT-UW-Y]{2}\d{6}[0-9A-HJ-NP-RT-UW-Y]{10}\d{3}$/;
const MAX_FIELDS = 50;

const isDate = (value: string) => DATE.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value);
const text = (value: unknown, max: number) => typeof value === 'string' && value.trim().length > 0 && value.length <= max && !value.includes('\u0000');

/** Everything wrong with the input, each naming its field; empty when a licence can be issued from it. */
export function licenceProblems(input: LicenceInput): FieldError[] {
  const problems: FieldError[] = [];
  const add = (field: string, code: string, message: string, messageZh: string) => problems.push({ field, code, message, messageZh });
  if (!(typeof input.serviceCode === 'string' && SERVICE_CODE.test(input.serviceCode))) add('serviceCode', 'service_code', 'must be the item code of the service', '须为事项编码');
  if (input.applicationId !== null && !(typeof input.applicationId === 'string' && UUID.test(input.applicationId))) add('applicationId', 'uuid', 'must be the application id (a UUID) or null', '须为办件编号（UUID）或空');
  if (!(typeof input.issuerOrgId === 'string' && UUID.test(input.issuerOrgId))) add('issuerOrgId', 'uuid', 'must be the issuing organization id (a UUID)', '须为发证机关编号（UUID）');
  const holder = typeof input.holder === 'object' && input.holder !== null && !Array.isArray(input.holder) ? input.holder : undefined;
  const holderId = typeof holder?.idNumber === 'string' ? holder.idNumber : '';
  if (!holder || !(HOLDER_KINDS as readonly string[]).includes(holder.kind)) add('holder/kind', 'enum', 'must be person or enterprise', '须为 person（个人）或 enterprise（企业）');
  else if (holder.kind === 'person') {
    const parsed = parseIdNumber(holderId);
    if ('problem' in parsed || parsed.normalized !== holderId) add('holder/idNumber', 'id_number', 'must be a valid 18-character resident ID number (upper-case X)', '须为有效的 18 位公民身份号码（X 大写）');
  } else if (checkCreditCode(holderId) !== undefined) add('holder/idNumber', 'credit_code', 'must be a valid unified social credit code', '须为有效的统一社会信用代码');
  if (holder && !text(holder.name, 200)) add('holder/name', 'required', "must be the holder's name (1 to 200 characters)", '须为持证主体名称（1 至 200 个字符）');
  if (holder?.citizenId != null && !(typeof holder.citizenId === 'string' && UUID.test(holder.citizenId))) add('holder/citizenId', 'uuid', "must be the holder's citizen account id (a UUID) or null", '须为持证人的个人账户编号（UUID）或空');
  if (holder?.kind === 'enterprise' && holder.citizenId != null) add('holder/citizenId', 'not_person', 'is for a person holder only: an enterprise is found by its credit code', '仅适用于个人持证人：企业按统一社会信用代码识别');
  const type = typeof input.licenceType === 'object' && input.licenceType !== null ? input.licenceType : undefined;
  if (!type || !text(type.nameZh, 100)) add('licenceType/nameZh', 'required', 'must be the licence type name in Chinese (1 to 100 characters)', '须为证照类型中文名称（1 至 100 个字符）');
  if (!type || !text(type.nameEn, 200)) add('licenceType/nameEn', 'required', 'must be the licence type name in English (1 to 200 characters)', '须为证照类型英文名称（1 至 200 个字符）');
  if (type?.code !== undefined && !(typeof type.code === 'string' && TYPE_CODE.test(type.code))) add('licenceType/code', 'type_code', "must be the defining agency's unified social credit code followed by 3 digits", '须为定义证照类型的机关的统一社会信用代码加 3 位数字');
  if (!Array.isArray(input.fields) || input.fields.length > MAX_FIELDS) add('fields', 'count', `must be a list of at most ${MAX_FIELDS} items`, `须为至多 ${MAX_FIELDS} 项的列表`);
  else {
    const seen = new Set<string>();
    input.fields.forEach((f, i) => {
      if (!(typeof f?.key === 'string' && KEY.test(f.key))) add(`fields/${i}/key`, 'key', 'must be a letter, then letters, digits or _ (at most 40)', '须以字母开头，由字母、数字或下划线组成（至多 40 个字符）');
      else if (seen.has(f.key)) add(`fields/${i}/key`, 'duplicate', `repeats the key ${f.key}`, `与前面的键 ${f.key} 重复`);
      else seen.add(f.key);
      if (!text(f?.labelZh, 100)) add(`fields/${i}/labelZh`, 'required', 'must be the label in Chinese (1 to 100 characters)', '须为中文标签（1 至 100 个字符）');
      if (!text(f?.labelEn, 200)) add(`fields/${i}/labelEn`, 'required', 'must be the label in English (1 to 200 characters)', '须为英文标签（1 至 200 个字符）');
      if (typeof f?.value !== 'string' || f.value.length > 4000 || f.value.includes('\u0000')) add(`fields/${i}/value`, 'value', 'must be text of at most 4000 characters', '须为至多 4000 个字符的文本');
      if (f?.public !== undefined && typeof f.public !== 'boolean') add(`fields/${i}/public`, 'type', 'must be true or false', '须为 true 或 false');
    });
  }
  if (!(typeof input.validFrom === 'string' && isDate(input.validFrom))) add('validFrom', 'date', 'must be a date, e.g. 2026-07-01', '须为日期，例如 2026-07-01');
  if (input.validUntil != null) {
    if (!(typeof input.validUntil === 'string' && isDate(input.validUntil))) add('validUntil', 'date', 'must be a date, e.g. 2031-06-30, or left out for no end', '须为日期（例如 2031-06-30），无期限时不填');
    else if (typeof input.validFrom === 'string' && isDate(input.validFrom) && input.validUntil < input.validFrom) add('validUntil', 'before_start', 'must not be before validFrom', '不能早于生效日期');
  }
  return problems;
}

/** Today's date in China Standard Time (YYYY-MM-DD): the day validity is judged on. */
export function chinaDate(at: Date): string {
  return new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

/** The licence's state on `today` (China Standard Time): revoked first, then its validity period. */
export function statusOn(row: { status: 'valid' | 'revoked'; valid_from: string; valid_until: string | null }, today: string): LicenceStatus {
  if (row.status === 'revoked') return 'revoked';
  if (today < row.valid_from) return 'not_yet_valid';
  if (row.valid_until !== null && today > row.valid_until) return 'expired';
  return 'valid';
}

/** The columns the sealed document is built from. */
export type SealedColumns = {
  identifier: string;
  type_code: string;
  type_name_zh: string;
  type_name_en: string;
  service_code: string;
  application_id: string | null;
  issuer_credit_code: string;
  issuer_name: string;
  holder_kind: HolderKind;
  holder_id: string;
  holder_name: string;
  data: LicenceField[];
  valid_from: string;
  valid_until: string | null;
  issued_at: Date;
};

/**
 * The document the issuer seals, as canonical JSON (keys sorted, no spaces), after GB/T 36903's
 * metadata: identifier, type (code and names), issuer (name and code), holder (name, id and id
 * type: 111 is the resident identity card, 49 the unified social credit code), validity, the
 * issue time and the content. Rebuilt from the row when verifying: any changed column breaks it.
 */
export function sealedDocument(c: SealedColumns): Buffer {
  return Buffer.from(
    canonicalJson({
      format: 'egov-licence/1',
      identifier: c.identifier,
      type: { code: c.type_code, nameZh: c.type_name_zh, nameEn: c.type_name_en },
      service: c.service_code,
      application: c.application_id,
      issuer: { name: c.issuer_name, creditCode: c.issuer_credit_code },
      holder: { kind: c.holder_kind, name: c.holder_name, id: c.holder_id, idType: c.holder_kind === 'person' ? '111' : '49' },
      validFrom: c.valid_from,
      validUntil: c.valid_until,
      issuedAt: c.issued_at.toISOString(),
      fields: c.data.map((f) => ({ key: f.key, labelZh: f.labelZh, labelEn: f.labelEn, value: f.value, public: f.public === true })),
    }),
    'utf8',
  );
}
