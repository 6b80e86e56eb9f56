// Share requests: a department asks for a published, shareable resource, naming the data
// items, purpose, legal basis, period and the subsystem that will call it. Unconditional
// resources are granted at once; conditional ones wait for the provider, who answers within
// the configured number of working days (approve, possibly fewer items, or reject with the
// reason); past the deadline the request is escalated to the data bureau, which may answer
// in the provider's stead. An approval writes the access rights in the exchange, limited to
// the granted items' fields, in the same transaction; they are revoked when the period ends
// or the provider revokes them.
import crypto from 'node:crypto';
import { hasRole, type Actor, type Operator } from '../../../platform/actor.ts';
import type { Audit } from '../../../platform/audit.ts';
import type { Clock } from '../../../platform/clock.ts';
import type { Db, Executor } from '../../../platform/db.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError, invalidField, type FieldError } from '../../../platform/errors.ts';
import { chinaDateOf, isCivilDate, workingDaysBetween, workingDaysLeft, type Deadline, type WorkCalendar } from '../../../platform/workdays.ts';
import type { EntryMetadata } from '../model.ts';
import type { CatalogService, OrganizationInfo } from '../service.ts';
import * as entryStore from '../store.ts';
import * as store from './store.ts';

type ReadPath = { method: 'GET' | 'POST'; pathPattern: string };
type ServiceInfo = { id: string; org_id: string; code: string; backend_url: string; status: string };
type RightInput = { clientKind: 'subsystem'; client: string; method: 'GET' | 'POST'; pathPattern: string; fields?: string[] };

/** What the exchange offers a module that decides rights itself (see exchange/registry.ts). */
export type ExchangeRights<P> = {
  findServiceByIdentifier(identifier: string): Promise<ServiceInfo | undefined>;
  prepareGrant(serviceId: string, input: RightInput): Promise<P>;
  grantIn(trx: Executor, op: Operator, prepared: P): Promise<{ id: string }>;
  revokeIn(trx: Executor, op: Operator, serviceId: string, rightId: string): Promise<void>;
  changed(): void;
};

export type RequestsDeps<P> = {
  db: Db;
  audit: Audit;
  clock: Clock;
  entries: CatalogService;
  findOrganization: (id: string) => Promise<OrganizationInfo | undefined>;
  findSubsystem: (identifier: string) => Promise<{ orgId: string; identifier: string; status: string } | undefined>;
  calendar: { deadline(startedAt: Date, workingDays: number): Promise<Deadline>; workCalendar(): Promise<WorkCalendar> };
  exchange: ExchangeRights<P>;
  /** What reading a registry's service is (the registries' read paths), or undefined for other services. */
  readPathsOf: (backendUrl: string, registry: string) => ReadPath[] | undefined;
};

export type RequestInput = { entryId: string; items: string[]; purpose: string; legalBasis: string; periodFrom: string; periodTo: string; subsystem: string };

/** Answers other services than the registries' cover reading: GET and POST queries. */
const DEFAULT_READS: ReadPath[] = [
  { method: 'GET', pathPattern: '/**' },
  { method: 'POST', pathPattern: '/**' },
];

const MAX_PERIOD_DAYS = 5 * 366;

