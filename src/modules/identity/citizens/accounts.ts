// Citizen accounts: registration verified against the population registry (through the
// exchange) in the same transaction as the account, or nothing written; the account as its
// owner sees it; deletion that erases personal data and keeps the record the law asks for.
import { ConflictError, UnauthenticatedError, ValidationError, type FieldError } from '../../../platform/errors.ts';
import { isUniqueViolation } from '../../../platform/db-errors.ts';
import { newId } from '../../../platform/ids.ts';
import { hashPassword, verifyPassword } from '../../../platform/password.ts';
import { checkRegistration, type RegistrationInput } from './inputs.ts';
import { maskIdNumber } from '../../../platform/mask.ts';
import { ANONYMOUS, accountGone, citizenActor, isActive, subOf, type CitizenContext, type CitizenDeps, type Meta } from './model.ts';
import type { PersonCheck } from './registry-check.ts';
import * as store from './store.ts';
import type { ActiveCitizen } from './store.ts';
import { checkSecondFactor } from './totp-factor.ts';

export type CitizenAccount = {
  sub: string;
  name: string;
  idNumberMasked: string;
  phone: string | null;
  email: string | null;
  verified: boolean;
  verifiedAt: string | null;
  totpEnabled: boolean;
  createdAt: string;
};

export type Verification = { verified: boolean; verifiedAt: string | null; source: 'population-registry'; exchangeId: string | null };

const TAKEN: Record<'idNumber' | 'phone' | 'email', [string, string, string]> = {
  idNumber: ['id_number_registered', 'already has an account: sign in, or reset the password if you forgot it', '已注册账户：请直接登录，如忘记密码请重置'],
  phone: ['phone_in_use', 'is already used by another account: give another number, or sign in to that account', '已被其他账户使用：请更换号码，或登录该账户'],
  email: ['email_in_use', 'is already used by another account: give another address, or sign in to that account', '已被其他账户使用：请更换邮箱，或登录该账户'],
};

function takenError(fields: ('idNumber' | 'phone' | 'email')[]): ConflictError {
  const errors: FieldError[] = fields.map((field) => ({ field, code: TAKEN[field][0], message: TAKEN[field][1], messageZh: TAKEN[field][2] }));
  return new ConflictError(errors[0].code, `Already in use: ${errors.map((e) => `${e.field} (${e.message})`).join('; ')}`, `已被使用：${errors.map((e) => `${e.field}（${e.messageZh}）`).join('；')}`, errors);
}

const REFUSED: Record<Exclude<PersonCheck['outcome'], 'match'>, FieldError> = {
  not_found: { field: 'idNumber', code: 'person_not_found', message: 'is not in the population registry: check the number on your ID card', messageZh: '在人口基础信息库中未找到：请对照身份证核对号码' },
  not_living: { field: 'idNumber', code: 'person_not_living', message: 'belongs to a person the population registry does not record as living; if that is wrong, ask the public security bureau to correct it', messageZh: '人口基础信息库记载该人员不在世；如有误，请向公安机关申请更正' },
  name_mismatch: { field: 'name', code: 'name_mismatch', message: 'does not match the name registered for this ID number: give it as on your ID card', messageZh: '与该身份证号码登记的姓名不符：请按身份证填写' },
};

export function present(row: ActiveCitizen): CitizenAccount {
  return {
    sub: subOf(row.id),
    name: row.name,
    idNumberMasked: maskIdNumber(row.id_number),
    phone: row.phone,
    email: row.email,
    verified: row.verified_at !== null,
    verifiedAt: row.verified_at?.toISOString() ?? null,
    totpEnabled: row.totp_enabled_at !== null,
    createdAt: row.created_at.toISOString(),
  };
}

