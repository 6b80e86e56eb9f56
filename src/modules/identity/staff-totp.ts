// Staff TOTP: setting it up (a new secret shown once as an otpauth:// URI, on only once a code
// from it is given), turning it off (not for administrators, policy.ts), the security admin's
// reset for someone who lost their device, and the code check sign-in makes. The codes, the
// sealing and the replay check are the ones citizens use (./totp/).
import type { Transaction } from 'kysely';
import { auditActor, type Operator, type RequestContext } from '../../platform/actor.ts';
import type { Audit, AuditActor } from '../../platform/audit.ts';
import type { ChangeFeed } from '../../platform/changes.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db, Executor } from '../../platform/db.ts';
import { ForbiddenError, NotFoundError } from '../../platform/errors.ts';
import type { SecretBox } from '../../platform/secret-box.ts';
import { IDENTITY_TOPIC } from './authentication.ts';
import * as policy from './policy.ts';
import * as store from './store.ts';
import type { UserRow } from './store.ts';
import { matchTotp, newTotpSecret, totpUri } from './totp/codes.ts';
import { freshStep, newSecretCodeInvalid, openTotp, sealTotp, totpAlreadyOn, totpInvalid, totpNotStarted } from './totp/sealed.ts';
import * as totpStore from './staff-totp-store.ts';

const TABLE = 'identity.staff_totp';

export type StaffTotpDeps = { db: Db; audit: Audit; clock: Clock; box: SecretBox; changes: ChangeFeed; issuer: string };
/** What sign-in needs after the password: a code, setting TOTP up first, or nothing. */
export type SecondFactorNeed = 'totp' | 'enrol' | undefined;
export type TotpStatus = { enabled: boolean; required: boolean; pending: boolean };
export type TotpEnrolment = { secret: string; uri: string };
type Meta = { ip: string | null; requestId: string | null };

const userActor = (user: Pick<UserRow, 'id' | 'username' | 'org_id'>): AuditActor => ({ id: user.id, name: user.username, orgId: user.org_id });

