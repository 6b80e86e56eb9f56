// The base registries this node keeps: each with its title in the UI language, its kind, the
// organization that owns it and a link to its page. Record registries open in the records
// pages; the geospatial and macroeconomic registries have pages of their own.
import { useOrgDirectory } from '../../components/org-directory.ts';
import { PageTitle } from '../../components/page.tsx';
import { Loaded } from '../../components/status.tsx';
import { useResource } from '../../hooks.ts';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import { Link } from '../../router.tsx';
import { hasAnyRole, useCurrentSession } from '../../session.tsx';
import { registriesApi, registryPath } from './records/api.ts';
import { registryDescription, registryTitle } from './records/fields.ts';
import { HeadedTable } from './table.tsx';

export function RegistriesPage() {
  const { t, lang } = useI18n();
  const session = useCurrentSession();
  const registries = useResource(() => registriesApi.list(), 'registries');
  const directory = useOrgDirectory(lang, 'all');
  return (
    <>
      <PageTitle>{t('registries.title')}</PageTitle>
      <p className="lead">{t('registries.intro')}</p>
      <section className="panel" aria-labelledby="registries-list-title" aria-busy={registries.loading}>
        <h2 id="registries-list-title" className="visually-hidden">
          {t('registries.list')}
        </h2>
        <Loaded resource={registries}>
          {(items) =>
            items.length === 0 ? (
              <p>{t('registries.none')}</p>
            ) : (
              <HeadedTable caption={t('registries.list')} columns={[t('registries.col.title'), t('registries.col.kind'), t('registries.col.owner'), t('registries.col.access')]} testId="registries-table">
                {items.map((r) => {
                  // The owner's officers and administrators keep it; its other staff read it as others do.
                  const own = r.ownerOrgId === session.user.orgId && hasAnyRole(session, 'org_admin', 'officer');
                  return (
                    <tr key={r.name}>
                      <th scope="row">
                        <Link to={registryPath(r)}>{registryTitle(r, lang)}</Link>
                        <div className="muted small">{registryDescription(r, lang)}</div>
                      </th>
                      <td>{t(`registries.kind.${r.kind}` as MessageKey)}</td>
                      {/* Until the directory has loaded, an owner's id would be all there is to show. */}
                      <td>{directory.loading && !directory.byId.has(r.ownerOrgId) ? '' : directory.name(r.ownerOrgId)}</td>
                      <td>{r.kind !== 'records' ? t('registries.access.everyone') : own ? t('registries.access.keeper') : t('registries.access.exchange')}</td>
                    </tr>
                  );
                })}
              </HeadedTable>
            )
          }
        </Loaded>
      </section>
    </>
  );
}
