// How near a conditional request's answer is due (deadline-state.ts): on time, due soon or
// overdue, said in words with the due date and the working days left, and a mark of its own
// shape; the colour repeats it.
import { useMemo } from 'react';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import { dateFormats } from '../calendar/dates.ts';
import type { ShareRequest } from './api.ts';
import { deadlineState, type DeadlineState } from './deadline-state.ts';

const MARKS: Record<Exclude<DeadlineState, 'none'>, string> = { ok: '●', soon: '▲', overdue: '■' };
const STATE_LABELS: Record<Exclude<DeadlineState, 'none'>, MessageKey> = { ok: 'catalog.deadline.ok', soon: 'catalog.deadline.soon', overdue: 'catalog.deadline.overdue' };

export function Deadline({ request }: { request: ShareRequest }) {
  const { t, lang } = useI18n();
  const formats = useMemo(() => dateFormats(lang), [lang]);
  const state = deadlineState(request);
  const due = request.due;
  if (!due) return <span className="muted">{t('catalog.deadline.noneUnconditional')}</span>;
  const date = formats.medium(due.date);
  if (state === 'none') return <span className="muted">{t('catalog.deadline.answered', { date })}</span>;
  const left = due.workingDaysLeft ?? 0;
  const detail =
    state === 'overdue'
      ? t('catalog.deadline.overdueDetail', { date, days: Math.max(1, -left) })
      : left === 0
        ? t('catalog.deadline.today', { date })
        : t('catalog.deadline.left', { date, days: left });
  return (
    <span className={`deadline deadline-${state}`} data-deadline={state} data-testid="catalog-deadline">
      <span aria-hidden="true" className="deadline-mark">
        {MARKS[state]}
      </span>{' '}
      <strong>{t(STATE_LABELS[state])}</strong>
      {t('catalog.deadline.sep')}
      {detail}
      {request.escalatedAt && ` ${t('catalog.deadline.escalated')}`}
      {!due.confirmed && ` ${t('catalog.deadline.unconfirmed')}`}
    </span>
  );
}
