// "My applications" in my space: the list, one application's page (status, the supplement
// request and its answer, withdrawal, the decision, the rating, the history), the confirmation
// after submitting and the receipt to print. Every page reads the application for the
// session's account: another person's is answered as not found. Writes carry the CSRF token
// and go back to the application's page (303), or show it again with the problem.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../../http/server.ts';
import type { CitizenContext } from '../identity/index.ts';
import { coerceFormInput, type FormDefinition, type ServiceView } from '../services/index.ts';
import { DomainError, NotFoundError, ValidationError } from '../../platform/errors.ts';
import { chinaDateOf } from '../../platform/workdays.ts';
import { createGuard } from './guard.ts';
import { postedValues, problemsOf, UUID, uploadsOf, whoOf, type PortalApplications, type PortalApplicationView, type Who } from './applications-port.ts';
import { readPosted, TOO_MUCH } from './multipart.ts';
import { applicationBody, applicationsList, confirmationBody, mayRate, mayWithdraw, receiptBody, withdrawBody, type ApplicationPageModel } from './pages/application.ts';
import { FORM_ROUTE, formOf, one, PUBLIC_ROUTE, type Responder } from './respond.ts';
import type { PortalAccounts } from './routes.ts';
import { say, t, type Lang, type Text } from './text.ts';

type Deps = { respond: Responder; accounts: PortalAccounts; applications: PortalApplications };
type Req = FastifyRequest<{ Params: { id: string } }>;

const DONE: Record<string, Text> = {
  draft: { zh: '草稿已保存。可随时在“我的办件”中继续填写。', en: 'Your draft is saved. Continue it any time from My applications.' },
  supplement: { zh: '补正材料已提交，办理机关将重新决定是否受理。', en: 'Your corrections were sent; the department decides again whether to accept the application.' },
  withdrawn: { zh: '申请已撤回。', en: 'The application is withdrawn.' },
  rated: { zh: '感谢您的评价。', en: 'Thank you for rating the service.' },
};

