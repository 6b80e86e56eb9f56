import { useState } from 'react';
import { api, ROLES, type Role, type User } from '../../api.ts';
import { FormButtons } from '../../components/form-buttons.tsx';
import { CheckboxField, CheckboxGroup, ErrorSummary, fieldErrors, SelectField, TextField, type Option } from '../../components/forms.tsx';
import { useSubmit } from '../../components/use-submit.ts';
import { useI18n, type Translate } from '../../i18n/index.tsx';

function roleOptions(t: Translate): Option[] {
  return ROLES.map((role) => ({ value: role, label: t(`role.${role}`) }));
}

export function CreateUserForm({ orgOptions, defaultOrgId, onCreated, onCancel }: { orgOptions: Option[]; defaultOrgId: string; onCreated: (user: User) => void; onCancel: () => void }) {
  const { t, lookup } = useI18n();
  const formId = 'user-create';
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [orgId, setOrgId] = useState(defaultOrgId);
  const [roles, setRoles] = useState<string[]>(['officer']);
  const [password, setPassword] = useState('');
  const { error, busy, submit } = useSubmit(async () => {
    const user = await api.post<User>('/api/users', { username: username.trim(), displayName: displayName.trim(), orgId, roles, password });
    onCreated(user);
  });
  const labels = {
    username: t('users.field.username'),
    displayName: t('users.field.displayName'),
    orgId: t('users.field.org'),
    roles: t('users.field.roles'),
    password: t('users.field.password'),
  };
  const errors = fieldErrors(lookup, error);
  if (error?.code === 'weak_password' && !errors.password) errors.password = t('error.weak_password');
  return (
    <form className="form" onSubmit={submit} noValidate>
      <ErrorSummary error={error} formId={formId} labels={labels} />
      <div className="form-grid">
        <TextField formId={formId} name="username" label={labels.username} value={username} onChange={setUsername} required autoComplete="off" spellCheck={false} error={errors.username} />
        <TextField formId={formId} name="displayName" label={labels.displayName} value={displayName} onChange={setDisplayName} required error={errors.displayName} />
      </div>
      <SelectField formId={formId} name="orgId" label={labels.orgId} value={orgId} onChange={setOrgId} options={[{ value: '', label: t('users.chooseOrg') }, ...orgOptions]} required error={errors.orgId} />
      <CheckboxGroup formId={formId} name="roles" legend={labels.roles} options={roleOptions(t)} values={roles} onChange={setRoles} error={errors.roles} />
      <TextField formId={formId} name="password" type="password" label={labels.password} hint={t('password.policy')} value={password} onChange={setPassword} required autoComplete="new-password" error={errors.password} />
      <FormButtons busy={busy} submitLabel={t('common.create')} onCancel={onCancel} />
    </form>
  );
}

export function EditUserForm({ user, onSaved, onCancel }: { user: User; onSaved: () => void; onCancel: () => void }) {
  const { t, lookup } = useI18n();
  const formId = 'user-edit';
  const [displayName, setDisplayName] = useState(user.displayName);
  const [roles, setRoles] = useState<string[]>(user.roles);
  const [active, setActive] = useState(user.active);
  const { error, busy, submit } = useSubmit(async () => {
    await api.patch<User>(`/api/users/${user.id}`, { version: user.version, displayName: displayName.trim(), roles: roles as Role[], active });
    onSaved();
  });
  const labels = { displayName: t('users.field.displayName'), roles: t('users.field.roles'), active: t('users.field.active') };
  const errors = fieldErrors(lookup, error);
  return (
    <form className="form" onSubmit={submit} noValidate>
      <ErrorSummary error={error} formId={formId} labels={labels} />
      <TextField formId={formId} name="displayName" label={labels.displayName} value={displayName} onChange={setDisplayName} required error={errors.displayName} />
      <CheckboxGroup formId={formId} name="roles" legend={labels.roles} options={roleOptions(t)} values={roles} onChange={setRoles} error={errors.roles} />
      <CheckboxField formId={formId} name="active" label={labels.active} checked={active} onChange={setActive} />
      <FormButtons busy={busy} submitLabel={t('common.save')} onCancel={onCancel} />
    </form>
  );
}

export function ResetPasswordForm({ user, onDone, onCancel }: { user: User; onDone: () => void; onCancel: () => void }) {
  const { t, lookup } = useI18n();
  const formId = 'user-reset';
  const [password, setPassword] = useState('');
  const { error, busy, submit } = useSubmit(async () => {
    await api.post(`/api/users/${user.id}/reset-password`, { password });
    onDone();
  });
  const labels = { password: t('users.resetNew') };
  const errors = fieldErrors(lookup, error);
  if (error?.code === 'weak_password' && !errors.password) errors.password = t('error.weak_password');
  return (
    <form className="form" onSubmit={submit} noValidate>
      <ErrorSummary error={error} formId={formId} labels={labels} />
      <TextField formId={formId} name="password" type="password" label={labels.password} hint={t('password.policy')} value={password} onChange={setPassword} required autoComplete="new-password" error={errors.password} />
      <FormButtons busy={busy} submitLabel={t('users.resetPassword')} onCancel={onCancel} />
    </form>
  );
}
