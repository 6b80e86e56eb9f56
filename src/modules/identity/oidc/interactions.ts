// The provider's interaction pages under /oidc/interaction/{uid}: sign-in and, when a relying
// party asks with prompt=consent, the consent question. Plain HTML forms; the provider's
// interaction cookie (SameSite=Lax, bound to the uid) is what makes a posted form genuine, so
// a form posted from another site finds no interaction.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type Provider from 'oidc-provider';
import type { Config } from '../../../config.ts';
import type { App } from '../../../http/server.ts';
import { DomainError, LockedError } from '../../../platform/errors.ts';
import type { AccountKinds } from './accounts.ts';
import { subOf } from './accounts.ts';
import type { ClientService } from './client-service.ts';
import { pickLang, t, type Lang } from './language.ts';
import { consentPage, loginPage, messagePage } from './pages.ts';

type Form = Record<string, string | undefined>;
type Deps = { provider: () => Promise<Provider>; kinds: AccountKinds; clients: ClientService; config: Config; headers: Record<string, string> };

const UID = { type: 'object', properties: { uid: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' } }, required: ['uid'] } as const;

export function registerInteractionRoutes(app: App, deps: Deps): void {
  const { kinds, clients } = deps;
  app.register(async (scope) => {
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 16_384 }, (_request, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(String(body))));
    });
    const base = (uid: string) => `/oidc/interaction/${uid}`;
    const langOf = (request: FastifyRequest, form?: Form) => pickLang(form?.lang ?? (request.query as Form | undefined)?.lang, request.headers['accept-language']);
    const switchHref = (uid: string, lang: Lang) => `${base(uid)}?lang=${lang === 'en' ? 'zh-CN' : 'en'}`;

    function html(reply: FastifyReply, status: number, body: string) {
      return reply.code(status).headers(deps.headers).type('text/html; charset=utf-8').send(body);
    }

    /** The interaction behind the cookie, or a page saying the sign-in has to start again. */
    async function details(request: FastifyRequest, reply: FastifyReply, lang: Lang) {
      const provider = await deps.provider();
      try {
        const found = await provider.interactionDetails(request.raw, reply.raw);
        if (found.uid !== (request.params as { uid: string }).uid) throw new Error('uid mismatch');
        return { provider, interaction: found };
      } catch {
        html(reply, 400, messagePage(lang, t(lang, { zh: '登录已失效', en: 'This sign-in has expired' }), t(lang, { zh: '登录请求已过期或无效。请回到原来的系统重新登录。', en: 'The sign-in request has expired or is not valid. Go back to the system you came from and sign in again.' })));
        return undefined;
      }
    }

    async function finish(request: FastifyRequest, reply: FastifyReply, provider: Provider, result: Record<string, unknown>) {
      const returnTo = await provider.interactionResult(request.raw, reply.raw, result, { mergeWithLastSubmission: false });
      return reply.code(303).headers(deps.headers).redirect(returnTo, 303);
    }

    function renderLogin(reply: FastifyReply, status: number, p: { lang: Lang; uid: string; clientName: string; kind?: string; login?: string; error?: { field: 'login' | 'password'; message: string } }) {
      return html(
        reply,
        status,
        loginPage({
          lang: p.lang,
          action: `${base(p.uid)}/login`,
          abortAction: `${base(p.uid)}/abort`,
          switchHref: switchHref(p.uid, p.lang),
          clientName: p.clientName,
          kinds: kinds.kinds.map((k) => ({ kind: k.kind, label: t(p.lang, k.label), loginLabel: t(p.lang, k.loginLabel), autocomplete: k.loginAutocomplete })),
          selectedKind: p.kind ?? kinds.kinds[0].kind,
          login: p.login ?? '',
          error: p.error,
        }),
      );
    }

    scope.get('/oidc/interaction/:uid', { config: { auth: 'public' }, schema: { hide: true, params: UID } }, async (request, reply) => {
      const found = await details(request, reply, langOf(request));
      if (!found) return reply;
      const { interaction } = found;
      // The relying party's ui_locales (the workbench passes its own language) unless ?lang= chose.
      const uiLocale = String(interaction.params.ui_locales ?? '').split(' ')[0];
      const lang = pickLang((request.query as Form | undefined)?.lang ?? uiLocale, request.headers['accept-language']);
      const uid = interaction.uid;
      const clientName = await clients.displayName(String(interaction.params.client_id), lang);
      if (interaction.prompt.name === 'login') {
        return renderLogin(reply, 200, { lang, uid, clientName, login: typeof interaction.params.login_hint === 'string' ? interaction.params.login_hint : '' });
      }
      const scopes = String(interaction.params.scope ?? 'openid').split(' ');
      return html(reply, 200, consentPage({ lang, action: `${base(uid)}/confirm`, abortAction: `${base(uid)}/abort`, switchHref: switchHref(uid, lang), clientName, scopes }));
    });

    scope.post(
      '/oidc/interaction/:uid/login',
      { config: { auth: 'public', rateLimit: { max: deps.config.signInRateLimitPerMinute, timeWindow: '1 minute' } }, schema: { hide: true, params: UID } },
      async (request, reply) => {
        const form = (request.body ?? {}) as Form;
        const lang = langOf(request, form);
        const found = await details(request, reply, lang);
        if (!found) return reply;
        const { provider, interaction } = found;
        const uid = interaction.uid;
        const clientId = String(interaction.params.client_id);
        const clientName = await clients.displayName(clientId, lang);
        if (interaction.prompt.name !== 'login') return reply.code(303).redirect(base(uid), 303);
        const kind = kinds.find(String(form.kind ?? '')) ?? kinds.kinds[0];
        const login = String(form.login ?? '').trim().slice(0, 200);
        const password = String(form.password ?? '');
        const again = (status: number, field: 'login' | 'password', message: string) => renderLogin(reply, status, { lang, uid, clientName, kind: kind.kind, login, error: { field, message } });
        if (!login) return again(400, 'login', t(lang, { zh: `请输入${kind.loginLabel.zh}`, en: `Enter your ${kind.loginLabel.en.toLowerCase()}` }));
        if (!password) return again(400, 'password', t(lang, { zh: '请输入密码', en: 'Enter your password' }));
        let accountId: string;
        try {
          accountId = await kind.authenticate(login, password, { ip: request.ip, userAgent: request.headers['user-agent'], requestId: String(request.id), via: `oidc:${clientId}` });
        } catch (err) {
          if (!(err instanceof DomainError)) throw err;
          const message = lang === 'en' ? err.message : (err.messageZh ?? err.message);
          return again(err instanceof LockedError ? 423 : 401, err.code === 'invalid_credentials' ? 'password' : 'login', message);
        }
        return finish(request, reply, provider, { login: { accountId: subOf(kind, accountId), amr: ['pwd'] } });
      },
    );

    scope.post('/oidc/interaction/:uid/confirm', { config: { auth: 'public' }, schema: { hide: true, params: UID } }, async (request, reply) => {
      const lang = langOf(request, (request.body ?? {}) as Form);
      const found = await details(request, reply, lang);
      if (!found) return reply;
      const { provider, interaction } = found;
      if (interaction.prompt.name !== 'consent' || !interaction.session?.accountId) return reply.code(303).redirect(base(interaction.uid), 303);
      const clientId = String(interaction.params.client_id);
      const grant = (interaction.grantId ? await provider.Grant.find(interaction.grantId) : undefined) ?? new provider.Grant({ accountId: interaction.session.accountId, clientId });
      grant.addOIDCScope(String(interaction.params.scope ?? 'openid'));
      const missingClaims = interaction.prompt.details.missingOIDCClaims;
      if (Array.isArray(missingClaims)) grant.addOIDCClaims(missingClaims as string[]);
      const grantId = await grant.save();
      return finish(request, reply, provider, { consent: { grantId } });
    });

    scope.post('/oidc/interaction/:uid/abort', { config: { auth: 'public' }, schema: { hide: true, params: UID } }, async (request, reply) => {
      const lang = langOf(request, (request.body ?? {}) as Form);
      const found = await details(request, reply, lang);
      if (!found) return reply;
      return finish(request, reply, found.provider, { error: 'access_denied', error_description: 'The user cancelled the sign-in.' });
    });
  });
}
