// The checks behind every staff sign-in (POST /api/session and the provider's pages): the
// password with lockout after repeated failures, then the second factor (a TOTP code, or
// setting TOTP up for an administrator who has none), every attempt audited. Wrong codes
// count towards the same lockout as wrong passwords.
import type { Transaction } from 'kysely';
import type { Audit } from '../../platform/audit.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db.ts';
import { LockedError, UnauthenticatedError } from '../../platform/errors.ts';
import { dummyPasswordHash, verifyPassword } from '../../platform/password.ts';
import type { StaffTotp } from './staff-totp.ts';
import * as store from './store.ts';
import type { UserRow } from './store.ts';

export type SignInMeta = { ip: string; userAgent: string | undefined; requestId: string };

export type SignInCheckDeps = {
  db: Db;
  audit: Audit;
  clock: Clock;
  totp: StaffTotp;
  settings: { lockoutThreshold: number; lockoutMinutes: number };
  userMayAct(user: UserRow): Promise<boolean>;
};

function invalidCredentials(): UnauthenticatedError {
  return new UnauthenticatedError('invalid_credentials', 'The user name or password is wrong.', '用户名或密码错误。');
}

export function accountDisabled(): UnauthenticatedError {
  return new UnauthenticatedError('account_disabled', 'This account or its organization is deactivated. Ask your administrator.', '该账户或其所属组织已停用，请联系管理员。');
}

export function createSignInChecks(deps: SignInCheckDeps) {
  const { db, audit, clock, settings } = deps;

  async function recordFailure(username: string, user: UserRow | undefined, reason: string, meta: SignInMeta, extra: Record<string, unknown> = {}, trx?: Transaction<any>) {
    await audit.record(trx ?? db, {
      actor: user ? { id: user.id, name: user.username, orgId: user.org_id } : { id: null, name: username.slice(0, 64), orgId: null },
      action: 'identity.sign_in',
      subjectType: 'user',
      subjectId: user?.id ?? null,
      outcome: 'failure',
      detail: { reason, ...extra },
      ip: meta.ip,
      requestId: meta.requestId,
    });
  }

  /** Counts a failed attempt (wrong password or code); the threshold'th locks the account for a while. */
  async function countFailure(user: UserRow, reason: string, meta: SignInMeta): Promise<LockedError | undefined> {
    const now = clock.now();
    const failures = user.failed_attempts + 1;
    const locks = failures >= settings.lockoutThreshold;
    await db.transaction().execute(async (trx) => {
      await store.updateUser(trx, user.id, {
        failed_attempts: locks ? 0 : failures,
        locked_until: locks ? new Date(now.getTime() + settings.lockoutMinutes * 60_000) : user.locked_until,
      });
      await recordFailure(user.username, user, reason, meta, { failures, locked: locks }, trx);
    });
    if (!locks) return undefined;
    return new LockedError('account_locked', `Too many failed sign-ins: the account is locked for ${settings.lockoutMinutes} minutes.`, `登录失败次数过多，账户已锁定 ${settings.lockoutMinutes} 分钟。`);
  }

  async function assertNotLocked(user: UserRow, meta: SignInMeta): Promise<void> {
    if (!user.locked_until || user.locked_until <= clock.now()) return;
    await recordFailure(user.username, user, 'locked', meta);
    throw new LockedError(
      'account_locked',
      `Too many failed sign-ins. The account is locked until ${user.locked_until.toISOString()}, or until an administrator resets the password.`,
      `登录失败次数过多，账户已锁定至 ${user.locked_until.toISOString()}，或由管理员重置密码后解锁。`,
    );
  }

  async function assertMayAct(user: UserRow, meta: SignInMeta): Promise<void> {
    if (await deps.userMayAct(user)) return;
    await recordFailure(user.username, user, 'account_disabled', meta);
    throw accountDisabled();
  }

  return {
    recordFailure,

    /** The account behind a user name and password, or a domain error; failures count towards lockout and are audited. */
    async checkCredentials(username: string, password: string, meta: SignInMeta): Promise<UserRow> {
      const user = await store.findUserByUsername(db, username);
      if (!user) {
        await verifyPassword(password, await dummyPasswordHash());
        await recordFailure(username, undefined, 'unknown_user', meta);
        throw invalidCredentials();
      }
      await assertNotLocked(user, meta);
      if (!(await verifyPassword(password, user.password_hash))) throw (await countFailure(user, 'wrong_password', meta)) ?? invalidCredentials();
      await assertMayAct(user, meta);
      return user;
    },

    /** For a later step of a sign-in whose password was right: the account, if it may still sign in now. */
    async stillMaySignIn(userId: string, meta: SignInMeta): Promise<UserRow> {
      const user = await store.findUser(db, userId);
      if (!user) throw accountDisabled();
      await assertMayAct(user, meta);
      await assertNotLocked(user, meta);
      return user;
    },

    /** The account's TOTP code, used up when right; a wrong, reused or missing code is refused and audited. */
    async checkCode(user: UserRow, code: string | undefined, meta: SignInMeta): Promise<void> {
      if (!code) {
        await recordFailure(user.username, user, 'totp_required', meta);
        throw new UnauthenticatedError('totp_required', 'This account uses two-step sign-in: give the 6-digit code from your authenticator app (field totp).', '该账户已开启两步验证：请提供身份验证器应用中的 6 位验证码（totp 字段）。');
      }
      if (await deps.totp.useCode(user.id, code)) return;
      throw (
        (await countFailure(user, 'wrong_totp', meta)) ??
        new UnauthenticatedError('totp_invalid', 'The code is not the current one from your authenticator app, or it was already used. Wait for the next code and try again.', '验证码不是身份验证器应用当前显示的验证码，或已被使用过。请等待下一个验证码后重试。')
      );
    },

    async recordSuccess(trx: Transaction<any>, user: UserRow, now: Date, meta: SignInMeta, detail?: Record<string, unknown>): Promise<void> {
      await store.updateUser(trx, user.id, { failed_attempts: 0, locked_until: null, last_sign_in_at: now });
      await audit.record(trx, {
        actor: { id: user.id, name: user.username, orgId: user.org_id },
        action: 'identity.sign_in',
        subjectType: 'user',
        subjectId: user.id,
        outcome: 'success',
        ...(detail ? { detail } : {}),
        ip: meta.ip,
        requestId: meta.requestId,
      });
    },
  };
}

export type SignInChecks = ReturnType<typeof createSignInChecks>;
