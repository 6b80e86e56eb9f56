// The working-day calendar: a year's holiday arrangement as twelve month grids and a list,
// whether the year is entered (and from which notice), and a deadline calculator. Every
// member of staff reads it; the platform admin sets and clears days and marks a year entered.
import { useMemo, useState } from 'react';
import { asApiError, type ApiError } from '../../api.ts';
import { ConfirmDialog, FormDialog } from '../../components/confirm-dialog.tsx';
import { DataTable, RowAction, type Column } from '../../components/data-table.tsx';
import { ErrorSummary, Notice, SelectField } from '../../components/forms.tsx';
import { PageTitle } from '../../components/page.tsx';
import { Loaded } from '../../components/status.tsx';
import { formatDateTime, localName } from '../../format.ts';
import { useResource } from '../../hooks.ts';
import { useI18n } from '../../i18n/index.tsx';
import { navigate, useLocation } from '../../router.tsx';
import { hasAnyRole, useCurrentSession } from '../../session.tsx';
import { calendarApi, type CalendarDay, type YearView } from './api.ts';
import './calendar.css';
import { chinaToday, dateFormats, yearOf, type CivilDate } from './dates.ts';
import { DayForm } from './day-form.tsx';
import { statusMark, statusOf } from './day-status.ts';
import { DeadlineCalculator } from './deadline-calculator.tsx';
import { YearForm } from './year-form.tsx';
import { YearGrid } from './year-grid.tsx';

const FIRST_YEAR = 1949;
const LAST_YEAR = 2200;

function askedYear(search: URLSearchParams, fallback: number): number {
  const year = Number(search.get('year'));
  return Number.isInteger(year) && year >= FIRST_YEAR && year <= LAST_YEAR ? year : fallback;
}

