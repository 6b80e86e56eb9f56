// The demo services' e-forms (issue 8): what an applicant fills in for each of the four demo
// services. What the base registries already hold is prefilled ("once only"): the person's
// name, ID number, sex, date of birth and household-registration address from population, the
// developer's name, credit code and legal representative from legal entities; identity fields
// are locked, addresses the applicant may correct. Saved while each service is still a draft,
// through the forms service's own checks, before the service is published.
import type { Services } from '../app.ts';
import type { FormDefinition, FormField } from '../modules/services/index.ts';
import type { Operator } from '../platform/actor.ts';

type Extra = Partial<FormField>;
const f = (key: string, type: FormField['type'], labelZh: string, labelEn: string, extra: Extra = {}): FormField => ({ key, type, labelZh, labelEn, required: true, ...extra });
const opt = (value: string, labelZh: string, labelEn: string) => ({ value, labelZh, labelEn });
const person = (field: string, locked = true): Extra => ({ prefill: { source: 'person', field }, ...(locked ? { locked: true } : {}) });
const enterprise = (field: string, locked = true): Extra => ({ prefill: { source: 'enterprise', field }, ...(locked ? { locked: true } : {}) });
const SEX = [opt('1', '男', 'Male'), opt('2', '女', 'Female')];
const PHONE = f('phone', 'phone', '联系电话', 'Phone', { hintZh: '办理进度和领取通知将发送到此号码。', hintEn: 'Progress and collection notices are sent to this number.' });
const DECLARATION = f('declaration', 'checkbox', '本人承诺所填信息及所交材料真实、合法、有效，如有虚假愿承担法律责任', 'I declare that the information and materials given are true, lawful and valid, and accept legal responsibility if they are not');

