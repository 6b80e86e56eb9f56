// Demo figures for the fictitious Qingyun province (青云省, 990000) and its divisions: the
// capital 云州市 (990100) with 安平县 (990121), and 临江市 (990200). Plausible, invented
// numbers for 2019–2025 (2025 provisional), and one revision: 云州市's 2023 GDP after the
// fifth national economic census. Loaded through the service, so it is checked and audited.
import type { Operator } from '../../../platform/actor.ts';
import type { IndicatorInput, MacroService } from './service.ts';

const YEARS = ['2019', '2020', '2021', '2022', '2023', '2024', '2025'];
const SOURCE = '青云省统计年鉴（演示数据） Qingyun statistical yearbook (demo data)';

const INDICATORS: IndicatorInput[] = [
  { code: 'GDP', nameZh: '地区生产总值', nameEn: 'Gross regional product', unitZh: '亿元', unitEn: '100 million yuan', frequency: 'A', aggregation: 'sum', decimals: 2, descriptionZh: '按当年价格计算。', descriptionEn: 'At current prices.' },
  { code: 'GDP_Q', nameZh: '地区生产总值（季度）', nameEn: 'Gross regional product (quarterly)', unitZh: '亿元', unitEn: '100 million yuan', frequency: 'Q', aggregation: 'sum', decimals: 2, descriptionZh: '当季值，按当年价格计算。', descriptionEn: 'Value of the quarter, at current prices.' },
  { code: 'POP', nameZh: '常住人口', nameEn: 'Resident population', unitZh: '万人', unitEn: '10,000 persons', frequency: 'A', aggregation: 'sum', decimals: 1, descriptionZh: '年末常住人口。', descriptionEn: 'At the end of the year.' },
  { code: 'CPI', nameZh: '居民消费价格指数', nameEn: 'Consumer price index', unitZh: '上年=100', unitEn: 'previous year = 100', frequency: 'A', aggregation: 'mean', decimals: 1, descriptionZh: '汇总为下级区划的简单平均，仅供参考。', descriptionEn: 'Rolls up as the plain mean of the divisions below, for reference only.' },
  { code: 'RETAIL', nameZh: '社会消费品零售总额', nameEn: 'Retail sales of consumer goods', unitZh: '亿元', unitEn: '100 million yuan', frequency: 'A', aggregation: 'sum', decimals: 1 },
  { code: 'URBAN_RATE', nameZh: '常住人口城镇化率', nameEn: 'Urbanisation rate', unitZh: '%', unitEn: '%', frequency: 'A', aggregation: 'none', decimals: 1, descriptionZh: '比率不能逐级相加或平均。', descriptionEn: 'A rate neither adds up nor averages along the division tree.' },
];

type ByRegion = Record<string, number[]>;
const round = (n: number, d: number) => Math.round(n * 10 ** d) / 10 ** d;
const sumOf = (a: number[], b: number[], d: number) => a.map((v, i) => round(v + b[i], d));

const GDP: ByRegion = { '990100': [3215.4, 3268.12, 3561.75, 3702.3, 3921.86, 4130.55, 4342.18], '990200': [2108.66, 2131.04, 2298.47, 2385.9, 2511.32, 2638.05, 2770.61], '990121': [402.35, 409.8, 447.12, 463.58, 491.2, 517.34, 543.9] };
const POP: ByRegion = { '990100': [612.3, 615.8, 618.1, 619.4, 621.0, 622.7, 623.9], '990200': [438.6, 437.9, 436.5, 435.2, 434.8, 434.1, 433.5], '990121': [58.2, 57.9, 57.5, 57.1, 56.8, 56.6, 56.3] };
const CPI: ByRegion = { '990100': [102.9, 102.4, 100.9, 102.0, 100.3, 100.2, 100.1], '990200': [103.1, 102.6, 101.0, 102.1, 100.1, 100.3, 99.9] };
const RETAIL: ByRegion = { '990100': [1480.2, 1402.6, 1589.3, 1571.8, 1702.5, 1785.9, 1859.4], '990200': [902.5, 861.3, 968.7, 955.2, 1031.6, 1080.4, 1122.8], '990121': [150.3, 142.1, 161.8, 160.2, 173.9, 182.5, 190.1] };
const URBAN: ByRegion = { '990100': [68.2, 69.1, 69.8, 70.5, 71.3, 72.0, 72.6], '990200': [55.4, 56.3, 57.1, 57.9, 58.8, 59.6, 60.3] };
const QUARTERS = ['2024-Q1', '2024-Q2', '2024-Q3', '2024-Q4', '2025-Q1', '2025-Q2'];
const GDP_Q: ByRegion = { '990100': [951.2, 1010.45, 1048.3, 1120.6, 1002.1, 1063.85], '990200': [610.4, 648.75, 670.2, 708.7, 640.95, 681.3] };

function withProvince(by: ByRegion, decimals: number, combine: 'sum' | 'mean' | 'weighted'): ByRegion {
  const a = by['990100'];
  const b = by['990200'];
  const province =
    combine === 'sum'
      ? sumOf(a, b, decimals)
      : combine === 'mean'
        ? a.map((v, i) => round((v + b[i]) / 2, decimals))
        : a.map((v, i) => round((v * POP['990100'][i] + b[i] * POP['990200'][i]) / (POP['990100'][i] + POP['990200'][i]), decimals));
  return { ...by, '990000': province };
}

/** The demo's indicators and figures; does nothing when the indicators are there already. */
export async function seedMacroDemo(service: MacroService, op: Operator): Promise<void> {
  if ((await service.listIndicators()).length > 0) return;
  for (const indicator of INDICATORS) await service.createIndicator(op, indicator);
  const lines = ['indicator,region,period,value,status'];
  const add = (code: string, periods: string[], by: ByRegion, provisional: (period: string) => boolean) => {
    for (const [region, values] of Object.entries(by)) values.forEach((v, i) => lines.push(`${code},${region},${periods[i]},${v},${provisional(periods[i]) ? 'P' : 'A'}`));
  };
  const latest = (p: string) => p.startsWith('2025');
  add('GDP', YEARS, withProvince(GDP, 2, 'sum'), latest);
  add('POP', YEARS, withProvince(POP, 1, 'sum'), latest);
  add('CPI', YEARS, withProvince(CPI, 1, 'mean'), latest);
  add('RETAIL', YEARS, withProvince(RETAIL, 1, 'sum'), latest);
  add('URBAN_RATE', YEARS, withProvince(URBAN, 1, 'weighted'), latest);
  add('GDP_Q', QUARTERS, withProvince(GDP_Q, 2, 'sum'), latest);
  await service.importObservations(op, { format: 'csv', content: lines.join('\n'), reason: '演示数据 Demo data', source: SOURCE });
  // The economic census revised 2023: the city's figure and, with it, the province's.
  const reason = '根据第五次全国经济普查结果修订 Revised after the fifth national economic census';
  await service.setObservation(op, { indicator: 'GDP', region: '990100', period: '2023', value: '3948.72', reason, source: SOURCE });
  await service.setObservation(op, { indicator: 'GDP', region: '990000', period: '2023', value: String(round(3948.72 + GDP['990200'][4], 2)), reason, source: SOURCE });
}
