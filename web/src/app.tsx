// Routes and the sign-in guard. Paths are listed here once; each page is a feature module.
import { useEffect, type ReactNode } from 'react';
import type { Role } from './api.ts';
import { ForbiddenPage, NotFoundPage } from './components/page.tsx';
import { PublicFrame, Shell } from './components/shell.tsx';
import { AuditPage } from './features/audit/audit-page.tsx';
import { CalendarPage } from './features/calendar/calendar-page.tsx';
import { CatalogPage } from './features/catalog/catalog-page.tsx';
import { EditEntryPage, NewEntryPage } from './features/catalog/entry-editor-page.tsx';
import { MyEntriesPage, ReviewQueuePage } from './features/catalog/entry-lists.tsx';
import { EntryPage } from './features/catalog/entry-page.tsx';
import { RequestFormPage } from './features/catalog/request-form-page.tsx';
import { RequestPage } from './features/catalog/request-page.tsx';
import { RequestsPage } from './features/catalog/requests-page.tsx';
import { CatalogSettingsPage } from './features/catalog/settings-page.tsx';
import { StatisticsPage } from './features/catalog/statistics-page.tsx';
import { AccountSecurityPage } from './features/auth/account-security-page.tsx';
import { ChangePasswordPage } from './features/auth/change-password-page.tsx';
import { SignInPage } from './features/auth/sign-in-page.tsx';
import { ExchangeClientsPage } from './features/exchange/clients-page.tsx';
import { ExchangeLogPage } from './features/exchange/log-page.tsx';
import { ExchangeNodesPage } from './features/exchange/nodes-page.tsx';
import { ExchangeServicesPage } from './features/exchange/services-page.tsx';
import { ExchangeStatusPage } from './features/exchange/status-page.tsx';
import { ExchangeTrafficPage } from './features/exchange/traffic-page.tsx';
import { HomePage } from './features/home/home-page.tsx';
import { MessagesPage } from './features/messages/messages-page.tsx';
import { OidcClientsPage } from './features/oidc-clients/oidc-clients-page.tsx';
import { EditServicePage, NewServicePage } from './features/services/editor-pages.tsx';
import { ServiceFormPage } from './features/services/form-page.tsx';
import { ServicePage } from './features/services/service-page.tsx';
import { ServicesPage } from './features/services/services-page.tsx';
import { DossierPage } from './features/applications/dossier-page.tsx';
import { DutiesPage } from './features/applications/duties-page.tsx';
import { InboxPage } from './features/applications/inbox-page.tsx';
import { DatasetPage } from './features/open-data/dataset-page.tsx';
import { OpenDataPage } from './features/open-data/open-data-page.tsx';
import { GeoPage } from './features/registries/geo/geo-page.tsx';
import { MacroPage } from './features/registries/macro/macro-page.tsx';
import { RegistriesPage } from './features/registries/registries-page.tsx';
import { ImportsPage } from './features/registries/records/imports-page.tsx';
import { NewRecordPage } from './features/registries/records/new-record-page.tsx';
import { RecordPage } from './features/registries/records/record-page.tsx';
import { RecordsPage } from './features/registries/records/records-page.tsx';
import { OrganizationDetailPage } from './features/organizations/organization-detail-page.tsx';
import { OrganizationFormPage } from './features/organizations/organization-form-page.tsx';
import { OrganizationsPage } from './features/organizations/organizations-page.tsx';
import { TokensPage } from './features/tokens/tokens-page.tsx';
import { CertificatesPage } from './features/trust/certificates-page.tsx';
import { QueuePage } from './features/trust/queue-page.tsx';
import { SignPage } from './features/trust/sign-page.tsx';
import { VerifyPage } from './features/trust/verify-page.tsx';
import { UsersPage } from './features/users/users-page.tsx';
import { useI18n } from './i18n/index.tsx';
import { matchPath, navigate, useLocation } from './router.tsx';
import { hasAnyRole, useSession } from './session.tsx';

type Route = { pattern: string; roles?: Role[]; render: (params: Record<string, string>) => ReactNode };

