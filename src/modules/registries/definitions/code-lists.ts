// The national code lists the base registries validate against, with both languages.
import type { CodeList } from '../engine/definition.ts';

/** GB/T 2261.1 sex. */
export const SEX: CodeList = { '1': ['男', 'Male'], '2': ['女', 'Female'] };

/** GB/T 2261.2 marital status (the first-level codes). */
export const MARITAL_STATUS: CodeList = { '10': ['未婚', 'Never married'], '20': ['已婚', 'Married'], '30': ['丧偶', 'Widowed'], '40': ['离婚', 'Divorced'], '90': ['未说明', 'Not stated'] };

export const PERSON_STATUS: CodeList = { living: ['在世', 'Living'], deceased: ['死亡', 'Deceased'], emigrated: ['迁出境外', 'Emigrated'] };

const ETHNIC_GROUPS: [string, string][] = [
  ['汉族', 'Han'], ['蒙古族', 'Mongol'], ['回族', 'Hui'], ['藏族', 'Tibetan'], ['维吾尔族', 'Uyghur'], ['苗族', 'Miao'], ['彝族', 'Yi'], ['壮族', 'Zhuang'],
  ['布依族', 'Buyei'], ['朝鲜族', 'Korean'], ['满族', 'Manchu'], ['侗族', 'Dong'], ['瑶族', 'Yao'], ['白族', 'Bai'], ['土家族', 'Tujia'], ['哈尼族', 'Hani'],
  ['哈萨克族', 'Kazakh'], ['傣族', 'Dai'], ['黎族', 'Li'], ['傈僳族', 'Lisu'], ['佤族', 'Va'], ['畲族', 'She'], ['高山族', 'Gaoshan'], ['拉祜族', 'Lahu'],
  ['水族', 'Sui'], ['东乡族', 'Dongxiang'], ['纳西族', 'Naxi'], ['景颇族', 'Jingpo'], ['柯尔克孜族', 'Kyrgyz'], ['土族', 'Tu'], ['达斡尔族', 'Daur'], ['仫佬族', 'Mulao'],
  ['羌族', 'Qiang'], ['布朗族', 'Blang'], ['撒拉族', 'Salar'], ['毛南族', 'Maonan'], ['仡佬族', 'Gelao'], ['锡伯族', 'Xibe'], ['阿昌族', 'Achang'], ['普米族', 'Pumi'],
  ['塔吉克族', 'Tajik'], ['怒族', 'Nu'], ['乌孜别克族', 'Uzbek'], ['俄罗斯族', 'Russian'], ['鄂温克族', 'Evenki'], ['德昂族', 'Deang'], ['保安族', 'Bonan'], ['裕固族', 'Yugur'],
  ['京族', 'Gin'], ['塔塔尔族', 'Tatar'], ['独龙族', 'Derung'], ['鄂伦春族', 'Oroqen'], ['赫哲族', 'Hezhen'], ['门巴族', 'Monpa'], ['珞巴族', 'Lhoba'], ['基诺族', 'Jino'],
];

/** GB 3304 ethnic groups: 01–56 in the standard's order, 97 other, 98 naturalised of foreign descent. */
export const ETHNICITY: CodeList = {
  ...Object.fromEntries(ETHNIC_GROUPS.map(([zh, en], i) => [String(i + 1).padStart(2, '0'), [zh, en] as const])),
  '97': ['其他', 'Other'],
  '98': ['外国血统中国籍人士', 'Chinese citizen of foreign descent'],
};

/** The first two characters of a credit code: registration authority and organization type (GB 32100). */
export const ENTITY_TYPE: CodeList = {
  '11': ['机关', 'Government organ'],
  '12': ['事业单位', 'Public institution'],
  '13': ['群众团体', 'Mass organization'],
  '19': ['其他（机构编制）', 'Other (establishment office)'],
  '51': ['社会团体', 'Social organization'],
  '52': ['民办非企业单位', 'Private non-enterprise unit'],
  '53': ['基金会', 'Foundation'],
  '59': ['其他（民政）', 'Other (civil affairs)'],
  '91': ['企业', 'Enterprise'],
  '92': ['个体工商户', 'Individual business'],
  '93': ['农民专业合作社', "Farmers' cooperative"],
};

export const ENTITY_STATUS: CodeList = { active: ['存续', 'Active'], revoked: ['吊销', 'Licence revoked'], cancelled: ['注销', 'Cancelled'] };

/** ISO 4217, the currencies registered capital is given in. */
export const CURRENCY: CodeList = {
  CNY: ['人民币', 'Renminbi'], USD: ['美元', 'US dollar'], EUR: ['欧元', 'Euro'], HKD: ['港元', 'Hong Kong dollar'], JPY: ['日元', 'Japanese yen'], GBP: ['英镑', 'Pound sterling'], MOP: ['澳门元', 'Macanese pataca'], TWD: ['新台币', 'New Taiwan dollar'],
};

export const CODE_LISTS: Record<string, CodeList> = { sex: SEX, 'marital-status': MARITAL_STATUS, 'person-status': PERSON_STATUS, ethnicity: ETHNICITY, 'entity-type': ENTITY_TYPE, 'entity-status': ENTITY_STATUS, currency: CURRENCY };
