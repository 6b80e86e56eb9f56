// Who may write a service's guide: the implementing organization's administrator, or the
// platform administrator (who keeps the catalog for the whole platform). Officers read it.
import { hasRole, type Actor } from '../../../platform/actor.ts';
import { ForbiddenError } from '../../../platform/errors.ts';

export function assertMayEditService(actor: Actor, orgId: string): void {
  if (hasRole(actor, 'platform_admin')) return;
  if (hasRole(actor, 'org_admin') && actor.orgId === orgId) return;
  throw new ForbiddenError(
    "Only the implementing organization's administrator or the platform administrator edits a service's guide.",
    '仅实施机关的管理员或平台管理员可编辑事项的办事指南。',
  );
}
