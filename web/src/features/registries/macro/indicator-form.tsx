// Creating or changing an indicator: its code (fixed once created), names and units in both
// languages, frequency, how it rolls up the division tree, decimals and descriptions. A change
// carries the version read; when someone changed the indicator meanwhile (409) what was typed
// stays, and reading it again takes the other person's values for the inputs not touched here.
// An indicator with no observations can be deleted; one with published figures cannot.
import { useEffect, useRef, useState } from 'react';
import { ApiError, asApiError } from '../../../api.ts';
import { ConfirmDialog } from '../../../components/confirm-dialog.tsx';
import { FormButtons } from '../../../components/form-buttons.tsx';
import { SelectField, TextAreaField, TextField } from '../../../components/forms.tsx';
import { useSubmit } from '../../../components/use-submit.ts';
import { useI18n, type MessageKey } from '../../../i18n/index.tsx';
import { ProblemSummary } from '../errors.tsx';
import { problemsByField } from '../problems.ts';
import { macroApi, type Indicator } from './api.ts';

type Values = Record<'code' | 'nameZh' | 'nameEn' | 'unitZh' | 'unitEn' | 'frequency' | 'aggregation' | 'decimals' | 'descriptionZh' | 'descriptionEn', string>;
type Name = keyof Values;

const FREQUENCIES = ['A', 'Q', 'M'] as const;
const AGGREGATIONS = ['sum', 'mean', 'none'] as const;
const TEXT_FIELDS: { name: Name; label: MessageKey; hint?: MessageKey }[] = [
  { name: 'nameZh', label: 'macro.form.nameZh' },
  { name: 'nameEn', label: 'macro.form.nameEn' },
  { name: 'unitZh', label: 'macro.form.unitZh', hint: 'macro.form.unitHint' },
  { name: 'unitEn', label: 'macro.form.unitEn' },
];

const toValues = (i: Indicator | undefined): Values => ({
  code: i?.code ?? '',
  nameZh: i?.nameZh ?? '',
  nameEn: i?.nameEn ?? '',
  unitZh: i?.unitZh ?? '',
  unitEn: i?.unitEn ?? '',
  frequency: i?.frequency ?? 'A',
  aggregation: i?.aggregation ?? 'sum',
  decimals: String(i?.decimals ?? 2),
  descriptionZh: i?.descriptionZh ?? '',
  descriptionEn: i?.descriptionEn ?? '',
});

type Props = { indicator?: Indicator; onSaved: (indicator: Indicator) => void; onDeleted: (code: string) => void; onCancel: () => void; onReload: () => void };

