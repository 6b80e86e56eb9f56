// Who is making a request. Policies in every module decide on an Actor, never on raw requests.
import type { AuditActor } from './audit.ts';

export const ROLES = ['platform_admin', 'org_admin', 'officer', 'security_admin', 'audit_admin'] as const;
export type Role = (typeof ROLES)[number];

export type Actor = {
  userId: string;
  username: string;
  displayName: string;
  orgId: string;
  roles: Role[];
  /** How the request authenticated: a browser session needs CSRF protection, a token does not. */
  via: 'session' | 'token';
  sessionId?: string;
  csrfToken?: string;
};

export type RequestContext = { actor: Actor; ip: string; requestId: string };

export function hasRole(actor: Actor, ...roles: Role[]): boolean {
  return actor.roles.some((r) => roles.includes(r));
}

export function auditActor(actor: Actor): AuditActor {
  return { id: actor.userId, name: actor.username, orgId: actor.orgId };
}

/**
 * Who performs a change. HTTP requests act as a signed-in Actor, checked by policy. The CLI
 * and the seeder act as a local operator (actor null): they already hold the database
 * credentials, so no policy applies, but the audit still names them.
 */
export type Operator = { actor: Actor | null; auditAs: AuditActor; ip: string | null; requestId: string | null };

export function operatorFromRequest(ctx: RequestContext): Operator {
  return { actor: ctx.actor, auditAs: auditActor(ctx.actor), ip: ctx.ip, requestId: ctx.requestId };
}

export function localOperator(name: string): Operator {
  return { actor: null, auditAs: { id: null, name, orgId: null }, ip: null, requestId: null };
}
