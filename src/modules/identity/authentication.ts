// Sign-in, sessions and API tokens: who is calling, with level-3 protections
// (lockout after repeated failures, a second factor, idle timeout, password age) and every
// attempt audited.
import type { Actor, RequestContext } from '../../platform/actor.ts';
import { auditActor } from '../../platform/actor.ts';
import type { Audit } from '../../platform/audit.ts';
import type { ChangeFeed } from '../../platform/changes.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Transaction } from 'kysely';
import type { Db } from '../../platform/db.ts';
import { ConflictError, ForbiddenError, NotFoundError, UnauthenticatedError, ValidationError } from '../../platform/errors.ts';
import { newId, newSecret, sha256Hex } from '../../platform/ids.ts';
import { checkPasswordPolicy, hashPassword, verifyPassword } from '../../platform/password.ts';
import * as policy from './policy.ts';
import type { CreatedToken, SessionInfo, Token } from './schema.ts';
import { accountDisabled, createSignInChecks, type SignInMeta } from './sign-in-checks.ts';
import type { SecondFactorNeed, StaffTotp, TotpEnrolment } from './staff-totp.ts';
import * as store from './store.ts';
import type { UserRow } from './store.ts';

export type OrgLookup = {
  findOrganization(id: string): Promise<{ id: string; nameZh: string; nameEn: string; status: 'active' | 'inactive' } | undefined>;
};

export type AuthenticationDeps = {
  db: Db;
  audit: Audit;
  clock: Clock;
  changes: ChangeFeed;
  directory: OrgLookup;
  totp: StaffTotp;
  settings: { sessionIdleMinutes: number; lockoutThreshold: number; lockoutMinutes: number; passwordMaxAgeDays: number };
};

export type { SignInMeta } from './sign-in-checks.ts';

// Writing last-seen on every request would turn reads into writes; a minute's precision is enough.
const TOUCH_INTERVAL_MS = 60_000;
// Resolved credentials are cached briefly so a request costs no database round trip. Local
// changes (sign-out, roles, deactivation) clear the cache at once and other replicas hear of
// them through the change feed; the TTL bounds staleness if a notification is lost.
const CACHE_TTL_MS = 5_000;
const CACHE_MAX_ENTRIES = 20_000;
export const IDENTITY_TOPIC = 'identity';

type CachedCredential = { actor: Actor; cachedAt: number; lastSeenAt: number; expiresAt: number | null };
export const TOKEN_PREFIX = 'egov_';

function enrolmentRequired(): ForbiddenError {
  return new ForbiddenError(
    'Administrators must use two-step sign-in, and this account has not set it up yet. Sign in once through the workbench’s sign-in page, which sets it up with your authenticator app; then this sign-in works with the code (field totp).',
    '管理员必须使用两步验证，而该账户尚未设置。请先通过工作台的登录页面登录一次，按提示用身份验证器应用完成设置；之后即可在此提供验证码（totp 字段）登录。',
    'totp_enrolment_required',
  );
}

function presentToken(row: store.TokenRow): Token {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    createdAt: row.created_at.toISOString(),
    expiresAt: row.expires_at.toISOString(),
    lastUsedAt: row.last_used_at?.toISOString() ?? null,
    revokedAt: row.revoked_at?.toISOString() ?? null,
  };
}

