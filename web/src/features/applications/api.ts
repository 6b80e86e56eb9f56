// The officers' side of online applications as the workbench calls it, with the server's own
// types (type-only imports, erased from the bundle): the task inbox and its claim, return and
// forward; the dossier, its files and the decisions on it; the statutory clock; duties.
import type { DossierView, HistoryLine, MaterialFile, TaskView } from '../../../../src/modules/services/index.ts';
import { api, request } from '../../api.ts';

export type { DossierView, HistoryLine, MaterialFile, TaskView };
export type Scope = 'all' | 'mine' | 'pool';
export type Inbox = { total: number; duties: string[]; items: TaskView[] };
export type Colleague = { id: string; displayName: string };
export type SupplementItem = { materialKey?: string; zh: string; en: string };
export type SuspensionReason = 'hearing' | 'testing' | 'expert_review' | 'inspection';

/** What completing a step sends, besides the task's version: the acceptance's three outcomes, or a review's opinion. */
export type StepOutcome =
  | { decision: 'accept' }
  | { decision: 'not_accept'; reasonZh: string; reasonEn: string; agencyZh?: string; agencyEn?: string }
  | { decision: 'supplement'; items: SupplementItem[]; noteZh?: string; noteEn?: string }
  | { opinion: 'agree' | 'disagree'; comment: string; decision?: 'approve' | 'deny' };

const task = (id: string, action: string) => `/api/services/tasks/${encodeURIComponent(id)}/${action}`;
const application = (id: string, suffix = '') => `/api/services/applications/${encodeURIComponent(id)}${suffix}`;

export const applicationsApi = {
  inbox: (scope: Scope, limit: number, offset: number) => api.get<Inbox>('/api/services/inbox', { scope, limit, offset }),
  claim: (id: string, version: number) => api.post<TaskView>(task(id, 'claim'), { version }),
  giveBack: (id: string, version: number) => api.post<TaskView>(task(id, 'return'), { version }),
  colleagues: (id: string) => api.get<{ items: Colleague[] }>(task(id, 'colleagues')),
  forward: (id: string, version: number, toStaffId: string) => api.post<TaskView>(task(id, 'forward'), { version, toStaffId }),
  complete: (id: string, version: number, outcome: StepOutcome) => api.post<DossierView>(task(id, 'complete'), { version, ...outcome }),
  dossier: (id: string) => api.get<DossierView>(application(id)),
  fileUrl: (id: string, fileId: string) => application(id, `/files/${encodeURIComponent(fileId)}`),
  extend: (id: string, version: number, reasonZh: string, reasonEn: string) => api.post<DossierView>(application(id, '/extend'), { version, reasonZh, reasonEn }),
  suspend: (id: string, version: number, reason: SuspensionReason, noteZh: string, noteEn: string) => api.post<DossierView>(application(id, '/suspend'), { version, reason, noteZh, noteEn }),
  resume: (id: string, version: number) => api.post<DossierView>(application(id, '/resume'), { version }),
  message: (id: string, text: string) => api.post<DossierView>(application(id, '/messages'), { text }),
  duties: (userId: string) => api.get<{ duties: string[] }>(`/api/services/duties/${encodeURIComponent(userId)}`),
  setDuties: (userId: string, duties: string[]) => request<{ duties: string[] }>('PUT', `/api/services/duties/${encodeURIComponent(userId)}`, { body: { duties } }),
};

export const dossierPath = (id: string) => `/applications/${encodeURIComponent(id)}`;
export const INBOX_PATH = '/tasks';
export const DUTIES_PATH = '/tasks/duties';
