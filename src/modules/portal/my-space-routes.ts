// "My space": every page authenticates the citizen session first and reads only the session's
// own account; anyone not signed in is sent to sign in and brought back. A write carries the
// session's CSRF token as a form field, and goes back to the page it came from (303), or shows
// the page again with the problem beside its field.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../../http/server.ts';
import type { CitizenContext } from '../identity/index.ts';
import { DomainError, ValidationError } from '../../platform/errors.ts';
import type { Viewer } from './layout.ts';
import { AGENT_FIELDS, enterpriseBody } from './pages/enterprise.ts';
import { messagesList, mySpaceBody, readsSection, type MySpace } from './pages/my-space.ts';
import { fieldProblems } from './pages/form.ts';
import { FORM_ROUTE, formOf, metaOf, one, PUBLIC_ROUTE, type Responder } from './respond.ts';
import { createGuard } from './guard.ts';
import type { PortalAccounts, PortalMessages } from './routes.ts';
import type { PortalLicences } from './licence-routes.ts';
import { whoOf, type PortalApplications } from './applications-port.ts';
import { say, type Lang } from './text.ts';

type Ctx = CitizenContext;
type Deps = { respond: Responder; accounts: PortalAccounts; messages: PortalMessages; licences?: Pick<PortalLicences, 'mine'>; applications?: Pick<PortalApplications, 'mine' | 'online'> };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const sub = (ctx: Ctx) => `citizen:${ctx.citizenId}`;
/** The text of a refusal, in the page's language: the first field's problem, else the error's own words. */
const problemText = (lang: Lang, err: DomainError) => (err.errors?.length ? fieldProblems(lang, err.errors, []).get('form')! : lang === 'en' ? err.message : (err.messageZh ?? err.message));

