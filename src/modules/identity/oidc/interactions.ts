// The provider's interaction pages under /oidc/interaction/{uid}: sign-in (the password, then
// the TOTP code when the account has two-step sign-in on, or setting TOTP up when an
// administrator has none yet: staff-account.ts), whom to act for when the person may
// act for an enterprise and the client asks for the `enterprise` scope, and, when a relying
// party asks with prompt=consent, the consent question. Plain HTML forms; the provider's
// interaction cookie (SameSite=Lax, bound to the uid) is what makes a posted form genuine, so
// a form posted from another site finds no interaction.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type Provider from 'oidc-provider';
import type { Config } from '../../../config.ts';
import type { App } from '../../../http/server.ts';
import { DomainError, LockedError, ValidationError } from '../../../platform/errors.ts';
import type { AccountKind, AccountKinds, SignInMeta } from './accounts.ts';
import { subOf } from './accounts.ts';
import type { ClientService } from './client-service.ts';
import { pickLang, t, type Lang } from './language.ts';
import type { InteractionState } from './interaction-state.ts';
import { consentPage, loginPage, messagePage } from './pages.ts';
import { serviceParam, type ActAsResult } from './provider.ts';
import { totpEnrolmentOf } from './staff-account.ts';
import { actingPage, totpEnrolPage, totpPage } from './step-pages.ts';

type Form = Record<string, string | undefined>;
type Deps = { provider: () => Promise<Provider>; kinds: AccountKinds; clients: ClientService; config: Config; headers: Record<string, string>; state: InteractionState };

