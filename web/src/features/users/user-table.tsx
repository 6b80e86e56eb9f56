import type { User } from '../../api.ts';
import { DataTable, RowAction, type Column } from '../../components/data-table.tsx';
import { formatDateTime } from '../../format.ts';
import { useI18n } from '../../i18n/index.tsx';

/** Staff accounts with their roles, status and last sign-in, and buttons to edit one or reset its password. */
export function UserTable({ users, orgName, onEdit, onResetPassword }: { users: User[]; orgName: (orgId: string) => string; onEdit: (user: User) => void; onResetPassword: (user: User) => void }) {
  const { t, lang } = useI18n();
  const columns: Column<User>[] = [
    { header: t('users.field.username'), className: 'mono', cell: (user) => user.username },
    { header: t('users.field.displayName'), cell: (user) => user.displayName },
    { header: t('users.field.org'), cell: (user) => orgName(user.orgId) },
    {
      header: t('users.field.roles'),
      cell: (user) =>
        user.roles.map((role) => (
          <span key={role} className="badge badge-role">
            {t(`role.${role}`)}
          </span>
        )),
    },
    {
      header: t('common.status'),
      cell: (user) => (
        <>
          <span className={`badge ${user.active ? 'badge-active' : 'badge-inactive'}`}>{t(user.active ? 'users.status.active' : 'users.status.inactive')}</span>
          {user.locked && <span className="badge badge-locked">{t('users.locked')}</span>}
        </>
      ),
    },
    { header: t('users.field.lastSignIn'), cell: (user) => (user.lastSignInAt ? formatDateTime(user.lastSignInAt, lang) : t('users.neverSignedIn')) },
    {
      header: t('common.actions'),
      className: 'actions',
      cell: (user) => (
        <>
          <RowAction label={t('common.edit')} subject={user.username} onClick={() => onEdit(user)} />
          <RowAction label={t('users.resetPassword')} subject={user.username} onClick={() => onResetPassword(user)} />
        </>
      ),
    },
  ];
  return <DataTable items={users} columns={columns} rowKey={(user) => user.id} empty={t('common.noResults')} />;
}
