// How an application is shown: to its applicant (status, what to do next, history, materials,
// the receipt) and to officers (the dossier: the same plus the registry data's sources, the
// clock and the steps). One view serves both; the dossier adds what only officers see.
import type { WorkCalendar } from '../../../platform/workdays.ts';
import { viewClock, type ApprovalClock, type ClockView } from '../deadlines/approval-clock.ts';
import { STATUS_NAMES, type ApplicationStatus, type EventActor } from './model.ts';
import type * as store from './store.ts';
import { presentTask, type TaskView } from './tasks.ts';

export type MaterialFile = { id: string; materialKey: string; fileName: string; mediaType: string; size: number; sha256: string; uploadedAt: string };
export type HistoryLine = { at: string; type: string; actor: EventActor; detail: Record<string, unknown> };

export type ApplicationView = {
  id: string;
  number: string;
  serviceId: string;
  serviceCode: string;
  serviceVersion: number;
  /** The lead organization, which decides. */
  orgId: string;
  status: ApplicationStatus;
  statusZh: string;
  statusEn: string;
  applicantName: string;
  enterprise: { creditCode: string; name: string } | null;
  formData: Record<string, unknown>;
  prefilled: Record<string, { value: unknown; registry: string; exchangeId: string | null; readAt: string }>;
  submittedAt: string | null;
  acceptanceDue: string | null;
  acceptedOn: string | null;
  deemedAccepted: boolean;
  acceptance: Record<string, unknown> | null;
  supplement: Record<string, unknown> | null;
  clock: (Omit<ClockView, 'dueAt'> & { dueAt: string | null; extended: boolean }) | null;
  decision: 'approve' | 'deny' | null;
  decisionReasons: string[];
  decidedAt: string | null;
  licenceId: string | null;
  rating: 'good' | 'poor' | null;
  ratingReason: string | null;
  files: MaterialFile[];
  history: HistoryLine[];
  version: number;
  createdAt: string;
  updatedAt: string;
};

export type DossierView = ApplicationView & { tasks: TaskView[] };

export function presentFile(row: Omit<store.AttachmentRow, 'content'>): MaterialFile {
  return { id: row.id, materialKey: row.material_key, fileName: row.file_name, mediaType: row.media_type, size: row.size, sha256: row.sha256, uploadedAt: row.uploaded_at.toISOString() };
}

export function presentApplication(row: store.ApplicationRow, extra: { calendar: WorkCalendar; now: Date; files: Omit<store.AttachmentRow, 'content'>[]; events: store.EventRow[] }): ApplicationView {
  const approval = row.clock as ApprovalClock | null;
  const clock = approval && row.status === 'in_review' ? viewClock(extra.calendar, approval, extra.now) : null;
  return {
    id: row.id,
    number: row.number,
    serviceId: row.service_id,
    serviceCode: row.service_code,
    serviceVersion: row.service_version,
    orgId: row.org_id,
    status: row.status,
    statusZh: STATUS_NAMES[row.status].zh,
    statusEn: STATUS_NAMES[row.status].en,
    applicantName: row.applicant_name,
    enterprise: row.enterprise_credit_code ? { creditCode: row.enterprise_credit_code, name: row.enterprise_name ?? '' } : null,
    formData: row.form_data,
    prefilled: row.prefilled as ApplicationView['prefilled'],
    submittedAt: row.submitted_at?.toISOString() ?? null,
    acceptanceDue: row.acceptance_due,
    acceptedOn: row.accepted_on,
    deemedAccepted: row.deemed_accepted,
    acceptance: (row.acceptance as Record<string, unknown> | null) ?? null,
    supplement: (row.supplement as Record<string, unknown> | null) ?? null,
    clock: clock ? { ...clock, dueAt: clock.dueAt?.toISOString() ?? null, extended: approval!.extended } : null,
    decision: row.decision,
    decisionReasons: (row.decision_reasons as string[] | null) ?? [],
    decidedAt: row.decided_at?.toISOString() ?? null,
    licenceId: row.licence_id,
    rating: row.rating,
    ratingReason: row.rating_reason,
    files: extra.files.map(presentFile),
    history: extra.events.map((e) => ({ at: e.at.toISOString(), type: e.type, actor: e.actor, detail: e.detail })),
    version: row.version,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export function presentDossier(view: ApplicationView, taskRows: store.TaskRow[], calendar: WorkCalendar, now: Date): DossierView {
  const suspended = view.clock?.warning === 'suspended';
  return { ...view, tasks: taskRows.map((t) => presentTask(t, calendar, now, suspended && (t.status === 'open' || t.status === 'claimed'))) };
}
