// The macroeconomic database in the workbench: its indicators, and for the chosen one a line
// chart of a region over time and a bar chart of the divisions under that region in one
// period, optionally "as published on" a past date. The choice lives in the address, so a
// chart can be linked to and the back button undoes a change.
import { useMemo } from 'react';
import { api, type Division } from '../../../api.ts';
import type { Coverage, CrossSectionAnswer, Indicator, SeriesAnswer } from '../../../../../src/modules/registries/macro/index.ts';
import { SelectField, TextField } from '../../../components/forms.tsx';
import { PageTitle } from '../../../components/page.tsx';
import { Loaded } from '../../../components/status.tsx';
import { useResource } from '../../../hooks.ts';
import { useI18n, type MessageKey, type Translate } from '../../../i18n/index.tsx';
import { navigate, useLocation } from '../../../router.tsx';
import { BarChart, LineChart } from './charts.tsx';

const BASE = '/api/registries/macroeconomic';
export const MACRO_PATH = '/registries/macroeconomic';

type Choice = { indicator: string; region: string; period: string; asOf: string };

/** Province codes before city codes before county codes: the widest region is the natural start. */
const levelRank = (code: string) => (code.endsWith('0000') ? 0 : code.endsWith('00') ? 1 : 2);

function useChoice(): [Choice, (change: Partial<Choice>) => void] {
  const { search } = useLocation();
  const choice = { indicator: search.get('indicator') ?? '', region: search.get('region') ?? '', period: search.get('period') ?? '', asOf: search.get('asOf') ?? '' };
  const set = (change: Partial<Choice>) => {
    const next = { ...choice, ...change };
    const params = new URLSearchParams(Object.entries(next).filter(([, v]) => v !== '') as [string, string][]);
    navigate(`${MACRO_PATH}${params.size ? `?${params}` : ''}`);
  };
  return [choice, set];
}

const statusLabel = (t: Translate, status: string) => (['A', 'P', 'E', 'F'].includes(status) ? t(`macro.status.${status}` as MessageKey) : status);

