// The working-day calendar: the State Council's yearly holiday arrangement (statutory
// holidays and the weekends moved to be working days), shipped for the current year and
// editable by the platform administrator. Every statutory deadline of the platform (share
// requests, disclosure requests, licensing) is counted in working days with it
// (platform/workdays.ts holds the arithmetic).
import path from 'node:path';
import type { App } from '../../http/server.ts';
import type { MigrationSource } from '../../platform/migrate.ts';
import { registerCalendarRoutes } from './routes.ts';
import { createCalendarService, type CalendarDeps } from './service.ts';

export type { Arrangement, CalendarService, YearView } from './service.ts';
export { shippedArrangements } from './service.ts';

export const calendarMigrations: MigrationSource = { module: 'calendar', dir: path.join(import.meta.dirname, 'migrations') };

export function createCalendar(deps: CalendarDeps) {
  const service = createCalendarService(deps);
  return { service, registerRoutes: (app: App) => registerCalendarRoutes(app, service) };
}

export type Calendar = ReturnType<typeof createCalendar>;
