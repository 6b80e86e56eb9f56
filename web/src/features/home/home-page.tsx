import { api, type CertificateView, type Page } from '../../api.ts';
import { PageTitle } from '../../components/page.tsx';
import { useResource } from '../../hooks.ts';
import { NAV_ITEMS } from '../../components/shell.tsx';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import { Link } from '../../router.tsx';
import { hasAnyRole, useCurrentSession } from '../../session.tsx';

const DESCRIPTIONS: Record<string, MessageKey> = {
  '/organizations': 'home.organizations',
  '/users': 'home.users',
  '/audit': 'home.audit',
  '/exchange/services': 'home.exchangeServices',
  '/exchange/log': 'home.exchangeLog',
  '/exchange/nodes': 'home.exchangeNodes',
  '/exchange/clients': 'home.exchangeClients',
  '/certificates': 'home.certificates',
  '/certificates/queue': 'home.caQueue',
  '/sign': 'home.sign',
  '/verify': 'home.verify',
  '/tokens': 'home.tokens',
  '/registries': 'home.registries',
  '/tasks': 'home.tasks',
};

/** The renewal reminder: certificates of mine (or of my organization) that expire within 30 days. */
function RenewalReminder() {
  const { t } = useI18n();
  const certificates = useResource(() => api.get<Page<CertificateView>>('/api/trust/certificates', { limit: 200 }), 'home-certificates');
  const due = certificates.data?.items.filter((c) => c.renewalDue).length ?? 0;
  if (due === 0) return null;
  return (
    <p className="notice" role="alert">
      <Link to="/certificates">{t('trust.certificates.renewalDue', { count: due })}</Link>
    </p>
  );
}

export function HomePage() {
  const { t } = useI18n();
  const session = useCurrentSession();
  const items = NAV_ITEMS.filter((item) => item.to in DESCRIPTIONS && (!item.roles || hasAnyRole(session, ...item.roles)));
  return (
    <>
      <PageTitle>{t('home.title')}</PageTitle>
      <p className="lead">
        {t('home.welcome', { name: session.user.displayName })} {t('home.intro')}
      </p>
      <p className="role-list">
        {session.user.roles.map((role) => (
          <span key={role} className="badge badge-role">
            {t(`role.${role}`)}
          </span>
        ))}
      </p>
      <RenewalReminder />
      <ul className="card-grid">
        {items.map((item) => (
          <li key={item.to} className="card module-card">
            <h2>
              <Link to={item.to}>{t(item.label)}</Link>
            </h2>
            <p>{t(DESCRIPTIONS[item.to])}</p>
          </li>
        ))}
      </ul>
    </>
  );
}
