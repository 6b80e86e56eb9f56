// The words for what the server sends as codes: duties, deadline colours, step kinds and
// statuses, the history's event types, the clock's suspension reasons and application statuses.
// An unknown code (a newer server) falls back to the code itself rather than failing.
import type { MessageKey, Translate } from '../../i18n/index.tsx';
import type { DossierView, SuspensionReason, TaskView } from './api.ts';

export const DUTIES = ['acceptor', 'reviewer', 'approver', 'leader'] as const;
export type Duty = (typeof DUTIES)[number];
export const DUTY_LABELS: Record<Duty, MessageKey> = { acceptor: 'tasks.duty.acceptor', reviewer: 'tasks.duty.reviewer', approver: 'tasks.duty.approver', leader: 'tasks.duty.leader' };
export const DUTY_HINTS: Record<Duty, MessageKey> = { acceptor: 'duties.hint.acceptor', reviewer: 'duties.hint.reviewer', approver: 'duties.hint.approver', leader: 'duties.hint.leader' };

export const TASK_STATUS_LABELS: Record<TaskView['status'], MessageKey> = { open: 'tasks.status.open', claimed: 'tasks.status.claimed', done: 'tasks.status.done', cancelled: 'tasks.status.cancelled' };

export const APPLICATION_STATUS_TONE: Record<DossierView['status'], string> = {
  draft: 'badge-inactive',
  submitted: 'badge-role',
  supplement_requested: 'badge-warn',
  not_accepted: 'badge-failure',
  in_review: 'badge-role',
  approved: 'badge-success',
  denied: 'badge-failure',
  withdrawn: 'badge-inactive',
};

export const SUSPENSION_REASONS: SuspensionReason[] = ['hearing', 'testing', 'expert_review', 'inspection'];
export const SUSPENSION_LABELS: Record<SuspensionReason, MessageKey> = {
  hearing: 'dossier.suspend.hearing',
  testing: 'dossier.suspend.testing',
  expert_review: 'dossier.suspend.expert_review',
  inspection: 'dossier.suspend.inspection',
};

const EVENT_LABELS: Record<string, MessageKey> = {
  draft: 'dossier.event.draft',
  draft_change: 'dossier.event.draft_change',
  submit: 'dossier.event.submit',
  supplement_request: 'dossier.event.supplement_request',
  supplement_answer: 'dossier.event.supplement_answer',
  accept: 'dossier.event.accept',
  deemed_accept: 'dossier.event.deemed_accept',
  not_accept: 'dossier.event.not_accept',
  review_step: 'dossier.event.review_step',
  approve: 'dossier.event.approve',
  deny: 'dossier.event.deny',
  extend: 'dossier.event.extend',
  suspend: 'dossier.event.suspend',
  resume: 'dossier.event.resume',
  decision_overdue: 'dossier.event.decision_overdue',
  withdraw: 'dossier.event.withdraw',
  rate: 'dossier.event.rate',
  message: 'dossier.event.message',
  joint_step: 'dossier.event.joint_step',
};

export const eventLabel = (t: Translate, type: string) => (type in EVENT_LABELS ? t(EVENT_LABELS[type]) : type);
export const dutyLabel = (t: Translate, duty: string) => ((DUTIES as readonly string[]).includes(duty) ? t(DUTY_LABELS[duty as Duty]) : duty);
export const suspensionLabel = (t: Translate, reason: string) => (reason in SUSPENSION_LABELS ? t(SUSPENSION_LABELS[reason as SuspensionReason]) : reason);
