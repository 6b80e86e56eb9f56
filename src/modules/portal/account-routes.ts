// The citizen's account on the portal: a forgotten password reset by a code (public: the answer
// never says whether the account exists), and in my space the account page, turning two-step
// sign-in on, and deleting the account.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../../http/server.ts';
import { DomainError, type FieldError } from '../../platform/errors.ts';
import { createGuard } from './guard.ts';
import { accountBody, deletedBody, DELETE_FIELDS, resetConfirmBody, resetDoneBody, RESET_FIELDS, resetRequestBody, TOTP_FIELDS, totpEnrolBody } from './pages/account.ts';
import { fieldProblems } from './pages/form.ts';
import { FORM_ROUTE, formOf, metaOf, one, PUBLIC_ROUTE, type Responder } from './respond.ts';
import type { PortalAccounts } from './routes.ts';
import type { Lang } from './text.ts';

type Deps = { respond: Responder; accounts: PortalAccounts };

const problemsOf = (lang: Lang, err: DomainError, fields: string[]) => fieldProblems(lang, err.errors ?? ([{ field: 'form', code: err.code, message: err.message, messageZh: err.messageZh }] satisfies FieldError[]), fields);
const statusOf = (err: DomainError) => (err.errors ? 400 : err.code === 'account_locked' ? 423 : err.code.startsWith('rate') ? 429 : 401);

export function registerAccountRoutes(app: App, deps: Deps): void {
  const { respond, accounts } = deps;
  const { render, langOf } = respond;
  const { signedIn, viewerFor } = createGuard(respond, accounts);

  // ——— a forgotten password ———
  app.get('/password-reset', PUBLIC_ROUTE, (request, reply) => render(request, reply, { title: { zh: '找回密码', en: 'Reset your password' }, body: (lang) => resetRequestBody(lang, '', new Map()) }));

  app.post('/password-reset', FORM_ROUTE, async (request, reply) => {
    const form = formOf(request);
    const lang = langOf(request, form);
    const login = one(form.login).trim().slice(0, 254);
    if (!login) return render(request, reply, { lang, status: 400, title: { zh: '错误：找回密码', en: 'Error: Reset your password' }, body: () => resetRequestBody(lang, '', new Map([['login', lang === 'en' ? 'Enter your ID number, mobile number or email' : '请填写身份证号、手机号或电子邮箱']])) });
    await accounts.requestReset(login, metaOf(request));
    return render(request, reply, { lang, status: 202, title: { zh: '设置新密码', en: 'Set a new password' }, body: () => resetConfirmBody(lang, login, new Map()) });
  });

  app.post('/password-reset/confirm', FORM_ROUTE, async (request, reply) => {
    const form = formOf(request);
    const lang = langOf(request, form);
    const login = one(form.login).trim().slice(0, 254);
    try {
      await accounts.confirmReset(login, one(form.code).slice(0, 16), one(form.newPassword).slice(0, 200), metaOf(request));
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      return render(request, reply, { lang, status: statusOf(err), title: { zh: '错误：设置新密码', en: 'Error: Set a new password' }, body: () => resetConfirmBody(lang, login, problemsOf(lang, err, RESET_FIELDS)) });
    }
    return render(request, reply, { lang, title: { zh: '密码已更新', en: 'Password changed' }, body: () => resetDoneBody(lang) });
  });

  // ——— my account ———
  async function accountPage(request: FastifyRequest, reply: FastifyReply, ctx: Parameters<PortalAccounts['account']>[0], status = 200, problems = new Map<string, string>()) {
    const lang = langOf(request, formOf(request));
    const account = await accounts.account(ctx);
    return render(request, reply, { lang, status, personal: true, viewer: await viewerFor(request, ctx), title: { zh: '账户与安全', en: 'Account and security' }, body: () => accountBody(lang, account, ctx.csrfToken, problems) });
  }

  app.get('/me/account', PUBLIC_ROUTE, async (request, reply) => {
    const ctx = await signedIn(request, reply);
    return ctx ? accountPage(request, reply, ctx) : reply;
  });

  app.post('/me/account/totp', FORM_ROUTE, async (request, reply) => {
    const form = formOf(request);
    const ctx = await signedIn(request, reply, one(form.csrf));
    if (!ctx) return reply;
    const lang = langOf(request, form);
    const { secret, uri } = await accounts.enrolTotp(ctx);
    return render(request, reply, { lang, personal: true, viewer: await viewerFor(request, ctx), title: { zh: '开启两步登录', en: 'Turn on two-step sign-in' }, body: () => totpEnrolBody(lang, secret, uri, ctx.csrfToken, new Map()) });
  });

  app.post('/me/account/totp/confirm', FORM_ROUTE, async (request, reply) => {
    const form = formOf(request);
    const ctx = await signedIn(request, reply, one(form.csrf));
    if (!ctx) return reply;
    const lang = langOf(request, form);
    try {
      await accounts.confirmTotp(ctx, one(form.code).trim().slice(0, 16));
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      // The key stays the one just added to the app: shown again from the form, checked against the pending one kept on the server.
      const secret = one(form.secret).slice(0, 128);
      const uri = one(form.uri).startsWith('otpauth://') ? one(form.uri).slice(0, 1000) : '';
      return render(request, reply, { lang, status: 400, personal: true, viewer: await viewerFor(request, ctx), title: { zh: '错误：开启两步登录', en: 'Error: Turn on two-step sign-in' }, body: () => totpEnrolBody(lang, secret, uri, ctx.csrfToken, problemsOf(lang, err, TOTP_FIELDS)) });
    }
    return reply.redirect(`/me/account?lang=${lang}#two-step`, 303);
  });

  app.post('/me/account/delete', FORM_ROUTE, async (request, reply) => {
    const form = formOf(request);
    const ctx = await signedIn(request, reply, one(form.csrf));
    if (!ctx) return reply;
    const lang = langOf(request, form);
    const totp = one(form.totp).trim();
    try {
      await accounts.deleteAccount(ctx, one(form.password).slice(0, 200), totp ? totp.slice(0, 16) : undefined);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      return accountPage(request, reply, ctx, statusOf(err), problemsOf(lang, err, DELETE_FIELDS));
    }
    reply.header('set-cookie', accounts.signedOutCookies());
    return render(request, reply, { lang, personal: true, viewer: { signedIn: false }, title: { zh: '账户已注销', en: 'Account deleted' }, body: () => deletedBody(lang) });
  });
}
