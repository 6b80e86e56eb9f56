// The working-day calendar's rules: the shipped arrangements are loaded once (never over an
// administrator's corrections), each change is audited and announced on the change feed,
// and the calendar every deadline is counted with is kept in memory.
import fs from 'node:fs';
import path from 'node:path';
import type { Operator } from '../../platform/actor.ts';
import type { Audit } from '../../platform/audit.ts';
import type { ChangeFeed } from '../../platform/changes.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db, Executor } from '../../platform/db.ts';
import { NotFoundError, ValidationError, type FieldError } from '../../platform/errors.ts';
import { deadlineFrom, isCivilDate, workCalendarOf, yearOf, type CalendarDay, type Deadline, type WorkCalendar } from '../../platform/workdays.ts';
import * as policy from './policy.ts';
import * as store from './store.ts';

export const CALENDAR_TOPIC = 'calendar';

/** A published arrangement as shipped in arrangements/ (one file a year). */
export type Arrangement = { year: number; sourceZh: string; sourceEn: string; days: CalendarDay[] };

export type YearView = { year: number; entered: boolean; sourceZh: string | null; sourceEn: string | null; updatedAt: string | null; updatedBy: string | null; days: (CalendarDay & { updatedAt: string; updatedBy: string })[] };
export type DayInput = { kind: string; nameZh: string; nameEn: string };
export type YearInput = { sourceZh: string; sourceEn: string };

const DATA_DIR = path.join(import.meta.dirname, 'arrangements');

/** The arrangements shipped with this release, oldest first. */
export function shippedArrangements(): Arrangement[] {
  return fs
    .readdirSync(DATA_DIR)
    .filter((f) => /^cn-\d{4}\.json$/.test(f))
    .sort()
    .map((f) => JSON.parse(fs.readFileSync(path.join(DATA_DIR, f), 'utf8')) as Arrangement);
}

export type CalendarDeps = { db: Db; audit: Audit; clock: Clock; changes: ChangeFeed };

