// Applying online from the portal: `/services/{code}/apply` (a new application, for the
// signed-in person or the enterprise they act for) and `/me/applications/{id}/edit` (a draft).
// The form posts multipart/form-data, so materials upload without JavaScript; it carries the
// session's CSRF token and, for a new application, an idempotency key made when the page was
// rendered, so a double click or a resent form never makes two applications. A refused post
// shows the page again with the answers kept, a summary of the problems at the top linking to
// each field, and the words beside each field. Steps: authenticate, read the post, validate
// (the application service), act, then go on (303) or show the problems.
import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../../http/server.ts';
import type { CitizenContext } from '../identity/index.ts';
import { coerceFormInput, type FormDefinition, type ServiceView } from '../services/index.ts';
import { ConflictError, DomainError, ForbiddenError, NotFoundError, ValidationError } from '../../platform/errors.ts';
import { chinaDateOf } from '../../platform/workdays.ts';
import { createGuard } from './guard.ts';
import { KEY, postedValues, problemsOf, UUID, uploadsOf, whoOf, type PortalApplications, type PortalApplicationView, type Who } from './applications-port.ts';
import { readPosted, TOO_MUCH, type Posted } from './multipart.ts';
import { applyFormBody, rawValue, type PrefillValue, type RawValues } from './pages/apply-form.ts';
import { FORM_ROUTE, one, PUBLIC_ROUTE, type Responder } from './respond.ts';
import type { PortalAccounts } from './routes.ts';
import { t, type Lang } from './text.ts';

type Deps = { respond: Responder; accounts: PortalAccounts; applications: PortalApplications; log: { warn: (obj: object, msg: string) => void } };
type Online = { service: ServiceView; form: FormDefinition };
type FormState = { values: RawValues; problems: Map<string, string>; filesDropped: boolean; key?: string };

const statusOf = (err: DomainError) => (err instanceof ValidationError ? 400 : err instanceof ForbiddenError ? 403 : err instanceof NotFoundError ? 404 : 409);
const textOf = (lang: Lang, err: DomainError) => (lang === 'en' ? err.message : (err.messageZh ?? err.message));

