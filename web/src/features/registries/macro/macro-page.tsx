// The macroeconomic database in the workbench: its indicators, and for the chosen one a line
// chart of a region over time and a bar chart of the divisions under that region in one
// period, optionally "as published on" a past date. The choice lives in the address, so a
// chart can be linked to and the back button undoes a change. Everyone can list an
// observation's revisions and export the figures; the registry's keepers (the owner
// organization's officers and administrators, as the server decides) also create and change
// indicators, publish or revise observations and import SDMX-CSV or plain CSV files.
import { useMemo, useState } from 'react';
import { api, type Division } from '../../../api.ts';
import { Notice, SelectField, TextField } from '../../../components/forms.tsx';
import { PageTitle } from '../../../components/page.tsx';
import { Loaded } from '../../../components/status.tsx';
import { useResource, type Resource } from '../../../hooks.ts';
import { useI18n } from '../../../i18n/index.tsx';
import { navigate, useLocation } from '../../../router.tsx';
import { useKeeps, useRegistry } from '../records/use-registry.ts';
import { HeadedTable } from '../table.tsx';
import { BASE, macroApi, type Coverage, type CrossSectionAnswer, type Indicator, type Observation, type ObservationKey, type SeriesAnswer } from './api.ts';
import { BarChart, LineChart } from './charts.tsx';
import { ExportLinks, ImportPanel } from './import-panel.tsx';
import { IndicatorForm } from './indicator-form.tsx';
import { ObservationForm, Revisions, statusLabel } from './observations.tsx';

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

