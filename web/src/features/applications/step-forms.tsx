// The forms that complete the officer's step on an application, sent with the task's version:
//  - acceptance: accept; not accept with the reason (both languages) and the right agency; or
//    ask for supplements — every item at once (the law allows one request), each in both
//    languages and optionally naming the material;
//  - review (and countersign): agree or disagree, a comment required when disagreeing;
//  - decide: approve or deny, the reasons required when denying.
// The server's problems are written beside their inputs and listed, linked, in a summary that
// takes focus; a stale version goes to the page, which says so and reloads.
import { useState } from 'react';
import type { ApiError } from '../../api.ts';
import { SelectField, TextAreaField, TextField } from '../../components/forms.tsx';
import { useSubmit } from '../../components/use-submit.ts';
import { useI18n } from '../../i18n/index.tsx';
import { ProblemSummary } from '../registries/errors.tsx';
import { applicationsApi, type DossierView, type StepOutcome, type SupplementItem, type TaskView } from './api.ts';
import { ChoiceGroup } from './choice-group.tsx';
import { errorsByInput, isStale, withInputs } from './problems.ts';

export type StepProps = {
  task: TaskView;
  materials: { key: string; name: string }[];
  onDone: (view: DossierView) => void;
  onStale: (error: ApiError) => void;
};

/** Completes the task; a stale version is handed to the page instead of being shown here. */
function useComplete(task: TaskView, onDone: StepProps['onDone'], onStale: StepProps['onStale'], outcome: () => StepOutcome | undefined) {
  return useSubmit(async () => {
    const body = outcome();
    if (!body) return;
    try {
      onDone(await applicationsApi.complete(task.id, task.version, body));
    } catch (e) {
      if (isStale(e as ApiError)) onStale(e as ApiError);
      else throw e;
    }
  });
}

type Acceptance = 'accept' | 'not_accept' | 'supplement';

