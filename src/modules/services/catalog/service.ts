// The service catalog's rules: a guide is written as a draft by its organization, checked as a
// whole (model.ts), published when complete, and withdrawn rather than deleted, so applications
// made under it keep pointing at what the applicant was shown. Every write is one transaction
// with its audit row; a writer who read an older version gets 409.
import type { Operator } from '../../../platform/actor.ts';
import type { Audit } from '../../../platform/audit.ts';
import type { Clock } from '../../../platform/clock.ts';
import type { Db, Executor } from '../../../platform/db.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../../platform/errors.ts';
import { newId } from '../../../platform/ids.ts';
import { serviceProblems, type ServiceInput, type ServiceKind } from './model.ts';
import { assertMayEditService } from './policy.ts';
import type { ServiceBody, ServiceUpdate, ServiceView } from './schema.ts';
import * as store from './store.ts';

export type OrgNames = (orgId: string) => Promise<{ nameZh: string; nameEn: string } | undefined>;

export type ServiceCatalogDeps = { db: Db; audit: Audit; clock: Clock; orgNames: OrgNames; events: readonly string[] };

const notFound = (code: string) => new NotFoundError('service', code, '事项');
const stale = () => new ConflictError('version_conflict', 'The service was changed by someone else since you read it. Reload it and apply your change again.', '该事项已被他人修改，请刷新后重新修改。');

function inputOf(row: store.ServiceRow): ServiceInput {
  return {
    code: row.code,
    kind: row.kind as ServiceKind,
    orgId: row.org_id,
    jointOrgIds: row.joint_org_ids,
    nameZh: row.name_zh,
    nameEn: row.name_en,
    summaryZh: row.summary_zh,
    summaryEn: row.summary_en,
    legalBasis: row.legal_basis as ServiceInput['legalBasis'],
    conditions: row.conditions as ServiceInput['conditions'],
    materials: row.materials as ServiceInput['materials'],
    fees: row.fees as ServiceInput['fees'],
    statutoryDays: row.statutory_days,
    promisedDays: row.promised_days,
    visits: row.visits as 0 | 1,
    faqs: row.faqs as ServiceInput['faqs'],
    events: row.events,
  };
}

const contentColumns = (input: ServiceInput) => ({
  kind: input.kind,
  joint_org_ids: input.jointOrgIds,
  name_zh: input.nameZh.trim(),
  name_en: input.nameEn.trim(),
  summary_zh: input.summaryZh.trim(),
  summary_en: input.summaryEn.trim(),
  legal_basis: input.legalBasis,
  conditions: input.conditions,
  materials: input.materials,
  fees: input.fees,
  statutory_days: input.statutoryDays,
  promised_days: input.promisedDays,
  visits: input.visits,
  faqs: input.faqs,
  events: input.events,
});

