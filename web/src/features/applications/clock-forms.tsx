// The approving officer's hold on the statutory clock, each sent with the application's
// version and told to the applicant: extend once (the reason in both languages), suspend for a
// hearing, testing, expert review or inspection (with a note), and resume.
import { useState } from 'react';
import type { ApiError } from '../../api.ts';
import { SelectField, TextAreaField } from '../../components/forms.tsx';
import { useSubmit } from '../../components/use-submit.ts';
import { formatDate } from '../../format.ts';
import { useI18n } from '../../i18n/index.tsx';
import { ProblemSummary } from '../registries/errors.tsx';
import { applicationsApi, type DossierView, type SuspensionReason } from './api.ts';
import { errorsByInput, isStale, withInputs } from './problems.ts';
import { SUSPENSION_LABELS, SUSPENSION_REASONS } from './labels.ts';

type Props = { view: DossierView; onDone: (view: DossierView, message: string) => void; onStale: (error: ApiError) => void };

function useClockAction(onStale: Props['onStale'], run: () => Promise<void>) {
  return useSubmit(async () => {
    try {
      await run();
    } catch (e) {
      if (isStale(e as ApiError)) onStale(e as ApiError);
      else throw e;
    }
  });
}

const dueText = (view: DossierView, lang: 'zh-CN' | 'en') => (view.clock?.dueDate ? formatDate(`${view.clock.dueDate}T12:00:00`, lang) : '—');

function ExtendForm({ view, onDone, onStale }: Props) {
  const { t, lang, lookup } = useI18n();
  const form = 'extend';
  const [reason, setReason] = useState({ reasonZh: '', reasonEn: '' });
  const { error, busy, submit } = useClockAction(onStale, async () => {
    const next = await applicationsApi.extend(view.id, view.version, reason.reasonZh, reason.reasonEn);
    onDone(next, t('dossier.extend.done', { date: dueText(next, lang) }));
  });
  const errors = errorsByInput(lookup, error);
  const labels = { reasonZh: t('dossier.extend.reasonZh'), reasonEn: t('dossier.extend.reasonEn') };
  return (
    <form className="form clock-form" noValidate onSubmit={(e) => void submit(e)} aria-labelledby="extend-title">
      <h3 id="extend-title">{t('dossier.extend.title')}</h3>
      <p className="hint">{t('dossier.extend.hint')}</p>
      <ProblemSummary error={withInputs(error)} formId={form} labels={labels} />
      <TextAreaField formId={form} name="reasonZh" label={labels.reasonZh} required value={reason.reasonZh} onChange={(v) => setReason((r) => ({ ...r, reasonZh: v }))} error={errors.reasonZh} />
      <TextAreaField formId={form} name="reasonEn" label={labels.reasonEn} required value={reason.reasonEn} onChange={(v) => setReason((r) => ({ ...r, reasonEn: v }))} error={errors.reasonEn} />
      <div className="button-row">
        <button type="submit" className="button" disabled={busy}>
          {busy ? t('common.saving') : t('dossier.extend.submit')}
        </button>
      </div>
    </form>
  );
}

function SuspendForm({ view, onDone, onStale }: Props) {
  const { t, lookup } = useI18n();
  const form = 'suspend';
  const [values, setValues] = useState<{ reason: SuspensionReason; noteZh: string; noteEn: string }>({ reason: 'hearing', noteZh: '', noteEn: '' });
  const { error, busy, submit } = useClockAction(onStale, async () => {
    onDone(await applicationsApi.suspend(view.id, view.version, values.reason, values.noteZh, values.noteEn), t('dossier.suspend.done'));
  });
  const errors = errorsByInput(lookup, error);
  const labels = { reason: t('dossier.suspend.reason'), noteZh: t('dossier.suspend.noteZh'), noteEn: t('dossier.suspend.noteEn') };
  return (
    <form className="form clock-form" noValidate onSubmit={(e) => void submit(e)} aria-labelledby="suspend-title">
      <h3 id="suspend-title">{t('dossier.suspend.title')}</h3>
      <ProblemSummary error={withInputs(error)} formId={form} labels={labels} />
      <SelectField formId={form} name="reason" label={labels.reason} required value={values.reason} onChange={(v) => setValues((s) => ({ ...s, reason: v as SuspensionReason }))} options={SUSPENSION_REASONS.map((r) => ({ value: r, label: t(SUSPENSION_LABELS[r]) }))} error={errors.reason} />
      <TextAreaField formId={form} name="noteZh" label={labels.noteZh} value={values.noteZh} onChange={(v) => setValues((s) => ({ ...s, noteZh: v }))} error={errors.noteZh} />
      <TextAreaField formId={form} name="noteEn" label={labels.noteEn} value={values.noteEn} onChange={(v) => setValues((s) => ({ ...s, noteEn: v }))} error={errors.noteEn} />
      <div className="button-row">
        <button type="submit" className="button" disabled={busy}>
          {busy ? t('common.saving') : t('dossier.suspend.submit')}
        </button>
      </div>
    </form>
  );
}

function ResumeForm({ view, onDone, onStale }: Props) {
  const { t, lang } = useI18n();
  const { error, busy, submit } = useClockAction(onStale, async () => {
    const next = await applicationsApi.resume(view.id, view.version);
    onDone(next, t('dossier.resume.done', { date: dueText(next, lang) }));
  });
  return (
    <form className="form clock-form" noValidate onSubmit={(e) => void submit(e)} aria-labelledby="resume-title">
      <h3 id="resume-title">{t('dossier.resume.title')}</h3>
      <p className="hint">{t('dossier.resume.hint')}</p>
      <ProblemSummary error={error} formId="resume" labels={{}} />
      <div className="button-row">
        <button type="submit" className="button" disabled={busy}>
          {busy ? t('common.saving') : t('dossier.resume.submit')}
        </button>
      </div>
    </form>
  );
}

/** The clock's actions an approving officer may take now. */
export function ClockActions(props: Props) {
  const { t } = useI18n();
  const clock = props.view.clock;
  if (props.view.status !== 'in_review' || !clock) return null;
  const suspended = clock.warning === 'suspended';
  return (
    <section className="panel" aria-labelledby="dossier-clock-title">
      <h2 id="dossier-clock-title">{t('dossier.clockAct.title')}</h2>
      <p className="hint">{t('dossier.clockAct.intro')}</p>
      <div className="clock-actions">
        {suspended ? <ResumeForm {...props} /> : <SuspendForm {...props} />}
        {clock.extended ? <p>{t('dossier.extend.used')}</p> : !suspended && <ExtendForm {...props} />}
      </div>
    </section>
  );
}
