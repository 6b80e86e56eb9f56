import type { ReactNode } from 'react';
import { usePageTitle } from '../hooks.ts';
import { useT, type MessageKey } from '../i18n/index.tsx';
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

/** A page that only says something, with a link home. */
function MessagePage({ title, body }: { title: MessageKey; body: MessageKey }) {
  const t = useT();
  return (
    <>
      <PageTitle>{t(title)}</PageTitle>
      <p>{t(body)}</p>
      <p>
        <Link to="/workbench">{t('page.home')}</Link>
      </p>
    </>
  );
}

export function NotFoundPage() {
  return <MessagePage title="page.notFound" body="page.notFoundBody" />;
}

export function ForbiddenPage() {
  return <MessagePage title="page.forbidden" body="page.forbiddenBody" />;
}
