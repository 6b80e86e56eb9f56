// The message log search: by X-Road-Id, client, service, time and outcome. An operator's
// first stop when a department asks "did our call arrive, and what did we get back?".
import { useState } from 'react';
import { api, type ExchangeLogPage } from '../../api.ts';
import { DataTable, type Column } from '../../components/data-table.tsx';
import { SelectField, TextField } from '../../components/forms.tsx';
import { PageTitle } from '../../components/page.tsx';
import { Pager } from '../../components/pager.tsx';
import { Loaded } from '../../components/status.tsx';
import { formatDateTime } from '../../format.ts';
import { useResource } from '../../hooks.ts';
import { useI18n } from '../../i18n/index.tsx';

const LIMIT = 50;
type Filters = { xRoadId: string; client: string; service: string; outcome: string };

export function ExchangeLogPage() {
  const { t, lang } = useI18n();
  const [draft, setDraft] = useState<Filters>({ xRoadId: '', client: '', service: '', outcome: '' });
  const [filters, setFilters] = useState<Filters>(draft);
  const [offset, setOffset] = useState(0);
  const key = JSON.stringify({ filters, offset });
  const log = useResource(() => api.get<ExchangeLogPage>('/api/exchange/log', { ...filters, limit: LIMIT, offset }), key);
  type Row = ExchangeLogPage['items'][number];
  const columns: Column<Row>[] = [
    { header: t('exchange.log.at'), cell: (r) => formatDateTime(r.at, lang) },
    { header: t('exchange.log.xRoadId'), className: 'mono', cell: (r) => r.xRoadId },
    { header: t('exchange.log.side'), cell: (r) => t(r.side === 'consumer' ? 'exchange.log.consumer' : 'exchange.log.provider') },
    { header: t('exchange.right.client'), className: 'mono', cell: (r) => r.client },
    { header: t('exchange.service.identifier'), className: 'mono', cell: (r) => `${r.method} ${r.service}${r.path}` },
    { header: t('common.status'), cell: (r) => <span className={`badge badge-${r.error || r.status >= 400 ? 'failure' : 'success'}`}>{r.error ? r.error.split(':')[0] : String(r.status)}</span> },
    { header: t('exchange.log.duration'), cell: (r) => `${r.durationMs} ms` },
    { header: t('exchange.log.timestamped'), cell: (r) => (r.timestamped ? t('exchange.log.yes') : t('exchange.log.pending')) },
  ];
  const set = (field: keyof Filters) => (value: string) => setDraft({ ...draft, [field]: value });
  return (
    <>
      <PageTitle>{t('exchange.log.title')}</PageTitle>
      <p className="lead">{t('exchange.log.intro')}</p>
      <section className="panel" aria-labelledby="log-filter-title">
        <h2 id="log-filter-title">{t('exchange.log.filter')}</h2>
        <form
          className="filters"
          onSubmit={(e) => {
            e.preventDefault();
            setOffset(0);
            setFilters(draft);
          }}
        >
          <TextField formId="log" name="xRoadId" label={t('exchange.log.xRoadId')} value={draft.xRoadId} onChange={set('xRoadId')} />
          <TextField formId="log" name="client" label={t('exchange.right.client')} value={draft.client} onChange={set('client')} />
          <TextField formId="log" name="service" label={t('exchange.service.identifier')} value={draft.service} onChange={set('service')} />
          <SelectField formId="log" name="outcome" label={t('exchange.log.outcome')} value={draft.outcome} onChange={set('outcome')} options={[{ value: '', label: t('exchange.right.any') }, { value: 'success', label: t('audit.outcome.success') }, { value: 'failure', label: t('audit.outcome.failure') }]} />
          <div className="button-row filters-buttons">
            <button type="submit" className="button">
              {t('exchange.log.search')}
            </button>
          </div>
        </form>
      </section>
      <section className="panel" aria-labelledby="log-title">
        <h2 id="log-title">{t('exchange.log.results')}</h2>
        <Loaded resource={log}>
          {(data) => (
            <>
              <DataTable items={data.items} columns={columns} rowKey={(r) => r.seq} empty={t('exchange.log.empty')} />
              <Pager offset={offset} limit={LIMIT} total={data.total} onChange={setOffset} />
            </>
          )}
        </Loaded>
      </section>
    </>
  );
}
