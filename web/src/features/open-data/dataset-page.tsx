// One open dataset on the public site: what it is (in the reader's language), who provides
// it and under which licence, the downloads of its newest release (CSV and JSON), how to
// query it through the API, a preview of its rows, its columns, and its update history with
// the downloads of every earlier release. No sign-in.
import './open-data.css';
import { useState } from 'react';
import { DataTable } from '../../components/data-table.tsx';
import { PageTitle } from '../../components/page.tsx';
import { Pager } from '../../components/pager.tsx';
import { Loaded, Loading } from '../../components/status.tsx';
import { formatDate, formatDateTime, localName } from '../../format.ts';
import { useResource } from '../../hooks.ts';
import { useI18n } from '../../i18n/index.tsx';
import { Link } from '../../router.tsx';
import { CYCLE_LABELS, FORMAT_LABELS, ITEM_TYPE_LABELS } from '../catalog/labels.ts';
import { ProblemLoadError } from '../registries/errors.tsx';
import { downloadPath, openDataApi, type Dataset } from './api.ts';

const PREVIEW_ROWS = 20;

export function DatasetPage({ id }: { id: string }) {
  const { t } = useI18n();
  const dataset = useResource(() => openDataApi.dataset(id), `open-dataset-${id}`);
  const d = dataset.data;
  if (!d) {
    return (
      <>
        <PageTitle>{t('open.dataset.title')}</PageTitle>
        {dataset.error ? <ProblemLoadError error={dataset.error} onRetry={dataset.reload} /> : <Loading />}
        <p>
          <Link to="/open">{t('open.back')}</Link>
        </p>
      </>
    );
  }
  return <DatasetView d={d} />;
}

