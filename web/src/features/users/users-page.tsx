import { useState } from 'react';
import { api, type Page, type User } from '../../api.ts';
import { FormDialog } from '../../components/confirm-dialog.tsx';
import { Notice, SelectField, TextField } from '../../components/forms.tsx';
import { useOrgDirectory } from '../../components/org-directory.ts';
import { PageTitle } from '../../components/page.tsx';
import { ResultsSection } from '../../components/results-section.tsx';
import { SearchPanel } from '../../components/search-panel.tsx';
import { useUrlFilters } from '../../components/use-url-filters.ts';
import { useResource } from '../../hooks.ts';
import { useI18n } from '../../i18n/index.tsx';
import { useCurrentSession } from '../../session.tsx';
import { CreateUserForm, EditUserForm, ResetPasswordForm } from './user-forms.tsx';
import { UserTable } from './user-table.tsx';

const FORM = 'user-search';
const LIMIT = 50;
const DEFAULTS = { orgId: '', q: '' };

export function UsersPage() {
  const { t, lang } = useI18n();
  const session = useCurrentSession();
  const { href, applied, offset, filters, set, go } = useUrlFilters('/users', DEFAULTS);
  const directory = useOrgDirectory(lang, 'all');
  const users = useResource(() => api.get<Page<User>>('/api/users', { ...applied, limit: LIMIT, offset }), href);
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<User | undefined>();
  const [resetting, setResetting] = useState<User | undefined>();
  const [notice, setNotice] = useState<string | undefined>();

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
      <SearchPanel formId={FORM} onSearch={() => go({ ...filters, q: filters.q.trim() })}>
        <SelectField formId={FORM} name="orgId" label={t('users.filter.org')} value={filters.orgId} onChange={set('orgId')} options={[{ value: '', label: t('users.filter.allOrgs') }, ...directory.options]} />
        <TextField formId={FORM} name="q" type="search" label={t('users.filter.q')} hint={t('users.filter.qHint')} value={filters.q} onChange={set('q')} />
      </SearchPanel>
      <ResultsSection
        titleId="users-results-title"
        title={t('users.title')}
        count={(total) => t('users.count', { total })}
        results={users}
        offset={offset}
        limit={LIMIT}
        onPage={(o) => go(applied, o)}
      >
        {(items) => <UserTable users={items} orgName={directory.name} onEdit={setEditing} onResetPassword={setResetting} />}
      </ResultsSection>
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