export function createShareRequests<P>(deps: RequestsDeps<P>) {
  const { db, clock } = deps;

  const orgName = async (id: string) => {
    const org = await deps.findOrganization(id);
    return { id, nameZh: org?.nameZh ?? id, nameEn: org?.nameEn ?? id };
  };

  async function present(row: store.RequestRow, calendar?: WorkCalendar) {
    const [provider, consumer, entry] = await Promise.all([orgName(row.provider_org_id), orgName(row.consumer_org_id), entryStore.findEntry(db, { id: row.entry_id })]);
    const now = clock.now();
    const cal = calendar ?? (row.due_date ? await deps.calendar.workCalendar() : undefined);
    return {
      id: row.id,
      entry: { id: row.entry_id, code: row.entry_code, version: row.entry_version, nameZh: entry?.published_metadata?.nameZh ?? '', nameEn: entry?.published_metadata?.nameEn ?? '' },
      provider,
      consumer,
      subsystem: row.consumer_subsystem,
      items: row.items,
      grantedItems: row.granted_items,
      purpose: row.purpose,
      legalBasis: row.legal_basis,
      periodFrom: row.period_from,
      periodTo: row.period_to,
      status: row.status,
      due:
        row.due_date && row.due_at
          ? { date: row.due_date, at: row.due_at.toISOString(), confirmed: row.deadline_confirmed ?? false, workingDaysLeft: row.status === 'pending' && cal ? workingDaysLeft(cal, now, row.due_date) : null }
          : null,
      escalatedAt: row.escalated_at?.toISOString() ?? null,
      answeredAt: row.answered_at?.toISOString() ?? null,
      answeredBy: row.answered_by,
      reason: row.answer_reason,
      serviceIdentifier: row.service_identifier,
      rightIds: row.right_ids,
      createdBy: row.created_by,
      createdAt: row.created_at.toISOString(),
      updatedAt: row.updated_at.toISOString(),
      version: row.version,
    };
  }
  type RequestView = Awaited<ReturnType<typeof present>>;

  const audited = (trx: Executor, op: Operator, action: string, row: Pick<store.RequestRow, 'id' | 'entry_code'>, detail: Record<string, unknown>) =>
    deps.audit.record(trx, { actor: op.auditAs, action, subjectType: 'share_request', subjectId: row.id, outcome: 'success', detail: { entry: row.entry_code, ...detail }, ip: op.ip, requestId: op.requestId });

  function text(errors: FieldError[], field: string, value: unknown, max: number): string {
    const trimmed = typeof value === 'string' ? value.trim() : '';
    if (trimmed === '') errors.push({ field, code: 'required', message: 'is required', messageZh: '必填' });
    else if ([...trimmed].length > max) errors.push({ field, code: 'length', message: `must be at most ${max} characters`, messageZh: `不超过 ${max} 个字符` });
    return trimmed;
  }

  /** Checks the items asked or granted against the entry's published data items. */
  function checkItems(errors: FieldError[], field: string, items: unknown, metadata: EntryMetadata, within?: string[]): string[] {
    if (!Array.isArray(items) || items.length === 0) {
      errors.push({ field, code: 'required', message: 'must list at least one data item of the entry', messageZh: '至少选择一个该目录的信息项' });
      return [];
    }
    const known = new Set(metadata.dataItems.map((d) => d.name));
    const chosen = [...new Set(items.map(String))];
    chosen.forEach((item, i) => {
      if (!known.has(item)) errors.push({ field: `${field}[${i}]`, code: 'unknown_item', message: `${item} is not a data item of the entry`, messageZh: `“${item}”不是该目录的信息项` });
      else if (within && !within.includes(item)) errors.push({ field: `${field}[${i}]`, code: 'not_requested', message: `${item} was not requested; an approval grants the items asked for or fewer`, messageZh: `“${item}”不在申请范围内；批准的信息项只能等于或少于申请的` });
    });
    // Fewer items than all need fields to grant them by; without, the resource is shared whole.
    const partial = chosen.length < metadata.dataItems.length;
    if (partial && metadata.dataItems.some((d) => d.field === ''))
      errors.push({ field, code: 'whole_resource', message: 'this resource is shared whole: its data items do not name their fields in the serving API, so all must be chosen', messageZh: '该资源只能整体共享（信息项未标明接口字段），须选择全部信息项' });
    return chosen;
  }

  /** The fields a grant of `items` carries: undefined (the whole answer) when every item is granted. */
  function fieldsOf(metadata: EntryMetadata, items: string[]): string[] | undefined {
    if (items.length >= metadata.dataItems.length) return undefined;
    return metadata.dataItems.filter((d) => items.includes(d.name)).map((d) => d.field);
  }

  async function serviceFor(metadata: EntryMetadata, code: string): Promise<ServiceInfo> {
    const service = metadata.exchangeService ? await deps.exchange.findServiceByIdentifier(metadata.exchangeService) : undefined;
    if (!service || service.status !== 'active')
      throw new ConflictError('no_service', `Entry ${code} names no active exchange service to read it through; its provider publishes one first.`, `目录 ${code} 没有可用的数据交换服务，需提供部门先发布服务。`);
    return service;
  }

  /** Checked before the transaction: the rights an approval of `items` writes. */
  async function prepareRights(service: ServiceInfo, metadata: EntryMetadata, subsystem: string, items: string[]): Promise<{ serviceId: string; prepared: P[] }> {
    const paths = deps.readPathsOf(service.backend_url, service.code) ?? DEFAULT_READS;
    const fields = fieldsOf(metadata, items);
    const prepared: P[] = [];
    for (const path of paths) prepared.push(await deps.exchange.prepareGrant(service.id, { clientKind: 'subsystem', client: subsystem, method: path.method, pathPattern: path.pathPattern, ...(fields ? { fields } : {}) }));
    return { serviceId: service.id, prepared };
  }

  async function writeRights(trx: Executor, op: Operator, rights: { prepared: P[] }): Promise<string[]> {
    const ids: string[] = [];
    for (const p of rights.prepared) {
      const right = await deps.exchange.grantIn(trx, op, p).catch((err: { code?: string }) => {
        if (err?.code === 'right_exists') throw new ConflictError('right_exists', 'The consumer subsystem already holds an access right to this service; its provider revokes it before another is granted.', '申请方子系统已持有该服务的访问权限，需提供部门先撤销再授予。');
        throw err;
      });
      ids.push(right.id);
    }
    return ids;
  }

  /** The service's id, looked up before a transaction (the exchange's lookups use their own connection). */
  async function serviceIdOf(row: store.RequestRow): Promise<string | undefined> {
    return (await deps.exchange.findServiceByIdentifier(row.service_identifier))?.id;
  }

  async function revokeRights(trx: Executor, op: Operator, serviceId: string | undefined, rightIds: string[]) {
    if (!serviceId) return;
    for (const id of rightIds)
      await deps.exchange.revokeIn(trx, op, serviceId, id).catch((err: { code?: string }) => {
        // Revoked already by the provider in the exchange pages: nothing left to do.
        if (err?.code !== 'already_revoked') throw err;
      });
  }

  async function locked(trx: Executor, id: string, expected: number): Promise<store.RequestRow> {
    if (!Number.isSafeInteger(expected) || expected < 1) throw invalidField('version', 'required', 'must be the version you read (a whole number from 1)', '应为您读取的版本号（从 1 起的整数）');
    const row = await store.findRequest(trx, id, true);
    if (!row) throw new NotFoundError('share request', id, '共享申请');
    if (row.version !== expected) throw new ConflictError('stale_version', `The request changed since you read version ${expected}; read it again.`, `该申请在您读取第 ${expected} 版之后已有变化，请重新读取。`);
    return row;
  }

  const isReviewer = async (actor: Actor) => {
    const { reviewerOrgId } = await deps.entries.settings();
    return reviewerOrgId !== null && actor.orgId === reviewerOrgId && hasRole(actor, 'org_admin', 'officer');
  };
  const staffOf = (actor: Actor, orgId: string) => actor.orgId === orgId && hasRole(actor, 'org_admin', 'officer');

  async function assertMayRead(actor: Actor, row: store.RequestRow) {
    if (actor.orgId === row.consumer_org_id || actor.orgId === row.provider_org_id || hasRole(actor, 'platform_admin') || (await isReviewer(actor))) return;
    throw new NotFoundError('share request', row.id, '共享申请');
  }

  async function finish(work: (trx: Executor) => Promise<store.RequestRow>): Promise<RequestView> {
    const row = await db.transaction().execute(work);
    deps.exchange.changed();
    return present(row);
  }

  return {
    async create(op: Operator, input: RequestInput): Promise<RequestView> {
      const actor = op.actor;
      const consumerOrgId = op.auditAs.orgId;
      if (!consumerOrgId || (actor && !hasRole(actor, 'org_admin', 'officer'))) throw new ForbiddenError("Only a department's officers and administrators request resources for it.", '仅部门的工作人员和管理员可为本部门申请共享。');
      const entry = typeof input.entryId === 'string' && /^[0-9a-f-]{36}$/.test(input.entryId) ? await entryStore.findEntry(db, { id: input.entryId }) : undefined;
      if (!entry || !entry.published_metadata) throw invalidField('entryId', 'not_found', 'names no published catalog entry', '不是已发布的目录');
      const metadata = entry.published_metadata;
      if (metadata.sharing.type === 'none') throw new ConflictError('not_shareable', `Entry ${entry.code} is not shared (${metadata.sharing.basis}).`, `目录 ${entry.code} 不予共享（依据：${metadata.sharing.basis}）。`);
      if (entry.provider_org_id === consumerOrgId) throw new ConflictError('own_resource', 'Your department provides this resource; it needs no share request.', '该资源由本部门提供，无需申请共享。');
      const errors: FieldError[] = [];
      const items = checkItems(errors, 'items', input.items, metadata);
      const purpose = text(errors, 'purpose', input.purpose, 2000);
      const legalBasis = text(errors, 'legalBasis', input.legalBasis, 2000);
      const today = chinaDateOf(clock.now());
      if (!isCivilDate(String(input.periodFrom))) errors.push({ field: 'periodFrom', code: 'format', message: 'must be a date written YYYY-MM-DD', messageZh: '应为日期，格式 YYYY-MM-DD' });
      if (!isCivilDate(String(input.periodTo))) errors.push({ field: 'periodTo', code: 'format', message: 'must be a date written YYYY-MM-DD', messageZh: '应为日期，格式 YYYY-MM-DD' });
      else if (input.periodTo < today) errors.push({ field: 'periodTo', code: 'past', message: 'has passed: the period must reach into the future', messageZh: '已过去：使用期限须晚于今天' });
      if (isCivilDate(String(input.periodFrom)) && isCivilDate(String(input.periodTo))) {
        if (input.periodTo < input.periodFrom) errors.push({ field: 'periodTo', code: 'order', message: 'must not be before the start of the period', messageZh: '不得早于使用期限的开始日期' });
        else if ((Date.parse(input.periodTo) - Date.parse(input.periodFrom)) / 86_400_000 > MAX_PERIOD_DAYS) errors.push({ field: 'periodTo', code: 'range', message: 'the period may be at most five years; ask again when it ends', messageZh: '使用期限最长五年，到期后可再次申请' });
      }
      const subsystem = typeof input.subsystem === 'string' ? await deps.findSubsystem(input.subsystem.trim()) : undefined;
      if (!subsystem || subsystem.orgId !== consumerOrgId || subsystem.status !== 'active') errors.push({ field: 'subsystem', code: 'not_yours', message: "must be an active subsystem of your department (INSTANCE/CLASS/MEMBER/SUBSYSTEM)", messageZh: '应为本部门在用的子系统（INSTANCE/CLASS/MEMBER/SUBSYSTEM）' });
      if (errors.length > 0) throw new ValidationError(errors);
      const service = await serviceFor(metadata, entry.code);
      const unconditional = metadata.sharing.type === 'unconditional';
      const rights = unconditional ? await prepareRights(service, metadata, subsystem!.identifier, items) : undefined;
      const { answerWorkingDays } = await deps.entries.settings();
      const now = clock.now();
      const deadline = unconditional ? undefined : await deps.calendar.deadline(now, answerWorkingDays);
      return finish(async (trx) => {
        const row: store.RequestRow = {
          id: crypto.randomUUID(),
          entry_id: entry.id,
          entry_code: entry.code,
          entry_version: entry.published_version,
          provider_org_id: entry.provider_org_id,
          consumer_org_id: consumerOrgId,
          consumer_subsystem: subsystem!.identifier,
          items,
          granted_items: unconditional ? items : null,
          purpose,
          legal_basis: legalBasis,
          period_from: input.periodFrom,
          period_to: input.periodTo,
          status: unconditional ? 'approved' : 'pending',
          due_date: deadline?.dueDate ?? null,
          due_at: deadline?.dueAt ?? null,
          deadline_confirmed: deadline?.confirmed ?? null,
          escalated_at: null,
          answered_at: unconditional ? now : null,
          answered_by: unconditional ? 'egov (unconditional sharing)' : null,
          answer_reason: '',
          service_identifier: metadata.exchangeService,
          right_ids: rights ? await writeRights(trx, op, rights) : [],
          created_by: op.auditAs.name,
          created_at: now,
          updated_at: now,
          version: 1,
        };
        await store.insertRequest(trx, row);
        await audited(trx, op, 'catalog.request.create', row, { items, status: row.status, dueDate: row.due_date, subsystem: row.consumer_subsystem });
        return row;
      });
    },

    /** The provider's answer (or the data bureau's, once the request is escalated). */
    async decide(op: Operator, id: string, expected: number, decision: 'approve' | 'reject', input: { items?: string[]; reason?: string }): Promise<RequestView> {
      const current = await store.findRequest(db, id);
      if (!current) throw new NotFoundError('share request', id, '共享申请');
      if (op.actor) {
        await assertMayRead(op.actor, current);
        const mayAnswer = staffOf(op.actor, current.provider_org_id) || (current.escalated_at !== null && (await isReviewer(op.actor)));
        if (!mayAnswer) throw new ForbiddenError('Only the providing department answers a share request (and the data bureau once it is overdue).', '仅资源提供部门可答复共享申请（逾期后数据主管部门亦可）。');
      }
      if (current.status !== 'pending') throw new ConflictError('not_pending', `The request is ${current.status}, not waiting for an answer.`, `该申请当前为“${current.status}”，不在待答复状态。`);
      const entry = await entryStore.findEntry(db, { id: current.entry_id });
      const metadata = entry!.published_metadata!;
      const errors: FieldError[] = [];
      const reason = (input.reason ?? '').trim();
      if (decision === 'reject' && reason === '') errors.push({ field: 'reason', code: 'required', message: 'is required: tell the requesting department why', messageZh: '必填：请告知申请部门不予共享的理由' });
      if ([...reason].length > 2000) errors.push({ field: 'reason', code: 'length', message: 'must be at most 2000 characters', messageZh: '不超过 2000 个字符' });
      const items = decision === 'approve' ? checkItems(errors, 'items', input.items ?? current.items, metadata, current.items) : [];
      if (errors.length > 0) throw new ValidationError(errors);
      const rights = decision === 'approve' ? await prepareRights(await serviceFor(metadata, current.entry_code), metadata, current.consumer_subsystem, items) : undefined;
      return finish(async (trx) => {
        const row = await locked(trx, id, expected);
        if (row.status !== 'pending') throw new ConflictError('not_pending', `The request is ${row.status}, not waiting for an answer.`, `该申请当前为“${row.status}”，不在待答复状态。`);
        const now = clock.now();
        const next: store.RequestRow = {
          ...row,
          status: decision === 'approve' ? 'approved' : 'rejected',
          granted_items: decision === 'approve' ? items : null,
          answered_at: now,
          answered_by: op.actor?.displayName ?? op.auditAs.name,
          answer_reason: reason,
          right_ids: rights ? await writeRights(trx, op, rights) : [],
          updated_at: now,
          version: row.version + 1,
        };
        await store.updateRequest(trx, id, row.version, next);
        await audited(trx, op, `catalog.request.${decision}`, row, { items: next.granted_items, reason, rights: next.right_ids.length, byDataBureau: op.actor ? !staffOf(op.actor, row.provider_org_id) : false });
        return next;
      });
    },

    /** The consumer takes back a pending request. */
    async withdraw(op: Operator, id: string, expected: number): Promise<RequestView> {
      const current = await store.findRequest(db, id);
      if (!current) throw new NotFoundError('share request', id, '共享申请');
      if (op.actor && !staffOf(op.actor, current.consumer_org_id)) {
        await assertMayRead(op.actor, current);
        throw new ForbiddenError('Only the requesting department withdraws its request.', '仅申请部门可撤回申请。');
      }
      return finish(async (trx) => {
        const row = await locked(trx, id, expected);
        if (row.status !== 'pending') throw new ConflictError('not_pending', `The request is ${row.status}; only a pending one is withdrawn.`, `该申请当前为“${row.status}”，仅待答复的申请可撤回。`);
        const next = { ...row, status: 'withdrawn' as const, updated_at: clock.now(), version: row.version + 1 };
        await store.updateRequest(trx, id, row.version, next);
        await audited(trx, op, 'catalog.request.withdraw', row, {});
        return next;
      });
    },

    /** The provider (or the data bureau) ends an approved request before its period: the rights go. */
    async revoke(op: Operator, id: string, expected: number, reason: string | undefined): Promise<RequestView> {
      const current = await store.findRequest(db, id);
      if (!current) throw new NotFoundError('share request', id, '共享申请');
      if (op.actor && !staffOf(op.actor, current.provider_org_id) && !(await isReviewer(op.actor))) {
        await assertMayRead(op.actor, current);
        throw new ForbiddenError('Only the providing department (or the data bureau) revokes a share.', '仅资源提供部门（或数据主管部门）可终止共享。');
      }
      const why = (reason ?? '').trim();
      if (why === '') throw invalidField('reason', 'required', 'is required: tell the consumer why its access ends', '必填：请告知申请部门终止共享的理由');
      const serviceId = await serviceIdOf(current);
      return finish(async (trx) => {
        const row = await locked(trx, id, expected);
        if (row.status !== 'approved') throw new ConflictError('not_approved', `The request is ${row.status}; only an approved share is revoked.`, `该申请当前为“${row.status}”，仅已批准的共享可终止。`);
        await revokeRights(trx, op, serviceId, row.right_ids);
        const next = { ...row, status: 'revoked' as const, answer_reason: why, updated_at: clock.now(), version: row.version + 1 };
        await store.updateRequest(trx, id, row.version, next);
        await audited(trx, op, 'catalog.request.revoke', row, { reason: why, rights: row.right_ids.length });
        return next;
      });
    },

    async get(actor: Actor, id: string): Promise<RequestView> {
      const row = /^[0-9a-f-]{36}$/.test(id) ? await store.findRequest(db, id) : undefined;
      if (!row) throw new NotFoundError('share request', id, '共享申请');
      await assertMayRead(actor, row);
      return present(row);
    },

    /** `mine`: my department's requests; `incoming`: requests for my department's resources; `escalated`: overdue ones (data bureau). */
    async list(actor: Actor, filter: { box: 'mine' | 'incoming' | 'escalated'; status?: store.RequestStatus; page: number; pageSize: number }) {
      if (filter.box === 'escalated' && !(await isReviewer(actor)) && !hasRole(actor, 'platform_admin')) throw new ForbiddenError('Only the data bureau sees the escalated requests.', '仅数据主管部门可查看逾期升级的申请。');
      const org = actor.orgId ?? '';
      const { rows, total } = await store.listRequests(db, {
        consumerOrgId: filter.box === 'mine' ? org : undefined,
        providerOrgId: filter.box === 'incoming' ? org : undefined,
        escalated: filter.box === 'escalated',
        status: filter.status,
        limit: filter.pageSize,
        offset: (filter.page - 1) * filter.pageSize,
      });
      const calendar = await deps.calendar.workCalendar();
      return { total, page: filter.page, pageSize: filter.pageSize, items: await Promise.all(rows.map((r) => present(r, calendar))) };
    },

    /** The periodic sweep: escalates overdue requests and ends the shares whose period is over. */
    async sweep(op: Operator): Promise<{ escalated: number; expired: number }> {
      const now = clock.now();
      let escalated = 0;
      for (const due of await store.overdue(db, now)) {
        const done = await db.transaction().execute(async (trx) => {
          const row = await store.findRequest(trx, due.id, true);
          if (!row || row.status !== 'pending' || row.escalated_at !== null) return false;
          await store.updateRequest(trx, row.id, row.version, { escalated_at: now, updated_at: now, version: row.version + 1 });
          await audited(trx, op, 'catalog.request.escalate', row, { dueAt: row.due_at?.toISOString() });
          return true;
        });
        if (done) escalated++;
      }
      let expired = 0;
      for (const end of await store.ended(db, chinaDateOf(now))) {
        const before = await store.findRequest(db, end.id);
        const serviceId = before && (await serviceIdOf(before));
        const done = await db.transaction().execute(async (trx) => {
          const row = await store.findRequest(trx, end.id, true);
          if (!row || row.status !== 'approved') return false;
          await revokeRights(trx, op, serviceId, row.right_ids);
          await store.updateRequest(trx, row.id, row.version, { status: 'expired', updated_at: now, version: row.version + 1 });
          await audited(trx, op, 'catalog.request.expire', row, { periodTo: row.period_to });
          return true;
        });
        if (done) expired++;
      }
      if (expired > 0) deps.exchange.changed();
      return { escalated, expired };
    },

    /** Per organization: requests made and received, approval rate, working days to answer. */
    async statistics() {
      const [rows, calendar] = await Promise.all([store.allForStats(db), deps.calendar.workCalendar()]);
      const byOrg = new Map<string, { made: number; received: number; approved: number; rejected: number; pending: number; overdue: number; answerDays: number[] }>();
      const of = (id: string) => {
        if (!byOrg.has(id)) byOrg.set(id, { made: 0, received: 0, approved: 0, rejected: 0, pending: 0, overdue: 0, answerDays: [] });
        return byOrg.get(id)!;
      };
      for (const r of rows) {
        of(r.consumer_org_id).made++;
        const p = of(r.provider_org_id);
        p.received++;
        if (r.status === 'pending') p.pending++;
        if (r.escalated_at) p.overdue++;
        if (r.status === 'rejected') p.rejected++;
        if (r.status === 'approved' || r.status === 'revoked' || r.status === 'expired') p.approved++;
        if (r.answered_at) p.answerDays.push(workingDaysBetween(calendar, chinaDateOf(r.created_at), chinaDateOf(r.answered_at)));
      }
      return Promise.all(
        [...byOrg].map(async ([orgId, s]) => {
          const decided = s.approved + s.rejected;
          return {
            organization: await orgName(orgId),
            made: s.made,
            received: s.received,
            approved: s.approved,
            rejected: s.rejected,
            pending: s.pending,
            overdue: s.overdue,
            approvalRate: decided === 0 ? null : s.approved / decided,
            averageWorkingDaysToAnswer: s.answerDays.length === 0 ? null : s.answerDays.reduce((a, b) => a + b, 0) / s.answerDays.length,
          };
        }),
      );
    },
  };
}

export type ShareRequests = ReturnType<typeof createShareRequests>;
