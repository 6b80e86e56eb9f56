// A record registry's page: search by an indexed field or by free text, with the purpose of
// the query (kept in the reads log the data subject sees), and a paged table of the records
// found. Every record shown is logged as read, so nothing is listed until the user searches.
// The search lives in the address, so a result can be linked to and Back returns to it.
import { useRef, useState } from 'react';
import { Notice, SelectField, TextField } from '../../../components/forms.tsx';
import { PageTitle } from '../../../components/page.tsx';
import { Pager } from '../../../components/pager.tsx';
import { SearchPanel } from '../../../components/search-panel.tsx';
import { Loading } from '../../../components/status.tsx';
import { useUrlFilters } from '../../../components/use-url-filters.ts';
import { formatDateTime } from '../../../format.ts';
import { useResource } from '../../../hooks.ts';
import { useI18n } from '../../../i18n/index.tsx';
import { Link, useLocation } from '../../../router.tsx';
import { recordPagePath, registriesApi, type RecordPage, type RegistryDetail } from './api.ts';
import { RecordLoadError } from './errors.tsx';
import { fieldLabel, literalPattern, mainFields, registryDescription, registryTitle, searchableFields } from './fields.ts';
import { LifeEventForm } from './life-events.tsx';
import { FieldValue } from './record-values.tsx';
import { useKeeps, useRefusalFollowsLanguage, useRegistry } from './use-registry.ts';

const FORM = 'records-search';
const PAGE_SIZE = 20;
const DEFAULTS = { field: '', value: '', q: '', purpose: '', all: '' };

export function RecordsPage({ name }: { name: string }) {
  const registry = useRegistry(name);
  useRefusalFollowsLanguage(registry);
  if (registry.error) return <RecordLoadError error={registry.error} onRetry={registry.reload} />;
  if (!registry.data) return <Loading />;
  return <Records definition={registry.data} />;
}

