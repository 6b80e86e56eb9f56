// The exchange's live traffic: this node's calls per service and side (client side, provider
// side) with errors, calls per second and latency percentiles, refreshed every few seconds.
// Refreshing is quiet for screen readers: the live region speaks when the window changes or
// when new errors appear, not on every refresh; and the updates can be paused (WCAG 2.2.2).
import { Fragment, useEffect, useRef, useState, type ReactNode } from 'react';
import { api, type TrafficSnapshot, type TrafficStats } from '../../api.ts';
import { DataTable, type Column } from '../../components/data-table.tsx';
import { SelectField } from '../../components/forms.tsx';
import { PageTitle } from '../../components/page.tsx';
import { Loaded } from '../../components/status.tsx';
import { useResource } from '../../hooks.ts';
import { useI18n, type Lang, type MessageKey, type Translate } from '../../i18n/index.tsx';
import { Sparkline } from './sparkline.tsx';
import { useAutoRefresh } from './use-auto-refresh.ts';

const REFRESH_SECONDS = 3;
const WINDOWS: { seconds: number; label: MessageKey }[] = [
  { seconds: 60, label: 'exchange.traffic.window60' },
  { seconds: 300, label: 'exchange.traffic.window300' },
  { seconds: 900, label: 'exchange.traffic.window900' },
];
type Row = TrafficSnapshot['services'][number];

function windowLabel(t: Translate, seconds: number): string {
  return t(WINDOWS.find((w) => w.seconds === seconds)?.label ?? 'exchange.traffic.window300');
}

function formats(lang: Lang, t: Translate) {
  const number = new Intl.NumberFormat(lang, { maximumFractionDigits: 2 });
  const percent = new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 1 });
  const time = new Intl.DateTimeFormat(lang, { timeStyle: 'medium' });
  return {
    number: (n: number) => number.format(n),
    errorRate: (s: TrafficStats) => (s.calls === 0 ? '—' : percent.format(s.errors / s.calls)),
    ms: (n: number | null) => (n === null ? '—' : t('exchange.traffic.ms', { value: number.format(n) })),
    time: (iso: string) => time.format(new Date(iso)),
  };
}

/** A long identifier may wrap after each "/", not in the middle of a segment. */
function breakable(identifier: string): ReactNode {
  return identifier.split('/').map((part, i) => (i === 0 ? part : <Fragment key={i}>/<wbr />{part}</Fragment>));
}

/** What the live region says: both sides' calls and errors in the window. */
function summary(t: Translate, s: TrafficSnapshot): string {
  return t('exchange.traffic.announce', {
    window: windowLabel(t, s.windowSeconds),
    served: s.totals.provider.calls,
    servedErrors: s.totals.provider.errors,
    made: s.totals.consumer.calls,
    madeErrors: s.totals.consumer.errors,
  });
}

/** Announces a changed window, and errors that were not there at the last refresh; nothing else. */
function useAnnouncement(data: TrafficSnapshot | undefined, t: Translate): string {
  const [announcement, setAnnouncement] = useState('');
  const previous = useRef<TrafficSnapshot | undefined>(undefined);
  useEffect(() => {
    const before = previous.current;
    previous.current = data;
    if (!data || !before || before === data) return;
    const errors = (s: TrafficSnapshot) => s.totals.consumer.errors + s.totals.provider.errors;
    if (before.windowSeconds !== data.windowSeconds) setAnnouncement(summary(t, data));
    else if (errors(data) > errors(before)) setAnnouncement(`${t('exchange.traffic.newErrors')} ${summary(t, data)}`);
  }, [data, t]);
  return announcement;
}

function Totals({ title, stats, testId }: { title: string; stats: TrafficStats; testId: string }) {
  const { t, lang } = useI18n();
  const f = formats(lang, t);
  const item = (label: string, value: string, id?: string) => (
    <div>
      <dt>{label}</dt>
      <dd data-testid={id}>{value}</dd>
    </div>
  );
  return (
    <section className="traffic-total">
      <h3>{title}</h3>
      <dl className="details">
        {item(t('exchange.traffic.calls'), f.number(stats.calls), `${testId}-calls`)}
        {item(t('exchange.traffic.errors'), `${f.number(stats.errors)} (${f.errorRate(stats)})`, `${testId}-errors`)}
        {item(t('exchange.traffic.rate'), f.number(stats.callsPerSecond))}
        {item(t('exchange.traffic.latency'), `${f.ms(stats.p50Ms)} / ${f.ms(stats.p95Ms)} / ${f.ms(stats.p99Ms)}`)}
      </dl>
    </section>
  );
}

