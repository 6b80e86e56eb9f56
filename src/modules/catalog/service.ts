// The catalog's rules: a department drafts an entry of a resource it provides (its code
// assigned at once from the classification), revises it, submits it; the data bureau
// approves (a new published version) or rejects it with a reason. A published entry keeps
// its published version while its next revision is drafted. Base entries are derived from
// the registries (base-entries.ts). Each change is audited in its transaction.
import crypto from 'node:crypto';
import type { Actor, Operator } from '../../platform/actor.ts';
import type { Audit } from '../../platform/audit.ts';
import { canonicalJson } from '../../platform/canonical-json.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db, Executor } from '../../platform/db.ts';
import { ConflictError, DomainError, NotFoundError, ValidationError, invalidField } from '../../platform/errors.ts';
import { classificationCode, resourceCode } from './classification.ts';
import { checkMetadata, type EntryMetadata } from './model.ts';
import * as policy from './policy.ts';
import * as store from './store.ts';

export type OrganizationInfo = { id: string; nameZh: string; nameEn: string; creditCode: string };

export type CatalogDeps = { db: Db; audit: Audit; clock: Clock; findOrganization: (id: string) => Promise<OrganizationInfo | undefined> };

export type EntryView = {
  id: string;
  code: string;
  status: store.EntryStatus;
  version: number;
  provider: { id: string; nameZh: string; nameEn: string; creditCode: string };
  metadata: EntryMetadata;
  publishedVersion: number;
  publishedAt: string | null;
  sourceRegistry: string | null;
  createdAt: string;
  updatedAt: string;
};

export type Settings = { reviewerOrgId: string | null; answerWorkingDays: number };

/**
 * What a create request says beside the metadata, for the parts' create hooks (the similarity
 * check reads `similarSeen`, `similarAcknowledged`, `similarNote`). Undefined when the entry is
 * not drafted through the API (a harvest): the hooks then do nothing.
 */
export type CreateRequest = Record<string, unknown>;
export type CreatedHook = (trx: Executor, op: Operator, row: store.EntryRow, request: CreateRequest) => Promise<void>;

export const DEFAULT_ANSWER_WORKING_DAYS = 10;

