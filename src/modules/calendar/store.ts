// SQL of the working-day calendar. Dates travel as YYYY-MM-DD text (`day::text`), never as
// JavaScript Dates, whose time zone would move them.
import { sql } from 'kysely';
import type { Executor } from '../../platform/db.ts';
import type { CalendarDay, DayKind } from '../../platform/workdays.ts';

export type YearRow = { year: number; source_zh: string; source_en: string; updated_at: Date; updated_by: string };
export type DayRow = CalendarDay & { updatedAt: Date; updatedBy: string };

export async function listYears(db: Executor): Promise<YearRow[]> {
  return (await db.selectFrom('calendar.years').selectAll().orderBy('year').execute()) as YearRow[];
}

export async function findYear(db: Executor, year: number): Promise<YearRow | undefined> {
  return (await db.selectFrom('calendar.years').selectAll().where('year', '=', year).executeTakeFirst()) as YearRow | undefined;
}

export async function upsertYear(db: Executor, row: YearRow): Promise<void> {
  await db
    .insertInto('calendar.years')
    .values(row)
    .onConflict((oc) => oc.column('year').doUpdateSet({ source_zh: row.source_zh, source_en: row.source_en, updated_at: row.updated_at, updated_by: row.updated_by }))
    .execute();
}

const dayColumns = [sql<string>`day::text`.as('date'), 'kind', 'name_zh', 'name_en', 'updated_at', 'updated_by'] as const;
type RawDay = { date: string; kind: DayKind; name_zh: string; name_en: string; updated_at: Date; updated_by: string };
const present = (r: RawDay): DayRow => ({ date: r.date, kind: r.kind, nameZh: r.name_zh, nameEn: r.name_en, updatedAt: r.updated_at, updatedBy: r.updated_by });

/** Special days, all or those of one year. */
export async function listDays(db: Executor, year?: number): Promise<DayRow[]> {
  let query = db.selectFrom('calendar.days').select(dayColumns);
  if (year !== undefined) query = query.where('day', '>=', sql<Date>`make_date(${year}, 1, 1)`).where('day', '<', sql<Date>`make_date(${year + 1}, 1, 1)`);
  return ((await query.orderBy('day').execute()) as RawDay[]).map(present);
}

export async function findDay(db: Executor, date: string): Promise<DayRow | undefined> {
  const row = (await db.selectFrom('calendar.days').select(dayColumns).where('day', '=', sql<Date>`${date}::date`).executeTakeFirst()) as RawDay | undefined;
  return row && present(row);
}

export async function upsertDay(db: Executor, day: CalendarDay, at: Date, by: string): Promise<void> {
  await db
    .insertInto('calendar.days')
    .values({ day: sql`${day.date}::date`, kind: day.kind, name_zh: day.nameZh, name_en: day.nameEn, updated_at: at, updated_by: by })
    .onConflict((oc) => oc.column('day').doUpdateSet({ kind: day.kind, name_zh: day.nameZh, name_en: day.nameEn, updated_at: at, updated_by: by }))
    .execute();
}

export async function deleteDay(db: Executor, date: string): Promise<boolean> {
  const result = await db.deleteFrom('calendar.days').where('day', '=', sql<Date>`${date}::date`).executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}