function IndicatorTable({ indicators, selected, onSelect, onEdit }: { indicators: Indicator[]; selected: string; onSelect: (code: string) => void; onEdit?: (code: string) => void }) {
  const { t, lang } = useI18n();
  if (indicators.length === 0) return <p className="notice notice-empty">{t('macro.indicators.empty')}</p>;
  return (
    <HeadedTable caption={t('macro.indicators.title')} columns={[t('macro.col.code'), t('macro.col.name'), t('macro.col.unit'), t('macro.col.frequency'), t('macro.col.aggregation'), t('macro.col.charts')]} testId="macro-indicators">
      {indicators.map((i) => {
        const name = lang === 'en' ? i.nameEn : i.nameZh;
        return (
          <tr key={i.code} aria-current={i.code === selected ? 'true' : undefined}>
            <td className="mono">{i.code}</td>
            <th scope="row">{name}</th>
            <td>{lang === 'en' ? i.unitEn : i.unitZh}</td>
            <td>{t(`macro.frequency.${i.frequency}`)}</td>
            <td>{t(`macro.aggregation.${i.aggregation}`)}</td>
            <td className="actions">
              {i.code === selected ? (
                <strong>{t('macro.selected')}</strong>
              ) : (
                <button type="button" className="button button-secondary button-small" aria-label={t('macro.showFor', { name })} onClick={() => onSelect(i.code)}>
                  {t('macro.show')}
                </button>
              )}
              {onEdit && (
                <>
                  {' '}
                  <button type="button" className="button button-secondary button-small" aria-label={t('macro.editFor', { name })} onClick={() => onEdit(i.code)}>
                    {t('macro.edit')}
                  </button>
                </>
              )}
            </td>
          </tr>
        );
      })}
    </HeadedTable>
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

function Charts({ indicator, coverage, choice, onChange, refresh }: { indicator: Indicator; coverage: Coverage; choice: Choice; onChange: (c: Partial<Choice>) => void; refresh: number }) {
  const { t, lang } = useI18n();
  const regions = [...coverage.regions].sort((a, b) => levelRank(a) - levelRank(b) || a.localeCompare(b));
  const region = regions.includes(choice.region) ? choice.region : (regions[0] ?? '');
  const period = coverage.periods.includes(choice.period) ? choice.period : (coverage.periods.at(-1) ?? '');
  const asOf = /^\d{4}-\d{2}-\d{2}$/.test(choice.asOf) ? choice.asOf : '';
  const nameOf = useDivisionNames(region);
  const key = `${indicator.code}|${region}|${period}|${asOf}|${refresh}`;
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

type IndicatorPanel = { mode: 'new' } | { mode: 'edit'; code: string } | undefined;
const nameIn = (lang: string, i: Indicator) => (lang === 'en' ? i.nameEn : i.nameZh);

/** The indicators, and for the keepers a panel to create one or change the one chosen. */
function IndicatorsSection({ indicators, selected, keeps, onSelect, onChanged, onNotice }: { indicators: Resource<Indicator[]>; selected: string; keeps: boolean; onSelect: (code: string) => void; onChanged: (selected?: string) => void; onNotice: (text: string) => void }) {
  const { t, lang } = useI18n();
  const [panel, setPanel] = useState<IndicatorPanel>();
  const editing = panel?.mode === 'edit' ? indicators.data?.find((i) => i.code === panel.code) : undefined;
  return (
    <section className="card" aria-labelledby="macro-indicators-title">
      <div className="section-head">
        <h2 id="macro-indicators-title">{t('macro.indicators.title')}</h2>
        {keeps && (
          <button type="button" className="button" aria-expanded={panel?.mode === 'new'} aria-controls="macro-indicator-panel" onClick={() => setPanel((p) => (p?.mode === 'new' ? undefined : { mode: 'new' }))}>
            {t('macro.indicator.new')}
          </button>
        )}
      </div>
      <Loaded resource={indicators}>{(list) => <IndicatorTable indicators={list} selected={selected} onSelect={onSelect} onEdit={keeps ? (code) => setPanel({ mode: 'edit', code }) : undefined} />}</Loaded>
      {keeps && (
        <div id="macro-indicator-panel" className="panel" hidden={!panel}>
          {panel && (
            <>
              <h3>{panel.mode === 'new' ? t('macro.indicator.newTitle') : t('macro.indicator.editTitle', { code: panel.code })}</h3>
              <IndicatorForm
                key={panel.mode === 'new' ? 'new' : panel.code}
                indicator={editing}
                onCancel={() => setPanel(undefined)}
                onReload={() => onChanged()}
                onSaved={(indicator) => {
                  setPanel(undefined);
                  onNotice(t(panel.mode === 'new' ? 'macro.notice.created' : 'macro.notice.saved', { code: indicator.code, name: nameIn(lang, indicator), version: indicator.version }));
                  onChanged(indicator.code);
                }}
                onDeleted={(code) => {
                  setPanel(undefined);
                  onNotice(t('macro.notice.deleted', { code }));
                  onChanged(selected === code ? '' : undefined);
                }}
              />
            </>
          )}
        </div>
      )}
    </section>
  );
}

/** For the keepers: publishing a value or a revision, in a panel opened by its button. */
function ObservationSection({ indicators, initial, onSaved }: { indicators: Indicator[]; initial: ObservationKey; onSaved: (saved: { observation: Observation; changed: boolean }) => void }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  return (
    <section className="panel" aria-labelledby="macro-observation-title">
      <div className="section-head">
        <h2 id="macro-observation-title">{t('macro.obs.title')}</h2>
        <button type="button" className="button" aria-expanded={open} aria-controls="macro-observation-panel" onClick={() => setOpen((o) => !o)}>
          {t('macro.obs.open')}
        </button>
      </div>
      <p>{t('macro.obs.intro')}</p>
      <div id="macro-observation-panel" hidden={!open}>
        {open && (
          <ObservationForm
            indicators={indicators}
            initial={initial}
            onCancel={() => setOpen(false)}
            onSaved={(saved) => {
              setOpen(false);
              onSaved(saved);
            }}
          />
        )}
      </div>
    </section>
  );
}

export function MacroPage() {
  const { t, lang } = useI18n();
  const [choice, setChoice] = useChoice();
  // The owner organization's officers and administrators keep the database; the server decides, this only hides what it would refuse.
  const keeps = useKeeps(useRegistry('macroeconomic').data);
  const [indicatorsRead, setIndicatorsRead] = useState(0);
  const [figures, setFigures] = useState(0);
  const [notice, setNotice] = useState<string | undefined>();
  const [revisionsOf, setRevisionsOf] = useState<ObservationKey | undefined>();
  const indicators = useResource(() => macroApi.indicators(), `indicators|${indicatorsRead}`);
  const selected = indicators.data?.find((i) => i.code === choice.indicator) ?? indicators.data?.[0];
  const coverage = useResource(() => (selected ? macroApi.coverage(selected.code) : Promise.resolve({ regions: [], periods: [] })), `${selected?.code ?? ''}|${figures}`);
  const list = indicators.data ?? [];
  const published = ({ observation: o, changed }: { observation: Observation; changed: boolean }) => {
    const indicator = list.find((i) => i.code === o.indicator);
    setNotice(changed ? t('macro.notice.observation', { indicator: indicator ? nameIn(lang, indicator) : o.indicator, region: o.region, period: o.period, revision: o.revision }) : t('macro.notice.unchanged', { region: o.region, period: o.period }));
    setFigures((n) => n + 1);
    setRevisionsOf({ indicator: o.indicator, region: o.region, period: o.period });
    setChoice({ indicator: o.indicator, region: o.region, period: o.period });
  };

  return (
    <>
      <PageTitle>{t('macro.page.title')}</PageTitle>
      <p className="lead">{t('macro.page.intro')}</p>
      <Notice>{notice}</Notice>
      <IndicatorsSection
        indicators={indicators}
        selected={selected?.code ?? ''}
        keeps={keeps}
        onSelect={(code) => setChoice({ indicator: code, region: choice.region, period: '' })}
        onNotice={setNotice}
        onChanged={(code) => {
          setIndicatorsRead((n) => n + 1);
          if (code !== undefined) setChoice({ indicator: code, region: choice.region, period: '' });
        }}
      />
      {!selected && indicators.data && <p>{t('macro.noIndicator')}</p>}
      {selected && <Loaded resource={coverage}>{(c) => (coverage.loading ? null : <Charts indicator={selected} coverage={c} choice={choice} onChange={setChoice} refresh={figures} />)}</Loaded>}
      {keeps && list.length > 0 && <ObservationSection indicators={list} initial={{ indicator: selected?.code ?? '', region: choice.region, period: choice.period }} onSaved={published} />}
      {list.length > 0 && <Revisions indicators={list} shown={revisionsOf} suggested={{ indicator: selected?.code ?? '', region: choice.region, period: choice.period }} refreshKey={figures} onShow={setRevisionsOf} />}
      {keeps && <ImportPanel onImported={() => setFigures((n) => n + 1)} />}
      <ExportLinks selected={selected} />
    </>
  );
}
