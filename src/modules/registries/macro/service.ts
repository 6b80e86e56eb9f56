// The rules of the macroeconomic database. Every published value is kept: a changed value
// is a new revision with its provenance, so any answer can be given "as published on" a
// date. Imports are all or nothing: every row is checked first, and one problem anywhere
// means nothing is written and the whole report comes back.
import crypto from 'node:crypto';
import type { Operator } from '../../../platform/actor.ts';
import type { Actor } from '../../../platform/actor.ts';
import type { Executor } from '../../../platform/db.ts';
import { ConflictError, NotFoundError, ValidationError, invalidField, type FieldError } from '../../../platform/errors.ts';
import type { RegistriesDeps } from '../index.ts';
import type { RegistryCatalog } from '../catalog.ts';
import * as policy from '../policy.ts';
import { CsvError, assertNoReplacementCharacter, decodeUtf8 } from '../../../platform/csv.ts';
import { ImportRejectedError, type ReportEntry } from '../../../platform/import-report.ts';
import { divisionProblem, parseValue, periodProblem, statusProblem, type Aggregation, type Frequency } from './model.ts';
import { childrenOf, rollUp, subtreeOf } from './rollup.ts';
import { columnNames, detectFormat, parseObservations, type ImportFormat, type ParsedRow, type SdmxMapping } from './sdmx-csv.ts';
import * as store from './store.ts';
import { parseAsOf } from '../as-of.ts';

export const REGISTRY = 'macroeconomic';
const IMPORT_ROW_LIMIT = 200_000;

export type Indicator = {
  code: string;
  nameZh: string;
  nameEn: string;
  unitZh: string;
  unitEn: string;
  frequency: Frequency;
  aggregation: Aggregation;
  decimals: number;
  descriptionZh: string;
  descriptionEn: string;
  version: number;
  createdAt: string;
  updatedAt: string;
};
export type IndicatorInput = Omit<Indicator, 'version' | 'createdAt' | 'updatedAt' | 'descriptionZh' | 'descriptionEn'> & { descriptionZh?: string; descriptionEn?: string };
export type IndicatorUpdate = Omit<IndicatorInput, 'code'> & { version: number };
export type Observation = { indicator: string; region: string; period: string; value: number; status: string; revision: number; updatedAt: string };
export type ObservationInput = { indicator: string; region: string; period: string; value: string | number; status?: string; reason: string; source?: string };
export type Revision = { revision: number; value: number; status: string; source: string; actorName: string; reason: string; publishedAt: string; importId: string | null };
export type ImportInput = { format?: ImportFormat; content: string | Uint8Array; reason: string; source?: string; mapping?: SdmxMapping; dryRun?: boolean };
export type ImportResult = { importId: string | null; format: ImportFormat; dryRun: boolean; rows: number; created: number; revised: number; unchanged: number; skipped: number };


const presentIndicator = (r: store.IndicatorRow): Indicator => ({
  code: r.code,
  nameZh: r.name_zh,
  nameEn: r.name_en,
  unitZh: r.unit_zh,
  unitEn: r.unit_en,
  frequency: r.frequency,
  aggregation: r.aggregation,
  decimals: r.decimals,
  descriptionZh: r.description_zh,
  descriptionEn: r.description_en,
  version: r.version,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
});
const presentObservation = (r: store.ObservationRow): Observation => ({ indicator: r.indicator, region: r.region, period: r.period, value: Number(r.value), status: r.status, revision: r.revision, updatedAt: r.updated_at.toISOString() });
const presentRevision = (r: store.RevisionRow): Revision => ({ revision: r.revision, value: Number(r.value), status: r.status, source: r.source, actorName: r.actor_name, reason: r.reason, publishedAt: r.published_at.toISOString(), importId: r.import_id });

export { parseAsOf };

export type MacroDeps = RegistriesDeps & { catalog: RegistryCatalog };

