// The platform admin's form for one day: a holiday or a weekend day worked, with its names in
// both languages; or, for a day the calendar already names, a way back to the weekday rule
// (the page asks for a confirmation first). The server's field problems show beside their
// fields; the kind's rule (only a Saturday or Sunday can be worked) is the server's.
import { useState } from 'react';
import { FormButtons } from '../../components/form-buttons.tsx';
import { ErrorSummary, fieldErrors, SelectField, TextField } from '../../components/forms.tsx';
import { useSubmit } from '../../components/use-submit.ts';
import { useI18n } from '../../i18n/index.tsx';
import { calendarApi, type CalendarDay } from './api.ts';
import { isWeekend, type CivilDate } from './dates.ts';
import { statusOf, statusText } from './day-status.ts';

const FORM = 'calendar-day';

type Saved = Omit<CalendarDay, 'updatedAt' | 'updatedBy'>;

export function DayForm({ date, special, onSaved, onClear, onCancel }: { date: CivilDate; special: CalendarDay | undefined; onSaved: (day: Saved) => void; onClear: () => void; onCancel: () => void }) {
  const { t, lang, lookup } = useI18n();
  const [kind, setKind] = useState<string>(special?.kind ?? (isWeekend(date) ? 'workday' : 'holiday'));
  const [nameZh, setNameZh] = useState(special?.nameZh ?? '');
  const [nameEn, setNameEn] = useState(special?.nameEn ?? '');
  const { error, busy, submit } = useSubmit(async () => {
    onSaved(await calendarApi.setDay(date, { kind, nameZh: nameZh.trim(), nameEn: nameEn.trim() }));
  });
  const labels = { kind: t('calendar.field.kind'), nameZh: t('calendar.field.nameZh'), nameEn: t('calendar.field.nameEn') };
  const errors = fieldErrors(lookup, error);
  return (
    <form className="form" onSubmit={submit} noValidate>
      <p>{t('calendar.day.now', { status: statusText(t, statusOf(date, special, lang)) })}</p>
      <ErrorSummary error={error} formId={FORM} labels={labels} />
      <SelectField
        formId={FORM}
        name="kind"
        label={labels.kind}
        hint={t('calendar.field.kindHint')}
        value={kind}
        onChange={setKind}
        required
        error={errors.kind}
        options={[
          { value: 'holiday', label: t('calendar.kind.holiday') },
          { value: 'workday', label: t('calendar.kind.workday') },
        ]}
      />
      <TextField formId={FORM} name="nameZh" label={labels.nameZh} hint={t('calendar.field.nameHint')} value={nameZh} onChange={setNameZh} required maxLength={60} error={errors.nameZh} />
      <TextField formId={FORM} name="nameEn" label={labels.nameEn} value={nameEn} onChange={setNameEn} required maxLength={60} error={errors.nameEn} />
      <FormButtons busy={busy} submitLabel={t('common.save')} onCancel={onCancel} />
      {special && (
        <div className="button-row">
          <button type="button" className="button button-danger" onClick={onClear}>
            {t('calendar.day.clear')}
          </button>
        </div>
      )}
    </form>
  );
}
