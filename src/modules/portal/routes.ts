// The portal's pages. Public pages first (home, search, events, cities, registration), then
// "my space", which authenticates the citizen session before anything else and only ever reads
// the session's own account. Forms post as application/x-www-form-urlencoded (no JavaScript);
// a write carries the session's CSRF token as a form field. Steps in order: rate limit,
// authenticate, validate, authorize (own account only), handler.
import querystring from 'node:querystring';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../../http/server.ts';
import type { CitizenContext } from '../identity/index.ts';
import { DomainError, UnauthenticatedError, ValidationError, type FieldError } from '../../platform/errors.ts';
import { pickLang } from '../../platform/language.ts';
import { findEvent } from './events.ts';
import { page, type Viewer } from './layout.ts';
import { eventBody, homeBody, searchBody, type HomeNotice } from './pages/public.ts';
import { messagesList, mySpaceBody, readsSection, type Account, type DataRead, type EnterpriseLink, type Message, type MySpace } from './pages/my-space.ts';
import { EMPTY_FORM, fieldProblems, registerBody, registeredBody, type RegisterForm } from './pages/register.ts';
import { PLATFORM_NAME, type Region, type RegionService } from './regions.ts';
import { MAX_QUERY_LENGTH, searchAll, type SearchSource } from './search.ts';
import { say, type Lang, type Text } from './text.ts';

/** A signed-in citizen as identity's session gives it. */
type Ctx = CitizenContext;

export type PortalAccounts = {
  /** The signed-in citizen, or UnauthenticatedError; a write passes the form's CSRF token. */
  require: (request: FastifyRequest, formCsrfToken?: string) => Promise<Ctx>;
  account: (ctx: Ctx) => Promise<Account>;
  acting: (request: FastifyRequest, ctx: Ctx) => { name: string; creditCode: string } | undefined;
  dataUsage: (ctx: Ctx, lang: Lang) => Promise<DataRead[]>;
  enterprises: (ctx: Ctx) => Promise<EnterpriseLink[]>;
  registerEnterprise: (ctx: Ctx, creditCode: string) => Promise<unknown>;
  register: (input: { idNumber: string; name: string; phone?: string; email?: string; password: string }, meta: { ip: string; requestId: string }, lang: Lang) => Promise<{ name: string; idNumberMasked: string }>;
  signOut: (ctx: Ctx) => Promise<void>;
  signedOutCookies: () => string[];
};

export type PortalMessages = {
  inbox: (sub: string, query: { limit: number }) => Promise<{ items: Message[]; total: number; unread: number }>;
  markRead: (sub: string, id: string, meta: { ip: string; requestId: string }) => Promise<unknown>;
};

export type PortalRouteDeps = { regions: RegionService; sources: SearchSource[]; accounts: PortalAccounts; messages: PortalMessages; log: { warn: (obj: object, msg: string) => void } };

const HOME_LATEST = 5;
const SEARCH_LIMIT = 10;
const FORM_LIMIT = 16_384;

type Query = Record<string, string | string[] | undefined>;
const one = (v: unknown): string => (typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : '');

