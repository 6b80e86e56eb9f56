import type { ReactNode } from 'react';
import { usePageTitle } from '../hooks.ts';
import { useT } from '../i18n/index.tsx';
import { Link } from '../router.tsx';

/** The page's <h1>, focusable so navigation can move focus to it, and the document title. */
export function PageTitle({ children, actions }: { children: string; actions?: ReactNode }) {
  usePageTitle(children);
  return (
    <div className="page-title">
      <h1 tabIndex={-1}>{children}</h1>
      {actions && <div className="page-actions">{actions}</div>}
    </div>
  );
}

export function NotFoundPage() {
  const t = useT();
  return (
    <>
      <PageTitle>{t('page.notFound')}</PageTitle>
      <p>{t('page.notFoundBody')}</p>
      <p>
        <Link to="/">{t('page.home')}</Link>
      </p>
    </>
  );
}

export function ForbiddenPage() {
  const t = useT();
  return (
    <>
      <PageTitle>{t('page.forbidden')}</PageTitle>
      <p>{t('page.forbiddenBody')}</p>
      <p>
        <Link to="/">{t('page.home')}</Link>
      </p>
    </>
  );
}
