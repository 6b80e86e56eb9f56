// Electronic licences on the portal. `/licences/{identifier}`: the public verification (what
// the QR code on a licence opens), HTML in the page's language or, for `Accept:
// application/json`, the same JSON as /api/public/licences/{identifier}; 400 for an identifier
// whose form or check character is wrong, 404 for one no licence has. `/me/licences/{id}`: the
// holder's own licence in full with its QR code, for the holder (or an agent of the holder
// enterprise) only, read as personal data (audited by the licences service).
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../../http/server.ts';
import { sendProblem, toProblem } from '../../http/problem.ts';
import type { CitizenContext } from '../identity/index.ts';
import { DomainError, NotFoundError } from '../../platform/errors.ts';
import { qrSvg, type HolderLicence, type HolderLicenceSummary, type PublicLicence } from '../services/index.ts';
import { createGuard } from './guard.ts';
import { holderLicenceBody, malformedBody, unknownBody, verificationBody } from './pages/licence.ts';
import { PUBLIC_ROUTE, type Responder } from './respond.ts';
import type { PortalAccounts } from './routes.ts';
import { t } from './text.ts';

export type PortalLicences = {
  verify: (identifier: string) => Promise<PublicLicence | 'malformed' | undefined>;
  /** The signed-in person's licences and their enterprises' (audited). */
  mine: (ctx: CitizenContext) => Promise<HolderLicenceSummary[]>;
  /** One licence of theirs in full, or undefined when it is not theirs (audited). */
  get: (ctx: CitizenContext, id: string) => Promise<HolderLicence | undefined>;
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A machine asking: JSON named before (or instead of) HTML. */
function wantsJson(request: FastifyRequest): boolean {
  const accept = String(request.headers.accept ?? '').toLowerCase();
  const json = accept.indexOf('application/json');
  const html = accept.indexOf('text/html');
  return json >= 0 && (html < 0 || json < html);
}

class MalformedIdentifier extends DomainError {
  constructor() {
    super('malformed_identifier', 'This is not a valid licence identifier: its form or its check character is wrong.', '这不是有效的证照标识：格式或校验位有误。', [{ field: 'identifier', code: 'malformed_identifier', message: 'has a wrong form or check character', messageZh: '格式或校验位有误' }]);
  }
}

export function registerLicencePages(app: App, deps: { respond: Responder; accounts: PortalAccounts; licences: PortalLicences }): void {
  const { respond, licences } = deps;
  const { render, langOf, notFound } = respond;
  const { signedIn, viewerFor } = createGuard(respond, deps.accounts);

  app.get<{ Params: { identifier: string } }>('/licences/:identifier', { ...PUBLIC_ROUTE, config: { ...PUBLIC_ROUTE.config, rateLimit: { max: 120, timeWindow: '1 minute' } } }, async (request: FastifyRequest<{ Params: { identifier: string } }>, reply: FastifyReply) => {
    const identifier = request.params.identifier;
    const found = await licences.verify(identifier);
    if (wantsJson(request)) {
      reply.header('cache-control', 'no-cache');
      if (found === 'malformed') return sendProblem(reply, toProblem(new MalformedIdentifier(), request));
      if (!found) return sendProblem(reply, toProblem(new NotFoundError('licence', identifier.slice(0, 200), '证照'), request));
      return reply.send(found);
    }
    if (found === 'malformed') return render(request, reply, { status: 400, title: { zh: '证照标识有误', en: 'Invalid licence identifier' }, body: (lang) => malformedBody(lang, identifier) });
    if (!found) return render(request, reply, { status: 404, title: { zh: '找不到该证照', en: 'No such licence' }, body: (lang) => unknownBody(lang, identifier) });
    return render(request, reply, { title: { zh: `证照核验：${found.type.nameZh}`, en: `Verification: ${found.type.nameEn}` }, body: (lang) => verificationBody(lang, found) });
  });

  app.get<{ Params: { id: string } }>('/me/licences/:id', PUBLIC_ROUTE, async (request, reply) => {
    const ctx = await signedIn(request, reply);
    if (!ctx) return reply;
    const licence = UUID.test(request.params.id) ? await licences.get(ctx, request.params.id) : undefined;
    // Another's licence is answered as one that is not there: the page tells nothing of it.
    if (!licence) return notFound(request, reply);
    const lang = langOf(request);
    const qr = qrSvg(licence.verificationUrl, t(lang, { zh: '证照核验二维码', en: 'QR code to verify this licence' }));
    return render(request, reply, { lang, personal: true, viewer: await viewerFor(request, ctx), title: t(lang, { zh: licence.type.nameZh, en: licence.type.nameEn }), body: () => holderLicenceBody(lang, licence, qr) });
  });
}
