// The editor's values (strings as the inputs hold them, rows with keys for React) to and from
// the API's guide, and which input a server problem belongs to. Amounts are typed in yuan and
// sent in fen; a number the inputs cannot mean is refused here, by field, before sending.
import { ApiError, type FieldProblem } from '../../api.ts';
import type { Translate } from '../../i18n/index.tsx';
import { problemField } from '../registries/problems.ts';
import type { ServiceBody, ServiceContent, ServiceKind, ServiceView } from './api.ts';

let nextRowKey = 1;
const rowKey = () => nextRowKey++;

export type BilingualRow = { rowKey: number; zh: string; en: string };
export type MaterialRow = { rowKey: number; key: string; nameZh: string; nameEn: string; required: boolean; fetchable: boolean; registry: string; field: string; templateUrl: string; sampleUrl: string };
export type FeeRow = { rowKey: number; itemZh: string; itemEn: string; yuan: string; basisZh: string; basisEn: string };
export type FaqRow = { rowKey: number; qZh: string; qEn: string; aZh: string; aEn: string };
export type JointRow = { rowKey: number; orgId: string };

export type Values = {
  code: string;
  orgId: string;
  kind: ServiceKind;
  jointOrgIds: JointRow[];
  nameZh: string;
  nameEn: string;
  summaryZh: string;
  summaryEn: string;
  legalBasis: BilingualRow[];
  conditions: BilingualRow[];
  materials: MaterialRow[];
  fees: FeeRow[];
  faqs: FaqRow[];
  statutoryDays: string;
  promisedDays: string;
  visits: '0' | '1';
  events: string[];
};

export const newBilingual = (zh = '', en = ''): BilingualRow => ({ rowKey: rowKey(), zh, en });
export const newMaterial = (m?: ServiceContent['materials'][number]): MaterialRow => ({
  rowKey: rowKey(),
  key: m?.key ?? '',
  nameZh: m?.nameZh ?? '',
  nameEn: m?.nameEn ?? '',
  required: m?.required ?? true,
  fetchable: Boolean(m?.fetchable),
  registry: m?.fetchable?.registry ?? '',
  field: m?.fetchable?.field ?? '',
  templateUrl: m?.templateUrl ?? '',
  sampleUrl: m?.sampleUrl ?? '',
});
export const newFee = (f?: ServiceContent['fees'][number]): FeeRow => ({ rowKey: rowKey(), itemZh: f?.itemZh ?? '', itemEn: f?.itemEn ?? '', yuan: f ? (f.amountFen / 100).toFixed(2) : '', basisZh: f?.basisZh ?? '', basisEn: f?.basisEn ?? '' });
export const newFaq = (f?: ServiceContent['faqs'][number]): FaqRow => ({ rowKey: rowKey(), qZh: f?.qZh ?? '', qEn: f?.qEn ?? '', aZh: f?.aZh ?? '', aEn: f?.aEn ?? '' });
export const newJoint = (orgId = ''): JointRow => ({ rowKey: rowKey(), orgId });

/** A saved service's values, or a new one's (one empty legal basis to fill in, since one is required). */
export function valuesOf(service: ServiceView | undefined, orgId: string): Values {
  return {
    code: service?.code ?? '',
    orgId: service?.orgId ?? orgId,
    kind: service?.kind ?? 'licence',
    jointOrgIds: (service?.jointOrgIds ?? []).map(newJoint),
    nameZh: service?.nameZh ?? '',
    nameEn: service?.nameEn ?? '',
    summaryZh: service?.summaryZh ?? '',
    summaryEn: service?.summaryEn ?? '',
    legalBasis: service ? service.legalBasis.map((b) => newBilingual(b.zh, b.en)) : [newBilingual()],
    conditions: (service?.conditions ?? []).map((c) => newBilingual(c.zh, c.en)),
    materials: (service?.materials ?? []).map(newMaterial),
    fees: (service?.fees ?? []).map(newFee),
    faqs: (service?.faqs ?? []).map(newFaq),
    statutoryDays: service ? String(service.statutoryDays) : '',
    promisedDays: service ? String(service.promisedDays) : '',
    visits: service?.visits === 1 ? '1' : '0',
    events: service?.events ?? [],
  };
}

