// The applicant's side: start an application as a draft or submit it at once, with the e-form
// checked against its schema, the registry fields filled by the platform ("once only": the
// applicant confirms them and does not retype them) and the materials checked by content.
// A submission with an Idempotency-Key is made once however often it is retried. Everything a
// request writes is one transaction: a refused request leaves nothing behind.
import { isUniqueViolation } from '../../../platform/db-errors.ts';
import type { Executor } from '../../../platform/db.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError, type FieldError } from '../../../platform/errors.ts';
import { newId } from '../../../platform/ids.ts';
import { chinaDateOf, type WorkCalendar } from '../../../platform/workdays.ts';
import type { ServiceView } from '../catalog/schema.ts';
import { checkAttachment, isFieldError, MAX_ATTACHMENTS_PER_APPLICATION, type CheckedAttachment } from './attachments.ts';
import { notFound, openAcceptance, record, staleApplication } from './lifecycle.ts';
import type { Applicant, EventActor } from './model.ts';
import type { ApplicationsDeps, PrefillField, PublishedFormPort } from './ports.ts';
import * as store from './store.ts';

export type AttachmentUpload = { materialKey: string; fileName: string; content: string };
export type ApplicationInput = { serviceCode: string; onBehalfOf?: string; formData: Record<string, unknown>; attachments?: AttachmentUpload[]; submit: boolean };
export type DraftChange = { version: number; formData: Record<string, unknown>; attachments?: AttachmentUpload[]; removeMaterials?: string[]; submit: boolean };
export type SupplementAnswer = { version: number; formData?: Record<string, unknown>; attachments?: AttachmentUpload[]; removeMaterials?: string[] };

type Prefilled = Record<string, { value: unknown; registry: string; exchangeId: string | null; readAt: string }>;

const citizenActor = (a: Applicant): EventActor => ({ kind: 'citizen', id: a.citizenId, name: `citizen:${a.citizenId}` });

const notOpen = (code: string) =>
  new ConflictError('service_not_online', `The service ${code} does not take online applications (it is not published or has no e-form). See its guide for how to apply.`, `事项 ${code} 暂不支持网上申请（未发布或没有电子表单），请查看办事指南了解办理方式。`);

