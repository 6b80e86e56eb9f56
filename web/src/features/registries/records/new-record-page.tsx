// A new record, typed in the form generated from the registry's definition, with the reason
// kept with its first version. Saved, it opens on its own page.
import { PageTitle } from '../../../components/page.tsx';
import { Loading } from '../../../components/status.tsx';
import { useI18n } from '../../../i18n/index.tsx';
import { Link, navigate } from '../../../router.tsx';
import { recordPagePath } from './api.ts';
import { RecordLoadError } from './errors.tsx';
import { registryTitle } from './fields.ts';
import { RecordForm } from './record-form.tsx';
import { useRefusalFollowsLanguage, useRegistry } from './use-registry.ts';

export function NewRecordPage({ name }: { name: string }) {
  const { t, lang } = useI18n();
  const registry = useRegistry(name);
  useRefusalFollowsLanguage(registry);
  if (registry.error) return <RecordLoadError error={registry.error} onRetry={registry.reload} />;
  if (!registry.data) return <Loading />;
  const definition = registry.data;
  const listPath = `/registries/${encodeURIComponent(name)}`;
  const title = registryTitle(definition, lang);
  return (
    <>
      <p className="breadcrumb">
        <Link to={listPath}>{t('records.backTo', { title })}</Link>
      </p>
      <PageTitle>{t('records.newTitle', { title })}</PageTitle>
      <section className="panel" aria-label={t('records.newTitle', { title })}>
        <RecordForm definition={definition} cancelTo={listPath} onSaved={(record) => navigate(`${recordPagePath(name, record.key)}?${new URLSearchParams({ created: '1' })}`)} />
      </section>
    </>
  );
}
