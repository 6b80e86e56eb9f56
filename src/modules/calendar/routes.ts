import { Type } from 'typebox';
import { NoContent, STAFF_ERRORS } from '../../http/schemas.ts';
import { requestContext, type App } from '../../http/server.ts';
import { operatorFromRequest } from '../../platform/actor.ts';
import * as s from './schema.ts';
import type { CalendarService } from './service.ts';

const tags = ['calendar'];

export function registerCalendarRoutes(app: App, calendar: CalendarService): void {
  const op = (request: Parameters<typeof requestContext>[0]) => operatorFromRequest(requestContext(request));

  app.get('/api/calendar/years', {
    schema: { tags, summary: 'The years whose holiday arrangement has been entered, with where each was published', response: { 200: Type.Array(s.YearSummary), ...STAFF_ERRORS } },
    handler: async (request) => {
      requestContext(request);
      return calendar.years();
    },
  });
  app.get('/api/calendar/years/:year', {
    schema: { tags, summary: "A year's statutory holidays and weekend days moved to be working days", params: s.YearParams, response: { 200: s.YearView, ...STAFF_ERRORS } },
    handler: async (request) => {
      requestContext(request);
      return calendar.year(request.params.year);
    },
  });
  app.put('/api/calendar/years/:year', {
    schema: { tags, summary: "Mark a year's arrangement as entered, naming where it was published (platform admin)", params: s.YearParams, body: s.YearBody, response: { 200: s.YearView, ...STAFF_ERRORS } },
    handler: async (request) => calendar.enterYear(op(request), request.params.year, request.body),
  });
  app.put('/api/calendar/days/:date', {
    schema: { tags, summary: 'Make a date a statutory holiday, or a weekend day a working day (platform admin)', params: s.DateParams, body: s.DayBody, response: { 200: s.DayView, ...STAFF_ERRORS } },
    handler: async (request) => calendar.setDay(op(request), request.params.date, request.body),
  });
  app.delete('/api/calendar/days/:date', {
    schema: { tags, summary: 'Return a date to the weekday rule (platform admin)', params: s.DateParams, response: { 204: NoContent, ...STAFF_ERRORS } },
    handler: async (request, reply) => {
      await calendar.clearDay(op(request), request.params.date);
      return reply.code(204).send(null);
    },
  });
  app.get('/api/calendar/deadline', {
    schema: { tags, summary: 'When a period of working days started at an instant runs out (China time, the calendar as it is now)', querystring: s.DeadlineQuery, response: { 200: s.DeadlineView, ...STAFF_ERRORS } },
    handler: async (request) => {
      requestContext(request);
      const deadline = await calendar.deadline(new Date(request.query.from), request.query.workingDays);
      return { ...deadline, dueAt: deadline.dueAt.toISOString() };
    },
  });
}
