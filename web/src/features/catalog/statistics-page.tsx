// Share-request statistics per organization: requests made and received, approved, rejected,
// pending and overdue, the approval rate and the average working days to answer, as a table
// and as bar charts (the macroeconomic page's charts: each with its numbers in words and as a
// table of its own).
import { DataTable } from '../../components/data-table.tsx';
import { PageTitle } from '../../components/page.tsx';
import { Loaded } from '../../components/status.tsx';
import { localName } from '../../format.ts';
import { useResource } from '../../hooks.ts';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import { BarChart } from '../registries/macro/charts.tsx';
import { useCatalogAccess } from './access.ts';
import { catalogApi, type OrgStatistics } from './api.ts';
import { CatalogNav } from './catalog-nav.tsx';

export function StatisticsPage() {
  const { t, lang } = useI18n();
  const access = useCatalogAccess();
  const stats = useResource(() => catalogApi.statistics(), 'catalog-statistics');
  const percent = new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 0 });
  const days = new Intl.NumberFormat(lang, { maximumFractionDigits: 1 });
  const whole = new Intl.NumberFormat(lang, { maximumFractionDigits: 0 });
  const name = (s: OrgStatistics) => localName(s.organization, lang);
  const shown = (value: number | null, format: (n: number) => string) => (value === null ? t('catalog.stats.none') : format(value));
  const charts: { title: MessageKey; axis: MessageKey; value: (s: OrgStatistics) => number | null; format: (n: number) => string; testId: string }[] = [
    { title: 'catalog.stats.chart.received', axis: 'catalog.stats.received', value: (s) => s.received, format: (n) => whole.format(n), testId: 'catalog-chart-received' },
    { title: 'catalog.stats.chart.rate', axis: 'catalog.stats.rate', value: (s) => (s.approvalRate === null ? null : s.approvalRate * 100), format: (n) => `${whole.format(n)}%`, testId: 'catalog-chart-rate' },
    { title: 'catalog.stats.chart.days', axis: 'catalog.stats.days', value: (s) => s.averageWorkingDaysToAnswer, format: (n) => days.format(n), testId: 'catalog-chart-days' },
  ];
  return (
    <>
      <PageTitle>{t('catalog.stats.title')}</PageTitle>
      <CatalogNav access={access} />
      <p className="lead">{t('catalog.stats.intro')}</p>
      <Loaded resource={stats}>
        {(rows) => {
          const sorted = [...rows].sort((a, b) => b.received + b.made - (a.received + a.made) || name(a).localeCompare(name(b), lang));
          const providers = sorted.filter((s) => s.received > 0);
          if (sorted.length === 0) return <p>{t('catalog.stats.empty')}</p>;
          return (
            <>
              <section className="panel" aria-labelledby="catalog-stats-table-title">
                <h2 id="catalog-stats-table-title">{t('catalog.stats.tableTitle')}</h2>
                <DataTable
                  items={sorted}
                  rowKey={(s) => s.organization.id}
                  empty={t('catalog.stats.empty')}
                  columns={[
                    { header: t('catalog.stats.org'), cell: name },
                    { header: t('catalog.stats.made'), className: 'num', cell: (s) => s.made },
                    { header: t('catalog.stats.received'), className: 'num', cell: (s) => s.received },
                    { header: t('catalog.stats.approved'), className: 'num', cell: (s) => s.approved },
                    { header: t('catalog.stats.rejected'), className: 'num', cell: (s) => s.rejected },
                    { header: t('catalog.stats.pending'), className: 'num', cell: (s) => s.pending },
                    { header: t('catalog.stats.overdue'), className: 'num', cell: (s) => s.overdue },
                    { header: t('catalog.stats.rate'), className: 'num', cell: (s) => shown(s.approvalRate, (n) => percent.format(n)) },
                    { header: t('catalog.stats.days'), className: 'num', cell: (s) => shown(s.averageWorkingDaysToAnswer, (n) => days.format(n)) },
                  ]}
                />
              </section>
              {providers.length > 0 && (
                <section className="panel catalog-charts" aria-labelledby="catalog-stats-charts-title">
                  <h2 id="catalog-stats-charts-title">{t('catalog.stats.chartsTitle')}</h2>
                  {charts.map((chart) => (
                    <BarChart
                      key={chart.testId}
                      title={t(chart.title)}
                      summary={t('catalog.stats.chart.summary', { list: providers.map((s) => `${name(s)} ${shown(chart.value(s), chart.format)}`).join(lang === 'en' ? '; ' : '；') })}
                      data={providers.map((s) => ({ label: name(s), value: chart.value(s) }))}
                      xTitle={t('catalog.stats.org')}
                      yTitle={t(chart.axis)}
                      format={chart.format}
                      columns={[t('catalog.stats.org'), t(chart.axis)]}
                      noValue={t('catalog.stats.none')}
                      testId={chart.testId}
                    />
                  ))}
                </section>
              )}
            </>
          );
        }}
      </Loaded>
    </>
  );
}
