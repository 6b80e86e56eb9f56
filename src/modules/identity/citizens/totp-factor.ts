// The optional second factor: enrolment (a secret shown once as an otpauth:// URI, confirmed
// with a code before it counts), and the check every later sign-in and deletion makes. The
// sealing, the replay check and the wording are shared with staff (../totp/).
import { maskEmail, maskPhone } from '../../../platform/mask.ts';
import { newTotpSecret, totpUri, matchTotp } from '../totp/codes.ts';
import { freshStep, newSecretCodeInvalid, openTotp, sealTotp, totpAlreadyOn, totpInvalid, totpNotStarted, totpRequired } from '../totp/sealed.ts';
import { citizenActor, type CitizenContext, type CitizenDeps } from './model.ts';
import * as store from './store.ts';
import type { ActiveCitizen } from './store.ts';

const TABLE = 'identity.citizens';

/**
 * When the account has TOTP on: the step `code` matched (newer than the last one used), or a
 * ValidationError naming `field`. Undefined when TOTP is off.
 */
export function checkSecondFactor(deps: Pick<CitizenDeps, 'box' | 'clock'>, row: ActiveCitizen, code: string | undefined, field: string): number | undefined {
  if (!row.totp_secret) return undefined;
  if (!code) throw totpRequired(field);
  const step = freshStep(openTotp(deps.box, TABLE, row.id, 'secret', row.totp_secret), code, deps.clock.now(), row.totp_last_step);
  if (step === undefined) throw totpInvalid(field);
  return step;
}

export function createTotpEnrolment(deps: CitizenDeps, active: (id: string) => Promise<ActiveCitizen>) {
  const { db, audit, box, clock } = deps;
  return {
    /** A new secret, kept pending until confirmed; the secret and URI are shown this once. */
    async enrol(ctx: CitizenContext): Promise<{ secret: string; uri: string }> {
      const row = await active(ctx.citizenId);
      if (row.totp_enabled_at) throw totpAlreadyOn();
      const secret = newTotpSecret();
      await db.transaction().execute(async (trx) => {
        await store.updateCitizen(trx, row.id, { totp_pending: sealTotp(box, TABLE, row.id, 'pending', secret), updated_at: clock.now() });
        await audit.record(trx, { actor: citizenActor(row.id), action: 'identity.citizen.totp.enrol', subjectType: 'citizen', subjectId: row.id, outcome: 'success', ip: ctx.ip, requestId: ctx.requestId });
      });
      // The account label is the masked phone or email: the app shows it, and it names no one.
      const label = row.phone ? maskPhone(row.phone) : maskEmail(row.email ?? '');
      return { secret, uri: totpUri(secret, label, deps.settings.totpIssuer) };
    },

    /** Turns the pending secret on once a code from it is given; from then on sign-in asks for one. */
    async confirm(ctx: CitizenContext, code: string): Promise<void> {
      const row = await active(ctx.citizenId);
      if (row.totp_enabled_at) throw totpAlreadyOn();
      if (!row.totp_pending) throw totpNotStarted();
      const secret = openTotp(box, TABLE, row.id, 'pending', row.totp_pending);
      const step = matchTotp(secret, code.trim(), clock.now());
      if (step === undefined) {
        await audit.record(db, { actor: citizenActor(row.id), action: 'identity.citizen.totp.confirm', subjectType: 'citizen', subjectId: row.id, outcome: 'failure', detail: { reason: 'wrong_code' }, ip: ctx.ip, requestId: ctx.requestId });
        throw newSecretCodeInvalid('code');
      }
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        await store.updateCitizen(trx, row.id, { totp_secret: sealTotp(box, TABLE, row.id, 'secret', secret), totp_pending: null, totp_enabled_at: now, totp_last_step: step, updated_at: now });
        await audit.record(trx, { actor: citizenActor(row.id), action: 'identity.citizen.totp.confirm', subjectType: 'citizen', subjectId: row.id, outcome: 'success', ip: ctx.ip, requestId: ctx.requestId });
      });
    },
  };
}
