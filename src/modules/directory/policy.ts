// Who may change the directory. Platform admins manage the whole tree; an organization
// admin manages the organizations below their own and the business systems within it.
import { hasRole, type Actor } from '../../platform/actor.ts';
import { ForbiddenError } from '../../platform/errors.ts';

type OrgRef = { id: string; path: string };

function within(target: OrgRef, ancestor: OrgRef): boolean {
  return target.path.startsWith(ancestor.path);
}

/** Route-level: may this actor manage any part of the directory at all? */
export function assertMayManageDirectory(actor: Actor): void {
  if (!hasRole(actor, 'platform_admin', 'org_admin')) {
    throw new ForbiddenError('Only platform or organization administrators can change the directory.', '只有平台管理员或单位管理员可以修改组织目录。');
  }
}

export function assertMayCreateUnder(actor: Actor, actorOrg: OrgRef, parent: OrgRef | null): void {
  if (hasRole(actor, 'platform_admin')) return;
  if (parent && hasRole(actor, 'org_admin') && within(parent, actorOrg)) return;
  throw new ForbiddenError('You can only add organizations under your own organization.', '您只能在本单位之下新增组织。');
}

export function assertMayEdit(actor: Actor, actorOrg: OrgRef, target: OrgRef): void {
  if (hasRole(actor, 'platform_admin')) return;
  if (hasRole(actor, 'org_admin') && within(target, actorOrg)) return;
  throw new ForbiddenError('You can only edit your own organization and those under it.', '您只能修改本单位及下级组织。');
}

export function assertMayChangeStatus(actor: Actor, actorOrg: OrgRef, target: OrgRef): void {
  if (hasRole(actor, 'platform_admin')) return;
  // An org admin deactivating their own organization would lock themselves out.
  if (hasRole(actor, 'org_admin') && target.id !== actorOrg.id && within(target, actorOrg)) return;
  throw new ForbiddenError('You can only deactivate organizations under your own.', '您只能停用本单位的下级组织。');
}

export function assertMayManageSubsystems(actor: Actor, actorOrg: OrgRef, owner: OrgRef): void {
  if (hasRole(actor, 'platform_admin')) return;
  if (hasRole(actor, 'org_admin') && within(owner, actorOrg)) return;
  throw new ForbiddenError("You can only manage your own organization's business systems.", '您只能管理本单位的业务系统。');
}
