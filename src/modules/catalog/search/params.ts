// The search's query parameters, checked here rather than by the route schema so that every
// problem names its parameter in both languages, as the rest of the catalog does.
import { UUID_PATTERN } from '../../../platform/ids.ts';
import { ValidationError, type FieldError } from '../../../platform/errors.ts';
import { FORMAT_CLASSES, SHARING_TYPES, UPDATE_CYCLES } from '../model.ts';
import { FACETS, SORTS, type Facet, type Sort } from './memory-index.ts';

export type SearchParams = {
  q: string;
  /** Per facet, the values accepted (any of them), or undefined for no filter. */
  filters: Partial<Record<Facet, string[]>>;
  sort: Sort | undefined;
  page: number;
  pageSize: number;
};

export const MAX_Q_LENGTH = 200;
export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;
/** Results beyond this are not paged through (narrow the search instead). */
export const MAX_RESULT_WINDOW = 10_000;
const MAX_VALUES = 20;

const uuid = new RegExp(UUID_PATTERN);
const ALLOWED: Record<Facet, { test: (v: string) => boolean; en: string; zh: string }> = {
  provider: { test: (v) => uuid.test(v), en: 'must be the id (UUID) of a provider organization', zh: '应为提供部门的标识（UUID）' },
  class: { test: (v) => ['1', '2', '3'].includes(v), en: 'must be 1 (base), 2 (theme) or 3 (department)', zh: '应为 1（基础）、2（主题）或 3（部门）' },
  sharing: { test: (v) => (SHARING_TYPES as readonly string[]).includes(v), en: `must be one of ${SHARING_TYPES.join(', ')}`, zh: `应为 ${SHARING_TYPES.join('、')} 之一` },
  open: { test: (v) => v === 'true' || v === 'false', en: 'must be true or false', zh: '应为 true 或 false' },
  format: { test: (v) => (FORMAT_CLASSES as readonly string[]).includes(v), en: `must be one of ${FORMAT_CLASSES.join(', ')}`, zh: `应为 ${FORMAT_CLASSES.join('、')} 之一` },
  cycle: { test: (v) => (UPDATE_CYCLES as readonly string[]).includes(v), en: `must be one of ${UPDATE_CYCLES.join(', ')}`, zh: `应为 ${UPDATE_CYCLES.join('、')} 之一` },
};
const KNOWN = new Set<string>(['q', 'sort', 'page', 'pageSize', ...FACETS]);

function wholeNumber(errors: FieldError[], field: string, raw: unknown, fallback: number, max: number): number {
  if (raw === undefined || raw === '') return fallback;
  const n = typeof raw === 'string' && /^\d{1,7}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(n) || n < 1 || n > max) {
    errors.push({ field, code: 'range', message: `must be a whole number from 1 to ${max}`, messageZh: `应为 1 至 ${max} 的整数` });
    return fallback;
  }
  return n;
}

/** Facet parameters may repeat (provider=a&provider=b): any of the values. */
const asList = (raw: unknown): unknown[] => (raw === undefined ? [] : Array.isArray(raw) ? raw : [raw]);

export function parseSearchParams(query: Record<string, unknown>): SearchParams {
  const errors: FieldError[] = [];
  for (const key of Object.keys(query)) {
    if (!KNOWN.has(key)) errors.push({ field: key, code: 'unknown_parameter', message: `is not a search parameter (use ${[...KNOWN].join(', ')})`, messageZh: `不是检索参数（可用：${[...KNOWN].join('、')}）` });
  }
  let q = '';
  if (query.q !== undefined) {
    if (typeof query.q !== 'string') errors.push({ field: 'q', code: 'type', message: 'must be given once, as text', messageZh: '只能给出一次，且应为文本' });
    else if (query.q.includes('\u0000')) errors.push({ field: 'q', code: 'nul_character', message: 'may not contain the NUL character', messageZh: '不能包含 NUL 字符' });
    else if ([...query.q].length > MAX_Q_LENGTH) errors.push({ field: 'q', code: 'length', message: `must be at most ${MAX_Q_LENGTH} characters`, messageZh: `不超过 ${MAX_Q_LENGTH} 个字符` });
    else q = query.q.trim();
  }
  const filters: SearchParams['filters'] = {};
  for (const facet of FACETS) {
    const values = asList(query[facet]);
    if (values.length === 0) continue;
    if (values.length > MAX_VALUES) {
      errors.push({ field: facet, code: 'length', message: `may be given at most ${MAX_VALUES} times`, messageZh: `最多给出 ${MAX_VALUES} 个值` });
      continue;
    }
    const bad = values.find((v) => typeof v !== 'string' || !ALLOWED[facet].test(v));
    if (bad !== undefined) errors.push({ field: facet, code: 'enum', message: `${ALLOWED[facet].en} (got "${String(bad).slice(0, 60)}")`, messageZh: `${ALLOWED[facet].zh}（收到“${String(bad).slice(0, 60)}”）` });
    else filters[facet] = [...new Set(values as string[])];
  }
  let sort: Sort | undefined;
  if (query.sort !== undefined && query.sort !== '') {
    if (typeof query.sort === 'string' && (SORTS as readonly string[]).includes(query.sort)) sort = query.sort as Sort;
    else errors.push({ field: 'sort', code: 'enum', message: `must be one of ${SORTS.join(', ')}`, messageZh: `应为 ${SORTS.join('、')} 之一（相关度、名称、发布日期、代码）` });
  }
  const page = wholeNumber(errors, 'page', query.page, 1, MAX_RESULT_WINDOW);
  const pageSize = wholeNumber(errors, 'pageSize', query.pageSize, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
  if (!errors.some((e) => e.field === 'page' || e.field === 'pageSize') && (page - 1) * pageSize >= MAX_RESULT_WINDOW)
    errors.push({ field: 'page', code: 'range', message: `pages through the first ${MAX_RESULT_WINDOW.toLocaleString('en')} results only: narrow the search with words or facets`, messageZh: `仅可翻阅前 ${MAX_RESULT_WINDOW} 条结果，请用关键词或分面缩小范围` });
  if (errors.length > 0) throw new ValidationError(errors);
  return { q, filters, sort, page, pageSize };
}
