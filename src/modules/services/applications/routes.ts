// HTTP for applications. Applicants (signed-in citizens, the portal's session) under
// /api/citizen/applications; officers under /api/services/inbox, /api/services/tasks and
// /api/services/applications; administrators give duties under /api/services/duties.
// Steps: authenticate (the citizen session, or the staff hook), validate (schema), authorize
// and act (the service: an applicant reaches only their own or their enterprise's
// applications, an officer only their organization's tasks for the duties they hold), present.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Static } from 'typebox';
import { ProblemSchema, STAFF_ERRORS } from '../../../http/schemas.ts';
import { requestContext, type App } from '../../../http/server.ts';
import { NotFoundError, UnauthenticatedError, ValidationError } from '../../../platform/errors.ts';
import type { Applicant, SupplementItem } from './model.ts';
import * as s from './schema.ts';
import type { Applications } from './service.ts';
import type { AttachmentRow } from './store.ts';

const ERRORS = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema, 409: ProblemSchema } as const;

export type ApplicationRouteDeps = {
  applications: Applications;
  /** The signed-in citizen making the request (the portal's session; CSRF checked on writes). */
  applicant: (request: FastifyRequest) => Promise<Applicant>;
  /** A member of staff by id: their organization and name (for forwarding and duties). */
  staff: (id: string) => Promise<{ id: string; orgId: string; displayName: string; active: boolean } | undefined>;
};