export function createCalendarService(deps: CalendarDeps) {
  const { db, clock } = deps;
  let snapshot: Promise<WorkCalendar> | undefined;
  deps.changes.subscribe(CALENDAR_TOPIC, () => (snapshot = undefined));

  async function load(): Promise<WorkCalendar> {
    const [years, days] = await Promise.all([store.listYears(db), store.listDays(db)]);
    return workCalendarOf(days, years.map((y) => y.year));
  }

  /** The calendar now; a failed load is not kept, so the next call tries again. */
  function workCalendar(): Promise<WorkCalendar> {
    snapshot ??= load().catch((err: unknown) => {
      snapshot = undefined;
      throw err;
    });
    return snapshot;
  }

  async function changed(trx: Executor) {
    await deps.changes.notify(trx, CALENDAR_TOPIC);
  }

  function text(field: string, value: unknown, max: number, errors: FieldError[]): string {
    const trimmed = typeof value === 'string' ? value.trim() : '';
    if (trimmed === '') errors.push({ field, code: 'required', message: 'is required', messageZh: '必填' });
    else if ([...trimmed].length > max) errors.push({ field, code: 'length', message: `must be at most ${max} characters`, messageZh: `不超过 ${max} 个字符` });
    return trimmed;
  }

  function checkedDate(date: string): string {
    if (!isCivilDate(date)) throw new ValidationError([{ field: 'date', code: 'format', message: 'must be a real date written YYYY-MM-DD', messageZh: '应为有效日期，格式 YYYY-MM-DD' }]);
    return date;
  }

  function checkedYear(year: number): number {
    if (!Number.isSafeInteger(year) || year < 1949 || year > 2200) throw new ValidationError([{ field: 'year', code: 'range', message: 'must be a year from 1949 to 2200', messageZh: '应为 1949 至 2200 之间的年份' }]);
    return year;
  }

  const audited = (trx: Executor, op: Operator, action: string, subjectId: string, detail: Record<string, unknown>) =>
    deps.audit.record(trx, { actor: op.auditAs, action, subjectType: 'calendar', subjectId, outcome: 'success', detail, ip: op.ip, requestId: op.requestId });

  return {
    workCalendar,

    /** A period of working days from an instant, with the calendar as it is now. */
    async deadline(startedAt: Date, workingDays: number): Promise<Deadline> {
      return deadlineFrom(await workCalendar(), startedAt, workingDays);
    },

    /** Loads each shipped arrangement whose year is not entered yet; returns the years loaded. */
    async ensureShipped(op: Operator, arrangements: Arrangement[] = shippedArrangements()): Promise<number[]> {
      const loaded: number[] = [];
      for (const arrangement of arrangements) {
        const done = await db.transaction().execute(async (trx) => {
          if (await store.findYear(trx, arrangement.year)) return false;
          const at = clock.now();
          await store.upsertYear(trx, { year: arrangement.year, source_zh: arrangement.sourceZh, source_en: arrangement.sourceEn, updated_at: at, updated_by: op.auditAs.name });
          for (const day of arrangement.days) await store.upsertDay(trx, day, at, op.auditAs.name);
          await audited(trx, op, 'calendar.year.ship', String(arrangement.year), { days: arrangement.days.length, source: arrangement.sourceEn });
          await changed(trx);
          return true;
        });
        if (done) loaded.push(arrangement.year);
      }
      if (loaded.length > 0) deps.changes.local(CALENDAR_TOPIC);
      return loaded;
    },

    async years(): Promise<{ year: number; sourceZh: string; sourceEn: string; updatedAt: string; updatedBy: string }[]> {
      return (await store.listYears(db)).map((y) => ({ year: y.year, sourceZh: y.source_zh, sourceEn: y.source_en, updatedAt: y.updated_at.toISOString(), updatedBy: y.updated_by }));
    },

    async year(rawYear: number): Promise<YearView> {
      const year = checkedYear(rawYear);
      const [row, days] = await Promise.all([store.findYear(db, year), store.listDays(db, year)]);
      return {
        year,
        entered: row !== undefined,
        sourceZh: row?.source_zh ?? null,
        sourceEn: row?.source_en ?? null,
        updatedAt: row?.updated_at.toISOString() ?? null,
        updatedBy: row?.updated_by ?? null,
        days: days.map((d) => ({ date: d.date, kind: d.kind, nameZh: d.nameZh, nameEn: d.nameEn, updatedAt: d.updatedAt.toISOString(), updatedBy: d.updatedBy })),
      };
    },

    /** Marks a year's arrangement as entered (with where it was published), or updates its source. */
    async enterYear(op: Operator, rawYear: number, input: YearInput): Promise<YearView> {
      if (op.actor) policy.assertMayEditCalendar(op.actor);
      const year = checkedYear(rawYear);
      const errors: FieldError[] = [];
      const sourceZh = text('sourceZh', input.sourceZh, 300, errors);
      const sourceEn = text('sourceEn', input.sourceEn, 300, errors);
      if (errors.length > 0) throw new ValidationError(errors);
      await db.transaction().execute(async (trx) => {
        const before = await store.findYear(trx, year);
        await store.upsertYear(trx, { year, source_zh: sourceZh, source_en: sourceEn, updated_at: clock.now(), updated_by: op.auditAs.name });
        await audited(trx, op, before ? 'calendar.year.update' : 'calendar.year.enter', String(year), { sourceEn, before: before?.source_en ?? null });
        await changed(trx);
      });
      deps.changes.local(CALENDAR_TOPIC);
      return this.year(year);
    },

    /** Makes a date a holiday or a working day (a weekend day worked), with its name. */
    async setDay(op: Operator, rawDate: string, input: DayInput): Promise<CalendarDay> {
      if (op.actor) policy.assertMayEditCalendar(op.actor);
      const date = checkedDate(rawDate);
      const errors: FieldError[] = [];
      if (input.kind !== 'holiday' && input.kind !== 'workday') errors.push({ field: 'kind', code: 'enum', message: 'must be holiday or workday', messageZh: '应为 holiday（放假）或 workday（调休上班）' });
      const nameZh = text('nameZh', input.nameZh, 60, errors);
      const nameEn = text('nameEn', input.nameEn, 60, errors);
      const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
      if (input.kind === 'workday' && weekday !== 0 && weekday !== 6)
        errors.push({ field: 'kind', code: 'already_working', message: `${date} is a weekday, a working day already; only a Saturday or Sunday can be made a working day`, messageZh: `${date} 是工作日（周一至周五），只有周六、周日可设为调休上班` });
      if (errors.length > 0) throw new ValidationError(errors);
      const day: CalendarDay = { date, kind: input.kind as CalendarDay['kind'], nameZh, nameEn };
      await db.transaction().execute(async (trx) => {
        const before = await store.findDay(trx, date);
        await store.upsertDay(trx, day, clock.now(), op.auditAs.name);
        await audited(trx, op, 'calendar.day.set', date, { kind: day.kind, nameEn, before: before ? { kind: before.kind, nameEn: before.nameEn } : null, yearEntered: (await store.findYear(trx, yearOf(date))) !== undefined });
        await changed(trx);
      });
      deps.changes.local(CALENDAR_TOPIC);
      return day;
    },

    /** Returns a date to the weekday rule. */
    async clearDay(op: Operator, rawDate: string): Promise<void> {
      if (op.actor) policy.assertMayEditCalendar(op.actor);
      const date = checkedDate(rawDate);
      await db.transaction().execute(async (trx) => {
        const before = await store.findDay(trx, date);
        if (!before || !(await store.deleteDay(trx, date))) throw new NotFoundError('holiday or moved working day on', date, '节假日或调休日');
        await audited(trx, op, 'calendar.day.clear', date, { before: { kind: before.kind, nameEn: before.nameEn } });
        await changed(trx);
      });
      deps.changes.local(CALENDAR_TOPIC);
    },
  };
}

export type CalendarService = ReturnType<typeof createCalendarService>;