function DatasetView({ d }: { d: Dataset }) {
  const { t, lang } = useI18n();
  const en = lang === 'en';
  const name = en ? d.nameEn || d.nameZh : d.nameZh || d.nameEn;
  const abstract = en ? d.abstractEn || d.abstractZh : d.abstractZh || d.abstractEn;
  const label = <K extends string>(labels: Record<K, Parameters<typeof t>[0]>, value: string) => (value in labels ? t(labels[value as K]) : value);
  return (
    <>
      <PageTitle>{name}</PageTitle>
      <p className="lead">
        <Link to="/open">{t('open.back')}</Link> · <span className="catalog-code">{d.code}</span> · {localName(d.provider, lang)}
      </p>
      <p>{abstract}</p>

      <section className="panel" aria-labelledby="open-download-title">
        <h2 id="open-download-title">{t('open.download.title')}</h2>
        {d.latestRelease ? (
          <p data-testid="open-latest">{t('open.release.latest', { release: d.latestRelease.release, rows: d.latestRelease.rowCount, date: formatDate(d.latestRelease.publishedAt, lang) })}</p>
        ) : (
          <p>{t('open.release.noneYet')}</p>
        )}
        <ul className="link-list" data-testid="open-downloads">
          <li>
            <a href={downloadPath(d.id, 'csv')} download>
              {t('open.download.csv')}
            </a>
          </li>
          <li>
            <a href={downloadPath(d.id, 'json')} download>
              {t('open.download.json')}
            </a>
          </li>
        </ul>
        {d.latestRelease && <p className="small muted">{t('open.download.sha256', { hash: d.latestRelease.sha256 })}</p>}
        <h3>{t('open.api.title')}</h3>
        <p>{t('open.api.intro')}</p>
        <pre className="code-block" data-testid="open-api-example">
          <code>{`GET ${d.links.api}?limit=100&offset=0${d.columns[0] ? `&${d.columns[0].key}=…` : ''}`}</code>
        </pre>
        <p className="small">
          {t('open.api.metadata')} <a href={d.links.dcatTurtle}>DCAT-AP (Turtle)</a> · <a href={d.links.dcatJsonLd}>DCAT-AP (JSON-LD)</a> · <a href={d.links.ckan}>CKAN API</a>
        </p>
      </section>

      <section className="panel" aria-labelledby="open-about-title">
        <h2 id="open-about-title">{t('open.about.title')}</h2>
        <dl className="details" data-testid="open-about">
          <div>
            <dt>{t('open.about.licence')}</dt>
            <dd>{d.licence.url ? <a href={d.licence.url}>{d.licence.title}</a> : d.licence.title}</dd>
          </div>
          {d.openCondition && (
            <div>
              <dt>{t('open.about.condition')}</dt>
              <dd>{d.openCondition}</dd>
            </div>
          )}
          <div>
            <dt>{t('open.about.provider')}</dt>
            <dd>{localName(d.provider, lang)}</dd>
          </div>
          <div>
            <dt>{t('open.about.cycle')}</dt>
            <dd>{label(CYCLE_LABELS, d.updateCycle)}</dd>
          </div>
          <div>
            <dt>{t('open.about.format')}</dt>
            <dd>
              {label(FORMAT_LABELS, d.format.class)} ({d.format.type})
            </dd>
          </div>
          {d.themes.length > 0 && (
            <div>
              <dt>{t('open.about.themes')}</dt>
              <dd>{d.themes.map((theme) => localName(theme, lang)).join(en ? ', ' : '、')}</dd>
            </div>
          )}
          {d.keywords.length > 0 && (
            <div>
              <dt>{t('open.about.keywords')}</dt>
              <dd>{d.keywords.join(en ? ', ' : '、')}</dd>
            </div>
          )}
          <div>
            <dt>{t('open.about.issued')}</dt>
            <dd>{formatDate(d.issued, lang)}</dd>
          </div>
          <div>
            <dt>{t('open.about.modified')}</dt>
            <dd>{formatDate(d.modified, lang)}</dd>
          </div>
        </dl>
      </section>

      {d.latestRelease && <Preview d={d} />}

      <section className="panel" aria-labelledby="open-columns-title">
        <h2 id="open-columns-title">{t('open.columns.title', { count: d.dataItems.length })}</h2>
        <DataTable
          items={d.dataItems}
          rowKey={(item) => item.key}
          empty={t('open.columns.empty')}
          columns={[
            { header: t('open.columns.key'), className: 'nowrap', cell: (item) => <code>{item.key}</code> },
            { header: t('open.columns.name'), cell: (item) => (en ? item.nameEn || item.name : item.name) },
            { header: t('open.columns.type'), cell: (item) => label(ITEM_TYPE_LABELS, item.type) },
            { header: t('open.columns.description'), cell: (item) => item.description },
          ]}
        />
      </section>

      <section className="panel" aria-labelledby="open-history-title">
        <h2 id="open-history-title">{t('open.history.title')}</h2>
        <ol className="history-list" data-testid="open-history">
          {d.history.map((h) => (
            <li key={`${h.kind}-${h.kind === 'data' ? h.release : h.version}`}>
              <strong>{h.kind === 'data' ? t('open.history.data', { release: h.release ?? 0, rows: h.rowCount ?? 0 }) : t('open.history.metadata', { version: h.version ?? 0 })}</strong>{' '}
              <span className="muted">{formatDateTime(h.at, lang)}</span>
              {h.note && <span> — {h.note}</span>}
              {h.kind === 'data' && (
                <span>
                  {' '}
                  (<a href={downloadPath(d.id, 'csv', h.release)}>CSV</a> · <a href={downloadPath(d.id, 'json', h.release)}>JSON</a>)
                </span>
              )}
            </li>
          ))}
        </ol>
      </section>
    </>
  );
}

/** The first rows of the newest release, a page at a time, through the public rows API. */
function Preview({ d }: { d: Dataset }) {
  const { t, lang } = useI18n();
  const [offset, setOffset] = useState(0);
  const rows = useResource(() => openDataApi.rows(d.id, offset, PREVIEW_ROWS), `open-rows-${d.id}-${offset}`);
  const en = lang === 'en';
  return (
    <section className="panel" aria-labelledby="open-preview-title" aria-busy={rows.loading}>
      <h2 id="open-preview-title">{t('open.preview.title')}</h2>
      <Loaded resource={rows}>
        {(page) => (
          <>
            <DataTable
              compact
              items={page.rows.map((row, i) => ({ i: offset + i, row }))}
              rowKey={(r) => r.i}
              empty={t('open.preview.empty')}
              columns={page.columns.map((c) => ({ header: en ? c.nameEn || c.name : c.name, cell: (r: { row: Record<string, unknown> }) => formatCell(r.row[c.key], t) }))}
            />
            <Pager offset={offset} limit={PREVIEW_ROWS} total={page.total} onChange={setOffset} />
          </>
        )}
      </Loaded>
    </section>
  );
}

/** A cell as the reader reads it: yes/no in their language, a missing value left blank. */
function formatCell(value: unknown, t: ReturnType<typeof useI18n>['t']): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean') return t(value ? 'open.value.true' : 'open.value.false');
  return String(value);
}
