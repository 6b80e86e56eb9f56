// The portal's public pages: home, search, events, the cities' portals and registration.
// "My space" is in my-space-routes.ts. Forms post as application/x-www-form-urlencoded (no
// JavaScript). Steps in order: rate limit, validate, handler.
import querystring from 'node:querystring';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../../http/server.ts';
import type { CitizenContext } from '../identity/index.ts';
import type { ServiceView } from '../services/index.ts';
import { serviceGuideBody } from './pages/service-guide.ts';
import { DomainError, ValidationError, type FieldError } from '../../platform/errors.ts';
import { findEvent } from './events.ts';
import { eventBody, homeBody, searchBody, type HomeNotice } from './pages/public.ts';
import type { AgentLink } from './pages/enterprise.ts';
import type { Account, DataRead, EnterpriseLink, Message } from './pages/my-space.ts';
import { registerAccountRoutes } from './account-routes.ts';
import { registerMySpaceRoutes } from './my-space-routes.ts';
import { registerLicencePages, type PortalLicences } from './licence-routes.ts';
import { registerApplicationScope } from './application-scope.ts';
import type { PortalApplications } from './applications-port.ts';
import { createResponder, FORM_ROUTE, formOf, metaOf, one, PUBLIC_ROUTE } from './respond.ts';
import { fieldProblems } from './pages/form.ts';
import { EMPTY_FORM, REGISTER_FIELDS, registerBody, registeredBody, type RegisterForm } from './pages/register.ts';
import type { Region, RegionService } from './regions.ts';
import { MAX_QUERY_LENGTH, searchAll, type SearchSection, type SearchSource } from './search.ts';
import type { Lang, Text } from './text.ts';

/** A signed-in citizen as identity's session gives it. */
type Ctx = CitizenContext;

export type PortalAccounts = {
  /** The signed-in citizen, or UnauthenticatedError; a write passes the form's CSRF token. */
  require: (request: FastifyRequest, formCsrfToken?: string) => Promise<Ctx>;
  /** The account page's data: a read of personal data, audited by identity. */
  account: (ctx: Ctx) => Promise<Account>;
  name: (ctx: Ctx) => Promise<string>;
  acting: (request: FastifyRequest, ctx: Ctx) => { name: string; creditCode: string } | undefined;
  dataUsage: (ctx: Ctx, lang: Lang) => Promise<DataRead[]>;
  enterprises: (ctx: Ctx) => Promise<EnterpriseLink[]>;
  registerEnterprise: (ctx: Ctx, creditCode: string) => Promise<unknown>;
  /** The enterprise's agents, for its legal representative only (NotFound/Forbidden otherwise). */
  agents: (ctx: Ctx, enterpriseId: string) => Promise<AgentLink[]>;
  authorizeAgent: (ctx: Ctx, enterpriseId: string, grant: { agentIdNumber: string; agentName: string; serviceCode: string; expiresAt: string }) => Promise<unknown>;
  revokeAgent: (ctx: Ctx, enterpriseId: string, authorizationId: string) => Promise<void>;
  register: (input: { idNumber: string; name: string; phone?: string; email?: string; password: string }, meta: { ip: string; requestId: string }, lang: Lang) => Promise<{ name: string; idNumberMasked: string }>;
  signOut: (ctx: Ctx) => Promise<void>;
  requestReset: (login: string, meta: { ip: string; requestId: string }) => Promise<unknown>;
  confirmReset: (login: string, code: string, newPassword: string, meta: { ip: string; requestId: string }) => Promise<void>;
  enrolTotp: (ctx: Ctx) => Promise<{ secret: string; uri: string }>;
  confirmTotp: (ctx: Ctx, code: string) => Promise<void>;
  deleteAccount: (ctx: Ctx, password: string, totp: string | undefined) => Promise<void>;
  signedOutCookies: () => string[];
};

export type PortalMessages = {
  inbox: (sub: string, query: { limit: number }) => Promise<{ items: Message[]; total: number; unread: number }>;
  markRead: (sub: string, id: string, meta: { ip: string; requestId: string }) => Promise<unknown>;
};


/** A published service's guide by item code, and the names of the organizations it is handled jointly with. */
export type PortalGuides = { get: (code: string) => Promise<{ service: ServiceView; jointNames: (lang: Lang) => Promise<string[]> } | undefined> };

export type PortalRouteDeps = { regions: RegionService; sources: SearchSource[]; guides: PortalGuides; accounts: PortalAccounts; messages: PortalMessages; licences?: PortalLicences; applications?: PortalApplications; log: { warn: (obj: object, msg: string) => void } };

const HOME_LATEST = 5;
const NEWEST_CACHE_MS = 10_000;
const SEARCH_LIMIT = 10;
const FORM_LIMIT = 16_384;

type Query = Record<string, string | string[] | undefined>;

