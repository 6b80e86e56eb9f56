// The sign-in's later steps, server-rendered like the first (pages.ts): the TOTP code when
// the account has two-step sign-in on, setting it up when an administrator has none yet, and
// whom to act for when the person may act for an enterprise. Plain forms, no JavaScript; an error summary naming the field and linking to
// it; both languages.
import { t, type Lang } from './language.ts';
import { escapeHtml, layout } from './pages.ts';

type Common = { lang: Lang; action: string; abortAction: string; switchHref: string; clientName: string };

function errorParts(lang: Lang, heading: { zh: string; en: string }, error: { field: string; message: string } | undefined) {
  return {
    summary: error
      ? `<div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1">
<h2 id="error-summary-title">${t(lang, heading)}</h2>
<ul><li><a href="#${error.field}">${escapeHtml(error.message)}</a></li></ul>
</div>`
      : '',
    fieldError: (field: string) => (error?.field === field ? `<p class="field-error" id="${field}-error"><span class="visually-hidden">${t(lang, { zh: '错误：', en: 'Error: ' })}</span>${escapeHtml(error.message)}</p>` : ''),
    invalid: (field: string) => (error?.field === field ? ` aria-invalid="true" aria-describedby="${field}-error"` : ''),
  };
}

const cancel = (p: Common) => `<form method="post" action="${escapeHtml(p.abortAction)}">
<input type="hidden" name="lang" value="${p.lang}">
<button type="submit" class="secondary">${t(p.lang, { zh: '取消并返回', en: 'Cancel and go back' })}</button>
</form>`;

const titled = (lang: Lang, title: string, error: unknown) => (error ? `${t(lang, { zh: '错误', en: 'Error' })}: ${title}` : title);

/** The 6-digit code form of the TOTP step and of setting TOTP up: the hint and any error tied to the input. */
function codeForm(p: Common & { error?: { field: 'code'; message: string } }, parts: Pick<ReturnType<typeof errorParts>, 'fieldError' | 'invalid'>, button: { zh: string; en: string }, autofocus: boolean): string {
  const describedBy = p.error ? parts.invalid('code').replace('aria-describedby="code-error"', 'aria-describedby="code-hint code-error"') : ` aria-describedby="code-hint"${autofocus ? ' autofocus' : ''}`;
  return `<form method="post" action="${escapeHtml(p.action)}" novalidate>
<input type="hidden" name="lang" value="${p.lang}">
<label for="code">${t(p.lang, { zh: '验证码', en: 'Code' })}</label>
<p id="code-hint">${t(p.lang, { zh: '6 位数字，每 30 秒更新一次。', en: '6 digits; it changes every 30 seconds.' })}</p>
${parts.fieldError('code')}
<input type="text" id="code" name="code" inputmode="numeric" pattern="[0-9]*" maxlength="6" autocomplete="one-time-code" required${describedBy}>
<button type="submit">${t(p.lang, button)}</button>
</form>`;
}

export function totpPage(p: Common & { error?: { field: 'code'; message: string } }): string {
  const title = t(p.lang, { zh: '两步验证', en: 'Two-step sign-in' });
  const { summary, fieldError, invalid } = errorParts(p.lang, { zh: '验证未成功', en: 'The code was not accepted' }, p.error);
  const body = `<h1>${title}</h1>
<p>${escapeHtml(t(p.lang, { zh: `密码正确。请输入身份验证器应用当前显示的 6 位验证码，以继续使用“${p.clientName}”。`, en: `Your password is right. Enter the 6-digit code your authenticator app shows now to continue to “${p.clientName}”.` }))}</p>
${summary}
${codeForm(p, { fieldError, invalid }, { zh: '验证', en: 'Verify' }, true)}
${cancel(p)}`;
  return layout(p.lang, titled(p.lang, title, p.error), body, p.switchHref);
}

export type ActingChoice = { id: string; name: string; role: 'legal_representative' | 'agent' };

