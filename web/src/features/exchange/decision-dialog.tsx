// The operator's decision on a node registration, in a dialog that repeats the check code: the
// last look before a node's keys are certified. Rejecting needs a reason, which the node's
// operator is shown.
import { useState } from 'react';
import { type NodeRegistration } from '../../api.ts';
import { FormDialog } from '../../components/confirm-dialog.tsx';
import { ErrorSummary, fieldErrors, TextAreaField } from '../../components/forms.tsx';
import { useSubmit } from '../../components/use-submit.ts';
import { useI18n } from '../../i18n/index.tsx';

export type Decision = 'approve' | 'reject';
const FORM = 'node-decision';

function DecisionForm({ registration, decision, onDecide, onCancel }: { registration: NodeRegistration; decision: Decision; onDecide: (note: string) => Promise<void>; onCancel: () => void }) {
  const { t, lookup } = useI18n();
  const [note, setNote] = useState('');
  const [missing, setMissing] = useState(false);
  const { error, busy, submit } = useSubmit(async () => {
    if (decision === 'reject' && !note.trim()) {
      setMissing(true);
      return;
    }
    await onDecide(note.trim());
  });
  const errors = fieldErrors(lookup, error);
  const noteLabel = t(decision === 'approve' ? 'exchange.registration.approveNote' : 'exchange.registration.rejectNote');
  return (
    <form onSubmit={submit} noValidate>
      <ErrorSummary error={error} formId={FORM} labels={{ note: noteLabel }} />
      <p className="check-code-box">
        <span className="check-code-label">{t('exchange.registration.confirmCode')}</span>
        <span className="check-code" data-testid="dialog-check-code">
          {registration.checkCode}
        </span>
      </p>
      <p>{t(decision === 'approve' ? 'exchange.registration.confirmApprove' : 'exchange.registration.confirmReject')}</p>
      <TextAreaField
        formId={FORM}
        name="note"
        label={noteLabel}
        value={note}
        onChange={(value) => {
          setNote(value);
          setMissing(false);
        }}
        required={decision === 'reject'}
        error={missing ? t('fieldError.required') : errors.note}
      />
      <div className="button-row">
        <button type="submit" className={decision === 'approve' ? 'button' : 'button button-danger'} disabled={busy}>
          {t(decision === 'approve' ? 'exchange.registration.approve' : 'exchange.registration.reject')}
        </button>
        <button type="button" className="button button-secondary" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}

export function DecisionDialog({ target, onDecide, onClose }: { target: { registration: NodeRegistration; decision: Decision } | undefined; onDecide: (note: string) => Promise<void>; onClose: () => void }) {
  const { t } = useI18n();
  const name = target?.registration.name ?? '';
  const title = target?.decision === 'reject' ? t('exchange.registration.rejectTitle', { name }) : t('exchange.registration.approveTitle', { name });
  return (
    <FormDialog open={target !== undefined} title={title} onClose={onClose}>
      {/* Keyed, so a new decision starts with an empty note. */}
      {target && <DecisionForm key={`${target.registration.id}-${target.decision}`} registration={target.registration} decision={target.decision} onDecide={onDecide} onCancel={onClose} />}
    </FormDialog>
  );
}
