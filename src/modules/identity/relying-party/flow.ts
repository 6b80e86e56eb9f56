// What a built-in client (the workbench, the portal) remembers between sending someone to the
// provider and their return: state, nonce, the PKCE verifier and where they wanted to go. Kept
// in a short-lived cookie sealed with the master key (no table, nothing to sweep), bound to its
// client, readable only by that client's callback path.
import crypto from 'node:crypto';
import type { Sealed, SecretBox } from '../../../platform/secret-box.ts';

export const FLOW_SECONDS = 600;

/** Where one client keeps its flow: the cookie, the path it is sent to, the sealing context. */
export type FlowCookie = { name: string; path: string; context: string };

export type Flow = { state: string; nonce: string; verifier: string; next: string; expiresAt: number };

const random = () => crypto.randomBytes(32).toString('base64url');

export function newFlow(next: string, now: Date): Flow {
  return { state: random(), nonce: random(), verifier: random(), next, expiresAt: now.getTime() + FLOW_SECONDS * 1000 };
}

export const pkceChallenge = (verifier: string) => crypto.createHash('sha256').update(verifier).digest('base64url');

export function sealFlow(box: SecretBox, flow: Flow, cookie: FlowCookie): string {
  return Buffer.from(JSON.stringify(box.seal(Buffer.from(JSON.stringify(flow)), cookie.context))).toString('base64url');
}

/** The flow in the cookie, or undefined when it is missing, tampered with or expired. */
export function openFlow(box: SecretBox, value: string | undefined, now: Date, cookie: FlowCookie): Flow | undefined {
  if (!value || value.length > 4096) return undefined;
  try {
    const sealed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as Sealed;
    const flow = JSON.parse(box.open(sealed, cookie.context).toString('utf8')) as Flow;
    return typeof flow.state === 'string' && flow.expiresAt > now.getTime() ? flow : undefined;
  } catch {
    return undefined;
  }
}

export function flowCookie(cookie: FlowCookie, value: string, secure: boolean, clear = false): string {
  // Lax: the return from the provider is a top-level navigation, which Lax cookies accompany.
  const parts = [`${cookie.name}=${clear ? '' : value}`, `Path=${cookie.path}`, 'HttpOnly', 'SameSite=Lax', `Max-Age=${clear ? 0 : FLOW_SECONDS}`];
  if (secure) parts.push('Secure');
  return parts.join('; ');
}

export const sameValue = (a: string, b: string) => {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && crypto.timingSafeEqual(ab, bb);
};

export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/**
 * Only a path of this site is followed after sign-in: never another origin, never back to a
 * sign-in page (`signInPaths`) or an API. Anything else becomes `fallback`.
 */
export function safeNext(next: unknown, fallback = '/', signInPaths: string[] = ['/login']): string {
  if (typeof next !== 'string' || next.length > 2000) return fallback;
  // "//host", "/\host" and control characters can all leave the site in some browser.
  if (!next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\') || /[\u0000-\u001f\\]/.test(next)) return fallback;
  if (signInPaths.some((p) => next === p || next.startsWith(`${p}?`)) || next.startsWith('/api/')) return fallback;
  const base = 'http://site.invalid';
  const url = new URL(next, base);
  // Serialized by URL, so what goes into the Location header is percent-encoded.
  return url.origin === base ? `${url.pathname}${url.search}${url.hash}` : fallback;
}
