// Account administration under level-3 separation of duties: the security admin manages
// accounts; an organization admin manages ordinary accounts of their own organization and
// those below it; the platform (system) admin and the audit admin do not manage accounts.
import { hasRole, type Actor, type Role } from '../../platform/actor.ts';
import { ForbiddenError, ValidationError } from '../../platform/errors.ts';

/** Roles an organization admin may hand out; the three administrator roles need the security admin. */
const ORG_ADMIN_GRANTABLE: Role[] = ['org_admin', 'officer'];
/** Level 3 separates system, security and audit administration: one person holds at most one. */
const SEPARATED: Role[] = ['platform_admin', 'security_admin', 'audit_admin'];

export function assertMayManageUsers(actor: Actor): void {
  if (!hasRole(actor, 'security_admin', 'org_admin')) {
    throw new ForbiddenError('Only the security administrator or an organization administrator manages accounts.', '只有安全管理员或单位管理员可以管理账户。');
  }
}

/** `targetWithinActorOrg` says whether the account's organization is the actor's or below it. */
export function assertMayManageAccountIn(actor: Actor, targetWithinActorOrg: boolean): void {
  if (hasRole(actor, 'security_admin')) return;
  if (hasRole(actor, 'org_admin') && targetWithinActorOrg) return;
  throw new ForbiddenError('You can only manage accounts of your own organization and those under it.', '您只能管理本单位及下级单位的账户。');
}

export function assertMayGrant(actor: Actor, roles: Role[]): void {
  if (hasRole(actor, 'security_admin')) return;
  const refused = roles.filter((r) => !ORG_ADMIN_GRANTABLE.includes(r));
  if (refused.length > 0) {
    throw new ForbiddenError(`Only the security administrator can grant: ${refused.join(', ')}.`, `只有安全管理员可以授予：${refused.join('、')}。`);
  }
}

export function assertRolesSeparated(roles: Role[]): void {
  if (roles.filter((r) => SEPARATED.includes(r)).length > 1) {
    throw new ValidationError([
      {
        field: 'roles',
        code: 'role_separation',
        message: 'platform, security and audit administration must be held by different people',
        messageZh: '系统管理员、安全管理员和审计管理员须由不同人员担任',
      },
    ]);
  }
}

export function assertMayReadUsers(actor: Actor): void {
  assertMayManageUsers(actor);
}

/** A token can be revoked by its owner or by the security admin. */
export function assertMayRevokeToken(actor: Actor, ownerId: string): void {
  if (actor.userId === ownerId || hasRole(actor, 'security_admin')) return;
  throw new ForbiddenError('You can only revoke your own API tokens.', '您只能吊销自己的 API 令牌。');
}

/**
 * Level 3 asks administrators to sign in with two factors, so these roles must use TOTP and
 * cannot turn it off: the three separated administrator roles (system, security, audit) and
 * the organization admin, who manages accounts and clients of a part of the tree. Officers
 * are not administrators: for them TOTP is a choice.
 */
export const TOTP_REQUIRED_ROLES: readonly Role[] = ['platform_admin', 'security_admin', 'audit_admin', 'org_admin'];

export function mustUseTotp(roles: readonly Role[]): boolean {
  return roles.some((r) => TOTP_REQUIRED_ROLES.includes(r));
}

/** Resetting someone's second factor lets them (or whoever holds their password) enrol anew: the security admin's call alone. */
export function assertMayResetTotp(actor: Actor, targetId: string): void {
  if (!hasRole(actor, 'security_admin')) {
    throw new ForbiddenError('Only the security administrator can reset another person’s two-step sign-in.', '只有安全管理员可以重置他人的两步验证。');
  }
  if (actor.userId === targetId) {
    throw new ForbiddenError('You cannot reset your own two-step sign-in; ask another security administrator.', '不能重置自己的两步验证，请由其他安全管理员操作。', 'self_change');
  }
}
