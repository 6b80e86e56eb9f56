// The directory's rules: how organizations nest, which codes they must carry, and that
// nothing is ever deleted. Every change is audited in the same transaction.
import type { Actor, Operator } from '../../platform/actor.ts';
import type { Audit } from '../../platform/audit.ts';
import type { ChangeFeed } from '../../platform/changes.ts';
import type { Clock } from '../../platform/clock.ts';
import { checkCreditCode } from '../../platform/codes/credit-code.ts';
import { createDivisionIndex, divisionLevelOf, divisionWithin, type DivisionIndex } from '../../platform/codes/division.ts';
import type { Db, Executor } from '../../platform/db.ts';
import { isUniqueViolation } from '../../platform/db-errors.ts';
import { ConflictError, NotFoundError, ValidationError, type FieldError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import * as policy from './policy.ts';
import {
  LEVEL_RANK,
  type OrgLevel,
  type OrgType,
  type Organization,
  type OrganizationCreate,
  type OrganizationPage,
  type OrganizationQuery,
  type OrganizationUpdate,
  type Subsystem,
  type SubsystemCreate,
  type SubsystemUpdate,
} from './schema.ts';
import { createDirectoryReadModel } from './read-model.ts';
import * as store from './store.ts';
import type { OrganizationRow, SubsystemRow } from './store.ts';

/** The whole nation: central organs carry this division code. */
export const NATIONAL_DIVISION = '100000';
const TOPIC = 'directory';
const DIVISIONS_TOPIC = 'directory.divisions';
const LEVEL_ZH: Record<OrgLevel, string> = { central: '中央', province: '省级', city: '市级', county: '县级' };

export type DirectoryDeps = { db: Db; audit: Audit; clock: Clock; changes: ChangeFeed; instance: string };

function versionConflict(what: string): ConflictError {
  return new ConflictError(
    'version_conflict',
    `The ${what} was changed by someone else. Reload it and apply your change again.`,
    '该记录已被他人修改，请刷新后重新修改。',
  );
}

function inactiveError(): ConflictError {
  return new ConflictError('inactive', 'The organization is deactivated. Reactivate it first.', '该组织已停用，请先重新启用。');
}

export function createDirectoryService(deps: DirectoryDeps) {
  const { db, audit, clock } = deps;
  let divisions: DivisionIndex = createDivisionIndex();

  const identifierFor = (creditCode: string) => `${deps.instance}/GOV/${creditCode}`;

  function present(row: OrganizationRow): Organization {
    return {
      id: row.id,
      parentId: row.parent_id,
      identifier: row.identifier,
      nameZh: row.name_zh,
      nameEn: row.name_en,
      creditCode: row.credit_code,
      divisionCode: row.division_code,
      divisionName: row.division_code === NATIONAL_DIVISION ? '全国' : (divisions.find(row.division_code)?.name ?? null),
      type: row.type,
      level: row.level,
      status: row.status,
      version: row.version,
      createdAt: row.created_at.toISOString(),
      updatedAt: row.updated_at.toISOString(),
    };
  }

  function presentSubsystem(row: SubsystemRow): Subsystem {
    return {
      id: row.id,
      orgId: row.org_id,
      code: row.code,
      identifier: row.identifier,
      nameZh: row.name_zh,
      nameEn: row.name_en,
      description: row.description,
      status: row.status,
      version: row.version,
    };
  }

  const readModel = createDirectoryReadModel({ db, present });
  deps.changes.subscribe(TOPIC, () => readModel.invalidate());

  async function loadDivisions(): Promise<void> {
    const local = await store.listLocalDivisions(db);
    divisions = createDivisionIndex(local.map((d) => ({ ...d, parent: d.parent ?? undefined, source: 'local' })));
    readModel.invalidate(); // division names are part of what it presents
  }
  deps.changes.subscribe(DIVISIONS_TOPIC, () => void loadDivisions().catch(() => {}));

  async function getRow(executor: Executor, id: string, forUpdate = false): Promise<OrganizationRow> {
    const row = await store.findOrganization(executor, id, forUpdate);
    if (!row) throw new NotFoundError('organization', id, '组织');
    return row;
  }

  /**
   * Checks codes and nesting together and reports every problem at once.
   * Returns the level, which is derived rather than chosen.
   */
  function validateShape(input: { parent: OrganizationRow | null; creditCode: string; divisionCode: string; type: OrgType }): OrgLevel {
    const errors: FieldError[] = [];
    const { parent, creditCode, divisionCode, type } = input;
    const creditProblem = checkCreditCode(creditCode);
    if (creditProblem === 'format') {
      errors.push({
        field: 'creditCode',
        code: 'credit_code_format',
        message: 'must be 18 characters from 0-9 and A-Y without I, O, S, V, Z, with a six-digit division code in positions 3-8',
        messageZh: '应为 18 位，由数字和除 I、O、S、V、Z 以外的大写字母组成，第 3–8 位为行政区划代码',
      });
    } else if (creditProblem === 'check_character') {
      errors.push({
        field: 'creditCode',
        code: 'credit_code_check',
        message: 'the check character (last) does not match; check for a typing error',
        messageZh: '校验码（最后一位）不符，请检查是否输入有误',
      });
    } else if ((type === 'government' || type === 'organ') && !creditCode.startsWith('11')) {
      errors.push({
        field: 'creditCode',
        code: 'credit_code_type',
        message: 'a government or government organ is registered by the staffing office: the code must start with 11',
        messageZh: '政府及政府机关由编制部门登记，代码应以 11 开头',
      });
    } else if (type === 'institution' && !creditCode.startsWith('12')) {
      errors.push({
        field: 'creditCode',
        code: 'credit_code_type',
        message: 'a public institution is registered by the staffing office: the code must start with 12',
        messageZh: '事业单位由编制部门登记，代码应以 12 开头',
      });
    }

    const isNational = divisionCode === NATIONAL_DIVISION;
    if (!isNational && !divisions.find(divisionCode)) {
      errors.push({
        field: 'divisionCode',
        code: 'division_unknown',
        message: `${divisionCode} is not a GB/T 2260 division code known to this platform`,
        messageZh: `${divisionCode} 不是本平台已知的行政区划代码（GB/T 2260）`,
      });
    }

    let level: OrgLevel = parent?.level ?? 'province';
    if (type === 'government') {
      level = isNational ? 'central' : (divisionLevelOf(divisionCode) ?? 'county');
      if (parent && (parent.type !== 'government' || LEVEL_RANK[parent.level] >= LEVEL_RANK[level])) {
        errors.push({
          field: 'parentId',
          code: 'parent_level',
          message: `a ${level}-level government must sit under a government of a higher level`,
          messageZh: `${LEVEL_ZH[level]}人民政府的上级必须是更高层级的人民政府`,
        });
      }
    } else if (!parent) {
      errors.push({
        field: 'parentId',
        code: 'parent_required',
        message: 'only a government can be a root; choose the government or organization this one belongs to',
        messageZh: '只有人民政府可以作为根节点，请选择所属的政府或单位',
      });
    }
    if (parent && parent.division_code !== NATIONAL_DIVISION && !isNational && !divisionWithin(divisionCode, parent.division_code)) {
      errors.push({
        field: 'divisionCode',
        code: 'division_outside_parent',
        message: `must lie within the parent's division ${parent.division_code}`,
        messageZh: `应位于上级组织的行政区划 ${parent.division_code} 之内`,
      });
    }
    if (parent && parent.status !== 'active') {
      errors.push({ field: 'parentId', code: 'parent_inactive', message: 'the parent organization is deactivated', messageZh: '上级组织已停用' });
    }
    if (errors.length > 0) throw new ValidationError(errors);
    return level;
  }

  async function assertCreditCodeFree(executor: Executor, creditCode: string, exceptId?: string): Promise<void> {
    const existing = await store.findOrganizationByCreditCode(executor, creditCode);
    if (existing && existing.id !== exceptId) throw creditCodeTaken(creditCode);
  }

  function creditCodeTaken(creditCode?: string): ConflictError {
    return new ConflictError(
      'credit_code_taken',
      `Another organization already has the credit code${creditCode ? ` ${creditCode}` : ''}.`,
      `该统一社会信用代码${creditCode ? ` ${creditCode} ` : ''}已被其他组织使用。`,
      [{ field: 'creditCode', code: 'credit_code_taken', message: 'already registered', messageZh: '已被登记' }],
    );
  }

  async function actorOrg(executor: Executor, actor: Actor): Promise<OrganizationRow> {
    return getRow(executor, actor.orgId);
  }

  async function audited<T>(ctx: Operator, action: string, subjectType: string, work: (trx: Executor) => Promise<{ result: T; subjectId: string; detail: Record<string, unknown> }>): Promise<T> {
    try {
      const result = await db.transaction().execute(async (trx) => {
        const { result, subjectId, detail } = await work(trx);
        await deps.changes.notify(trx, TOPIC);
        await audit.record(trx, {
          actor: ctx.auditAs,
          action,
          subjectType,
          subjectId,
          outcome: 'success',
          detail,
          ip: ctx.ip,
          requestId: ctx.requestId,
        });
        return result;
      });
      deps.changes.local(TOPIC);
      return result;
    } catch (err) {
      if (isUniqueViolation(err, 'credit_code')) throw creditCodeTaken();
      if (isUniqueViolation(err, 'org_id_code')) throw subsystemCodeTaken();
      throw err;
    }
  }

  function subsystemCodeTaken(): ConflictError {
    return new ConflictError('subsystem_code_taken', 'This organization already has a business system with that code.', '本单位已有相同代码的业务系统。', [
      { field: 'code', code: 'subsystem_code_taken', message: 'already used in this organization', messageZh: '本单位已使用该代码' },
    ]);
  }

  return {
    present,

    loadDivisions,

    /** Seeds and operators add the codes of divisions missing from the national list. */
    async addLocalDivision(division: store.LocalDivisionRow): Promise<void> {
      await db.transaction().execute(async (trx) => {
        await store.upsertLocalDivision(trx, division);
        await deps.changes.notify(trx, DIVISIONS_TOPIC);
      });
      await loadDivisions();
    },

    /** A division by code, national or local; undefined when the code is unknown. */
    findDivision: (code: string) => divisions.find(code),

    searchDivisions(q: string) {
      return divisions.search(q, 20).map((d) => ({ code: d.code, name: d.name, level: d.level }));
    },

    findOrganization: (id: string): Promise<Organization | undefined> => readModel.find(id),

    /** Every organization (the instance's members), from the in-memory read model. */
    listOrganizations: (): Promise<Organization[]> => readModel.all(),

    async getOrganization(id: string): Promise<Organization> {
      const org = await readModel.find(id);
      if (!org) throw new NotFoundError('organization', id, '组织');
      return org;
    },

    /** True when `orgId` is `ancestorId` or lies below it; other modules' policies use this. */
    isWithin: (orgId: string, ancestorId: string): Promise<boolean> => readModel.isWithin(orgId, ancestorId),

    /** The organization and every organization below it. */
    subtreeIds: (rootId: string): Promise<string[]> => readModel.subtreeIds(rootId),

    search: (query: OrganizationQuery): Promise<OrganizationPage> => readModel.search(query),

    tree: (includeInactive: boolean) => readModel.tree(includeInactive),

    async create(ctx: Operator, input: OrganizationCreate): Promise<Organization> {
      const creditCode = input.creditCode.toUpperCase();
      return audited(ctx, 'directory.organization.create', 'organization', async (trx) => {
        const parent = input.parentId ? await getRow(trx, input.parentId) : null;
        if (ctx.actor) policy.assertMayCreateUnder(ctx.actor, await actorOrg(trx, ctx.actor), parent);
        const level = validateShape({ parent, creditCode, divisionCode: input.divisionCode, type: input.type });
        await assertCreditCodeFree(trx, creditCode);
        const id = newId();
        const now = clock.now();
        const row: OrganizationRow = {
          id,
          parent_id: parent?.id ?? null,
          path: `${parent?.path ?? '/'}${id}/`,
          identifier: identifierFor(creditCode),
          name_zh: input.nameZh.trim(),
          name_en: input.nameEn.trim(),
          credit_code: creditCode,
          division_code: input.divisionCode,
          type: input.type,
          level,
          status: 'active',
          version: 1,
          created_at: now,
          updated_at: now,
        };
        await store.insertOrganization(trx, row);
        return { result: present(row), subjectId: id, detail: { nameZh: row.name_zh, creditCode, parentId: row.parent_id } };
      });
    },

    async update(ctx: Operator, id: string, input: OrganizationUpdate): Promise<Organization> {
      return audited(ctx, 'directory.organization.update', 'organization', async (trx) => {
        const current = await getRow(trx, id, true);
        const mine = ctx.actor && (await actorOrg(trx, ctx.actor));
        if (ctx.actor && mine) policy.assertMayEdit(ctx.actor, mine, current);
        if (current.version !== input.version) throw versionConflict('organization');
        if (current.status !== 'active') throw inactiveError();
        const parentId = input.parentId === undefined ? current.parent_id : input.parentId;
        const parent = parentId ? await getRow(trx, parentId) : null;
        if (parentId !== current.parent_id) {
          if (parent && parent.path.startsWith(current.path)) {
            throw new ValidationError([
              { field: 'parentId', code: 'parent_cycle', message: 'an organization cannot be moved under itself or its own units', messageZh: '不能把组织移到其自身或下级之下' },
            ]);
          }
          if (ctx.actor && mine) policy.assertMayCreateUnder(ctx.actor, mine, parent);
        }
        const creditCode = (input.creditCode ?? current.credit_code).toUpperCase();
        const type = input.type ?? current.type;
        const divisionCode = input.divisionCode ?? current.division_code;
        const level = validateShape({ parent, creditCode, divisionCode, type });
        if (level !== current.level && (await store.countActiveChildren(trx, id)) > 0) {
          throw new ValidationError([
            { field: 'divisionCode', code: 'level_change', message: 'the change would move an organization with units below it to another level', messageZh: '此修改会改变有下级单位的组织的层级' },
          ]);
        }
        if (creditCode !== current.credit_code) await assertCreditCodeFree(trx, creditCode, id);
        const changes: Partial<OrganizationRow> = {
          parent_id: parent?.id ?? null,
          name_zh: input.nameZh?.trim() ?? current.name_zh,
          name_en: input.nameEn?.trim() ?? current.name_en,
          credit_code: creditCode,
          identifier: identifierFor(creditCode),
          division_code: divisionCode,
          type,
          level,
          version: current.version + 1,
          updated_at: clock.now(),
        };
        await store.updateOrganization(trx, id, changes);
        if (changes.parent_id !== current.parent_id) {
          await store.rewriteSubtreePaths(trx, current.path, `${parent?.path ?? '/'}${id}/`);
        }
        if (creditCode !== current.credit_code) await store.renameSubsystemIdentifiers(trx, id, identifierFor(creditCode));
        const updated = await getRow(trx, id);
        const changed = Object.fromEntries(
          Object.entries(input).filter(([k, v]) => k !== 'version' && v !== undefined && v !== (current as Record<string, unknown>)[k]),
        );
        return { result: present(updated), subjectId: id, detail: { changed } };
      });
    },

    async setStatus(ctx: Operator, id: string, version: number, status: 'active' | 'inactive'): Promise<Organization> {
      const action = status === 'inactive' ? 'directory.organization.deactivate' : 'directory.organization.reactivate';
      return audited(ctx, action, 'organization', async (trx) => {
        const current = await getRow(trx, id, true);
        if (ctx.actor) policy.assertMayChangeStatus(ctx.actor, await actorOrg(trx, ctx.actor), current);
        if (current.version !== version) throw versionConflict('organization');
        if (current.status === status) {
          throw new ConflictError('status_unchanged', `The organization is already ${status}.`, status === 'active' ? '该组织已是启用状态。' : '该组织已是停用状态。');
        }
        if (status === 'inactive' && (await store.countActiveChildren(trx, id)) > 0) {
          throw new ConflictError('has_active_children', 'Deactivate the organizations under this one first.', '请先停用其下级组织。');
        }
        if (status === 'active' && current.parent_id) {
          const parent = await getRow(trx, current.parent_id);
          if (parent.status !== 'active') throw new ConflictError('parent_inactive', 'Reactivate the parent organization first.', '请先启用上级组织。');
        }
        await store.updateOrganization(trx, id, { status, version: current.version + 1, updated_at: clock.now() });
        return { result: present(await getRow(trx, id)), subjectId: id, detail: { status } };
      });
    },

    /** A subsystem by id, for other modules (the exchange registers services on subsystems). */
    async findSubsystem(id: string): Promise<Subsystem | undefined> {
      const row = await store.findSubsystem(db, id);
      return row && presentSubsystem(row);
    },

    /** A subsystem by its identifier INSTANCE/CLASS/MEMBER/CODE (how the exchange addresses it). */
    async findSubsystemByIdentifier(identifier: string): Promise<Subsystem | undefined> {
      const row = await store.findSubsystemByIdentifier(db, identifier);
      return row && presentSubsystem(row);
    },

    /** Every subsystem of the instance, for the exchange's directory services. */
    async listAllSubsystems(): Promise<Subsystem[]> {
      return (await store.listAllSubsystems(db)).map(presentSubsystem);
    },

    async listSubsystems(orgId: string): Promise<Subsystem[]> {
      await this.getOrganization(orgId);
      return (await store.listSubsystems(db, orgId)).map(presentSubsystem);
    },

    async createSubsystem(ctx: Operator, orgId: string, input: SubsystemCreate): Promise<Subsystem> {
      return audited(ctx, 'directory.subsystem.create', 'subsystem', async (trx) => {
        const owner = await getRow(trx, orgId);
        if (ctx.actor) policy.assertMayManageSubsystems(ctx.actor, await actorOrg(trx, ctx.actor), owner);
        if (owner.status !== 'active') throw inactiveError();
        if (await store.findSubsystemByCode(trx, orgId, input.code)) throw subsystemCodeTaken();
        const now = clock.now();
        const row: SubsystemRow = {
          id: newId(),
          org_id: orgId,
          code: input.code,
          identifier: `${owner.identifier}/${input.code}`,
          name_zh: input.nameZh.trim(),
          name_en: input.nameEn.trim(),
          description: input.description ?? '',
          status: 'active',
          version: 1,
          created_at: now,
          updated_at: now,
        };
        await store.insertSubsystem(trx, row);
        return { result: presentSubsystem(row), subjectId: row.id, detail: { code: row.code, orgId } };
      });
    },

    async updateSubsystem(ctx: Operator, id: string, input: SubsystemUpdate): Promise<Subsystem> {
      return audited(ctx, 'directory.subsystem.update', 'subsystem', async (trx) => {
        const current = await store.findSubsystem(trx, id, true);
        if (!current) throw new NotFoundError('business system', id, '业务系统');
        if (ctx.actor) policy.assertMayManageSubsystems(ctx.actor, await actorOrg(trx, ctx.actor), await getRow(trx, current.org_id));
        if (current.version !== input.version) throw versionConflict('business system');
        const changes = {
          name_zh: input.nameZh?.trim() ?? current.name_zh,
          name_en: input.nameEn?.trim() ?? current.name_en,
          description: input.description ?? current.description,
          version: current.version + 1,
          updated_at: clock.now(),
        };
        await store.updateSubsystem(trx, id, changes);
        return { result: presentSubsystem({ ...current, ...changes }), subjectId: id, detail: { nameZh: changes.name_zh } };
      });
    },

    async deactivateSubsystem(ctx: Operator, id: string, version: number): Promise<Subsystem> {
      return audited(ctx, 'directory.subsystem.deactivate', 'subsystem', async (trx) => {
        const current = await store.findSubsystem(trx, id, true);
        if (!current) throw new NotFoundError('business system', id, '业务系统');
        if (ctx.actor) policy.assertMayManageSubsystems(ctx.actor, await actorOrg(trx, ctx.actor), await getRow(trx, current.org_id));
        if (current.version !== version) throw versionConflict('business system');
        if (current.status === 'inactive') throw new ConflictError('status_unchanged', 'The business system is already deactivated.', '该业务系统已停用。');
        const changes = { status: 'inactive' as const, version: current.version + 1, updated_at: clock.now() };
        await store.updateSubsystem(trx, id, changes);
        return { result: presentSubsystem({ ...current, ...changes }), subjectId: id, detail: { code: current.code } };
      });
    },
  };
}

export type DirectoryService = ReturnType<typeof createDirectoryService>;