function sendFile(reply: FastifyReply, file: AttachmentRow) {
  // Served as a download with its sniffed type, never rendered inline as the page's own content.
  return reply
    .header('content-type', file.media_type)
    .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.file_name)}`)
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', 'private, no-store')
    .send(file.content);
}

export function registerApplicationRoutes(app: App, deps: ApplicationRouteDeps): void {
  const { applications } = deps;
  const applicants = new WeakMap<FastifyRequest, Applicant>();
  const citizen = {
    config: { auth: 'public' as const },
    // Authentication before validation: an anonymous caller learns nothing about the schema.
    preValidation: async (request: FastifyRequest) => {
      applicants.set(request, await deps.applicant(request));
    },
  };
  const who = (request: FastifyRequest): Applicant => {
    const found = applicants.get(request);
    if (!found) throw new UnauthenticatedError();
    return found;
  };
  const tags = ['applications'];
  const meta = (request: FastifyRequest) => ({ ip: request.ip, requestId: String(request.id) });

  app.get('/api/citizen/applications', {
    ...citizen,
    schema: { tags, summary: 'Your applications, and those of the enterprises you act for, newest first', security: [], response: { 200: s.ApplicationList, ...ERRORS } },
    handler: async (request) => ({ items: await applications.mine(who(request)) }),
  });

  app.get('/api/citizen/applications/prefill', {
    ...citizen,
    schema: { tags, summary: "What the platform fills in from the base registries for a service's e-form (read through the exchange)", security: [], querystring: s.PrefillQuery, response: { 200: s.Prefill, ...ERRORS } },
    handler: async (request) => ({ fields: await applications.submission.preview(who(request), request.query.service) }),
  });

  app.post('/api/citizen/applications', {
    ...citizen,
    bodyLimit: s.APPLICATION_BODY_LIMIT,
    schema: {
      tags,
      summary: 'Apply for a service: save a draft or submit. With an Idempotency-Key header, retries return the first result (200) instead of making another',
      security: [],
      headers: s.IdempotencyHeaders,
      body: s.ApplicationCreate,
      response: { 200: s.ApplicationView, 201: s.ApplicationView, ...ERRORS },
    },
    handler: async (request, reply) => {
      const result = await applications.submission.start(who(request), request.body, request.headers['idempotency-key']);
      return reply.code(result.created ? 201 : 200).send(await applications.forApplicant(result.row));
    },
  });

  app.get('/api/citizen/applications/:id', {
    ...citizen,
    schema: { tags, summary: 'One of your applications: status, what is asked of you, history, files', security: [], params: s.IdParams, response: { 200: s.ApplicationView, ...ERRORS } },
    handler: async (request) => applications.get(who(request), request.params.id),
  });

  app.put('/api/citizen/applications/:id', {
    ...citizen,
    bodyLimit: s.APPLICATION_BODY_LIMIT,
    schema: { tags, summary: 'Change a draft (and submit it with submit: true)', security: [], params: s.IdParams, body: s.DraftChange, response: { 200: s.ApplicationView, ...ERRORS } },
    handler: async (request) => applications.forApplicant(await applications.submission.change(who(request), request.params.id, request.body)),
  });

  app.post('/api/citizen/applications/:id/supplement', {
    ...citizen,
    bodyLimit: s.APPLICATION_BODY_LIMIT,
    schema: { tags, summary: 'Answer a supplement request: the corrected data and the missing materials', security: [], params: s.IdParams, body: s.SupplementAnswer, response: { 200: s.ApplicationView, ...ERRORS } },
    handler: async (request) => applications.forApplicant(await applications.submission.answerSupplement(who(request), request.params.id, request.body)),
  });

  app.post('/api/citizen/applications/:id/withdraw', {
    ...citizen,
    schema: { tags, summary: 'Withdraw an application that is not decided yet', security: [], params: s.IdParams, body: s.VersionBody, response: { 200: s.ApplicationView, ...ERRORS } },
    handler: async (request) => applications.forApplicant(await applications.submission.withdraw(who(request), request.params.id, request.body.version)),
  });

  app.post('/api/citizen/applications/:id/rating', {
    ...citizen,
    schema: { tags, summary: 'Rate the service good or poor once your application is decided (a reason when poor)', security: [], params: s.IdParams, body: s.Rating, response: { 200: s.ApplicationView, ...ERRORS } },
    handler: async (request) => applications.forApplicant(await applications.submission.rate(who(request), request.params.id, request.body)),
  });

  app.get('/api/citizen/applications/:id/files/:fileId', {
    ...citizen,
    schema: { tags, summary: 'Download a file you uploaded', security: [], params: s.FileParams, response: { ...ERRORS } },
    handler: async (request, reply) => sendFile(reply, await applications.submission.attachment(who(request), request.params.id, request.params.fileId)),
  });

  // Officers.
  app.get('/api/services/inbox', {
    schema: { tags, summary: "Your task inbox: your organization's open steps for the duties you hold, soonest due first, with deadline colours", querystring: s.InboxQuery, response: { 200: s.Inbox, ...STAFF_ERRORS } },
    handler: async (request) => applications.tasks.inbox(requestContext(request).actor, { scope: request.query.scope ?? 'all', limit: request.query.limit ?? 50, offset: request.query.offset ?? 0 }),
  });

  app.post('/api/services/tasks/:id/claim', {
    schema: { tags, summary: 'Claim a task from the pool', params: s.IdParams, body: s.VersionBody, response: { 200: s.TaskView, ...STAFF_ERRORS } },
    handler: async (request) => applications.tasks.claim(requestContext(request).actor, request.params.id, request.body.version),
  });

  app.post('/api/services/tasks/:id/return', {
    schema: { tags, summary: 'Give a task you claimed back to the pool', params: s.IdParams, body: s.VersionBody, response: { 200: s.TaskView, ...STAFF_ERRORS } },
    handler: async (request) => applications.tasks.giveBack(requestContext(request).actor, request.params.id, request.body.version),
  });

  app.get('/api/services/tasks/:id/colleagues', {
    schema: { tags, summary: 'The colleagues a task can be forwarded to: active staff of its organization who hold its duty, yourself left out', params: s.IdParams, response: { 200: s.Colleagues, ...STAFF_ERRORS } },
    handler: async (request) => {
      const { actor } = requestContext(request);
      const ids = (await applications.colleagues(actor, request.params.id)).filter((id) => id !== actor.userId);
      const people = await Promise.all(ids.map((id) => deps.staff(id)));
      const items = people.flatMap((p) => (p && p.active ? [{ id: p.id, displayName: p.displayName }] : []));
      return { items: items.sort((a, b) => a.displayName.localeCompare(b.displayName, 'zh-CN')) };
    },
  });

  app.post('/api/services/tasks/:id/forward', {
    schema: { tags, summary: 'Forward a task to a colleague who holds its duty', params: s.IdParams, body: s.Forward, response: { 200: s.TaskView, ...STAFF_ERRORS } },
    handler: async (request) => {
      const colleague = await deps.staff(request.body.toStaffId);
      if (!colleague || !colleague.active) throw new NotFoundError('colleague', request.body.toStaffId, '同事');
      return applications.tasks.forward(requestContext(request).actor, request.params.id, request.body.version, { staffId: colleague.id, name: colleague.displayName });
    },
  });

  app.post('/api/services/tasks/:id/complete', {
    schema: {
      tags,
      summary: 'Complete a task: an acceptance step with accept / not_accept / supplement, a review step with agree / disagree and a comment',
      params: s.IdParams,
      body: s.TaskComplete,
      response: { 200: s.Dossier, ...STAFF_ERRORS },
    },
    handler: async (request) => {
      const { actor } = requestContext(request);
      const body = request.body;
      const task = await applications.tasks.assignable(actor, request.params.id);
      const m = meta(request);
      if (task.kind === 'acceptance') {
        if (!('decision' in body) || !['accept', 'not_accept', 'supplement'].includes(String(body.decision)) || 'opinion' in body) {
          throw invalidStep('an acceptance step takes decision: accept, not_accept or supplement', '受理环节须作出受理、不予受理或补正的决定');
        }
        const { version, ...decision } = body as Extract<s.TaskComplete, { decision: 'accept' | 'not_accept' | 'supplement' }>;
        const row = await applications.decisions.accept(actor, task.id, version, decision as { decision: 'accept' } | { decision: 'not_accept'; reasonZh: string; reasonEn: string } | { decision: 'supplement'; items: SupplementItem[] }, m);
        return applications.dossier(actor, row.id, m);
      }
      if (!('opinion' in body)) throw invalidStep('a review step takes opinion: agree or disagree, with a comment', '审查环节须填写同意或不同意的意见');
      const row = await applications.decisions.review(actor, task.id, body.version, { opinion: body.opinion, comment: body.comment, ...(body.decision ? { decision: body.decision } : {}) }, m);
      return applications.dossier(actor, row.id, m);
    },
  });

  app.get('/api/services/applications/:id', {
    schema: { tags, summary: 'The application dossier: form, materials, registry data with their source, history, steps (a read of personal data, audited)', params: s.IdParams, response: { 200: s.Dossier, ...STAFF_ERRORS } },
    handler: async (request) => applications.dossier(requestContext(request).actor, request.params.id, meta(request)),
  });

  app.post('/api/services/applications/:id/messages', {
    schema: { tags, summary: "Write to the applicant: the message goes into the application's history and to their inbox", params: s.IdParams, body: s.MessageBody, response: { 200: s.Dossier, ...STAFF_ERRORS } },
    handler: async (request) => applications.message(requestContext(request).actor, request.params.id, request.body.text, meta(request)),
  });

  app.get('/api/services/applications/:id/files/:fileId', {
    schema: { tags, summary: "Download an application's material (audited)", params: s.FileParams, response: { ...STAFF_ERRORS } },
    handler: async (request, reply) => sendFile(reply, await applications.file(requestContext(request).actor, request.params.id, request.params.fileId, meta(request))),
  });

  const clockRoute = (path: string, summary: string, body: typeof s.Extend | typeof s.Suspend | typeof s.VersionBody, act: (request: FastifyRequest, duties: string[]) => Promise<unknown>) =>
    app.post(`/api/services/applications/:id/${path}`, {
      schema: { tags, summary, params: s.IdParams, body, response: { 200: s.Dossier, ...STAFF_ERRORS } },
      handler: async (request) => {
        const { actor } = requestContext(request);
        await act(request, await applications.duties(actor));
        return applications.dossier(actor, (request.params as { id: string }).id, meta(request));
      },
    });
  clockRoute('extend', 'Extend the decision period once (10 working days; 15 for joint handling): an approving officer decides; the applicant is told', s.Extend, (request, duties) =>
    applications.decisions.extend(requestContext(request).actor, duties, (request.params as { id: string }).id, request.body as Static<typeof s.Extend>, meta(request)),
  );
  clockRoute('suspend', 'Suspend the clock for a hearing, testing, expert review or inspection; the applicant is told', s.Suspend, (request, duties) =>
    applications.decisions.suspend(requestContext(request).actor, duties, (request.params as { id: string }).id, request.body as Static<typeof s.Suspend>, meta(request)),
  );
  clockRoute('resume', 'Resume the clock; the new due date is told to the applicant', s.VersionBody, (request, duties) =>
    applications.decisions.resume(requestContext(request).actor, duties, (request.params as { id: string }).id, request.body as { version: number }, meta(request)),
  );

  app.get('/api/services/duties/:userId', {
    schema: { tags, summary: "An officer's duties in their organization", params: s.UserParams, response: { 200: s.DutiesView, ...STAFF_ERRORS } },
    handler: async (request) => {
      const { actor } = requestContext(request);
      const person = await deps.staff(request.params.userId);
      if (!person || (person.orgId !== actor.orgId && !actor.roles.includes('platform_admin'))) throw new NotFoundError('user', request.params.userId, '用户');
      return { duties: await applications.duties({ ...actor, userId: person.id, orgId: person.orgId }) };
    },
  });

  app.put('/api/services/duties/:userId', {
    schema: { tags, summary: "Give an officer their duties (acceptor, reviewer, approver, leader): the organization's administrator", params: s.UserParams, body: s.Duties, response: { 200: s.DutiesView, ...STAFF_ERRORS } },
    handler: async (request) => {
      const { actor } = requestContext(request);
      const person = await deps.staff(request.params.userId);
      if (!person) throw new NotFoundError('user', request.params.userId, '用户');
      return { duties: await applications.setDuties(actor, { id: person.id, orgId: person.orgId }, request.body.duties) };
    },
  });
}

function invalidStep(en: string, zh: string): ValidationError {
  return new ValidationError([{ field: 'body', code: 'wrong_step_outcome', message: en, messageZh: zh }]);
}
