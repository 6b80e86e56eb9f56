// The macroeconomic database (宏观经济数据库), owned by statistics. Indicators and their
// observations by region and period live in tables of their own (macro/).
import type { RegistryDefinition } from '../engine/definition.ts';

export const MACROECONOMIC: RegistryDefinition = {
  name: 'macroeconomic',
  kind: 'macroeconomic',
  version: '1.0',
  titleZh: '宏观经济数据库',
  titleEn: 'Macroeconomic database',
  descriptionZh: '指标、按行政区划与时期的观测值及其修订，支持序列、截面与逐级汇总。',
  descriptionEn: 'Indicators and their observations by region and period, with revisions; series, cross-sections and roll-ups along the division tree.',
  keyField: 'code',
  subject: 'none',
  fields: [],
};
