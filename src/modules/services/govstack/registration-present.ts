// GovStack Registration's shapes for applications and tasks (decision 0027). The specification
// types every form value and task variable as an object (`additionalProperties: {type: object}`),
// which is the Camunda variable it was written from: `{value, type}`. Answers wrap each value so;
// requests may send either that or the bare value.
import type { Lang } from '../../../platform/language.ts';
import type { ServiceView } from '../catalog/schema.ts';
import type { PublishedForm } from '../forms/service.ts';
import type { ListedTask } from '../applications/listing-store.ts';
import { DUTY_NAMES, ENDED, govstackStatus, isDuty, STATUS_NAMES, type ApplicationStatus } from '../applications/model.ts';
import type { ApplicationView } from '../applications/present.ts';
import type { TaskRow } from '../applications/store.ts';

export type Variable = { value: unknown; type: 'String' | 'Number' | 'Boolean' | 'Json' | 'Null' };

const typeOf = (value: unknown): Variable['type'] =>
  value === null || value === undefined ? 'Null' : typeof value === 'string' ? 'String' : typeof value === 'number' ? 'Number' : typeof value === 'boolean' ? 'Boolean' : 'Json';

/** Each value as a Camunda-style variable object. */
export function wrap(values: Record<string, unknown>): Record<string, Variable> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, { value: v ?? null, type: typeOf(v) }]));
}

const isVariable = (v: unknown): v is { value: unknown } =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.hasOwn(v, 'value') && Object.keys(v).every((k) => k === 'value' || k === 'type' || k === 'valueInfo');

/** A request's values, each either a variable object `{value[, type]}` or the bare value. */
export function unwrap(values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, isVariable(v) ? v.value : v]));
}

/** The statusModel with its title in the reader's language. */
export function statusOf(status: ApplicationStatus, lang: Lang) {
  const model = govstackStatus(status);
  return { code: model.code, title: lang === 'en' ? STATUS_NAMES[status].en : STATUS_NAMES[status].zh };
}

/** The applicant as GovStack names them: the subject of their identity at the provider. */
export const applicantIdOf = (citizenId: string) => `citizen:${citizenId}`;

export type PresentContext = {
  lang: Lang;
  publicUrl: string;
  service(id: string): Promise<ServiceView | undefined>;
  form(serviceId: string): Promise<PublishedForm | undefined>;
};

/** Finds services and their forms once per request. */
export function presentContext(lang: Lang, publicUrl: string, find: { service(id: string): Promise<ServiceView | undefined>; form(serviceId: string): Promise<PublishedForm | undefined> }): PresentContext {
  const services = new Map<string, Promise<ServiceView | undefined>>();
  const forms = new Map<string, Promise<PublishedForm | undefined>>();
  const once = <T>(cache: Map<string, Promise<T>>, key: string, load: () => Promise<T>) => cache.get(key) ?? cache.set(key, load()).get(key)!;
  return { lang, publicUrl: publicUrl.replace(/\/$/, ''), service: (id) => once(services, id, () => find.service(id)), form: (id) => once(forms, id, () => find.form(id)) };
}

const serviceName = (service: ServiceView | undefined, code: string, lang: Lang) => (service ? (lang === 'en' ? service.nameEn : service.nameZh) : code);

/** The application's materials as the addresses its applicant downloads them from. */
const materialUrls = (ctx: PresentContext, view: ApplicationView) => view.files.map((f) => `${ctx.publicUrl}/api/citizen/applications/${view.id}/files/${f.id}`);

/** applicationFileResponse: the file, its status and the data as submitted. */
export async function applicationFile(ctx: PresentContext, view: ApplicationView, citizenId: string) {
  const [service, form] = await Promise.all([ctx.service(view.serviceId), ctx.form(view.serviceId)]);
  return {
    fileId: view.id,
    // The schema requires applicantId here as well as in applicationData, without listing it among its properties.
    applicantId: applicantIdOf(citizenId),
    ...(view.submittedAt ? { registered: view.submittedAt } : {}),
    serviceId: view.serviceId,
    serviceName: serviceName(service, view.serviceCode, ctx.lang),
    status: statusOf(view.status, ctx.lang),
    ended: ENDED.has(view.status),
    applicationData: {
      applicationName: view.applicantName,
      applicantId: applicantIdOf(citizenId),
      created: view.createdAt,
      formData: { ...(form ? { eFormId: form.id } : {}), data: wrap(view.formData) },
      documentUrls: materialUrls(ctx, view),
    },
  };
}

