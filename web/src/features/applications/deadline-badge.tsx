// How near a step or an application is due: the colour (none, yellow, red, suspended) is only
// a repetition of the words ("3 working days left", "overdue", "suspended") and of a mark of its
// own shape, so no one needs to tell colours apart.
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import { formatDate } from '../../format.ts';

type Warning = 'none' | 'yellow' | 'red' | 'suspended';
const MARKS: Record<Warning, string> = { none: '●', yellow: '▲', red: '■', suspended: '⏸' };
const STATES: Record<Warning, MessageKey> = { none: 'tasks.deadline.none', yellow: 'tasks.deadline.yellow', red: 'tasks.deadline.red', suspended: 'tasks.deadline.suspended' };

export function DeadlineBadge({ warning, daysLeft, dueDate }: { warning: Warning; daysLeft: number | null; dueDate: string | null }) {
  const { t, lang } = useI18n();
  if (warning !== 'suspended' && !dueDate) return <span className="muted">{t('tasks.deadline.noDate')}</span>;
  const date = dueDate ? formatDate(`${dueDate}T12:00:00`, lang) : '';
  let detail: string;
  if (warning === 'suspended') detail = t('tasks.deadline.suspendedDetail');
  else if (daysLeft === null) detail = t('tasks.deadline.due', { date });
  else if (daysLeft < 0) detail = t('tasks.deadline.overdueBy', { days: -daysLeft, date });
  else if (daysLeft === 0) detail = t('tasks.deadline.lastDay', { date });
  else detail = t(daysLeft === 1 ? 'tasks.deadline.oneLeft' : 'tasks.deadline.left', { days: daysLeft, date });
  return (
    <span className={`task-deadline task-deadline-${warning}`} data-warning={warning}>
      <span aria-hidden="true" className="task-deadline-mark">
        {MARKS[warning]}
      </span>{' '}
      <strong>{t(STATES[warning])}</strong>
      {t('tasks.deadline.sep')}
      {detail}
    </span>
  );
}
