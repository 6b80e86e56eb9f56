// TOTP (RFC 6238) as authenticator apps use it: SHA-1, 6 digits, 30-second steps, one step
// of drift either way. A code is accepted once: the step it matched is remembered, and a
// code of that step or an earlier one is refused, so an overheard code cannot be replayed.
import * as OTPAuth from 'otpauth';

const PERIOD = 30;
const DIGITS = 6;

export function newTotpSecret(): string {
  return new OTPAuth.Secret({ size: 20 }).base32;
}

/** The otpauth:// URI an authenticator app reads (usually from a QR code). */
export function totpUri(secretBase32: string, account: string, issuer: string): string {
  return new OTPAuth.TOTP({ issuer, label: account, secret: OTPAuth.Secret.fromBase32(secretBase32), algorithm: 'SHA1', digits: DIGITS, period: PERIOD }).toString();
}

/** The time step the code belongs to, or undefined when it is not a current code. */
export function matchTotp(secretBase32: string, code: string, now: Date): number | undefined {
  if (!/^\d{6}$/.test(code)) return undefined;
  const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secretBase32), algorithm: 'SHA1', digits: DIGITS, period: PERIOD });
  const delta = totp.validate({ token: code, timestamp: now.getTime(), window: 1 });
  if (delta === null) return undefined;
  return Math.floor(now.getTime() / 1000 / PERIOD) + delta;
}

/** The current code (tests and the enrolment check). */
export function totpCode(secretBase32: string, at: Date): string {
  return new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secretBase32), algorithm: 'SHA1', digits: DIGITS, period: PERIOD }).generate({ timestamp: at.getTime() });
}