export function registerMySpaceRoutes(app: App, deps: Deps): void {
  const { respond, accounts } = deps;
  const { render, langOf, notFound } = respond;
  const { signedIn, viewerFor } = createGuard(respond, accounts);

  const readsOrUnavailable = (ctx: Ctx, lang: Lang) =>
    accounts.dataUsage(ctx, lang).catch((err: unknown) => {
      if (!(err instanceof DomainError)) throw err;
      return 'unavailable' as const;
    });

  /** The person's applications and the names of their services (online applications, when wired). */
  async function myApplications(request: FastifyRequest, ctx: Ctx): Promise<MySpace['applications']> {
    if (!deps.applications) return undefined;
    const items = await deps.applications.mine(whoOf(request, ctx, accounts.acting));
    const codes = [...new Set(items.slice(0, 5).map((a) => a.serviceCode))];
    return { items, services: new Map(await Promise.all(codes.map(async (code) => [code, (await deps.applications!.online(code))?.service] as const))) };
  }

  async function mySpace(request: FastifyRequest, reply: FastifyReply, ctx: Ctx, status = 200, enterpriseProblem?: string) {
    const lang = langOf(request, formOf(request));
    const [account, messages, reads, enterprises, licences, applications] = await Promise.all([accounts.account(ctx), deps.messages.inbox(sub(ctx), { limit: 5 }), readsOrUnavailable(ctx, lang), accounts.enterprises(ctx), deps.licences?.mine(ctx), myApplications(request, ctx)]);
    const acting = accounts.acting(request, ctx);
    const space: MySpace = { account, messages, reads, enterprises, csrfToken: ctx.csrfToken, ...(acting ? { acting } : {}), ...(licences ? { licences } : {}), ...(applications ? { applications } : {}) };
    const viewer: Viewer = { signedIn: true, name: account.name, csrfToken: ctx.csrfToken, ...(acting ? { acting } : {}) };
    return render(request, reply, { lang, status, viewer, personal: true, title: { zh: '我的空间', en: 'My space' }, body: () => mySpaceBody(lang, space, enterpriseProblem) });
  }

  app.get('/me', PUBLIC_ROUTE, async (request, reply) => {
    const ctx = await signedIn(request, reply);
    return ctx ? mySpace(request, reply, ctx) : reply;
  });

  app.get('/me/data-reads', PUBLIC_ROUTE, async (request, reply) => {
    const ctx = await signedIn(request, reply);
    if (!ctx) return reply;
    const lang = langOf(request);
    const reads = await readsOrUnavailable(ctx, lang);
    return render(request, reply, { lang, personal: true, viewer: await viewerFor(request, ctx), title: { zh: '谁查看了我的数据', en: 'Who read my data' }, body: () => `<p><a href="/me?lang=${lang}">${say(lang, { zh: '我的空间', en: 'My space' })}</a></p><h1>${say(lang, { zh: '谁查看了我的数据', en: 'Who read my data' })}</h1>${readsSection(lang, reads)}` });
  });

  app.get('/me/messages', PUBLIC_ROUTE, async (request, reply) => {
    const ctx = await signedIn(request, reply);
    if (!ctx) return reply;
    const lang = langOf(request);
    const inbox = await deps.messages.inbox(sub(ctx), { limit: 100 });
    return render(request, reply, { lang, personal: true, viewer: await viewerFor(request, ctx), title: { zh: '我的消息', en: 'My messages' }, body: () => `<p><a href="/me?lang=${lang}">${say(lang, { zh: '我的空间', en: 'My space' })}</a></p><h1>${say(lang, { zh: '我的消息', en: 'My messages' })}</h1>${messagesList(lang, inbox.items, ctx.csrfToken)}` });
  });

  app.post<{ Params: { id: string } }>('/me/messages/:id/read', FORM_ROUTE, async (request, reply) => {
    const form = formOf(request);
    const ctx = await signedIn(request, reply, one(form.csrf));
    if (!ctx) return reply;
    if (!UUID.test(request.params.id)) return notFound(request, reply);
    await deps.messages.markRead(sub(ctx), request.params.id, metaOf(request));
    return reply.redirect(`/me?lang=${langOf(request, form)}#messages`, 303);
  });

  app.post('/me/enterprises', FORM_ROUTE, async (request, reply) => {
    const form = formOf(request);
    const ctx = await signedIn(request, reply, one(form.csrf));
    if (!ctx) return reply;
    const lang = langOf(request, form);
    try {
      await accounts.registerEnterprise(ctx, one(form.creditCode).trim());
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      return mySpace(request, reply, ctx, err instanceof ValidationError ? 400 : 409, problemText(lang, err));
    }
    return reply.redirect(`/me?lang=${lang}#enterprises`, 303);
  });

  // ——— an enterprise's agents, for its legal representative ———
  async function enterprisePage(request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply, ctx: Ctx, status = 200, problems = new Map<string, string>(), typed: Record<string, string> = {}) {
    const lang = langOf(request, formOf(request));
    const enterprise = (await accounts.enterprises(ctx)).find((e) => e.id === request.params.id && e.role === 'legal_representative');
    if (!enterprise) return notFound(request, reply);
    const agents = await accounts.agents(ctx, enterprise.id);
    return render(request, reply, { lang, status, personal: true, viewer: await viewerFor(request, ctx), title: enterprise.name, body: () => enterpriseBody(lang, { enterprise, agents, csrfToken: ctx.csrfToken, problems, typed }) });
  }

  app.get<{ Params: { id: string } }>('/me/enterprises/:id', PUBLIC_ROUTE, async (request, reply) => {
    const ctx = await signedIn(request, reply);
    if (!ctx) return reply;
    return UUID.test(request.params.id) ? enterprisePage(request, reply, ctx) : notFound(request, reply);
  });

  app.post<{ Params: { id: string } }>('/me/enterprises/:id/agents', FORM_ROUTE, async (request, reply) => {
    const form = formOf(request);
    const ctx = await signedIn(request, reply, one(form.csrf));
    if (!ctx) return reply;
    if (!UUID.test(request.params.id)) return notFound(request, reply);
    const lang = langOf(request, form);
    const typed = { agentName: one(form.agentName).trim(), agentIdNumber: one(form.agentIdNumber).trim(), serviceCode: one(form.serviceCode).trim(), expiresOn: one(form.expiresOn).trim() };
    // The last day the agent may act: to the end of that day, China Standard Time.
    const expiresAt = /^\d{4}-\d{2}-\d{2}$/.test(typed.expiresOn) ? `${typed.expiresOn}T23:59:59+08:00` : '';
    if (!expiresAt) return enterprisePage(request, reply, ctx, 400, new Map([['expiresOn', lang === 'en' ? 'Enter the last day as a date, e.g. 2027-06-30' : '请按“2027-06-30”的格式填写最后一天']]), typed);
    try {
      await accounts.authorizeAgent(ctx, request.params.id, { agentName: typed.agentName, agentIdNumber: typed.agentIdNumber, serviceCode: typed.serviceCode, expiresAt });
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      const problems = fieldProblems(lang, (err.errors ?? [{ field: 'form', code: err.code, message: err.message, messageZh: err.messageZh }]).map((e) => (e.field === 'expiresAt' ? { ...e, field: 'expiresOn' } : e)), AGENT_FIELDS);
      return enterprisePage(request, reply, ctx, err instanceof ValidationError ? 400 : 409, problems, typed);
    }
    return reply.redirect(`/me/enterprises/${request.params.id}?lang=${lang}#agents`, 303);
  });

  app.post<{ Params: { id: string; authorizationId: string } }>('/me/enterprises/:id/agents/:authorizationId/revoke', FORM_ROUTE, async (request, reply) => {
    const form = formOf(request);
    const ctx = await signedIn(request, reply, one(form.csrf));
    if (!ctx) return reply;
    if (!UUID.test(request.params.id) || !UUID.test(request.params.authorizationId)) return notFound(request, reply);
    const lang = langOf(request, form);
    try {
      await accounts.revokeAgent(ctx, request.params.id, request.params.authorizationId);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      return enterprisePage(request, reply, ctx, 409, new Map([['form', problemText(lang, err)]]));
    }
    return reply.redirect(`/me/enterprises/${request.params.id}?lang=${lang}#agents`, 303);
  });

  app.post('/me/sign-out', FORM_ROUTE, async (request, reply) => {
    const form = formOf(request);
    const lang = langOf(request, form);
    const ctx = await signedIn(request, reply, one(form.csrf));
    if (!ctx) return reply;
    await accounts.signOut(ctx);
    return reply.header('set-cookie', accounts.signedOutCookies()).redirect(`/api/citizen/oidc/logout?lang=${lang}`, 303);
  });
}
