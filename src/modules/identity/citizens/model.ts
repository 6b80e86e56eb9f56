// What the citizen services share: dependencies, who acts, audit shapes and the errors they throw.
import type { AuditActor } from '../../../platform/audit.ts';
import type { Audit } from '../../../platform/audit.ts';
import type { Clock } from '../../../platform/clock.ts';
import type { Db } from '../../../platform/db.ts';
import { ForbiddenError, NotFoundError, UnauthenticatedError } from '../../../platform/errors.ts';
import type { SecretBox } from '../../../platform/secret-box.ts';
import type { CodeSender, ContactSink } from './code-sender.ts';
import type { RegistryCheck } from './registry-check.ts';
import type { ActiveCitizen, CitizenRow } from './store.ts';

export type CitizenSettings = {
  lockoutThreshold: number;
  lockoutMinutes: number;
  sessionIdleMinutes: number;
  /** Shown in authenticator apps beside the account. */
  totpIssuer: string;
  resetCodeMinutes: number;
  resetCodeAttempts: number;
  /** Codes one account may be sent per hour. */
  resetCodesPerHour: number;
};

export type CitizenDeps = { db: Db; audit: Audit; clock: Clock; box: SecretBox; check: RegistryCheck; codeSender: CodeSender; contacts: ContactSink; settings: CitizenSettings };

/** Where a request came from, for the audit. */
export type Meta = { ip: string | null; requestId: string | null };

/** A signed-in citizen making a request. */
export type CitizenContext = Meta & { citizenId: string; sessionIdHash: string; csrfToken: string };

export const SUB_PREFIX = 'citizen:';

export const subOf = (citizenId: string) => `${SUB_PREFIX}${citizenId}`;

/** Audit rows name a citizen by `sub`, never by name or ID number. */
export function citizenActor(citizenId: string): AuditActor {
  return { id: citizenId, name: subOf(citizenId), orgId: null };
}

export const ANONYMOUS: AuditActor = { id: null, name: 'anonymous', orgId: null };

export function isActive(row: CitizenRow | undefined): row is ActiveCitizen {
  return row?.status === 'active';
}

export function accountGone(): UnauthenticatedError {
  return new UnauthenticatedError('account_gone', 'This account no longer exists. Sign in again or register.', '该账户已不存在，请重新登录或注册。');
}

export function notYours(what: string, whatZh: string): ForbiddenError {
  return new ForbiddenError(`This ${what} is not yours: only its legal representative may see or change it.`, `该${whatZh}不属于您：仅其法定代表人可以查看或修改。`, 'not_yours');
}

export function noEnterprise(id: string): NotFoundError {
  return new NotFoundError('enterprise account', id, '企业账户');
}