export function createMacroService(deps: MacroDeps) {
  const { db } = deps;
  const tree = { exists: deps.divisionExists, parent: deps.divisionParent };

  async function getIndicatorRow(executor: Executor, code: string, forUpdate = false): Promise<store.IndicatorRow> {
    const row = await store.findIndicator(executor, code, forUpdate);
    if (!row) throw new NotFoundError('indicator', code, '指标');
    return row;
  }

  /** The indicator a query names, or a 400 naming the field (a query is not a resource path). */
  async function indicatorOf(code: string): Promise<store.IndicatorRow> {
    const row = await store.findIndicator(db, code);
    if (!row) throw invalidField('indicator', 'indicator_unknown', `${code} is not an indicator of this database`, `${code} 不是本库的指标`);
    return row;
  }

  function assertDivision(field: string, code: string): void {
    const problem = divisionProblem(field, code, deps.divisionExists);
    if (problem) throw new ValidationError([problem]);
  }

  function assertPeriod(field: string, period: string, frequency: Frequency): void {
    const problem = periodProblem(field, period, frequency);
    if (problem) throw new ValidationError([problem]);
  }

  /** The schema says so too, but a coerced value (["9…9"] read as Infinity) can slip past it. */
  function assertDecimals(decimals: number): void {
    if (!Number.isInteger(decimals) || decimals < 0 || decimals > 6) throw invalidField('decimals', 'maximum', 'must be a whole number from 0 to 6', '须为 0 至 6 的整数');
  }

  async function assertMayEdit(actor: Actor | null): Promise<void> {
    if (!actor) return;
    policy.assertMayEditRecords(actor, (await deps.catalog.get(REGISTRY)).owner_org_id);
  }

  function audit(trx: Executor, op: Operator, action: string, subjectType: string, subjectId: string, detail: Record<string, unknown>) {
    return deps.audit.record(trx, { actor: op.auditAs, action: `registries.macro.${action}`, subjectType, subjectId, outcome: 'success', detail, ip: op.ip, requestId: op.requestId });
  }

  /** Checks rows against the registry (indicator, frequency, division, duplicates); returns the report. */
  async function checkRows(rows: ParsedRow[], columns: ReturnType<typeof columnNames>): Promise<{ report: ReportEntry[]; indicators: Map<string, store.IndicatorRow> }> {
    const indicators = new Map((await store.findIndicators(db, [...new Set(rows.map((r) => r.indicator))])).map((r) => [r.code, r]));
    const report: ReportEntry[] = [];
    const seen = new Map<string, number>();
    const add = (row: number, e: FieldError) => report.push({ row, field: e.field, code: e.code, message: e.message, messageZh: e.messageZh ?? e.message });
    for (const r of rows) {
      const indicator = indicators.get(r.indicator);
      if (!indicator) add(r.row, { field: columns.indicator, code: 'indicator_unknown', message: `"${r.indicator.slice(0, 40)}" is not an indicator of this database: create it first`, messageZh: `“${r.indicator.slice(0, 40)}”不是本库的指标，请先创建该指标` });
      const division = divisionProblem(columns.region, r.region, deps.divisionExists);
      if (division) add(r.row, division);
      if (indicator) {
        const period = periodProblem(columns.period, r.period, indicator.frequency);
        if (period) add(r.row, period);
        if (r.frequency && r.frequency !== indicator.frequency) {
          add(r.row, { field: columns.frequency, code: 'frequency_mismatch', message: `is ${r.frequency.slice(0, 10)}, but ${indicator.code} is kept at frequency ${indicator.frequency}`, messageZh: `为 ${r.frequency.slice(0, 10)}，而指标 ${indicator.code} 的频度为 ${indicator.frequency}` });
        }
      }
      const key = `${r.indicator}|${r.region}|${r.period}`;
      const earlier = seen.get(key);
      if (earlier !== undefined) add(r.row, { field: columns.period, code: 'duplicate_row', message: `repeats row ${earlier} (${r.indicator}, ${r.region}, ${r.period}): give each observation once`, messageZh: `与第 ${earlier} 行重复（${r.indicator}、${r.region}、${r.period}），每个观测值只能出现一次` });
      else seen.set(key, r.row);
    }
    return { report, indicators };
  }

  function decodeContent(content: string | Uint8Array): string {
    try {
      if (typeof content !== 'string') return decodeUtf8(content, 'file');
      assertNoReplacementCharacter(content, 'content');
      return content.replace(/^\ufeff/, '');
    } catch (err) {
      if (err instanceof CsvError) throw new ValidationError([err.problem]);
      throw err;
    }
  }

  return {
    assertMayEdit,

    async listIndicators(): Promise<Indicator[]> {
      return (await store.listIndicators(db)).map(presentIndicator);
    },

    async getIndicator(code: string): Promise<Indicator> {
      return presentIndicator(await getIndicatorRow(db, code));
    },

    async createIndicator(op: Operator, input: IndicatorInput): Promise<Indicator> {
      await assertMayEdit(op.actor);
      assertDecimals(input.decimals);
      const now = deps.clock.now();
      const row: store.IndicatorRow = {
        code: input.code,
        name_zh: input.nameZh,
        name_en: input.nameEn,
        unit_zh: input.unitZh,
        unit_en: input.unitEn,
        frequency: input.frequency,
        aggregation: input.aggregation,
        decimals: input.decimals,
        description_zh: input.descriptionZh ?? '',
        description_en: input.descriptionEn ?? '',
        version: 1,
        created_at: now,
        updated_at: now,
      };
      await db.transaction().execute(async (trx) => {
        if (await store.findIndicator(trx, input.code, true)) {
          throw new ConflictError('indicator_exists', `There is already an indicator ${input.code}. Choose another code, or edit that one.`, `已有指标 ${input.code}。请换一个代码，或编辑已有指标。`, [
            { field: 'code', code: 'indicator_exists', message: 'is taken', messageZh: '已被使用' },
          ]);
        }
        await store.insertIndicator(trx, row);
        await audit(trx, op, 'indicator.create', 'macro-indicator', input.code, { frequency: input.frequency, aggregation: input.aggregation });
      });
      return presentIndicator(row);
    },

    async updateIndicator(op: Operator, code: string, input: IndicatorUpdate): Promise<Indicator> {
      await assertMayEdit(op.actor);
      assertDecimals(input.decimals);
      return db.transaction().execute(async (trx) => {
        const current = await getIndicatorRow(trx, code, true);
        if (current.version !== input.version) {
          throw new ConflictError('stale_version', `Indicator ${code} was changed by someone else (now version ${current.version}, you edited version ${input.version}). Reload it and apply your change again.`, `指标 ${code} 已被他人修改（当前版本 ${current.version}，您编辑的是版本 ${input.version}）。请刷新后重新修改。`);
        }
        if (input.frequency !== current.frequency && (await store.countObservations(trx, code)) > 0) {
          throw new ConflictError('frequency_locked', `Indicator ${code} has observations at frequency ${current.frequency}; its frequency cannot change. Create a new indicator for the other frequency.`, `指标 ${code} 已有频度为 ${current.frequency} 的观测值，不能更改频度。请为其他频度另建指标。`, [
            { field: 'frequency', code: 'frequency_locked', message: 'cannot change once there are observations', messageZh: '已有观测值，不能更改' },
          ]);
        }
        const values = {
          name_zh: input.nameZh,
          name_en: input.nameEn,
          unit_zh: input.unitZh,
          unit_en: input.unitEn,
          frequency: input.frequency,
          aggregation: input.aggregation,
          decimals: input.decimals,
          description_zh: input.descriptionZh ?? current.description_zh,
          description_en: input.descriptionEn ?? current.description_en,
          version: current.version + 1,
          updated_at: deps.clock.now(),
        };
        await store.updateIndicator(trx, code, values);
        const changed = Object.keys(values).filter((k) => k !== 'version' && k !== 'updated_at' && (values as Record<string, unknown>)[k] !== (current as Record<string, unknown>)[k]);
        await audit(trx, op, 'indicator.update', 'macro-indicator', code, { version: values.version, changed });
        return presentIndicator({ ...current, ...values });
      });
    },

    async deleteIndicator(op: Operator, code: string, version: number): Promise<void> {
      await assertMayEdit(op.actor);
      await db.transaction().execute(async (trx) => {
        const current = await getIndicatorRow(trx, code, true);
        if (current.version !== version) throw new ConflictError('stale_version', `Indicator ${code} was changed by someone else (now version ${current.version}). Reload it first.`, `指标 ${code} 已被他人修改（当前版本 ${current.version}），请先刷新。`);
        if ((await store.countObservations(trx, code)) > 0) {
          throw new ConflictError('indicator_in_use', `Indicator ${code} has published observations, which are kept for good; it cannot be deleted.`, `指标 ${code} 已有发布的观测值，需永久保存，不能删除。`);
        }
        await store.deleteIndicator(trx, code);
        await audit(trx, op, 'indicator.delete', 'macro-indicator', code, { version });
      });
    },

    /** Sets one observation: a new revision when its value or status changes, nothing otherwise. */
    async setObservation(op: Operator, input: ObservationInput): Promise<{ observation: Observation; changed: boolean }> {
      await assertMayEdit(op.actor);
      const indicator = await indicatorOf(input.indicator);
      const problems = [
        divisionProblem('region', input.region, deps.divisionExists),
        periodProblem('period', input.period, indicator.frequency),
        input.status !== undefined ? statusProblem('status', input.status) : undefined,
      ].filter((p): p is FieldError => p !== undefined);
      const parsed = parseValue('value', String(input.value));
      if ('error' in parsed) problems.push(parsed.error);
      if (problems.length > 0 || !('value' in parsed)) throw new ValidationError(problems);
      const status = input.status ?? 'A';
      const now = deps.clock.now();
      return db.transaction().execute(async (trx) => {
        const key = { indicator: input.indicator, region: input.region, period: input.period };
        const current = await store.findObservation(trx, key, true);
        if (current && Number(current.value) === Number(parsed.value) && current.status === status) return { observation: presentObservation(current), changed: false };
        const revision = (current?.revision ?? 0) + 1;
        await store.writeRevisions(trx, [{ ...key, revision, value: parsed.value, status, source: input.source ?? 'workbench', actor_id: op.auditAs.id, actor_name: op.auditAs.name, reason: input.reason, published_at: now, import_id: null }]);
        await audit(trx, op, 'observation.set', 'macro-observation', `${key.indicator}/${key.region}/${key.period}`, { revision, value: parsed.value, previous: current ? Number(current.value) : null, status, reason: input.reason });
        return { observation: { ...key, value: Number(parsed.value), status, revision, updatedAt: now.toISOString() }, changed: true };
      });
    },

    /** The regions and periods an indicator has values for: what a chart can offer to pick. */
    async coverage(code: string): Promise<{ regions: string[]; periods: string[] }> {
      await getIndicatorRow(db, code);
      return store.coverage(db, code);
    },

    async revisions(key: { indicator: string; region: string; period: string }): Promise<Revision[]> {
      await indicatorOf(key.indicator);
      const rows = await store.listRevisions(db, key);
      if (rows.length === 0) throw new NotFoundError('observation', `${key.indicator}/${key.region}/${key.period}`, '观测值');
      return rows.map(presentRevision);
    },

    /** Checks a whole file and writes all of it in one transaction, or nothing. */
    async importObservations(op: Operator, input: ImportInput): Promise<ImportResult> {
      await assertMayEdit(op.actor);
      const text = decodeContent(input.content);
      const format = input.format ?? detectFormat(text);
      let parsed;
      try {
        parsed = parseObservations(text, format, input.mapping);
      } catch (err) {
        if (err instanceof CsvError) throw new ValidationError([err.problem]);
        throw err;
      }
      if (parsed.rows.length + parsed.report.length > IMPORT_ROW_LIMIT) throw invalidField('file', 'too_many_rows', `has more than ${IMPORT_ROW_LIMIT} rows: split it`, `超过 ${IMPORT_ROW_LIMIT} 行，请拆分后导入`);
      const columns = columnNames(format, input.mapping);
      const checked = await checkRows(parsed.rows, columns);
      const report = [...parsed.report, ...checked.report].sort((a, b) => a.row - b.row);
      if (report.length > 0) throw new ImportRejectedError(report);
      if (parsed.rows.length === 0) throw invalidField('file', 'import_empty', 'has no observations below its header', '表头下没有观测值');
      const base = { format, rows: parsed.rows.length, skipped: parsed.skipped };
      const sha256 = crypto.createHash('sha256').update(text).digest('hex');
      const importId = input.dryRun ? null : crypto.randomUUID();
      const now = deps.clock.now();
      const write = async (trx: Executor) => {
        const current = new Map(
          (await store.observationsFor(trx, [...checked.indicators.keys()], [...new Set(parsed.rows.map((r) => r.region))])).map((o) => [`${o.indicator}|${o.region}|${o.period}`, o]),
        );
        const revisions: store.NewRevision[] = [];
        let created = 0;
        let revised = 0;
        for (const r of parsed.rows) {
          const existing = current.get(`${r.indicator}|${r.region}|${r.period}`);
          if (existing && Number(existing.value) === Number(r.value) && existing.status === r.status) continue;
          if (existing) revised++;
          else created++;
          revisions.push({ indicator: r.indicator, region: r.region, period: r.period, revision: (existing?.revision ?? 0) + 1, value: r.value, status: r.status, source: input.source ?? `import ${format} sha256:${sha256.slice(0, 16)}`, actor_id: op.auditAs.id, actor_name: op.auditAs.name, reason: input.reason, published_at: now, import_id: importId });
        }
        return { revisions, created, revised, unchanged: parsed.rows.length - created - revised };
      };
      if (input.dryRun) {
        const plan = await db.transaction().execute(write);
        return { importId: null, dryRun: true, ...base, created: plan.created, revised: plan.revised, unchanged: plan.unchanged };
      }
      return db.transaction().execute(async (trx) => {
        const plan = await write(trx);
        await store.writeRevisions(trx, plan.revisions);
        await audit(trx, op, 'import', 'registry', REGISTRY, { importId, format, sha256, rows: parsed.rows.length, created: plan.created, revised: plan.revised, unchanged: plan.unchanged, skipped: parsed.skipped, reason: input.reason });
        return { importId, dryRun: false, ...base, created: plan.created, revised: plan.revised, unchanged: plan.unchanged };
      });
    },

    async series(q: { indicator: string; region: string; from?: string; to?: string; asOf?: string }) {
      const indicator = await indicatorOf(q.indicator);
      assertDivision('region', q.region);
      if (q.from) assertPeriod('from', q.from, indicator.frequency);
      if (q.to) assertPeriod('to', q.to, indicator.frequency);
      const asOf = parseAsOf(q.asOf);
      const points = asOf
        ? (await store.seriesAsOf(db, q, asOf)).map((r) => ({ period: r.period, value: Number(r.value), status: r.status, revision: r.revision, publishedAt: r.published_at.toISOString() }))
        : (await store.currentSeries(db, q)).map((r) => ({ period: r.period, value: Number(r.value), status: r.status, revision: r.revision, publishedAt: r.updated_at.toISOString() }));
      return { indicator: presentIndicator(indicator), region: q.region, asOf: asOf?.toISOString() ?? null, points };
    },

    /** One value per child of `parent` in `period` (null where there is none). */
    async crossSection(q: { indicator: string; period: string; parent: string; asOf?: string }) {
      const indicator = await indicatorOf(q.indicator);
      assertDivision('parent', q.parent);
      assertPeriod('period', q.period, indicator.frequency);
      const asOf = parseAsOf(q.asOf);
      const children = childrenOf(tree, q.parent);
      const values = new Map((await store.valuesIn(db, q.indicator, q.period, [q.parent, ...children], asOf)).map((v) => [v.region, v]));
      const item = (region: string) => {
        const v = values.get(region);
        return { region, value: v ? Number(v.value) : null, status: v?.status ?? null };
      };
      return { indicator: presentIndicator(indicator), period: q.period, parent: item(q.parent), asOf: asOf?.toISOString() ?? null, items: children.map(item) };
    },

    /** The value of `division` rolled up from below per the indicator's rule, and which parts were missing. */
    async aggregate(q: { indicator: string; period: string; division: string; asOf?: string }) {
      const indicator = await indicatorOf(q.indicator);
      assertDivision('division', q.division);
      assertPeriod('period', q.period, indicator.frequency);
      const asOf = parseAsOf(q.asOf);
      if (indicator.aggregation === 'none') {
        throw invalidField('indicator', 'not_aggregatable', `${indicator.code} (${indicator.name_en}) does not roll up: its parts do not add up or average to the whole (a rate, say); query the division's own value instead`, `指标 ${indicator.code}（${indicator.name_zh}）不能逐级汇总（如比率类指标），请直接查询该区划的数值`);
      }
      const subtree = subtreeOf(tree, q.division);
      if (subtree.length === 1) throw invalidField('division', 'no_subdivisions', `${q.division} has no subdivisions to roll up from`, `${q.division} 没有下级区划可供汇总`);
      const values = new Map((await store.valuesIn(db, q.indicator, q.period, subtree, asOf)).map((v) => [v.region, Number(v.value)]));
      const rolled = rollUp(tree, q.division, indicator.aggregation, values);
      return {
        indicator: presentIndicator(indicator),
        period: q.period,
        division: q.division,
        rule: indicator.aggregation,
        asOf: asOf?.toISOString() ?? null,
        value: rolled.value,
        published: values.get(q.division) ?? null,
        complete: rolled.missing.length === 0,
        children: rolled.children,
        missing: rolled.missing,
      };
    },

    /** Current observations as plain CSV (the import's own format, so a file round-trips). */
    async exportCsv(q: store.ExportQuery): Promise<string> {
      if (q.indicator) await indicatorOf(q.indicator);
      const rows = await store.exportRows(db, q, 1_000_000);
      const lines = ['indicator,region,period,value,status', ...rows.map((r) => [r.indicator, r.region, r.period, String(Number(r.value)), r.status].join(','))];
      return `${lines.join('\r\n')}\r\n`;
    },
  };
}

export type MacroService = ReturnType<typeof createMacroService>;
export type SeriesAnswer = Awaited<ReturnType<MacroService['series']>>;
export type CrossSectionAnswer = Awaited<ReturnType<MacroService['crossSection']>>;
export type AggregateAnswer = Awaited<ReturnType<MacroService['aggregate']>>;
export type Coverage = Awaited<ReturnType<MacroService['coverage']>>;
