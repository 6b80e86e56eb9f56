// SQL of the macroeconomic database. Values travel as text into numeric columns (no float
// rounding on the way in) and come back as numbers (the database handle parses numeric).
import { sql } from 'kysely';
import type { Executor } from '../../../platform/db.ts';
import type { Aggregation, Frequency } from './model.ts';

export type IndicatorRow = {
  code: string;
  name_zh: string;
  name_en: string;
  unit_zh: string;
  unit_en: string;
  frequency: Frequency;
  aggregation: Aggregation;
  decimals: number;
  description_zh: string;
  description_en: string;
  version: number;
  created_at: Date;
  updated_at: Date;
};

export type ObservationRow = { indicator: string; region: string; period: string; value: number; status: string; revision: number; updated_at: Date };

export type RevisionRow = {
  indicator: string;
  region: string;
  period: string;
  revision: number;
  value: number;
  status: string;
  source: string;
  actor_id: string | null;
  actor_name: string;
  reason: string;
  published_at: Date;
  import_id: string | null;
};

/** A value to write: text for the numeric column. */
export type NewRevision = Omit<RevisionRow, 'value'> & { value: string };

const INDICATORS = 'registries.macro_indicators';
const OBSERVATIONS = 'registries.macro_observations';
const REVISIONS = 'registries.macro_revisions';

export async function listIndicators(db: Executor): Promise<IndicatorRow[]> {
  return (await db.selectFrom(INDICATORS).selectAll().orderBy('code').execute()) as IndicatorRow[];
}

export async function findIndicator(db: Executor, code: string, forUpdate = false): Promise<IndicatorRow | undefined> {
  let q = db.selectFrom(INDICATORS).selectAll().where('code', '=', code);
  if (forUpdate) q = q.forUpdate();
  return (await q.executeTakeFirst()) as IndicatorRow | undefined;
}

export async function findIndicators(db: Executor, codes: string[]): Promise<IndicatorRow[]> {
  if (codes.length === 0) return [];
  return (await db.selectFrom(INDICATORS).selectAll().where('code', 'in', codes).execute()) as IndicatorRow[];
}

export async function insertIndicator(db: Executor, row: IndicatorRow): Promise<void> {
  await db.insertInto(INDICATORS).values(row).execute();
}

export async function updateIndicator(db: Executor, code: string, values: Partial<IndicatorRow>): Promise<void> {
  await db.updateTable(INDICATORS).set(values).where('code', '=', code).execute();
}

export async function deleteIndicator(db: Executor, code: string): Promise<void> {
  await db.deleteFrom(INDICATORS).where('code', '=', code).execute();
}

