// Electronic licences on the portal: the public verification page (anyone with the identifier
// or the QR code: what the licence is, who issued it, whether it is valid, revoked or expired,
// and whether the issuer's seal verifies; the holder masked), and the holder's own pages in my
// space (the list, and a licence in full with the QR code of its verification address).
import type { HolderLicence, HolderLicenceSummary, LicenceStatus, PublicLicence, SealCheck } from '../../services/index.ts';
import { escapeHtml, say, t, when, type Lang, type Text } from '../text.ts';

const STATUS: Record<LicenceStatus, Text> = {
  valid: { zh: '有效', en: 'Valid' },
  revoked: { zh: '已注销', en: 'Revoked' },
  expired: { zh: '已过期', en: 'Expired' },
  not_yet_valid: { zh: '尚未生效', en: 'Not yet valid' },
};

const STATUS_SENTENCE: Record<LicenceStatus, Text> = {
  valid: { zh: '该证照有效。', en: 'This licence is valid.' },
  revoked: { zh: '该证照已被发证机关注销，不再有效。', en: 'The issuing organization has revoked this licence: it is no longer valid.' },
  expired: { zh: '该证照已超过有效期，不再有效。', en: 'This licence has expired: it is no longer valid.' },
  not_yet_valid: { zh: '该证照尚未到生效日期。', en: 'This licence is not valid yet: its validity has not begun.' },
};

export const statusName = (lang: Lang, status: LicenceStatus) => say(lang, STATUS[status]);

const validity = (lang: Lang, from: string, until: string | null) => escapeHtml(until ? `${from} — ${until}` : t(lang, { zh: `${from} 起长期有效`, en: `From ${from}, without end` }));

function sealSection(lang: Lang, seal: SealCheck): string {
  if (!seal.verifies) {
    const why = seal.reason ? t(lang, seal.reason) : '';
    return `<div class="error-summary" role="alert"><h2>${say(lang, { zh: '电子印章验证未通过', en: 'The seal does not verify' })}</h2><p>${escapeHtml(why)}</p><p>${say(lang, { zh: '请勿采信该证照，并向发证机关核实。', en: 'Do not rely on this licence; check with the issuing organization.' })}</p></div>`;
  }
  const at = seal.sealedAt ? when(lang, seal.sealedAt) : '';
  const proof = seal.timestamped ? say(lang, { zh: '（盖章时间由可信时间戳证明）', en: ' (the time is proven by a trusted timestamp)' }) : '';
  return `<div class="notice"><h2>${say(lang, { zh: '电子印章验证通过', en: 'The seal verifies' })}</h2><p>${escapeHtml(t(lang, { zh: `证照数据由发证机关以“${seal.sealName ?? ''}”盖章，盖章后未被改动；印章证书由本平台 CA 签发（证书序列号 ${seal.certificateSerial}）。盖章时间：${at}`, en: `The licence data were sealed by the issuing organization with “${seal.sealName ?? ''}” and have not changed since; the seal's certificate was issued by this platform's CA (serial ${seal.certificateSerial}). Sealed: ${at}` }))}${proof}</p></div>`;
}

const row = (th: string, td: string) => `<tr><th scope="row">${th}</th><td>${td}</td></tr>`;

/** The public verification page of one licence. */
export function verificationBody(lang: Lang, v: PublicLicence): string {
  const revoked = v.status === 'revoked' ? `<p>${escapeHtml(t(lang, { zh: `注销时间：${when(lang, v.revokedAt)}；原因：${v.revocationReason ?? ''}`, en: `Revoked on ${when(lang, v.revokedAt)}. Reason: ${v.revocationReason ?? ''}` }))}</p>` : '';
  const statusBox = `<div class="${v.status === 'valid' ? 'notice' : 'error-summary'}"><h2>${say(lang, { zh: '状态', en: 'Status' })}: ${statusName(lang, v.status)}</h2><p>${say(lang, STATUS_SENTENCE[v.status])}</p>${revoked}</div>`;
  const holderLabel = v.holder.kind === 'person' ? { zh: '持证人', en: 'Holder' } : { zh: '持证主体', en: 'Holder (enterprise)' };
  const idLabel = v.holder.kind === 'person' ? { zh: '身份证件号码', en: 'ID number' } : { zh: '统一社会信用代码', en: 'Unified social credit code' };
  const fields = v.fields.map((f) => row(escapeHtml(t(lang, { zh: f.labelZh, en: f.labelEn })), escapeHtml(f.value))).join('');
  const masked = v.holder.masked ? `<p class="hint">${say(lang, { zh: '为保护个人信息，持证人姓名和证件号码已部分隐藏。核对时请与持证人出示的证件比对。', en: "To protect personal data, the holder's name and ID number are partly hidden. Compare them with the ID the holder shows you." })}</p>` : '';
  return `<h1>${say(lang, { zh: '电子证照核验', en: 'Licence verification' })}</h1>
${statusBox}
${sealSection(lang, v.seal)}
<table><caption class="visually-hidden">${say(lang, { zh: '证照信息', en: 'The licence' })}</caption><tbody>
${row(say(lang, { zh: '证照名称', en: 'Licence' }), escapeHtml(t(lang, { zh: v.type.nameZh, en: v.type.nameEn })))}
${row(say(lang, { zh: '证照标识', en: 'Identifier' }), `<code>${escapeHtml(v.identifier)}</code>`)}
${row(say(lang, { zh: '发证机关', en: 'Issued by' }), `${escapeHtml(t(lang, { zh: v.issuer.nameZh, en: v.issuer.nameEn }))} <span class="meta">${escapeHtml(v.issuer.creditCode)}</span>`)}
${row(say(lang, { zh: '发证日期', en: 'Issued on' }), escapeHtml(when(lang, v.issuedAt)))}
${row(say(lang, { zh: '有效期', en: 'Valid' }), validity(lang, v.validFrom, v.validUntil))}
${row(say(lang, holderLabel), escapeHtml(v.holder.name))}
${row(say(lang, idLabel), escapeHtml(v.holder.id))}
${fields}
</tbody></table>
${masked}`;
}

