// An organization's subsystems (its business systems, addressable on the platform): list,
// register, edit and deactivate.
import { useId, useState, type FormEvent } from 'react';
import { api, asApiError, type ApiError, type Subsystem } from '../../api.ts';
import { ConfirmDialog, FormDialog } from '../../components/confirm-dialog.tsx';
import { ErrorSummary, fieldErrors, Notice, TextAreaField, TextField } from '../../components/forms.tsx';
import { LoadError, Loading, StatusBadge } from '../../components/status.tsx';
import { localName } from '../../format.ts';
import { useResource } from '../../hooks.ts';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';

type Draft = { code: string; nameZh: string; nameEn: string; description: string };
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
      {list.error && <LoadError error={list.error} onRetry={list.reload} />}
      {list.loading && !list.data && <Loading />}
      {list.data &&
        (list.data.items.length === 0 ? (
          <p>{t('subsystem.empty')}</p>
        ) : (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{t('subsystem.field.code')}</th>
                  <th scope="col">{t('org.field.name')}</th>
                  <th scope="col">{t('subsystem.field.identifier')}</th>
                  <th scope="col">{t('subsystem.field.description')}</th>
                  <th scope="col">{t('common.status')}</th>
                  {canManage && <th scope="col">{t('common.actions')}</th>}
                </tr>
              </thead>
              <tbody>
                {list.data.items.map((s) => (
                  <tr key={s.id}>
                    <td className="mono">{s.code}</td>
                    <td>
                      {localName(s, lang)}
                      <span className="secondary-name">{lang === 'en' ? s.nameZh : s.nameEn}</span>
                    </td>
                    <td className="mono">{s.identifier}</td>
                    <td>{s.description}</td>
                    <td>
                      <StatusBadge status={s.status} />
                    </td>
                    {canManage && (
                      <td className="actions">
                        {s.status === 'active' && (
                          <>
                            <button type="button" className="button button-secondary button-small" onClick={() => setEditing(s)} aria-label={`${t('common.edit')} ${localName(s, lang)}`}>
                              {t('common.edit')}
                            </button>
                            <button type="button" className="button button-danger button-small" onClick={() => setDeactivating(s)} aria-label={`${t('subsystem.deactivate')} ${localName(s, lang)}`}>
                              {t('subsystem.deactivate')}
                            </button>
                          </>
                        )}
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))}
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

function SubsystemForm({ mode, initial, onSubmit, onCancel }: { mode: 'create' | 'edit'; initial: Draft; onSubmit: (draft: Draft) => Promise<void>; onCancel: () => void }) {
  const { t, lookup } = useI18n();
  const formId = `subsystem-${mode}`;
  const [draft, setDraft] = useState<Draft>(initial);
  const [error, setError] = useState<ApiError | undefined>();
  const [busy, setBusy] = useState(false);
  const labels = {
    code: t('subsystem.field.code'),
    nameZh: t('subsystem.field.nameZh'),
    nameEn: t('subsystem.field.nameEn'),
    description: t('subsystem.field.description'),
  };
  const errors = fieldErrors(lookup, error);
  const set = (key: keyof Draft) => (value: string) => setDraft((d) => ({ ...d, [key]: value }));

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await onSubmit(draft);
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="form subform" onSubmit={submit} noValidate>
      <ErrorSummary error={error} formId={formId} labels={labels} />
      {mode === 'create' && (
        <TextField formId={formId} name="code" label={labels.code} hint={t('subsystem.field.codeHint')} value={draft.code} onChange={set('code')} required error={errors.code} spellCheck={false} />
      )}
      <div className="form-grid">
        <TextField formId={formId} name="nameZh" label={labels.nameZh} value={draft.nameZh} onChange={set('nameZh')} required error={errors.nameZh} />
        <TextField formId={formId} name="nameEn" label={labels.nameEn} value={draft.nameEn} onChange={set('nameEn')} required error={errors.nameEn} />
      </div>
      <TextAreaField formId={formId} name="description" label={labels.description} value={draft.description} onChange={set('description')} error={errors.description} />
      <div className="button-row">
        <button type="submit" className="button" disabled={busy}>
          {busy ? t('common.saving') : mode === 'create' ? t('common.create') : t('common.save')}
        </button>
        <button type="button" className="button button-secondary" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