export function createCatalogService(deps: CatalogDeps) {
  const { db, clock } = deps;
  // Parts that keep data derived from published versions (the search index) register here;
  // each runs inside the publishing transaction, so what they derive commits (or not) with it.
  const publishedHooks: ((trx: Executor, row: store.EntryRow) => Promise<void>)[] = [];
  const published = async (trx: Executor, row: store.EntryRow) => {
    for (const hook of publishedHooks) await hook(trx, row);
  };
  // Parts that check or record something about a new draft (the similarity check) register
  // here; each runs in the creating transaction, and a refusal it throws writes nothing.
  const createdHooks: CreatedHook[] = [];

  async function settings(executor: Executor = db): Promise<Settings> {
    const row = await store.findSettings(executor);
    return { reviewerOrgId: row?.reviewer_org_id ?? null, answerWorkingDays: row?.answer_working_days ?? DEFAULT_ANSWER_WORKING_DAYS };
  }

  async function organization(id: string): Promise<OrganizationInfo> {
    const org = await deps.findOrganization(id);
    if (!org) throw new NotFoundError('organization', id, '组织');
    return org;
  }

  async function present(row: store.EntryRow, asPublished: boolean): Promise<EntryView> {
    const org = await organization(row.provider_org_id);
    return {
      id: row.id,
      code: row.code,
      status: row.status,
      version: row.version,
      provider: { id: org.id, nameZh: org.nameZh, nameEn: org.nameEn, creditCode: org.creditCode },
      metadata: asPublished ? row.published_metadata! : row.metadata,
      publishedVersion: row.published_version,
      publishedAt: row.published_at?.toISOString() ?? null,
      sourceRegistry: row.source_registry,
      createdAt: row.created_at.toISOString(),
      updatedAt: row.updated_at.toISOString(),
    };
  }

  const audited = (trx: Executor, op: Operator, action: string, row: { id: string; code: string }, detail: Record<string, unknown>) =>
    deps.audit.record(trx, { actor: op.auditAs, action, subjectType: 'catalog_entry', subjectId: row.code, outcome: 'success', detail: { id: row.id, ...detail }, ip: op.ip, requestId: op.requestId });

  const review = (trx: Executor, op: Operator, entryId: string, action: store.ReviewRow['action'], comment: string) =>
    store.insertReview(trx, { id: crypto.randomUUID(), entry_id: entryId, action, actor_name: op.auditAs.name, actor_org_id: op.auditAs.orgId, comment, at: clock.now() });

  function checked(input: Record<string, unknown>): EntryMetadata {
    const { metadata, errors } = checkMetadata(input);
    if (errors.length > 0) throw new ValidationError(errors);
    return metadata;
  }

  const stale = (row: store.EntryRow, expected: number) =>
    new ConflictError('stale_version', `Entry ${row.code} changed since you read version ${expected}; it is now at version ${row.version}. Read it again.`, `目录 ${row.code} 在您读取第 ${expected} 版之后已被修改（当前第 ${row.version} 版），请重新读取。`);

  /** The entry locked for a change, after checking the version the writer read. */
  async function lockedEntry(trx: Executor, id: string, expected: number): Promise<store.EntryRow> {
    if (!Number.isSafeInteger(expected) || expected < 1) throw invalidField('version', 'required', 'must be the version you read (a whole number from 1)', '应为您读取的版本号（从 1 起的整数）');
    const row = await store.findEntry(trx, { id }, true);
    if (!row) throw new NotFoundError('catalog entry', id, '目录');
    if (row.version !== expected) throw stale(row, expected);
    return row;
  }

  function requireComment(comment: string | undefined, required: boolean): string {
    const trimmed = comment?.trim() ?? '';
    if (required && trimmed === '') throw invalidField('comment', 'required', 'is required: say why the entry is sent back, so the department can correct it', '必填：请说明退回原因，以便提供部门修改');
    if ([...trimmed].length > 2000) throw invalidField('comment', 'length', 'must be at most 2000 characters', '不超过 2000 个字符');
    return trimmed;
  }

  function assertDraftable(row: store.EntryRow) {
    if (row.source_registry) throw new ConflictError('derived_entry', `Entry ${row.code} is derived from the ${row.source_registry} registry and follows its schema; change the registry instead.`, `目录 ${row.code} 由登记库 ${row.source_registry} 自动生成并与其模式同步，请修改登记库。`);
  }

  return {
    settings,

    /** Registers `hook`, run in the transaction of every publication (an approval, a derived entry's new version). */
    onPublished(hook: (trx: Executor, row: store.EntryRow) => Promise<void>): void {
      publishedHooks.push(hook);
    },

    async configure(op: Operator, input: { reviewerOrgId: string | null; answerWorkingDays: number }): Promise<Settings> {
      if (op.actor) policy.assertMayConfigure(op.actor);
      if (input.reviewerOrgId !== null) await organization(input.reviewerOrgId).catch(() => {
        throw invalidField('reviewerOrgId', 'unknown_organization', 'names no organization of the directory', '不是目录中的组织');
      });
      if (!Number.isSafeInteger(input.answerWorkingDays) || input.answerWorkingDays < 1 || input.answerWorkingDays > 60) throw invalidField('answerWorkingDays', 'range', 'must be 1 to 60 working days', '应为 1 至 60 个工作日');
      await db.transaction().execute(async (trx) => {
        const before = await settings(trx);
        await store.saveSettings(trx, { reviewer_org_id: input.reviewerOrgId, answer_working_days: input.answerWorkingDays, updated_at: clock.now(), updated_by: op.auditAs.name });
        await deps.audit.record(trx, { actor: op.auditAs, action: 'catalog.settings.update', subjectType: 'catalog', subjectId: 'settings', outcome: 'success', detail: { before, after: input }, ip: op.ip, requestId: op.requestId });
      });
      return settings();
    },

    /** Registers `hook`, run in the transaction of every entry created through the API (`request` given). */
    onCreated(hook: CreatedHook): void {
      createdHooks.push(hook);
    },

    /** A new draft of a resource the writer's department provides; its code is assigned now. */
    async create(op: Operator, input: Record<string, unknown>, request?: CreateRequest): Promise<EntryView> {
      const providerOrgId = op.auditAs.orgId;
      if (!providerOrgId) throw new DomainError('no_organization', 'An entry is written by a member of its provider department.', '目录须由资源提供部门的人员编写。');
      if (op.actor) policy.assertMayDraft(op.actor, providerOrgId);
      const metadata = checked(input);
      if (metadata.classification.class === '1')
        throw invalidField('classification.class', 'derived_class', 'base resources (class 1) are derived from the base registries; catalog a theme (2) or department (3) resource', '基础信息资源（第 1 类）由基础库自动生成；请编目主题（2）或部门（3）信息资源');
      const org = await organization(providerOrgId);
      const row = await db.transaction().execute(async (trx) => {
        if (metadata.classification.class === '3') metadata.classification = { ...metadata.classification, subItem: String(await store.departmentNumber(trx, providerOrgId)).padStart(3, '0') };
        const code = resourceCode(metadata.classification, await store.nextSequence(trx, classificationCode(metadata.classification)));
        const now = clock.now();
        const entry: store.EntryRow = { id: crypto.randomUUID(), code, provider_org_id: org.id, status: 'draft', metadata, version: 1, published_version: 0, published_metadata: null, published_at: null, source_registry: null, created_at: now, updated_at: now };
        await store.insertEntry(trx, entry);
        await audited(trx, op, 'catalog.entry.create', entry, { nameZh: metadata.nameZh });
        if (request) for (const hook of createdHooks) await hook(trx, op, entry, request);
        return entry;
      });
      return present(row, false);
    },

    /** Revises the working copy (a published entry keeps its published version meanwhile). */
    async update(op: Operator, id: string, expected: number, input: Record<string, unknown>): Promise<EntryView> {
      const metadata = checked(input);
      const row = await db.transaction().execute(async (trx) => {
        const current = await lockedEntry(trx, id, expected);
        if (op.actor) policy.assertMayDraft(op.actor, current.provider_org_id);
        assertDraftable(current);
        if (current.status === 'submitted') throw new ConflictError('under_review', `Entry ${current.code} is waiting for review; it can be changed once reviewed.`, `目录 ${current.code} 正在审核，审核后方可修改。`);
        const fixed = current.metadata.classification;
        // A department entry's sub-item is its provider's number, not the writer's to give.
        if (metadata.classification.class === '3' && fixed.class === '3') metadata.classification = { ...metadata.classification, subItem: fixed.subItem };
        if (classificationCode(metadata.classification) !== classificationCode(fixed))
          throw invalidField('classification', 'immutable', `is part of the resource code ${current.code} and cannot change; catalog a new entry instead`, `是信息资源代码 ${current.code} 的组成部分，不可修改；如需调整请新建目录`);
        const next = { ...current, metadata, status: 'draft' as const, version: current.version + 1, updated_at: clock.now() };
        if (!(await store.updateEntry(trx, id, expected, { metadata, status: 'draft', version: next.version, updated_at: next.updated_at }))) throw stale(current, expected);
        await audited(trx, op, 'catalog.entry.update', current, { version: next.version });
        return next;
      });
      return present(row, false);
    },

    async submit(op: Operator, id: string, expected: number, comment?: string): Promise<EntryView> {
      const note = requireComment(comment, false);
      const row = await db.transaction().execute(async (trx) => {
        const current = await lockedEntry(trx, id, expected);
        if (op.actor) policy.assertMayDraft(op.actor, current.provider_org_id);
        assertDraftable(current);
        if (current.status !== 'draft' && current.status !== 'rejected')
          throw new ConflictError('not_a_draft', `Entry ${current.code} is ${current.status}; only a draft is submitted (change it first to start a revision).`, `目录 ${current.code} 当前状态为“${current.status}”，仅草稿可提交审核（如需修订请先修改）。`);
        const next = { ...current, status: 'submitted' as const, version: current.version + 1, updated_at: clock.now() };
        if (!(await store.updateEntry(trx, id, expected, { status: 'submitted', version: next.version, updated_at: next.updated_at }))) throw stale(current, expected);
        await review(trx, op, id, 'submit', note);
        await audited(trx, op, 'catalog.entry.submit', current, { version: next.version });
        return next;
      });
      return present(row, false);
    },

    /** The data bureau's decision on a submitted entry: published as a new version, or sent back with a reason. */
    async decide(op: Operator, id: string, expected: number, decision: 'approve' | 'reject', comment?: string): Promise<EntryView> {
      const note = requireComment(comment, decision === 'reject');
      const { reviewerOrgId } = await settings();
      if (op.actor) policy.assertMayReview(op.actor, reviewerOrgId);
      const row = await db.transaction().execute(async (trx) => {
        const current = await lockedEntry(trx, id, expected);
        if (current.status !== 'submitted') throw new ConflictError('not_submitted', `Entry ${current.code} is not waiting for review (it is ${current.status}).`, `目录 ${current.code} 不在待审核状态（当前为“${current.status}”）。`);
        const now = clock.now();
        let next: store.EntryRow;
        if (decision === 'approve') {
          const publishedVersion = current.published_version + 1;
          next = { ...current, status: 'published', version: current.version + 1, published_version: publishedVersion, published_metadata: current.metadata, published_at: now, updated_at: now };
          await store.insertVersion(trx, { entry_id: id, version: publishedVersion, metadata: current.metadata, published_at: now, published_by: op.auditAs.name, note });
        } else {
          next = { ...current, status: 'rejected', version: current.version + 1, updated_at: now };
        }
        const { id: _id, code: _code, created_at: _created, ...set } = next;
        if (!(await store.updateEntry(trx, id, expected, set))) throw stale(current, expected);
        if (decision === 'approve') await published(trx, next);
        await review(trx, op, id, decision, note);
        await audited(trx, op, `catalog.entry.${decision}`, current, { version: next.version, publishedVersion: next.published_version, comment: note });
        return next;
      });
      return present(row, false);
    },

    /** One entry: what this reader may see of it (others see only its published version). */
    async get(actor: Actor, idOrCode: string): Promise<EntryView> {
      const row = await store.findEntry(db, idOrCode.includes('/') ? { code: idOrCode } : { id: idOrCode });
      if (!row) throw new NotFoundError('catalog entry', idOrCode, '目录');
      const { reviewerOrgId } = await settings();
      if (policy.mayReadUnpublished(actor, row.provider_org_id, reviewerOrgId)) return present(row, false);
      if (row.published_version === 0) throw new NotFoundError('catalog entry', idOrCode, '目录');
      return present(row, true);
    },

    async history(actor: Actor, id: string) {
      const entry = await this.get(actor, id);
      const [versions, reviews] = await Promise.all([store.listVersions(db, entry.id), store.listReviews(db, entry.id)]);
      const { reviewerOrgId } = await settings();
      const trail = policy.mayReadUnpublished(actor, entry.provider.id, reviewerOrgId);
      return {
        versions: versions.map((v) => ({ version: v.version, metadata: v.metadata, publishedAt: v.published_at.toISOString(), publishedBy: v.published_by, note: v.note })),
        reviews: trail ? reviews.map((r) => ({ action: r.action, actorName: r.actor_name, comment: r.comment, at: r.at.toISOString() })) : [],
      };
    },

    /** The catalog's views. `mine` lists the reader's department's entries in every state; otherwise published ones. */
    async list(actor: Actor, filter: { view?: 'base' | 'theme' | 'department'; item?: string; theme?: string; providerOrgId?: string; status?: store.EntryStatus; mine?: boolean; page: number; pageSize: number }) {
      const { reviewerOrgId } = await settings();
      const reviewing = filter.status === 'submitted' && reviewerOrgId !== null && actor.orgId === reviewerOrgId;
      const own = filter.mine === true;
      const status = own || reviewing ? filter.status : 'published';
      const classCode = filter.view === 'base' ? '1' : filter.view === 'department' ? '3' : filter.view === 'theme' ? '2' : undefined;
      const { rows, total } = await store.listEntries(db, {
        status,
        providerOrgId: own ? (actor.orgId ?? undefined) : filter.providerOrgId,
        classCode,
        item: filter.item,
        theme: filter.view === 'theme' ? filter.theme : undefined,
        limit: filter.pageSize,
        offset: (filter.page - 1) * filter.pageSize,
      });
      const items = await Promise.all(rows.map((r) => present(r, !(own || reviewing) && r.published_metadata !== null)));
      return { total, page: filter.page, pageSize: filter.pageSize, items };
    },

    /** For base-entries.ts: writes a derived entry as published, a new version when its metadata changed. */
    async publishDerived(op: Operator, registry: string, providerOrgId: string, metadata: EntryMetadata): Promise<{ code: string; changed: boolean }> {
      return db.transaction().execute(async (trx) => {
        const now = clock.now();
        const current = await store.findEntry(trx, { sourceRegistry: registry }, true);
        // jsonb does not keep key order: compare canonical forms.
        if (current && current.published_metadata && canonicalJson(current.published_metadata) === canonicalJson(metadata) && current.provider_org_id === providerOrgId) return { code: current.code, changed: false };
        let row: store.EntryRow;
        if (!current) {
          const code = resourceCode(metadata.classification, await store.nextSequence(trx, classificationCode(metadata.classification)));
          row = { id: crypto.randomUUID(), code, provider_org_id: providerOrgId, status: 'published', metadata, version: 1, published_version: 1, published_metadata: metadata, published_at: now, source_registry: registry, created_at: now, updated_at: now };
          await store.insertEntry(trx, row);
        } else {
          row = { ...current, provider_org_id: providerOrgId, status: 'published', metadata, version: current.version + 1, published_version: current.published_version + 1, published_metadata: metadata, published_at: now, updated_at: now };
          const { id: _id, code: _code, created_at: _created, ...set } = row;
          await store.updateEntry(trx, current.id, current.version, set);
        }
        await store.insertVersion(trx, { entry_id: row.id, version: row.published_version, metadata, published_at: now, published_by: op.auditAs.name, note: `derived from the ${registry} registry` });
        await published(trx, row);
        await review(trx, op, row.id, 'sync', `derived from the ${registry} registry`);
        await audited(trx, op, 'catalog.entry.sync', row, { registry, publishedVersion: row.published_version });
        return { code: row.code, changed: true };
      });
    },
  };
}

export type CatalogService = ReturnType<typeof createCatalogService>;