/** applicantApplicationFileListResponse: one line of the applicant's list. */
export async function applicationListItem(ctx: PresentContext, view: ApplicationView, citizenId: string) {
  const [service, form] = await Promise.all([ctx.service(view.serviceId), ctx.form(view.serviceId)]);
  const status = statusOf(view.status, ctx.lang);
  return {
    fileId: view.id,
    // The application is the process instance: its steps (GET /tasks) name it as their main task.
    mainTaskId: view.id,
    taskTitle: status.title,
    status,
    applicantId: applicantIdOf(citizenId),
    created: view.createdAt,
    ...(view.submittedAt ? { registered: view.submittedAt } : {}),
    description: ctx.lang === 'en' ? `Application ${view.number}: ${view.statusEn}` : `申请 ${view.number}：${view.statusZh}`,
    serviceName: serviceName(service, view.serviceCode, ctx.lang),
    serviceId: view.serviceId,
    ...(form ? { eformId: form.id } : {}),
    documentUrls: materialUrls(ctx, view),
    additionalMeta: {
      data: wrap({
        number: view.number,
        status: view.status,
        serviceCode: view.serviceCode,
        acceptanceDue: view.acceptanceDue,
        dueDate: view.clock?.dueDate ?? null,
        decision: view.decision,
        licenceId: view.licenceId,
        version: view.version,
      }),
    },
  };
}

const taskName = (row: TaskRow, lang: Lang) => (lang === 'en' ? row.name_en : row.name_zh);
const taskDescription = (row: TaskRow, lang: Lang) =>
  lang === 'en' ? `${row.name_en} of application ${row.application_number} (${row.applicant_name})` : `申请 ${row.application_number}（${row.applicant_name}）的${row.name_zh}`;

/** userTaskResponse: one step in an officer's list. */
export async function taskItem(ctx: PresentContext, row: ListedTask) {
  const [service, form] = await Promise.all([ctx.service(row.service_id), ctx.form(row.service_id)]);
  return {
    taskId: row.id,
    mainTaskId: row.application_id,
    name: taskName(row, ctx.lang),
    ...(row.assignee_id ? { assigneeId: row.assignee_id } : {}),
    roleId: row.duty,
    created: row.created_at.toISOString(),
    description: taskDescription(row, ctx.lang),
    serviceId: row.service_id,
    serviceName: serviceName(service, row.service_code, ctx.lang),
    fileId: row.application_id,
    ...(form ? { eFormId: form.id } : {}),
    status: statusOf(row.application_status, ctx.lang),
  };
}

/** The variables each kind of step takes (POST /tasks/{taskId}/complete), told with the task. */
export const STEP_VARIABLES = {
  acceptance: ['decision', 'reasonZh', 'reasonEn', 'agencyZh', 'agencyEn', 'items', 'noteZh', 'noteEn', 'status', 'version'],
  review: ['opinion', 'comment', 'decision', 'status', 'version'],
} as const;

/** dataUserTaskResponse: one step with the application's data (the dossier, read and audited). */
export async function taskWithData(ctx: PresentContext, row: TaskRow, dossier: ApplicationView) {
  const [service, form] = await Promise.all([ctx.service(dossier.serviceId), ctx.form(dossier.serviceId)]);
  const role = isDuty(row.duty) ? DUTY_NAMES[row.duty] : undefined;
  return {
    taskId: row.id,
    taskName: taskName(row, ctx.lang),
    ...(row.assignee_id ? { assigneeId: row.assignee_id } : {}),
    roleId: row.duty,
    created: row.created_at.toISOString(),
    description: taskDescription(row, ctx.lang),
    fileId: row.application_id,
    serviceId: dossier.serviceId,
    serviceName: serviceName(service, row.service_code, ctx.lang),
    ...(form ? { eFormId: form.id } : {}),
    formVariables: wrap(dossier.formData),
    status: statusOf(dossier.status, ctx.lang),
    data: wrap({
      kind: row.kind,
      taskStatus: row.status,
      role: role ? (ctx.lang === 'en' ? role.en : role.zh) : row.duty,
      assigneeName: row.assignee_name,
      dueDate: row.due_date,
      version: row.version,
      outcome: row.outcome ?? null,
      variables: row.kind === 'acceptance' ? STEP_VARIABLES.acceptance : STEP_VARIABLES.review,
      applicationNumber: row.application_number,
      applicantName: row.applicant_name,
      documentUrls: dossier.files.map((f) => `${ctx.publicUrl}/api/services/applications/${dossier.id}/files/${f.id}`),
    }),
  };
}
