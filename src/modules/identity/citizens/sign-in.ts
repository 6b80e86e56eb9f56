// The password check behind every citizen sign-in (the OpenID Connect provider's and the
// interim session's): lockout after repeated failures, the second factor when it is on, and
// every attempt audited. It answers with a result, not an exception, so that the caller can
// ask for the second factor or show the lockout in its own page.
import type { Transaction } from 'kysely';
import { ValidationError } from '../../../platform/errors.ts';
import { dummyPasswordHash, verifyPassword } from '../../../platform/password.ts';
import { loginOf } from './inputs.ts';
import { ANONYMOUS, citizenActor, isActive, subOf, type CitizenDeps, type Meta } from './model.ts';
import * as store from './store.ts';
import type { ActiveCitizen } from './store.ts';
import { checkSecondFactor } from './totp-factor.ts';

export type AuthFailure = {
  ok: false;
  code: 'invalid_credentials' | 'account_locked' | 'totp_required' | 'totp_invalid';
  message: string;
  messageZh: string;
  lockedUntil?: string;
  /** With totp_required only: whose password was right, for a caller that asks for the code in a second step. */
  citizenId?: string;
};
export type AuthResult = { ok: true; sub: string; citizenId: string } | AuthFailure;

const INVALID: AuthFailure = { ok: false, code: 'invalid_credentials', message: 'The account or password is wrong.', messageZh: '账号或密码错误。' };

export function createSignIn(deps: CitizenDeps) {
  const { db, audit, clock, settings } = deps;

  async function failure(row: ActiveCitizen | undefined, reason: string, meta: Meta, trx?: Transaction<any>): Promise<void> {
    await audit.record(trx ?? db, { actor: row ? citizenActor(row.id) : ANONYMOUS, action: 'identity.citizen.sign_in', subjectType: 'citizen', subjectId: row?.id ?? null, outcome: 'failure', detail: { reason }, ip: meta.ip, requestId: meta.requestId });
  }

  /** Counts a failed attempt; the threshold'th locks the account for a while. */
  async function countFailure(row: ActiveCitizen, reason: string, meta: Meta): Promise<AuthFailure | undefined> {
    const now = clock.now();
    const failures = row.failed_attempts + 1;
    const locks = failures >= settings.lockoutThreshold;
    const until = new Date(now.getTime() + settings.lockoutMinutes * 60_000);
    await db.transaction().execute(async (trx) => {
      await store.updateCitizen(trx, row.id, { failed_attempts: locks ? 0 : failures, locked_until: locks ? until : row.locked_until });
      await audit.record(trx, { actor: citizenActor(row.id), action: 'identity.citizen.sign_in', subjectType: 'citizen', subjectId: row.id, outcome: 'failure', detail: { reason, failures, locked: locks }, ip: meta.ip, requestId: meta.requestId });
    });
    if (!locks) return undefined;
    return {
      ok: false,
      code: 'account_locked',
      message: `Too many failed sign-ins: the account is locked for ${settings.lockoutMinutes} minutes. You can reset the password to unlock it.`,
      messageZh: `登录失败次数过多，账户已锁定 ${settings.lockoutMinutes} 分钟。可通过重置密码解锁。`,
      lockedUntil: until.toISOString(),
    };
  }

  async function lockedNow(row: ActiveCitizen, meta: Meta): Promise<AuthFailure | undefined> {
    if (!row.locked_until || row.locked_until <= clock.now()) return undefined;
    await failure(row, 'locked', meta);
    return {
      ok: false,
      code: 'account_locked',
      message: `Too many failed sign-ins: the account is locked until ${row.locked_until.toISOString()}. You can reset the password to unlock it.`,
      messageZh: `登录失败次数过多，账户已锁定至 ${row.locked_until.toISOString()}。可通过重置密码解锁。`,
      lockedUntil: row.locked_until.toISOString(),
    };
  }

  /** The TOTP step matched, or the failure (counted towards the lockout). */
  async function codeChecked(row: ActiveCitizen, totp: string, meta: Meta): Promise<number | AuthFailure> {
    try {
      const step = checkSecondFactor(deps, row, totp, 'totp');
      if (step !== undefined) return step;
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
    }
    return (await countFailure(row, 'wrong_totp', meta)) ?? { ok: false, code: 'totp_invalid', message: 'The code is not the current one from your authenticator app.', messageZh: '验证码不是身份验证器应用当前显示的验证码。' };
  }

  async function succeed(row: ActiveCitizen, step: number | undefined, meta: Meta): Promise<AuthResult> {
    await db.transaction().execute(async (trx) => {
      await store.updateCitizen(trx, row.id, { failed_attempts: 0, locked_until: null, last_sign_in_at: clock.now(), ...(step !== undefined ? { totp_last_step: step } : {}) });
      await audit.record(trx, { actor: citizenActor(row.id), action: 'identity.citizen.sign_in', subjectType: 'citizen', subjectId: row.id, outcome: 'success', detail: { secondFactor: step !== undefined }, ip: meta.ip, requestId: meta.requestId });
    });
    return { ok: true, sub: subOf(row.id), citizenId: row.id };
  }

  return {
    /** `login` is the ID number, the phone number or the email address of the account. */
    async authenticate(login: string, password: string, totp?: string, meta: Meta = { ip: null, requestId: null }): Promise<AuthResult> {
      const key = loginOf(login);
      const found = Object.keys(key).length > 0 ? await store.findByLogin(db, key) : undefined;
      if (!isActive(found)) {
        await verifyPassword(password, await dummyPasswordHash());
        await failure(undefined, 'unknown_account', meta);
        return INVALID;
      }
      const row = found;
      const locked = await lockedNow(row, meta);
      if (locked) return locked;
      if (!(await verifyPassword(password, row.password_hash))) return (await countFailure(row, 'wrong_password', meta)) ?? INVALID;
      let step: number | undefined;
      if (row.totp_secret) {
        if (!totp) {
          // The password was right: not a failure, the caller asks for the code.
          return { ok: false, code: 'totp_required', message: 'Enter the 6-digit code from your authenticator app.', messageZh: '请输入身份验证器应用中的 6 位验证码。', citizenId: row.id };
        }
        const checked = await codeChecked(row, totp, meta);
        if (typeof checked !== 'number') return checked;
        step = checked;
      }
      return succeed(row, step, meta);
    },

    /**
     * The second step of a sign-in whose password `authenticate` already found right (it
     * answered totp_required): the TOTP code alone, with the same lockout, replay check and
     * audit. The caller keeps, server-side and briefly, whose password was right.
     */
    async secondFactor(citizenId: string, totp: string, meta: Meta = { ip: null, requestId: null }): Promise<AuthResult> {
      const found = await store.findCitizen(db, citizenId);
      if (!isActive(found)) {
        await failure(undefined, 'unknown_account', meta);
        return INVALID;
      }
      const locked = await lockedNow(found, meta);
      if (locked) return locked;
      if (!found.totp_secret) return succeed(found, undefined, meta);
      const checked = await codeChecked(found, totp, meta);
      return typeof checked === 'number' ? succeed(found, checked, meta) : checked;
    },
  };
}
