// Observations one at a time: the keepers publish a value for an indicator, a division and a
// period, or revise it (a changed value or status is a new revision, kept with its reason and
// who published it); everyone can list an observation's revisions, as published one after the
// other.
import { useState, type FormEvent } from 'react';
import { FormButtons } from '../../../components/form-buttons.tsx';
import { SelectField, TextAreaField, TextField, fieldId } from '../../../components/forms.tsx';
import { useSubmit } from '../../../components/use-submit.ts';
import { formatDateTime } from '../../../format.ts';
import { useResource } from '../../../hooks.ts';
import { useI18n, type Lang, type MessageKey, type Translate } from '../../../i18n/index.tsx';
import { DivisionLookup } from '../../organizations/division-lookup.tsx';
import { ProblemLoadError, ProblemSummary } from '../errors.tsx';
import { problemsByField } from '../problems.ts';
import { macroApi, type Indicator, type Observation, type ObservationKey, type Revision } from './api.ts';

const STATUSES = ['A', 'P', 'E', 'F'] as const;
export const statusLabel = (t: Translate, status: string) => ((STATUSES as readonly string[]).includes(status) ? t(`macro.status.${status}` as MessageKey) : status);
const indicatorOption = (lang: Lang) => (i: Indicator) => ({ value: i.code, label: `${lang === 'en' ? i.nameEn : i.nameZh} (${i.code})` });
const periodHint = (t: Translate, indicator: Indicator | undefined) => t(indicator?.frequency === 'Q' ? 'macro.obs.periodHintQ' : indicator?.frequency === 'M' ? 'macro.obs.periodHintM' : 'macro.obs.periodHintA');

/** The indicator, division and period inputs both forms share. */
function KeyInputs({ formId, indicators, value, onChange, errors }: { formId: string; indicators: Indicator[]; value: ObservationKey; onChange: (key: ObservationKey) => void; errors: Record<string, string> }) {
  const { t, lang } = useI18n();
  const indicator = indicators.find((i) => i.code === value.indicator);
  const lookupId = `${fieldId(formId, 'region')}-lookup`;
  return (
    <div className="form-grid">
      <SelectField formId={formId} name="indicator" label={t('macro.obs.indicator')} required value={value.indicator} onChange={(v) => onChange({ ...value, indicator: v })} options={indicators.map(indicatorOption(lang))} error={errors.indicator} />
      <div>
        <TextField formId={formId} name="region" label={t('macro.obs.region')} hint={t('macro.obs.regionHint')} required value={value.region} onChange={(v) => onChange({ ...value, region: v })} error={errors.region} inputMode="numeric" maxLength={6} autoComplete="off" spellCheck={false} describedById={lookupId} />
        <DivisionLookup query={value.region} onPick={(code) => onChange({ ...value, region: code })} id={lookupId} />
      </div>
      <TextField formId={formId} name="period" label={t('macro.obs.period')} hint={periodHint(t, indicator)} required value={value.period} onChange={(v) => onChange({ ...value, period: v })} error={errors.period} autoComplete="off" spellCheck={false} />
    </div>
  );
}

type SavedObservation = { observation: Observation; changed: boolean };

export function ObservationForm({ indicators, initial, onSaved, onCancel }: { indicators: Indicator[]; initial: ObservationKey; onSaved: (saved: SavedObservation) => void; onCancel: () => void }) {
  const { t, lang, lookup } = useI18n();
  const formId = 'macro-observation';
  const [key, setKey] = useState<ObservationKey>(() => ({ ...initial, indicator: initial.indicator || indicators[0]?.code || '' }));
  const [value, setValue] = useState('');
  const [status, setStatus] = useState('A');
  const [reason, setReason] = useState('');
  const { error, busy, submit } = useSubmit(async () => {
    onSaved(await macroApi.setObservation({ indicator: key.indicator, region: key.region.trim(), period: key.period.trim(), value: value.trim(), status, reason: reason.trim() }));
  });
  const errors = problemsByField(lookup, error);
  const labels = { indicator: t('macro.obs.indicator'), region: t('macro.obs.region'), period: t('macro.obs.period'), value: t('macro.obs.value'), status: t('macro.obs.status'), reason: t('macro.obs.reason') };
  const indicator = indicators.find((i) => i.code === key.indicator);
  const unit = indicator ? (lang === 'en' ? indicator.unitEn : indicator.unitZh) : '—';
  return (
    <form className="form" onSubmit={(e) => void submit(e)} noValidate aria-describedby={error ? `${formId}-errors` : undefined} data-testid={formId}>
      <ProblemSummary error={error} formId={formId} labels={labels} />
      <KeyInputs formId={formId} indicators={indicators} value={key} onChange={setKey} errors={errors} />
      <div className="form-grid">
        <TextField formId={formId} name="value" label={labels.value} hint={t('macro.obs.valueHint', { unit })} required value={value} onChange={setValue} error={errors.value} autoComplete="off" spellCheck={false} />
        <SelectField formId={formId} name="status" label={labels.status} value={status} onChange={setStatus} error={errors.status} options={STATUSES.map((s) => ({ value: s, label: `${t(`macro.status.${s}`)} (${s})` }))} />
      </div>
      <TextAreaField formId={formId} name="reason" label={labels.reason} hint={t('macro.obs.reasonHint')} required value={reason} onChange={setReason} error={errors.reason} />
      <FormButtons busy={busy} submitLabel={t('macro.obs.submit')} onCancel={onCancel} />
    </form>
  );
}

