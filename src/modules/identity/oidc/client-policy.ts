// Who registers relying parties: the platform admin for any business system, an organization
// admin for the business systems of their own organization.
import { hasRole, type Actor } from '../../../platform/actor.ts';
import { ForbiddenError } from '../../../platform/errors.ts';

export function assertMayListClients(actor: Actor): void {
  if (!hasRole(actor, 'platform_admin', 'org_admin')) {
    throw new ForbiddenError('Only the platform administrator or an organization administrator manages sign-in clients.', '只有平台管理员或单位管理员可以管理统一身份认证客户端。');
  }
}

export function assertMayManageClientOf(actor: Actor, ownerOrgId: string): void {
  if (hasRole(actor, 'platform_admin')) return;
  if (hasRole(actor, 'org_admin') && actor.orgId === ownerOrgId) return;
  throw new ForbiddenError("You can only manage sign-in clients of your own organization's business systems.", '您只能管理本单位业务系统的统一身份认证客户端。');
}

/** An organization admin lists their own organization's clients; the platform admin any. */
export function listScope(actor: Actor, requestedOrgId: string | undefined): string | undefined {
  assertMayListClients(actor);
  if (hasRole(actor, 'platform_admin')) return requestedOrgId;
  if (requestedOrgId && requestedOrgId !== actor.orgId) assertMayManageClientOf(actor, requestedOrgId);
  return actor.orgId;
}
