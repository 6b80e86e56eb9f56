// What the workbench remembers between sending someone to the provider and their return:
// state, nonce, the PKCE verifier and where they wanted to go. Kept in a short-lived cookie
// sealed with the master key (no table, nothing to sweep), bound to its purpose, readable
// only by the callback's path.
import crypto from 'node:crypto';
import type { Sealed, SecretBox } from '../../../platform/secret-box.ts';

export const FLOW_COOKIE = 'egov_wb_oidc';
export const FLOW_PATH = '/api/session/oidc';
export const FLOW_SECONDS = 600;
const CONTEXT = 'identity.workbench-oidc-flow/v1';

export type Flow = { state: string; nonce: string; verifier: string; next: string; expiresAt: number };

const random = () => crypto.randomBytes(32).toString('base64url');

export function newFlow(next: string, now: Date): Flow {
  return { state: random(), nonce: random(), verifier: random(), next, expiresAt: now.getTime() + FLOW_SECONDS * 1000 };
}

export const pkceChallenge = (verifier: string) => crypto.createHash('sha256').update(verifier).digest('base64url');

export function sealFlow(box: SecretBox, flow: Flow): string {
  return Buffer.from(JSON.stringify(box.seal(Buffer.from(JSON.stringify(flow)), CONTEXT))).toString('base64url');
}

/** The flow in the cookie, or undefined when it is missing, tampered with or expired. */
export function openFlow(box: SecretBox, value: string | undefined, now: Date): Flow | undefined {
  if (!value || value.length > 4096) return undefined;
  try {
    const sealed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as Sealed;
    const flow = JSON.parse(box.open(sealed, CONTEXT).toString('utf8')) as Flow;
    return typeof flow.state === 'string' && flow.expiresAt > now.getTime() ? flow : undefined;
  } catch {
    return undefined;
  }
}

export function flowCookie(value: string, secure: boolean, clear = false): string {
  // Lax: the return from the provider is a top-level navigation, which Lax cookies accompany.
  const parts = [`${FLOW_COOKIE}=${clear ? '' : value}`, `Path=${FLOW_PATH}`, 'HttpOnly', 'SameSite=Lax', `Max-Age=${clear ? 0 : FLOW_SECONDS}`];
  if (secure) parts.push('Secure');
  return parts.join('; ');
}

export const sameValue = (a: string, b: string) => {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && crypto.timingSafeEqual(ab, bb);
};

/** Only a path of this site is followed after sign-in: never another origin, never back to sign-in. */
export function safeNext(next: unknown): string {
  if (typeof next !== 'string' || next.length > 2000) return '/';
  // "//host", "/\host" and control characters can all leave the site in some browser.
  if (!next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\') || /[\u0000-\u001f\\]/.test(next)) return '/';
  if (next === '/login' || next.startsWith('/login?') || next.startsWith('/api/')) return '/';
  const base = 'http://workbench.invalid';
  const url = new URL(next, base);
  // Serialized by URL, so what goes into the Location header is percent-encoded.
  return url.origin === base ? `${url.pathname}${url.search}${url.hash}` : '/';
}
