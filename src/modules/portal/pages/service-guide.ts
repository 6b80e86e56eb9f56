// A service's guide (办事指南) as the portal shows it: who handles it and on what legal basis,
// the conditions, the materials (and which the platform fetches from the registries itself, so
// the applicant never uploads them), fees, the time limits in working days, visits in person,
// and the questions people ask.
import type { ServiceView } from '../../services/index.ts';
import { escapeHtml, say, t, type Lang, type Text } from '../text.ts';

const KIND: Record<string, Text> = {
  licence: { zh: '行政许可', en: 'Administrative licence' },
  confirmation: { zh: '行政确认', en: 'Administrative confirmation' },
  payment: { zh: '行政给付', en: 'Administrative payment' },
  public_service: { zh: '公共服务', en: 'Public service' },
};
const yuan = (fen: number) => (fen / 100).toFixed(2);

/** How to apply online, for a service that takes online applications: the form, or signing in first and coming back to it. */
function applySection(lang: Lang, apply: { href: string; signedIn: boolean }): string {
  const target = `${apply.href}?lang=${lang}`;
  const link = apply.signedIn
    ? `<a class="button" href="${escapeHtml(target)}">${say(lang, { zh: '在线申请', en: 'Apply online' })}</a>`
    : `<a class="button" href="${escapeHtml(`/api/citizen/oidc/start?${new URLSearchParams({ next: apply.href, lang })}`)}">${say(lang, { zh: '登录后在线申请', en: 'Sign in to apply online' })}</a>`;
  const note = apply.signedIn ? '' : `<p class="hint">${say(lang, { zh: '申请须先登录；登录后将回到申请表。', en: 'You need to sign in to apply; you come back to the form after signing in.' })}</p>`;
  return `<div class="notice" id="apply"><h2>${say(lang, { zh: '网上办理', en: 'Apply online' })}</h2><p>${say(lang, { zh: '本事项可以在网上申请：填写申请表、上传材料，并可随时查看办理进度。', en: 'You can apply for this online: fill in the form, upload the documents, and follow your application at any time.' })}</p>${note}<p>${link}</p></div>`;
}

export function serviceGuideBody(lang: Lang, s: ServiceView, jointNames: string[], apply?: { href: string; signedIn: boolean }): string {
  const zh = lang === 'zh-CN';
  const list = (items: { zh: string; en: string }[]) => `<ul>${items.map((i) => `<li>${escapeHtml(zh ? i.zh : i.en)}</li>`).join('')}</ul>`;
  const materials = s.materials.length
    ? `<table><caption class="visually-hidden">${say(lang, { zh: '申请材料', en: 'Documents' })}</caption><thead><tr><th scope="col">${say(lang, { zh: '材料', en: 'Document' })}</th><th scope="col">${say(lang, { zh: '是否必需', en: 'Required' })}</th><th scope="col">${say(lang, { zh: '说明', en: 'Notes' })}</th></tr></thead><tbody>${s.materials
        .map((m) => {
          const notes = [
            m.fetchable ? t(lang, { zh: '无需提交：平台从基础信息库调取，您确认即可', en: 'Not needed: the platform reads it from the registry and you confirm it' }) : '',
            m.templateUrl ? `<a href="${escapeHtml(m.templateUrl)}">${say(lang, { zh: '空白模板', en: 'Blank form' })}</a>` : '',
            m.sampleUrl ? `<a href="${escapeHtml(m.sampleUrl)}">${say(lang, { zh: '示例', en: 'Example' })}</a>` : '',
          ].filter(Boolean);
          return `<tr><td>${escapeHtml(zh ? m.nameZh : m.nameEn)}</td><td>${say(lang, m.required ? { zh: '必需', en: 'Yes' } : { zh: '视情况', en: 'If it applies' })}</td><td>${notes.map((n) => (n.startsWith('<a') ? n : escapeHtml(n))).join(' · ')}</td></tr>`;
        })
        .join('')}</tbody></table>`
    : `<p>${say(lang, { zh: '无需提交材料。', en: 'No documents are needed.' })}</p>`;
  const fees = s.fees.length
    ? `<ul>${s.fees.map((f) => `<li>${escapeHtml(zh ? f.itemZh : f.itemEn)}：¥${yuan(f.amountFen)}（${escapeHtml(zh ? f.basisZh : f.basisEn)}）</li>`).join('')}</ul>`
    : `<p>${say(lang, { zh: '不收费。', en: 'Free of charge.' })}</p>`;
  const faqs = s.faqs.length ? s.faqs.map((f) => `<h3>${escapeHtml(zh ? f.qZh : f.qEn)}</h3><p>${escapeHtml(zh ? f.aZh : f.aEn)}</p>`).join('') : `<p>${say(lang, { zh: '暂无。', en: 'None yet.' })}</p>`;
  const joint = jointNames.length ? `<p>${escapeHtml(t(lang, { zh: `联合办理：${jointNames.join('、')}`, en: `Handled jointly with: ${jointNames.join(', ')}` }))}</p>` : '';
  return `<p class="meta">${say(lang, KIND[s.kind] ?? KIND.public_service!)} · ${escapeHtml(s.code)}</p>
<h1>${escapeHtml(zh ? s.nameZh : s.nameEn)}</h1>
<p>${escapeHtml(zh ? s.summaryZh : s.summaryEn)}</p>
<table><tbody>
<tr><th scope="row">${say(lang, { zh: '实施机关', en: 'Handled by' })}</th><td>${escapeHtml(zh ? s.orgNameZh : s.orgNameEn)}</td></tr>
<tr><th scope="row">${say(lang, { zh: '法定办结时限', en: 'Statutory time limit' })}</th><td>${escapeHtml(t(lang, { zh: `${s.statutoryDays} 个工作日`, en: `${s.statutoryDays} working days` }))}</td></tr>
<tr><th scope="row">${say(lang, { zh: '承诺办结时限', en: 'We promise' })}</th><td>${escapeHtml(t(lang, { zh: `${s.promisedDays} 个工作日`, en: `${s.promisedDays} working days` }))}</td></tr>
<tr><th scope="row">${say(lang, { zh: '到现场次数', en: 'Visits in person' })}</th><td>${say(lang, s.visits === 0 ? { zh: '0 次（全程网办）', en: 'None: fully online' } : { zh: '最多 1 次', en: 'One at most' })}</td></tr>
</tbody></table>
${joint}
${apply ? applySection(lang, apply) : ''}
<h2>${say(lang, { zh: '设定依据', en: 'Legal basis' })}</h2>${list(s.legalBasis)}
<h2>${say(lang, { zh: '申请条件', en: 'Who can apply' })}</h2>${s.conditions.length ? list(s.conditions) : `<p>${say(lang, { zh: '无特别条件。', en: 'No particular conditions.' })}</p>`}
<h2>${say(lang, { zh: '申请材料', en: 'Documents' })}</h2>${materials}
<h2>${say(lang, { zh: '收费', en: 'Fees' })}</h2>${fees}
<h2>${say(lang, { zh: '常见问题', en: 'Questions people ask' })}</h2>${faqs}`;
}