export const DEMO_SERVICE_FORMS: Record<string, FormDefinition> = {
  'amr.individual-business-registration': {
    sections: [
      { key: 'operator', labelZh: '经营者', labelEn: 'The operator', hintZh: '以下身份信息来自人口库，无需重复填写。', hintEn: 'These identity details come from the population registry: no need to type them.' },
      { key: 'business', labelZh: '个体工商户', labelEn: 'The business' },
    ],
    fields: [
      f('operatorName', 'text', '经营者姓名', "Operator's name", { section: 'operator', maxLength: 50, ...person('name') }),
      f('operatorIdNumber', 'id-number', '公民身份号码', 'Citizen ID number', { section: 'operator', ...person('idNumber') }),
      f('operatorSex', 'radio', '性别', 'Sex', { section: 'operator', options: SEX, ...person('sex') }),
      f('householdAddress', 'address', '户籍地址', 'Household registration address', { section: 'operator', ...person('hukouAddress', false) }),
      { ...PHONE, section: 'operator' },
      f('email', 'email', '电子邮箱', 'Email', { section: 'operator', required: false }),
      f('businessName', 'text', '个体工商户名称', 'Business name', { section: 'business', required: false, maxLength: 50, hintZh: '可不起字号；起字号的，由行政区划、字号、行业和“店”“馆”“部”等组成。', hintEn: 'Optional; a name has the division, a trade name, the trade and a word such as "shop".' }),
      f('organisation', 'radio', '组成形式', 'Form of organization', { section: 'business', options: [opt('individual', '个人经营', 'Run by one person'), opt('family', '家庭经营', 'Run by a family')] }),
      f('industry', 'select', '行业', 'Trade', { section: 'business', options: [opt('retail', '批发和零售业', 'Wholesale and retail'), opt('catering', '住宿和餐饮业', 'Accommodation and catering'), opt('services', '居民服务、修理和其他服务业', 'Personal services and repairs'), opt('manufacturing', '制造业', 'Manufacturing'), opt('transport', '交通运输业', 'Transport')] }),
      f('businessScope', 'textarea', '经营范围', 'Business activities', { section: 'business', maxLength: 1000, hintZh: '按《国民经济行业分类》的用语填写。', hintEn: 'In the terms of the national classification of economic activities.' }),
      f('premisesAddress', 'address', '经营场所', 'Business premises', { section: 'business' }),
      f('premisesUse', 'radio', '场所使用方式', 'Use of the premises', { section: 'business', options: [opt('owned', '自有', 'Owned'), opt('rented', '租赁', 'Rented'), opt('free', '无偿使用', 'Used free of charge')] }),
      f('capital', 'number', '资金数额（元）', 'Capital (yuan)', { section: 'business', min: 0, max: 100_000_000 }),
      f('employees', 'number', '从业人数', 'Persons employed', { section: 'business', min: 1, max: 500 }),
      DECLARATION,
    ],
  },
  'psb.residence-permit': {
    sections: [
      { key: 'applicant', labelZh: '申请人', labelEn: 'The applicant', hintZh: '以下信息来自人口库，请核对；如有错误请先到户籍地派出所更正。', hintEn: 'From the population registry: check them; if one is wrong, have it corrected at your household registration police station first.' },
      { key: 'residence', labelZh: '在本省居住情况', labelEn: 'Your residence in the province' },
    ],
    fields: [
      f('name', 'text', '姓名', 'Name', { section: 'applicant', maxLength: 50, ...person('name') }),
      f('idNumber', 'id-number', '公民身份号码', 'Citizen ID number', { section: 'applicant', ...person('idNumber') }),
      f('birthDate', 'date', '出生日期', 'Date of birth', { section: 'applicant', maxDate: 'today', ...person('birthDate') }),
      f('hukouAddress', 'address', '户籍地址', 'Household registration address', { section: 'applicant', ...person('hukouAddress') }),
      f('currentAddress', 'address', '现居住地址', 'Current address', { section: 'residence', hintZh: '须为本省城市的详细地址，至门牌号。', hintEn: 'Your full address in a city of the province, down to the door number.', ...person('currentAddress', false) }),
      f('reason', 'radio', '居住事由', 'Reason for residence', { section: 'residence', options: [opt('work', '就业', 'Work'), opt('study', '就读', 'Study'), opt('family', '投靠亲属', 'Living with family')] }),
      f('employer', 'text', '就业单位或就读学校', 'Employer or school', { section: 'residence', required: false, maxLength: 100, hintZh: '居住事由为就业或就读的填写。', hintEn: 'If you came to work or study.' }),
      f('employerCreditCode', 'credit-code', '单位统一社会信用代码', "Employer's unified social credit code", { section: 'residence', required: false }),
      f('moveInDate', 'date', '来本地居住日期', 'Moved here on', { section: 'residence', minDate: '1950-01-01', maxDate: 'today', hintZh: '居住满半年方可申领。', hintEn: 'You can apply after six months.' }),
      { ...PHONE, section: 'residence' },
      DECLARATION,
    ],
  },
  'hrss.social-security-card': {
    sections: [
      { key: 'insured', labelZh: '参保人', labelEn: 'The insured person' },
      { key: 'delivery', labelZh: '领卡方式', labelEn: 'Getting the card' },
    ],
    fields: [
      f('name', 'text', '姓名', 'Name', { section: 'insured', maxLength: 50, ...person('name') }),
      f('idNumber', 'id-number', '公民身份号码', 'Citizen ID number', { section: 'insured', ...person('idNumber') }),
      f('sex', 'radio', '性别', 'Sex', { section: 'insured', options: SEX, ...person('sex') }),
      { ...PHONE, section: 'insured' },
      f('financial', 'checkbox', '同时开通金融账户功能', 'Open the bank account function too', { section: 'delivery', required: false, hintZh: '开通后可用于领取待遇和缴费。', hintEn: 'Used to receive benefits and pay contributions.' }),
      f('bank', 'select', '合作银行', 'Partner bank', { section: 'delivery', options: [opt('icbc', '中国工商银行', 'ICBC'), opt('abc', '中国农业银行', 'Agricultural Bank of China'), opt('boc', '中国银行', 'Bank of China'), opt('ccb', '中国建设银行', 'China Construction Bank')] }),
      f('delivery', 'radio', '领取方式', 'How to get the card', { section: 'delivery', options: [opt('post', '邮寄到家', 'By post'), opt('branch', '银行网点领取', 'At a bank branch')] }),
      f('mailingAddress', 'address', '邮寄地址', 'Postal address', { section: 'delivery', required: false, hintZh: '选择邮寄的填写。', hintEn: 'If you chose delivery by post.', ...person('currentAddress', false) }),
      DECLARATION,
    ],
  },
  'eco.construction-eia-approval': {
    sections: [
      { key: 'developer', labelZh: '建设单位', labelEn: 'The developer', hintZh: '以下信息来自法人库。', hintEn: 'From the legal entity registry.' },
      { key: 'project', labelZh: '建设项目', labelEn: 'The project' },
      { key: 'assessment', labelZh: '环境影响评价', labelEn: 'Environmental impact assessment' },
    ],
    fields: [
      f('developerName', 'text', '建设单位名称', "Developer's name", { section: 'developer', maxLength: 200, ...enterprise('name') }),
      f('developerCode', 'credit-code', '统一社会信用代码', 'Unified social credit code', { section: 'developer', ...enterprise('creditCode') }),
      f('legalRepName', 'text', '法定代表人', 'Legal representative', { section: 'developer', maxLength: 50, ...enterprise('legalRepName') }),
      f('developerAddress', 'address', '住所', 'Registered address', { section: 'developer', ...enterprise('registeredAddress') }),
      f('contactName', 'text', '联系人', 'Contact person', { section: 'developer', maxLength: 50 }),
      { ...PHONE, key: 'contactPhone', labelZh: '联系人电话', labelEn: "Contact person's phone", section: 'developer' },
      f('projectName', 'text', '项目名称', 'Project name', { section: 'project', maxLength: 200 }),
      f('projectAddress', 'address', '建设地点', 'Site', { section: 'project' }),
      f('projectType', 'select', '项目类别', 'Kind of project', { section: 'project', options: [opt('industrial', '工业项目', 'Industrial'), opt('infrastructure', '交通等基础设施', 'Transport and infrastructure'), opt('energy', '能源', 'Energy'), opt('water', '水利', 'Water management'), opt('urban', '城市建设和房地产', 'Urban development and real estate')] }),
      f('totalInvestment', 'number', '总投资（万元）', 'Total investment (10,000 yuan)', { section: 'project', min: 0, max: 100_000_000 }),
      f('environmentalInvestment', 'number', '环保投资（万元）', 'Environmental protection investment (10,000 yuan)', { section: 'project', min: 0, max: 100_000_000 }),
      f('landArea', 'number', '用地面积（公顷）', 'Land area (hectares)', { section: 'project', min: 0, max: 100_000 }),
      f('plannedStart', 'date', '计划开工日期', 'Planned start of construction', { section: 'project', minDate: 'today' }),
      f('sensitiveAreas', 'checkbox', '涉及的环境敏感区', 'Environmentally sensitive areas concerned', { section: 'assessment', required: false, options: [opt('waterSource', '饮用水水源保护区', 'Drinking water source protection zone'), opt('natureReserve', '自然保护区', 'Nature reserve'), opt('redLine', '生态保护红线', 'Ecological protection red line'), opt('farmland', '永久基本农田', 'Permanent basic farmland')], hintZh: '不涉及的不勾选。', hintEn: 'Tick none if there are none.' }),
      f('eiaAgency', 'text', '报告书编制单位', 'Author of the report', { section: 'assessment', maxLength: 200 }),
      f('eiaAgencyCode', 'credit-code', '编制单位统一社会信用代码', "Author's unified social credit code", { section: 'assessment' }),
      DECLARATION,
    ],
  },
};

/** Saves a demo service's e-form, if it has one; the service must still be a draft. */
export async function seedServiceForm(services: Services, op: Operator, code: string): Promise<void> {
  const form = DEMO_SERVICE_FORMS[code];
  if (form) await services.publicServices.forms.save(op, code, { version: 0, ...form });
}
