// An organization's subsystems (its business systems, addressable on the platform): list,
// register, edit and deactivate.
import { useId, useState } from 'react';
import { api, asApiError, type ApiError, type Subsystem } from '../../api.ts';
import { ConfirmDialog, FormDialog } from '../../components/confirm-dialog.tsx';
import { DataTable, RowAction, type Column } from '../../components/data-table.tsx';
import { ErrorSummary, Notice } from '../../components/forms.tsx';
import { Loaded, StatusBadge } from '../../components/status.tsx';
import { localName } from '../../format.ts';
import { useResource } from '../../hooks.ts';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import { SubsystemForm, type Draft } from './subsystem-form.tsx';

const EMPTY: Draft = { code: '', nameZh: '', nameEn: '', description: '' };

export function SubsystemsSection({ orgId, canManage }: { orgId: string; canManage: boolean }) {
  const { t, lang } = useI18n();
  const list = useResource(() => api.get<{ items: Subsystem[] }>(`/api/organizations/${orgId}/subsystems`), orgId);
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<Subsystem | undefined>();
  const [deactivating, setDeactivating] = useState<Subsystem | undefined>();
  const [notice, setNotice] = useState<MessageKey | undefined>();
  const [error, setError] = useState<ApiError | undefined>();
  const titleId = useId();
  const addFormId = useId();

  async function deactivate(subsystem: Subsystem) {
    setDeactivating(undefined);
    setError(undefined);
    try {
      await api.post(`/api/subsystems/${subsystem.id}/deactivate`, { version: subsystem.version });
      setNotice('subsystem.deactivated');
      list.reload();
    } catch (e) {
      setError(asApiError(e));
    }
  }

  const columns: Column<Subsystem>[] = [
    { header: t('subsystem.field.code'), className: 'mono', cell: (s) => s.code },
    {
      header: t('org.field.name'),
      cell: (s) => (
        <>
          {localName(s, lang)}
          <span className="secondary-name">{lang === 'en' ? s.nameZh : s.nameEn}</span>
        </>
      ),
    },
    { header: t('subsystem.field.identifier'), className: 'mono', cell: (s) => s.identifier },
    { header: t('subsystem.field.description'), cell: (s) => s.description },
    { header: t('common.status'), cell: (s) => <StatusBadge status={s.status} /> },
  ];
  if (canManage) {
    columns.push({
      header: t('common.actions'),
      className: 'actions',
      cell: (s) =>
        s.status === 'active' && (
          <>
            <RowAction label={t('common.edit')} subject={localName(s, lang)} onClick={() => setEditing(s)} />
            <RowAction label={t('subsystem.deactivate')} subject={localName(s, lang)} danger onClick={() => setDeactivating(s)} />
          </>
        ),
    });
  }

  return (
    <section className="panel" aria-labelledby={titleId}>
      <div className="section-head">
        <h2 id={titleId}>{t('subsystem.title')}</h2>
        {canManage && (
          <button type="button" className="button button-secondary button-small" aria-expanded={adding} aria-controls={addFormId} onClick={() => setAdding((a) => !a)}>
            {t('subsystem.add')}
          </button>
        )}
      </div>
      <Notice>{notice ? t(notice) : null}</Notice>
      <ErrorSummary error={error} />
      <div id={addFormId} hidden={!adding}>
        {adding && (
          <SubsystemForm
            mode="create"
            initial={EMPTY}
            onCancel={() => setAdding(false)}
            onSubmit={async (draft) => {
              await api.post(`/api/organizations/${orgId}/subsystems`, {
                code: draft.code.trim(),
                nameZh: draft.nameZh.trim(),
                nameEn: draft.nameEn.trim(),
                ...(draft.description.trim() ? { description: draft.description.trim() } : {}),
              });
              setAdding(false);
              setNotice('subsystem.created');
              list.reload();
            }}
          />
        )}
      </div>
      <Loaded resource={list}>{(data) => <DataTable items={data.items} columns={columns} rowKey={(s) => s.id} empty={t('subsystem.empty')} />}</Loaded>
      <FormDialog open={editing !== undefined} title={editing ? t('subsystem.editTitle', { name: localName(editing, lang) }) : ''} onClose={() => setEditing(undefined)}>
        {editing && (
          <SubsystemForm
            mode="edit"
            initial={{ code: editing.code, nameZh: editing.nameZh, nameEn: editing.nameEn, description: editing.description ?? '' }}
            onCancel={() => setEditing(undefined)}
            onSubmit={async (draft) => {
              await api.patch(`/api/subsystems/${editing.id}`, {
                version: editing.version,
                nameZh: draft.nameZh.trim(),
                nameEn: draft.nameEn.trim(),
                description: draft.description.trim(),
              });
              setEditing(undefined);
              setNotice('subsystem.saved');
              list.reload();
            }}
          />
        )}
      </FormDialog>
      <ConfirmDialog
        open={deactivating !== undefined}
        danger
        message={deactivating ? t('subsystem.confirm.deactivate', { name: localName(deactivating, lang) }) : ''}
        confirmLabel={t('subsystem.deactivate')}
        onConfirm={() => deactivating && void deactivate(deactivating)}
        onCancel={() => setDeactivating(undefined)}
      />
    </section>
  );
}
