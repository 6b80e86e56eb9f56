// Interim citizen browser sessions, until sign-in through the OpenID Connect provider lands:
// a cookie of its own (never the staff cookie), only its hash stored, a CSRF token for every
// write (as staff sessions have), and the same idle timeout.
import crypto from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { ForbiddenError, UnauthenticatedError } from '../../../platform/errors.ts';
import { newSecret, sha256Hex } from '../../../platform/ids.ts';
import { citizenActor, isActive, type CitizenContext, type CitizenDeps } from './model.ts';
import * as store from './store.ts';

export const CITIZEN_COOKIE = 'egov_citizen_session';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
// Writing last-seen on every request would turn reads into writes; a minute's precision is enough.
const TOUCH_INTERVAL_MS = 60_000;

function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) {
      try {
        return decodeURIComponent(v.join('='));
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && crypto.timingSafeEqual(ab, bb);
}

/** The session cookie (an empty value clears it): this site only, never to scripts. */
export function citizenSessionCookie(value: string | undefined, secure: boolean): string {
  const parts = [`${CITIZEN_COOKIE}=${value ? encodeURIComponent(value) : ''}`, 'Path=/', 'HttpOnly', 'SameSite=Strict'];
  if (secure) parts.push('Secure');
  if (!value) parts.push('Max-Age=0');
  return parts.join('; ');
}

export function createCitizenSessions(deps: CitizenDeps) {
  const { db, audit, clock } = deps;
  const idleMs = deps.settings.sessionIdleMinutes * 60_000;

  return {
    async start(citizenId: string): Promise<{ sessionId: string; csrfToken: string }> {
      const sessionId = newSecret();
      const csrfToken = newSecret(24);
      const now = clock.now();
      await store.insertSession(db, { id_hash: sha256Hex(sessionId), citizen_id: citizenId, csrf_token: csrfToken, created_at: now, last_seen_at: now, ended_at: null });
      return { sessionId, csrfToken };
    },

    /** The signed-in citizen, or UnauthenticatedError; writes must carry the CSRF token (a header, or the form's field). */
    async require(request: FastifyRequest, formCsrfToken?: string): Promise<CitizenContext> {
      const sessionId = readCookie(request.headers.cookie, CITIZEN_COOKIE);
      if (!sessionId) throw new UnauthenticatedError();
      const idHash = sha256Hex(sessionId);
      const session = await store.findLiveSession(db, idHash);
      const now = clock.now();
      if (!session) throw new UnauthenticatedError('session_expired', 'Your session has ended. Sign in again.', '会话已结束，请重新登录。');
      if (now.getTime() - session.last_seen_at.getTime() > idleMs) {
        await store.endSession(db, idHash, now);
        throw new UnauthenticatedError('session_expired', 'Your session has ended after a time without activity. Sign in again.', '会话因长时间未操作已结束，请重新登录。');
      }
      if (!isActive(await store.findCitizen(db, session.citizen_id))) throw new UnauthenticatedError('session_expired', 'Your session has ended. Sign in again.', '会话已结束，请重新登录。');
      if (!SAFE_METHODS.has(request.method)) {
        // Pages that work without JavaScript post the token as a form field instead.
        const header = request.headers['x-csrf-token'] ?? formCsrfToken;
        if (typeof header !== 'string' || !safeEqual(header, session.csrf_token)) {
          throw new ForbiddenError('Missing or wrong X-CSRF-Token header. Reload the page and try again.', '缺少或错误的 X-CSRF-Token 请求头，请刷新页面后重试。', 'csrf_failed');
        }
      }
      if (now.getTime() - session.last_seen_at.getTime() > TOUCH_INTERVAL_MS) await store.touchSession(db, idHash, now);
      return { citizenId: session.citizen_id, sessionIdHash: idHash, csrfToken: session.csrf_token, ip: request.ip, requestId: String(request.id) };
    },

    async end(ctx: CitizenContext): Promise<void> {
      await db.transaction().execute(async (trx) => {
        await store.endSession(trx, ctx.sessionIdHash, clock.now());
        await audit.record(trx, { actor: citizenActor(ctx.citizenId), action: 'identity.citizen.sign_out', subjectType: 'citizen', subjectId: ctx.citizenId, outcome: 'success', ip: ctx.ip, requestId: ctx.requestId });
      });
    },
  };
}

export type CitizenSessions = ReturnType<typeof createCitizenSessions>;
