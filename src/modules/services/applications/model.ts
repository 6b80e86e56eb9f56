// What an application is, in the words of the Administrative Licensing Law, and who may act on
// it. The service (service.ts, acceptance.ts, review.ts) moves an application between these
// states; everything here is pure.
import type { ApprovalClock } from '../deadlines/approval-clock.ts';

export const APPLICATION_STATUSES = ['draft', 'submitted', 'supplement_requested', 'not_accepted', 'in_review', 'approved', 'denied', 'withdrawn'] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];

/** States in which nothing more happens to an application. */
export const ENDED: ReadonlySet<ApplicationStatus> = new Set(['not_accepted', 'approved', 'denied', 'withdrawn']);

export const STATUS_NAMES: Record<ApplicationStatus, { zh: string; en: string }> = {
  draft: { zh: '草稿', en: 'Draft' },
  submitted: { zh: '已提交，待受理', en: 'Submitted, awaiting acceptance' },
  supplement_requested: { zh: '待补正材料', en: 'Supplements requested' },
  not_accepted: { zh: '不予受理', en: 'Not accepted' },
  in_review: { zh: '已受理，审查中', en: 'Accepted, under review' },
  approved: { zh: '准予许可', en: 'Approved' },
  denied: { zh: '不予许可', en: 'Denied' },
  withdrawn: { zh: '已撤回', en: 'Withdrawn' },
};

/**
 * GovStack Registration's statusModel has four codes: PENDING while the file is open, SENDBACK
 * when it went back to the applicant (supplements), APPROVED and REJECTED at the end (not
 * accepted and denied are both refusals in its terms).
 */
export function govstackStatus(status: ApplicationStatus): { code: 'PENDING' | 'APPROVED' | 'SENDBACK' | 'REJECTED'; title: string } {
  const code = status === 'approved' ? 'APPROVED' : status === 'supplement_requested' ? 'SENDBACK' : status === 'not_accepted' || status === 'denied' || status === 'withdrawn' ? 'REJECTED' : 'PENDING';
  return { code, title: STATUS_NAMES[status].en };
}

/** The person applying: a signed-in citizen, for themselves or for an enterprise they may act for. */
export type Applicant = {
  citizenId: string;
  name: string;
  /** Their ID number, as verified at registration: a person's licence names its holder by it. */
  idNumber: string;
  enterprise?: { id: string; creditCode: string; name: string };
  ip: string | null;
  requestId: string | null;
};

/** Who did something to an application, as its history shows it. */
export type EventActor = { kind: 'citizen' | 'staff' | 'system'; id: string | null; name: string };

export type SupplementItem = { materialKey?: string; field?: string; zh: string; en: string };
export type SupplementRequest = { items: SupplementItem[]; noteZh: string; noteEn: string; requestedAt: string; requestedBy: string };

/** The acceptance step's three outcomes (art. 32). */
export type AcceptanceDecision =
  | { decision: 'accept' }
  | { decision: 'not_accept'; reasonZh: string; reasonEn: string; agencyZh?: string; agencyEn?: string }
  | { decision: 'supplement'; items: SupplementItem[]; noteZh?: string; noteEn?: string };

export type StoredClock = ApprovalClock;

/** The duties an officer can hold in an organization; the process's tasks name one each. */
export const DUTIES = ['acceptor', 'reviewer', 'approver', 'leader'] as const;
export type Duty = (typeof DUTIES)[number];
export const DUTY_NAMES: Record<Duty, { zh: string; en: string }> = {
  acceptor: { zh: '受理人员', en: 'Acceptance officer' },
  reviewer: { zh: '审查人员', en: 'Reviewer' },
  approver: { zh: '审批负责人', en: 'Approving officer' },
  leader: { zh: '会签领导', en: 'Countersigning leader' },
};
export const isDuty = (value: string): value is Duty => (DUTIES as readonly string[]).includes(value);

/** What the applicant is told when something happens to their application (messaging's application_update). */
export const NEWS: Record<string, { zh: string; en: string }> = {
  supplement_requested: { zh: '需要补正材料，请按补正通知一次性补齐', en: 'supplements are needed: see the list and provide them all' },
  not_accepted: { zh: '不予受理，理由及可向其申请的机关见详情', en: 'it was not accepted; the reason and the agency to apply to are in the details' },
  in_review: { zh: '已受理，进入审查', en: 'it was accepted and is under review' },
  deemed_accepted: { zh: '受理期限届满，自收到之日起视为受理', en: 'the acceptance period ended: it counts as accepted from its receipt' },
  approved: { zh: '准予许可，电子证照已签发', en: 'it was approved and the e-licence issued' },
  denied: { zh: '不予许可，理由见详情', en: 'it was denied; the reasons are in the details' },
  extend: { zh: '办理期限经批准延长', en: 'the decision period was extended with approval' },
  suspend: { zh: '因听证、检测或专家评审暂停计时', en: 'the clock is suspended for a hearing, testing or expert review' },
  resume: { zh: '恢复计时，办理期限已更新', en: 'the clock runs again; the due date is updated' },
};
