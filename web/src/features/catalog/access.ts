// What the signed-in user may do in the catalog: a department's officers and administrators
// draft its entries and request others' resources; the reviewing organization (the data
// bureau, named in the catalog settings) reviews entries and answers overdue requests.
import { useResource } from '../../hooks.ts';
import { hasAnyRole, useCurrentSession } from '../../session.tsx';
import { catalogApi } from './api.ts';

export function useCatalogAccess() {
  const session = useCurrentSession();
  const settings = useResource(() => catalogApi.settings(), 'catalog-settings');
  const staff = hasAnyRole(session, 'org_admin', 'officer');
  const orgId = session.user.orgId;
  return {
    orgId,
    staff,
    platformAdmin: hasAnyRole(session, 'platform_admin'),
    reviewer: staff && settings.data !== undefined && settings.data.reviewerOrgId === orgId,
    settings: settings.data,
  };
}

export type CatalogAccess = ReturnType<typeof useCatalogAccess>;
