// Who may do what with licences as staff: the issuing organization's administrator revokes its
// licences; its staff list them. The platform administrator lists any organization's, to
// answer for the platform as a whole, but revokes none: revocation is the issuer's decision.
import { hasRole, type Actor } from '../../../platform/actor.ts';
import { ForbiddenError } from '../../../platform/errors.ts';

export function assertMayRevoke(actor: Actor, issuerOrgId: string): void {
  if (hasRole(actor, 'org_admin') && actor.orgId === issuerOrgId) return;
  throw new ForbiddenError(
    "Only the issuing organization's administrator revokes its licences.",
    '仅发证机关的管理员可以注销其颁发的证照。',
  );
}

export function assertMayList(actor: Actor, orgId: string): void {
  if (actor.orgId === orgId || hasRole(actor, 'platform_admin')) return;
  throw new ForbiddenError(
    "You see your own organization's licences only.",
    '您只能查看本单位颁发的证照。',
  );
}
