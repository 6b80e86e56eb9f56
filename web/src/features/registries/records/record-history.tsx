// A record's past and its readers: the record as it was on a date, every version with its
// provenance (when, who, why, from where, which event, what changed), and who read it, for
// what purpose and which fields ("who read my data", as the data subject may ask).
import { useState, type FormEvent } from 'react';
import { asApiError, type ApiError } from '../../../api.ts';
import { TextField } from '../../../components/forms.tsx';
import { Loaded } from '../../../components/status.tsx';
import { formatDateTime } from '../../../format.ts';
import { useResource } from '../../../hooks.ts';
import { useI18n, type Translate } from '../../../i18n/index.tsx';
import { HeadedTable } from '../table.tsx';
import { registriesApi, type RecordView, type RegistryDetail, type VersionView } from './api.ts';
import { RecordLoadError } from './errors.tsx';
import { fieldLabel } from './fields.ts';
import { RecordValues } from './record-values.tsx';

const DATE = 'date' as 'text';

/** A catalog label for a code the server sends, or the code itself when there is none. */
function labelOr(lookup: (key: string) => string | undefined, prefix: string, code: string): string {
  return lookup(`${prefix}.${code}`) ?? code;
}

export function AsOfViewer({ definition, recordKey, purpose }: { definition: RegistryDetail; recordKey: string; purpose: string }) {
  const { t } = useI18n();
  const [date, setDate] = useState('');
  const [shown, setShown] = useState<{ date: string; record?: RecordView; error?: ApiError } | undefined>();
  const [busy, setBusy] = useState(false);
  async function show(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return;
    setBusy(true);
    try {
      setShown({ date, record: await registriesApi.get(definition.name, recordKey, { asOf: date, purpose }) });
    } catch (e) {
      setShown({ date, error: asApiError(e) });
    } finally {
      setBusy(false);
    }
  }
  return (
    <section className="panel" aria-labelledby="record-asof-title">
      <h2 id="record-asof-title">{t('records.asOf.title')}</h2>
      <form className="filters" onSubmit={show}>
        <TextField formId="record-asof" name="date" type={DATE} label={t('records.asOf.date')} hint={t('records.asOf.hint')} value={date} onChange={setDate} required />
        <div className="button-row filters-buttons">
          <button type="submit" className="button button-secondary" disabled={busy || date === ''}>
            {t('records.asOf.show')}
          </button>
        </div>
      </form>
      <div aria-live="polite">
        {shown?.error && <RecordLoadError error={shown.error} />}
        {shown?.record && (
          <>
            <h3>{t('records.asOf.heading', { date: shown.date, version: shown.record.version })}</h3>
            <RecordValues definition={definition} data={shown.record.data} masked={shown.record.masked} testId="record-asof" />
          </>
        )}
      </div>
    </section>
  );
}

/** The fields a version changed from the one before it (all of them for the first). */
function changedFields(definition: RegistryDetail, versions: VersionView[], index: number): string[] {
  const current = versions[index];
  const before = versions.find((v) => v.version < current.version);
  if (!current.data) return [];
  return definition.fields.filter((f) => JSON.stringify(current.data?.[f.name]) !== JSON.stringify(before?.data?.[f.name])).map((f) => f.name);
}

function eventText(t: Translate, lookup: (key: string) => string | undefined, event: Record<string, unknown> | null): string {
  if (!event) return '';
  const type = typeof event.type === 'string' ? labelOr(lookup, 'records.event.name', event.type) : '';
  return [type, typeof event.date === 'string' ? event.date : ''].filter(Boolean).join(t('records.listSeparator'));
}

