// Life events of the population registry as small forms: a birth registers a new person; a
// death, a move, a marriage or a divorce changes the person (and a spouse) as new versions
// that carry the event. The server decides what each event changes; the form asks only
// for what the event needs.
import { useState } from 'react';
import { FormButtons } from '../../../components/form-buttons.tsx';
import { TextAreaField, TextField } from '../../../components/forms.tsx';
import { useSubmit } from '../../../components/use-submit.ts';
import { useI18n, type MessageKey } from '../../../i18n/index.tsx';
import { registriesApi, type LifeEventType, type RecordView, type RegistryDetail } from './api.ts';
import { RecordErrorSummary } from './errors.tsx';
import { fromFormValues, labelsOf, problemsByField, type FormValues } from './fields.ts';
import { RecordFields } from './record-fields.tsx';

/** The fields each event asks for, beyond its date and reason. */
const EVENT_FIELDS: Record<Exclude<LifeEventType, 'birth'>, string[]> = {
  death: [],
  move: ['hukouDivision', 'hukouAddress', 'currentDivision', 'currentAddress'],
  marriage: ['spouseId'],
  divorce: [],
};

/** A birth sets these itself: the date of birth is the event's, the status is living. */
const NOT_AT_BIRTH = new Set(['birthDate', 'status', 'deathDate', 'spouseId']);

const DATE = 'date' as 'text';
const today = () => new Date().toLocaleDateString('sv-SE');

type Props = {
  definition: RegistryDetail;
  type: LifeEventType;
  /** The person the event is about (all but a birth). */
  record?: RecordView;
  /** Pre-filled fields of the newborn (a parent's ID number). */
  initial?: FormValues;
  onDone: (changed: RecordView[]) => void;
  onCancel: () => void;
};

export function LifeEventForm({ definition, type, record, initial, onDone, onCancel }: Props) {
  const { t, lang, lookup } = useI18n();
  const formId = `event-${type}`;
  const [date, setDate] = useState(today);
  const [reason, setReason] = useState('');
  const [values, setValues] = useState<FormValues>(() => (type === 'birth' ? { maritalStatus: '10', ...initial } : {}));
  // An event changes only what it is given: its fields are optional, but for a marriage's spouse.
  const fields =
    type === 'birth'
      ? definition.fields.filter((f) => !NOT_AT_BIRTH.has(f.name))
      : EVENT_FIELDS[type].flatMap((n) => definition.fields.filter((f) => f.name === n)).map((f) => ({ ...f, required: type === 'marriage' }));
  const { error, busy, submit } = useSubmit(async () => {
    const data = fromFormValues(fields, values);
    const body: Record<string, unknown> = { type, date, reason: reason.trim() || undefined };
    if (type === 'birth') body.person = { ...data, birthDate: date };
    else Object.assign(body, { idNumber: record!.key, version: record!.version }, data);
    onDone(await registriesApi.lifeEvent(body));
  });
  const labels = { ...labelsOf(definition, lang), date: t('records.event.date'), reason: t('records.event.reason') };
  const errors = problemsByField(lookup, error);
  return (
    <form className="form" onSubmit={submit} noValidate>
      <RecordErrorSummary error={error} formId={formId} labels={labels} />
      <p className="muted">{t(`records.event.${type}Intro` as MessageKey)}</p>
      <TextField formId={formId} name="date" type={DATE} label={labels.date} required value={date} onChange={setDate} error={errors.date ?? (type === 'birth' ? errors.birthDate : undefined)} />
      {fields.length > 0 && <RecordFields formId={formId} fields={fields} values={values} onChange={(name, value) => setValues((v) => ({ ...v, [name]: value }))} errors={errors} />}
      <TextAreaField formId={formId} name="reason" label={labels.reason} hint={t('records.event.reasonHint')} value={reason} onChange={setReason} error={errors.reason} />
      <FormButtons busy={busy} submitLabel={t(`records.event.submit.${type}` as MessageKey)} onCancel={onCancel} />
    </form>
  );
}
