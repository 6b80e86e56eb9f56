// Harvesting: a department imports datasets from a CKAN API dump or a DCAT file as drafts of
// its own entries (class 3, through the entries service, so the catalog's rules, codes and
// audit apply and the drafts go through review). A dataset whose Chinese name matches one
// of the department's entries updates that entry's working copy (a new draft revision), or
// is skipped when nothing changed or the entry is under review. The file and the mapping
// are read and checked whole before anything is written; every dataset's metadata is
// checked with the catalog's own rules before its entry is written, so the report says,
// per dataset, what was created, updated or skipped and why. A dry run writes nothing.
import type { Operator } from '../../../platform/actor.ts';
import type { Audit } from '../../../platform/audit.ts';
import { canonicalJson } from '../../../platform/canonical-json.ts';
import type { Db } from '../../../platform/db.ts';
import { DomainError, type FieldError } from '../../../platform/errors.ts';
import { checkMetadata } from '../model.ts';
import * as policy from '../policy.ts';
import type { CatalogService } from '../service.ts';
import { checkMapping, mapDataset, type HarvestMapping } from './harvest-map.ts';
import { readHarvestFile, type HarvestFormat, type SourceDataset } from './harvest-read.ts';
import { listDepartmentEntries, type DepartmentEntry } from './harvest-store.ts';

export type HarvestRequest = { format: HarvestFormat; content: string; mapping?: unknown; dryRun?: boolean };

export type HarvestOutcome = {
  source: string;
  title: string;
  outcome: 'created' | 'updated' | 'skipped';
  entryId?: string;
  code?: string;
  reason?: string;
  reasonZh?: string;
  errors?: FieldError[];
  warnings: string[];
};

export type HarvestReport = { format: HarvestFormat; dryRun: boolean; total: number; created: number; updated: number; skipped: number; datasets: HarvestOutcome[] };

type Context = { op: Operator; dryRun: boolean; existing: Map<string, DepartmentEntry>; seen: Set<string> };

export function createHarvester(deps: { db: Db; audit: Audit; entries: CatalogService }) {
  /** One dataset: checked with the catalog's rules, then created, updated or skipped (nothing written in a dry run). */
  async function harvestOne(ctx: Context, ds: SourceDataset, mapping: HarvestMapping): Promise<HarvestOutcome> {
    const { input, warnings } = mapDataset(ds, mapping);
    const base = { source: ds.source, title: String(input.nameZh || ds.source), warnings };
    const skipped = (reason: string, reasonZh: string, extra: Partial<HarvestOutcome> = {}): HarvestOutcome => ({ ...base, outcome: 'skipped', reason, reasonZh, ...extra });
    const { metadata, errors } = checkMetadata(input);
    if (errors.length > 0)
      return skipped(`the metadata mapped from it breaks the catalog's rules: ${errors.map((e) => `${e.field} ${e.message}`).join('; ')}`, `映射所得的元数据不符合目录规则：${errors.map((e) => `${e.field} ${e.messageZh ?? e.message}`).join('；')}`, { errors });
    if (ctx.seen.has(metadata.nameZh)) return skipped(`another dataset of the file has the same name ${metadata.nameZh}`, `文件中另一数据集同名（${metadata.nameZh}）`);
    ctx.seen.add(metadata.nameZh);
    const current = ctx.existing.get(metadata.nameZh);
    try {
      if (!current) {
        const created = ctx.dryRun ? undefined : await deps.entries.create(ctx.op, input);
        return { ...base, outcome: 'created', ...(created ? { entryId: created.id, code: created.code } : {}) };
      }
      const known = { entryId: current.id, code: current.code };
      if (canonicalJson({ ...metadata, classification: current.metadata.classification }) === canonicalJson(current.metadata)) return skipped(`entry ${current.code} already says the same`, `目录 ${current.code} 内容相同，无需更新`, known);
      if (current.status === 'submitted') return skipped(`entry ${current.code} is waiting for review; harvest again once it is reviewed`, `目录 ${current.code} 正在审核，审核后再采集`, known);
      if (!ctx.dryRun) await deps.entries.update(ctx.op, current.id, current.version, { ...input, classification: current.metadata.classification });
      return { ...base, outcome: 'updated', ...known };
    } catch (err) {
      // Each entry is written in its own transaction: a refusal leaves nothing of it behind.
      if (!(err instanceof DomainError)) throw err;
      return skipped(err.message, err.messageZh ?? err.message, err.errors ? { errors: err.errors } : {});
    }
  }

  return {
    async run(op: Operator, request: HarvestRequest): Promise<HarvestReport> {
      const orgId = op.auditAs.orgId;
      if (!orgId) throw new DomainError('no_organization', 'A harvest imports entries of a department: run it as a member of one.', '采集的目录属于某一部门，请以部门人员身份运行。');
      if (op.actor) policy.assertMayDraft(op.actor, orgId);
      const mapping = checkMapping(request.mapping);
      const { datasets, problems } = await readHarvestFile(request.content, request.format);
      const ctx: Context = { op, dryRun: request.dryRun === true, existing: new Map((await listDepartmentEntries(deps.db, orgId)).map((e) => [e.metadata.nameZh, e])), seen: new Set() };
      const outcomes: HarvestOutcome[] = [];
      for (const ds of datasets) outcomes.push(await harvestOne(ctx, ds, mapping));
      for (const p of problems) outcomes.push({ source: p.source, title: p.source, outcome: 'skipped', reason: p.reason, reasonZh: p.reasonZh, warnings: [] });

      const count = (o: HarvestOutcome['outcome']) => outcomes.filter((x) => x.outcome === o).length;
      const report: HarvestReport = { format: request.format, dryRun: ctx.dryRun, total: outcomes.length, created: count('created'), updated: count('updated'), skipped: count('skipped'), datasets: outcomes };
      if (!ctx.dryRun)
        await deps.audit.record(deps.db, {
          actor: op.auditAs,
          action: 'catalog.harvest',
          subjectType: 'catalog',
          subjectId: orgId,
          outcome: 'success',
          detail: { format: request.format, total: report.total, created: report.created, updated: report.updated, skipped: report.skipped },
          ip: op.ip,
          requestId: op.requestId,
        });
      return report;
    },
  };
}

export type Harvester = ReturnType<typeof createHarvester>;
