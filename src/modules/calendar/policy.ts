// Who may change the working-day calendar: the platform administrator, since every
// department's deadlines are counted with it. Any signed-in member of staff may read it.
import { hasRole, type Actor } from '../../platform/actor.ts';
import { ForbiddenError } from '../../platform/errors.ts';

export function assertMayEditCalendar(actor: Actor): void {
  if (hasRole(actor, 'platform_admin')) return;
  throw new ForbiddenError('Only the platform administrator changes the working-day calendar: every deadline is counted with it.', '仅平台管理员可修改工作日历：所有办理时限均按其计算。');
}
