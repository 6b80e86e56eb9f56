// Only the audit administrator reads the audit log (level-3 separation of duties).
import { hasRole, type Actor } from '../../platform/actor.ts';
import { ForbiddenError } from '../../platform/errors.ts';

export function assertMayReadAudit(actor: Actor): void {
  if (!hasRole(actor, 'audit_admin')) {
    throw new ForbiddenError('Only the audit administrator can read the audit log.', '只有审计管理员可以查看审计日志。');
  }
}
