// The platform admin's form for a new crossing rule. The server checks everything (zones that
// differ, a pattern without spaces, at least one classification) and names the field; the form
// only shows what it says beside that field, so the rules live in one place.
import { useState } from 'react';
import { api, type Classification, type CrossingRule, type NodeView } from '../../api.ts';
import { CheckboxGroup, ErrorSummary, fieldErrors, SelectField, TextField } from '../../components/forms.tsx';
import { useSubmit } from '../../components/use-submit.ts';
import { useI18n } from '../../i18n/index.tsx';
import { classificationLabel, CLASSIFICATIONS, zoneLabel, ZONES } from './labels.ts';

const FORM = 'crossing-rule';
type Zone = NodeView['zone'];

export function CrossingRuleForm({ onAdded }: { onAdded: (rule: CrossingRule) => void }) {
  const { t, lookup } = useI18n();
  const [fromZone, setFromZone] = useState<Zone>('internal');
  const [toZone, setToZone] = useState<Zone>('external');
  const [servicePattern, setServicePattern] = useState('');
  // Nothing ticked: which data may leave a network is a choice to make, not a default.
  const [classifications, setClassifications] = useState<Classification[]>([]);

  const { error, busy, submit } = useSubmit(async () => {
    const rule = await api.post<CrossingRule>('/api/exchange/crossing-rules', { fromZone, toZone, servicePattern: servicePattern.trim(), classifications });
    setServicePattern('');
    setClassifications([]);
    onAdded(rule);
  });
  const labels = { fromZone: t('exchange.crossing.fromZone'), toZone: t('exchange.crossing.toZone'), servicePattern: t('exchange.crossing.pattern'), classifications: t('exchange.crossing.classifications') };
  const errors = fieldErrors(lookup, error);
  const zoneOptions = ZONES.map((z) => ({ value: z, label: t(zoneLabel(z)) }));

  return (
    <div className="subform">
      <h3 id="crossing-add-title">{t('exchange.crossing.add')}</h3>
      <ErrorSummary error={error} formId={FORM} labels={labels} />
      <form onSubmit={submit} noValidate className="form-grid" aria-labelledby="crossing-add-title">
        <SelectField formId={FORM} name="fromZone" label={labels.fromZone} value={fromZone} onChange={(v) => setFromZone(v as Zone)} options={zoneOptions} required error={errors.fromZone} />
        <SelectField formId={FORM} name="toZone" label={labels.toZone} value={toZone} onChange={(v) => setToZone(v as Zone)} options={zoneOptions} required error={errors.toZone} />
        <TextField formId={FORM} name="servicePattern" label={labels.servicePattern} hint={t('exchange.crossing.patternHint')} value={servicePattern} onChange={setServicePattern} required maxLength={1024} spellCheck={false} error={errors.servicePattern} className="crossing-wide" />
        <CheckboxGroup
          formId={FORM}
          name="classifications"
          legend={labels.classifications}
          options={CLASSIFICATIONS.map((c) => ({ value: c, label: t(classificationLabel(c)) }))}
          values={classifications}
          onChange={(values) => setClassifications(values as Classification[])}
          error={errors.classifications}
        />
        <div className="button-row">
          <button type="submit" className="button" disabled={busy}>
            {busy ? t('common.saving') : t('exchange.crossing.add')}
          </button>
        </div>
      </form>
    </div>
  );
}
