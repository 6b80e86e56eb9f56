// The provider's server-rendered pages (sign-in, consent, sign-out, errors) in zh-CN and en.
// Plain forms that work without JavaScript; labels, an error summary that names the field and
// links to it, the page's language on <html>, and a link to the other language.
import { escapeHtml } from '../../../platform/html.ts';
import type { Lang } from './language.ts';
import { t } from './language.ts';

export { escapeHtml };

const STYLE = `body{font-family:system-ui,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;margin:0;background:#f4f6f8;color:#1b1f24;line-height:1.5}
main{max-width:26rem;margin:2rem auto;background:#fff;padding:1.5rem 2rem;border:1px solid #d0d7de;border-radius:6px}
h1{font-size:1.5rem;margin:0 0 1rem}label,legend{display:block;font-weight:600;margin:.75rem 0 .25rem}
input[type=text],input[type=password],input[inputmode=numeric]{width:100%;box-sizing:border-box;font-size:1rem;padding:.5rem;border:2px solid #57606a;border-radius:4px}
input[aria-invalid=true]{border-color:#b3261e}:focus{outline:3px solid #0b5cad;outline-offset:2px}
button{font-size:1rem;padding:.55rem 1.2rem;margin:1rem .5rem 0 0;border-radius:4px;border:2px solid #0b5cad;background:#0b5cad;color:#fff;cursor:pointer}
button.secondary{background:#fff;color:#0b5cad}.error-summary{border:3px solid #b3261e;padding:.75rem 1rem;margin-bottom:1rem}
.error-summary h2{font-size:1.1rem;margin:0 0 .5rem;color:#b3261e}.field-error{color:#b3261e;font-weight:600;margin:.25rem 0}
.lang{text-align:right;margin:0 0 .5rem}a{color:#0b5cad}ul.scopes{padding-left:1.25rem}fieldset{border:0;padding:0;margin:0}
.radio{display:inline-flex;gap:.35rem;margin-right:1rem;font-weight:normal}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
code.secret{font-size:1.15rem;letter-spacing:.05em}code.uri{word-break:break-all}`;

const TITLE_SUFFIX = { zh: '统一身份认证', en: 'Unified sign-in' };

export function layout(lang: Lang, title: string, body: string, switchHref?: string): string {
  const other: Lang = lang === 'en' ? 'zh-CN' : 'en';
  const switchLink = switchHref
    ? `<p class="lang"><a href="${escapeHtml(switchHref)}" lang="${other}" hreflang="${other}">${other === 'en' ? 'English' : '中文'}</a></p>`
    : '';
  return `<!DOCTYPE html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} - ${t(lang, TITLE_SUFFIX)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${switchLink}
${body}
</main>
</body>
</html>`;
}

export type LoginPage = {
  lang: Lang;
  action: string;
  abortAction: string;
  switchHref: string;
  clientName: string;
  kinds: { kind: string; label: string; loginLabel: string; autocomplete: string }[];
  selectedKind: string;
  login: string;
  error?: { field: 'login' | 'password'; message: string };
};

export function loginPage(p: LoginPage): string {
  const title = t(p.lang, { zh: '登录', en: 'Sign in' });
  const kind = p.kinds.find((k) => k.kind === p.selectedKind) ?? p.kinds[0];
  const fieldError = (field: string) => (p.error?.field === field ? `<p class="field-error" id="${field}-error"><span class="visually-hidden">${t(p.lang, { zh: '错误：', en: 'Error: ' })}</span>${escapeHtml(p.error.message)}</p>` : '');
  const invalid = (field: string) => (p.error?.field === field ? ` aria-invalid="true" aria-describedby="${field}-error"` : '');
  const summary = p.error
    ? `<div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1">
<h2 id="error-summary-title">${t(p.lang, { zh: '登录未成功', en: 'You could not be signed in' })}</h2>
<ul><li><a href="#${p.error.field}">${escapeHtml(p.error.message)}</a></li></ul>
</div>`
    : '';
  // One kind of account needs no choice; with citizens there will be a choice of who signs in.
  const kindChoice =
    p.kinds.length > 1
      ? `<fieldset><legend>${t(p.lang, { zh: '账户类型', en: 'Account type' })}</legend>${p.kinds
          .map((k) => `<label class="radio"><input type="radio" name="kind" value="${escapeHtml(k.kind)}"${k.kind === kind.kind ? ' checked' : ''}> ${escapeHtml(k.label)}</label>`)
          .join('')}</fieldset>`
      : `<input type="hidden" name="kind" value="${escapeHtml(kind.kind)}">`;
  const loginLabel = p.kinds.length > 1 ? p.kinds.map((k) => k.loginLabel).join(t(p.lang, { zh: '或', en: ' or ' })) : kind.loginLabel;
  const body = `<h1>${title}</h1>
<p>${escapeHtml(t(p.lang, { zh: `登录后继续使用“${p.clientName}”。`, en: `Sign in to continue to “${p.clientName}”.` }))}</p>
${summary}
<form method="post" action="${escapeHtml(p.action)}" novalidate>
<input type="hidden" name="lang" value="${p.lang}">
${kindChoice}
<label for="login">${escapeHtml(loginLabel)}</label>
${fieldError('login')}
<input type="text" id="login" name="login" value="${escapeHtml(p.login)}" autocomplete="${escapeHtml(kind.autocomplete)}" autocapitalize="none" spellcheck="false" required${invalid('login')}${p.error ? '' : ' autofocus'}>
<label for="password">${t(p.lang, { zh: '密码', en: 'Password' })}</label>
${fieldError('password')}
<input type="password" id="password" name="password" autocomplete="current-password" required${invalid('password')}>
<button type="submit">${title}</button>
</form>
<form method="post" action="${escapeHtml(p.abortAction)}">
<input type="hidden" name="lang" value="${p.lang}">
<button type="submit" class="secondary">${t(p.lang, { zh: '取消并返回', en: 'Cancel and go back' })}</button>
</form>${
    // Citizens reset a forgotten password on the portal (a code to their phone or email); staff ask their administrator.
    p.kinds.some((k) => k.kind === 'citizen')
      ? `\n<p><a href="/password-reset?lang=${p.lang}">${t(p.lang, { zh: '忘记密码？', en: 'Forgot your password?' })}</a> <a href="/register?lang=${p.lang}">${t(p.lang, { zh: '注册个人账户', en: 'Create a personal account' })}</a></p>`
      : ''
  }`;
  return layout(p.lang, p.error ? `${t(p.lang, { zh: '错误', en: 'Error' })}: ${title}` : title, body, p.switchHref);
}

