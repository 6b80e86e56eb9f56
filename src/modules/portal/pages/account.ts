// The citizen's own account on the portal: resetting a forgotten password with a code sent to
// the account's phone or email, turning two-step sign-in on, and deleting the account (the
// law's record is kept). Plain forms; problems by field, as everywhere on the portal.
import { errorSummary, fieldError } from './form.ts';
import { escapeHtml, say, type Lang, type Text } from '../text.ts';

const LABELS: Record<string, Text> = {
  login: { zh: '身份证号、手机号或电子邮箱', en: 'ID number, mobile number or email' },
  code: { zh: '验证码', en: 'Code' },
  newPassword: { zh: '新密码', en: 'New password' },
  password: { zh: '当前密码', en: 'Your password' },
  totp: { zh: '动态口令（已开启两步登录时填写）', en: 'Authenticator code (if two-step sign-in is on)' },
};
const HINTS: Record<string, Text> = {
  code: { zh: '6 位数字，几分钟内有效', en: 'Six digits, valid for a few minutes' },
  newPassword: { zh: '至少 12 位，含字母和数字，不能包含身份证号码', en: 'At least 12 characters with letters and digits, not containing your ID number' },
};
export const RESET_FIELDS = ['login', 'code', 'newPassword'];
export const TOTP_FIELDS = ['code'];
export const DELETE_FIELDS = ['password', 'totp'];

type Problems = Map<string, string>;

function input(lang: Lang, field: string, p: { type?: string; value?: string; autocomplete?: string; problems: Problems; label?: Text }): string {
  const problem = p.problems.get(field);
  const described = [HINTS[field] ? `${field}-hint` : '', problem ? `${field}-error` : ''].filter(Boolean).join(' ');
  return `<label for="${field}">${say(lang, p.label ?? LABELS[field])}</label>${HINTS[field] ? `<p class="hint" id="${field}-hint">${say(lang, HINTS[field])}</p>` : ''}${fieldError(lang, field, problem)}<input type="${p.type ?? 'text'}" id="${field}" name="${field}" value="${escapeHtml(p.value ?? '')}" autocomplete="${p.autocomplete ?? 'off'}"${described ? ` aria-describedby="${described}"` : ''}${problem ? ' aria-invalid="true"' : ''}>`;
}

const summary = (lang: Lang, problems: Problems, first: string) => errorSummary(lang, { zh: '未能完成，请修改以下内容', en: 'There is a problem' }, problems, (f) => LABELS[f] ?? { zh: '', en: '' }, first);
const hidden = (lang: Lang, csrf?: string) => `<input type="hidden" name="lang" value="${lang}">${csrf ? `<input type="hidden" name="csrf" value="${escapeHtml(csrf)}">` : ''}`;

export function resetRequestBody(lang: Lang, login: string, problems: Problems): string {
  return `<h1>${say(lang, { zh: '找回密码', en: 'Reset your password' })}</h1>
<p>${say(lang, { zh: '我们会把验证码发送到您注册时留的手机或邮箱。', en: 'We send a code to the phone or email your account has.' })}</p>
${summary(lang, problems, 'login')}
<form method="post" action="/password-reset" novalidate>${hidden(lang)}
${input(lang, 'login', { value: login, autocomplete: 'username', problems })}
<p><button type="submit">${say(lang, { zh: '发送验证码', en: 'Send a code' })}</button></p>
</form>`;
}

export function resetConfirmBody(lang: Lang, login: string, problems: Problems): string {
  return `<h1>${say(lang, { zh: '设置新密码', en: 'Set a new password' })}</h1>
<p class="notice" role="status">${say(lang, { zh: '如该账号存在，验证码已发送至其手机或邮箱。', en: 'If an account has this login, a code was sent to its phone or email.' })}</p>
${summary(lang, problems, 'code')}
<form method="post" action="/password-reset/confirm" novalidate>${hidden(lang)}<input type="hidden" name="login" value="${escapeHtml(login)}">
${input(lang, 'code', { autocomplete: 'one-time-code', problems })}
${input(lang, 'newPassword', { type: 'password', autocomplete: 'new-password', problems })}
<p><button type="submit">${say(lang, { zh: '设置新密码', en: 'Set the new password' })}</button></p>
</form>
<p><a href="/password-reset?lang=${lang}">${say(lang, { zh: '没有收到？重新获取验证码', en: 'No code? Ask for a new one' })}</a></p>`;
}

export function resetDoneBody(lang: Lang): string {
  const signIn = `/api/citizen/oidc/start?${new URLSearchParams({ next: '/me', lang })}`;
  return `<div class="notice" role="status"><h1>${say(lang, { zh: '密码已更新', en: 'Your password is changed' })}</h1><p>${say(lang, { zh: '原有的登录已全部退出，请用新密码登录。', en: 'You are signed out everywhere; sign in with the new password.' })}</p></div>
<p><a class="button" href="${escapeHtml(signIn)}">${say(lang, { zh: '登录', en: 'Sign in' })}</a></p>`;
}

