// A year's twelve months as tables, one per month, with weekday column headers. Each day's
// cell says in words what the day is (shown as a mark and a colour, read out in full, and as
// its tooltip); today is framed and marked aria-current. For the platform admin every day is
// a button, one tab stop for the whole year: the arrow keys move by day and week, Home and End
// within the week, Page Up and Page Down by month, Enter opens the day.
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useI18n } from '../../i18n/index.tsx';
import type { CalendarDay } from './api.ts';
import { addDays, addMonths, dateFormats, dateOf, dayOf, monthOf, monthWeeks, weekdayIndex, yearOf, type CivilDate, type DateFormats } from './dates.ts';
import { statusMark, statusOf, statusText } from './day-status.ts';

type Props = {
  year: number;
  days: ReadonlyMap<CivilDate, CalendarDay>;
  today: CivilDate;
  /** Days are buttons that open the day (the platform admin); otherwise the grid is only read. */
  onChoose?: (date: CivilDate) => void;
};

const MONTHS = Array.from({ length: 12 }, (_, i) => i);

/** Where a key takes the focus from `date`, kept within `date`'s year (Home and End within its month's week). */
function target(key: string, date: CivilDate): CivilDate | undefined {
  const year = yearOf(date);
  const monthStart = dateOf(year, monthOf(date), 1);
  const monthEnd = dateOf(year, monthOf(date) + 1, 0);
  let next: CivilDate;
  switch (key) {
    case 'ArrowLeft': next = addDays(date, -1); break;
    case 'ArrowRight': next = addDays(date, 1); break;
    case 'ArrowUp': next = addDays(date, -7); break;
    case 'ArrowDown': next = addDays(date, 7); break;
    case 'Home': next = [addDays(date, -weekdayIndex(date)), monthStart].sort()[1]; break;
    case 'End': next = [addDays(date, 6 - weekdayIndex(date)), monthEnd].sort()[0]; break;
    case 'PageUp': next = addMonths(date, -1); break;
    case 'PageDown': next = addMonths(date, 1); break;
    default: return undefined;
  }
  // Civil dates compare as strings.
  return [dateOf(year, 0, 1), next, dateOf(year, 11, 31)].sort()[1];
}

export function YearGrid({ year, days, today, onChoose }: Props) {
  const { lang } = useI18n();
  const formats = useMemo(() => dateFormats(lang), [lang]);
  const [active, setActive] = useState<CivilDate>(yearOf(today) === year ? today : dateOf(year, 0, 1));
  const buttons = useRef(new Map<CivilDate, HTMLButtonElement>());
  const moved = useRef(false);

  useEffect(() => {
    if (!moved.current) return;
    moved.current = false;
    buttons.current.get(active)?.focus();
  }, [active]);

  function onKeyDown(event: KeyboardEvent<HTMLButtonElement>, date: CivilDate) {
    const next = target(event.key, date);
    if (!next) return;
    event.preventDefault();
    if (next === date) return;
    moved.current = true;
    setActive(next);
  }

  const register = (date: CivilDate) => (element: HTMLButtonElement | null) => {
    if (!element) return;
    buttons.current.set(date, element);
    return () => {
      buttons.current.delete(date);
    };
  };

  return (
    <div className="cal-months">
      {MONTHS.map((month) => (
        <table key={month} className="cal-month" data-testid={`calendar-month-${month + 1}`}>
          <caption>{formats.month(year, month)}</caption>
          <thead>
            <tr>
              {formats.weekdays.map((weekday, i) => (
                <th key={i} scope="col" className={i >= 5 ? 'cal-weekend-head' : undefined}>
                  <abbr title={weekday.long}>{weekday.short}</abbr>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {monthWeeks(year, month).map((week, w) => (
              <tr key={w}>
                {week.map((date, i) =>
                  date ? (
                    <DayCell
                      key={date}
                      date={date}
                      special={days.get(date)}
                      today={date === today}
                      formats={formats}
                      button={
                        onChoose && {
                          tabIndex: date === active ? 0 : -1,
                          ref: register(date),
                          onClick: () => {
                            setActive(date);
                            onChoose(date);
                          },
                          onKeyDown: (event: KeyboardEvent<HTMLButtonElement>) => onKeyDown(event, date),
                        }
                      }
                    />
                  ) : (
                    <td key={`blank-${i}`} className="cal-blank" />
                  ),
                )}
              </tr>
            ))}
          </tbody>
        </table>
      ))}
    </div>
  );
}

type ButtonProps = {
  tabIndex: number;
  ref: (element: HTMLButtonElement | null) => (() => void) | undefined;
  onClick: () => void;
  onKeyDown: (event: KeyboardEvent<HTMLButtonElement>) => void;
};

function DayCell({ date, special, today, formats, button }: { date: CivilDate; special: CalendarDay | undefined; today: boolean; formats: DateFormats; button: ButtonProps | undefined }) {
  const { t, lang } = useI18n();
  const status = statusOf(date, special, lang);
  const description = t(today ? 'calendar.day.describeToday' : 'calendar.day.describe', { date: formats.long(date), status: statusText(t, status) });
  const mark = statusMark(t, status);
  const content = (
    <>
      <span className="cal-num" aria-hidden="true">
        {dayOf(date)}
      </span>
      {mark && (
        <span className="cal-mark" aria-hidden="true">
          {mark}
        </span>
      )}
      <span className="visually-hidden">{description}</span>
    </>
  );
  return (
    <td className={`cal-day cal-${status.kind}${today ? ' cal-today' : ''}`} title={description} aria-current={today ? 'date' : undefined}>
      {button ? (
        <button type="button" className="cal-day-inner cal-day-button" data-date={date} aria-haspopup="dialog" {...button}>
          {content}
        </button>
      ) : (
        <span className="cal-day-inner" data-date={date}>
          {content}
        </span>
      )}
    </td>
  );
}
