// How every portal page answers: the page's language, who is looking, the region's frame,
// and the HTML sent compressed when the browser takes it. Pages that show a person's data are
// never stored by a browser or a proxy.
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CitizenContext } from '../identity/index.ts';
import { DomainError } from '../../platform/errors.ts';
import { pickLang } from '../../platform/language.ts';
import { page, type Viewer } from './layout.ts';
import { PLATFORM_NAME, type Region, type RegionService } from './regions.ts';
import { say, type Lang, type Text } from './text.ts';

/** What the portal needs of a signed-in citizen's session to frame a page. */
export type Viewing = {
  require: (request: FastifyRequest, formCsrfToken?: string) => Promise<CitizenContext>;
  /** The person's name for the page's header (no personal-data read to audit). */
  name: (ctx: CitizenContext) => Promise<string>;
  acting: (request: FastifyRequest, ctx: CitizenContext) => { name: string; creditCode: string } | undefined;
};

type Query = Record<string, string | string[] | undefined>;
export const one = (v: unknown): string => (typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : '');

/** A page anyone may open; forms from a browser, a handful a minute per address being plenty for a person. */
export const PUBLIC_ROUTE = { config: { auth: 'public' as const }, schema: { hide: true } };
export const FORM_ROUTE = { config: { auth: 'public' as const, rateLimit: { max: 20, timeWindow: '1 minute' } }, schema: { hide: true } };

/** A form's fields as posted (urlencoded; each read as text with `one`), and the request's audit origin. */
export const formOf = (request: FastifyRequest) => (request.body && typeof request.body === 'object' ? (request.body as Record<string, unknown>) : {});
export const metaOf = (request: FastifyRequest) => ({ ip: request.ip, requestId: String(request.id) });

// Below this, compressing costs more than it saves.
const COMPRESS_FROM = 1024;
const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

/** The page in the best encoding the browser accepts: brotli at a fast level, else gzip. */
async function encode(request: FastifyRequest, reply: FastifyReply, html: string): Promise<Buffer | string> {
  reply.header('vary', 'accept-encoding');
  if (Buffer.byteLength(html) < COMPRESS_FROM) return html;
  const accepts = String(request.headers['accept-encoding'] ?? '');
  if (/\bbr\b/.test(accepts)) {
    reply.header('content-encoding', 'br');
    return brotli(Buffer.from(html), { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5 } });
  }
  if (/\bgzip\b/.test(accepts)) {
    reply.header('content-encoding', 'gzip');
    return gzip(Buffer.from(html), { level: 6 });
  }
  return html;
}

export type RenderOptions = { status?: number; title: Text | string; body: (lang: Lang, base: string) => string | Promise<string>; city?: Region; personal?: boolean; viewer?: Viewer; lang?: Lang };

export function createResponder(regions: RegionService, viewing: Viewing) {
  const langOf = (request: FastifyRequest, form?: Record<string, unknown>) => pickLang(one(form?.lang) || one((request.query as Query).lang), request.headers['accept-language']);

  /** The header's view of a signed-in person: their name and whom they act for. */
  async function viewerFor(request: FastifyRequest, ctx: CitizenContext): Promise<Viewer> {
    const acting = viewing.acting(request, ctx);
    return { signedIn: true, name: await viewing.name(ctx), csrfToken: ctx.csrfToken, ...(acting ? { acting } : {}) };
  }

  /** Who is looking: a public page shows the sign-in links or the account, never an error. */
  async function viewerOf(request: FastifyRequest): Promise<Viewer> {
    if (!request.headers.cookie) return { signedIn: false };
    try {
      return await viewerFor(request, await viewing.require(request));
    } catch (err) {
      if (err instanceof DomainError) return { signedIn: false };
      throw err;
    }
  }

  /** The frame of the province's portal, or of a city's under it; `base` prefixes the region's pages. */
  async function regionFrame(city?: Region) {
    const all = await regions.all();
    const province = all.province;
    if (city) return { region: { name: city.name, home: city.home, ...(province ? { province: { name: province.name, home: '/' } } : {}) }, scope: city as Region | undefined, base: `${city.home}/` };
    return { region: { name: province?.name ?? PLATFORM_NAME, home: '/' }, scope: province, base: '/' };
  }

  async function render(request: FastifyRequest, reply: FastifyReply, p: RenderOptions) {
    const lang = p.lang ?? langOf(request);
    const frame = await regionFrame(p.city);
    const viewer = p.viewer ?? (await viewerOf(request));
    const path = request.url.length > 2000 ? '/' : request.url;
    const html = page({ lang, path, title: p.title, region: frame.region, viewer, body: await p.body(lang, frame.base) });
    reply
      .code(p.status ?? 200)
      .header('content-type', 'text/html; charset=utf-8')
      .header('cache-control', p.personal || viewer.signedIn ? 'no-store' : 'no-cache');
    return reply.send(await encode(request, reply, html));
  }

  function notFound(request: FastifyRequest, reply: FastifyReply, city?: Region) {
    return render(request, reply, { city, status: 404, title: { zh: '找不到页面', en: 'Page not found' }, body: (lang, base) => `<h1>${say(lang, { zh: '找不到页面', en: 'Page not found' })}</h1><p>${say(lang, { zh: '地址可能有误，或页面已移除。', en: 'The address may be mistyped, or the page has moved.' })}</p><p><a href="${base}?lang=${lang}">${say(lang, { zh: '返回首页', en: 'Go to the home page' })}</a></p>` });
  }

  return { langOf, viewerOf, viewerFor, regionFrame, render, notFound };
}

export type Responder = ReturnType<typeof createResponder>;