export function IndicatorForm({ indicator, onSaved, onDeleted, onCancel, onReload }: Props) {
  const { t, lookup } = useI18n();
  const formId = indicator ? 'macro-indicator-edit' : 'macro-indicator-new';
  const [values, setValues] = useState<Values>(() => toValues(indicator));
  const touched = useRef(new Set<Name>());
  const [base, setBase] = useState({ first: indicator?.version, current: indicator?.version });
  useEffect(() => {
    if (!indicator || indicator.version === base.current) return;
    setBase((b) => ({ ...b, current: indicator.version }));
    const fresh = toValues(indicator);
    setValues((typed) => Object.fromEntries(Object.entries(fresh).map(([name, value]) => [name, touched.current.has(name as Name) ? typed[name as Name] : value])) as Values);
  }, [indicator, base]);
  const set = (name: Name) => (value: string) => {
    touched.current.add(name);
    setValues((v) => ({ ...v, [name]: value }));
  };

  const { error, setError, busy, submit } = useSubmit(async () => {
    const decimals = values.decimals.trim();
    if (!/^\d$/.test(decimals) || Number(decimals) > 6) throw new ApiError(400, 'validation_failed', t('macro.form.checkFields'), [{ field: 'decimals', code: 'decimals', message: t('macro.form.decimalsRange') }]);
    const fields = {
      nameZh: values.nameZh.trim(),
      nameEn: values.nameEn.trim(),
      unitZh: values.unitZh.trim(),
      unitEn: values.unitEn.trim(),
      frequency: values.frequency as Indicator['frequency'],
      aggregation: values.aggregation as Indicator['aggregation'],
      decimals: Number(decimals),
      descriptionZh: values.descriptionZh.trim(),
      descriptionEn: values.descriptionEn.trim(),
    };
    onSaved(indicator ? await macroApi.updateIndicator(indicator.code, { ...fields, version: indicator.version }) : await macroApi.createIndicator({ ...fields, code: values.code.trim() }));
  });
  const [confirming, setConfirming] = useState(false);
  const remove = async () => {
    setConfirming(false);
    if (!indicator) return;
    try {
      await macroApi.deleteIndicator(indicator.code, indicator.version);
      onDeleted(indicator.code);
    } catch (e) {
      setError(asApiError(e));
    }
  };

  const errors = problemsByField(lookup, error);
  const labels: Record<string, string> = {
    code: t('macro.form.code'),
    frequency: t('macro.form.frequency'),
    aggregation: t('macro.form.aggregation'),
    decimals: t('macro.form.decimals'),
    descriptionZh: t('macro.form.descriptionZh'),
    descriptionEn: t('macro.form.descriptionEn'),
    ...Object.fromEntries(TEXT_FIELDS.map((f) => [f.name, t(f.label)])),
  };
  return (
    <form className="form" onSubmit={(e) => void submit(e)} noValidate aria-describedby={error ? `${formId}-errors` : undefined} data-testid={formId}>
      <ProblemSummary error={error} formId={formId} labels={labels} staleHint={t('macro.stale')}>
        {error?.code === 'stale_version' && (
          <button
            type="button"
            className="button button-secondary button-small"
            onClick={() => {
              setError(undefined);
              onReload();
            }}
          >
            {t('macro.reloadIndicator')}
          </button>
        )}
      </ProblemSummary>
      {indicator && <p className="muted">{base.current !== base.first ? t('macro.form.reloaded', { version: indicator.version }) : t('macro.form.basedOn', { version: indicator.version })}</p>}
      <div className="form-grid">
        {indicator ? (
          <div className="field">
            <p className="label-row">
              <strong>{labels.code}</strong>
            </p>
            <p className="mono">{indicator.code}</p>
            <p className="hint">{t('macro.form.codeFixed')}</p>
          </div>
        ) : (
          <TextField formId={formId} name="code" label={labels.code} hint={t('macro.form.codeHint')} required value={values.code} onChange={set('code')} error={errors.code} autoComplete="off" spellCheck={false} />
        )}
        {TEXT_FIELDS.map((f) => (
          <TextField key={f.name} formId={formId} name={f.name} label={labels[f.name]} hint={f.hint ? t(f.hint) : undefined} required value={values[f.name]} onChange={set(f.name)} error={errors[f.name]} autoComplete="off" />
        ))}
        <SelectField formId={formId} name="frequency" label={labels.frequency} hint={t('macro.form.frequencyHint')} required value={values.frequency} onChange={set('frequency')} error={errors.frequency} options={FREQUENCIES.map((f) => ({ value: f, label: t(`macro.frequency.${f}`) }))} />
        <SelectField formId={formId} name="aggregation" label={labels.aggregation} hint={t('macro.form.aggregationHint')} required value={values.aggregation} onChange={set('aggregation')} error={errors.aggregation} options={AGGREGATIONS.map((a) => ({ value: a, label: t(`macro.aggregation.${a}`) }))} />
        <TextField formId={formId} name="decimals" label={labels.decimals} hint={t('macro.form.decimalsHint')} required value={values.decimals} onChange={set('decimals')} error={errors.decimals} inputMode="numeric" maxLength={1} autoComplete="off" />
        <TextAreaField formId={formId} name="descriptionZh" className="form-wide" label={labels.descriptionZh} value={values.descriptionZh} onChange={set('descriptionZh')} error={errors.descriptionZh} />
        <TextAreaField formId={formId} name="descriptionEn" className="form-wide" label={labels.descriptionEn} value={values.descriptionEn} onChange={set('descriptionEn')} error={errors.descriptionEn} />
      </div>
      <FormButtons busy={busy} submitLabel={indicator ? t('macro.form.save') : t('macro.form.create')} onCancel={onCancel} />
      {indicator && (
        <>
          <div className="button-row">
            <button type="button" className="button button-danger button-small" onClick={() => setConfirming(true)}>
              {t('macro.form.delete')}
            </button>
          </div>
          <ConfirmDialog open={confirming} danger message={t('macro.form.deleteConfirm', { code: indicator.code })} confirmLabel={t('macro.form.deleteConfirmButton')} onCancel={() => setConfirming(false)} onConfirm={() => void remove()} />
        </>
      )}
    </form>
  );
}
