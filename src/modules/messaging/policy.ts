// Who reads and sends what. Every account reads and changes only its own inbox and
// preferences (the account is the caller's, never a parameter); sending a notice by hand and
// reading other accounts' delivery failures are the platform administrator's.
import { hasRole, type Actor } from '../../platform/actor.ts';
import { ForbiddenError } from '../../platform/errors.ts';

/** The recipient a signed-in member of staff is. */
export function recipientOf(actor: Actor): string {
  return `staff:${actor.userId}`;
}

export function assertMaySendNotice(actor: Actor): void {
  if (hasRole(actor, 'platform_admin')) return;
  throw new ForbiddenError('Only the platform administrator sends notices by hand; other messages are sent by the service they are about.', '仅平台管理员可手工发送通知；其他消息由相关业务自动发送。');
}

export function assertMayReadDeliveries(actor: Actor): void {
  if (hasRole(actor, 'platform_admin')) return;
  throw new ForbiddenError("Only the platform administrator reads other accounts' delivery failures.", '仅平台管理员可查看其他账户的消息投递失败记录。');
}
