// GovStack Registration's Applicant and Operator operations under /govstack/registration/
// (issue 8, fixed interface; decision 0027), mapped onto the application service:
//  - applicants, as the portal's signed-in citizen (its session cookie; X-CSRF-Token on
//    writes): POST /documents, POST /services/{serviceId}/applications, GET /applications,
//    GET and PUT /applications/{fileId};
//  - officers, through the staff authentication (session or API token): GET /tasks,
//    GET /tasks/{taskId}, POST /tasks/{taskId}/complete — the inbox, claim and decision rules.
// Steps as elsewhere: authenticate, validate, authorize and act (the service), present in the
// specification's shapes. Every error answers in its systemError shape.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import { toProblem } from '../../../http/problem.ts';
import { requestContext, type App } from '../../../http/server.ts';
import { ForbiddenError, NotFoundError, UnauthenticatedError, ValidationError, type FieldError } from '../../../platform/errors.ts';
import { pickLang, type Lang } from '../../../platform/language.ts';
import type { ServiceCatalog } from '../catalog/service.ts';
import type { ServiceForms } from '../forms/service.ts';
import type { Applicant } from '../applications/model.ts';
import type { Applications } from '../applications/service.ts';
import type { ApplicationRouteDeps } from '../applications/routes.ts';
import { DOCUMENT_DAYS } from '../applications/documents.ts';
import { applicantIdOf, applicationFile, applicationListItem, presentContext, statusOf, taskItem, taskWithData, unwrap, wrap } from './registration-present.ts';
import { stepOutcome } from './registration-variables.ts';
import { REGISTRATION_PREFIX } from './registration.ts';
import { applicationSortOf, readUpload, taskSortOf, UPLOAD_BODY_LIMIT } from './registration-inputs.ts';

export type RegistrationApplicationDeps = Pick<ApplicationRouteDeps, 'applicant'> & {
  catalog: ServiceCatalog;
  forms: ServiceForms;
  applications: Applications;
  /** The address the platform is reached at: documents and materials are named by URLs under it. */
  publicUrl: string;
};

const tags = ['govstack-registration'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DOCUMENT_URL = /(?:^|\/)govstack\/registration\/documents\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/?(?:[?#].*)?$/i;

/** The specification's parameter: the client system, INSTANCE/CLASS/MEMBER/SUBSYSTEM (it identifies; the session authenticates). */
const MediatorClient = Type.String({ minLength: 7, maxLength: 400, pattern: '^[^/\\s]+/[^/\\s]+/[^/\\s]+/[^/\\s]+$', description: 'The client system the request comes through: INSTANCE/CLASS/MEMBER/SUBSYSTEM' });
const ClientHeaders = Type.Object({ 'information-mediator-client': MediatorClient });
const SubmitHeaders = Type.Object({
  'information-mediator-client': MediatorClient,
  'idempotency-key': Type.Optional(Type.String({ minLength: 8, maxLength: 200, pattern: '^[\\x21-\\x7e]+$', description: 'Retries with the same key return the first submission' })),
});
const Values = Type.Record(Type.String({ minLength: 1, maxLength: 64 }), Type.Unknown(), { maxProperties: 300 });
const ApplicationFileSubmit = Type.Object(
  {
    applicationName: Type.Optional(Type.String({ maxLength: 200, description: 'Not kept: the application bears the name of the applicant (or of the enterprise they act for)' })),
    applicantId: Type.String({ minLength: 1, maxLength: 100, description: 'The signed-in citizen: citizen:{id} or the bare id' }),
    created: Type.Optional(Type.String({ format: 'date-time', description: 'Not kept: the platform records when it received the file' })),
    formData: Type.Optional(Type.Object({ eFormId: Type.Optional(Type.String({ maxLength: 100 })), data: Type.Optional(Values) }, { additionalProperties: false })),
    documentUrls: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 1000 }), { maxItems: 30, description: 'URLs POST /documents answered with' })),
  },
  { additionalProperties: false },
);
type ApplicationFileSubmit = Static<typeof ApplicationFileSubmit>;
const Paging = {
  firstResult: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000 })),
  maxResult: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
  sortBy: Type.Optional(Type.String({ maxLength: 40 })),
  sortOrder: Type.Optional(Type.String({ maxLength: 10 })),
};
const ApplicationsQuery = Type.Object({ serviceId: Type.Optional(Type.String({ maxLength: 100 })), applicantId: Type.Optional(Type.String({ maxLength: 100 })), ...Paging }, { additionalProperties: false });
const TasksQuery = Type.Object({ mainTaskId: Type.Optional(Type.String({ maxLength: 100 })), fileId: Type.Optional(Type.String({ maxLength: 100 })), assigneeId: Type.Optional(Type.String({ maxLength: 100 })), ...Paging }, { additionalProperties: false });
const Complete = Type.Object({ data: Type.Optional(Values) }, { additionalProperties: false });

