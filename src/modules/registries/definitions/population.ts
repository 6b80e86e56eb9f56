// The population base registry (人口基础信息库), owned by public security. One record per
// person, keyed by the citizen identity number; life events change it as new versions.
import type { FieldDefinition, RegistryDefinition } from '../engine/definition.ts';

/** A link to another person of the registry, who must exist. */
const idRef = (name: string, labelZh: string, labelEn: string): FieldDefinition => ({ name, type: 'string', labelZh, labelEn, sensitivity: 'personal', validators: [{ name: 'id-number' }, { name: 'person-exists' }], mask: 'id-number', indexed: true });

export const POPULATION: RegistryDefinition = {
  name: 'population',
  kind: 'records',
  version: '1.0',
  titleZh: '人口基础信息库',
  titleEn: 'Population register',
  descriptionZh: '公民身份号码、姓名、民族、户籍与现住址、婚姻状况、亲属关系与存殁状态。',
  descriptionEn: 'Identity number, name, ethnicity, household-registration and current address, marital status, family links and status.',
  keyField: 'idNumber',
  subject: 'person',
  rules: ['id-number-agrees', 'status-dates-agree'],
  fields: [
    { name: 'idNumber', type: 'string', labelZh: '公民身份号码', labelEn: 'ID number', required: true, sensitivity: 'personal', validators: [{ name: 'id-number' }], alwaysPresent: true, mask: 'id-number', indexed: true },
    { name: 'name', type: 'string', labelZh: '姓名', labelEn: 'Name', required: true, sensitivity: 'personal', validators: [{ name: 'length', min: 1, max: 50 }], mask: 'name', indexed: true },
    { name: 'formerName', type: 'string', labelZh: '曾用名', labelEn: 'Former name', sensitivity: 'personal', validators: [{ name: 'length', max: 50 }], mask: 'name' },
    { name: 'sex', type: 'code', labelZh: '性别', labelEn: 'Sex', required: true, sensitivity: 'personal', validators: [{ name: 'code-list', list: 'sex' }] },
    { name: 'birthDate', type: 'date', labelZh: '出生日期', labelEn: 'Date of birth', required: true, sensitivity: 'personal', validators: [{ name: 'past-date' }] },
    { name: 'ethnicity', type: 'code', labelZh: '民族', labelEn: 'Ethnicity', required: true, sensitivity: 'sensitive', validators: [{ name: 'code-list', list: 'ethnicity' }] },
    { name: 'hukouDivision', type: 'code', labelZh: '户籍地行政区划', labelEn: 'Household registration: division', required: true, sensitivity: 'personal', validators: [{ name: 'division-code' }], indexed: true },
    { name: 'hukouAddress', type: 'string', labelZh: '户籍地址', labelEn: 'Household registration: address', required: true, sensitivity: 'personal', validators: [{ name: 'length', min: 1, max: 200 }], mask: 'address' },
    { name: 'currentDivision', type: 'code', labelZh: '现住地行政区划', labelEn: 'Current residence: division', sensitivity: 'personal', validators: [{ name: 'division-code' }] },
    { name: 'currentAddress', type: 'string', labelZh: '现住址', labelEn: 'Current address', sensitivity: 'personal', validators: [{ name: 'length', max: 200 }], mask: 'address' },
    { name: 'maritalStatus', type: 'code', labelZh: '婚姻状况', labelEn: 'Marital status', required: true, sensitivity: 'personal', validators: [{ name: 'code-list', list: 'marital-status' }] },
    idRef('fatherId', '父亲身份号码', "Father's ID number"),
    idRef('motherId', '母亲身份号码', "Mother's ID number"),
    idRef('spouseId', '配偶身份号码', "Spouse's ID number"),
    { name: 'status', type: 'code', labelZh: '人员状态', labelEn: 'Status', required: true, sensitivity: 'internal', validators: [{ name: 'code-list', list: 'person-status' }], indexed: true },
    { name: 'deathDate', type: 'date', labelZh: '死亡日期', labelEn: 'Date of death', sensitivity: 'personal', validators: [{ name: 'past-date' }] },
  ],
};
