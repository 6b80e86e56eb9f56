// A TOTP secret kept sealed with the master key (platform/secret-box.ts) and bound to its
// owner's row, and the checks every kind of account makes on it: the first code of a new
// secret at enrolment, and later codes only when newer than the last one used (the replay
// check). Citizens (identity.citizens) and staff (identity.staff_totp) keep the same data
// under their own tables; the wording of refusals is shared so both read alike.
import { ConflictError, ValidationError } from '../../../platform/errors.ts';
import type { Sealed, SecretBox } from '../../../platform/secret-box.ts';
import { matchTotp } from './codes.ts';

/** `secret` is the one in use; `pending` a new one waiting for its first code. */
export type TotpSlot = 'secret' | 'pending';

// The table and row are part of the sealing context, so a sealed value copied to another
// account (or from pending to secret by hand) does not open.
const context = (table: string, ownerId: string, slot: TotpSlot) => `${table}.totp_${slot}:${ownerId}`;

export function sealTotp(box: SecretBox, table: string, ownerId: string, slot: TotpSlot, secretBase32: string): Sealed {
  return box.seal(Buffer.from(secretBase32), context(table, ownerId, slot));
}

export function openTotp(box: SecretBox, table: string, ownerId: string, slot: TotpSlot, sealed: Sealed): string {
  return box.open(sealed, context(table, ownerId, slot)).toString('utf8');
}

/**
 * The time step `code` matched, when it is newer than `lastStep` (null: no code used yet);
 * undefined when it is not a current code or was already used (a replay).
 */
export function freshStep(secretBase32: string, code: string, now: Date, lastStep: number | string | null): number | undefined {
  const step = matchTotp(secretBase32, code.trim(), now);
  const last = lastStep === null ? -1 : Number(lastStep);
  return step !== undefined && step > last ? step : undefined;
}

export function totpRequired(field: string): ValidationError {
  return new ValidationError([{ field, code: 'totp_required', message: 'give the 6-digit code from your authenticator app', messageZh: '请输入身份验证器应用中的 6 位验证码' }]);
}

export function totpInvalid(field: string): ValidationError {
  return new ValidationError([{ field, code: 'totp_invalid', message: 'is not the current code: enter the code your authenticator app shows now', messageZh: '不是当前验证码：请输入身份验证器应用当前显示的验证码' }]);
}

export function newSecretCodeInvalid(field: string): ValidationError {
  return new ValidationError([{ field, code: 'totp_invalid', message: 'is not the current code of the new secret: check the app and the device clock', messageZh: '不是新密钥的当前验证码：请检查应用及设备时间' }]);
}

export function totpAlreadyOn(): ConflictError {
  return new ConflictError('totp_enabled', 'Two-step sign-in is already on for this account.', '该账户已开启两步验证。');
}

export function totpNotStarted(): ConflictError {
  return new ConflictError('totp_not_enrolled', 'Start two-step sign-in first: ask for a new secret, add it to your authenticator app, then confirm with a code.', '请先开始设置两步验证：获取密钥并添加到身份验证器应用后，再输入验证码确认。');
}
