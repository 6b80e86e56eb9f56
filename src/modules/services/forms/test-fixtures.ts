// E-forms for tests: one field of every type, in two sections, with a prefilled and locked
// ID number, and data that fills it in correctly; overrides change what a test is about.
import { buildCreditCode } from '../../../platform/codes/credit-code.ts';
import type { FormDefinition, FormField } from './model.ts';

export const VALID_ID_NUMBER = '11010519491231002X';
export const VALID_CREDIT_CODE = buildCreditCode('9', '2', '330106', 'MA2H0001');

export const field = (key: string, type: FormField['type'], extra: Partial<FormField> = {}): FormField => ({ key, type, labelZh: `字段${key}`, labelEn: `Field ${key}`, required: true, ...extra });

const yesNo = [
  { value: 'work', labelZh: '务工就业', labelEn: 'Work' },
  { value: 'study', labelZh: '就学', labelEn: 'Study' },
  { value: 'family', labelZh: '投亲', labelEn: 'Family' },
];

export function buildForm(overrides: Partial<FormDefinition> = {}): FormDefinition {
  return {
    sections: [
      { key: 'applicant', labelZh: '申请人信息', labelEn: 'The applicant' },
      { key: 'residence', labelZh: '居住信息', labelEn: 'Residence', hintZh: '填写在本省的居住情况。', hintEn: 'Where you live in the province.' },
    ],
    fields: [
      field('idNumber', 'id-number', { section: 'applicant', prefill: { source: 'person', field: 'idNumber' }, locked: true }),
      field('name', 'text', { section: 'applicant', maxLength: 50, prefill: { source: 'person', field: 'name' }, locked: true }),
      field('birthDate', 'date', { section: 'applicant', maxDate: 'today', prefill: { source: 'person', field: 'birthDate' } }),
      field('address', 'address', { section: 'residence' }),
      field('notes', 'textarea', { section: 'residence', required: false, maxLength: 500 }),
      field('months', 'number', { section: 'residence', min: 6, max: 600 }),
      field('moveIn', 'date', { section: 'residence', minDate: '2000-01-01', maxDate: 'today' }),
      field('reason', 'radio', { section: 'residence', options: yesNo }),
      field('kind', 'select', { section: 'residence', options: yesNo, required: false }),
      field('services', 'checkbox', { section: 'residence', options: yesNo, required: false, max: 2 }),
      field('employerCode', 'credit-code', { section: 'residence', required: false }),
      field('phone', 'phone', { section: 'residence' }),
      field('email', 'email', { section: 'residence', required: false }),
      field('postcode', 'text', { section: 'residence', required: false, pattern: '[0-9]{6}', hintZh: '6 位数字邮政编码', hintEn: 'a six-digit postcode' }),
      field('declare', 'checkbox', { section: 'residence', labelZh: '本人承诺所填信息真实', labelEn: 'I declare that this is true' }),
    ],
    ...overrides,
  };
}

export function buildFormData(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    idNumber: VALID_ID_NUMBER,
    name: '张三',
    birthDate: '1949-12-31',
    address: '青云省示范市东城区人民路 1 号',
    months: 12,
    moveIn: '2025-03-01',
    reason: 'work',
    kind: 'study',
    services: ['work', 'family'],
    employerCode: VALID_CREDIT_CODE,
    phone: '13800138000',
    email: 'zhang.san@example.cn',
    postcode: '310000',
    declare: true,
    ...overrides,
  };
}
