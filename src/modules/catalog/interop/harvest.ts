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
import { checkMapping, mapDataset } from './harvest-map.ts';
import { readHarvestFile, type HarvestFormat } from './harvest-read.ts';
import { listDepartmentEntries } from './harvest-store.ts';

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

export function createHarvester(deps: { db: Db; audit: Audit; entries: CatalogService }) {
  return {
    async run(op: Operator, request: HarvestRequest): Promise<HarvestReport> {
      const orgId = op.auditAs.orgId;
      if (!orgId) throw new DomainError('no_organization', 'A harvest imports entries of a department: run it as a member of one.', '采集的目录属于某一部门，请以部门人员身份运行。');
      if (op.actor) policy.assertMayDraft(op.actor, orgId);
      const mapping = checkMapping(request.mapping);
      const { datasets, problems } = await readHarvestFile(request.content, request.format);
      const dryRun = request.dryRun === true;

      const existing = new Map((await listDepartmentEntries(deps.db, orgId)).map((e) => [e.metadata.nameZh, e]));
      const seen = new Set<string>();
      const outcomes: HarvestOutcome[] = [];
      for (const ds of datasets) {
        const { input, warnings } = mapDataset(ds, mapping);
        const title = String(input.nameZh || ds.source);
        const skip = (reason: string, reasonZh: string, errors?: FieldError[]) => outcomes.push({ source: ds.source, title, outcome: 'skipped', reason, reasonZh, ...(errors ? { errors } : {}), warnings });
        const { metadata, errors } = checkMetadata(input);
        if (errors.length > 0) {
          skip(`the metadata mapped from it breaks the catalog's rules: ${errors.map((e) => `${e.field} ${e.message}`).join('; ')}`, `映射所得的元数据不符合目录规则：${errors.map((e) => `${e.field} ${e.messageZh ?? e.message}`).join('；')}`, errors);
          continue;
        }
        if (seen.has(metadata.nameZh)) {
          skip(`another dataset of the file has the same name ${metadata.nameZh}`, `文件中另一数据集同名（${metadata.nameZh}）`);
          continue;
        }
        seen.add(metadata.nameZh);
        const current = existing.get(metadata.nameZh);
        try {
          if (!current) {
            const created = dryRun ? undefined : await deps.entries.create(op, input);
            outcomes.push({ source: ds.source, title, outcome: 'created', ...(created ? { entryId: created.id, code: created.code } : {}), warnings });
            continue;
          }
          const revised = { ...metadata, classification: current.metadata.classification };
          if (canonicalJson(revised) === canonicalJson(current.metadata)) {
            outcomes.push({ source: ds.source, title, outcome: 'skipped', entryId: current.id, code: current.code, reason: `entry ${current.code} already says the same`, reasonZh: `目录 ${current.code} 内容相同，无需更新`, warnings });
            continue;
          }
          if (current.status === 'submitted') {
            outcomes.push({ source: ds.source, title, outcome: 'skipped', entryId: current.id, code: current.code, reason: `entry ${current.code} is waiting for review; harvest again once it is reviewed`, reasonZh: `目录 ${current.code} 正在审核，审核后再采集`, warnings });
            continue;
          }
          if (!dryRun) await deps.entries.update(op, current.id, current.version, { ...input, classification: current.metadata.classification });
          outcomes.push({ source: ds.source, title, outcome: 'updated', entryId: current.id, code: current.code, warnings });
        } catch (err) {
          if (!(err instanceof DomainError)) throw err;
          skip(err.message, err.messageZh ?? err.message, err.errors);
        }
      }
      for (const p of problems) outcomes.push({ source: p.source, title: p.source, outcome: 'skipped', reason: p.reason, reasonZh: p.reasonZh, warnings: [] });

      const count = (o: HarvestOutcome['outcome']) => outcomes.filter((x) => x.outcome === o).length;
      const report: HarvestReport = { format: request.format, dryRun, total: outcomes.length, created: count('created'), updated: count('updated'), skipped: count('skipped'), datasets: outcomes };
      if (!dryRun)
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
