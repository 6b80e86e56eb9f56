// Who may manage the exchange registry. A subsystem's organization admin registers its
// services and grants access to them (the provider decides who calls it, as in X-Road); the
// platform admin keeps the instance's global groups; the auditor reads everything.
import { hasRole, type Actor } from '../../platform/actor.ts';
import { ForbiddenError } from '../../platform/errors.ts';

export function assertMayManageServicesOf(actor: Actor, orgId: string): void {
  if (hasRole(actor, 'org_admin') && actor.orgId === orgId) return;
  throw new ForbiddenError("Only the organization's administrator registers its services and grants access to them.", '只有本单位管理员可以登记本单位的服务并授予访问权限。');
}

export function assertMayManageGroups(actor: Actor): void {
  if (hasRole(actor, 'platform_admin')) return;
  throw new ForbiddenError('Only the platform administrator manages global groups.', '只有平台管理员可以管理全局分组。');
}

/** Access rights say who may call a service: visible to its organization, the platform admin and the auditor. */
export function assertMayReadRights(actor: Actor, orgId: string): void {
  if (actor.orgId === orgId || hasRole(actor, 'platform_admin', 'audit_admin')) return;
  throw new ForbiddenError("You can only see the access rights of your own organization's services.", '您只能查看本单位服务的访问权限。');
}

/** The whole message log is for the platform admin and the auditor; others see their member's calls. */
export function seesWholeLog(actor: Actor): boolean {
  return hasRole(actor, 'platform_admin', 'audit_admin');
}

/** Node status is for the people who run nodes: the platform admin, the security admin and the auditor. */
export function assertMayReadStatus(actor: Actor): void {
  if (hasRole(actor, 'platform_admin', 'security_admin', 'audit_admin')) return;
  throw new ForbiddenError('Only the platform, security and audit administrators see the node status.', '只有平台管理员、安全管理员和审计管理员可以查看节点状态。');
}

/** Node traffic as a whole is for those who run nodes (as node status); others see their member's calls. */
export function seesAllTraffic(actor: Actor): boolean {
  return hasRole(actor, 'platform_admin', 'security_admin', 'audit_admin');
}

/** The central operator approves nodes into the instance: the platform admin. */
export function assertMayDecideNodes(actor: Actor): void {
  if (hasRole(actor, 'platform_admin')) return;
  throw new ForbiddenError('Only the platform administrator approves or rejects nodes.', '只有平台管理员可以批准或驳回节点。');
}

/** A subsystem's client credentials: its organization's admin, or the platform admin. */
export function assertMayManageClientsOf(actor: Actor, ownOrganization: boolean): void {
  if (hasRole(actor, 'platform_admin') || (ownOrganization && hasRole(actor, 'org_admin'))) return;
  throw new ForbiddenError("Only the organization's administrator manages how its client systems authenticate.", '只有本单位管理员可以管理本单位客户端系统的认证方式。');
}

export function seesAllClients(actor: Actor): boolean {
  return hasRole(actor, 'platform_admin', 'audit_admin');
}