export function registerPortalRoutes(app: App, deps: PortalRouteDeps): void {
  const { regions, accounts } = deps;
  const respond = createResponder(regions, accounts);
  const { render, regionFrame, notFound, langOf } = respond;
  const onSourceError = (source: string, err: unknown) => deps.log.warn({ source, err: err instanceof Error ? err.message : String(err) }, 'portal search: a source failed');
  const scopeOf = (region: Region | undefined) => (region && region.home !== '/' ? { orgIds: region.orgIds } : {});

  // The home page's "newest" lists are the same for every visitor of a region: asked once per
  // region and language every few seconds, not on every visit (the home page is the busiest).
  const newestCache = new Map<string, { at: number; value: Promise<SearchSection[]> }>();
  function newest(lang: Lang, region: Region | undefined): Promise<SearchSection[]> {
    const key = `${lang}|${region?.orgId ?? ''}`;
    const hit = newestCache.get(key);
    if (hit && Date.now() - hit.at < NEWEST_CACHE_MS) return hit.value;
    const value = searchAll(deps.sources, '', lang, HOME_LATEST, scopeOf(region), onSourceError);
    newestCache.set(key, { at: Date.now(), value });
    // A source that failed is asked again on the next visit.
    void value.then((sections) => sections.some((s) => s.failed) && newestCache.delete(key));
    return value;
  }

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
        const latest = await newest(lang, frame.scope);
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
        // Each of the event's words on its own, then one list per source without repeats; a
        // source that tags its items by event (the services) answers for the event itself.
        const perTerm = await Promise.all(event.terms.map((term) => searchAll(deps.sources, term, lang, SEARCH_LIMIT, { ...scopeOf(frame.scope), event: event.slug }, onSourceError)));
        const sections = deps.sources.map((source, i) => {
          const seen = new Set<string>();
          const hits = perTerm.flatMap((s) => s[i].hits).filter((h) => !seen.has(h.href) && seen.add(h.href));
          return { source, total: hits.length, hits: hits.slice(0, SEARCH_LIMIT), failed: perTerm.every((s) => s[i].failed) };
        });
        return eventBody(lang, base, event, sections);
      },
    });
  }

  app.get('/', PUBLIC_ROUTE, (request, reply) => home(request, reply));
  app.get('/search', PUBLIC_ROUTE, (request, reply) => search(request, reply));
  app.get<{ Params: { slug: string } }>('/events/:slug', PUBLIC_ROUTE, (request, reply) => eventPage(request, reply, request.params.slug));
  app.get<{ Params: { code: string } }>('/services/:code', PUBLIC_ROUTE, async (request, reply) => {
    const found = request.params.code.length <= 100 ? await deps.guides.get(request.params.code) : undefined;
    if (!found) return notFound(request, reply);
    const lang = langOf(request);
    const jointNames = await found.jointNames(lang);
    // Services that take online applications offer them; someone signed out signs in on the way.
    const viewer = await respond.viewerOf(request);
    const online = deps.applications ? await deps.applications.online(found.service.code) : undefined;
    const apply = online ? { href: `/services/${encodeURIComponent(found.service.code)}/apply`, signedIn: viewer.signedIn } : undefined;
    return render(request, reply, { lang, viewer, title: lang === 'en' ? found.service.nameEn : found.service.nameZh, body: () => serviceGuideBody(lang, found.service, jointNames, apply) });
  });
  const withCity = async (request: FastifyRequest<{ Params: { code: string } }>, reply: FastifyReply, then: (city: Region) => Promise<unknown>) => {
    const city = /^\d{6}$/.test(request.params.code) ? await regions.city(request.params.code) : undefined;
    return city ? then(city) : notFound(request, reply);
  };
  if (deps.licences) registerLicencePages(app, { respond, accounts, licences: deps.licences });
  if (deps.applications) registerApplicationScope(app, { respond, accounts, applications: deps.applications, log: deps.log });
  app.get<{ Params: { code: string } }>('/cities/:code', PUBLIC_ROUTE, (request, reply) => withCity(request, reply, (city) => home(request, reply, city)));
  app.get<{ Params: { code: string } }>('/cities/:code/search', PUBLIC_ROUTE, (request, reply) => withCity(request, reply, (city) => search(request, reply, city)));
  app.get<{ Params: { code: string; slug: string } }>('/cities/:code/events/:slug', PUBLIC_ROUTE, (request, reply) => withCity(request, reply, (city) => eventPage(request, reply, request.params.slug, city)));

  // Forms: their own body parser, in a scope of their own.
  app.register(async (scope) => {
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: FORM_LIMIT }, (_request, body, done) => done(null, { ...querystring.parse(String(body)) }));
    scope.get('/register', PUBLIC_ROUTE, (request, reply) => render(request, reply, { title: { zh: '注册', en: 'Register' }, body: (lang) => registerBody(lang, EMPTY_FORM, new Map()) }));

    scope.post('/register', FORM_ROUTE, async (request, reply) => {
      const form = formOf(request);
      const lang = langOf(request, form);
      const typed: RegisterForm = { idNumber: one(form.idNumber).trim(), name: one(form.name).trim(), phone: one(form.phone).trim(), email: one(form.email).trim() };
      try {
        const created = await accounts.register({ idNumber: typed.idNumber, name: typed.name, password: one(form.password), ...(typed.phone ? { phone: typed.phone } : {}), ...(typed.email ? { email: typed.email } : {}) }, metaOf(request), lang);
        return render(request, reply, { lang, status: 201, title: { zh: '注册成功', en: 'Registered' }, body: () => registeredBody(lang, created.name, created.idNumberMasked), personal: true });
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        const errors: FieldError[] = err.errors ?? [{ field: 'form', code: err.code, message: err.message, messageZh: err.messageZh }];
        const status = err instanceof ValidationError ? 400 : 409;
        return render(request, reply, { lang, status, title: { zh: '错误：注册', en: 'Error: Register' }, body: () => registerBody(lang, typed, fieldProblems(lang, errors, REGISTER_FIELDS)) });
      }
    });

    registerMySpaceRoutes(scope as unknown as App, { respond, accounts, messages: deps.messages, ...(deps.licences ? { licences: deps.licences } : {}), ...(deps.applications ? { applications: deps.applications } : {}) });
    registerAccountRoutes(scope as unknown as App, { respond, accounts });
  });
}
