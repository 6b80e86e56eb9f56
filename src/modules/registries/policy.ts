// Who may do what with a registry. The owner organization's officers keep its records; the
// platform admin decides which organization owns a registry. Other organizations read
// registry data through the exchange, under their access rights, never through the
// workbench (the design: another organization's data is read through the exchange). Layers
// and indicators with nothing personal in them (geospatial, macroeconomic) need only a
// signed-in member of staff to read, which authentication already ensures.
import { hasRole, type Actor } from '../../platform/actor.ts';
import { ForbiddenError } from '../../platform/errors.ts';

const keeps = (actor: Actor) => hasRole(actor, 'org_admin', 'officer');

export function assertMayReadRecords(actor: Actor, ownerOrgId: string): void {
  if (keeps(actor) && actor.orgId === ownerOrgId) return;
  throw new ForbiddenError(
    "Only the owner organization's staff read this registry here; other organizations read it through the exchange, under an access right.",
    '仅登记库所属单位的工作人员可在此查阅；其他单位须经数据交换、凭访问授权查阅。',
  );
}

export function assertMayEditRecords(actor: Actor, ownerOrgId: string): void {
  if (keeps(actor) && actor.orgId === ownerOrgId) return;
  throw new ForbiddenError("Only the owner organization's officers and administrators change this registry.", '仅登记库所属单位的经办人员和管理员可以修改本库。');
}

export function assertMayAssignOwner(actor: Actor): void {
  if (hasRole(actor, 'platform_admin')) return;
  throw new ForbiddenError('Only the platform administrator decides which organization owns a registry.', '仅平台管理员可以指定登记库的所属单位。');
}