export function createCitizenAccounts(deps: CitizenDeps) {
  const { db, audit, clock, check } = deps;

  async function active(citizenId: string): Promise<ActiveCitizen> {
    const row = await store.findCitizen(db, citizenId);
    if (!isActive(row)) throw accountGone();
    return row;
  }

  return {
    active,

    /**
     * Checks the input, then the population registry through the exchange, then writes the
     * account with its verification in one transaction. A refusal writes no account.
     */
    async register(input: RegistrationInput, meta: Meta, language?: 'zh-CN' | 'en'): Promise<CitizenAccount> {
      const reg = checkRegistration(input);
      const taken = await store.takenBy(db, reg);
      const fields = (['idNumber', 'phone', 'email'] as const).filter((f) => taken[f]);
      if (fields.length > 0) throw takenError(fields);
      const id = newId();
      const verdict = await check.checkPerson(reg.idNumber, reg.name, { issue: 'citizen-registration', userId: subOf(id) });
      if (verdict.outcome !== 'match') {
        await audit.record(db, { actor: ANONYMOUS, action: 'identity.citizen.register', subjectType: 'citizen', subjectId: null, outcome: 'failure', detail: { reason: verdict.outcome, exchangeId: verdict.exchangeId }, ip: meta.ip, requestId: meta.requestId });
        throw new ValidationError([REFUSED[verdict.outcome]]);
      }
      const passwordHash = await hashPassword(reg.password);
      const now = clock.now();
      const row: ActiveCitizen = {
        id,
        status: 'active',
        id_number: reg.idNumber,
        name: reg.name,
        phone: reg.phone,
        email: reg.email,
        password_hash: passwordHash,
        password_changed_at: now,
        failed_attempts: 0,
        locked_until: null,
        totp_secret: null,
        totp_pending: null,
        totp_enabled_at: null,
        totp_last_step: null,
        verified_at: now,
        verification_exchange_id: verdict.exchangeId,
        last_sign_in_at: null,
        created_at: now,
        updated_at: now,
        deleted_at: null,
      };
      try {
        await db.transaction().execute(async (trx) => {
          await store.insertCitizen(trx, row);
          await audit.record(trx, { actor: citizenActor(id), action: 'identity.citizen.register', subjectType: 'citizen', subjectId: id, outcome: 'success', detail: { verification: 'population-registry', exchangeId: verdict.exchangeId, channels: [reg.phone ? 'phone' : null, reg.email ? 'email' : null].filter(Boolean) }, ip: meta.ip, requestId: meta.requestId });
        });
      } catch (err) {
        // Someone registered the same number or channel while the registry was being asked.
        if (isUniqueViolation(err)) {
          const again = await store.takenBy(db, reg);
          const inUse = (['idNumber', 'phone', 'email'] as const).filter((f) => again[f]);
          throw takenError(inUse.length > 0 ? [...inUse] : ['idNumber']);
        }
        throw err;
      }
      // Messages (reset codes, notices) reach the citizen at the contacts just verified, in their language.
      await deps.contacts.update(subOf(id), { email: reg.email, phone: reg.phone, ...(language ? { language } : {}) });
      return present(row);
    },

    /** The signed-in citizen's own account (a read of personal data, audited). */
    async get(ctx: CitizenContext): Promise<CitizenAccount> {
      const row = await active(ctx.citizenId);
      await audit.record(db, { actor: citizenActor(ctx.citizenId), action: 'identity.citizen.read', subjectType: 'citizen', subjectId: ctx.citizenId, outcome: 'success', ip: ctx.ip, requestId: ctx.requestId });
      return present(row);
    },

    /**
     * The signed-in citizen's name, to greet them on every page. Not audited as a read of
     * personal data: it is shown to the person it names, and get() (which is) serves the rest.
     */
    async name(ctx: CitizenContext): Promise<string> {
      return (await active(ctx.citizenId)).name;
    },

    /**
     * Who the signed-in citizen is, for an application they make: their verified name and ID
     * number go into it (the licence names its holder by them). Not audited here: the
     * application records the submission, and the data goes only into the person's own file.
     */
    async applicantIdentity(ctx: CitizenContext): Promise<{ name: string; idNumber: string }> {
      const row = await active(ctx.citizenId);
      return { name: row.name, idNumber: row.id_number };
    },

    async verification(ctx: CitizenContext): Promise<Verification> {
      const row = await active(ctx.citizenId);
      return { verified: row.verified_at !== null, verifiedAt: row.verified_at?.toISOString() ?? null, source: 'population-registry', exchangeId: row.verification_exchange_id };
    },

    /**
     * Erases the account's personal data (ID number, name, channels, password, second factor)
     * and keeps a row saying it existed, when it was verified and when it was deleted, with an
     * audit record; ends its sessions and codes, the enterprises it represents and every agent
     * authorization to or from it.
     */
    async delete(ctx: CitizenContext, password: string, totp: string | undefined): Promise<void> {
      const row = await active(ctx.citizenId);
      if (!(await verifyPassword(password, row.password_hash))) {
        await audit.record(db, { actor: citizenActor(row.id), action: 'identity.citizen.delete', subjectType: 'citizen', subjectId: row.id, outcome: 'failure', detail: { reason: 'wrong_password' }, ip: ctx.ip, requestId: ctx.requestId });
        throw new ValidationError([{ field: 'password', code: 'wrong_password', message: 'is not your current password', messageZh: '与当前密码不符' }]);
      }
      const step = checkSecondFactor(deps, row, totp, 'totp');
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        const current = await store.findCitizen(trx, row.id, true);
        if (!isActive(current)) throw accountGone();
        await store.updateCitizen(trx, row.id, {
          status: 'deleted',
          id_number: null,
          name: null,
          phone: null,
          email: null,
          password_hash: null,
          totp_secret: null,
          totp_pending: null,
          totp_last_step: step ?? null,
          failed_attempts: 0,
          locked_until: null,
          updated_at: now,
          deleted_at: now,
        });
        await store.endCitizenSessions(trx, row.id, now);
        await store.closeCodes(trx, row.id, now);
        const closed = await store.closeEnterprisesOf(trx, row.id, now);
        await store.revokeAgentsOf(trx, { agentId: row.id, enterpriseIds: closed }, now);
        await audit.record(trx, {
          actor: citizenActor(row.id),
          action: 'identity.citizen.delete',
          subjectType: 'citizen',
          subjectId: row.id,
          outcome: 'success',
          detail: { erased: ['idNumber', 'name', 'phone', 'email', 'password', 'totp'], retained: ['id', 'createdAt', 'verifiedAt', 'deletedAt'], enterprisesClosed: closed },
          ip: ctx.ip,
          requestId: ctx.requestId,
        });
      });
      // Messaging keeps no address of a deleted account either.
      await deps.contacts.update(subOf(row.id), { email: null, phone: null });
    },

    /** A live account by its OpenID Connect subject, without reading personal data. */
    async findBySub(sub: string): Promise<{ sub: string; citizenId: string; verified: boolean; totpEnabled: boolean } | undefined> {
      if (!sub.startsWith('citizen:')) return undefined;
      const citizenId = sub.slice('citizen:'.length);
      if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(citizenId)) return undefined;
      const row = await store.findCitizen(db, citizenId);
      if (!isActive(row)) return undefined;
      return { sub, citizenId, verified: row.verified_at !== null, totpEnabled: row.totp_enabled_at !== null };
    },

    /** Whether the session's own password is right (before a sensitive change). */
    async assertPassword(row: ActiveCitizen, password: string): Promise<void> {
      if (!(await verifyPassword(password, row.password_hash))) throw new UnauthenticatedError('wrong_password', 'The password is wrong.', '密码错误。');
    },
  };
}

export type CitizenAccounts = ReturnType<typeof createCitizenAccounts>;
