// An enterprise's page in my space, for its legal representative: who may act for it, in which
// service and until when; a form to authorize a registered citizen, and a button to revoke.
import { errorSummary, fieldError } from './form.ts';
import type { EnterpriseLink } from './my-space.ts';
import { escapeHtml, say, when, type Lang, type Text } from '../text.ts';

export type AgentLink = { id: string; agentName: string; serviceCode: string; grantedAt: string; expiresAt: string; state: 'active' | 'expired' | 'revoked' };

export const AGENT_FIELDS = ['agentName', 'agentIdNumber', 'serviceCode', 'expiresOn'];

const LABELS: Record<string, Text> = {
  agentName: { zh: '经办人姓名', en: "Agent's full name" },
  agentIdNumber: { zh: '经办人公民身份号码', en: "Agent's ID number" },
  serviceCode: { zh: '授权办理的事项编码', en: 'Code of the service they may act in' },
  expiresOn: { zh: '授权截止日期（含当日）', en: 'Last day of the authorization' },
};
const HINTS: Record<string, Text> = {
  agentName: { zh: '经办人须已注册并通过实名核验', en: 'The agent must have a registered, verified account' },
  serviceCode: { zh: '如 amr.business-registration', en: 'For example amr.business-registration' },
  expiresOn: { zh: '格式：2027-06-30，最长三年', en: 'As 2027-06-30; at most three years ahead' },
};
const STATE: Record<AgentLink['state'], Text> = { active: { zh: '有效', en: 'Active' }, expired: { zh: '已到期', en: 'Expired' }, revoked: { zh: '已撤销', en: 'Revoked' } };

export type EnterprisePage = { enterprise: EnterpriseLink; agents: AgentLink[]; csrfToken: string; problems: Map<string, string>; typed: Record<string, string> };

export function enterpriseBody(lang: Lang, p: EnterprisePage): string {
  const csrf = `<input type="hidden" name="csrf" value="${escapeHtml(p.csrfToken)}"><input type="hidden" name="lang" value="${lang}">`;
  const rows = p.agents
    .map(
      (a) => `<tr><td>${escapeHtml(a.agentName)}</td><td>${escapeHtml(a.serviceCode)}</td><td>${escapeHtml(when(lang, a.expiresAt))}</td><td>${say(lang, STATE[a.state])}</td><td>${
        a.state === 'active'
          ? `<form method="post" action="/me/enterprises/${escapeHtml(p.enterprise.id)}/agents/${escapeHtml(a.id)}/revoke">${csrf}<button type="submit" aria-label="${escapeHtml(`${lang === 'en' ? 'Revoke' : '撤销'} ${a.agentName} ${a.serviceCode}`)}">${say(lang, { zh: '撤销', en: 'Revoke' })}</button></form>`
          : ''
      }</td></tr>`,
    )
    .join('');
  const table = p.agents.length
    ? `<table><caption class="visually-hidden">${say(lang, { zh: '经办人', en: 'Agents' })}</caption><thead><tr><th scope="col">${say(lang, { zh: '经办人', en: 'Agent' })}</th><th scope="col">${say(lang, { zh: '事项', en: 'Service' })}</th><th scope="col">${say(lang, { zh: '截止', en: 'Until' })}</th><th scope="col">${say(lang, { zh: '状态', en: 'State' })}</th><th scope="col">${say(lang, { zh: '操作', en: 'Action' })}</th></tr></thead><tbody>${rows}</tbody></table>`
    : `<p>${say(lang, { zh: '尚未授权经办人。', en: 'No agents yet.' })}</p>`;
  const input = (field: string, type = 'text') => {
    const problem = p.problems.get(field);
    const described = [HINTS[field] ? `${field}-hint` : '', problem ? `${field}-error` : ''].filter(Boolean).join(' ');
    return `<label for="${field}">${say(lang, LABELS[field])}</label>${HINTS[field] ? `<p class="hint" id="${field}-hint">${say(lang, HINTS[field])}</p>` : ''}${fieldError(lang, field, problem)}<input type="${type}" id="${field}" name="${field}" value="${escapeHtml(p.typed[field] ?? '')}" autocomplete="off"${described ? ` aria-describedby="${described}"` : ''}${problem ? ' aria-invalid="true"' : ''}>`;
  };
  return `<p><a href="/me?lang=${lang}#enterprises">${say(lang, { zh: '我的空间', en: 'My space' })}</a></p>
<h1>${escapeHtml(p.enterprise.name)}</h1>
<p class="meta">${escapeHtml(p.enterprise.creditCode)} · ${say(lang, { zh: '您是法定代表人', en: 'You are its legal representative' })}</p>
<h2 id="agents">${say(lang, { zh: '经办人', en: 'Agents' })}</h2>
${table}
<h2>${say(lang, { zh: '授权经办人', en: 'Authorize an agent' })}</h2>
${errorSummary(lang, { zh: '授权未成功，请修改以下内容', en: 'There is a problem' }, p.problems, (f) => LABELS[f] ?? { zh: '', en: '' }, 'agentName')}
<form method="post" action="/me/enterprises/${escapeHtml(p.enterprise.id)}/agents" novalidate>
${csrf}
${input('agentName')}
${input('agentIdNumber')}
${input('serviceCode')}
${input('expiresOn', 'date')}
<p><button type="submit">${say(lang, { zh: '授权', en: 'Authorize' })}</button></p>
</form>`;
}
