// Forwarding a task (转办) to a colleague of the organization who holds its duty: the server
// lists them; with none, the dialog says who can give the duty. The choice is required.
import { useState } from 'react';
import { SelectField } from '../../components/forms.tsx';
import { FormButtons } from '../../components/form-buttons.tsx';
import { Loaded } from '../../components/status.tsx';
import { useSubmit } from '../../components/use-submit.ts';
import { useResource } from '../../hooks.ts';
import { useI18n } from '../../i18n/index.tsx';
import { ProblemSummary } from '../registries/errors.tsx';
import { applicationsApi, type TaskView } from './api.ts';
import { dutyLabel } from './labels.ts';

const FORM = 'task-forward';

export function ForwardForm({ task, onDone, onCancel }: { task: TaskView; onDone: (name: string) => void; onCancel: () => void }) {
  const { t } = useI18n();
  const colleagues = useResource(() => applicationsApi.colleagues(task.id), `colleagues-${task.id}`);
  const [to, setTo] = useState('');
  const [missing, setMissing] = useState(false);
  const duty = dutyLabel(t, task.duty);
  const { error, busy, submit } = useSubmit(async () => {
    if (!to) {
      setMissing(true);
      return;
    }
    await applicationsApi.forward(task.id, task.version, to);
    onDone(colleagues.data?.items.find((c) => c.id === to)?.displayName ?? '');
  });
  return (
    <Loaded resource={colleagues}>
      {({ items }) =>
        items.length === 0 ? (
          <>
            <p className="callout">{t('tasks.forwardNone', { duty })}</p>
            <div className="button-row">
              <button type="button" className="button button-secondary" onClick={onCancel}>
                {t('common.close')}
              </button>
            </div>
          </>
        ) : (
          <form className="form" noValidate onSubmit={(e) => void submit(e)}>
            <ProblemSummary error={error} formId={FORM} labels={{ toStaffId: t('tasks.forwardTo') }} />
            <SelectField
              formId={FORM}
              name="toStaffId"
              label={t('tasks.forwardTo')}
              hint={t('tasks.forwardHint', { duty })}
              required
              value={to}
              onChange={(v) => {
                setTo(v);
                setMissing(false);
              }}
              error={missing ? t('tasks.forwardRequired') : undefined}
              options={[{ value: '', label: t('tasks.forwardChoose') }, ...items.map((c) => ({ value: c.id, label: c.displayName }))]}
            />
            <FormButtons busy={busy} submitLabel={t('tasks.forwardSubmit')} onCancel={onCancel} />
          </form>
        )
      }
    </Loaded>
  );
}