export function VersionHistory({ definition, recordKey, refreshKey }: { definition: RegistryDetail; recordKey: string; refreshKey: string }) {
  const { t, lang, lookup } = useI18n();
  const history = useResource(() => registriesApi.history(definition.name, recordKey), `${definition.name}/${recordKey}/${refreshKey}`);
  const label = (name: string) => {
    const field = definition.fields.find((f) => f.name === name);
    return field ? fieldLabel(field, lang) : name;
  };
  return (
    <section className="panel" aria-labelledby="record-history-title" aria-busy={history.loading}>
      <h2 id="record-history-title">{t('records.history.title')}</h2>
      {history.error && <RecordLoadError error={history.error} onRetry={history.reload} />}
      <Loaded resource={{ ...history, error: undefined }}>
        {(versions) => (
          <HeadedTable caption={t('records.history.title')} columns={[t('records.version'), t('records.history.when'), t('records.history.operation'), t('records.history.who'), t('records.history.source'), t('records.history.reason'), t('records.history.changed')]} testId="record-history" compact>
            {versions.map((v, i) => (
              <tr key={v.version}>
                <th scope="row" className="num">
                  {v.version}
                </th>
                <td className="nowrap">{formatDateTime(v.changedAt, lang)}</td>
                <td>
                  {labelOr(lookup, 'records.operation', v.operation)}
                  {v.event && <div className="muted small">{eventText(t, lookup, v.event)}</div>}
                </td>
                <td>{v.actorName}</td>
                <td>
                  {v.source.startsWith('import:') ? t('records.source.importFile', { file: v.source.slice('import:'.length) }) : labelOr(lookup, 'records.source', v.source)}
                  {v.importId && <div className="muted small mono">{v.importId}</div>}
                </td>
                <td>{v.reason}</td>
                <td>{changedFields(definition, versions, i).map(label).join(t('records.listSeparator'))}</td>
              </tr>
            ))}
          </HeadedTable>
        )}
      </Loaded>
    </section>
  );
}

export function ReadsLog({ definition, recordKey, refreshKey }: { definition: RegistryDetail; recordKey: string; refreshKey: string }) {
  const { t, lang, lookup } = useI18n();
  const reads = useResource(() => registriesApi.reads(definition.name, recordKey), `${definition.name}/${recordKey}/${refreshKey}`);
  const label = (name: string) => {
    const field = definition.fields.find((f) => f.name === name);
    return field ? fieldLabel(field, lang) : name;
  };
  return (
    <section className="panel" aria-labelledby="record-reads-title" aria-busy={reads.loading}>
      <div className="section-head">
        <h2 id="record-reads-title">{t('records.reads.title')}</h2>
        <button type="button" className="button button-secondary button-small" onClick={reads.reload}>
          {t('records.reads.refresh')}
        </button>
      </div>
      <p className="muted">{t('records.reads.intro')}</p>
      {reads.error && <RecordLoadError error={reads.error} onRetry={reads.reload} />}
      <Loaded resource={{ ...reads, error: undefined }}>
        {(items) =>
          items.length === 0 ? (
            <p>{t('records.reads.none')}</p>
          ) : (
            <HeadedTable caption={t('records.reads.title')} columns={[t('records.reads.when'), t('records.reads.reader'), t('records.reads.channel'), t('records.reads.purpose'), t('records.reads.fields')]} testId="record-reads" compact>
              {items.map((r) => (
                <tr key={r.id}>
                  <th scope="row" className="nowrap">
                    {formatDateTime(r.readAt, lang)}
                  </th>
                  <td>
                    {r.readerName}
                    {r.consumer !== `staff:${r.readerName}` && <div className="muted small mono">{r.consumer}</div>}
                  </td>
                  <td>
                    {labelOr(lookup, 'records.channel', r.channel)}
                    {r.xRoadId && <div className="muted small mono">{r.xRoadId}</div>}
                  </td>
                  <td>{r.purpose ?? <span className="muted">{t('records.reads.noPurpose')}</span>}</td>
                  <td>{r.fields.map(label).join(t('records.listSeparator'))}</td>
                </tr>
              ))}
            </HeadedTable>
          )
        }
      </Loaded>
    </section>
  );
}