function IndicatorTable({ indicators, selected, onSelect }: { indicators: Indicator[]; selected: string; onSelect: (code: string) => void }) {
  const { t, lang } = useI18n();
  if (indicators.length === 0) return <p className="notice notice-empty">{t('macro.indicators.empty')}</p>;
  return (
    <div className="table-wrap">
      <table className="table" data-testid="macro-indicators">
        <caption className="visually-hidden">{t('macro.indicators.title')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('macro.col.code')}</th>
            <th scope="col">{t('macro.col.name')}</th>
            <th scope="col">{t('macro.col.unit')}</th>
            <th scope="col">{t('macro.col.frequency')}</th>
            <th scope="col">{t('macro.col.aggregation')}</th>
            <th scope="col">{t('macro.col.charts')}</th>
          </tr>
        </thead>
        <tbody>
          {indicators.map((i) => {
            const name = lang === 'en' ? i.nameEn : i.nameZh;
            return (
              <tr key={i.code} aria-current={i.code === selected ? 'true' : undefined}>
                <td className="mono">{i.code}</td>
                <th scope="row">{name}</th>
                <td>{lang === 'en' ? i.unitEn : i.unitZh}</td>
                <td>{t(`macro.frequency.${i.frequency}`)}</td>
                <td>{t(`macro.aggregation.${i.aggregation}`)}</td>
                <td>
                  {i.code === selected ? (
                    <strong>{t('macro.selected')}</strong>
                  ) : (
                    <button type="button" className="button button-secondary button-small" aria-label={t('macro.showFor', { name })} onClick={() => onSelect(i.code)}>
                      {t('macro.show')}
                    </button>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** Names of the divisions around `region`, for labels; a code stands in for any not found. */
function useDivisionNames(region: string): (code: string) => string {
  const prefix = region.slice(0, 2);
  const names = useResource(() => (prefix ? api.get<{ items: Division[] }>('/api/divisions', { q: prefix }) : Promise.resolve({ items: [] })), prefix);
  return useMemo(() => {
    const map = new Map((names.data?.items ?? []).map((d) => [d.code, d.name]));
    return (code: string) => map.get(code) ?? code;
  }, [names.data]);
}

function Charts({ indicator, coverage, choice, onChange }: { indicator: Indicator; coverage: Coverage; choice: Choice; onChange: (c: Partial<Choice>) => void }) {
  const { t, lang } = useI18n();
  const regions = [...coverage.regions].sort((a, b) => levelRank(a) - levelRank(b) || a.localeCompare(b));
  const region = regions.includes(choice.region) ? choice.region : (regions[0] ?? '');
  const period = coverage.periods.includes(choice.period) ? choice.period : (coverage.periods.at(-1) ?? '');
  const asOf = /^\d{4}-\d{2}-\d{2}$/.test(choice.asOf) ? choice.asOf : '';
  const nameOf = useDivisionNames(region);
  const key = `${indicator.code}|${region}|${period}|${asOf}`;
  const series = useResource(() => api.get<SeriesAnswer>(`${BASE}/series`, { indicator: indicator.code, region, asOf }), key);
  const cross = useResource(() => api.get<CrossSectionAnswer>(`${BASE}/cross-section`, { indicator: indicator.code, period, parent: region, asOf }), key);
  const number = new Intl.NumberFormat(lang, { minimumFractionDigits: indicator.decimals, maximumFractionDigits: indicator.decimals });
  const format = (n: number) => number.format(n);
  const name = lang === 'en' ? indicator.nameEn : indicator.nameZh;
  const unit = lang === 'en' ? indicator.unitEn : indicator.unitZh;
  const label = (code: string) => (nameOf(code) === code ? code : `${nameOf(code)}`);

  if (regions.length === 0) return <p className="notice notice-empty">{t('macro.noData')}</p>;
  return (
    <>
      <section className="card" aria-labelledby="macro-controls-title">
        <h2 id="macro-controls-title">{t('macro.controls.title')}</h2>
        <div className="filters">
          <SelectField formId="macro" name="region" label={t('macro.controls.region')} hint={t('macro.controls.regionHint')} value={region} onChange={(v) => onChange({ region: v })} options={regions.map((r) => ({ value: r, label: `${label(r)} (${r})` }))} />
          <SelectField formId="macro" name="period" label={t('macro.controls.period')} value={period} onChange={(v) => onChange({ period: v })} options={[...coverage.periods].reverse().map((p) => ({ value: p, label: p }))} />
          <TextField formId="macro" name="asOf" type={'date' as 'text' /* TextField does not list date; the input is a plain date field */} label={t('macro.controls.asOf')} hint={t('macro.controls.asOfHint')} value={asOf} onChange={(v) => onChange({ asOf: v })} />
        </div>
      </section>
      {asOf && <p className="callout">{t('macro.asOfNote', { date: asOf })}</p>}
      <Loaded resource={series}>
        {(s) =>
          s.points.length === 0 ? (
            <p className="notice notice-empty">{t('macro.series.empty')}</p>
          ) : (
            <LineChart
              testId="macro-series"
              title={t('macro.series.title', { indicator: name, region: label(region) })}
              summary={t('macro.series.summary', { count: s.points.length, first: s.points[0].period, firstValue: format(s.points[0].value), last: s.points.at(-1)!.period, lastValue: format(s.points.at(-1)!.value) })}
              data={s.points.map((p) => ({ label: p.period, value: p.value, note: `${statusLabel(t, p.status)}${p.revision > 1 ? `, ${t('macro.table.revision')} ${p.revision - 1}` : ''}` }))}
              xTitle={t('macro.axis.period')}
              yTitle={t('macro.axis.value', { unit })}
              format={format}
              columns={[t('macro.table.period'), t('macro.axis.value', { unit })]}
            />
          )
        }
      </Loaded>
      <Loaded resource={cross}>
        {(c) => {
          if (c.items.length === 0) return <p className="notice notice-empty">{t('macro.cross.empty')}</p>;
          const withData = c.items.filter((i) => i.value !== null);
          const top = withData.reduce<(typeof withData)[number] | undefined>((best, i) => (!best || i.value! > best.value! ? i : best), undefined);
          return (
            <BarChart
              testId="macro-cross-section"
              title={t('macro.cross.title', { indicator: name, region: label(region), period })}
              summary={top ? t('macro.cross.summary', { count: c.items.length, withData: withData.length, max: label(top.region), maxValue: format(top.value!) }) : t('macro.cross.summaryEmpty', { count: c.items.length })}
              data={c.items.map((i) => ({ label: label(i.region), value: i.value, note: i.status ? statusLabel(t, i.status) : undefined }))}
              xTitle={t('macro.axis.region')}
              yTitle={t('macro.axis.value', { unit })}
              format={format}
              columns={[t('macro.table.region'), t('macro.axis.value', { unit })]}
              noValue={t('macro.noValue')}
            >
              {c.parent.value !== null && <p className="muted">{t('macro.cross.parentValue', { region: label(region), value: format(c.parent.value) })}</p>}
            </BarChart>
          );
        }}
      </Loaded>
    </>
  );
}

export function MacroPage() {
  const { t } = useI18n();
  const [choice, setChoice] = useChoice();
  const indicators = useResource(() => api.get<Indicator[]>(`${BASE}/indicators`), 'indicators');
  const selected = indicators.data?.find((i) => i.code === choice.indicator) ?? indicators.data?.[0];
  const coverage = useResource(() => (selected ? api.get<Coverage>(`${BASE}/indicators/${encodeURIComponent(selected.code)}/coverage`) : Promise.resolve({ regions: [], periods: [] })), selected?.code ?? '');

  return (
    <>
      <PageTitle>{t('macro.page.title')}</PageTitle>
      <p className="lead">{t('macro.page.intro')}</p>
      <section className="card" aria-labelledby="macro-indicators-title">
        <h2 id="macro-indicators-title">{t('macro.indicators.title')}</h2>
        <Loaded resource={indicators}>{(list) => <IndicatorTable indicators={list} selected={selected?.code ?? ''} onSelect={(code) => setChoice({ indicator: code, region: choice.region, period: '' })} />}</Loaded>
      </section>
      {!selected && indicators.data && <p>{t('macro.noIndicator')}</p>}
      {selected && <Loaded resource={coverage}>{(c) => (coverage.loading ? null : <Charts indicator={selected} coverage={c} choice={choice} onChange={setChoice} />)}</Loaded>}
    </>
  );
}