function Records({ definition }: { definition: RegistryDetail }) {
  const { t, lang } = useI18n();
  const path = `/registries/${encodeURIComponent(definition.name)}`;
  const { href, applied, offset, filters, set, go, clear } = useUrlFilters(path, DEFAULTS);
  const { search: params } = useLocation();
  const keeps = useKeeps(definition);
  const [birth, setBirth] = useState(false);
  const birthButton = useRef<HTMLButtonElement>(null);
  const closeBirth = () => {
    setBirth(false);
    birthButton.current?.focus();
  };
  // A record deleted on its page comes back here with its key, to say it is done.
  const deleted = params.get('deleted');
  const [notice, setNotice] = useState<string | undefined>();
  const searchable = searchableFields(definition);
  const field = applied.field || definition.keyField;
  const searched = applied.value !== '' || applied.q !== '' || applied.all !== '';
  // Someone who does not keep the registry is refused by the server; ask it, and show its words.
  const ask = searched || !keeps;
  const page = Math.floor(offset / PAGE_SIZE) + 1;
  const results = useResource(
    () => (ask ? registriesApi.query(definition.name, { field, value: applied.value, search: applied.q ? literalPattern(applied.q) : '', purpose: applied.purpose, page, pageSize: PAGE_SIZE }) : Promise.resolve(undefined)),
    ask ? href : 'idle',
  );
  useRefusalFollowsLanguage(results);
  const title = registryTitle(definition, lang);
  const search = () => {
    const next = { ...filters, value: filters.value.trim(), q: filters.q.trim(), purpose: filters.purpose.trim() };
    go({ ...next, all: next.value || next.q ? '' : '1' });
  };

  return (
    <>
      <p className="breadcrumb">
        <Link to="/registries">{t('records.back')}</Link>
      </p>
      <PageTitle
        actions={
          keeps && (
            <>
              <Link to={`${path}/new`} className="button">
                {t('records.new')}
              </Link>
              {definition.name === 'population' && (
                <button type="button" className="button button-secondary" aria-expanded={birth} aria-controls="records-birth" onClick={() => setBirth((b) => !b)} ref={birthButton}>
                  {t('records.event.birth')}
                </button>
              )}
              <Link to={`${path}/imports`} className="button button-secondary">
                {t('records.imports.link')}
              </Link>
            </>
          )
        }
      >
        {title}
      </PageTitle>
      <p className="lead">{registryDescription(definition, lang)}</p>
      <p className="muted">{t('records.count', { count: definition.recordCount })}</p>
      <Notice>{notice ?? (deleted ? t('records.deleted', { key: deleted }) : undefined)}</Notice>
      {definition.name === 'population' && keeps && (
        <section id="records-birth" className="panel" hidden={!birth} aria-labelledby="records-birth-title">
          <h2 id="records-birth-title">{t('records.event.birthTitle')}</h2>
          {birth && (
            <LifeEventForm
              definition={definition}
              type="birth"
              onCancel={closeBirth}
              onDone={(changed) => {
                closeBirth();
                setNotice(t('records.event.done', { count: changed.length }));
                if (changed[0]) go({ ...DEFAULTS, field: definition.keyField, value: changed[0].key });
              }}
            />
          )}
        </section>
      )}
      {keeps && (
        <SearchPanel formId={FORM} title={t('records.search.title')} onSearch={search} onClear={clear}>
          <SelectField formId={FORM} name="field" label={t('records.search.field')} value={filters.field || definition.keyField} onChange={set('field')} options={searchable.map((f) => ({ value: f.name, label: fieldLabel(f, lang) }))} />
          <TextField formId={FORM} name="value" type="search" label={t('records.search.value')} hint={t('records.search.valueHint')} value={filters.value} onChange={set('value')} autoComplete="off" spellCheck={false} />
          <TextField formId={FORM} name="q" type="search" label={t('records.search.text')} hint={t('records.search.textHint')} value={filters.q} onChange={set('q')} autoComplete="off" />
          <TextField formId={FORM} name="purpose" label={t('records.search.purpose')} hint={t('records.search.purposeHint')} value={filters.purpose} onChange={set('purpose')} maxLength={200} />
        </SearchPanel>
      )}
      <section className="panel" aria-labelledby="records-results-title" aria-busy={results.loading && ask}>
        <div className="section-head">
          <h2 id="records-results-title">{t('records.results')}</h2>
          {results.data && (
            <p className="muted" role="status">
              {results.data.count === null ? t('records.resultsMany') : t('records.resultsCount', { count: results.data.count })}
            </p>
          )}
        </div>
        {results.error && <RecordLoadError error={results.error} onRetry={results.reload} testId="records-error" />}
        {!ask && <p>{t('records.search.first')}</p>}
        {ask && results.loading && !results.data && !results.error && <Loading />}
        {results.data && <RecordTable definition={definition} page={results.data} purpose={applied.purpose} />}
        {results.data && (
          <Pager offset={offset} limit={PAGE_SIZE} total={results.data.count ?? offset + results.data.results.length + (results.data.results.length === PAGE_SIZE ? 1 : 0)} onChange={(o) => go(applied, o)} />
        )}
      </section>
    </>
  );
}

function RecordTable({ definition, page, purpose }: { definition: RegistryDetail; page: RecordPage; purpose: string }) {
  const { t, lang } = useI18n();
  const columns = mainFields(definition);
  const keyField = definition.fields.find((f) => f.name === definition.keyField);
  if (page.results.length === 0) return <p>{t('records.none')}</p>;
  return (
    <div className="table-wrap">
      <table className="table" data-testid="records-table">
        <caption className="visually-hidden">{t('records.results')}</caption>
        <thead>
          <tr>
            <th scope="col">{keyField ? fieldLabel(keyField, lang) : t('records.key')}</th>
            {columns.map((f) => (
              <th scope="col" key={f.name}>
                {fieldLabel(f, lang)}
              </th>
            ))}
            <th scope="col">{t('records.version')}</th>
            <th scope="col">{t('records.updatedAt')}</th>
          </tr>
        </thead>
        <tbody>
          {page.results.map((r) => (
            <tr key={r.key}>
              <th scope="row" className="mono">
                <Link to={`${recordPagePath(definition.name, r.key)}${purpose ? `?${new URLSearchParams({ purpose })}` : ''}`}>{r.key}</Link>
              </th>
              {columns.map((f) => (
                <td key={f.name}>
                  <FieldValue definition={definition} field={f} value={r.data[f.name]} />
                </td>
              ))}
              <td className="num">{r.version}</td>
              <td className="nowrap">{formatDateTime(r.updatedAt, lang)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
