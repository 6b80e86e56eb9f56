import { useEffect, useState, type FormEvent } from 'react';
import { api, queryString, type Page, type User } from '../../api.ts';
import { FormDialog } from '../../components/confirm-dialog.tsx';
import { Notice, SelectField, TextField } from '../../components/forms.tsx';
import { useOrgDirectory } from '../../components/org-directory.ts';
import { PageTitle } from '../../components/page.tsx';
import { Pager } from '../../components/pager.tsx';
import { LoadError, Loading } from '../../components/status.tsx';
import { formatDateTime } from '../../format.ts';
import { useResource } from '../../hooks.ts';
import { useI18n } from '../../i18n/index.tsx';
import { navigate, useLocation } from '../../router.tsx';
import { useCurrentSession } from '../../session.tsx';
import { CreateUserForm, EditUserForm, ResetPasswordForm } from './user-forms.tsx';

const FORM = 'user-search';
const LIMIT = 50;

export function UsersPage() {
  const { t, lang } = useI18n();
  const session = useCurrentSession();
  const { search, href } = useLocation();
  const applied = { orgId: search.get('orgId') ?? '', q: search.get('q') ?? '' };
  const offset = Math.max(0, Number(search.get('offset') ?? 0) || 0);
  const [orgId, setOrgId] = useState(applied.orgId);
  const [q, setQ] = useState(applied.q);
  useEffect(() => {
    const params = new URL(href, window.location.origin).searchParams;
    setOrgId(params.get('orgId') ?? '');
    setQ(params.get('q') ?? '');
  }, [href]);

  const directory = useOrgDirectory(lang, 'all');
  const users = useResource(() => api.get<Page<User>>('/api/users', { ...applied, limit: LIMIT, offset }), href);
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<User | undefined>();
  const [resetting, setResetting] = useState<User | undefined>();
  const [notice, setNotice] = useState<string | undefined>();

  const go = (filters: { orgId: string; q: string }, nextOffset = 0) => navigate(`/users${queryString({ ...filters, offset: nextOffset || '' })}`);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    go({ orgId, q: q.trim() });
  }

  return (
    <>
      <PageTitle
        actions={
          <button type="button" className="button" aria-expanded={creating} aria-controls="user-create-panel" onClick={() => setCreating((c) => !c)}>
            {t('users.new')}
          </button>
        }
      >
        {t('users.title')}
      </PageTitle>
      <Notice>{notice}</Notice>
      <section id="user-create-panel" className="panel" hidden={!creating} aria-labelledby="user-create-title">
        <h2 id="user-create-title">{t('users.createTitle')}</h2>
        {creating && (
          <CreateUserForm
            orgOptions={directory.options}
            defaultOrgId={applied.orgId || session.user.orgId}
            onCancel={() => setCreating(false)}
            onCreated={(user) => {
              setCreating(false);
              setNotice(t('users.created', { name: user.username }));
              users.reload();
            }}
          />
        )}
      </section>
      <section className="panel" aria-labelledby={`${FORM}-title`}>
        <h2 id={`${FORM}-title`} className="visually-hidden">
          {t('common.search')}
        </h2>
        <form className="filters" role="search" onSubmit={submit} aria-labelledby={`${FORM}-title`}>
          <SelectField formId={FORM} name="orgId" label={t('users.filter.org')} value={orgId} onChange={setOrgId} options={[{ value: '', label: t('users.filter.allOrgs') }, ...directory.options]} />
          <TextField formId={FORM} name="q" type="search" label={t('users.filter.q')} hint={t('users.filter.qHint')} value={q} onChange={setQ} />
          <div className="button-row filters-buttons">
            <button type="submit" className="button">
              {t('common.search')}
            </button>
          </div>
        </form>
      </section>
      <section className="panel" aria-labelledby="users-results-title" aria-busy={users.loading}>
        <div className="section-head">
          <h2 id="users-results-title">{t('users.title')}</h2>
          {users.data && <p className="muted">{t('users.count', { total: users.data.total })}</p>}
        </div>
        {users.error && <LoadError error={users.error} onRetry={users.reload} />}
        {users.loading && !users.data && <Loading />}
        {users.data &&
          (users.data.items.length === 0 ? (
            <p>{t('common.noResults')}</p>
          ) : (
            <div className="table-wrap">
              <table className="table">
                <thead>
                  <tr>
                    <th scope="col">{t('users.field.username')}</th>
                    <th scope="col">{t('users.field.displayName')}</th>
                    <th scope="col">{t('users.field.org')}</th>
                    <th scope="col">{t('users.field.roles')}</th>
                    <th scope="col">{t('common.status')}</th>
                    <th scope="col">{t('users.field.lastSignIn')}</th>
                    <th scope="col">{t('common.actions')}</th>
                  </tr>
                </thead>
                <tbody>
                  {users.data.items.map((user) => (
                    <tr key={user.id}>
                      <td className="mono">{user.username}</td>
                      <td>{user.displayName}</td>
                      <td>{directory.name(user.orgId)}</td>
                      <td>
                        {user.roles.map((role) => (
                          <span key={role} className="badge badge-role">
                            {t(`role.${role}`)}
                          </span>
                        ))}
                      </td>
                      <td>
                        <span className={`badge ${user.active ? 'badge-active' : 'badge-inactive'}`}>{t(user.active ? 'users.status.active' : 'users.status.inactive')}</span>
                        {user.locked && <span className="badge badge-locked">{t('users.locked')}</span>}
                      </td>
                      <td>{user.lastSignInAt ? formatDateTime(user.lastSignInAt, lang) : t('users.neverSignedIn')}</td>
                      <td className="actions">
                        <button type="button" className="button button-secondary button-small" aria-label={`${t('common.edit')} ${user.username}`} onClick={() => setEditing(user)}>
                          {t('common.edit')}
                        </button>
                        <button type="button" className="button button-secondary button-small" aria-label={`${t('users.resetPassword')} ${user.username}`} onClick={() => setResetting(user)}>
                          {t('users.resetPassword')}
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ))}
        {users.data && <Pager offset={offset} limit={LIMIT} total={users.data.total} onChange={(o) => go(applied, o)} />}
      </section>
      <FormDialog open={editing !== undefined} title={editing ? t('users.editTitle', { name: editing.username }) : ''} onClose={() => setEditing(undefined)}>
        {editing && (
          <EditUserForm
            user={editing}
            onCancel={() => setEditing(undefined)}
            onSaved={() => {
              setEditing(undefined);
              setNotice(t('users.saved'));
              users.reload();
            }}
          />
        )}
      </FormDialog>
      <FormDialog open={resetting !== undefined} title={resetting ? t('users.resetTitle', { name: resetting.username }) : ''} onClose={() => setResetting(undefined)}>
        {resetting && (
          <ResetPasswordForm
            user={resetting}
            onCancel={() => setResetting(undefined)}
            onDone={() => {
              setNotice(t('users.resetDone', { name: resetting.username }));
              setResetting(undefined);
              users.reload();
            }}
          />
        )}
      </FormDialog>
    </>
  );
}