export function registerApplyRoutes(app: App, deps: Deps): void {
  const { respond, accounts, applications } = deps;
  const { render, langOf, notFound, viewerFor } = respond;
  const { signedIn } = createGuard(respond, accounts);
  const who = (request: FastifyRequest, ctx: CitizenContext): Who => whoOf(request, ctx, accounts.acting);

  /** The registries' values for the form; when one cannot be read, none (the page says so). */
  async function preview(w: Who, code: string): Promise<{ prefilled: Record<string, PrefillValue>; failed: boolean }> {
    try {
      return { prefilled: await applications.preview(w, code), failed: false };
    } catch (err) {
      deps.log.warn({ err: err instanceof Error ? err.message : String(err), service: code }, 'portal: the registries could not be read to prefill an application');
      return { prefilled: {}, failed: true };
    }
  }

  async function newForm(request: FastifyRequest, reply: FastifyReply, ctx: CitizenContext, online: Online, lang: Lang, status: number, state?: FormState) {
    const w = who(request, ctx);
    const { prefilled, failed } = await preview(w, online.service.code);
    const values: RawValues = {};
    for (const f of online.form.fields) if (prefilled[f.key] && !f.locked) values[f.key] = rawValue(f, prefilled[f.key].value);
    const body = applyFormBody(lang, {
      ...online,
      action: `/services/${encodeURIComponent(online.service.code)}/apply`,
      mode: 'new',
      csrfToken: ctx.csrfToken,
      idempotencyKey: state?.key ?? randomUUID(),
      values: state ? state.values : values,
      prefilled,
      prefillFailed: failed,
      files: [],
      problems: state?.problems ?? new Map(),
      filesDropped: state?.filesDropped ?? false,
      ...(w.acting ? { acting: w.acting } : {}),
      today: chinaDateOf(new Date()),
    });
    const title = t(lang, { zh: online.service.nameZh, en: online.service.nameEn });
    return render(request, reply, { lang, status, personal: true, viewer: await viewerFor(request, ctx), title: state?.problems.size ? t(lang, { zh: `错误：${title}`, en: `Error: ${title}` }) : title, body: () => body });
  }

  async function draftForm(request: FastifyRequest, reply: FastifyReply, ctx: CitizenContext, a: PortalApplicationView, online: Online, lang: Lang, status: number, state?: FormState) {
    const values: RawValues = {};
    for (const f of online.form.fields) if (a.formData[f.key] !== undefined) values[f.key] = rawValue(f, a.formData[f.key]);
    const body = applyFormBody(lang, {
      ...online,
      action: `/me/applications/${a.id}/edit`,
      mode: 'draft',
      csrfToken: ctx.csrfToken,
      version: a.version,
      values: state ? state.values : values,
      prefilled: a.prefilled,
      prefillFailed: false,
      files: a.files,
      problems: state?.problems ?? new Map(),
      filesDropped: state?.filesDropped ?? false,
      ...(a.enterprise ? { acting: a.enterprise } : {}),
      today: chinaDateOf(new Date()),
    });
    const title = t(lang, { zh: online.service.nameZh, en: online.service.nameEn });
    return render(request, reply, { lang, status, personal: true, viewer: await viewerFor(request, ctx), title: state?.problems.size ? t(lang, { zh: `错误：${title}`, en: `Error: ${title}` }) : title, body: () => body });
  }

  /** What the post says: the answers in the form's types, the files, and the problems found before asking the service. */
  function readForm(posted: Posted, form: FormDefinition, lang: Lang) {
    const values = postedValues(posted.fields, form);
    const { uploads, problems } = uploadsOf(posted.files, lang);
    if (posted.tooMuch) problems.set('form', t(lang, TOO_MUCH));
    return { values, formData: coerceFormInput(form, values), uploads, problems, submit: one(posted.fields.do) !== 'draft', filesDropped: posted.files.length > 0 || posted.tooMuch };
  }

  /** Someone with no session at all is answered before their post is read. */
  async function authenticate(request: FastifyRequest, reply: FastifyReply): Promise<{ ctx: CitizenContext; posted: Posted } | undefined> {
    if (!request.headers.cookie) {
      await signedIn(request, reply);
      return undefined;
    }
    const posted = await readPosted(request);
    const ctx = await signedIn(request, reply, one(posted.fields.csrf));
    return ctx ? { ctx, posted } : undefined;
  }

  app.get<{ Params: { code: string } }>('/services/:code/apply', PUBLIC_ROUTE, async (request, reply) => {
    const ctx = await signedIn(request, reply);
    if (!ctx) return reply;
    const online = request.params.code.length <= 100 ? await applications.online(request.params.code) : undefined;
    if (!online) return notFound(request, reply);
    return newForm(request, reply, ctx, online, langOf(request), 200);
  });

  app.post<{ Params: { code: string } }>('/services/:code/apply', FORM_ROUTE, async (request, reply) => {
    const signed = await authenticate(request, reply);
    if (!signed) return reply;
    const { ctx, posted } = signed;
    const lang = langOf(request, posted.fields);
    const online = request.params.code.length <= 100 ? await applications.online(request.params.code) : undefined;
    if (!online) return notFound(request, reply);
    const input = readForm(posted, online.form, lang);
    const rawKey = one(posted.fields.key);
    const key = KEY.test(rawKey) ? rawKey : undefined;
    const state = (problems: Map<string, string>): FormState => ({ values: input.values, problems, filesDropped: input.filesDropped, ...(key ? { key } : {}) });
    if (input.problems.size) return newForm(request, reply, ctx, online, lang, 400, state(input.problems));
    const w = who(request, ctx);
    try {
      const { application } = await applications.start(w, { serviceCode: online.service.code, ...(w.acting ? { onBehalfOf: w.acting.creditCode } : {}), formData: input.formData, attachments: input.uploads, submit: input.submit }, key);
      return reply.redirect(application.status === 'draft' ? `/me/applications/${application.id}?lang=${lang}&done=draft` : `/me/applications/${application.id}/confirmation?lang=${lang}`, 303);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      const problems = err instanceof ValidationError && err.errors?.length ? problemsOf(lang, err.errors, online.form, input.uploads) : new Map([['form', textOf(lang, err)]]);
      return newForm(request, reply, ctx, online, lang, statusOf(err), state(problems));
    }
  });

  /** The draft, for its own form; anyone else's is not found, and one already sent goes to its page. */
  async function draftOf(request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply, ctx: CitizenContext, lang: Lang): Promise<{ a: PortalApplicationView; online: Online } | undefined> {
    if (!UUID.test(request.params.id)) return void (await notFound(request, reply));
    let a: PortalApplicationView;
    try {
      a = await applications.get(who(request, ctx), request.params.id);
    } catch (err) {
      if (err instanceof NotFoundError) return void (await notFound(request, reply));
      throw err;
    }
    const online = a.status === 'draft' ? await applications.online(a.serviceCode) : undefined;
    if (!online) return void (await reply.redirect(`/me/applications/${a.id}?lang=${lang}`, 303));
    return { a, online };
  }

  app.get<{ Params: { id: string } }>('/me/applications/:id/edit', PUBLIC_ROUTE, async (request, reply) => {
    const ctx = await signedIn(request, reply);
    if (!ctx) return reply;
    const lang = langOf(request);
    const found = await draftOf(request, reply, ctx, lang);
    return found ? draftForm(request, reply, ctx, found.a, found.online, lang, 200) : reply;
  });

  app.post<{ Params: { id: string } }>('/me/applications/:id/edit', FORM_ROUTE, async (request, reply) => {
    const signed = await authenticate(request, reply);
    if (!signed) return reply;
    const { ctx, posted } = signed;
    const lang = langOf(request, posted.fields);
    const found = await draftOf(request, reply, ctx, lang);
    if (!found) return reply;
    const { a, online } = found;
    const input = readForm(posted, online.form, lang);
    const state = (problems: Map<string, string>): FormState => ({ values: input.values, problems, filesDropped: input.filesDropped });
    if (input.problems.size) return draftForm(request, reply, ctx, a, online, lang, 400, state(input.problems));
    const version = Number(one(posted.fields.version));
    try {
      const changed = await applications.change(who(request, ctx), a.id, { version: Number.isInteger(version) ? version : a.version, formData: input.formData, attachments: input.uploads, submit: input.submit });
      return reply.redirect(changed.status === 'draft' ? `/me/applications/${a.id}?lang=${lang}&done=draft` : `/me/applications/${a.id}/confirmation?lang=${lang}`, 303);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      // A second click after the first was sent: the draft is no longer one; its page says where it is.
      if (err instanceof ConflictError) {
        const now = await applications.get(who(request, ctx), a.id);
        if (now.status !== 'draft') return reply.redirect(`/me/applications/${a.id}?lang=${lang}`, 303);
      }
      const problems = err instanceof ValidationError && err.errors?.length ? problemsOf(lang, err.errors, online.form, input.uploads) : new Map([['form', textOf(lang, err)]]);
      return draftForm(request, reply, ctx, a, online, lang, statusOf(err), state(problems));
    }
  });
}
