// The form to register a subsystem or edit one (its code is fixed once registered).
import { useState } from 'react';
import { FormButtons } from '../../components/form-buttons.tsx';
import { ErrorSummary, fieldErrors, TextAreaField, TextField } from '../../components/forms.tsx';
import { useSubmit } from '../../components/use-submit.ts';
import { useI18n } from '../../i18n/index.tsx';

export type Draft = { code: string; nameZh: string; nameEn: string; description: string };

export function SubsystemForm({ mode, initial, onSubmit, onCancel }: { mode: 'create' | 'edit'; initial: Draft; onSubmit: (draft: Draft) => Promise<void>; onCancel: () => void }) {
  const { t, lookup } = useI18n();
  const formId = `subsystem-${mode}`;
  const [draft, setDraft] = useState<Draft>(initial);
  const { error, busy, submit } = useSubmit(() => onSubmit(draft));
  const labels = {
    code: t('subsystem.field.code'),
    nameZh: t('subsystem.field.nameZh'),
    nameEn: t('subsystem.field.nameEn'),
    description: t('subsystem.field.description'),
  };
  const errors = fieldErrors(lookup, error);
  const set = (key: keyof Draft) => (value: string) => setDraft((d) => ({ ...d, [key]: value }));

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
      <FormButtons busy={busy} submitLabel={mode === 'create' ? t('common.create') : t('common.save')} onCancel={onCancel} />
    </form>
  );
}