const SCOPE_WORDS: Record<string, { zh: string; en: string }> = {
  openid: { zh: '您的账户标识和账户类型', en: 'who you are and your type of account' },
  offline_access: { zh: '在您离开后继续访问（刷新令牌）', en: 'keep access while you are away (a refresh token)' },
  profile: { zh: '姓名和脱敏的身份证号码', en: 'your name and your masked ID number' },
  org: { zh: '所属单位和角色', en: 'your organization and roles' },
  enterprise: { zh: '所代表企业的名称和统一社会信用代码', en: 'the enterprise you act for and its credit code' },
  id_number: { zh: '完整的身份证号码', en: 'your full ID number' },
};

export type ConsentPage = { lang: Lang; action: string; abortAction: string; switchHref: string; clientName: string; scopes: string[] };

export function consentPage(p: ConsentPage): string {
  const title = t(p.lang, { zh: '授权确认', en: 'Allow access' });
  const items = p.scopes.map((s) => `<li>${escapeHtml(SCOPE_WORDS[s] ? t(p.lang, SCOPE_WORDS[s]) : s)}</li>`).join('');
  const body = `<h1>${title}</h1>
<p>${escapeHtml(t(p.lang, { zh: `“${p.clientName}”请求获得：`, en: `“${p.clientName}” asks for:` }))}</p>
<ul class="scopes">${items}</ul>
<form method="post" action="${escapeHtml(p.action)}">
<input type="hidden" name="lang" value="${p.lang}">
<button type="submit">${t(p.lang, { zh: '同意', en: 'Allow' })}</button>
</form>
<form method="post" action="${escapeHtml(p.abortAction)}">
<input type="hidden" name="lang" value="${p.lang}">
<button type="submit" class="secondary">${t(p.lang, { zh: '拒绝', en: 'Deny' })}</button>
</form>`;
  return layout(p.lang, title, body, p.switchHref);
}

export function messagePage(lang: Lang, title: string, message: string, switchHref?: string): string {
  return layout(lang, title, `<h1>${escapeHtml(title)}</h1>\n<p>${escapeHtml(message)}</p>`, switchHref);
}

/** The sign-out question: `form` is the provider's own form (with its CSRF state), submitted by our buttons. */
export function logoutPage(lang: Lang, form: string, clientName: string | undefined): string {
  const title = t(lang, { zh: '退出登录', en: 'Sign out' });
  const question = clientName
    ? t(lang, { zh: `“${clientName}”请求退出统一身份认证。是否退出？`, en: `“${clientName}” asks to sign you out of unified sign-in. Sign out?` })
    : t(lang, { zh: '是否退出统一身份认证？', en: 'Sign out of unified sign-in?' });
  const body = `<h1>${title}</h1>
<p>${escapeHtml(question)}</p>
${form}
<button type="submit" form="op.logoutForm" value="yes" name="logout">${t(lang, { zh: '退出', en: 'Sign out' })}</button>
<button type="submit" form="op.logoutForm" class="secondary">${t(lang, { zh: '保持登录', en: 'Stay signed in' })}</button>`;
  return layout(lang, title, body);
}
