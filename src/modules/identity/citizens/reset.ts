// Password reset by the account's own channel: a 6-digit one-time code sent to the phone or
// email given at registration, valid for a few minutes and a few attempts, kept only as a
// hash. The request answers the same whether or not the account exists, so it cannot be used
// to find out who has one. A successful reset unlocks the account and ends its sessions.
import crypto from 'node:crypto';
import { ValidationError } from '../../../platform/errors.ts';
import { newId, sha256Hex } from '../../../platform/ids.ts';
import { hashPassword } from '../../../platform/password.ts';
import { loginOf, passwordProblem } from './inputs.ts';
import { ANONYMOUS, citizenActor, isActive, subOf, type CitizenDeps, type Meta } from './model.ts';
import * as store from './store.ts';

const codeHash = (citizenId: string, code: string) => sha256Hex(`${citizenId}:${code}`);

function invalidCode(): ValidationError {
  return new ValidationError([{ field: 'code', code: 'invalid_code', message: 'is wrong or has expired: check it, or ask for a new code', messageZh: '错误或已过期：请核对，或重新获取验证码' }]);
}

export function createPasswordReset(deps: CitizenDeps) {
  const { db, audit, clock, settings } = deps;

  return {
    /** Sends a code to the account's channel, if there is such an account and it may have one now. */
    async request(login: string, meta: Meta): Promise<{ channel: 'phone' | 'email' | null }> {
      const key = loginOf(login);
      const row = Object.keys(key).length > 0 ? await store.findByLogin(db, key) : undefined;
      if (!isActive(row)) {
        await audit.record(db, { actor: ANONYMOUS, action: 'identity.citizen.reset.request', subjectType: 'citizen', subjectId: null, outcome: 'failure', detail: { reason: 'unknown_account' }, ip: meta.ip, requestId: meta.requestId });
        return { channel: null };
      }
      // The channel the login named; an ID number goes to the phone, else the email.
      const channel: 'phone' | 'email' = key.email ? 'email' : key.phone ? 'phone' : row.phone ? 'phone' : 'email';
      const to = channel === 'phone' ? row.phone! : row.email!;
      const now = clock.now();
      const recent = await store.countCodesSince(db, row.id, 'password_reset', new Date(now.getTime() - 3_600_000));
      if (recent >= settings.resetCodesPerHour) {
        await audit.record(db, { actor: citizenActor(row.id), action: 'identity.citizen.reset.request', subjectType: 'citizen', subjectId: row.id, outcome: 'failure', detail: { reason: 'too_many_codes', channel }, ip: meta.ip, requestId: meta.requestId });
        return { channel: null };
      }
      const code = String(crypto.randomInt(0, 1_000_000)).padStart(6, '0');
      const expiresAt = new Date(now.getTime() + settings.resetCodeMinutes * 60_000);
      await db.transaction().execute(async (trx) => {
        await store.closeCodes(trx, row.id, now);
        await store.insertCode(trx, { id: newId(), citizen_id: row.id, purpose: 'password_reset', channel, code_hash: codeHash(row.id, code), attempts: 0, created_at: now, expires_at: expiresAt, used_at: null });
        await audit.record(trx, { actor: citizenActor(row.id), action: 'identity.citizen.reset.request', subjectType: 'citizen', subjectId: row.id, outcome: 'success', detail: { channel }, ip: meta.ip, requestId: meta.requestId });
      });
      await deps.codeSender.send({ sub: subOf(row.id), channel, to, purpose: 'password_reset', code, expiresAt, minutes: settings.resetCodeMinutes });
      return { channel };
    },

    /** Sets a new password with a code sent to the account; wrong codes count against the code. */
    async confirm(login: string, code: string, newPassword: string, meta: Meta): Promise<void> {
      const key = loginOf(login);
      const row = Object.keys(key).length > 0 ? await store.findByLogin(db, key) : undefined;
      if (!isActive(row)) throw invalidCode();
      const weak = passwordProblem(newPassword, 'newPassword', row.id_number);
      if (weak) throw new ValidationError([weak]);
      const hash = await hashPassword(newPassword);
      const now = clock.now();
      const outcome = await db.transaction().execute(async (trx) => {
        const open = await store.findOpenCode(trx, row.id, 'password_reset');
        if (!open || open.expires_at <= now) return 'invalid' as const;
        const given = Buffer.from(codeHash(row.id, code.trim()));
        if (!crypto.timingSafeEqual(given, Buffer.from(open.code_hash))) {
          const attempts = open.attempts + 1;
          await store.updateCode(trx, open.id, { attempts, ...(attempts >= settings.resetCodeAttempts ? { used_at: now } : {}) });
          await audit.record(trx, { actor: citizenActor(row.id), action: 'identity.citizen.reset.confirm', subjectType: 'citizen', subjectId: row.id, outcome: 'failure', detail: { reason: 'wrong_code', attempts }, ip: meta.ip, requestId: meta.requestId });
          return attempts >= settings.resetCodeAttempts ? ('exhausted' as const) : ('invalid' as const);
        }
        await store.updateCode(trx, open.id, { used_at: now });
        await store.updateCitizen(trx, row.id, { password_hash: hash, password_changed_at: now, failed_attempts: 0, locked_until: null, updated_at: now });
        await store.endCitizenSessions(trx, row.id, now);
        await audit.record(trx, { actor: citizenActor(row.id), action: 'identity.citizen.reset.confirm', subjectType: 'citizen', subjectId: row.id, outcome: 'success', detail: { channel: open.channel }, ip: meta.ip, requestId: meta.requestId });
        return 'done' as const;
      });
      if (outcome === 'exhausted') {
        throw new ValidationError([{ field: 'code', code: 'code_attempts_exceeded', message: 'was entered wrongly too many times and no longer works: ask for a new code', messageZh: '输错次数过多，已失效：请重新获取验证码' }]);
      }
      if (outcome === 'invalid') throw invalidCode();
    },
  };
}
