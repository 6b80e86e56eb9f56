// A start in China time and a number of working days → when the period runs out, counted by
// the server with the calendar as it is now (and counted again when the calendar changes on
// this page), flagged unconfirmed when it reaches into a year not entered.
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { asApiError, type ApiError } from '../../api.ts';
import { ErrorSummary, fieldErrors, fieldId, TextField } from '../../components/forms.tsx';
import { useI18n } from '../../i18n/index.tsx';
import { calendarApi, type Deadline } from './api.ts';
import { chinaInputToIso, chinaNowInput, dateFormats } from './dates.ts';

const FORM = 'calendar-deadline';

type Query = { from: string; workingDays: number };

export function DeadlineCalculator({ calendarVersion }: { calendarVersion: number }) {
  const { t, lang, lookup } = useI18n();
  const formats = useMemo(() => dateFormats(lang), [lang]);
  const [from, setFrom] = useState(() => chinaNowInput());
  const [days, setDays] = useState('20');
  const [invalid, setInvalid] = useState<Record<string, string>>({});
  const [query, setQuery] = useState<Query | undefined>();
  const [outcome, setOutcome] = useState<{ deadline?: Deadline; error?: ApiError }>({});

  useEffect(() => {
    if (!query) return;
    let current = true;
    calendarApi
      .deadline(query.from, query.workingDays)
      .then((deadline) => current && setOutcome({ deadline }))
      .catch((error: unknown) => current && setOutcome({ error: asApiError(error) }));
    return () => {
      current = false;
    };
  }, [query, calendarVersion]);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const iso = chinaInputToIso(from);
    const workingDays = Number(days.trim());
    const problems: Record<string, string> = {};
    if (!iso) problems.from = t('calendar.deadline.fromRequired');
    if (!/^\d+$/.test(days.trim()) || workingDays < 1 || workingDays > 1000) problems.workingDays = t('calendar.deadline.daysRange');
    setInvalid(problems);
    const first = Object.keys(problems)[0];
    if (first) {
      document.getElementById(fieldId(FORM, first))?.focus();
      return;
    }
    setQuery({ from: iso!, workingDays });
  }

  const labels = { from: t('calendar.deadline.from'), workingDays: t('calendar.deadline.days') };
  const errors = { ...fieldErrors(lookup, outcome.error), ...invalid };
  const deadline = outcome.deadline;
  return (
    <>
      <p>{t('calendar.deadline.intro')}</p>
      <ErrorSummary error={outcome.error} formId={FORM} labels={labels} />
      <form className="filters" onSubmit={submit} noValidate>
        <TextField formId={FORM} name="from" type="datetime-local" label={labels.from} hint={t('calendar.deadline.fromHint')} value={from} onChange={setFrom} required error={errors.from} />
        <TextField formId={FORM} name="workingDays" type="number" inputMode="numeric" min={1} max={1000} label={labels.workingDays} value={days} onChange={setDays} required error={errors.workingDays} />
        <div className="button-row filters-buttons">
          <button type="submit" className="button">
            {t('calendar.deadline.submit')}
          </button>
        </div>
      </form>
      <div role="status" data-testid="calendar-deadline-result">
        {deadline && (
          <>
            <h3>{t('calendar.deadline.result')}</h3>
            <dl className="details">
              <div>
                <dt>{t('calendar.deadline.startDate')}</dt>
                <dd data-testid="deadline-start">{formats.long(deadline.startDate)}</dd>
              </div>
              <div>
                <dt>{t('calendar.deadline.dueDate')}</dt>
                <dd data-testid="deadline-due-date" data-date={deadline.dueDate}>
                  {formats.long(deadline.dueDate)}
                </dd>
              </div>
              <div>
                <dt>{t('calendar.deadline.dueAt')}</dt>
                <dd data-testid="deadline-due-at">{t('calendar.deadline.dueAtValue', { time: formats.chinaTime(deadline.dueAt) })}</dd>
              </div>
              <div>
                <dt>{t('calendar.deadline.status')}</dt>
                <dd data-testid="deadline-confirmed">
                  <span className={deadline.confirmed ? 'badge badge-success' : 'badge badge-failure'}>{t(deadline.confirmed ? 'calendar.deadline.confirmed' : 'calendar.deadline.unconfirmed')}</span>{' '}
                  {t(deadline.confirmed ? 'calendar.deadline.confirmedNote' : 'calendar.deadline.unconfirmedNote')}
                </dd>
              </div>
            </dl>
          </>
        )}
      </div>
    </>
  );
}