export async function countObservations(db: Executor, indicator: string): Promise<number> {
  const row = await db.selectFrom(OBSERVATIONS).select(sql<number>`count(*)::int`.as('n')).where('indicator', '=', indicator).executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function findObservation(db: Executor, key: { indicator: string; region: string; period: string }, forUpdate = false): Promise<ObservationRow | undefined> {
  let q = db.selectFrom(OBSERVATIONS).selectAll().where('indicator', '=', key.indicator).where('region', '=', key.region).where('period', '=', key.period);
  if (forUpdate) q = q.forUpdate();
  return (await q.executeTakeFirst()) as ObservationRow | undefined;
}

/** The current observations of these indicators in these regions, locked for an import. */
export async function observationsFor(db: Executor, indicators: string[], regions: string[]): Promise<ObservationRow[]> {
  if (indicators.length === 0 || regions.length === 0) return [];
  return (await db.selectFrom(OBSERVATIONS).selectAll().where('indicator', 'in', indicators).where('region', 'in', regions).forUpdate().execute()) as ObservationRow[];
}

/** Writes the current values (new or revised) and their revisions. */
export async function writeRevisions(db: Executor, revisions: NewRevision[]): Promise<void> {
  for (let i = 0; i < revisions.length; i += 500) {
    const chunk = revisions.slice(i, i + 500);
    await db
      .insertInto(OBSERVATIONS)
      .values(chunk.map((r) => ({ indicator: r.indicator, region: r.region, period: r.period, value: r.value, status: r.status, revision: r.revision, updated_at: r.published_at })))
      .onConflict((oc) =>
        oc.columns(['indicator', 'region', 'period']).doUpdateSet({ value: sql`excluded.value`, status: sql`excluded.status`, revision: sql`excluded.revision`, updated_at: sql`excluded.updated_at` }),
      )
      .execute();
    await db.insertInto(REVISIONS).values(chunk).execute();
  }
}

export type SeriesQuery = { indicator: string; region: string; from?: string; to?: string };

/** The current values of a series, oldest period first. */
export async function currentSeries(db: Executor, q: SeriesQuery): Promise<ObservationRow[]> {
  let query = db.selectFrom(OBSERVATIONS).selectAll().where('indicator', '=', q.indicator).where('region', '=', q.region);
  if (q.from) query = query.where('period', '>=', q.from);
  if (q.to) query = query.where('period', '<=', q.to);
  return (await query.orderBy('period').execute()) as ObservationRow[];
}

/** For each period, the last revision published at or before `asOf`. */
export async function seriesAsOf(db: Executor, q: SeriesQuery, asOf: Date): Promise<RevisionRow[]> {
  let query = db
    .selectFrom(REVISIONS)
    .selectAll()
    .distinctOn('period')
    .where('indicator', '=', q.indicator)
    .where('region', '=', q.region)
    .where('published_at', '<=', asOf);
  if (q.from) query = query.where('period', '>=', q.from);
  if (q.to) query = query.where('period', '<=', q.to);
  return (await query.orderBy('period').orderBy('revision', 'desc').execute()) as RevisionRow[];
}

/** The observations of one period in these regions (current values, or as published at `asOf`). */
export async function valuesIn(db: Executor, indicator: string, period: string, regions: string[], asOf?: Date): Promise<{ region: string; value: number; status: string; revision: number }[]> {
  if (regions.length === 0) return [];
  if (!asOf) {
    return (await db.selectFrom(OBSERVATIONS).select(['region', 'value', 'status', 'revision']).where('indicator', '=', indicator).where('period', '=', period).where('region', 'in', regions).execute()) as {
      region: string;
      value: number;
      status: string;
      revision: number;
    }[];
  }
  return (await db
    .selectFrom(REVISIONS)
    .select(['region', 'value', 'status', 'revision'])
    .distinctOn('region')
    .where('indicator', '=', indicator)
    .where('period', '=', period)
    .where('region', 'in', regions)
    .where('published_at', '<=', asOf)
    .orderBy('region')
    .orderBy('revision', 'desc')
    .execute()) as { region: string; value: number; status: string; revision: number }[];
}

export async function listRevisions(db: Executor, key: { indicator: string; region: string; period: string }): Promise<RevisionRow[]> {
  return (await db.selectFrom(REVISIONS).selectAll().where('indicator', '=', key.indicator).where('region', '=', key.region).where('period', '=', key.period).orderBy('revision').execute()) as RevisionRow[];
}

/** Which regions and periods an indicator has values for, in code and period order. */
export async function coverage(db: Executor, indicator: string): Promise<{ regions: string[]; periods: string[] }> {
  const regions = await db.selectFrom(OBSERVATIONS).select('region').distinct().where('indicator', '=', indicator).orderBy('region').execute();
  const periods = await db.selectFrom(OBSERVATIONS).select('period').distinct().where('indicator', '=', indicator).orderBy('period').execute();
  return { regions: regions.map((r) => r.region as string), periods: periods.map((p) => p.period as string) };
}

export type ExportQuery = { indicator?: string; region?: string; from?: string; to?: string };

export async function exportRows(db: Executor, q: ExportQuery, limit: number): Promise<ObservationRow[]> {
  let query = db.selectFrom(OBSERVATIONS).selectAll();
  if (q.indicator) query = query.where('indicator', '=', q.indicator);
  if (q.region) query = query.where('region', '=', q.region);
  if (q.from) query = query.where('period', '>=', q.from);
  if (q.to) query = query.where('period', '<=', q.to);
  return (await query.orderBy('indicator').orderBy('region').orderBy('period').limit(limit).execute()) as ObservationRow[];
}
