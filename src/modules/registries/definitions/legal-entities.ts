// The legal-unit base registry (法人单位基础信息库), owned by market regulation. One record
// per legal entity, keyed by its unified social credit code.
import type { RegistryDefinition } from '../engine/definition.ts';

export const LEGAL_ENTITIES: RegistryDefinition = {
  name: 'legal-entities',
  kind: 'records',
  version: '1.0',
  titleZh: '法人单位基础信息库',
  titleEn: 'Legal entities register',
  descriptionZh: '统一社会信用代码、名称、法定代表人、住所、注册资本、成立日期、经营范围与登记状态。',
  descriptionEn: 'Credit code, name, legal representative, registered address, capital, establishment date, business scope and status.',
  keyField: 'creditCode',
  subject: 'entity',
  rules: ['credit-code-type-agrees', 'credit-code-division-agrees'],
  fields: [
    { name: 'creditCode', type: 'string', labelZh: '统一社会信用代码', labelEn: 'Unified social credit code', required: true, sensitivity: 'public', validators: [{ name: 'credit-code' }], alwaysPresent: true, mask: 'credit-code', indexed: true },
    { name: 'name', type: 'string', labelZh: '名称', labelEn: 'Name', required: true, sensitivity: 'public', validators: [{ name: 'length', min: 2, max: 200 }], indexed: true },
    { name: 'formerNames', type: 'string-list', labelZh: '曾用名', labelEn: 'Former names', sensitivity: 'public', validators: [{ name: 'length', max: 200 }] },
    { name: 'entityType', type: 'code', labelZh: '主体类型', labelEn: 'Entity type', required: true, sensitivity: 'public', validators: [{ name: 'code-list', list: 'entity-type' }] },
    { name: 'legalRepId', type: 'string', labelZh: '法定代表人身份号码', labelEn: "Legal representative's ID number", required: true, sensitivity: 'personal', validators: [{ name: 'id-number' }, { name: 'person-exists' }], mask: 'id-number', indexed: true },
    { name: 'legalRepName', type: 'string', labelZh: '法定代表人', labelEn: 'Legal representative', required: true, sensitivity: 'public', validators: [{ name: 'length', min: 1, max: 50 }] },
    { name: 'divisionCode', type: 'code', labelZh: '登记地行政区划', labelEn: 'Division of registration', required: true, sensitivity: 'public', validators: [{ name: 'division-code' }], indexed: true },
    { name: 'registeredAddress', type: 'string', labelZh: '住所', labelEn: 'Registered address', required: true, sensitivity: 'public', validators: [{ name: 'length', min: 1, max: 200 }] },
    { name: 'registeredCapital', type: 'decimal', labelZh: '注册资本', labelEn: 'Registered capital', sensitivity: 'public', validators: [{ name: 'range', min: 0 }] },
    { name: 'currency', type: 'code', labelZh: '币种', labelEn: 'Currency', sensitivity: 'public', validators: [{ name: 'code-list', list: 'currency' }] },
    { name: 'establishedDate', type: 'date', labelZh: '成立日期', labelEn: 'Established', required: true, sensitivity: 'public', validators: [{ name: 'past-date' }] },
    { name: 'businessScope', type: 'text', labelZh: '经营范围', labelEn: 'Business scope', sensitivity: 'public', validators: [{ name: 'length', max: 4000 }] },
    { name: 'status', type: 'code', labelZh: '登记状态', labelEn: 'Status', required: true, sensitivity: 'public', validators: [{ name: 'code-list', list: 'entity-status' }], indexed: true },
    { name: 'registrationAuthority', type: 'string', labelZh: '登记机关', labelEn: 'Registration authority', required: true, sensitivity: 'public', validators: [{ name: 'length', min: 2, max: 100 }] },
  ],
};