/** An observation's revisions, newest first; the key comes from the form here or from a save. */
export function Revisions({ indicators, shown, suggested, refreshKey, onShow }: { indicators: Indicator[]; shown: ObservationKey | undefined; suggested: ObservationKey; refreshKey: number; onShow: (key: ObservationKey) => void }) {
  const { t, lang, lookup } = useI18n();
  const formId = 'macro-revisions';
  // Until something is typed, the inputs follow the chart's choice, then the observation last saved.
  const [typed, setTyped] = useState<ObservationKey | undefined>();
  const [shownFor, setShownFor] = useState(shown);
  if (shown !== shownFor) {
    setShownFor(shown);
    setTyped(undefined);
  }
  const key = typed ?? shown ?? { ...suggested, indicator: suggested.indicator || indicators[0]?.code || '' };
  const revisions = useResource<Revision[] | undefined>(() => (shown ? macroApi.revisions(shown) : Promise.resolve(undefined)), shown ? `${shown.indicator}|${shown.region}|${shown.period}|${refreshKey}` : '');
  const answer = revisions.loading ? undefined : { items: revisions.data, error: revisions.error };
  const show = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    onShow({ indicator: key.indicator, region: key.region.trim(), period: key.period.trim() });
  };
  const errors = problemsByField(lookup, answer?.error);
  const indicator = indicators.find((i) => i.code === shown?.indicator);
  const number = new Intl.NumberFormat(lang, { minimumFractionDigits: indicator?.decimals ?? 0, maximumFractionDigits: Math.max(indicator?.decimals ?? 0, 6) });
  return (
    <section className="panel" aria-labelledby="macro-revisions-title">
      <h2 id="macro-revisions-title">{t('macro.revisions.title')}</h2>
      <p>{t('macro.revisions.intro')}</p>
      <form className="form" onSubmit={show} noValidate>
        <KeyInputs formId={formId} indicators={indicators} value={key} onChange={setTyped} errors={errors} />
        <div className="button-row">
          <button type="submit" className="button button-secondary">
            {t('macro.revisions.show')}
          </button>
        </div>
      </form>
      <div aria-live="polite">
        {answer?.error && (answer.error.errors.length > 0 ? <ProblemSummary error={answer.error} formId={formId} labels={{ indicator: t('macro.obs.indicator'), region: t('macro.obs.region'), period: t('macro.obs.period') }} /> : <ProblemLoadError error={answer.error} />)}
        {shown && answer?.items && (
          <div className="table-wrap">
            <table className="table table-compact" data-testid="macro-revisions">
              <caption>{t('macro.revisions.caption', { indicator: shown.indicator, region: shown.region, period: shown.period })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('macro.revisions.revision')}</th>
                  <th scope="col" className="num">
                    {t('macro.revisions.value')}
                  </th>
                  <th scope="col">{t('macro.revisions.status')}</th>
                  <th scope="col">{t('macro.revisions.when')}</th>
                  <th scope="col">{t('macro.revisions.who')}</th>
                  <th scope="col">{t('macro.revisions.source')}</th>
                  <th scope="col">{t('macro.revisions.reason')}</th>
                </tr>
              </thead>
              <tbody>
                {[...answer.items].sort((a, b) => b.revision - a.revision).map((r) => (
                  <tr key={r.revision}>
                    <th scope="row" className="num">
                      {r.revision}
                    </th>
                    <td className="num">{number.format(r.value)}</td>
                    <td>{statusLabel(t, r.status)}</td>
                    <td className="nowrap">{formatDateTime(r.publishedAt, lang)}</td>
                    <td>{r.actorName}</td>
                    <td>
                      {r.source === 'workbench' ? t('macro.revisions.sourceWorkbench') : r.source}
                      {r.importId && <div className="muted small mono">{r.importId}</div>}
                    </td>
                    <td>{r.reason}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>
    </section>
  );
}