export function AcceptanceForm({ task, materials, onDone, onStale }: StepProps) {
  const { t, lookup } = useI18n();
  const form = 'accept';
  const [choice, setChoice] = useState<Acceptance | ''>('');
  const [missing, setMissing] = useState(false);
  const [text, setText] = useState({ reasonZh: '', reasonEn: '', agencyZh: '', agencyEn: '', noteZh: '', noteEn: '' });
  const [items, setItems] = useState<SupplementItem[]>([{ zh: '', en: '', materialKey: '' }]);
  const { error, setError, busy, submit } = useComplete(task, onDone, onStale, () => {
    if (!choice) {
      setMissing(true);
      document.getElementById(`${form}-decision`)?.focus();
      return undefined;
    }
    if (choice === 'accept') return { decision: 'accept' };
    if (choice === 'not_accept') return { decision: 'not_accept', reasonZh: text.reasonZh, reasonEn: text.reasonEn, ...(text.agencyZh ? { agencyZh: text.agencyZh } : {}), ...(text.agencyEn ? { agencyEn: text.agencyEn } : {}) };
    return { decision: 'supplement', items: items.map((i) => ({ zh: i.zh, en: i.en, ...(i.materialKey ? { materialKey: i.materialKey } : {}) })), noteZh: text.noteZh, noteEn: text.noteEn };
  });
  const errors = errorsByInput(lookup, error);
  const set = (name: keyof typeof text) => (value: string) => setText((v) => ({ ...v, [name]: value }));
  const setItem = (i: number, patch: Partial<SupplementItem>) => setItems((list) => list.map((item, j) => (j === i ? { ...item, ...patch } : item)));
  const labels: Record<string, string> = {
    decision: t('dossier.accept.legend'),
    reasonZh: t('dossier.accept.reasonZh'),
    reasonEn: t('dossier.accept.reasonEn'),
    agencyZh: t('dossier.accept.agencyZh'),
    agencyEn: t('dossier.accept.agencyEn'),
    items: t('dossier.accept.items'),
    noteZh: t('dossier.accept.noteZh'),
    noteEn: t('dossier.accept.noteEn'),
  };
  items.forEach((_, i) => {
    labels[`items.${i}.zh`] = t('dossier.accept.itemZh', { n: i + 1 });
    labels[`items.${i}.en`] = t('dossier.accept.itemEn', { n: i + 1 });
    labels[`items.${i}.materialKey`] = t('dossier.accept.itemMaterial', { n: i + 1 });
  });

  function addItem() {
    setItems((list) => [...list, { zh: '', en: '', materialKey: '' }]);
    // The new item's first input takes focus once it is drawn.
    setTimeout(() => document.getElementById(`${form}-items.${items.length}.zh`)?.focus(), 0);
  }
  function removeItem(i: number) {
    setError(undefined);
    setItems((list) => list.filter((_, j) => j !== i));
    setTimeout(() => document.getElementById(`${form}-items-add`)?.focus(), 0);
  }

  return (
    <form className="form" noValidate onSubmit={(e) => void submit(e)} aria-labelledby="dossier-act-title">
      <ProblemSummary error={withInputs(error)} formId={form} labels={labels} />
      <ChoiceGroup<Acceptance>
        formId={form}
        name="decision"
        legend={t('dossier.accept.legend')}
        hint={t('dossier.accept.hint')}
        error={missing ? t('dossier.accept.choose') : errors.decision}
        value={choice}
        onChange={(v) => {
          setChoice(v);
          setMissing(false);
          setError(undefined);
        }}
        options={[
          { value: 'accept', label: t('dossier.accept.accept') },
          { value: 'not_accept', label: t('dossier.accept.notAccept') },
          { value: 'supplement', label: t('dossier.accept.supplement') },
        ]}
      />
      {choice === 'not_accept' && (
        <div className="subform">
          <TextAreaField formId={form} name="reasonZh" label={labels.reasonZh} required value={text.reasonZh} onChange={set('reasonZh')} error={errors.reasonZh} />
          <TextAreaField formId={form} name="reasonEn" label={labels.reasonEn} required value={text.reasonEn} onChange={set('reasonEn')} error={errors.reasonEn} />
          <TextField formId={form} name="agencyZh" label={labels.agencyZh} hint={t('dossier.accept.agencyHint')} value={text.agencyZh} onChange={set('agencyZh')} error={errors.agencyZh} />
          <TextField formId={form} name="agencyEn" label={labels.agencyEn} value={text.agencyEn} onChange={set('agencyEn')} error={errors.agencyEn} />
        </div>
      )}
      {choice === 'supplement' && (
        <fieldset className={`subform service-group${errors.items ? ' field-invalid' : ''}`} id={`${form}-items`} tabIndex={-1} aria-describedby={`${form}-items-hint${errors.items ? ` ${form}-items-error` : ''}`}>
          <legend>{labels.items}</legend>
          <p className="hint" id={`${form}-items-hint`}>
            {t('dossier.accept.itemsHint')}
          </p>
          {errors.items && (
            <p className="field-error" id={`${form}-items-error`}>
              {errors.items}
            </p>
          )}
          <ol className="supplement-items">
            {items.map((item, i) => (
              <li key={i}>
                <TextAreaField formId={form} name={`items.${i}.zh`} label={labels[`items.${i}.zh`]} required value={item.zh} onChange={(zh) => setItem(i, { zh })} error={errors[`items.${i}.zh`]} />
                <TextAreaField formId={form} name={`items.${i}.en`} label={labels[`items.${i}.en`]} required value={item.en} onChange={(en) => setItem(i, { en })} error={errors[`items.${i}.en`]} />
                <SelectField
                  formId={form}
                  name={`items.${i}.materialKey`}
                  label={labels[`items.${i}.materialKey`]}
                  value={item.materialKey ?? ''}
                  onChange={(materialKey) => setItem(i, { materialKey })}
                  error={errors[`items.${i}.materialKey`]}
                  options={[{ value: '', label: t('dossier.accept.itemNoMaterial') }, ...materials.map((m) => ({ value: m.key, label: m.name }))]}
                />
                {items.length > 1 && (
                  <button type="button" className="button button-secondary button-small" onClick={() => removeItem(i)}>
                    {t('dossier.accept.itemRemove', { n: i + 1 })}
                  </button>
                )}
              </li>
            ))}
          </ol>
          <button type="button" className="button button-secondary" id={`${form}-items-add`} onClick={addItem}>
            {t('dossier.accept.itemAdd')}
          </button>
          <TextAreaField formId={form} name="noteZh" label={labels.noteZh} value={text.noteZh} onChange={set('noteZh')} error={errors.noteZh} />
          <TextAreaField formId={form} name="noteEn" label={labels.noteEn} value={text.noteEn} onChange={set('noteEn')} error={errors.noteEn} />
        </fieldset>
      )}
      <div className="button-row">
        <button type="submit" className="button" disabled={busy}>
          {busy ? t('common.saving') : t('dossier.accept.submit')}
        </button>
      </div>
    </form>
  );
}