/** A malformed identifier (wrong form or check character): 400. */
export function malformedBody(lang: Lang, identifier: string): string {
  return `<h1>${say(lang, { zh: '证照标识有误', en: 'This licence identifier is not valid' })}</h1>
<p>${say(lang, { zh: '该标识的格式或最后一位校验位不正确，可能输入或扫描有误。', en: 'Its form or its last character (the check character) is wrong: it may have been mistyped or misread.' })}</p>
<p><code>${escapeHtml(identifier.slice(0, 200))}</code></p>
<p>${say(lang, { zh: '请对照证照重新输入，或重新扫描证照上的二维码。证照标识形如 1.2.156.3005.2.（类型代码）.（发证机关代码）.（序号）.（版本）.（校验位）。', en: 'Type it again from the licence, or scan its QR code again. An identifier looks like 1.2.156.3005.2.(type).(issuer).(serial).(version).(check character).' })}</p>`;
}

/** A well-formed identifier no licence has: 404. */
export function unknownBody(lang: Lang, identifier: string): string {
  return `<h1>${say(lang, { zh: '找不到该证照', en: 'No such licence' })}</h1>
<p>${say(lang, { zh: '本平台没有以下标识的电子证照：', en: 'This platform has no electronic licence with the identifier' })}</p>
<p><code>${escapeHtml(identifier.slice(0, 200))}</code></p>
<p>${say(lang, { zh: '证照可能由其他平台签发，或标识有误。请向持证人或发证机关核实。', en: 'It may have been issued on another platform, or the identifier may be wrong. Check with the holder or the issuing organization.' })}</p>`;
}

/** The holder's list in my space. */
export function licencesList(lang: Lang, items: HolderLicenceSummary[]): string {
  if (items.length === 0) return `<p>${say(lang, { zh: '您还没有电子证照。', en: 'You have no electronic licences yet.' })}</p>`;
  return `<ul class="results">${items
    .map((l) => `<li><a href="/me/licences/${escapeHtml(l.id)}?lang=${lang}">${escapeHtml(t(lang, { zh: l.typeNameZh, en: l.typeNameEn }))}</a> <span class="meta">${statusName(lang, l.status)} · ${escapeHtml(l.holderName)} · ${escapeHtml(t(lang, { zh: l.issuerNameZh, en: l.issuerNameEn }))} · ${validity(lang, l.validFrom, l.validUntil)}</span></li>`)
    .join('')}</ul>`;
}

/** The holder's licence in full, with the QR code of its verification address. */
export function holderLicenceBody(lang: Lang, l: HolderLicence, qrSvg: string): string {
  const revoked = l.status === 'revoked' ? `<p>${escapeHtml(t(lang, { zh: `注销时间：${when(lang, l.revokedAt)}；原因：${l.revocationReason ?? ''}`, en: `Revoked on ${when(lang, l.revokedAt)}. Reason: ${l.revocationReason ?? ''}` }))}</p>` : '';
  const idLabel = l.holder.kind === 'person' ? { zh: '身份证件号码', en: 'ID number' } : { zh: '统一社会信用代码', en: 'Unified social credit code' };
  return `<p><a href="/me?lang=${lang}#licences">${say(lang, { zh: '我的证照', en: 'My licences' })}</a></p>
<h1>${escapeHtml(t(lang, { zh: l.type.nameZh, en: l.type.nameEn }))}</h1>
<div class="${l.status === 'valid' ? 'notice' : 'error-summary'}"><p><strong>${say(lang, { zh: '状态', en: 'Status' })}: ${statusName(lang, l.status)}</strong> — ${say(lang, STATUS_SENTENCE[l.status])}</p>${revoked}</div>
<table><caption class="visually-hidden">${say(lang, { zh: '证照信息', en: 'The licence' })}</caption><tbody>
${row(say(lang, { zh: '证照标识', en: 'Identifier' }), `<code>${escapeHtml(l.identifier)}</code>`)}
${row(say(lang, { zh: '持证主体', en: 'Holder' }), escapeHtml(l.holder.name))}
${row(say(lang, idLabel), escapeHtml(l.holder.idNumber))}
${row(say(lang, { zh: '发证机关', en: 'Issued by' }), `${escapeHtml(t(lang, { zh: l.issuer.nameZh, en: l.issuer.nameEn }))} <span class="meta">${escapeHtml(l.issuer.creditCode)}</span>`)}
${row(say(lang, { zh: '发证日期', en: 'Issued on' }), escapeHtml(when(lang, l.issuedAt)))}
${row(say(lang, { zh: '有效期', en: 'Valid' }), validity(lang, l.validFrom, l.validUntil))}
${l.fields.map((f) => row(escapeHtml(t(lang, { zh: f.labelZh, en: f.labelEn })), escapeHtml(f.value))).join('')}
</tbody></table>
${sealSection(lang, l.seal)}
<h2>${say(lang, { zh: '核验二维码', en: 'QR code for verification' })}</h2>
<p class="hint">${say(lang, { zh: '办事时出示此二维码，对方扫码即可在本平台核验证照的真伪和状态，无需提交纸质复印件。', en: 'Show this QR code when asked for the licence: scanning it opens the verification on this platform, so no paper copy is needed.' })}</p>
<figure>${qrSvg}<figcaption><a href="${escapeHtml(l.verificationUrl)}">${escapeHtml(l.verificationUrl)}</a></figcaption></figure>`;
}
