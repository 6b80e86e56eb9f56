// What a date is on the calendar, in words: the same sentence in a day's cell, its tooltip, the
// day form and the notices, so no state is told by colour alone.
import { localName } from '../../format.ts';
import type { Lang, Translate } from '../../i18n/index.tsx';
import type { CalendarDay } from './api.ts';
import { isWeekend, type CivilDate } from './dates.ts';

export type DayStatus = { kind: 'working' | 'weekend' } | { kind: CalendarDay['kind']; name: string };

export function statusOf(date: CivilDate, special: CalendarDay | undefined, lang: Lang): DayStatus {
  if (special) return { kind: special.kind, name: localName(special, lang) };
  return { kind: isWeekend(date) ? 'weekend' : 'working' };
}

export function statusText(t: Translate, status: DayStatus): string {
  const kind = t(`calendar.kind.${status.kind}`);
  return 'name' in status ? t('calendar.day.named', { kind, name: status.name }) : kind;
}

/** The short mark shown in a cell beside the day's number ("休", "班"), if any. */
export function statusMark(t: Translate, status: DayStatus): string | undefined {
  if (status.kind === 'holiday') return t('calendar.mark.holiday');
  if (status.kind === 'workday') return t('calendar.mark.workday');
  return undefined;
}
