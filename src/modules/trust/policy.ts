// Who may do what with certificates. The security administrator is the CA operator: approving
// certificates is security administration under level-3 separation of duties (decision 0007).
// An organization admin requests, renews and revokes their own organization's certificates;
// only a certificate's holder signs with a key the platform holds for them.
import { hasRole, type Actor } from '../../platform/actor.ts';
import { ForbiddenError } from '../../platform/errors.ts';

export function assertMayRequest(actor: Actor): void {
  if (!hasRole(actor, 'org_admin')) throw new ForbiddenError('Only an organization administrator requests certificates for their organization.', '只有单位管理员可以为本单位申请证书。');
}

export function assertCaOperator(actor: Actor): void {
  if (!hasRole(actor, 'security_admin')) throw new ForbiddenError('Only the security administrator (the CA operator) decides certificate requests.', '只有安全管理员（CA 操作员）可以审批证书申请。');
}

/** Everyone reads their own organization's certificates; the CA operator and the auditor read all. */
export function mayReadAll(actor: Actor): boolean {
  return hasRole(actor, 'security_admin', 'audit_admin');
}

export function assertMayRead(actor: Actor, orgId: string | null): void {
  if (mayReadAll(actor) || actor.orgId === orgId) return;
  throw new ForbiddenError("You can only see your own organization's certificates.", '您只能查看本单位的证书。');
}

export function assertMayRevoke(actor: Actor, orgId: string | null): void {
  if (hasRole(actor, 'security_admin')) return;
  if (hasRole(actor, 'org_admin') && actor.orgId === orgId) return;
  throw new ForbiddenError("Only the organization's administrator or the CA operator revokes its certificates.", '只有本单位管理员或 CA 操作员可以吊销证书。');
}

export function assertMayRenew(actor: Actor, orgId: string | null): void {
  if (hasRole(actor, 'org_admin') && actor.orgId === orgId) return;
  throw new ForbiddenError("Only the organization's administrator renews its certificates.", '只有本单位管理员可以续期证书。');
}

export function assertMaySign(actor: Actor, holderUserId: string | null): void {
  if (holderUserId !== null && actor.userId === holderUserId) return;
  throw new ForbiddenError('Only the holder of a certificate signs with it.', '只有证书持有人可以使用该证书签名。');
}
