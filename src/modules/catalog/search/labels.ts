// Human words for facet values, in both languages (providers are named by the directory).
import { CLASSES } from '../classification.ts';
import type { Label } from '../classification.ts';
import type { Facet } from './memory-index.ts';

const LABELS: Record<Exclude<Facet, 'provider'>, Record<string, Label>> = {
  class: CLASSES,
  sharing: {
    unconditional: { zh: '无条件共享', en: 'Shared unconditionally' },
    conditional: { zh: '有条件共享', en: 'Shared on conditions' },
    none: { zh: '不予共享', en: 'Not shared' },
  },
  open: {
    true: { zh: '向社会开放', en: 'Open to the public' },
    false: { zh: '不向社会开放', en: 'Not open to the public' },
  },
  format: {
    file: { zh: '电子文件', en: 'Files' },
    spreadsheet: { zh: '电子表格', en: 'Spreadsheets' },
    database: { zh: '数据库', en: 'Database' },
    image: { zh: '图形图像', en: 'Images' },
    streaming: { zh: '流媒体', en: 'Streaming media' },
    'self-describing': { zh: '自描述格式', en: 'Self-describing formats' },
    api: { zh: '服务接口', en: 'Service interface (API)' },
  },
  cycle: {
    realtime: { zh: '实时', en: 'Real time' },
    daily: { zh: '每日', en: 'Daily' },
    weekly: { zh: '每周', en: 'Weekly' },
    monthly: { zh: '每月', en: 'Monthly' },
    quarterly: { zh: '每季度', en: 'Quarterly' },
    'half-yearly': { zh: '每半年', en: 'Half-yearly' },
    yearly: { zh: '每年', en: 'Yearly' },
    irregular: { zh: '不定期', en: 'Irregular' },
  },
};

export function facetLabel(facet: Exclude<Facet, 'provider'>, value: string): Label {
  return LABELS[facet][value] ?? { zh: value, en: value };
}