/** A review, countersign or decide step: two outcomes and the comment, required on the negative one. */
export function OpinionForm({ task, onDone, onStale }: StepProps) {
  const { t, lookup } = useI18n();
  const decide = task.kind === 'decide';
  const form = decide ? 'decide' : 'review';
  const [choice, setChoice] = useState<'yes' | 'no' | ''>('');
  const [missing, setMissing] = useState(false);
  const [comment, setComment] = useState('');
  const [commentMissing, setCommentMissing] = useState(false);
  const { error, setError, busy, submit } = useComplete(task, onDone, onStale, () => {
    if (!choice) {
      setMissing(true);
      document.getElementById(`${form}-opinion`)?.focus();
      return undefined;
    }
    if (choice === 'no' && comment.trim() === '') {
      setCommentMissing(true);
      document.getElementById(`${form}-comment`)?.focus();
      return undefined;
    }
    const opinion = choice === 'yes' ? 'agree' : 'disagree';
    return decide ? { opinion, comment, decision: choice === 'yes' ? 'approve' : 'deny' } : { opinion, comment };
  });
  const errors = errorsByInput(lookup, error);
  const k = decide
    ? { legend: 'dossier.decide.legend', yes: 'dossier.decide.approve', no: 'dossier.decide.deny', comment: 'dossier.decide.comment', hint: 'dossier.decide.commentHint', submit: 'dossier.decide.submit', choose: 'dossier.decide.choose', required: 'dossier.decide.commentRequired' } as const
    : { legend: 'dossier.review.legend', yes: 'dossier.review.agree', no: 'dossier.review.disagree', comment: 'dossier.review.comment', hint: 'dossier.review.commentHint', submit: 'dossier.review.submit', choose: 'dossier.review.choose', required: 'dossier.review.commentRequired' } as const;
  const labels = { opinion: t(k.legend), decision: t(k.legend), comment: t(k.comment) };
  return (
    <form className="form" noValidate onSubmit={(e) => void submit(e)} aria-labelledby="dossier-act-title">
      <ProblemSummary error={withInputs(error)} formId={form} labels={labels} />
      <ChoiceGroup<'yes' | 'no'>
        formId={form}
        name="opinion"
        legend={t(k.legend)}
        error={missing ? t(k.choose) : (errors.opinion ?? errors.decision)}
        value={choice}
        onChange={(v) => {
          setChoice(v);
          setMissing(false);
          setCommentMissing(false);
          setError(undefined);
        }}
        options={[
          { value: 'yes', label: t(k.yes) },
          { value: 'no', label: t(k.no) },
        ]}
      />
      <TextAreaField
        formId={form}
        name="comment"
        label={t(k.comment)}
        hint={t(k.hint)}
        required={choice === 'no'}
        value={comment}
        onChange={(v) => {
          setComment(v);
          setCommentMissing(false);
        }}
        error={commentMissing ? t(k.required) : errors.comment}
      />
      <div className="button-row">
        <button type="submit" className="button" disabled={busy}>
          {busy ? t('common.saving') : t(k.submit)}
        </button>
      </div>
    </form>
  );
}
