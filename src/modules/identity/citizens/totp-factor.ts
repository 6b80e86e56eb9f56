// The optional second factor: enrolment (a secret shown once as an otpauth:// URI, confirmed
// with a code before it counts), and the check every later sign-in and deletion makes.
import { ConflictError, ValidationError } from '../../../platform/errors.ts';
import { maskEmail, maskPhone } from '../../../platform/mask.ts';
import { citizenActor, type CitizenContext, type CitizenDeps } from './model.ts';
import * as store from './store.ts';
import type { ActiveCitizen } from './store.ts';
import { matchTotp, newTotpSecret, totpUri } from './totp.ts';

const context = (citizenId: string, which: 'secret' | 'pending') => `identity.citizens.totp_${which}:${citizenId}`;

/**
 * When the account has TOTP on: the step `code` matched (newer than the last one used), or a
 * ValidationError naming `field`. Undefined when TOTP is off.
 */
export function checkSecondFactor(deps: Pick<CitizenDeps, 'box' | 'clock'>, row: ActiveCitizen, code: string | undefined, field: string): number | undefined {
  if (!row.totp_secret) return undefined;
  if (!code) throw new ValidationError([{ field, code: 'totp_required', message: 'give the 6-digit code from your authenticator app', messageZh: '请输入身份验证器应用中的 6 位验证码' }]);
  const secret = deps.box.open(row.totp_secret, context(row.id, 'secret')).toString('utf8');
  const step = matchTotp(secret, code.trim(), deps.clock.now());
  const last = row.totp_last_step === null ? -1 : Number(row.totp_last_step);
  if (step === undefined || step <= last) {
    throw new ValidationError([{ field, code: 'totp_invalid', message: 'is not the current code: enter the code your authenticator app shows now', messageZh: '不是当前验证码：请输入身份验证器应用当前显示的验证码' }]);
  }
  return step;
}

export function createTotpEnrolment(deps: CitizenDeps, active: (id: string) => Promise<ActiveCitizen>) {
  const { db, audit, box, clock } = deps;
  return {
    /** A new secret, kept pending until confirmed; the secret and URI are shown this once. */
    async enrol(ctx: CitizenContext): Promise<{ secret: string; uri: string }> {
      const row = await active(ctx.citizenId);
      if (row.totp_enabled_at) throw new ConflictError('totp_enabled', 'Two-step sign-in is already on for this account.', '该账户已开启两步验证。');
      const secret = newTotpSecret();
      await db.transaction().execute(async (trx) => {
        await store.updateCitizen(trx, row.id, { totp_pending: box.seal(Buffer.from(secret), context(row.id, 'pending')), updated_at: clock.now() });
        await audit.record(trx, { actor: citizenActor(row.id), action: 'identity.citizen.totp.enrol', subjectType: 'citizen', subjectId: row.id, outcome: 'success', ip: ctx.ip, requestId: ctx.requestId });
      });
      // The account label is the masked phone or email: the app shows it, and it names no one.
      const label = row.phone ? maskPhone(row.phone) : maskEmail(row.email ?? '');
      return { secret, uri: totpUri(secret, label, deps.settings.totpIssuer) };
    },

    /** Turns the pending secret on once a code from it is given; from then on sign-in asks for one. */
    async confirm(ctx: CitizenContext, code: string): Promise<void> {
      const row = await active(ctx.citizenId);
      if (row.totp_enabled_at) throw new ConflictError('totp_enabled', 'Two-step sign-in is already on for this account.', '该账户已开启两步验证。');
      if (!row.totp_pending) throw new ConflictError('totp_not_enrolled', 'Start two-step sign-in first: ask for a new secret, add it to your authenticator app, then confirm with a code.', '请先开始设置两步验证：获取密钥并添加到身份验证器应用后，再输入验证码确认。');
      const secret = box.open(row.totp_pending, context(row.id, 'pending')).toString('utf8');
      const step = matchTotp(secret, code.trim(), clock.now());
      if (step === undefined) {
        await audit.record(db, { actor: citizenActor(row.id), action: 'identity.citizen.totp.confirm', subjectType: 'citizen', subjectId: row.id, outcome: 'failure', detail: { reason: 'wrong_code' }, ip: ctx.ip, requestId: ctx.requestId });
        throw new ValidationError([{ field: 'code', code: 'totp_invalid', message: 'is not the current code of the new secret: check the app and the device clock', messageZh: '不是新密钥的当前验证码：请检查应用及设备时间' }]);
      }
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        await store.updateCitizen(trx, row.id, { totp_secret: box.seal(Buffer.from(secret), context(row.id, 'secret')), totp_pending: null, totp_enabled_at: now, totp_last_step: step, updated_at: now });
        await audit.record(trx, { actor: citizenActor(row.id), action: 'identity.citizen.totp.confirm', subjectType: 'citizen', subjectId: row.id, outcome: 'success', ip: ctx.ip, requestId: ctx.requestId });
      });
    },
  };
}