export function actingPage(p: Common & { options: ActingChoice[]; selected?: string; error?: { field: 'actor'; message: string } }): string {
  const title = t(p.lang, { zh: '选择办事身份', en: 'Choose who you act for' });
  const { summary, fieldError } = errorParts(p.lang, { zh: '请选择办事身份', en: 'Choose who you act for' }, p.error);
  const role = (r: ActingChoice['role']) => t(p.lang, r === 'legal_representative' ? { zh: '法定代表人', en: 'legal representative' } : { zh: '经办人', en: 'agent' });
  const radio = (value: string, label: string, first: boolean) =>
    `<p><label class="radio"><input type="radio" name="actor" value="${escapeHtml(value)}"${first ? ' id="actor"' : ''}${(p.selected ?? 'self') === value ? ' checked' : ''}> ${escapeHtml(label)}</label></p>`;
  const choices = [
    radio('self', t(p.lang, { zh: '以个人身份办理', en: 'Act as myself' }), true),
    ...p.options.map((o) => radio(o.id, t(p.lang, { zh: `代表“${o.name}”办理（${role(o.role)}，统一社会信用代码 ${o.id}）`, en: `Act for “${o.name}” (${role(o.role)}, credit code ${o.id})` }), false)),
  ].join('\n');
  const body = `<h1>${title}</h1>
<p>${escapeHtml(t(p.lang, { zh: `您可以代表企业办理。“${p.clientName}”将收到您选择的身份。`, en: `You may act for an enterprise. “${p.clientName}” will be told whom you chose to act for.` }))}</p>
${summary}
<form method="post" action="${escapeHtml(p.action)}" novalidate>
<input type="hidden" name="lang" value="${p.lang}">
<fieldset${p.error ? ' aria-describedby="actor-error"' : ''}><legend>${t(p.lang, { zh: '办事身份', en: 'Acting as' })}</legend>
${fieldError('actor')}
${choices}
</fieldset>
<button type="submit">${t(p.lang, { zh: '继续', en: 'Continue' })}</button>
</form>
${cancel(p)}`;
  return layout(p.lang, titled(p.lang, title, p.error), body, p.switchHref);
}

/** Base32 in groups of four, as authenticator apps show it, easier to read and type. */
const grouped = (secret: string) => secret.replace(/(.{4})(?=.)/g, '$1 ');

/**
 * Setting TOTP up during sign-in (administrators must have it): the secret and the otpauth://
 * URI as text (no QR library is among the dependencies; apps accept the secret typed in), and
 * the first code, which turns it on and finishes the sign-in.
 */
export function totpEnrolPage(p: Common & { secret: string; uri: string; error?: { field: 'code'; message: string } }): string {
  const title = t(p.lang, { zh: '设置两步验证', en: 'Set up two-step sign-in' });
  const { summary, fieldError, invalid } = errorParts(p.lang, { zh: '设置未完成', en: 'Two-step sign-in is not set up yet' }, p.error);
  const body = `<h1>${title}</h1>
<p>${escapeHtml(t(p.lang, { zh: `密码正确。管理员账户必须使用两步验证（等级保护三级要求），设置完成后才能继续使用“${p.clientName}”。`, en: `Your password is right. Administrator accounts must use two-step sign-in (level-3 protection); set it up to continue to “${p.clientName}”.` }))}</p>
${summary}
<ol>
<li>${t(p.lang, { zh: '在手机上打开身份验证器应用（如 FreeOTP、Google Authenticator、Microsoft Authenticator），选择手动输入密钥，输入下面的密钥：', en: 'Open an authenticator app on your phone (such as FreeOTP, Google Authenticator or Microsoft Authenticator), choose to enter a key by hand, and enter this key:' })}
<p><code id="totp-secret" class="secret">${escapeHtml(grouped(p.secret))}</code></p>
<p>${t(p.lang, { zh: '类型为“基于时间”，6 位数字，每 30 秒。若应用接受链接，也可使用：', en: 'It is time-based, 6 digits, every 30 seconds. If your app accepts a link, you can use this instead:' })}</p>
<p><code id="totp-uri" class="uri">${escapeHtml(p.uri)}</code></p></li>
<li>${t(p.lang, { zh: '输入应用显示的 6 位验证码，确认设置。', en: 'Enter the 6-digit code the app shows to confirm.' })}</li>
</ol>
<p>${t(p.lang, { zh: '请勿将密钥告诉他人。更换手机时，请在工作台“账户安全”中重新设置，或请安全管理员重置。', en: 'Keep the key to yourself. If you change phones, set it up again under Account security in the workbench, or ask the security administrator to reset it.' })}</p>
${codeForm(p, { fieldError, invalid }, { zh: '确认并继续', en: 'Confirm and continue' }, false)}
${cancel(p)}`;
  return layout(p.lang, titled(p.lang, title, p.error), body, p.switchHref);
}