export function registerApplicationPages(app: App, deps: Deps): void {
  const { respond, accounts, applications } = deps;
  const { render, langOf, notFound, viewerFor } = respond;
  const { signedIn } = createGuard(respond, accounts);
  const who = (request: FastifyRequest, ctx: CitizenContext): Who => whoOf(request, ctx, accounts.acting);

  /** The session's own application, or the not-found page (for a malformed id or anyone else's). */
  async function own(request: Req, reply: FastifyReply, ctx: CitizenContext): Promise<PortalApplicationView | undefined> {
    if (!UUID.test(request.params.id)) return void (await notFound(request, reply));
    try {
      return await applications.get(who(request, ctx), request.params.id);
    } catch (err) {
      if (err instanceof NotFoundError) return void (await notFound(request, reply));
      throw err;
    }
  }

  const online = (code: string) => applications.online(code);

  async function page(request: Req, reply: FastifyReply, ctx: CitizenContext, a: PortalApplicationView, lang: Lang, status = 200, extra: Partial<ApplicationPageModel> = {}) {
    const found = await online(a.serviceCode);
    const model: ApplicationPageModel = {
      application: a,
      service: found?.service,
      form: found?.form,
      csrfToken: ctx.csrfToken,
      ...(found && a.status === 'supplement_requested' ? { supplement: { form: found.form, values: {}, problems: new Map(), filesDropped: false, today: chinaDateOf(new Date()) } } : {}),
      ...extra,
    };
    const done = DONE[one((request.query as Record<string, unknown>).done)];
    if (done && !model.notice) model.notice = done;
    const name = found ? t(lang, { zh: found.service.nameZh, en: found.service.nameEn }) : a.serviceCode;
    return render(request, reply, { lang, status, personal: true, viewer: await viewerFor(request, ctx), title: status >= 400 ? t(lang, { zh: `错误：${name}`, en: `Error: ${name}` }) : name, body: () => applicationBody(lang, model) });
  }

  app.get('/me/applications', PUBLIC_ROUTE, async (request, reply) => {
    const ctx = await signedIn(request, reply);
    if (!ctx) return reply;
    const lang = langOf(request);
    const items = await applications.mine(who(request, ctx));
    const services = new Map<string, ServiceView | undefined>(await Promise.all([...new Set(items.map((a) => a.serviceCode))].map(async (code) => [code, (await online(code))?.service] as const)));
    return render(request, reply, { lang, personal: true, viewer: await viewerFor(request, ctx), title: { zh: '我的办件', en: 'My applications' }, body: () => `<p><a href="/me?lang=${lang}">${say(lang, { zh: '我的空间', en: 'My space' })}</a></p><h1>${say(lang, { zh: '我的办件', en: 'My applications' })}</h1>${applicationsList(lang, items, services)}` });
  });

  app.get<{ Params: { id: string } }>('/me/applications/:id', PUBLIC_ROUTE, async (request, reply) => {
    const ctx = await signedIn(request, reply);
    if (!ctx) return reply;
    const a = await own(request, reply, ctx);
    return a ? page(request, reply, ctx, a, langOf(request)) : reply;
  });

  app.get<{ Params: { id: string } }>('/me/applications/:id/confirmation', PUBLIC_ROUTE, async (request, reply) => {
    const ctx = await signedIn(request, reply);
    if (!ctx) return reply;
    const a = await own(request, reply, ctx);
    if (!a) return reply;
    const lang = langOf(request);
    if (!a.submittedAt) return reply.redirect(`/me/applications/${a.id}?lang=${lang}`, 303);
    const service = (await online(a.serviceCode))?.service;
    return render(request, reply, { lang, personal: true, viewer: await viewerFor(request, ctx), title: { zh: '申请已提交', en: 'Application submitted' }, body: () => confirmationBody(lang, a, service) });
  });

  app.get<{ Params: { id: string } }>('/me/applications/:id/receipt', PUBLIC_ROUTE, async (request, reply) => {
    const ctx = await signedIn(request, reply);
    if (!ctx) return reply;
    const a = await own(request, reply, ctx);
    if (!a) return reply;
    if (!a.submittedAt) return notFound(request, reply);
    const lang = langOf(request);
    // The applicant's own name and masked ID number: identity's account read (audited there).
    const [found, account] = await Promise.all([online(a.serviceCode), accounts.account(ctx)]);
    const body = receiptBody(lang, { application: a, service: found?.service, person: { name: account.name, idNumberMasked: account.idNumberMasked }, issuedAt: new Date().toISOString() });
    return render(request, reply, { lang, personal: true, viewer: await viewerFor(request, ctx), title: t(lang, { zh: `回执 ${a.number}`, en: `Receipt ${a.number}` }), body: () => body });
  });

  app.get<{ Params: { id: string } }>('/me/applications/:id/withdraw', PUBLIC_ROUTE, async (request, reply) => {
    const ctx = await signedIn(request, reply);
    if (!ctx) return reply;
    const a = await own(request, reply, ctx);
    if (!a) return reply;
    const lang = langOf(request);
    if (!mayWithdraw(a)) return reply.redirect(`/me/applications/${a.id}?lang=${lang}`, 303);
    const service = (await online(a.serviceCode))?.service;
    return render(request, reply, { lang, personal: true, viewer: await viewerFor(request, ctx), title: { zh: '撤回申请', en: 'Withdraw the application' }, body: () => withdrawBody(lang, a, service, ctx.csrfToken) });
  });

  /** A write on the application's page: done, back to the page; refused, the page again with the problem. */
  async function act(request: Req, reply: FastifyReply, fields: Record<string, unknown>, ctx: CitizenContext, action: (w: Who, a: PortalApplicationView) => Promise<unknown>, done: string, onError?: (err: DomainError, a: PortalApplicationView, lang: Lang) => Promise<unknown> | undefined) {
    const a = await own(request, reply, ctx);
    if (!a) return reply;
    const lang = langOf(request, fields);
    try {
      await action(who(request, ctx), a);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      const handled = onError?.(err, a, lang);
      if (handled) return handled;
      return page(request, reply, ctx, await applications.get(who(request, ctx), a.id), lang, err instanceof ValidationError ? 400 : 409, { problem: lang === 'en' ? err.message : (err.messageZh ?? err.message) });
    }
    return reply.redirect(`/me/applications/${a.id}?lang=${lang}&done=${done}`, 303);
  }

  app.post<{ Params: { id: string } }>('/me/applications/:id/withdraw', FORM_ROUTE, async (request, reply) => {
    const form = formOf(request);
    const ctx = await signedIn(request, reply, one(form.csrf));
    if (!ctx) return reply;
    return act(request, reply, form, ctx, (w, a) => applications.withdraw(w, a.id, Number(one(form.version)) || a.version), 'withdrawn');
  });

  app.post<{ Params: { id: string } }>('/me/applications/:id/rating', FORM_ROUTE, async (request, reply) => {
    const form = formOf(request);
    const ctx = await signedIn(request, reply, one(form.csrf));
    if (!ctx) return reply;
    const typed = { rating: one(form.rating), reason: one(form.reason).slice(0, 500) };
    const refuse = (a: PortalApplicationView, lang: Lang, problems: Map<string, string>) => page(request, reply, ctx, a, lang, 400, { rating: { problems, typed } });
    return act(
      request,
      reply,
      form,
      ctx,
      async (w, a) => {
        if (typed.rating !== 'good' && typed.rating !== 'poor') throw new ValidationError([{ field: 'rating', code: 'required', message: 'Choose good or poor', messageZh: '请选择“满意”或“不满意”' }]);
        if (!mayRate(a) && !a.rating) throw new ValidationError([{ field: 'rating', code: 'not_decided', message: 'A service is rated once the application is decided.', messageZh: '申请办结后方可评价。' }]);
        return applications.rate(w, a.id, { rating: typed.rating, ...(typed.reason.trim() ? { reason: typed.reason } : {}) });
      },
      'rated',
      (err, a, lang) => {
        if (!(err instanceof ValidationError) || !err.errors?.length) return undefined;
        const text = (e: { message: string; messageZh?: string }) => (lang === 'en' ? e.message : (e.messageZh ?? e.message));
        return refuse(a, lang, new Map(err.errors.map((e) => [e.field === 'reason' ? 'reason' : 'rating-good', text(e)])));
      },
    );
  });

  app.post<{ Params: { id: string } }>('/me/applications/:id/supplement', FORM_ROUTE, async (request, reply) => {
    if (!request.headers.cookie) return (await signedIn(request, reply)) ?? reply;
    const posted = await readPosted(request);
    const ctx = await signedIn(request, reply, one(posted.fields.csrf));
    if (!ctx) return reply;
    const a = await own(request, reply, ctx);
    if (!a) return reply;
    const lang = langOf(request, posted.fields);
    const found = await online(a.serviceCode);
    if (!found || a.status !== 'supplement_requested') return reply.redirect(`/me/applications/${a.id}?lang=${lang}`, 303);
    const values = postedValues(posted.fields, found.form);
    const { uploads, problems } = uploadsOf(posted.files, lang);
    if (posted.tooMuch) problems.set('form', t(lang, TOO_MUCH));
    const again = (status: number, p: Map<string, string>) => page(request, reply, ctx, a, lang, status, { supplement: { form: found.form, values, problems: p, filesDropped: posted.files.length > 0 || posted.tooMuch, today: chinaDateOf(new Date()) } });
    if (problems.size) return again(400, problems);
    try {
      await applications.answerSupplement(who(request, ctx), a.id, { version: Number(one(posted.fields.version)) || a.version, formData: corrected(found.form, a.formData, values, askedFields(a)), attachments: uploads });
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      const p = err instanceof ValidationError && err.errors?.length ? problemsOf(lang, err.errors, found.form, uploads) : new Map([['form', lang === 'en' ? err.message : (err.messageZh ?? err.message)]]);
      return again(err instanceof ValidationError ? 400 : 409, p);
    }
    return reply.redirect(`/me/applications/${a.id}?lang=${lang}&done=supplement`, 303);
  });
}

/** The fields the supplement request asks to correct (the page shows an input for each). */
function askedFields(a: PortalApplicationView): Set<string> {
  const items = (a.supplement as { items?: { field?: string }[] } | null)?.items ?? [];
  return new Set(items.flatMap((i) => (i.field ? [i.field.replace(/^formData\//, '')] : [])));
}

/** The application's answers with the asked fields as the applicant corrected them (a field emptied is removed). */
function corrected(form: FormDefinition, data: Record<string, unknown>, values: Record<string, string | string[]>, asked: Set<string>): Record<string, unknown> {
  const out = { ...data };
  const coerced = coerceFormInput(form, values);
  for (const f of form.fields) {
    if (!asked.has(f.key)) continue;
    if (Object.hasOwn(coerced, f.key)) out[f.key] = coerced[f.key];
    else delete out[f.key];
  }
  return out;
}