export function createSubmission(deps: ApplicationsDeps) {
  const { db, clock } = deps;

  async function openService(code: string): Promise<{ service: ServiceView; form: NonNullable<Awaited<ReturnType<ApplicationsDeps['forms']['published']>>> }> {
    const service = await deps.catalog.findPublished(code);
    const form = service && (await deps.forms.published(code));
    if (!service || !form) throw notOpen(code);
    return { service, form };
  }

  /** The values the registries hold for the applicant's prefilled fields, read through the exchange. */
  async function prefill(applicant: Applicant, serviceCode: string, fields: PrefillField[]): Promise<Prefilled> {
    const sources = [...new Set(fields.map((f) => f.source))];
    const reads = new Map(await Promise.all(sources.map(async (s) => [s, await deps.registries.read(applicant, s, `apply:${serviceCode}`)] as const)));
    const out: Prefilled = {};
    for (const f of fields) {
      const read = reads.get(f.source);
      const value = read?.content[f.field];
      if (read && value !== undefined && value !== null) out[f.key] = { value, registry: read.registry, exchangeId: read.exchangeId, readAt: read.readAt };
    }
    return out;
  }

  /** The applicant's data with the registry's values in place: locked ones may not be changed, others fill blanks. */
  function merge(formData: Record<string, unknown>, fields: PrefillField[], prefilled: Prefilled): { data: Record<string, unknown>; errors: FieldError[] } {
    const data = { ...formData };
    const errors: FieldError[] = [];
    for (const f of fields) {
      const fetched = prefilled[f.key];
      if (!fetched) continue;
      const given = data[f.key];
      const blank = given === undefined || given === null || given === '';
      if (f.locked && !blank && String(given) !== String(fetched.value)) {
        errors.push({ field: `formData/${f.key}`, code: 'prefilled_locked', message: 'comes from the base registry and cannot be changed here; if it is wrong, ask the registry to correct it', messageZh: '该项取自基础信息库，此处不能修改；如有误，请向登记机关申请更正' });
      }
      if (f.locked || blank) data[f.key] = fetched.value;
    }
    return { data, errors };
  }

  /** The uploads checked one by one; the problems come back to be reported with the form's, all at once. */
  function checkUploads(service: ServiceView, uploads: AttachmentUpload[] | undefined, field = 'attachments'): { checked: CheckedAttachment[]; errors: FieldError[] } {
    const errors: FieldError[] = [];
    const keys = new Set(service.materials.map((m) => m.key));
    const checked: CheckedAttachment[] = [];
    if ((uploads?.length ?? 0) > MAX_ATTACHMENTS_PER_APPLICATION) throw new ValidationError([{ field, code: 'too_many_files', message: `at most ${MAX_ATTACHMENTS_PER_APPLICATION} files`, messageZh: `最多 ${MAX_ATTACHMENTS_PER_APPLICATION} 个文件` }]);
    for (const [i, upload] of (uploads ?? []).entries()) {
      if (!keys.has(upload.materialKey)) {
        errors.push({ field: `${field}/${i}/materialKey`, code: 'unknown_material', message: `names no material of this service (${[...keys].join(', ')})`, messageZh: `不是本事项的申请材料（${[...keys].join('、')}）` });
        continue;
      }
      const result = checkAttachment(`${field}/${i}`, { materialKey: upload.materialKey, fileName: upload.fileName, content: Buffer.from(upload.content, 'base64') });
      if (isFieldError(result)) errors.push(result);
      else checked.push(result);
    }
    return { checked, errors };
  }

  /** On submission: the form passes its schema, with the registry values in place. Returns the data as kept. */
  function checkForm(form: PublishedFormPort, data: Record<string, unknown>, lockedErrors: FieldError[]): { data: Record<string, unknown>; errors: FieldError[] } {
    const errors: FieldError[] = [...lockedErrors, ...form.validate(data).map((p) => ({ field: `formData/${p.field}`, code: 'form_invalid', message: p.en, messageZh: p.zh }))];
    return { data: errors.length ? data : form.normalize(data), errors };
  }

  /** On submission: every required material the platform cannot fetch is there; refuses with the form's problems too, all at once. */
  async function checkMaterials(trx: Executor, service: ServiceView, applicationId: string, formErrors: FieldError[]): Promise<void> {
    const errors = [...formErrors];
    const present = new Set((await store.listAttachments(trx, applicationId)).map((a) => a.material_key));
    for (const m of service.materials) {
      if (m.required && !m.fetchable && !present.has(m.key)) errors.push({ field: `attachments/${m.key}`, code: 'material_missing', message: `"${m.nameEn}" is required: upload it`, messageZh: `缺少必需的材料“${m.nameZh}”，请上传` });
    }
    if (errors.length) throw new ValidationError(errors);
  }

  async function storeUploads(trx: Executor, applicationId: string, uploads: CheckedAttachment[], remove: string[] = []): Promise<void> {
    // A new file for a material replaces the one before.
    await store.deleteAttachments(trx, applicationId, [...new Set([...remove, ...uploads.map((u) => u.materialKey)])]);
    for (const u of uploads) {
      await store.insertAttachment(trx, { id: newId(), application_id: applicationId, material_key: u.materialKey, file_name: u.fileName, media_type: u.mediaType, size: u.size, sha256: u.sha256, content: u.content, uploaded_at: clock.now() });
    }
  }

  async function submitInside(trx: Executor, calendar: WorkCalendar, row: store.ApplicationRow, applicant: Applicant): Promise<store.ApplicationRow> {
    const now = clock.now();
    const opened = await openAcceptance(deps, trx, calendar, row, now, 1);
    const next = { ...row, status: 'submitted' as const, submitted_at: now, acceptance_due: opened.acceptance_due, updated_at: now };
    await record(deps, trx, row, citizenActor(applicant), 'submit', { acceptanceDue: opened.acceptance_due }, applicant);
    return next;
  }

  async function mayAct(applicant: Applicant, row: store.ApplicationRow): Promise<void> {
    if (row.applicant_citizen_id === applicant.citizenId) return;
    if (row.enterprise_id && (await deps.enterprisesOf(applicant.citizenId)).includes(row.enterprise_id)) return;
    throw notFound(row.id);
  }

  async function own(applicant: Applicant, id: string): Promise<store.ApplicationRow> {
    const row = await store.findApplication(db, id);
    if (!row) throw notFound(id);
    await mayAct(applicant, row);
    return row;
  }

  return {
    mayAct,
    own,

    /** What the platform would fill in for the applicant, for the form page to show before they apply. */
    async preview(applicant: Applicant, serviceCode: string): Promise<Prefilled> {
      const { form } = await openService(serviceCode);
      return prefill(applicant, serviceCode, form.prefill);
    },

    /** Starts an application (a draft, or submitted at once). With an idempotency key, a retry returns the first result. */
    async start(applicant: Applicant, input: ApplicationInput, idempotencyKey?: string): Promise<{ row: store.ApplicationRow; created: boolean }> {
      if (idempotencyKey) {
        const earlier = await store.findByIdempotencyKey(db, applicant.citizenId, idempotencyKey);
        if (earlier) return { row: earlier, created: false };
      }
      const { service, form } = await openService(input.serviceCode);
      let enterprise: Applicant['enterprise'];
      if (input.onBehalfOf) {
        enterprise = await deps.actingFor(applicant.citizenId, input.onBehalfOf, service.code);
        if (!enterprise) {
          throw new ForbiddenError(
            `You may not apply for ${service.code} on behalf of ${input.onBehalfOf}: only its legal representative, or an agent authorized for this service, may.`,
            `您无权代表 ${input.onBehalfOf} 申请该事项：仅其法定代表人或经授权办理本事项的经办人可以申请。`,
            'not_authorized_for_enterprise',
          );
        }
      }
      const who = { ...applicant, ...(enterprise ? { enterprise } : {}) };
      const { checked: uploads, errors: fileErrors } = checkUploads(service, input.attachments);
      const prefilled = await prefill(who, service.code, form.prefill);
      const merged = merge(input.formData, form.prefill, prefilled);
      const checked = input.submit ? checkForm(form, merged.data, merged.errors) : { data: merged.data, errors: merged.errors };
      // Everything wrong with the files and the form, told at once.
      if (fileErrors.length || (!input.submit && checked.errors.length)) throw new ValidationError([...fileErrors, ...checked.errors]);
      const calendar = await deps.calendar();
      const now = clock.now();
      const id = newId();
      try {
        const row = await db.transaction().execute(async (trx) => {
          const row: store.ApplicationRow = {
            id,
            number: await store.nextNumber(trx, chinaDateOf(now)),
            service_id: service.id,
            service_code: service.code,
            service_version: service.version,
            org_id: service.orgId,
            handling: service.jointOrgIds.length > 0 ? 'joint' : 'single',
            applicant_citizen_id: applicant.citizenId,
            enterprise_id: enterprise?.id ?? null,
            enterprise_credit_code: enterprise?.creditCode ?? null,
            enterprise_name: enterprise?.name ?? null,
            applicant_name: enterprise?.name ?? applicant.name,
            applicant_person_name: applicant.name,
            applicant_id_number: applicant.idNumber,
            status: 'draft',
            form_data: checked.data,
            prefilled,
            idempotency_key: idempotencyKey ?? null,
            submitted_at: null,
            acceptance_due: null,
            accepted_on: null,
            deemed_accepted: false,
            acceptance: null,
            supplement: null,
            clock: null,
            due_date: null,
            process_key: null,
            process_state: null,
            decision: null,
            decision_reasons: null,
            decided_at: null,
            licence_id: null,
            rating: null,
            rating_reason: null,
            rated_at: null,
            version: 1,
            created_at: now,
            updated_at: now,
          };
          // Inserted as a draft first: its materials, history and tasks refer to it.
          await store.insertApplication(trx, row);
          await storeUploads(trx, id, uploads);
          if (!input.submit) {
            await record(deps, trx, row, citizenActor(applicant), 'draft', {}, applicant);
            return row;
          }
          await checkMaterials(trx, service, id, checked.errors);
          const next = await submitInside(trx, calendar, row, who);
          await store.updateApplication(trx, id, row.version, { status: next.status, submitted_at: next.submitted_at, acceptance_due: next.acceptance_due });
          return { ...next, version: row.version + 1 };
        });
        return { row, created: true };
      } catch (err) {
        // Two copies of one retried request raced: the one that lost returns the winner's result.
        if (idempotencyKey && isUniqueViolation(err)) {
          const earlier = await store.findByIdempotencyKey(db, applicant.citizenId, idempotencyKey);
          if (earlier) return { row: earlier, created: false };
        }
        throw err;
      }
    },

    /** Changes a draft (and submits it when asked). */
    async change(applicant: Applicant, id: string, input: DraftChange): Promise<store.ApplicationRow> {
      const row = await own(applicant, id);
      if (row.status !== 'draft') throw new ConflictError('not_draft', 'Only a draft is changed; a submitted application is changed by answering a supplement request.', '仅草稿可修改；已提交的申请只能按补正通知补充材料。');
      const { service, form } = await openService(row.service_code);
      const { checked: uploads, errors: fileErrors } = checkUploads(service, input.attachments);
      const merged = merge(input.formData, form.prefill, row.prefilled as Prefilled);
      const checked = input.submit ? checkForm(form, merged.data, merged.errors) : { data: merged.data, errors: merged.errors };
      if (fileErrors.length || (!input.submit && checked.errors.length)) throw new ValidationError([...fileErrors, ...checked.errors]);
      const calendar = await deps.calendar();
      return db.transaction().execute(async (trx) => {
        await storeUploads(trx, id, uploads, input.removeMaterials);
        let next: store.ApplicationRow = { ...row, form_data: checked.data, updated_at: clock.now() };
        if (input.submit) {
          await checkMaterials(trx, service, id, checked.errors);
          next = await submitInside(trx, calendar, next, applicant);
        } else {
          await record(deps, trx, row, citizenActor(applicant), 'draft_change', {}, applicant);
        }
        const { id: _id, version: _v, ...patch } = next;
        if (!(await store.updateApplication(trx, id, input.version, patch))) throw staleApplication();
        return { ...next, version: input.version + 1 };
      });
    },

    /** Answers the supplement request: the changed data and the missing materials, then back to acceptance (5 days from receipt). */
    async answerSupplement(applicant: Applicant, id: string, input: SupplementAnswer): Promise<store.ApplicationRow> {
      const row = await own(applicant, id);
      if (row.status !== 'supplement_requested') throw new ConflictError('no_supplement_request', 'No supplement was asked for this application.', '该申请没有待补正的事项。');
      const service = await deps.catalog.findPublished(row.service_code);
      const form = await deps.forms.published(row.service_code);
      if (!service || !form) throw notOpen(row.service_code);
      const { checked: uploads, errors: fileErrors } = checkUploads(service, input.attachments);
      const merged = merge(input.formData ?? row.form_data, form.prefill, row.prefilled as Prefilled);
      const checked = checkForm(form, merged.data, merged.errors);
      if (fileErrors.length) throw new ValidationError([...fileErrors, ...checked.errors]);
      const calendar = await deps.calendar();
      const now = clock.now();
      return db.transaction().execute(async (trx) => {
        await storeUploads(trx, id, uploads, input.removeMaterials);
        await checkMaterials(trx, service, id, checked.errors);
        const rounds = (await store.tasksOf(trx, id)).filter((t) => t.kind === 'acceptance').length;
        const opened = await openAcceptance(deps, trx, calendar, row, now, rounds + 1);
        const patch = { status: 'submitted' as const, form_data: checked.data, supplement: null, acceptance_due: opened.acceptance_due, updated_at: now };
        if (!(await store.updateApplication(trx, id, input.version, patch))) throw staleApplication();
        await record(deps, trx, row, citizenActor(applicant), 'supplement_answer', { files: uploads.map((u) => u.materialKey) }, applicant);
        return { ...row, ...patch, version: input.version + 1 };
      });
    },

    /** Withdraws an application not yet decided (art. 32's right to withdraw); drafts are simply withdrawn too. */
    async withdraw(applicant: Applicant, id: string, version: number): Promise<store.ApplicationRow> {
      const row = await own(applicant, id);
      if (!['draft', 'submitted', 'supplement_requested', 'in_review'].includes(row.status)) throw new ConflictError('already_ended', 'The application has ended; there is nothing to withdraw.', '该申请已办结，无法撤回。');
      const now = clock.now();
      return db.transaction().execute(async (trx) => {
        if (!(await store.updateApplication(trx, id, version, { status: 'withdrawn', updated_at: now }))) throw staleApplication();
        await store.setOpenTasks(trx, id, { status: 'cancelled' });
        await record(deps, trx, row, citizenActor(applicant), 'withdraw', {}, applicant);
        return { ...row, status: 'withdrawn', updated_at: now, version: version + 1 };
      });
    },

    /** Rates the service once the application has ended: good or poor, with a reason when poor. */
    async rate(applicant: Applicant, id: string, input: { rating: 'good' | 'poor'; reason?: string }): Promise<store.ApplicationRow> {
      const row = await own(applicant, id);
      if (!['approved', 'denied', 'not_accepted'].includes(row.status)) throw new ConflictError('not_decided', 'A service is rated once the application is decided.', '申请办结后方可评价。');
      if (row.rating) throw new ConflictError('already_rated', 'You rated this application already.', '您已评价过该申请。');
      const reason = input.reason?.trim() ?? '';
      if (input.rating === 'poor' && reason.length < 2) throw new ValidationError([{ field: 'reason', code: 'reason_required', message: 'say what went wrong, so the department can improve', messageZh: '请说明不满意的原因，以便部门改进' }]);
      const now = clock.now();
      return db.transaction().execute(async (trx) => {
        const patch = { rating: input.rating, rating_reason: reason || null, rated_at: now };
        if (!(await store.updateApplication(trx, id, row.version, patch))) throw staleApplication();
        await record(deps, trx, row, citizenActor(applicant), 'rate', { rating: input.rating }, applicant);
        return { ...row, ...patch, version: row.version + 1 };
      });
    },

    async mine(applicant: Applicant, limit = 100): Promise<store.ApplicationRow[]> {
      return store.listForApplicant(db, applicant.citizenId, await deps.enterprisesOf(applicant.citizenId), limit);
    },

    async attachment(applicant: Applicant, id: string, attachmentId: string): Promise<store.AttachmentRow> {
      await own(applicant, id);
      const found = await store.findAttachment(db, id, attachmentId);
      if (!found) throw new NotFoundError('file', attachmentId, '文件');
      return found;
    },
  };
}

export type Submission = ReturnType<typeof createSubmission>;