export function createServiceCatalog(deps: ServiceCatalogDeps) {
  const { db, audit, clock } = deps;

  async function present(row: store.ServiceRow): Promise<ServiceView> {
    const org = await deps.orgNames(row.org_id);
    return {
      ...inputOf(row),
      id: row.id,
      version: row.version,
      status: row.status,
      orgNameZh: org?.nameZh ?? '',
      orgNameEn: org?.nameEn ?? '',
      createdAt: row.created_at.toISOString(),
      updatedAt: row.updated_at.toISOString(),
      publishedAt: row.published_at?.toISOString() ?? null,
    };
  }

  async function check(input: ServiceInput): Promise<void> {
    const errors = serviceProblems(input, deps.events);
    for (const [i, id] of [input.orgId, ...input.jointOrgIds].entries()) {
      if (!(await deps.orgNames(id))) errors.push({ field: i === 0 ? 'orgId' : `jointOrgIds/${i - 1}`, code: 'unknown_org', message: 'names no organization in the directory', messageZh: '目录中没有该机关' });
    }
    if (errors.length) throw new ValidationError(errors);
  }

  async function audited(op: Operator, action: string, row: store.ServiceRow, work: (trx: Executor) => Promise<void>, detail: Record<string, unknown> = {}) {
    await db.transaction().execute(async (trx) => {
      await work(trx);
      await audit.record(trx, { actor: op.auditAs, action, subjectType: 'service', subjectId: row.id, outcome: 'success', detail: { code: row.code, ...detail }, ip: op.ip, requestId: op.requestId });
    });
  }

  async function editable(op: Operator, code: string): Promise<store.ServiceRow> {
    const row = await store.findByCode(db, code);
    if (!row) throw notFound(code);
    // A local operator (the seed, the CLI) acts in process; people are checked by policy.
    if (op.actor) assertMayEditService(op.actor, row.org_id);
    return row;
  }

  return {
    async create(op: Operator, body: ServiceBody): Promise<ServiceView> {
      if (op.actor) assertMayEditService(op.actor, body.orgId);
      const input: ServiceInput = { ...body, visits: body.visits as 0 | 1 };
      await check(input);
      if (await store.findByCode(db, input.code)) throw new ConflictError('code_taken', `The item code ${input.code} is already in the catalog.`, `事项编码 ${input.code} 已在目录中。`);
      const now = clock.now();
      const row: store.ServiceRow = { id: newId(), code: input.code, version: 1, status: 'draft', org_id: input.orgId, ...contentColumns(input), created_at: now, updated_at: now, published_at: null };
      await audited(op, 'services.service.create', row, (trx) => store.insertService(trx, row));
      return present(row);
    },

    async update(op: Operator, code: string, body: ServiceUpdate): Promise<ServiceView> {
      const row = await editable(op, code);
      if (row.status !== 'draft') throw new ConflictError('not_draft', 'Only a draft is edited: withdraw the published service and edit it as a new draft.', '仅草稿可编辑：请先撤回已发布的事项，再作为草稿修改。');
      const { version, ...content } = body;
      const input: ServiceInput = { ...content, code: row.code, orgId: row.org_id, visits: content.visits as 0 | 1 };
      await check(input);
      const next: store.ServiceRow = { ...row, ...contentColumns(input), version: row.version + 1, updated_at: clock.now() };
      await audited(op, 'services.service.update', next, async (trx) => {
        if (!(await store.updateService(trx, row.id, version, { ...contentColumns(input), version: next.version, updated_at: next.updated_at }))) throw stale();
      });
      return present(next);
    },

    /** Publishes a draft (checked again as a whole) or takes a published service back to a draft (withdraw). */
    async setStatus(op: Operator, code: string, version: number, status: 'published' | 'withdrawn'): Promise<ServiceView> {
      const row = await editable(op, code);
      if (status === 'published' && row.status === 'published') throw new ConflictError('already_published', 'The service is already published.', '该事项已发布。');
      if (status === 'withdrawn' && row.status !== 'published') throw new ConflictError('not_published', 'Only a published service is withdrawn.', '仅已发布的事项可撤回。');
      if (status === 'published') await check(inputOf(row));
      const now = clock.now();
      // A withdrawn service becomes a draft again, to be corrected and published anew.
      const patch = status === 'published' ? { status: 'published' as const, published_at: now } : { status: 'draft' as const };
      const next: store.ServiceRow = { ...row, ...patch, version: row.version + 1, updated_at: now };
      await audited(op, status === 'published' ? 'services.service.publish' : 'services.service.withdraw', next, async (trx) => {
        if (!(await store.updateService(trx, row.id, version, { ...patch, version: next.version, updated_at: now }))) throw stale();
      });
      return present(next);
    },

    async get(code: string, options: { publishedOnly: boolean }): Promise<ServiceView> {
      const row = await store.findByCode(db, code);
      if (!row || (options.publishedOnly && row.status !== 'published')) throw notFound(code);
      return present(row);
    },

    /** The published guide of an item code, or undefined (a draft is nobody's business outside its organization). */
    async findPublished(code: string): Promise<ServiceView | undefined> {
      const row = await store.findByCode(db, code);
      return row && row.status === 'published' ? present(row) : undefined;
    },

    async findById(id: string): Promise<ServiceView | undefined> {
      const row = await store.findById(db, id);
      return row && row.status === 'published' ? present(row) : undefined;
    },

    /** Published services for the portal: every word in the code, a name or a summary; by organizations or a portal event when given. */
    async searchPublished(q: string, options: { orgIds?: string[]; event?: string; limit: number }): Promise<{ total: number; items: ServiceView[] }> {
      const words = q.split(/\s+/).filter(Boolean).slice(0, 8);
      const found = await store.searchPublished(db, { words, limit: Math.min(Math.max(options.limit, 1), 100), ...(options.orgIds ? { orgIds: options.orgIds } : {}), ...(options.event ? { event: options.event } : {}) });
      return { total: found.total, items: await Promise.all(found.rows.map(present)) };
    },

    async list(filter: { orgId?: string; status?: string }): Promise<ServiceView[]> {
      return Promise.all((await store.listServices(db, filter)).map(present));
    },
  };
}

export type ServiceCatalog = ReturnType<typeof createServiceCatalog>;