export function registerPortalRoutes(app: App, deps: PortalRouteDeps): void {
  const { regions, accounts } = deps;
  const meta = (request: FastifyRequest) => ({ ip: request.ip, requestId: String(request.id) });
  const langOf = (request: FastifyRequest, form?: Record<string, unknown>) => pickLang(one(form?.lang) || one((request.query as Query).lang), request.headers['accept-language']);
  const sub = (ctx: Ctx) => `citizen:${ctx.citizenId}`;

  /** Who is looking: a public page shows the sign-in links or the account, never an error. */
  async function viewerOf(request: FastifyRequest): Promise<{ viewer: Viewer; ctx?: Ctx }> {
    if (!request.headers.cookie) return { viewer: { signedIn: false } };
    try {
      const ctx = await accounts.require(request);
      const account = await accounts.account(ctx);
      const acting = accounts.acting(request, ctx);
      return { viewer: { signedIn: true, name: account.name, csrfToken: ctx.csrfToken, ...(acting ? { acting } : {}) }, ctx };
    } catch (err) {
      if (err instanceof DomainError) return { viewer: { signedIn: false } };
      throw err;
    }
  }

  async function regionFrame(city?: Region) {
    const all = await regions.all();
    const province = all.province;
    if (city) return { region: { name: city.name, home: city.home, ...(province ? { province: { name: province.name, home: '/' } } : {}) }, scope: city, base: `${city.home}/` };
    return { region: { name: province?.name ?? PLATFORM_NAME, home: '/' }, scope: province, base: '/' };
  }

  function send(reply: FastifyReply, status: number, html: string, personal = false) {
    // Pages that show a person's data are never stored by a browser or a proxy.
    return reply.code(status).header('content-type', 'text/html; charset=utf-8').header('cache-control', personal ? 'no-store' : 'no-cache').send(html);
  }

  async function render(request: FastifyRequest, reply: FastifyReply, p: { status?: number; title: Text | string; body: (lang: Lang, base: string) => string | Promise<string>; city?: Region; personal?: boolean; viewer?: Viewer; lang?: Lang }) {
    const lang = p.lang ?? langOf(request);
    const frame = await regionFrame(p.city);
    const viewer = p.viewer ?? (await viewerOf(request)).viewer;
    const path = request.url.length > 2000 ? '/' : request.url;
    return send(reply, p.status ?? 200, page({ lang, path, title: p.title, region: frame.region, viewer, body: await p.body(lang, frame.base) }), p.personal || viewer.signedIn);
  }

  const onSourceError = (source: string, err: unknown) => deps.log.warn({ source, err: err instanceof Error ? err.message : String(err) }, 'portal search: a source failed');
  const scopeOf = (region: Region | undefined) => (region && region.home !== '/' ? { orgIds: region.orgIds } : {});

  // ——— public pages ———
  async function home(request: FastifyRequest, reply: FastifyReply, city?: Region) {
    const q = request.query as Query;
    const notice = (['failed', 'cancelled', 'not-citizen'].includes(one(q.signin)) ? one(q.signin) : one(q['signed-out']) ? 'signed-out' : undefined) as HomeNotice;
    const all = await regions.all();
    const frame = await regionFrame(city);
    return render(request, reply, {
      city,
      title: { zh: '首页', en: 'Home' },
      body: async (lang, base) => {
        const latest = await searchAll(deps.sources, '', lang, HOME_LATEST, scopeOf(frame.scope), onSourceError);
        return homeBody({ lang, region: frame.scope, regionName: frame.region.name, base, notice, latest, cities: city ? [] : all.cities, ...(city && all.province ? { province: all.province } : {}) });
      },
    });
  }

  async function search(request: FastifyRequest, reply: FastifyReply, city?: Region) {
    const q = one((request.query as Query).q).trim();
    const error: Text | undefined = [...q].length > MAX_QUERY_LENGTH ? { zh: `搜索词不能超过 ${MAX_QUERY_LENGTH} 个字`, en: `A search may be at most ${MAX_QUERY_LENGTH} characters` } : q.includes('\u0000') ? { zh: '搜索词含有无效字符', en: 'The search has a character that is not allowed' } : undefined;
    const frame = await regionFrame(city);
    return render(request, reply, {
      city,
      status: error ? 400 : 200,
      title: q ? `${q}` : { zh: '搜索', en: 'Search' },
      body: async (lang, base) => searchBody(lang, base, error ? q.slice(0, MAX_QUERY_LENGTH) : q, q && !error ? await searchAll(deps.sources, q, lang, SEARCH_LIMIT, scopeOf(frame.scope), onSourceError) : [], error),
    });
  }

  async function eventPage(request: FastifyRequest, reply: FastifyReply, slug: string, city?: Region) {
    const event = findEvent(slug);
    if (!event) return notFound(request, reply, city);
    const frame = await regionFrame(city);
    return render(request, reply, {
      city,
      title: event.name,
      body: async (lang, base) => {
        // Each of the event's words on its own, then one list per source without repeats.
        const perTerm = await Promise.all(event.terms.map((term) => searchAll(deps.sources, term, lang, SEARCH_LIMIT, scopeOf(frame.scope), onSourceError)));
        const sections = deps.sources.map((source, i) => {
          const seen = new Set<string>();
          const hits = perTerm.flatMap((s) => s[i].hits).filter((h) => !seen.has(h.href) && seen.add(h.href));
          return { source, total: hits.length, hits: hits.slice(0, SEARCH_LIMIT), failed: perTerm.every((s) => s[i].failed) };
        });
        return eventBody(lang, base, event, sections);
      },
    });
  }

  function notFound(request: FastifyRequest, reply: FastifyReply, city?: Region) {
    return render(request, reply, { city, status: 404, title: { zh: '找不到页面', en: 'Page not found' }, body: (lang, base) => `<h1>${say(lang, { zh: '找不到页面', en: 'Page not found' })}</h1><p>${say(lang, { zh: '地址可能有误，或页面已移除。', en: 'The address may be mistyped, or the page has moved.' })}</p><p><a href="${base}?lang=${lang}">${say(lang, { zh: '返回首页', en: 'Go to the home page' })}</a></p>` });
  }

  const publicRoute = { config: { auth: 'public' as const }, schema: { hide: true } };
  app.get('/', publicRoute, (request, reply) => home(request, reply));
  app.get('/search', publicRoute, (request, reply) => search(request, reply));
  app.get<{ Params: { slug: string } }>('/events/:slug', publicRoute, (request, reply) => eventPage(request, reply, request.params.slug));
  const withCity = async (request: FastifyRequest<{ Params: { code: string } }>, reply: FastifyReply, then: (city: Region) => Promise<unknown>) => {
    const city = /^\d{6}$/.test(request.params.code) ? await regions.city(request.params.code) : undefined;
    return city ? then(city) : notFound(request, reply);
  };
  app.get<{ Params: { code: string } }>('/cities/:code', publicRoute, (request, reply) => withCity(request, reply, (city) => home(request, reply, city)));
  app.get<{ Params: { code: string } }>('/cities/:code/search', publicRoute, (request, reply) => withCity(request, reply, (city) => search(request, reply, city)));
  app.get<{ Params: { code: string; slug: string } }>('/cities/:code/events/:slug', publicRoute, (request, reply) => withCity(request, reply, (city) => eventPage(request, reply, request.params.slug, city)));

  // ——— forms ———
  app.register(async (scope) => {
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: FORM_LIMIT }, (_request, body, done) => done(null, { ...querystring.parse(String(body)) }));
    const formOf = (request: FastifyRequest) => (request.body && typeof request.body === 'object' ? (request.body as Record<string, unknown>) : {});
    const limited = { config: { auth: 'public' as const, rateLimit: { max: 20, timeWindow: '1 minute' } }, schema: { hide: true } };

    scope.get('/register', publicRoute, (request, reply) => render(request, reply, { title: { zh: '注册', en: 'Register' }, body: (lang) => registerBody(lang, EMPTY_FORM, new Map()) }));

    scope.post('/register', limited, async (request, reply) => {
      const form = formOf(request);
      const lang = langOf(request, form);
      const typed: RegisterForm = { idNumber: one(form.idNumber).trim(), name: one(form.name).trim(), phone: one(form.phone).trim(), email: one(form.email).trim() };
      try {
        const created = await accounts.register({ idNumber: typed.idNumber, name: typed.name, password: one(form.password), ...(typed.phone ? { phone: typed.phone } : {}), ...(typed.email ? { email: typed.email } : {}) }, meta(request), lang);
        return render(request, reply, { lang, status: 201, title: { zh: '注册成功', en: 'Registered' }, body: () => registeredBody(lang, created.name, created.idNumberMasked), personal: true });
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        const errors: FieldError[] = err.errors ?? [{ field: 'form', code: err.code, message: err.message, messageZh: err.messageZh }];
        const status = err instanceof ValidationError ? 400 : err.code === 'verification_unavailable' ? 503 : 409;
        return render(request, reply, { lang, status, title: { zh: '错误：注册', en: 'Error: Register' }, body: () => registerBody(lang, typed, fieldProblems(lang, errors)) });
      }
    });

    // ——— my space ———
    /** The signed-in citizen for a page of my space; anyone else is sent to sign in and back. */
    async function signedIn(request: FastifyRequest, reply: FastifyReply, csrf?: string): Promise<Ctx | undefined> {
      try {
        return await accounts.require(request, csrf);
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        if (request.method !== 'GET') {
          await render(request, reply, { status: err instanceof UnauthenticatedError ? 401 : 403, title: { zh: '无法完成', en: 'Not done' }, body: (lang) => `<h1>${say(lang, { zh: '无法完成操作', en: 'That could not be done' })}</h1><p>${say(lang, { zh: '登录已过期或页面已失效，请重新打开页面后再试。', en: 'Your session has ended or the page is out of date. Open the page again and retry.' })}</p><p><a href="/me?lang=${lang}">${say(lang, { zh: '我的空间', en: 'My space' })}</a></p>`, viewer: { signedIn: false } });
          return undefined;
        }
        const lang = langOf(request);
        await reply.header('cache-control', 'no-store').redirect(`/api/citizen/oidc/start?${new URLSearchParams({ next: request.url.slice(0, 2000), lang })}`, 303);
        return undefined;
      }
    }

    async function mySpace(request: FastifyRequest, reply: FastifyReply, ctx: Ctx, status = 200, enterpriseProblem?: string) {
      const lang = langOf(request, formOf(request));
      const [account, messages, reads, enterprises] = await Promise.all([
        accounts.account(ctx),
        deps.messages.inbox(sub(ctx), { limit: 5 }),
        accounts.dataUsage(ctx, lang).catch((err: unknown) => {
          if (!(err instanceof DomainError)) throw err;
          return 'unavailable' as const;
        }),
        accounts.enterprises(ctx),
      ]);
      const acting = accounts.acting(request, ctx);
      const space: MySpace = { account, messages, reads, enterprises, csrfToken: ctx.csrfToken, ...(acting ? { acting } : {}) };
      const viewer: Viewer = { signedIn: true, name: account.name, csrfToken: ctx.csrfToken, ...(acting ? { acting } : {}) };
      return render(request, reply, { lang, status, viewer, personal: true, title: { zh: '我的空间', en: 'My space' }, body: () => mySpaceBody(lang, space, enterpriseProblem) });
    }

    scope.get('/me', publicRoute, async (request, reply) => {
      const ctx = await signedIn(request, reply);
      return ctx ? mySpace(request, reply, ctx) : reply;
    });

    scope.get('/me/data-reads', publicRoute, async (request, reply) => {
      const ctx = await signedIn(request, reply);
      if (!ctx) return reply;
      const lang = langOf(request);
      const reads = await accounts.dataUsage(ctx, lang).catch((err: unknown) => {
        if (!(err instanceof DomainError)) throw err;
        return 'unavailable' as const;
      });
      return render(request, reply, { lang, personal: true, title: { zh: '谁查看了我的数据', en: 'Who read my data' }, body: () => `<p><a href="/me?lang=${lang}">${say(lang, { zh: '我的空间', en: 'My space' })}</a></p><h1>${say(lang, { zh: '谁查看了我的数据', en: 'Who read my data' })}</h1>${readsSection(lang, reads)}` });
    });

    scope.get('/me/messages', publicRoute, async (request, reply) => {
      const ctx = await signedIn(request, reply);
      if (!ctx) return reply;
      const lang = langOf(request);
      const inbox = await deps.messages.inbox(sub(ctx), { limit: 100 });
      return render(request, reply, { lang, personal: true, title: { zh: '我的消息', en: 'My messages' }, body: () => `<p><a href="/me?lang=${lang}">${say(lang, { zh: '我的空间', en: 'My space' })}</a></p><h1>${say(lang, { zh: '我的消息', en: 'My messages' })}</h1>${messagesList(lang, inbox.items, ctx.csrfToken)}` });
    });

    scope.post<{ Params: { id: string } }>('/me/messages/:id/read', limited, async (request, reply) => {
      const form = formOf(request);
      const ctx = await signedIn(request, reply, one(form.csrf));
      if (!ctx) return reply;
      await deps.messages.markRead(sub(ctx), request.params.id, meta(request));
      return reply.redirect(`/me?lang=${langOf(request, form)}#messages`, 303);
    });

    scope.post('/me/enterprises', limited, async (request, reply) => {
      const form = formOf(request);
      const ctx = await signedIn(request, reply, one(form.csrf));
      if (!ctx) return reply;
      const lang = langOf(request, form);
      try {
        await accounts.registerEnterprise(ctx, one(form.creditCode).trim());
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        const text = err.errors?.length ? fieldProblems(lang, err.errors).values().next().value! : lang === 'en' ? err.message : (err.messageZh ?? err.message);
        return mySpace(request, reply, ctx, err instanceof ValidationError ? 400 : 409, text);
      }
      return reply.redirect(`/me?lang=${lang}#enterprises`, 303);
    });

    scope.post('/me/sign-out', limited, async (request, reply) => {
      const form = formOf(request);
      const lang = langOf(request, form);
      const ctx = await signedIn(request, reply, one(form.csrf));
      if (!ctx) return reply;
      await accounts.signOut(ctx);
      return reply.header('set-cookie', accounts.signedOutCookies()).redirect(`/api/citizen/oidc/logout?lang=${lang}`, 303);
    });
  });
}