export function CalendarPage() {
  const { t, lang } = useI18n();
  const session = useCurrentSession();
  const admin = hasAnyRole(session, 'platform_admin');
  const { search } = useLocation();
  const today = chinaToday();
  const currentYear = yearOf(today);
  const year = askedYear(search, currentYear);
  const formats = useMemo(() => dateFormats(lang), [lang]);

  const years = useResource(() => calendarApi.years(), 'calendar-years');
  const view = useResource(() => calendarApi.year(year), `calendar-year-${year}`);
  const [calendarVersion, setCalendarVersion] = useState(0);
  const [editing, setEditing] = useState<CivilDate | undefined>();
  const [clearing, setClearing] = useState<CalendarDay | undefined>();
  const [notice, setNotice] = useState<string | undefined>();
  const [actionError, setActionError] = useState<ApiError | undefined>();

  const shown = view.data?.year === year ? view.data : undefined;
  const special = useMemo(() => new Map((shown?.days ?? []).map((day) => [day.date, day])), [shown]);
  const yearOptions = [...new Set([...(years.data ?? []).map((y) => y.year), currentYear, currentYear + 1, year])].sort((a, b) => a - b);

  /** After a change: say what changed, read the year again, and count the calculator's deadline again. */
  function changed(message: string) {
    setNotice(message);
    setActionError(undefined);
    view.reload();
    years.reload();
    setCalendarVersion((v) => v + 1);
  }

  async function clear(day: CalendarDay) {
    setClearing(undefined);
    setNotice(undefined);
    try {
      await calendarApi.clearDay(day.date);
      changed(t('calendar.day.cleared', { date: formats.long(day.date) }));
    } catch (error) {
      setActionError(asApiError(error));
    }
  }

  function yearSaved(next: YearView, wasEntered: boolean) {
    changed(t(wasEntered ? 'calendar.enter.updated' : 'calendar.enter.done', { year: next.year }));
  }

  const columns: Column<CalendarDay>[] = [
    { header: t('calendar.col.date'), cell: (day) => <span data-date={day.date}>{formats.medium(day.date)}</span> },
    {
      header: t('calendar.col.kind'),
      cell: (day) => (
        <span className={`cal-kind cal-${day.kind}`}>
          <span aria-hidden="true">{statusMark(t, statusOf(day.date, day, lang))} </span>
          {t(`calendar.kind.${day.kind}`)}
        </span>
      ),
    },
    { header: t('calendar.col.name'), cell: (day) => localName(day, lang) },
    { header: t('calendar.col.updated'), className: 'small', cell: (day) => t('calendar.col.updatedValue', { by: day.updatedBy, at: formatDateTime(day.updatedAt, lang) }) },
  ];
  if (admin) columns.push({ header: t('common.actions'), className: 'actions', cell: (day) => <RowAction label={t('calendar.day.change')} subject={formats.long(day.date)} onClick={() => setEditing(day.date)} /> });

  const source = shown?.entered ? localName({ nameZh: shown.sourceZh ?? '', nameEn: shown.sourceEn ?? '' }, lang) : '';
  return (
    <>
      <PageTitle>{t('calendar.title')}</PageTitle>
      <p className="lead">{t('calendar.intro')}</p>

      <section className="panel" aria-labelledby="calendar-year-title">
        <h2 id="calendar-year-title">{t('calendar.year.title', { year })}</h2>
        <div className="filters">
          <SelectField formId="calendar" name="year" label={t('calendar.year.label')} value={String(year)} onChange={(value) => navigate(`/calendar?year=${value}`)} options={yearOptions.map((y) => ({ value: String(y), label: String(y) }))} />
        </div>
        {shown &&
          (shown.entered ? (
            <div data-testid="calendar-year-status">
              <p>{t('calendar.year.entered', { year, source })}</p>
              {shown.updatedBy && shown.updatedAt && <p className="muted small">{t('calendar.year.changed', { by: shown.updatedBy, at: formatDateTime(shown.updatedAt, lang) })}</p>}
            </div>
          ) : (
            <p className="callout" data-testid="calendar-year-status">
              {t('calendar.year.notEntered', { year })}
            </p>
          ))}
        {admin && shown && <YearForm key={`${year}-${shown.updatedAt ?? ''}`} view={shown} onSaved={yearSaved} />}
      </section>

      <section className="panel" aria-labelledby="calendar-months-title" aria-busy={view.loading}>
        <h2 id="calendar-months-title">{t('calendar.months.title', { year })}</h2>
        <p className="hint">{t(admin ? 'calendar.months.helpEdit' : 'calendar.months.helpRead')}</p>
        <Legend />
        <Notice>{notice}</Notice>
        <ErrorSummary error={actionError} />
        <Loaded resource={view}>{() => <YearGrid key={year} year={year} days={special} today={today} onChoose={admin ? setEditing : undefined} />}</Loaded>
      </section>

      <section className="panel" aria-labelledby="calendar-list-title">
        <h2 id="calendar-list-title">{t('calendar.list.title', { year })}</h2>
        {shown && <DataTable items={shown.days} columns={columns} rowKey={(day) => day.date} empty={t('calendar.list.empty')} compact />}
      </section>

      <section className="panel" aria-labelledby="calendar-deadline-title">
        <h2 id="calendar-deadline-title">{t('calendar.deadline.title')}</h2>
        <DeadlineCalculator calendarVersion={calendarVersion} />
      </section>

      {admin && (
        <>
          <FormDialog open={editing !== undefined} title={editing ? t('calendar.day.title', { date: formats.long(editing) }) : ''} onClose={() => setEditing(undefined)}>
            {editing && (
              <DayForm
                key={editing}
                date={editing}
                special={special.get(editing)}
                onSaved={(day) => {
                  setEditing(undefined);
                  changed(t('calendar.day.saved', { date: formats.long(day.date), kind: t(`calendar.kind.${day.kind}`), name: localName(day, lang) }));
                }}
                onClear={() => {
                  setClearing(special.get(editing));
                  setEditing(undefined);
                }}
                onCancel={() => setEditing(undefined)}
              />
            )}
          </FormDialog>
          <ConfirmDialog
            open={clearing !== undefined}
            danger
            message={clearing ? t('calendar.day.confirmClear', { date: formats.long(clearing.date), name: localName(clearing, lang) }) : ''}
            confirmLabel={t('calendar.day.clear')}
            onConfirm={() => clearing && void clear(clearing)}
            onCancel={() => setClearing(undefined)}
          />
        </>
      )}
    </>
  );
}

/** What the colours and marks of the grid mean, with the same classes as the cells. */
function Legend() {
  const { t } = useI18n();
  const items = [
    { className: 'cal-working', mark: '', label: t('calendar.kind.working') },
    { className: 'cal-weekend', mark: '', label: t('calendar.kind.weekend') },
    { className: 'cal-holiday', mark: t('calendar.mark.holiday'), label: t('calendar.kind.holiday') },
    { className: 'cal-workday', mark: t('calendar.mark.workday'), label: t('calendar.kind.workday') },
    { className: 'cal-working cal-today', mark: '', label: t('calendar.legend.today') },
  ];
  return (
    <div className="cal-legend">
      <h3>{t('calendar.legend.title')}</h3>
      <ul>
        {items.map((item) => (
          <li key={item.label}>
            <span className={`cal-swatch ${item.className}`} aria-hidden="true">
              {item.mark}
            </span>
            {item.label}
          </li>
        ))}
      </ul>
    </div>
  );
}