export function createAuthentication(deps: AuthenticationDeps) {
  const { db, audit, clock, settings } = deps;
  const idleMs = settings.sessionIdleMinutes * 60_000;
  const cache = new Map<string, CachedCredential>();
  deps.changes.subscribe(IDENTITY_TOPIC, () => cache.clear());
  // An organization's deactivation locks its staff out.
  deps.changes.subscribe('directory', () => cache.clear());

  function remember(key: string, entry: CachedCredential): void {
    if (cache.size >= CACHE_MAX_ENTRIES) cache.clear();
    cache.set(key, entry);
  }

  /** Ends sessions or changes who someone is: notify every replica when the transaction commits. */
  async function invalidating<T>(work: (trx: Transaction<any>) => Promise<T>): Promise<T> {
    const result = await db.transaction().execute(async (trx) => {
      const value = await work(trx);
      await deps.changes.notify(trx, IDENTITY_TOPIC);
      return value;
    });
    deps.changes.local(IDENTITY_TOPIC);
    return result;
  }

  function actorFromUser(user: UserRow, via: Actor['via'], extra: Partial<Actor> = {}): Actor {
    return { userId: user.id, username: user.username, displayName: user.display_name, orgId: user.org_id, roles: user.roles, via, ...extra };
  }

  async function userMayAct(user: UserRow): Promise<boolean> {
    if (!user.active) return false;
    const org = await deps.directory.findOrganization(user.org_id);
    return org?.status === 'active';
  }

  function passwordExpired(user: UserRow): boolean {
    return clock.now().getTime() - user.password_changed_at.getTime() > settings.passwordMaxAgeDays * 86_400_000;
  }

  async function sessionInfo(user: UserRow, csrfToken: string): Promise<SessionInfo> {
    const org = await deps.directory.findOrganization(user.org_id);
    return {
      user: {
        id: user.id,
        username: user.username,
        displayName: user.display_name,
        orgId: user.org_id,
        orgNameZh: org?.nameZh ?? '',
        orgNameEn: org?.nameEn ?? '',
        roles: user.roles,
      },
      csrfToken,
      mustChangePassword: user.must_change_password || passwordExpired(user),
      idleTimeoutSeconds: settings.sessionIdleMinutes * 60,
    };
  }

  async function authenticateToken(tokenHash: string, key: string, now: number): Promise<Actor | undefined> {
    const token = await store.findTokenByHash(db, tokenHash);
    if (!token || token.revoked_at || token.expires_at.getTime() <= now || !(await userMayAct(token.user))) return undefined;
    if (!token.last_used_at || now - token.last_used_at.getTime() > TOUCH_INTERVAL_MS) {
      await store.updateToken(db, token.id, { last_used_at: new Date(now) });
    }
    const actor = actorFromUser(token.user, 'token');
    remember(key, { actor, cachedAt: now, lastSeenAt: now, expiresAt: token.expires_at.getTime() });
    return actor;
  }

  async function authenticateSession(idHash: string, key: string, now: number): Promise<Actor | undefined> {
    const session = await store.findLiveSession(db, idHash);
    if (!session) return undefined;
    if (now - session.last_seen_at.getTime() > idleMs) {
      await store.endSession(db, idHash, new Date(now));
      return undefined;
    }
    if (!(await userMayAct(session.user))) return undefined;
    let lastSeenAt = session.last_seen_at.getTime();
    if (now - lastSeenAt > TOUCH_INTERVAL_MS) {
      await store.touchSession(db, idHash, new Date(now));
      lastSeenAt = now;
    }
    const actor = actorFromUser(session.user, 'session', { sessionId: idHash, csrfToken: session.csrf_token });
    remember(key, { actor, cachedAt: now, lastSeenAt, expiresAt: null });
    return actor;
  }

  const checks = createSignInChecks({ ...deps, userMayAct });
  const { recordFailure, recordSuccess } = checks;

  async function openSession(user: UserRow, meta: SignInMeta, detail?: Record<string, unknown>): Promise<{ sessionId: string; info: SessionInfo }> {
    const now = clock.now();
    const sessionId = newSecret();
    const csrfToken = newSecret(24);
    await db.transaction().execute(async (trx) => {
      await recordSuccess(trx, user, now, meta, detail);
      await store.insertSession(trx, {
        id_hash: sha256Hex(sessionId),
        user_id: user.id,
        csrf_token: csrfToken,
        ip: meta.ip,
        user_agent: meta.userAgent?.slice(0, 300) ?? null,
        created_at: now,
        last_seen_at: now,
        ended_at: null,
      });
    });
    return { sessionId, info: await sessionInfo(user, csrfToken) };
  }

  return {
    /**
     * The password, then the TOTP code when the account has TOTP on. An administrator who has
     * not set TOTP up is refused: setting it up is a step of the provider's sign-in page.
     */
    async signIn(username: string, password: string, meta: SignInMeta, totp?: string): Promise<{ sessionId: string; info: SessionInfo }> {
      const user = await checks.checkCredentials(username, password, meta);
      const need = await deps.totp.need(user);
      if (need === 'enrol') {
        await recordFailure(username, user, 'totp_enrolment_required', meta);
        throw enrolmentRequired();
      }
      if (need === 'totp') await checks.checkCode(user, totp, meta);
      return openSession(user, meta, need ? { secondFactor: 'totp' } : undefined);
    },

    /**
     * A workbench session for an account the OpenID Connect provider has already signed in
     * (the workbench is one of its clients): the same cookie, CSRF token, idle timeout and
     * audit as signIn, without a password here. Refused when the account may not act now.
     */
    async signInVerified(userId: string, meta: SignInMeta & { via: string }): Promise<{ sessionId: string; info: SessionInfo }> {
      const user = await store.findUser(db, userId);
      if (!user || !(await userMayAct(user))) {
        if (user) await recordFailure(user.username, user, 'account_disabled', meta);
        throw accountDisabled();
      }
      return openSession(user, meta, { via: meta.via });
    },

    /**
     * The same password check, lockout and audit as signIn, without a browser session: for the
     * OpenID Connect provider's sign-in page (`via` names the client in the audit). A password
     * that must be changed first is refused, since only the workbench can change it; the
     * workbench's own sign-in (`allowPasswordChange`) lets it through to the change page.
     * With `secondFactor` the sign-in is not done yet: the page asks for the code
     * (secondFactor) or sets TOTP up (enrolmentAtSignIn, confirmEnrolment).
     */
    async checkPassword(username: string, password: string, meta: SignInMeta & { via: string; allowPasswordChange?: boolean }): Promise<{ userId: string; secondFactor?: Exclude<SecondFactorNeed, undefined> }> {
      const user = await checks.checkCredentials(username, password, meta);
      if (!meta.allowPasswordChange && (user.must_change_password || passwordExpired(user))) {
        await recordFailure(username, user, 'password_change_required', meta);
        throw new UnauthenticatedError('password_change_required', 'Your password must be changed first: sign in to the workbench and change it, then try again.', '您须先修改密码：请登录工作台修改密码后再试。');
      }
      const need = await deps.totp.need(user);
      // The password was right: not a failure, and not a sign-in yet.
      if (need) return { userId: user.id, secondFactor: need };
      await db.transaction().execute((trx) => recordSuccess(trx, user, clock.now(), meta, { via: meta.via }));
      return { userId: user.id };
    },

    /** The provider's second step: the TOTP code of the account whose password was right. */
    async secondFactor(userId: string, code: string, meta: SignInMeta & { via: string }): Promise<{ userId: string }> {
      const user = await checks.stillMaySignIn(userId, meta);
      await checks.checkCode(user, code, meta);
      await db.transaction().execute((trx) => recordSuccess(trx, user, clock.now(), meta, { via: meta.via, secondFactor: 'totp' }));
      return { userId };
    },

    /** Whether the account whose password was right must set TOTP up before the sign-in ends. */
    async needsEnrolment(userId: string): Promise<boolean> {
      const user = await store.findUser(db, userId);
      return Boolean(user) && (await deps.totp.need(user!)) === 'enrol';
    },

    /** The secret the enrolment step shows; `fresh` right after the password, the same one on a reload. */
    async enrolmentAtSignIn(userId: string, meta: SignInMeta, fresh: boolean): Promise<TotpEnrolment> {
      return deps.totp.enrolmentAtSignIn(await checks.stillMaySignIn(userId, meta), meta, fresh);
    },

    /** The enrolment step's code: TOTP goes on, and the sign-in is done. */
    async confirmEnrolment(userId: string, code: string, meta: SignInMeta & { via: string }): Promise<{ userId: string }> {
      const user = await checks.stillMaySignIn(userId, meta);
      await deps.totp.confirmAtSignIn(user, code, meta);
      await db.transaction().execute((trx) => recordSuccess(trx, user, clock.now(), meta, { via: meta.via, secondFactor: 'totp', enrolled: true }));
      return { userId };
    },

    /** Whether the account may act now (active, organization active): what a token's holder is checked against. */
    async findActiveUser(userId: string): Promise<UserRow | undefined> {
      const user = await store.findUser(db, userId);
      return user && (await userMayAct(user)) ? user : undefined;
    },

    /** Resolves a session cookie or bearer token to an Actor; undefined when it is not valid now. */
    async authenticate(credentials: { sessionId?: string; bearer?: string }): Promise<Actor | undefined> {
      const now = clock.now().getTime();
      const secret = credentials.bearer ?? credentials.sessionId;
      if (!secret) return undefined;
      if (credentials.bearer && !credentials.bearer.startsWith(TOKEN_PREFIX)) return undefined;
      // Keyed by the secret itself: hashing it on every request cost more than the lookup.
      const key = `${credentials.bearer ? 't' : 's'}:${secret}`;
      const cached = cache.get(key);
      if (cached && now - cached.cachedAt < CACHE_TTL_MS && (cached.expiresAt === null || cached.expiresAt > now)) {
        if (credentials.sessionId && now - cached.lastSeenAt <= idleMs) {
          if (now - cached.lastSeenAt > TOUCH_INTERVAL_MS) {
            await store.touchSession(db, cached.actor.sessionId!, new Date(now));
            cached.lastSeenAt = now;
          }
          return cached.actor;
        }
        if (credentials.bearer) return cached.actor;
      }
      cache.delete(key);
      const hash = sha256Hex(secret);
      return credentials.bearer ? authenticateToken(hash, key, now) : authenticateSession(hash, key, now);
    },

    async currentSession(actor: Actor): Promise<SessionInfo> {
      const user = await store.findUser(db, actor.userId);
      if (!user) throw new UnauthenticatedError();
      return sessionInfo(user, actor.csrfToken ?? '');
    },

    async signOut(ctx: RequestContext): Promise<void> {
      if (!ctx.actor.sessionId) {
        throw new ConflictError('not_a_session', 'Only a browser session can sign out; revoke an API token instead.', '只有浏览器会话可以退出登录；API 令牌请使用吊销。');
      }
      const sessionIdHash = ctx.actor.sessionId;
      await invalidating(async (trx) => {
        await store.endSession(trx, sessionIdHash, clock.now());
        await audit.record(trx, { actor: auditActor(ctx.actor), action: 'identity.sign_out', subjectType: 'user', subjectId: ctx.actor.userId, outcome: 'success', ip: ctx.ip, requestId: ctx.requestId });
      });
    },

    async changePassword(ctx: RequestContext, currentPassword: string, newPassword: string): Promise<void> {
      const user = await store.findUser(db, ctx.actor.userId);
      if (!user) throw new UnauthenticatedError();
      if (!(await verifyPassword(currentPassword, user.password_hash))) {
        await audit.record(db, { actor: auditActor(ctx.actor), action: 'identity.password.change', subjectType: 'user', subjectId: user.id, outcome: 'failure', detail: { reason: 'wrong_current_password' }, ip: ctx.ip, requestId: ctx.requestId });
        throw new ValidationError([{ field: 'currentPassword', code: 'wrong_password', message: 'is not your current password', messageZh: '与当前密码不符' }]);
      }
      const problem = checkPasswordPolicy(newPassword, user.username);
      if (problem) throw new ValidationError([{ field: 'newPassword', ...problem }]);
      if (await verifyPassword(newPassword, user.password_hash)) {
        throw new ValidationError([{ field: 'newPassword', code: 'password_reused', message: 'must differ from the current password', messageZh: '不能与当前密码相同' }]);
      }
      const hash = await hashPassword(newPassword);
      await db.transaction().execute(async (trx) => {
        await store.updateUser(trx, user.id, { password_hash: hash, password_changed_at: clock.now(), must_change_password: false, updated_at: clock.now() });
        await audit.record(trx, { actor: auditActor(ctx.actor), action: 'identity.password.change', subjectType: 'user', subjectId: user.id, outcome: 'success', ip: ctx.ip, requestId: ctx.requestId });
      });
    },

    async listTokens(actor: Actor): Promise<Token[]> {
      return (await store.listTokens(db, actor.userId)).map(presentToken);
    },

    async createToken(ctx: RequestContext, name: string, expiresInDays: number): Promise<CreatedToken> {
      const secret = `${TOKEN_PREFIX}${newSecret()}`;
      const now = clock.now();
      const row: store.TokenRow = {
        id: newId(),
        user_id: ctx.actor.userId,
        name: name.trim(),
        prefix: secret.slice(0, TOKEN_PREFIX.length + 6),
        token_hash: sha256Hex(secret),
        created_at: now,
        expires_at: new Date(now.getTime() + expiresInDays * 86_400_000),
        last_used_at: null,
        revoked_at: null,
      };
      await db.transaction().execute(async (trx) => {
        await store.insertToken(trx, row);
        await audit.record(trx, { actor: auditActor(ctx.actor), action: 'identity.token.create', subjectType: 'api_token', subjectId: row.id, outcome: 'success', detail: { name: row.name, expiresAt: row.expires_at.toISOString() }, ip: ctx.ip, requestId: ctx.requestId });
      });
      return { id: row.id, name: row.name, token: secret, prefix: row.prefix, expiresAt: row.expires_at.toISOString() };
    },

    async revokeToken(ctx: RequestContext, id: string): Promise<void> {
      await invalidating(async (trx) => {
        const token = await store.findToken(trx, id);
        if (!token) throw new NotFoundError('API token', id, 'API 令牌');
        policy.assertMayRevokeToken(ctx.actor, token.user_id);
        if (token.revoked_at) throw new ConflictError('already_revoked', 'The token is already revoked.', '该令牌已被吊销。');
        await store.updateToken(trx, id, { revoked_at: clock.now() });
        await audit.record(trx, { actor: auditActor(ctx.actor), action: 'identity.token.revoke', subjectType: 'api_token', subjectId: id, outcome: 'success', ip: ctx.ip, requestId: ctx.requestId });
      });
    },
  };
}

export type Authentication = ReturnType<typeof createAuthentication>;