const UID = { type: 'object', properties: { uid: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' } }, required: ['uid'] } as const;

export function registerInteractionRoutes(app: App, deps: Deps): void {
  const { kinds, clients, state } = deps;
  const signInMeta = (request: FastifyRequest, clientId: string): SignInMeta => ({ ip: request.ip, userAgent: request.headers['user-agent'], requestId: String(request.id), via: `oidc:${clientId}` });
  const messageOf = (err: DomainError, lang: Lang) => {
    // A field's own words read better than the summary of a ValidationError.
    const field = err instanceof ValidationError ? err.errors[0] : undefined;
    if (field) return lang === 'en' ? `The code ${field.message}.` : `验证码${field.messageZh ?? field.message}。`;
    return lang === 'en' ? err.message : (err.messageZh ?? err.message);
  };
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

    /**
     * A form posted to a step: its language and the interaction, when the interaction is at
     * that step (`prompt`; with a signed-in session unless it is the sign-in itself). Otherwise
     * the reply is sent (the expired page, or back to the interaction's current page) and the
     * answer is undefined.
     */
    async function postedStep(request: FastifyRequest, reply: FastifyReply, prompt: 'login' | 'act_as' | 'consent' | undefined) {
      const form = (request.body ?? {}) as Form;
      const lang = langOf(request, form);
      const found = await details(request, reply, lang);
      if (!found) return undefined;
      const { provider, interaction } = found;
      const atStep = prompt === undefined || (interaction.prompt.name === prompt && (prompt === 'login' || Boolean(interaction.session?.accountId)));
      if (!atStep) {
        reply.code(303).redirect(base(interaction.uid), 303);
        return undefined;
      }
      return { form, lang, provider, interaction, uid: interaction.uid, clientId: String(interaction.params.client_id) };
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

    function renderTotp(reply: FastifyReply, status: number, p: { lang: Lang; uid: string; clientName: string; error?: { field: 'code'; message: string } }) {
      return html(reply, status, totpPage({ lang: p.lang, action: `${base(p.uid)}/totp`, abortAction: `${base(p.uid)}/abort`, switchHref: switchHref(p.uid, p.lang), clientName: p.clientName, error: p.error }));
    }

    /**
     * The second step after the password: the code, or, for an account that must set TOTP up
     * first, the setup page (its secret made anew right after the password, `fresh`).
     */
    async function renderSecondStep(request: FastifyRequest, reply: FastifyReply, status: number, p: { lang: Lang; uid: string; clientName: string; clientId: string; kind: AccountKind; id: string; fresh: boolean; error?: { field: 'code'; message: string } }) {
      const enrolment = totpEnrolmentOf(p.kind);
      if (enrolment && (await enrolment.needed(p.id))) {
        let shown: { secret: string; uri: string };
        try {
          shown = await enrolment.secret(p.id, signInMeta(request, p.clientId), p.fresh);
        } catch (err) {
          // Locked or deactivated meanwhile: the sign-in starts over at the password.
          if (!(err instanceof DomainError)) throw err;
          await state.dropPending(p.uid);
          return renderLogin(reply, err instanceof LockedError ? 423 : 401, { lang: p.lang, uid: p.uid, clientName: p.clientName, kind: p.kind.kind, error: { field: 'login', message: messageOf(err, p.lang) } });
        }
        const { secret, uri } = shown;
        return html(reply, status, totpEnrolPage({ lang: p.lang, action: `${base(p.uid)}/totp`, abortAction: `${base(p.uid)}/abort`, switchHref: switchHref(p.uid, p.lang), clientName: p.clientName, secret, uri, error: p.error }));
      }
      return renderTotp(reply, status, p);
    }

    function renderActing(reply: FastifyReply, status: number, p: { lang: Lang; uid: string; clientName: string; options: Awaited<ReturnType<typeof actingOptions>>; error?: { field: 'actor'; message: string } }) {
      return html(reply, status, actingPage({ lang: p.lang, action: `${base(p.uid)}/act`, abortAction: `${base(p.uid)}/abort`, switchHref: switchHref(p.uid, p.lang), clientName: p.clientName, options: p.options, error: p.error }));
    }

    /** The enterprises the signed-in person may act for, for the service the client named. */
    async function actingOptions(interaction: { session?: { accountId?: string }; params: Record<string, unknown> }) {
      const account = interaction.session?.accountId ? kinds.parse(interaction.session.accountId) : undefined;
      if (!account?.kind.actingOptions) return [];
      return account.kind.actingOptions(account.id, { service: serviceParam(interaction.params) });
    }

    /** The password was right: the sign-in is done, or the page asks for the code. */
    async function signedIn(request: FastifyRequest, reply: FastifyReply, provider: Provider, kind: AccountKind, accountId: string, amr: string[]) {
      return finish(request, reply, provider, { login: { accountId: subOf(kind, accountId), amr } });
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
        const pending = await state.findPending(uid);
        const pendingKind = pending && kinds.find(pending.kind);
        if (pending && pendingKind) return renderSecondStep(request, reply, 200, { lang, uid, clientName, clientId: String(interaction.params.client_id), kind: pendingKind, id: pending.id, fresh: false });
        const kind = typeof interaction.params.account_kind === 'string' ? interaction.params.account_kind : undefined;
        return renderLogin(reply, 200, { lang, uid, clientName, kind: kind && kinds.find(kind) ? kind : undefined, login: typeof interaction.params.login_hint === 'string' ? interaction.params.login_hint : '' });
      }
      if (interaction.prompt.name === 'act_as') return renderActing(reply, 200, { lang, uid, clientName, options: await actingOptions(interaction) });
      const scopes = String(interaction.params.scope ?? 'openid').split(' ');
      return html(reply, 200, consentPage({ lang, action: `${base(uid)}/confirm`, abortAction: `${base(uid)}/abort`, switchHref: switchHref(uid, lang), clientName, scopes }));
    });

    scope.post(
      '/oidc/interaction/:uid/login',
      { config: { auth: 'public', rateLimit: { max: deps.config.signInRateLimitPerMinute, timeWindow: '1 minute' } }, schema: { hide: true, params: UID } },
      async (request, reply) => {
        const step = await postedStep(request, reply, 'login');
        if (!step) return reply;
        const { form, lang, provider, uid, clientId } = step;
        const clientName = await clients.displayName(clientId, lang);
        const kind = kinds.find(String(form.kind ?? '')) ?? kinds.kinds[0];
        const login = String(form.login ?? '').trim().slice(0, 200);
        const password = String(form.password ?? '');
        const again = (status: number, field: 'login' | 'password', message: string) => renderLogin(reply, status, { lang, uid, clientName, kind: kind.kind, login, error: { field, message } });
        if (!login) return again(400, 'login', t(lang, { zh: `请输入${kind.loginLabel.zh}`, en: `Enter your ${kind.loginLabel.en.toLowerCase()}` }));
        if (!password) return again(400, 'password', t(lang, { zh: '请输入密码', en: 'Enter your password' }));
        let outcome: Awaited<ReturnType<AccountKind['authenticate']>>;
        try {
          outcome = await kind.authenticate(login, password, signInMeta(request, clientId));
        } catch (err) {
          if (!(err instanceof DomainError)) throw err;
          return again(err instanceof LockedError ? 423 : 401, err.code === 'invalid_credentials' ? 'password' : 'login', messageOf(err, lang));
        }
        if (typeof outcome === 'string') return signedIn(request, reply, provider, kind, outcome, ['pwd']);
        if (!kind.secondFactor) throw new Error(`The ${kind.kind} account kind asks for a second factor it cannot check`);
        // Whose password was right waits server-side, under this interaction, for the code.
        await state.savePending(uid, { kind: kind.kind, id: outcome.id });
        return renderSecondStep(request, reply, 200, { lang, uid, clientName, clientId, kind, id: outcome.id, fresh: true });
      },
    );

    scope.post(
      '/oidc/interaction/:uid/totp',
      { config: { auth: 'public', rateLimit: { max: deps.config.signInRateLimitPerMinute, timeWindow: '1 minute' } }, schema: { hide: true, params: UID } },
      async (request, reply) => {
        const step = await postedStep(request, reply, 'login');
        if (!step) return reply;
        const { form, lang, provider, uid, clientId } = step;
        const clientName = await clients.displayName(clientId, lang);
        const pending = await state.findPending(uid);
        const kind = pending && kinds.find(pending.kind);
        if (!pending || !kind?.secondFactor) {
          return renderLogin(reply, 400, { lang, uid, clientName, error: { field: 'password', message: t(lang, { zh: '验证码等待时间已过。请重新输入密码。', en: 'The time to enter the code has run out. Enter your password again.' }) } });
        }
        const again = { lang, uid, clientName, clientId, kind, id: pending.id, fresh: false };
        const code = String(form.code ?? '').replace(/\s/g, '');
        if (!/^\d{6}$/.test(code)) return renderSecondStep(request, reply, 400, { ...again, error: { field: 'code', message: t(lang, { zh: '请输入 6 位数字验证码', en: 'Enter the 6-digit code' }) } });
        const enrolment = totpEnrolmentOf(kind);
        const enrolling = enrolment !== undefined && (await enrolment.needed(pending.id));
        let accountId: string;
        try {
          accountId = enrolling ? await enrolment.confirm(pending.id, code, signInMeta(request, clientId)) : await kind.secondFactor(pending.id, code, signInMeta(request, clientId));
        } catch (err) {
          if (!(err instanceof DomainError)) throw err;
          if (err instanceof LockedError) {
            // Locked: the password step starts over once the lock ends.
            await state.dropPending(uid);
            return renderLogin(reply, 423, { lang, uid, clientName, kind: kind.kind, error: { field: 'login', message: messageOf(err, lang) } });
          }
          return renderSecondStep(request, reply, enrolling ? 400 : 401, { ...again, error: { field: 'code', message: messageOf(err, lang) } });
        }
        await state.dropPending(uid);
        return signedIn(request, reply, provider, kind, accountId, ['pwd', 'otp']);
      },
    );

    scope.post('/oidc/interaction/:uid/act', { config: { auth: 'public' }, schema: { hide: true, params: UID } }, async (request, reply) => {
      const step = await postedStep(request, reply, 'act_as');
      if (!step) return reply;
      const { form, lang, provider, interaction, uid, clientId } = step;
      const actor = String(form.actor ?? '');
      const service = serviceParam(interaction.params);
      const result: ActAsResult = { enterprise: null, ...(service ? { service } : {}) };
      if (actor !== 'self') {
        // Only an enterprise offered now: the choice is checked again here, not trusted from the form.
        const options = await actingOptions(interaction);
        const chosen = options.find((o) => o.id === actor);
        if (!chosen) {
          const clientName = await clients.displayName(clientId, lang);
          return renderActing(reply, 400, { lang, uid, clientName, options, error: { field: 'actor', message: t(lang, { zh: '请选择以个人身份办理，或选择下列企业之一', en: 'Choose to act as yourself or for one of the enterprises listed' }) } });
        }
        result.enterprise = chosen.id;
      }
      return finish(request, reply, provider, { act_as: result });
    });

    scope.post('/oidc/interaction/:uid/confirm', { config: { auth: 'public' }, schema: { hide: true, params: UID } }, async (request, reply) => {
      const step = await postedStep(request, reply, 'consent');
      if (!step) return reply;
      const { provider, interaction, clientId } = step;
      const accountId = interaction.session!.accountId;
      const grant = (interaction.grantId ? await provider.Grant.find(interaction.grantId) : undefined) ?? new provider.Grant({ accountId, clientId });
      grant.addOIDCScope(String(interaction.params.scope ?? 'openid'));
      const missingClaims = interaction.prompt.details.missingOIDCClaims;
      if (Array.isArray(missingClaims)) grant.addOIDCClaims(missingClaims as string[]);
      const grantId = await grant.save();
      return finish(request, reply, provider, { consent: { grantId } });
    });

    scope.post('/oidc/interaction/:uid/abort', { config: { auth: 'public' }, schema: { hide: true, params: UID } }, async (request, reply) => {
      const step = await postedStep(request, reply, undefined);
      if (!step) return reply;
      return finish(request, reply, step.provider, { error: 'access_denied', error_description: 'The user cancelled the sign-in.' });
    });
  });
}
