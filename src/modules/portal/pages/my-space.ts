// "My space": the signed-in person's own applications, licences, messages and enterprises, and
// who read their data. Only ever the viewer's own: every part is read for the session's account.
import type { HolderLicenceSummary } from '../../services/index.ts';
import { escapeHtml, say, t, when, type Lang, type Text } from '../text.ts';
import { licencesList } from './licence.ts';
import type { ServiceView } from '../../services/index.ts';
import { applicationsList, type PortalApplication } from './application.ts';

export type Account = { name: string; idNumberMasked: string; verified: boolean; verifiedAt: string | null; phone: string | null; email: string | null; totpEnabled: boolean };
export type Message = { id: string; subject: string; body: string; createdAt: string; readAt: string | null };
export type DataRead = { at: string | null; institution: string | null; application: string | null; reader: string | null; purpose: string | null; fields: string[] };
export type EnterpriseLink = { id: string; creditCode: string; name: string; role: 'legal_representative' | 'agent'; services: { serviceCode: string; expiresAt: string }[] };

export type MySpace = {
  account: Account;
  acting?: { name: string; creditCode: string };
  messages: { items: Message[]; total: number; unread: number };
  reads: DataRead[] | 'unavailable';
  enterprises: EnterpriseLink[];
  /** The person's licences and their enterprises' (services/licences). */
  licences?: HolderLicenceSummary[];
  /** The person's applications, newest first, with their services' guides (services/applications). */
  applications?: { items: PortalApplication[]; services: Map<string, ServiceView | undefined> };
  csrfToken: string;
};

const ROLE: Record<EnterpriseLink['role'], Text> = { legal_representative: { zh: '法定代表人', en: 'Legal representative' }, agent: { zh: '经办人', en: 'Agent' } };

function readsTable(lang: Lang, reads: DataRead[]): string {
  if (reads.length === 0) return `<p>${say(lang, { zh: '尚无人通过平台查看您的数据。', en: 'Nobody has read your data through the platform.' })}</p>`;
  const rows = reads
    .map((r) => `<tr><td>${escapeHtml(when(lang, r.at))}</td><td>${escapeHtml(r.institution ?? '')}</td><td>${escapeHtml(r.application ?? '')}</td><td>${escapeHtml(r.purpose ?? '')}</td><td>${escapeHtml(r.fields.join(', '))}</td></tr>`)
    .join('');
  return `<table><caption class="visually-hidden">${say(lang, { zh: '谁查看了我的数据', en: 'Who read my data' })}</caption><thead><tr><th scope="col">${say(lang, { zh: '时间', en: 'When' })}</th><th scope="col">${say(lang, { zh: '单位', en: 'Organization' })}</th><th scope="col">${say(lang, { zh: '系统', en: 'System' })}</th><th scope="col">${say(lang, { zh: '事由', en: 'Purpose' })}</th><th scope="col">${say(lang, { zh: '查看的项目', en: 'Fields seen' })}</th></tr></thead><tbody>${rows}</tbody></table>`;
}

export function readsSection(lang: Lang, reads: MySpace['reads'], limit?: number): string {
  const body =
    reads === 'unavailable'
      ? `<p class="notice">${say(lang, { zh: '暂时无法查询数据查看记录，请稍后再试。', en: 'The record of who read your data cannot be reached just now. Try again later.' })}</p>`
      : readsTable(lang, limit ? reads.slice(0, limit) : reads);
  const more = reads !== 'unavailable' && limit && reads.length > limit ? `<p><a href="/me/data-reads?lang=${lang}">${escapeHtml(t(lang, { zh: `查看全部 ${reads.length} 条`, en: `See all ${reads.length}` }))}</a></p>` : '';
  return `${body}${more}`;
}

export function messagesList(lang: Lang, messages: Message[], csrfToken: string): string {
  if (messages.length === 0) return `<p>${say(lang, { zh: '没有消息。', en: 'No messages.' })}</p>`;
  return `<ul class="results">${messages
    .map(
      (m) => `<li><strong>${m.readAt ? '' : `<span class="meta">${say(lang, { zh: '未读', en: 'Unread' })} · </span>`}${escapeHtml(m.subject)}</strong><p>${escapeHtml(m.body)}</p><p class="meta">${escapeHtml(when(lang, m.createdAt))}</p>${
        m.readAt ? '' : `<form method="post" action="/me/messages/${escapeHtml(m.id)}/read"><input type="hidden" name="csrf" value="${escapeHtml(csrfToken)}"><input type="hidden" name="lang" value="${lang}"><button type="submit">${say(lang, { zh: '标为已读', en: 'Mark as read' })}</button></form>`
      }</li>`,
    )
    .join('')}</ul>`;
}