const ROUTES: Route[] = [
  { pattern: '/workbench', render: () => <HomePage /> },
  { pattern: '/organizations', render: () => <OrganizationsPage /> },
  { pattern: '/organizations/new', render: () => <OrganizationFormPage /> },
  { pattern: '/organizations/:id', render: (p) => <OrganizationDetailPage key={p.id} id={p.id} /> },
  { pattern: '/organizations/:id/edit', render: (p) => <OrganizationFormPage key={p.id} id={p.id} /> },
  { pattern: '/users', roles: ['security_admin', 'org_admin'], render: () => <UsersPage /> },
  { pattern: '/audit', roles: ['audit_admin'], render: () => <AuditPage /> },
  { pattern: '/tokens', render: () => <TokensPage /> },
  { pattern: '/exchange/services', render: () => <ExchangeServicesPage /> },
  { pattern: '/exchange/log', render: () => <ExchangeLogPage /> },
  { pattern: '/exchange/traffic', render: () => <ExchangeTrafficPage /> },
  { pattern: '/exchange/status', roles: ['platform_admin', 'security_admin', 'audit_admin'], render: () => <ExchangeStatusPage /> },
  { pattern: '/exchange/nodes', roles: ['platform_admin', 'security_admin', 'audit_admin'], render: () => <ExchangeNodesPage /> },
  { pattern: '/exchange/clients', roles: ['org_admin', 'platform_admin'], render: () => <ExchangeClientsPage /> },
  { pattern: '/identity/oidc-clients', roles: ['org_admin', 'platform_admin'], render: () => <OidcClientsPage /> },
  { pattern: '/certificates', render: () => <CertificatesPage /> },
  { pattern: '/certificates/queue', roles: ['security_admin'], render: () => <QueuePage /> },
  { pattern: '/sign', render: () => <SignPage /> },
  { pattern: '/verify', render: () => <VerifyPage /> },
  { pattern: '/account/password', render: () => <ChangePasswordPage /> },
  { pattern: '/account/security', render: () => <AccountSecurityPage /> },
  { pattern: '/calendar', render: () => <CalendarPage /> },
  { pattern: '/messages', render: () => <MessagesPage /> },
  { pattern: '/catalog', render: () => <CatalogPage /> },
  { pattern: '/catalog/new', render: () => <NewEntryPage /> },
  { pattern: '/catalog/mine', render: () => <MyEntriesPage /> },
  { pattern: '/catalog/review', render: () => <ReviewQueuePage /> },
  { pattern: '/catalog/statistics', render: () => <StatisticsPage /> },
  { pattern: '/catalog/settings', roles: ['platform_admin'], render: () => <CatalogSettingsPage /> },
  { pattern: '/catalog/requests', render: () => <RequestsPage /> },
  { pattern: '/catalog/requests/:id', render: (p) => <RequestPage key={p.id} id={p.id} /> },
  { pattern: '/catalog/entries/:id', render: (p) => <EntryPage key={p.id} id={p.id} /> },
  { pattern: '/catalog/entries/:id/edit', render: (p) => <EditEntryPage key={p.id} id={p.id} /> },
  { pattern: '/catalog/entries/:id/request', render: (p) => <RequestFormPage key={p.id} entryId={p.id} /> },
  // The service catalog: not under /services, which is the portal's (its guides at /services/{code}).
  { pattern: '/service-catalog', render: () => <ServicesPage /> },
  { pattern: '/service-catalog/new', roles: ['org_admin', 'platform_admin'], render: () => <NewServicePage /> },
  { pattern: '/service-catalog/:code', render: (p) => <ServicePage key={p.code} code={p.code} /> },
  { pattern: '/service-catalog/:code/edit', render: (p) => <EditServicePage key={p.code} code={p.code} /> },
  { pattern: '/service-catalog/:code/form', render: (p) => <ServiceFormPage key={p.code} code={p.code} /> },
  // Online approval: the officer's inbox, an application's dossier, duties given by the organization's administrator.
  { pattern: '/tasks', roles: ['officer', 'org_admin'], render: () => <InboxPage /> },
  { pattern: '/tasks/duties', roles: ['org_admin'], render: () => <DutiesPage /> },
  { pattern: '/applications/:id', roles: ['officer', 'org_admin'], render: (p) => <DossierPage key={p.id} id={p.id} /> },
  { pattern: '/registries/macroeconomic', render: () => <MacroPage /> },
  { pattern: '/registries/geospatial', render: () => <GeoPage /> },
  { pattern: '/registries', render: () => <RegistriesPage /> },
  // After the two registries with pages of their own: a record registry by name, its new-record form, its imports, a record.
  { pattern: '/registries/:name', render: (p) => <RecordsPage key={p.name} name={p.name} /> },
  { pattern: '/registries/:name/new', render: (p) => <NewRecordPage key={p.name} name={p.name} /> },
  { pattern: '/registries/:name/imports', render: (p) => <ImportsPage key={p.name} name={p.name} /> },
  { pattern: '/registries/:name/:key', render: (p) => <RecordPage key={`${p.name}/${p.key}`} name={p.name} recordKey={p.key} /> },
];

function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, { replace: true }), [to]);
  return null;
}

export function App() {
  const { state } = useSession();
  const { t } = useI18n();
  const { path, href } = useLocation();

  if (state.status === 'loading') {
    return (
      <p className="app-loading" role="status">
        {t('app.loading')}
      </p>
    );
  }

  if (path === '/login') {
    if (state.status === 'signed-in') return <Redirect to="/workbench" />;
    return <SignInPage />;
  }
  // Anyone can verify a signature: the page works signed out, in the public frame.
  if (path === '/verify' && state.status === 'signed-out') return <PublicFrame><VerifyPage /></PublicFrame>;
  // The open data site is public: the same pages signed in or out, in the public frame.
  if (path === '/open') return <PublicFrame><OpenDataPage /></PublicFrame>;
  const dataset = matchPath('/open/datasets/:id', path);
  if (dataset) return <PublicFrame><DatasetPage key={dataset.id} id={dataset.id} /></PublicFrame>;
  if (state.status === 'signed-out') {
    const next = href === '/workbench' ? '' : `?next=${encodeURIComponent(href)}`;
    return <Redirect to={`/login${next}`} />;
  }
  if (state.session.mustChangePassword && path !== '/account/password') return <Redirect to="/account/password" />;

  let content: ReactNode = <NotFoundPage />;
  for (const route of ROUTES) {
    const params = matchPath(route.pattern, path);
    if (!params) continue;
    content = route.roles && !hasAnyRole(state.session, ...route.roles) ? <ForbiddenPage /> : route.render(params);
    break;
  }
  return <Shell>{content}</Shell>;
}