/** The table's columns; `step` is the width in seconds of one sparkline point. */
function serviceColumns(t: Translate, f: ReturnType<typeof formats>, step: number): Column<Row>[] {
  const sparkLabel = (r: Row) => t('exchange.traffic.sparkline', { step, max: Math.max(...r.series.calls), last: r.series.calls.at(-1) ?? 0, errors: r.errors });
  return [
    { header: t('exchange.traffic.service'), className: 'mono subject-cell', cell: (r) => (r.service === '*' ? t('exchange.traffic.other') : breakable(r.service)) },
    { header: t('exchange.log.side'), cell: (r) => t(r.side === 'consumer' ? 'exchange.log.consumer' : 'exchange.log.provider') },
    { header: t('exchange.traffic.calls'), className: 'num', cell: (r) => f.number(r.calls) },
    { header: t('exchange.traffic.errors'), className: 'num', cell: (r) => f.number(r.errors) },
    { header: t('exchange.traffic.errorRate'), className: 'num', cell: (r) => f.errorRate(r) },
    { header: t('exchange.traffic.rateShort'), className: 'num', cell: (r) => f.number(r.callsPerSecond) },
    { header: t('exchange.traffic.p50'), className: 'num nowrap', cell: (r) => f.ms(r.p50Ms) },
    { header: t('exchange.traffic.p95'), className: 'num nowrap', cell: (r) => f.ms(r.p95Ms) },
    { header: t('exchange.traffic.p99'), className: 'num nowrap', cell: (r) => f.ms(r.p99Ms) },
    { header: t('exchange.traffic.trend'), cell: (r) => <Sparkline calls={r.series.calls} errors={r.series.errors} label={sparkLabel(r)} /> },
  ];
}

export function ExchangeTrafficPage() {
  const { t, lang } = useI18n();
  const [windowSeconds, setWindowSeconds] = useState(300);
  const [paused, setPaused] = useState(false);
  const traffic = useResource(() => api.get<TrafficSnapshot>('/api/exchange/traffic', { window: windowSeconds }), String(windowSeconds));
  const { hidden } = useAutoRefresh(traffic, REFRESH_SECONDS * 1000, paused);
  const announcement = useAnnouncement(traffic.data, t);
  const f = formats(lang, t);

  return (
    <>
      <PageTitle>{t('exchange.traffic.title')}</PageTitle>
      <p className="lead">{t('exchange.traffic.intro')}</p>
      <div className="traffic-bar">
        <SelectField
          formId="traffic"
          name="window"
          label={t('exchange.traffic.window')}
          value={String(windowSeconds)}
          onChange={(value) => setWindowSeconds(Number(value))}
          options={WINDOWS.map((w) => ({ value: String(w.seconds), label: t(w.label) }))}
        />
        <p className="traffic-updated" data-testid="traffic-updated">
          {traffic.data && <span>{t('exchange.traffic.updatedAt', { time: f.time(traffic.data.now) })}</span>}
          <span className="muted">{paused || hidden ? t('exchange.traffic.paused') : t('exchange.traffic.refreshing', { seconds: REFRESH_SECONDS })}</span>
        </p>
        <button type="button" className="button button-secondary button-small" onClick={() => setPaused(!paused)}>
          {paused ? t('exchange.traffic.resume') : t('exchange.traffic.pause')}
        </button>
      </div>
      <p role="status" className="visually-hidden">
        {announcement}
      </p>
      <Loaded resource={traffic}>
        {(s) => (
          <>
            {s.scope === 'organization' && <p>{t('exchange.traffic.scopeOrg')}</p>}
            {new Date(s.since).getTime() > new Date(s.now).getTime() - s.windowSeconds * 1000 && <p className="muted">{t('exchange.traffic.since', { time: f.time(s.since) })}</p>}
            <section className="panel" aria-labelledby="traffic-totals-title">
              <h2 id="traffic-totals-title">{t('exchange.traffic.totals', { window: windowLabel(t, s.windowSeconds) })}</h2>
              <div className="traffic-totals">
                <Totals title={t('exchange.traffic.providerTotals')} stats={s.totals.provider} testId="traffic-provider" />
                <Totals title={t('exchange.traffic.consumerTotals')} stats={s.totals.consumer} testId="traffic-consumer" />
              </div>
            </section>
            <section className="panel" aria-labelledby="traffic-services-title">
              <h2 id="traffic-services-title">{t('exchange.traffic.services')}</h2>
              <p className="hint">{t('exchange.traffic.note')}</p>
              <DataTable items={s.services} columns={serviceColumns(t, f, s.stepSeconds)} rowKey={(r) => `${r.side} ${r.service}`} empty={t('exchange.traffic.empty')} />
            </section>
          </>
        )}
      </Loaded>
    </>
  );
}
