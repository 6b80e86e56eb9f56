// The catalog's classification and resource codes, after the national guide to compiling
// the government information resource catalog (2017): a resource is classed by 类 (class,
// 1 digit), 项 (item, 2), 目 (sub-item, 3) and 细目 (detail, any length), and its code is
// that classification code, "/", and a sequence number within it. Three classes give the
// catalog's three views: 1 base resources (the base registries), 2 theme resources
// (cross-department themes), 3 department resources. Items 01–05 of the base class and the
// twelve themes are the guide's; base item 06 (macroeconomic) is egov's, since the framework
// counts the macroeconomic database among the base libraries (decision 0017).

export type CatalogClass = '1' | '2' | '3';

export type Label = { zh: string; en: string };

export const CLASSES: Record<CatalogClass, Label> = {
  '1': { zh: '基础信息资源', en: 'Base resources' },
  '2': { zh: '主题信息资源', en: 'Theme resources' },
  '3': { zh: '部门信息资源', en: 'Department resources' },
};

/** Items of the base class; the registries map onto them by name. */
export const BASE_ITEMS: Record<string, Label & { registry?: string }> = {
  '01': { zh: '人口基础信息资源', en: 'Population', registry: 'population' },
  '02': { zh: '法人单位基础信息资源', en: 'Legal entities', registry: 'legal-entities' },
  '03': { zh: '自然资源和空间地理基础信息资源', en: 'Natural resources and geospatial', registry: 'geospatial' },
  '04': { zh: '社会信用基础信息资源', en: 'Social credit' },
  '05': { zh: '电子证照基础信息资源', en: 'Electronic licences' },
  '06': { zh: '宏观经济基础信息资源', en: 'Macroeconomy', registry: 'macroeconomic' },
};

/** Items of the theme class, the guide's themes. */
export const THEME_ITEMS: Record<string, Label> = {
  '01': { zh: '公共服务', en: 'Public services' },
  '02': { zh: '健康保障', en: 'Health' },
  '03': { zh: '社会保障', en: 'Social security' },
  '04': { zh: '食品药品安全', en: 'Food and drug safety' },
  '05': { zh: '安全生产', en: 'Work safety' },
  '06': { zh: '价格监管', en: 'Price supervision' },
  '07': { zh: '能源安全', en: 'Energy security' },
  '08': { zh: '信用体系', en: 'Credit system' },
  '09': { zh: '城乡建设', en: 'Urban and rural development' },
  '10': { zh: '社区治理', en: 'Community governance' },
  '11': { zh: '生态环保', en: 'Ecology and environment' },
  '12': { zh: '应急保障', en: 'Emergency response' },
};

/**
 * Items of the department class. The guide's items are the branches of the state; egov
 * catalogs a province's (or a lower government's) departments, all under item 07, with the
 * department as the sub-item (a three-digit number the directory assigns once).
 */
export const DEPARTMENT_ITEMS: Record<string, Label> = {
  '07': { zh: '省（自治区、直辖市）及其下各级政务部门', en: 'Provincial and lower government departments' },
};

const ITEMS: Record<CatalogClass, Record<string, Label>> = { '1': BASE_ITEMS, '2': THEME_ITEMS, '3': DEPARTMENT_ITEMS };

export type Classification = { class: CatalogClass; item: string; subItem: string; detail: string };

/** The themes (class 2 items) an entry is listed under: its own item when it is a theme resource, and the themes it names; known ones, once each, in code order. */
export function themeItemsOf(c: Classification, themes: readonly string[]): string[] {
  return [...new Set([...(c.class === '2' ? [c.item] : []), ...themes])].filter((t) => THEME_ITEMS[t]).sort();
}

/** The classification part of a code: class + item + sub-item + detail, digits only. */
export const classificationCode = (c: Classification): string => `${c.class}${c.item}${c.subItem}${c.detail}`;

/** Sequence numbers are written with at least this many digits (the guide leaves the length open). */
export const SEQUENCE_DIGITS = 6;

export const resourceCode = (c: Classification, sequence: number): string => `${classificationCode(c)}/${String(sequence).padStart(SEQUENCE_DIGITS, '0')}`;

export type CodeProblem = { code: string; message: string; messageZh: string };

/** Checks a classification: known class and item, a three-digit sub-item, a digit detail. */
export function checkClassification(c: Partial<Classification>): CodeProblem | undefined {
  if (c.class !== '1' && c.class !== '2' && c.class !== '3') return { code: 'class', message: 'the class must be 1 (base), 2 (theme) or 3 (department)', messageZh: '“类”应为 1（基础）、2（主题）或 3（部门）' };
  if (typeof c.item !== 'string' || !ITEMS[c.class][c.item]) return { code: 'item', message: `item ${c.item ?? ''} is not an item of class ${c.class} (${Object.keys(ITEMS[c.class]).join(', ')})`, messageZh: `“项”${c.item ?? ''}不属于第 ${c.class} 类（可选：${Object.keys(ITEMS[c.class]).join('、')}）` };
  if (typeof c.subItem !== 'string' || !/^\d{3}$/.test(c.subItem)) return { code: 'sub_item', message: 'the sub-item must be three digits', messageZh: '“目”应为 3 位数字' };
  if (typeof c.detail !== 'string' || !/^\d{0,6}$/.test(c.detail)) return { code: 'detail', message: 'the detail must be up to six digits (or empty)', messageZh: '“细目”应为不超过 6 位的数字（可为空）' };
  return undefined;
}

/**
 * Reads a resource code back into its parts, or says what is wrong. The detail's length is
 * not written in the code; it is what is left after class, item and sub-item.
 */
export function parseResourceCode(code: string): { classification: Classification; sequence: number } | CodeProblem {
  const m = /^(\d)(\d{2})(\d{3})(\d{0,6})\/(\d{1,12})$/.exec(code);
  if (!m) return { code: 'format', message: 'a resource code is class (1 digit), item (2), sub-item (3), detail (0–6 digits), "/" and a sequence number, e.g. 101001/000001', messageZh: '信息资源代码由类（1 位）、项（2 位）、目（3 位）、细目（0–6 位）、“/”和顺序码组成，例如 101001/000001' };
  const classification = { class: m[1] as CatalogClass, item: m[2]!, subItem: m[3]!, detail: m[4]! };
  const problem = checkClassification(classification);
  if (problem) return problem;
  const sequence = Number(m[5]);
  if (sequence < 1) return { code: 'sequence', message: 'the sequence number starts at 1', messageZh: '顺序码从 1 开始' };
  return { classification, sequence };
}

export const itemLabel = (c: Pick<Classification, 'class' | 'item'>): Label | undefined => ITEMS[c.class]?.[c.item];
