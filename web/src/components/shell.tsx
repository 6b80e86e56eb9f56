// The frame around every signed-in page: skip link, header (product, user, language, sign
// out), the module navigation, and the main region that receives focus after navigation.
import { useEffect, useRef, type ReactNode } from 'react';
import type { Role } from '../api.ts';
import { useI18n, type MessageKey } from '../i18n/index.tsx';
import { Link, useLocation } from '../router.tsx';
import { hasAnyRole, useSession } from '../session.tsx';
import { AppHeader, LanguageSwitch, SkipLink } from './header.tsx';

type NavItem = { to: string; label: MessageKey; roles?: Role[] };

export const NAV_ITEMS: NavItem[] = [
  { to: '/workbench', label: 'nav.home' },
  { to: '/messages', label: 'nav.messages' },
  { to: '/organizations', label: 'nav.organizations' },
  { to: '/users', label: 'nav.users', roles: ['security_admin', 'org_admin'] },
  { to: '/audit', label: 'nav.audit', roles: ['audit_admin'] },
  { to: '/exchange/services', label: 'nav.exchangeServices' },
  { to: '/exchange/log', label: 'nav.exchangeLog' },
  { to: '/exchange/traffic', label: 'nav.exchangeTraffic' },
  { to: '/exchange/status', label: 'nav.exchangeStatus', roles: ['platform_admin', 'security_admin', 'audit_admin'] },
  { to: '/exchange/nodes', label: 'nav.exchangeNodes', roles: ['platform_admin', 'security_admin', 'audit_admin'] },
  { to: '/exchange/clients', label: 'nav.exchangeClients', roles: ['org_admin', 'platform_admin'] },
  { to: '/identity/oidc-clients', label: 'nav.oidcClients', roles: ['org_admin', 'platform_admin'] },
  { to: '/certificates', label: 'nav.certificates' },
  { to: '/certificates/queue', label: 'nav.caQueue', roles: ['security_admin'] },
  { to: '/sign', label: 'nav.sign' },
  { to: '/verify', label: 'nav.verify' },
  { to: '/tokens', label: 'nav.tokens' },
  { to: '/registries', label: 'registries.title' },
  { to: '/registries/macroeconomic', label: 'macro.title' },
  { to: '/registries/geospatial', label: 'geo.title' },
  { to: '/calendar', label: 'nav.calendar' },
  { to: '/catalog', label: 'catalog.nav' },
  { to: '/service-catalog', label: 'nav.services' },
  { to: '/tasks', label: 'nav.tasks', roles: ['officer', 'org_admin'] },
  { to: '/tasks/duties', label: 'nav.duties', roles: ['org_admin'] },
  { to: '/open', label: 'open.nav' },
];

function isCurrent(itemPath: string, path: string, items: NavItem[]): boolean {
  if (itemPath === '/workbench') return path === '/workbench';
  // The most specific item wins: /certificates/queue is not also "certificates".
  const deeper = items.some((other) => other.to !== itemPath && other.to.startsWith(`${itemPath}/`) && (path === other.to || path.startsWith(`${other.to}/`)));
  return !deeper && (path === itemPath || path.startsWith(`${itemPath}/`));
}

/** The frame of a public page (signed out): header with the language switch and a sign-in link. */
export function PublicFrame({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  const signedIn = useSession().state.status === 'signed-in';
  return (
    <div className="app">
      <SkipLink />
      <AppHeader>
        <LanguageSwitch />
        <Link to="/open" className="header-link">
          {t('open.nav')}
        </Link>
        {signedIn ? (
          <Link to="/workbench" className="header-link">
            {t('header.workbench')}
          </Link>
        ) : (
          <Link to="/login" className="header-link">
            {t('trust.verify.signIn')}
          </Link>
        )}
      </AppHeader>
      <main id="main" className="main main-public" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}

export function Shell({ children }: { children: ReactNode }) {
  const { t, lang } = useI18n();
  const { state, signOut } = useSession();
  const { path } = useLocation();
  const mainRef = useRef<HTMLElement>(null);
  const firstRender = useRef(true);

  // After client-side navigation, move focus to the new page's heading so keyboard and
  // screen-reader users start at the top of the new content (not on the first page load).
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    const heading = mainRef.current?.querySelector<HTMLElement>('h1');
    (heading ?? mainRef.current)?.focus({ preventScroll: false });
  }, [path]);

  if (state.status !== 'signed-in') return null;
  const { user, mustChangePassword } = state.session;
  const orgName = lang === 'en' ? user.orgNameEn || user.orgNameZh : user.orgNameZh || user.orgNameEn;
  const items = NAV_ITEMS.filter((item) => !item.roles || hasAnyRole(state.session, ...item.roles));

  return (
    <div className="app">
      <SkipLink />
      <AppHeader linkHome>
        <dl className="who">
          <div>
            <dt className="visually-hidden">{t('header.user')}</dt>
            <dd className="who-name">{user.displayName}</dd>
          </div>
          <div>
            <dt className="visually-hidden">{t('header.org')}</dt>
            <dd className="who-org">{orgName}</dd>
          </div>
        </dl>
        <LanguageSwitch />
        <Link to="/account/password" className="header-link">
          {t('header.changePassword')}
        </Link>
        <Link to="/account/security" className="header-link">
          {t('security.link')}
        </Link>
        <button type="button" className="button button-header" onClick={() => void signOut()}>
          {t('header.signOut')}
        </button>
      </AppHeader>
      <div className="app-body">
        {!mustChangePassword && (
          <nav className="side-nav" aria-label={t('nav.label')}>
            <ul>
              {items.map((item) => (
                <li key={item.to}>
                  <Link to={item.to} aria-current={isCurrent(item.to, path, items) ? 'page' : undefined}>
                    {t(item.label)}
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
        )}
        <main id="main" ref={mainRef} tabIndex={-1} className="main">
          {children}
        </main>
      </div>
      <footer className="app-footer">{t('app.footer')}</footer>
    </div>
  );
}