function enterprisesSection(lang: Lang, s: MySpace, problem?: string): string {
  const list = s.enterprises.length
    ? `<ul class="results">${s.enterprises.map((e) => `<li>${e.role === 'legal_representative' ? `<a href="/me/enterprises/${escapeHtml(e.id)}?lang=${lang}">${escapeHtml(e.name)}</a>` : escapeHtml(e.name)} <span class="meta">${escapeHtml(e.creditCode)} · ${say(lang, ROLE[e.role])}${e.services.length ? ` · ${escapeHtml(e.services.map((x) => x.serviceCode).join(', '))}` : ''}</span></li>`).join('')}</ul>`
    : `<p>${say(lang, { zh: '您尚未关联企业。', en: 'You are not linked to any business yet.' })}</p>`;
  const error = problem ? `<p class="field-error" id="creditCode-error">${escapeHtml(problem)}</p>` : '';
  return `${list}
<form method="post" action="/me/enterprises" novalidate>
<input type="hidden" name="csrf" value="${escapeHtml(s.csrfToken)}"><input type="hidden" name="lang" value="${lang}">
<label for="creditCode">${say(lang, { zh: '登记我担任法定代表人的企业（统一社会信用代码）', en: 'Register a business you legally represent (unified social credit code)' })}</label>
${error}<input type="text" id="creditCode" name="creditCode" maxlength="18" autocomplete="off"${problem ? ' aria-invalid="true" aria-describedby="creditCode-error"' : ''}>
<p><button type="submit">${say(lang, { zh: '核验并登记', en: 'Verify and register' })}</button></p>
</form>`;
}

export function mySpaceBody(lang: Lang, s: MySpace, enterpriseProblem?: string): string {
  const acting = s.acting ? `<p class="notice">${escapeHtml(t(lang, { zh: `您正以“${s.acting.name}”（${s.acting.creditCode}）的身份办理。`, en: `You are acting for ${s.acting.name} (${s.acting.creditCode}).` }))}</p>` : '';
  const verified = s.account.verified
    ? escapeHtml(t(lang, { zh: `已通过实名核验（${when(lang, s.account.verifiedAt)}）`, en: `Real name verified (${when(lang, s.account.verifiedAt)})` }))
    : say(lang, { zh: '未实名核验', en: 'Real name not verified' });
  return `<h1>${say(lang, { zh: '我的空间', en: 'My space' })}</h1>
${acting}
<p>${escapeHtml(s.account.name)} · ${escapeHtml(s.account.idNumberMasked)} · ${verified} · <a href="/me/account?lang=${lang}">${say(lang, { zh: '账户与安全', en: 'Account and security' })}</a></p>
<h2 id="applications">${say(lang, { zh: '我的办件', en: 'My applications' })}</h2>
${s.applications ? applicationsList(lang, s.applications.items, s.applications.services, 5) : `<p>${say(lang, { zh: '您还没有提交过申请。', en: 'You have not applied for anything yet.' })}</p>`}
<h2 id="licences">${say(lang, { zh: '我的证照', en: 'My licences' })}</h2>
${licencesList(lang, s.licences ?? [])}
<h2 id="messages">${say(lang, { zh: '我的消息', en: 'My messages' })} <span class="meta">(${escapeHtml(t(lang, { zh: `${s.messages.unread} 条未读`, en: `${s.messages.unread} unread` }))})</span></h2>
${messagesList(lang, s.messages.items, s.csrfToken)}
${s.messages.total > s.messages.items.length ? `<p><a href="/me/messages?lang=${lang}">${escapeHtml(t(lang, { zh: `全部 ${s.messages.total} 条消息`, en: `All ${s.messages.total} messages` }))}</a></p>` : ''}
<h2 id="data-reads">${say(lang, { zh: '谁查看了我的数据', en: 'Who read my data' })}</h2>
<p class="hint">${say(lang, { zh: '各部门通过平台查看您在人口基础信息库中记录的情况：何时、哪个单位和系统、为什么、看了哪些项目。', en: 'When departments read your record in the population registry through the platform: when, which organization and system, why, and which fields.' })}</p>
${readsSection(lang, s.reads, 10)}
<h2 id="enterprises">${say(lang, { zh: '我的企业', en: 'My businesses' })}</h2>
${enterprisesSection(lang, s, enterpriseProblem)}`;
}
