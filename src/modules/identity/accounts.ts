// Staff accounts: created, edited, deactivated and reset by the security admin, or by an
// organization admin within their own part of the tree. Accounts are never deleted.
import { auditActor, type Actor, type Operator, type RequestContext, type Role } from '../../platform/actor.ts';
import type { Audit } from '../../platform/audit.ts';
import type { ChangeFeed } from '../../platform/changes.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db, Executor } from '../../platform/db.ts';
import { isUniqueViolation } from '../../platform/db-errors.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { checkPasswordPolicy, hashPassword } from '../../platform/password.ts';
import * as policy from './policy.ts';
import type { User, UserCreate, UserQuery, UserUpdate } from './schema.ts';
import { IDENTITY_TOPIC } from './authentication.ts';
import * as store from './store.ts';
import type { UserRow } from './store.ts';

export type SubtreeLookup = {
  findOrganization(id: string): Promise<{ id: string; status: 'active' | 'inactive' } | undefined>;
  isWithin(orgId: string, ancestorId: string): Promise<boolean>;
  subtreeIds(rootId: string): Promise<string[]>;
};

export type AccountsDeps = { db: Db; audit: Audit; clock: Clock; changes: ChangeFeed; directory: SubtreeLookup };

export function present(row: UserRow, now: Date): User {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    orgId: row.org_id,
    roles: row.roles,
    active: row.active,
    locked: !!row.locked_until && row.locked_until > now,
    lastSignInAt: row.last_sign_in_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
    version: row.version,
  };
}

function passwordError(password: string, username: string): ValidationError | undefined {
  const problem = checkPasswordPolicy(password, username);
  return problem && new ValidationError([{ field: 'password', ...problem }]);
}