export function createStaffTotp(deps: StaffTotpDeps) {
  const { db, audit, clock, box } = deps;

  async function record(trx: Executor, actor: AuditActor, action: string, subjectId: string, outcome: 'success' | 'failure', meta: Meta, detail?: Record<string, unknown>) {
    await audit.record(trx, { actor, action, subjectType: 'user', subjectId, outcome, ...(detail ? { detail } : {}), ip: meta.ip, requestId: meta.requestId });
  }

  async function getUser(id: string): Promise<UserRow> {
    const user = await store.findUser(db, id);
    if (!user) throw new NotFoundError('account', id, '账户');
    return user;
  }

  /** A new pending secret for `user` (any earlier pending one is replaced), audited. */
  async function startFor(user: UserRow, meta: Meta, actor: AuditActor): Promise<TotpEnrolment> {
    const secret = newTotpSecret();
    await db.transaction().execute(async (trx) => {
      await totpStore.savePending(trx, user.id, sealTotp(box, TABLE, user.id, 'pending', secret), clock.now());
      await record(trx, actor, 'identity.totp.enrol', user.id, 'success', meta);
    });
    return { secret, uri: totpUri(secret, user.username, deps.issuer) };
  }

  /**
   * Whether `code` is a current code of the account's secret not used before; a good code is
   * used up at once (atomically, so two requests racing with one code cannot both pass).
   */
  async function useCode(userId: string, code: string): Promise<boolean> {
    const row = await totpStore.findTotp(db, userId);
    if (!row?.secret) return false;
    const step = freshStep(openTotp(box, TABLE, userId, 'secret', row.secret), code, clock.now(), row.last_step);
    return step !== undefined && (await totpStore.useStep(db, userId, step, clock.now()));
  }

  /** Turns the pending secret on when `code` is its current code; the step is used up. */
  async function confirmFor(user: UserRow, code: string, meta: Meta, actor: AuditActor): Promise<void> {
    const row = await totpStore.findTotp(db, user.id);
    if (!row?.pending) throw row?.secret ? totpAlreadyOn() : totpNotStarted();
    const secret = openTotp(box, TABLE, user.id, 'pending', row.pending);
    const step = matchTotp(secret, code.trim(), clock.now());
    if (step === undefined) {
      await record(db, actor, 'identity.totp.confirm', user.id, 'failure', meta, { reason: 'wrong_code' });
      throw newSecretCodeInvalid('code');
    }
    await db.transaction().execute(async (trx) => {
      await totpStore.enable(trx, user.id, sealTotp(box, TABLE, user.id, 'secret', secret), step, clock.now());
      await record(trx, actor, 'identity.totp.confirm', user.id, 'success', meta);
    });
  }

  return {
    async need(user: UserRow): Promise<SecondFactorNeed> {
      if ((await totpStore.findTotp(db, user.id))?.secret) return 'totp';
      return policy.mustUseTotp(user.roles) ? 'enrol' : undefined;
    },

    useCode,

    /** At sign-in, for an administrator who has none yet: the secret this sign-in shows (made once, kept until confirmed). */
    async enrolmentAtSignIn(user: UserRow, meta: Meta, fresh: boolean): Promise<TotpEnrolment> {
      const row = await totpStore.findTotp(db, user.id);
      if (!fresh && row?.pending) {
        const secret = openTotp(box, TABLE, user.id, 'pending', row.pending);
        return { secret, uri: totpUri(secret, user.username, deps.issuer) };
      }
      return startFor(user, meta, userActor(user));
    },

    confirmAtSignIn: (user: UserRow, code: string, meta: Meta) => confirmFor(user, code, meta, userActor(user)),

    async status(ctx: RequestContext): Promise<TotpStatus> {
      const row = await totpStore.findTotp(db, ctx.actor.userId);
      return { enabled: Boolean(row?.secret), required: policy.mustUseTotp(ctx.actor.roles), pending: Boolean(row?.pending) };
    },

    /** A new secret for the signed-in user, shown this once; on only after `confirm`. */
    async start(ctx: RequestContext): Promise<TotpEnrolment> {
      const user = await getUser(ctx.actor.userId);
      if ((await totpStore.findTotp(db, user.id))?.secret) throw totpAlreadyOn();
      return startFor(user, ctx, auditActor(ctx.actor));
    },

    confirm: async (ctx: RequestContext, code: string) => confirmFor(await getUser(ctx.actor.userId), code, ctx, auditActor(ctx.actor)),

    /** Turns it off, with a current code as proof of the device; administrators cannot. */
    async remove(ctx: RequestContext, code: string): Promise<void> {
      const { actor } = ctx;
      if (policy.mustUseTotp(actor.roles)) {
        await record(db, auditActor(actor), 'identity.totp.remove', actor.userId, 'failure', ctx, { reason: 'required_for_role' });
        throw new ForbiddenError('Administrators must keep two-step sign-in on (level-3 protection).', '管理员必须保持开启两步验证（等级保护三级要求）。', 'totp_required_for_role');
      }
      const row = await totpStore.findTotp(db, actor.userId);
      if (!row?.secret) {
        // Only a pending secret: dropping it needs no code.
        if (row) await totpStore.remove(db, actor.userId);
        return;
      }
      if (!(await useCode(actor.userId, code))) {
        await record(db, auditActor(actor), 'identity.totp.remove', actor.userId, 'failure', ctx, { reason: 'wrong_code' });
        throw totpInvalid('code');
      }
      await db.transaction().execute(async (trx) => {
        await totpStore.remove(trx, actor.userId);
        await record(trx, auditActor(actor), 'identity.totp.remove', actor.userId, 'success', ctx);
      });
    },

    /**
     * The security admin's reset for someone who lost their device: the secret goes, their
     * sessions end, and an administrator sets TOTP up again at the next sign-in.
     */
    async reset(ctx: RequestContext, userId: string): Promise<void> {
      policy.assertMayResetTotp(ctx.actor, userId);
      await getUser(userId);
      await db.transaction().execute(async (trx: Transaction<any>) => {
        const removed = await totpStore.remove(trx, userId);
        await store.endUserSessions(trx, userId, clock.now());
        await record(trx, auditActor(ctx.actor), 'identity.totp.reset', userId, 'success', ctx, { hadTotp: removed });
        await deps.changes.notify(trx, IDENTITY_TOPIC);
      });
      deps.changes.local(IDENTITY_TOPIC);
    },

    /**
     * Demo data and tests only: turns TOTP on with a secret already known (the demo's
     * documented one), with no code. The local operator alone may; no route calls it.
     */
    async installKnownSecret(operator: Operator, userId: string, secretBase32: string): Promise<void> {
      if (operator.actor) throw new ForbiddenError('Only the local operator installs a known TOTP secret.', '只有本地操作员可以安装已知的 TOTP 密钥。');
      const user = await getUser(userId);
      await db.transaction().execute(async (trx) => {
        await totpStore.enable(trx, user.id, sealTotp(box, TABLE, user.id, 'secret', secretBase32), -1, clock.now());
        await record(trx, operator.auditAs, 'identity.totp.install', user.id, 'success', operator, { known: true });
      });
    },
  };
}

export type StaffTotp = ReturnType<typeof createStaffTotp>;
