// Registration without JavaScript: one form, checked by the identity service (the ID number's
// checksum, the name against the population registry through the exchange, a strong password,
// a phone number or email no one else uses); every problem shown beside its field and listed
// at the top, the form kept as typed (never the password).
import { errorSummary, fieldError } from './form.ts';
import { escapeHtml, say, t, type Lang, type Text } from '../text.ts';

/** The registration form's fields, in order. */
export const REGISTER_FIELDS = ['name', 'idNumber', 'phone', 'email', 'password'];

export type RegisterForm = { idNumber: string; name: string; phone: string; email: string };
export const EMPTY_FORM: RegisterForm = { idNumber: '', name: '', phone: '', email: '' };

const FIELDS: { key: keyof RegisterForm | 'password'; label: Text; hint?: Text; type: string; autocomplete: string }[] = [
  { key: 'name', label: { zh: '姓名', en: 'Full name' }, hint: { zh: '与身份证一致', en: 'As on your ID card' }, type: 'text', autocomplete: 'name' },
  { key: 'idNumber', label: { zh: '公民身份号码', en: 'ID number' }, hint: { zh: '18 位，最后一位可以是 X', en: '18 characters; the last may be X' }, type: 'text', autocomplete: 'off' },
  { key: 'phone', label: { zh: '手机号码', en: 'Mobile phone number' }, hint: { zh: '手机号码和电子邮箱至少填写一项，用于接收验证码', en: 'Give a phone number or an email (or both): codes are sent there' }, type: 'tel', autocomplete: 'tel' },
  { key: 'email', label: { zh: '电子邮箱', en: 'Email' }, type: 'email', autocomplete: 'email' },
  { key: 'password', label: { zh: '密码', en: 'Password' }, hint: { zh: '至少 12 位，含字母和数字，不能包含身份证号码', en: 'At least 12 characters with letters and digits, not containing your ID number' }, type: 'password', autocomplete: 'new-password' },
];

export function registerBody(lang: Lang, form: RegisterForm, problems: Map<string, string>): string {
  const label = (key: string) => FIELDS.find((f) => f.key === key)!.label;
  const summary = errorSummary(lang, { zh: '注册未成功，请修改以下内容', en: 'There is a problem' }, problems, (field) => label(field), 'name');
  const inputs = FIELDS.map((f) => {
    const problem = problems.get(f.key);
    const described = [f.hint ? `${f.key}-hint` : '', problem ? `${f.key}-error` : ''].filter(Boolean).join(' ');
    const value = f.key === 'password' ? '' : escapeHtml(form[f.key]);
    return `<label for="${f.key}">${say(lang, f.label)}</label>
${f.hint ? `<p class="hint" id="${f.key}-hint">${say(lang, f.hint)}</p>` : ''}
${fieldError(lang, f.key, problem)}
<input type="${f.type}" id="${f.key}" name="${f.key}" value="${value}" autocomplete="${f.autocomplete}"${f.key === 'phone' || f.key === 'email' ? '' : ' required'}${described ? ` aria-describedby="${described}"` : ''}${problem ? ' aria-invalid="true"' : ''}>`;
  }).join('\n');
  return `<h1>${say(lang, { zh: '注册个人账户', en: 'Create a personal account' })}</h1>
<p>${say(lang, { zh: '我们会通过人口基础信息库核验您的姓名和身份证号码（实名认证）。核验记录会出现在“我的空间”的“谁查看了我的数据”中。', en: 'We check your name and ID number against the population registry (real-name verification). You will see that check in “Who read my data” in My space.' })}</p>
${summary}
<form method="post" action="/register" novalidate>
<input type="hidden" name="lang" value="${lang}">
${inputs}
<p><button type="submit">${say(lang, { zh: '注册并核验', en: 'Register and verify' })}</button></p>
</form>
<p>${say(lang, { zh: '已有账户？', en: 'Have an account already?' })} <a href="/password-reset?lang=${lang}">${say(lang, { zh: '忘记密码', en: 'Forgot your password' })}</a></p>`;
}

export function registeredBody(lang: Lang, name: string, maskedId: string): string {
  const signIn = `/api/citizen/oidc/start?${new URLSearchParams({ next: '/me', lang })}`;
  return `<div class="notice" role="status"><h1>${say(lang, { zh: '注册成功，已通过实名核验', en: 'Your account is ready and verified' })}</h1>
<p>${escapeHtml(t(lang, { zh: `${name}（${maskedId}）的身份已通过人口基础信息库核验。`, en: `${name} (${maskedId}) was verified against the population registry.` }))}</p></div>
<p><a class="button" href="${escapeHtml(signIn)}">${say(lang, { zh: '登录并进入我的空间', en: 'Sign in to My space' })}</a></p>`;
}