const YUAN = /^\d{1,8}(\.\d{1,2})?$/;
const fenOf = (yuan: string) => (YUAN.test(yuan.trim()) ? Math.round(Number(yuan.trim()) * 100) : undefined);
const daysOf = (text: string) => (/^\d{1,3}$/.test(text.trim()) ? Number(text.trim()) : undefined);

/** The guide as the values say it, as far as they can be read (for the preview: nothing refused). */
export function contentOf(v: Values): ServiceContent {
  return {
    kind: v.kind,
    jointOrgIds: v.jointOrgIds.map((j) => j.orgId).filter(Boolean),
    nameZh: v.nameZh,
    nameEn: v.nameEn,
    summaryZh: v.summaryZh,
    summaryEn: v.summaryEn,
    legalBasis: v.legalBasis.map(({ zh, en }) => ({ zh, en })),
    conditions: v.conditions.map(({ zh, en }) => ({ zh, en })),
    materials: v.materials.map((m) => ({
      key: m.key.trim(),
      nameZh: m.nameZh,
      nameEn: m.nameEn,
      required: m.required,
      fetchable: m.fetchable ? { registry: m.registry.trim(), field: m.field.trim() } : null,
      templateUrl: m.templateUrl.trim() || null,
      sampleUrl: m.sampleUrl.trim() || null,
    })),
    fees: v.fees.map((f) => ({ itemZh: f.itemZh, itemEn: f.itemEn, amountFen: fenOf(f.yuan) ?? 0, basisZh: f.basisZh, basisEn: f.basisEn })),
    statutoryDays: daysOf(v.statutoryDays) ?? 0,
    promisedDays: daysOf(v.promisedDays) ?? 0,
    visits: v.visits === '1' ? 1 : 0,
    faqs: v.faqs.map(({ qZh, qEn, aZh, aEn }) => ({ qZh, qEn, aZh, aEn })),
    events: v.events,
  };
}

/**
 * What is sent; numbers the inputs cannot mean (an amount that is not yuan, days that are not
 * a whole number) are refused as field problems, as the server would name them. Everything else
 * is the server's to check.
 */
export function bodyOf(v: Values, t: Translate): ServiceBody {
  const problems: FieldProblem[] = [];
  v.fees.forEach((f, i) => fenOf(f.yuan) === undefined && problems.push({ field: `fees.${i}.amountFen`, code: 'yuan', message: t('services.form.feeAmountInvalid') }));
  for (const name of ['statutoryDays', 'promisedDays'] as const) {
    const days = daysOf(v[name]);
    if (days === undefined || days < 1 || days > 365) problems.push({ field: name, code: 'days', message: t('services.form.daysInvalid') });
  }
  if (problems.length) throw new ApiError(400, 'validation_failed', t('error.validation_failed'), problems);
  return { code: v.code.trim(), orgId: v.orgId, ...contentOf(v) };
}

/** A problem's field in the editor's terms: "materials/1/key" and "body.materials.1.key" are both "materials.1.key". */
export const normalField = (problem: FieldProblem) => problemField(problem).replaceAll('/', '.');

const ROW_FIRST_INPUT: Record<string, string> = { legalBasis: 'zh', conditions: 'zh', materials: 'nameZh', fees: 'itemZh', faqs: 'qZh' };

/**
 * The input a problem is written beside: a row's problem ("materials.1": its names are missing)
 * beside the row's first name input, a list member's ("events.0") beside its list.
 */
export function inputOf(field: string): string {
  const row = /^(legalBasis|conditions|materials|fees|faqs)\.(\d+)$/.exec(field);
  if (row) return `${field}.${ROW_FIRST_INPUT[row[1]]}`;
  if (/^events\.\d+$/.test(field)) return 'events';
  if (/^materials\.\d+\.fetchable$/.test(field)) return `${field}.registry`;
  return field;
}
