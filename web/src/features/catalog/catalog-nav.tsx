// The catalog's own navigation under the page title: browse, my department's entries, the
// review queue (data bureau), share requests and statistics; each shown to who may use it.
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import './catalog.css';
import { Link, useLocation } from '../../router.tsx';
import type { CatalogAccess } from './access.ts';

type Tab = { to: string; label: MessageKey; show: (a: CatalogAccess) => boolean };

const TABS: Tab[] = [
  { to: '/catalog', label: 'catalog.tab.browse', show: () => true },
  { to: '/catalog/mine', label: 'catalog.tab.mine', show: (a) => a.staff },
  { to: '/catalog/review', label: 'catalog.tab.review', show: (a) => a.reviewer },
  { to: '/catalog/requests', label: 'catalog.tab.requests', show: (a) => a.staff || a.platformAdmin },
  { to: '/catalog/statistics', label: 'catalog.tab.statistics', show: () => true },
  { to: '/catalog/settings', label: 'catalog.tab.settings', show: (a) => a.platformAdmin },
];

/** Which tab a path belongs to: an entry's pages are the browser's, the editor the department's, a request's the requests'. */
function tabOf(path: string): string {
  if (path.startsWith('/catalog/requests')) return '/catalog/requests';
  if (path === '/catalog/new' || path.endsWith('/edit')) return '/catalog/mine';
  const own = TABS.find((tab) => tab.to !== '/catalog' && path.startsWith(tab.to));
  return own?.to ?? '/catalog';
}

export function CatalogNav({ access }: { access: CatalogAccess }) {
  const { t } = useI18n();
  const { path } = useLocation();
  const current = tabOf(path);
  return (
    <nav className="catalog-tabs" aria-label={t('catalog.tab.label')}>
      <ul>
        {TABS.filter((tab) => tab.show(access)).map((tab) => (
          <li key={tab.to}>
            <Link to={tab.to} aria-current={tab.to === current ? 'page' : undefined}>
              {t(tab.label)}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
