// Duties for online approval (/tasks/duties): the organization's administrator gives each of
// its staff the duties that route tasks to them (acceptance, review, decision, countersigning).
// One small form per person, with the four duties as labelled boxes and its own save button;
// what was saved is announced.
import { useState } from 'react';
import { api, type Page, type User } from '../../api.ts';
import { CheckboxGroup, Notice } from '../../components/forms.tsx';
import { PageTitle } from '../../components/page.tsx';
import { Loaded } from '../../components/status.tsx';
import { useSubmit } from '../../components/use-submit.ts';
import { useResource } from '../../hooks.ts';
import { useI18n } from '../../i18n/index.tsx';
import { Link } from '../../router.tsx';
import { useCurrentSession } from '../../session.tsx';
import { ProblemLoadError, ProblemSummary } from '../registries/errors.tsx';
import { applicationsApi, INBOX_PATH } from './api.ts';
import { DUTIES, DUTY_HINTS, DUTY_LABELS, dutyLabel } from './labels.ts';
import './applications.css';

function PersonDuties({ user, onSaved }: { user: User; onSaved: (message: string) => void }) {
  const { t } = useI18n();
  const held = useResource(() => applicationsApi.duties(user.id), `duties-${user.id}`);
  const [chosen, setChosen] = useState<string[] | undefined>();
  const form = `duties-${user.id}`;
  const values = chosen ?? held.data?.duties ?? [];
  const { error, busy, submit } = useSubmit(async () => {
    const saved = await applicationsApi.setDuties(user.id, values);
    setChosen(saved.duties);
    onSaved(t('duties.saved', { name: user.displayName, duties: saved.duties.length ? saved.duties.map((d) => dutyLabel(t, d)).join(t('tasks.listSep')) : t('duties.none') }));
  });
  const legend = `${t('duties.legend', { name: user.displayName, username: user.username })}${user.active ? '' : t('duties.inactive')}`;
  return (
    <li className="duties-person">
      {held.error ? (
        <ProblemLoadError error={held.error} onRetry={held.reload} />
      ) : (
        <form className="form" noValidate onSubmit={(e) => void submit(e)} aria-busy={held.loading}>
          <ProblemSummary error={error} formId={form} labels={{ duties: legend }} />
          <CheckboxGroup formId={form} name="duties" legend={legend} values={values} onChange={setChosen} options={DUTIES.map((d) => ({ value: d, label: t('duties.option', { duty: t(DUTY_LABELS[d]), hint: t(DUTY_HINTS[d]) }) }))} />
          <button type="submit" className="button button-small" disabled={busy || !held.data}>
            {busy ? t('common.saving') : t('duties.save', { name: user.displayName })}
          </button>
        </form>
      )}
    </li>
  );
}

export function DutiesPage() {
  const { t } = useI18n();
  const session = useCurrentSession();
  const orgId = session.user.orgId;
  const users = useResource(() => api.get<Page<User>>('/api/users', { orgId, limit: 200 }), `duties-users-${orgId}`);
  const [notice, setNotice] = useState('');
  return (
    <>
      <p className="breadcrumb">
        <Link to={INBOX_PATH}>{t('dossier.back')}</Link>
      </p>
      <PageTitle>{t('duties.title')}</PageTitle>
      <p className="lead">{t('duties.intro')}</p>
      <Notice>{notice}</Notice>
      <section className="panel" aria-labelledby="duties-list-title" aria-busy={users.loading}>
        <div className="section-head">
          <h2 id="duties-list-title">{t('duties.list')}</h2>
          {users.data && <p className="muted">{t('duties.count', { total: users.data.total })}</p>}
        </div>
        <Loaded resource={users}>
          {(page) =>
            page.items.length === 0 ? (
              <p>{t('duties.empty')}</p>
            ) : (
              <ul className="duties-list">
                {page.items.map((user) => (
                  <PersonDuties key={user.id} user={user} onSaved={setNotice} />
                ))}
              </ul>
            )
          }
        </Loaded>
      </section>
    </>
  );
}