/** systemError for every failure: the request id, the stable code, the message in English and in the reader's language; fields when known. */
function sendSystemError(error: unknown, request: FastifyRequest, reply: FastifyReply) {
  const lang = pickLang(undefined, request.headers['accept-language']);
  const local = toProblem(error, { headers: { 'accept-language': lang }, url: request.url } as FastifyRequest);
  const en = lang === 'en' ? local : toProblem(error, { headers: { 'accept-language': 'en' }, url: request.url } as FastifyRequest);
  if (local.status >= 500) request.log.error({ reqId: request.id, route: request.routeOptions.url, err: error }, 'request failed');
  return reply
    .code(local.status)
    .type('application/json')
    .send({ traceId: String(request.id), code: local.code, message: en.detail, localizedMessage: local.detail, status: local.status, ...(local.errors ? { errors: local.errors } : {}) });
}

/** The submission's fields as the application service names them, renamed to the GovStack request's. */
function inGovstackTerms(err: unknown, documentCount: number): unknown {
  if (!(err instanceof ValidationError)) return err;
  const rename = (e: FieldError): FieldError => {
    const field = e.field
      .replace(/^formData\//, 'formData.data.')
      .replace(/^attachments\/(\d+)(\/.*)?$/, (_m, i: string) => (Number(i) < documentCount ? `documentUrls.${i}` : 'documentUrls'))
      .replace(/^attachments\/[A-Za-z].*$/, 'documentUrls')
      .replace(/^attachments$/, 'documentUrls')
      .replaceAll('/', '.');
    return { ...e, field };
  };
  return new ValidationError(err.errors.map(rename));
}

export function registerRegistrationApplicationRoutes(app: App, deps: RegistrationApplicationDeps): void {
  const { applications, catalog, forms } = deps;
  const applicants = new WeakMap<FastifyRequest, Applicant>();
  const asCitizen = {
    config: { auth: 'public' as const },
    // Authentication before validation, as everywhere: an anonymous caller learns nothing of the schema.
    preValidation: async (request: FastifyRequest) => {
      applicants.set(request, await deps.applicant(request));
    },
  };
  const who = (request: FastifyRequest): Applicant => {
    const found = applicants.get(request);
    if (!found) throw new UnauthenticatedError();
    return found;
  };
  const langOf = (request: FastifyRequest): Lang => pickLang(undefined, request.headers['accept-language']);
  const context = (request: FastifyRequest) =>
    presentContext(langOf(request), deps.publicUrl, { service: (id) => catalog.findById(id), form: (id) => forms.findPublishedByServiceId(id) });
  const meta = (request: FastifyRequest) => ({ ip: request.ip, requestId: String(request.id) });

  /** applicantId must be the signed-in citizen: `citizen:{id}` or the bare id. */
  function checkApplicantId(given: string | undefined, applicant: Applicant, field: string): void {
    if (given === undefined) return;
    const id = given.startsWith('citizen:') ? given.slice('citizen:'.length) : given;
    if (id.toLowerCase() === applicant.citizenId) return;
    throw new ForbiddenError(
      `${field} ${given} is not you: applicants act only for themselves here. Send ${applicantIdOf(applicant.citizenId)} (or ${applicant.citizenId}); to apply for an enterprise, use the portal.`,
      `${field} ${given} 不是当前登录的您本人：此处仅能以本人身份申请。请填写 ${applicantIdOf(applicant.citizenId)}（或 ${applicant.citizenId}）；代表企业申请请使用门户网站。`,
      'applicant_mismatch',
    );
  }

  /** The form data and materials of a submission, checked against the service's published e-form and the applicant's documents. */
  async function submission(applicant: Applicant, serviceCode: string, body: ApplicationFileSubmit) {
    checkApplicantId(body.applicantId, applicant, 'applicantId');
    const eFormId = body.formData?.eFormId;
    if (eFormId !== undefined) {
      const form = await forms.findPublished(serviceCode);
      if (!form || form.id !== eFormId.toLowerCase()) {
        throw new ValidationError([{ field: 'formData.eFormId', code: 'not_the_service_form', message: `is not this service's published e-form${form ? ` (${form.id}; see GET /services/{serviceId}/eForms)` : ''}`, messageZh: `不是本事项已发布的申请表${form ? `（${form.id}；见 GET /services/{serviceId}/eForms）` : ''}` }]);
      }
    }
    const urls = body.documentUrls ?? [];
    const ids: string[] = [];
    const bad: FieldError[] = [];
    urls.forEach((url, i) => {
      const match = DOCUMENT_URL.exec(url);
      if (match) ids.push(match[1]!.toLowerCase());
      else bad.push({ field: `documentUrls.${i}`, code: 'not_a_document_url', message: 'is not a URL POST /documents answered with', messageZh: '不是 POST /documents 返回的文件地址' });
    });
    if (bad.length) throw new ValidationError(bad);
    let attachments;
    try {
      attachments = await applications.documents.asMaterials(applicant, ids, 'documentUrls');
    } catch (err) {
      throw inGovstackTerms(err, urls.length);
    }
    return { formData: unwrap(body.formData?.data ?? {}), attachments, documentCount: urls.length };
  }

  app.register(async (scope) => {
    // Errors in the specification's systemError shape, here only.
    scope.setErrorHandler((error, request, reply) => sendSystemError(error, request, reply));
    // A document comes as multipart/form-data; it is read whole (one file, at most 10 MB) and parsed by the platform's FormData.
    if (scope.hasContentTypeParser('multipart/form-data')) scope.removeContentTypeParser('multipart/form-data');
    scope.addContentTypeParser('multipart/form-data', { parseAs: 'buffer', bodyLimit: UPLOAD_BODY_LIMIT }, (_request, body, done) => done(null, body));
    const r = scope as unknown as App;

    r.post(`${REGISTRATION_PREFIX}/documents`, {
      ...asCitizen,
      bodyLimit: UPLOAD_BODY_LIMIT,
      schema: {
        tags,
        summary: 'GovStack Registration: upload a document (multipart/form-data: one `file`, and the material it is for in `materialKey` or ?additionalMetadata=); its URL goes in documentUrls',
        security: [],
        querystring: Type.Object({ additionalMetadata: Type.Optional(Type.String({ maxLength: 200 })) }, { additionalProperties: false }),
      },
      handler: async (request) => {
        const upload = await readUpload(request.headers['content-type'], request.body, request.query.additionalMetadata);
        const doc = await applications.documents.upload(who(request), upload, { materialKey: 'materialKey', file: 'file' });
        const lang = langOf(request);
        return {
          code: 200,
          type: doc.media_type,
          message:
            lang === 'en'
              ? `"${doc.file_name}" was uploaded for the material ${doc.material_key}; name its URL in documentUrls within ${DOCUMENT_DAYS} days.`
              : `“${doc.file_name}”已作为材料 ${doc.material_key} 上传，请在 ${DOCUMENT_DAYS} 天内在 documentUrls 中引用该地址。`,
          url: `${deps.publicUrl.replace(/\/$/, '')}${REGISTRATION_PREFIX}/documents/${doc.id}`,
        };
      },
    });

    r.get(`${REGISTRATION_PREFIX}/documents/:documentId`, {
      ...asCitizen,
      schema: { tags, summary: 'Download a document you uploaded (the URL POST /documents answered with; an addition to the specification)', security: [], params: Type.Object({ documentId: Type.String({ maxLength: 100 }) }) },
      handler: async (request, reply) => {
        const { documentId } = request.params;
        if (!UUID.test(documentId)) throw new NotFoundError('document', documentId, '文件');
        const doc = await applications.documents.get(who(request), documentId.toLowerCase());
        return reply
          .header('content-type', doc.media_type)
          .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(doc.file_name)}`)
          .header('x-content-type-options', 'nosniff')
          .header('cache-control', 'private, no-store')
          .send(doc.content);
      },
    });

    r.post(`${REGISTRATION_PREFIX}/services/:serviceId/applications`, {
      ...asCitizen,
      schema: {
        tags,
        summary: 'GovStack Registration: submit an application file for a published service (form data and uploaded documents); with Idempotency-Key, a retry answers the first file',
        security: [],
        params: Type.Object({ serviceId: Type.String({ maxLength: 100 }) }),
        headers: SubmitHeaders,
        body: ApplicationFileSubmit,
      },
      handler: async (request) => {
        const applicant = who(request);
        const { serviceId } = request.params;
        const service = UUID.test(serviceId) ? await catalog.findById(serviceId.toLowerCase()) : undefined;
        if (!service || service.status !== 'published') throw new NotFoundError('published service', serviceId, '已发布事项');
        const input = await submission(applicant, service.code, request.body);
        let result;
        try {
          result = await applications.submission.start(applicant, { serviceCode: service.code, formData: input.formData, attachments: input.attachments, submit: true }, request.headers['idempotency-key']);
        } catch (err) {
          throw inGovstackTerms(err, input.documentCount);
        }
        return applicationFile(context(request), await applications.forApplicant(result.row), result.row.applicant_citizen_id);
      },
    });

    r.get(`${REGISTRATION_PREFIX}/applications`, {
      ...asCitizen,
      schema: { tags, summary: 'GovStack Registration: your application files (and those of the enterprises you act for), filtered by service, sorted and paged', security: [], headers: ClientHeaders, querystring: ApplicationsQuery },
      handler: async (request) => {
        const applicant = who(request);
        const q = request.query;
        checkApplicantId(q.applicantId, applicant, 'applicantId');
        const sort = applicationSortOf(q.sortBy, q.sortOrder);
        if (q.serviceId !== undefined && !UUID.test(q.serviceId)) return [];
        const rows = await applications.list(applicant, { serviceId: q.serviceId?.toLowerCase(), ...sort, limit: q.maxResult ?? 100, offset: q.firstResult ?? 0 });
        const ctx = context(request);
        return Promise.all(rows.map(async (row) => applicationListItem(ctx, await applications.forApplicant(row), row.applicant_citizen_id)));
      },
    });

    r.get(`${REGISTRATION_PREFIX}/applications/:fileId`, {
      ...asCitizen,
      schema: { tags, summary: 'GovStack Registration: one of your application files', security: [], headers: ClientHeaders, params: Type.Object({ fileId: Type.String({ maxLength: 100 }) }) },
      handler: async (request) => {
        const { fileId } = request.params;
        if (!UUID.test(fileId)) throw new NotFoundError('application', fileId, '申请');
        const row = await applications.submission.own(who(request), fileId.toLowerCase());
        return applicationFile(context(request), await applications.forApplicant(row), row.applicant_citizen_id);
      },
    });

    r.put(`${REGISTRATION_PREFIX}/applications/:fileId`, {
      ...asCitizen,
      schema: {
        tags,
        summary: 'GovStack Registration: update your application file — a draft is changed and submitted; a file sent back (SENDBACK) answers the supplement request',
        security: [],
        headers: ClientHeaders,
        params: Type.Object({ fileId: Type.String({ maxLength: 100 }) }),
        body: ApplicationFileSubmit,
      },
      handler: async (request) => {
        const applicant = who(request);
        const { fileId } = request.params;
        if (!UUID.test(fileId)) throw new NotFoundError('application', fileId, '申请');
        const row = await applications.submission.own(applicant, fileId.toLowerCase());
        const input = await submission(applicant, row.service_code, request.body);
        let next;
        try {
          if (row.status === 'draft') {
            next = await applications.submission.change(applicant, row.id, { version: row.version, formData: input.formData, attachments: input.attachments, submit: true });
          } else {
            // Form data left out keep what the file holds; documents named replace the materials they are for.
            const formData = request.body.formData?.data !== undefined ? input.formData : undefined;
            next = await applications.submission.answerSupplement(applicant, row.id, { version: row.version, ...(formData ? { formData } : {}), attachments: input.attachments });
          }
        } catch (err) {
          throw inGovstackTerms(err, input.documentCount);
        }
        return applicationFile(context(request), await applications.forApplicant(next), next.applicant_citizen_id);
      },
    });

    // Officers.
    r.get(`${REGISTRATION_PREFIX}/tasks`, {
      config: { auth: 'staff' },
      schema: { tags, summary: "GovStack Registration: your open tasks (your organization's steps for the duties you hold, unclaimed or yours), by application or assignee, sorted and paged", querystring: TasksQuery },
      handler: async (request) => {
        const { actor } = requestContext(request);
        const q = request.query;
        const sort = taskSortOf(q.sortBy, q.sortOrder, langOf(request));
        if (q.mainTaskId !== undefined && q.fileId !== undefined && q.mainTaskId.toLowerCase() !== q.fileId.toLowerCase()) return [];
        const applicationId = q.fileId ?? q.mainTaskId;
        if ([applicationId, q.assigneeId].some((id) => id !== undefined && !UUID.test(id))) return [];
        const rows = await applications.openTasks(actor, { applicationId: applicationId?.toLowerCase(), assigneeId: q.assigneeId?.toLowerCase(), ...sort, limit: q.maxResult ?? 100, offset: q.firstResult ?? 0 });
        const ctx = context(request);
        return Promise.all(rows.map((row) => taskItem(ctx, row)));
      },
    });

    r.get(`${REGISTRATION_PREFIX}/tasks/:taskId`, {
      config: { auth: 'staff' },
      schema: { tags, summary: "GovStack Registration: one task with the application's data (a read of personal data, audited)", params: Type.Object({ taskId: Type.String({ maxLength: 100 }) }) },
      handler: async (request) => {
        const { actor } = requestContext(request);
        const { taskId } = request.params;
        if (!UUID.test(taskId)) throw new NotFoundError('task', taskId, '任务');
        const task = await applications.tasks.assignable(actor, taskId.toLowerCase());
        const dossier = await applications.dossier(actor, task.application_id, meta(request));
        return taskWithData(context(request), task, dossier);
      },
    });

    r.post(`${REGISTRATION_PREFIX}/tasks/:taskId/complete`, {
      config: { auth: 'staff' },
      schema: {
        tags,
        summary: 'GovStack Registration: complete a task — an acceptance step with decision (accept, not_accept, supplement), a review step with opinion (agree, disagree) and comment; or status APPROVED, REJECTED, SENDBACK',
        params: Type.Object({ taskId: Type.String({ maxLength: 100 }) }),
        body: Complete,
      },
      handler: async (request) => {
        const { actor } = requestContext(request);
        const { taskId } = request.params;
        if (!UUID.test(taskId)) throw new NotFoundError('task', taskId, '任务');
        const task = await applications.tasks.assignable(actor, taskId.toLowerCase());
        const { outcome, version } = stepOutcome(task.kind, request.body.data ?? {});
        let row;
        try {
          row = await applications.complete(actor, task.id, outcome, meta(request), version);
        } catch (err) {
          throw err instanceof ValidationError ? new ValidationError(err.errors.map((e) => ({ ...e, field: e.field === 'body' ? 'data' : `data.${e.field.replaceAll('/', '.')}` }))) : err;
        }
        const open = (await applications.openTasks(actor, { applicationId: row.id, sort: 'created', order: 'asc', limit: 50, offset: 0 })).map((t) => t.id);
        return {
          taskId: task.id,
          fileId: row.id,
          serviceId: row.service_id,
          status: statusOf(row.status, langOf(request)),
          variables: {
            outcome: { data: wrap({ ...outcome }) },
            application: { data: wrap({ status: row.status, version: row.version, decision: row.decision, licenceId: row.licence_id, openTasks: open }) },
          },
        };
      },
    });
  });
}
