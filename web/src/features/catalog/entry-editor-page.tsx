// The editor's pages: drafting a new entry, and revising one of the department's own entries
// (not while it waits for review, and never a base entry derived from a registry). Saving
// leads to the entry's page; "save and submit" also sends it to the data bureau.
import { PageTitle } from '../../components/page.tsx';
import { Loading } from '../../components/status.tsx';
import { localName } from '../../format.ts';
import { useResource } from '../../hooks.ts';
import { useI18n } from '../../i18n/index.tsx';
import { navigate } from '../../router.tsx';
import { ProblemLoadError } from '../registries/errors.tsx';
import { useCatalogAccess } from './access.ts';
import { catalogApi, type EntryMetadata, type EntryView, type SimilarAnswer } from './api.ts';
import { CatalogNav } from './catalog-nav.tsx';
import { EntryForm } from './entry-form.tsx';

/**
 * Saves (a new entry with the check of similar entries the editor showed), then submits when
 * asked; a submission refused after the save still leads to the saved entry.
 */
async function save(entry: EntryView | undefined, metadata: EntryMetadata, submit: boolean, similar?: SimilarAnswer): Promise<void> {
  const saved = entry ? await catalogApi.update(entry.id, entry.version, metadata) : await catalogApi.create(metadata, similar);
  let done = entry ? 'saved' : 'created';
  if (submit) {
    try {
      await catalogApi.submit(saved.id, saved.version);
      done = 'submitted';
    } catch {
      // The entry page offers the submission again, with the reason if it fails again.
    }
  }
  navigate(`/catalog/entries/${saved.id}?done=${done}`);
}

export function NewEntryPage() {
  const { t } = useI18n();
  const access = useCatalogAccess();
  return (
    <>
      <PageTitle>{t('catalog.editor.newTitle')}</PageTitle>
      <CatalogNav access={access} />
      <p className="lead">{t('catalog.editor.intro')}</p>
      {access.staff ? <EntryForm onSave={(metadata, submit, similar) => save(undefined, metadata, submit, similar)} cancelTo="/catalog/mine" similarFor={access.orgId} /> : <p className="callout">{t('catalog.editor.staffOnly')}</p>}
    </>
  );
}

export function EditEntryPage({ id }: { id: string }) {
  const { t, lang } = useI18n();
  const access = useCatalogAccess();
  const entry = useResource(() => catalogApi.entry(id), `catalog-edit-${id}`);
  const e = entry.data;
  let body;
  if (!e) body = entry.error ? <ProblemLoadError error={entry.error} onRetry={entry.reload} /> : <Loading />;
  else if (!access.staff || e.provider.id !== access.orgId) body = <p className="callout">{t('catalog.editor.notYours')}</p>;
  else if (e.sourceRegistry) body = <p className="callout">{t('catalog.entry.derived', { registry: e.sourceRegistry })}</p>;
  else if (e.status === 'submitted') body = <p className="callout">{t('catalog.editor.underReview')}</p>;
  else body = <EntryForm key={e.version} entry={e} onSave={(metadata, submit) => save(e, metadata, submit)} cancelTo={`/catalog/entries/${e.id}`} />;
  return (
    <>
      <PageTitle>{e ? t('catalog.editor.editTitle', { name: localName(e.metadata, lang) }) : t('catalog.editor.editTitleLoading')}</PageTitle>
      <CatalogNav access={access} />
      {e?.status === 'published' && <p className="hint">{t('catalog.editor.revisionHint', { version: e.publishedVersion })}</p>}
      {body}
    </>
  );
}