export function createAccounts(deps: AccountsDeps) {
  const { db, audit, clock } = deps;

  /** The local operator (no actor) may act anywhere; an actor only where policy allows. */
  async function authorizeFor(actor: Actor | null, orgId: string): Promise<void> {
    if (!actor) return;
    policy.assertMayManageAccountIn(actor, await deps.directory.isWithin(orgId, actor.orgId));
  }

  async function getRow(executor: Executor, id: string): Promise<UserRow> {
    const row = await store.findUser(executor, id, executor.isTransaction);
    if (!row) throw new NotFoundError('account', id, '账户');
    return row;
  }

  async function record(trx: Executor, operator: Operator, action: string, subjectId: string, detail: Record<string, unknown>) {
    await audit.record(trx, { actor: operator.auditAs, action, subjectType: 'user', subjectId, outcome: 'success', detail, ip: operator.ip, requestId: operator.requestId });
  }

  return {
    /** Staff accounts are personal data: each read is audited with who asked and for what. */
    async list(ctx: RequestContext, query: UserQuery): Promise<{ items: User[]; total: number }> {
      const { actor } = ctx;
      policy.assertMayReadUsers(actor);
      let orgIds: string[] | undefined;
      if (query.orgId) {
        await authorizeFor(actor, query.orgId);
        orgIds = [query.orgId];
      } else if (!actor.roles.includes('security_admin')) {
        orgIds = await deps.directory.subtreeIds(actor.orgId);
      }
      const { rows, total } = await store.searchUsers(db, { orgIds, q: query.q, limit: query.limit ?? 50, offset: query.offset ?? 0 });
      await audit.record(db, { actor: auditActor(actor), action: 'identity.user.read', subjectType: 'user', subjectId: null, outcome: 'success', detail: { filter: query, returned: rows.length }, ip: ctx.ip, requestId: ctx.requestId });
      const now = clock.now();
      return { items: rows.map((r) => present(r, now)), total };
    },

    async get(ctx: RequestContext, id: string): Promise<User> {
      const { actor } = ctx;
      policy.assertMayReadUsers(actor);
      const row = await getRow(db, id);
      await authorizeFor(actor, row.org_id);
      await audit.record(db, { actor: auditActor(actor), action: 'identity.user.read', subjectType: 'user', subjectId: id, outcome: 'success', ip: ctx.ip, requestId: ctx.requestId });
      return present(row, clock.now());
    },

    async create(operator: Operator, input: UserCreate, options: { temporaryPassword?: boolean } = {}): Promise<User> {
      const roles = [...new Set(input.roles)] as Role[];
      if (operator.actor) policy.assertMayGrant(operator.actor, roles);
      policy.assertRolesSeparated(roles);
      const weak = passwordError(input.password, input.username);
      if (weak) throw weak;
      const org = await deps.directory.findOrganization(input.orgId);
      if (!org) throw new ValidationError([{ field: 'orgId', code: 'org_unknown', message: 'no such organization', messageZh: '组织不存在' }]);
      if (org.status !== 'active') throw new ValidationError([{ field: 'orgId', code: 'org_inactive', message: 'the organization is deactivated', messageZh: '该组织已停用' }]);
      await authorizeFor(operator.actor, input.orgId);
      const hash = await hashPassword(input.password);
      const now = clock.now();
      const row: UserRow = {
        id: newId(),
        username: input.username,
        display_name: input.displayName.trim(),
        org_id: input.orgId,
        roles,
        password_hash: hash,
        password_changed_at: now,
        // An initial password was chosen by someone else, so the holder replaces it
        // (the demo dataset opts out so its sign-ins work at once).
        must_change_password: options.temporaryPassword ?? true,
        failed_attempts: 0,
        locked_until: null,
        active: true,
        last_sign_in_at: null,
        version: 1,
        created_at: now,
        updated_at: now,
      };
      try {
        await db.transaction().execute(async (trx) => {
          if (await store.findUserByUsername(trx, input.username)) throw usernameTaken();
          await store.insertUser(trx, row);
          await record(trx, operator, 'identity.user.create', row.id, { username: row.username, orgId: row.org_id, roles });
        });
      } catch (err) {
        if (isUniqueViolation(err, 'username')) throw usernameTaken();
        throw err;
      }
      return present(row, now);
    },

    async update(operator: Operator, id: string, input: UserUpdate): Promise<User> {
      // Authorize before the transaction: an account never changes organization, and the
      // directory lookup must not run inside this transaction (one connection on PGlite).
      await authorizeFor(operator.actor, (await getRow(db, id)).org_id);
      const updated = await db.transaction().execute(async (trx) => {
        const current = await getRow(trx, id);
        if (current.version !== input.version) {
          throw new ConflictError('version_conflict', 'The account was changed by someone else. Reload it and apply your change again.', '该账户已被他人修改，请刷新后重新修改。');
        }
        if (input.roles) {
          const roles = [...new Set(input.roles)] as Role[];
          // Changing someone's roles touches both the roles removed and those added.
          if (operator.actor) policy.assertMayGrant(operator.actor, [...new Set([...roles, ...current.roles])].filter((r) => !(roles.includes(r) && current.roles.includes(r))));
          policy.assertRolesSeparated(roles);
        }
        if (operator.actor && operator.actor.userId === id && (input.active === false || input.roles)) {
          throw new ConflictError('self_change', 'You cannot change your own roles or deactivate yourself; ask another administrator.', '不能修改自己的角色或停用自己，请由其他管理员操作。');
        }
        const now = clock.now();
        const changes: Partial<UserRow> = {
          display_name: input.displayName?.trim() ?? current.display_name,
          roles: input.roles ? ([...new Set(input.roles)] as Role[]) : current.roles,
          active: input.active ?? current.active,
          version: current.version + 1,
          updated_at: now,
        };
        await store.updateUser(trx, id, changes);
        if (changes.active === false) await store.endUserSessions(trx, id, now);
        const changed = Object.fromEntries(Object.entries(input).filter(([k, v]) => k !== 'version' && v !== undefined));
        await record(trx, operator, 'identity.user.update', id, { changed });
        // Roles and the active flag are part of every cached sign-in of this account.
        await deps.changes.notify(trx, IDENTITY_TOPIC);
        return present({ ...current, ...changes }, now);
      });
      deps.changes.local(IDENTITY_TOPIC);
      return updated;
    },

    /** Sets a new password chosen by an administrator: unlocks, ends sessions, and the holder must change it. */
    async resetPassword(operator: Operator, id: string, password: string): Promise<void> {
      const target = await getRow(db, id);
      await authorizeFor(operator.actor, target.org_id);
      const weak = passwordError(password, target.username);
      if (weak) throw weak;
      const hash = await hashPassword(password);
      await db.transaction().execute(async (trx) => {
        const now = clock.now();
        await store.updateUser(trx, id, { password_hash: hash, password_changed_at: now, must_change_password: true, failed_attempts: 0, locked_until: null, updated_at: now });
        await store.endUserSessions(trx, id, now);
        await record(trx, operator, 'identity.user.reset_password', id, {});
        await deps.changes.notify(trx, IDENTITY_TOPIC);
      });
      deps.changes.local(IDENTITY_TOPIC);
    },

    /** For other modules (a certificate's holder): no personal data beyond the name, so not audited. */
    async findPerson(id: string): Promise<{ id: string; displayName: string; orgId: string; active: boolean } | undefined> {
      const row = await store.findUser(db, id);
      return row && { id: row.id, displayName: row.display_name, orgId: row.org_id, active: present(row, clock.now()).active };
    },

    async findByUsername(username: string): Promise<User | undefined> {
      const row = await store.findUserByUsername(db, username);
      return row && present(row, clock.now());
    },
  };
}

function usernameTaken(): ConflictError {
  return new ConflictError('username_taken', 'That user name is taken. Choose another.', '该用户名已被占用，请换一个。', [
    { field: 'username', code: 'username_taken', message: 'is taken', messageZh: '已被占用' },
  ]);
}

export type Accounts = ReturnType<typeof createAccounts>;
