// One catalog entry: all its metadata and data items, its published versions and, for its
// department and the data bureau, the review trail. Its department edits and submits it; the
// data bureau approves or sends back a submitted one; another department's staff ask for a
// published, shareable resource from here.
import { useState } from 'react';
import { Notice } from '../../components/forms.tsx';
import { PageTitle } from '../../components/page.tsx';
import { Loading } from '../../components/status.tsx';
import { localName } from '../../format.ts';
import { useResource } from '../../hooks.ts';
import { useI18n } from '../../i18n/index.tsx';
import { Link, useLocation } from '../../router.tsx';
import { ProblemLoadError } from '../registries/errors.tsx';
import { useCatalogAccess } from './access.ts';
import { catalogApi } from './api.ts';
import { EntryStatusBadge } from './badges.tsx';
import { CatalogNav } from './catalog-nav.tsx';
import { ReviewPanel, SubmitPanel } from './entry-actions.tsx';
import { EntryHistorySections } from './entry-history.tsx';
import { DataItemsTable, EntryMetadataList } from './entry-metadata.tsx';
import { SimilarCheckSection } from './similar-panel.tsx';
import { ReleasePanel } from '../open-data/release-panel.tsx';

const DONE = { saved: 'catalog.done.saved', submitted: 'catalog.done.submitted', created: 'catalog.done.created' } as const;

export function EntryPage({ id }: { id: string }) {
  const { t, lang } = useI18n();
  const access = useCatalogAccess();
  const { search } = useLocation();
  const entry = useResource(() => catalogApi.entry(id), `catalog-entry-${id}`);
  const history = useResource(() => catalogApi.history(id), `catalog-history-${id}`);
  const done = search.get('done');
  const [notice, setNotice] = useState<string | undefined>(done && done in DONE ? t(DONE[done as keyof typeof DONE]) : undefined);

  const e = entry.data;
  function changed(message: string) {
    setNotice(message);
    entry.reload();
    history.reload();
  }

  if (!e) {
    return (
      <>
        <PageTitle>{t('catalog.entry.title')}</PageTitle>
        <CatalogNav access={access} />
        {entry.error ? <ProblemLoadError error={entry.error} onRetry={entry.reload} /> : <Loading />}
      </>
    );
  }
  const own = access.staff && e.provider.id === access.orgId;
  const derived = e.sourceRegistry !== null;
  // Data is published for entries whose published version is open (the working copy of a published entry says the same until revised).
  const openPublished = e.publishedVersion > 0 && e.metadata.open.open;
  const mayRequest = access.staff && !own && e.publishedVersion > 0 && e.metadata.sharing.type !== 'none';
  const actions = (
    <>
      {own && !derived && e.status !== 'submitted' && (
        <Link to={`/catalog/entries/${e.id}/edit`} className="button button-secondary">
          {t('catalog.entry.edit')}
        </Link>
      )}
      {mayRequest && (
        <Link to={`/catalog/entries/${e.id}/request`} className="button">
          {t('catalog.entry.request')}
        </Link>
      )}
    </>
  );

  return (
    <>
      <PageTitle actions={actions}>{localName(e.metadata, lang)}</PageTitle>
      <CatalogNav access={access} />
      <p className="lead">
        <span className="catalog-code">{e.code}</span> · {localName(e.provider, lang)} · <EntryStatusBadge status={e.status} />
      </p>
      <Notice>{notice}</Notice>
      {e.status !== 'published' && e.publishedVersion > 0 && <p className="callout">{t('catalog.entry.workingCopy', { version: e.publishedVersion })}</p>}
      {derived && <p className="hint">{t('catalog.entry.derived', { registry: e.sourceRegistry ?? '' })}</p>}
      {e.metadata.sharing.type === 'none' && !own && <p className="hint">{t('catalog.entry.notShared')}</p>}

      {own && !derived && (e.status === 'draft' || e.status === 'rejected') && <SubmitPanel key={e.version} entry={e} onDone={() => changed(t('catalog.done.submitted'))} />}
      {access.reviewer && e.status === 'submitted' && (
        <ReviewPanel key={e.version} entry={e} onDone={(next, decision) => changed(t(decision === 'approve' ? 'catalog.done.approved' : 'catalog.done.rejected', { code: next.code }))} />
      )}

      <section className="panel" aria-labelledby="catalog-meta-title">
        <h2 id="catalog-meta-title">{t('catalog.meta.title')}</h2>
        <EntryMetadataList entry={e} metadata={e.metadata} />
      </section>
      <section className="panel" aria-labelledby="catalog-items-title">
        <h2 id="catalog-items-title">{t('catalog.items.title', { count: e.metadata.dataItems.length })}</h2>
        <DataItemsTable items={e.metadata.dataItems} />
      </section>
      {(own || access.reviewer || access.platformAdmin) && <SimilarCheckSection entryId={e.id} />}
      {openPublished && <ReleasePanel entryId={e.id} mayPublish={own && !derived} />}
      {history.error && <ProblemLoadError error={history.error} onRetry={history.reload} />}
      {history.data && <EntryHistorySections history={history.data} showTrail={own || access.reviewer || access.platformAdmin} />}
    </>
  );
}
