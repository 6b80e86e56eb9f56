// The calendar routes as the page calls them, with the server's own types (type-only imports,
// erased from the bundle).
import type { CalendarService, YearView } from '../../../../src/modules/calendar/index.ts';
import { api, request } from '../../api.ts';

export type { YearView };
export type YearSummary = Awaited<ReturnType<CalendarService['years']>>[number];
export type CalendarDay = YearView['days'][number];
export type DayKind = CalendarDay['kind'];
/** As sent: the instant is an ISO string. */
export type Deadline = Omit<Awaited<ReturnType<CalendarService['deadline']>>, 'dueAt'> & { dueAt: string };

export const calendarApi = {
  years: () => api.get<YearSummary[]>('/api/calendar/years'),
  year: (year: number) => api.get<YearView>(`/api/calendar/years/${year}`),
  enterYear: (year: number, body: { sourceZh: string; sourceEn: string }) => request<YearView>('PUT', `/api/calendar/years/${year}`, { body }),
  setDay: (date: string, body: { kind: string; nameZh: string; nameEn: string }) => request<Omit<CalendarDay, 'updatedAt' | 'updatedBy'>>('PUT', `/api/calendar/days/${encodeURIComponent(date)}`, { body }),
  clearDay: (date: string) => api.del(`/api/calendar/days/${encodeURIComponent(date)}`),
  deadline: (from: string, workingDays: number) => api.get<Deadline>('/api/calendar/deadline', { from, workingDays }),
};
