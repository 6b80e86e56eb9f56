// Who may do what in the catalog. A department drafts and revises the entries it provides
// (its officers and administrators); the data bureau (the organization the platform admin
// names as reviewer) approves or rejects what is submitted; the platform admin names the
// reviewer. Every member of staff may read published entries.
import { hasRole, type Actor } from '../../platform/actor.ts';
import { ForbiddenError } from '../../platform/errors.ts';

export function assertMayDraft(actor: Actor, providerOrgId: string): void {
  if (hasRole(actor, 'org_admin', 'officer') && actor.orgId === providerOrgId) return;
  throw new ForbiddenError("Only the providing department's officers and administrators write its catalog entries.", '仅信息资源提供部门的工作人员和管理员可编写其目录。');
}

export function assertMayReview(actor: Actor, reviewerOrgId: string | null): void {
  if (reviewerOrgId !== null && hasRole(actor, 'org_admin', 'officer') && actor.orgId === reviewerOrgId) return;
  throw new ForbiddenError(
    reviewerOrgId === null ? 'No organization reviews the catalog yet: the platform administrator names the data bureau in the catalog settings.' : 'Only the data bureau reviews catalog entries.',
    reviewerOrgId === null ? '尚未指定目录审核单位：请平台管理员在目录设置中指定数据主管部门。' : '仅数据主管部门可审核目录。',
  );
}

export function assertMayConfigure(actor: Actor): void {
  if (hasRole(actor, 'platform_admin')) return;
  throw new ForbiddenError('Only the platform administrator changes the catalog settings.', '仅平台管理员可修改目录设置。');
}

/** Drafts, submissions and rejected entries are read by their provider and the reviewer only. */
export function mayReadUnpublished(actor: Actor, providerOrgId: string, reviewerOrgId: string | null): boolean {
  return actor.orgId === providerOrgId || (reviewerOrgId !== null && actor.orgId === reviewerOrgId) || hasRole(actor, 'platform_admin');
}