export type AccountView = { name: string; idNumberMasked: string; phone: string | null; email: string | null; totpEnabled: boolean };

export function accountBody(lang: Lang, a: AccountView, csrf: string, problems: Problems): string {
  const totp = a.totpEnabled
    ? `<p>${say(lang, { zh: '两步登录已开启：登录时还需输入身份验证器上的动态口令。', en: 'Two-step sign-in is on: signing in also asks for the code in your authenticator app.' })}</p>`
    : `<p>${say(lang, { zh: '两步登录未开启。开启后，登录时除密码外还需输入身份验证器应用上的动态口令。', en: 'Two-step sign-in is off. When on, signing in also asks for a code from an authenticator app.' })}</p>
<form method="post" action="/me/account/totp">${hidden(lang, csrf)}<button type="submit">${say(lang, { zh: '开启两步登录', en: 'Turn on two-step sign-in' })}</button></form>`;
  return `<p><a href="/me?lang=${lang}">${say(lang, { zh: '我的空间', en: 'My space' })}</a></p>
<h1>${say(lang, { zh: '账户与安全', en: 'Account and security' })}</h1>
<table><tbody>
<tr><th scope="row">${say(lang, { zh: '姓名', en: 'Name' })}</th><td>${escapeHtml(a.name)}</td></tr>
<tr><th scope="row">${say(lang, { zh: '公民身份号码', en: 'ID number' })}</th><td>${escapeHtml(a.idNumberMasked)}</td></tr>
<tr><th scope="row">${say(lang, { zh: '手机号码', en: 'Mobile' })}</th><td>${escapeHtml(a.phone ?? '—')}</td></tr>
<tr><th scope="row">${say(lang, { zh: '电子邮箱', en: 'Email' })}</th><td>${escapeHtml(a.email ?? '—')}</td></tr>
</tbody></table>
<h2 id="two-step">${say(lang, { zh: '两步登录', en: 'Two-step sign-in' })}</h2>
${totp}
<h2 id="delete">${say(lang, { zh: '注销账户', en: 'Delete your account' })}</h2>
<p>${say(lang, { zh: '注销后，您的姓名、证件号码、联系方式和密码将被删除；依法保留账户曾经存在、何时核验、何时注销的记录。您代表的企业和经办人授权一并终止。', en: 'Deleting erases your name, ID number, contacts and password; the record that the account existed, when it was verified and when it was deleted is kept, as the law requires. The businesses you represent and the agent authorizations end too.' })}</p>
${summary(lang, problems, 'password')}
<form method="post" action="/me/account/delete" novalidate>${hidden(lang, csrf)}
${input(lang, 'password', { type: 'password', autocomplete: 'current-password', problems })}
${a.totpEnabled ? input(lang, 'totp', { autocomplete: 'one-time-code', problems }) : ''}
<p><button type="submit">${say(lang, { zh: '注销账户', en: 'Delete my account' })}</button></p>
</form>`;
}

export function totpEnrolBody(lang: Lang, secret: string, uri: string, csrf: string, problems: Problems): string {
  return `<p><a href="/me/account?lang=${lang}">${say(lang, { zh: '账户与安全', en: 'Account and security' })}</a></p>
<h1>${say(lang, { zh: '开启两步登录', en: 'Turn on two-step sign-in' })}</h1>
<ol>
<li>${say(lang, { zh: '在身份验证器应用中添加账户，输入以下密钥（或在手机上打开下面的链接）：', en: 'In your authenticator app, add an account with this key (or open the link below on your phone):' })}
<p><code>${escapeHtml(secret.replace(/(.{4})/g, '$1 ').trim())}</code></p><p><a href="${escapeHtml(uri)}">${say(lang, { zh: '在身份验证器中打开', en: 'Open in an authenticator app' })}</a></p></li>
<li>${say(lang, { zh: '输入应用显示的 6 位动态口令以确认：', en: 'Enter the six-digit code it shows to confirm:' })}</li>
</ol>
${summary(lang, problems, 'code')}
<form method="post" action="/me/account/totp/confirm" novalidate>${hidden(lang, csrf)}<input type="hidden" name="secret" value="${escapeHtml(secret)}"><input type="hidden" name="uri" value="${escapeHtml(uri)}">
${input(lang, 'code', { autocomplete: 'one-time-code', problems, label: { zh: '动态口令', en: 'Code' } })}
<p><button type="submit">${say(lang, { zh: '确认开启', en: 'Confirm' })}</button></p>
</form>`;
}

export function deletedBody(lang: Lang): string {
  return `<div class="notice" role="status"><h1>${say(lang, { zh: '账户已注销', en: 'Your account is deleted' })}</h1><p>${say(lang, { zh: '您的个人信息已删除。', en: 'Your personal data is erased.' })}</p></div><p><a href="/?lang=${lang}">${say(lang, { zh: '返回首页', en: 'Go to the home page' })}</a></p>`;
}
