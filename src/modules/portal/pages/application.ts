// An applicant's applications on the portal: the list in my space, one application's page
// (where it stands, what is asked of them, the decision, the history in plain words), the
// confirmation after submitting, the dated receipt (回执) to print, and the withdrawal's
// confirmation. Only ever the viewer's own: the routes read them for the session's account.
import type { FormDefinition, ServiceView } from '../../services/index.ts';
import { fieldError } from './form.ts';
import { ALLOWED_FILES, fieldId, fieldInput, fileName, materialId, problemSummary, rawValue, shownValue, size, type RawValues } from './apply-form.ts';
import { escapeHtml, say, t, when, type Lang, type Text } from '../text.ts';

export type HistoryLine = { at: string; type: string; actor: { kind: string; id: string | null; name: string }; detail: Record<string, unknown> };
export type MaterialFile = { id: string; materialKey: string; fileName: string; mediaType: string; size: number; sha256: string; uploadedAt: string };
export type SupplementItem = { materialKey?: string; field?: string; zh: string; en: string };

/** An application as its applicant sees it (the application service's applicant view). */
export type PortalApplication = {
  id: string;
  number: string;
  serviceCode: string;
  status: string;
  statusZh: string;
  statusEn: string;
  applicantName: string;
  enterprise: { creditCode: string; name: string } | null;
  formData: Record<string, unknown>;
  submittedAt: string | null;
  acceptanceDue: string | null;
  acceptedOn: string | null;
  deemedAccepted: boolean;
  acceptance: Record<string, unknown> | null;
  supplement: Record<string, unknown> | null;
  clock: { dueDate: string | null; statutoryDays: number; warning: string; extended: boolean } | null;
  decision: 'approve' | 'deny' | null;
  decisionReasons: string[];
  decidedAt: string | null;
  licenceId: string | null;
  rating: 'good' | 'poor' | null;
  ratingReason: string | null;
  files: MaterialFile[];
  history: HistoryLine[];
  version: number;
  createdAt: string;
  updatedAt: string;
};

const OPEN = new Set(['draft', 'submitted', 'supplement_requested', 'in_review']);
const DECIDED = new Set(['approved', 'denied', 'not_accepted']);
export const mayWithdraw = (a: PortalApplication) => OPEN.has(a.status);
export const mayRate = (a: PortalApplication) => DECIDED.has(a.status) && !a.rating;

/** The history's events in plain words; an officer's review step is shown without its detail. */
const EVENTS: Record<string, Text> = {
  draft: { zh: '保存为草稿', en: 'Saved as a draft' },
  draft_change: { zh: '修改草稿', en: 'Draft changed' },
  submit: { zh: '提交申请', en: 'Application submitted' },
  supplement_request: { zh: '通知补正材料', en: 'Asked for more documents or corrections' },
  supplement_answer: { zh: '提交补正材料', en: 'Corrections and documents sent' },
  accept: { zh: '受理', en: 'Accepted' },
  deemed_accept: { zh: '受理期限届满，视为受理', en: 'Counted as accepted: the department did not decide in time' },
  not_accept: { zh: '不予受理', en: 'Not accepted' },
  review_step: { zh: '完成一个审查环节', en: 'A review step was completed' },
  approve: { zh: '准予许可', en: 'Approved' },
  deny: { zh: '不予许可', en: 'Refused' },
  extend: { zh: '办理期限经批准延长', en: 'The decision period was extended' },
  suspend: { zh: '暂停计时（听证、检测或专家评审等）', en: 'The clock was stopped (for a hearing, testing or expert review)' },
  resume: { zh: '恢复计时', en: 'The clock started again' },
  withdraw: { zh: '撤回申请', en: 'Withdrawn' },
  rate: { zh: '评价服务', en: 'Service rated' },
  decision_overdue: { zh: '办理期限届满', en: 'The decision period ended' },
  message: { zh: '办理机关留言', en: 'A message from the department' },
  joint_step: { zh: '联办部门完成审查环节', en: 'A joint department completed its review step' },
};

const ACTOR: Record<string, Text> = { citizen: { zh: '申请人', en: 'You' }, staff: { zh: '办理机关', en: 'The department' }, system: { zh: '平台', en: 'The platform' } };

/** A civil date (YYYY-MM-DD) as people read it. */
export function day(lang: Lang, date: string | null | undefined): string {
  if (!date) return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(date);
  if (!m) return date;
  return lang === 'en' ? new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${m[1]}-${m[2]}-${m[3]}T00:00:00Z`)) : `${Number(m[1])}年${Number(m[2])}月${Number(m[3])}日`;
}

function eventDetail(lang: Lang, h: HistoryLine): string {
  const d = h.detail;
  const due = typeof d.dueDate === 'string' ? d.dueDate : undefined;
  switch (h.type) {
    case 'submit':
      return typeof d.acceptanceDue === 'string' ? t(lang, { zh: `受理决定期限：${day(lang, d.acceptanceDue)}`, en: `Acceptance decision due by ${day(lang, d.acceptanceDue)}` }) : '';
    case 'accept':
    case 'deemed_accept':
    case 'extend':
    case 'resume':
      return due ? t(lang, { zh: `办结期限：${day(lang, due)}`, en: `Decision due by ${day(lang, due)}` }) : '';
    case 'message':
      return typeof d.text === 'string' ? d.text : '';
    case 'rate':
      return d.rating === 'poor' ? t(lang, { zh: '不满意', en: 'Poor' }) : d.rating === 'good' ? t(lang, { zh: '满意', en: 'Good' }) : '';
    default:
      return '';
  }
}

export function timeline(lang: Lang, history: HistoryLine[]): string {
  if (!history.length) return '';
  const items = history
    .map((h) => {
      const what = EVENTS[h.type] ? t(lang, EVENTS[h.type]) : h.type;
      const detail = eventDetail(lang, h);
      return `<li><span class="meta">${escapeHtml(when(lang, h.at))} · ${say(lang, ACTOR[h.actor.kind] ?? ACTOR.system)}</span><br>${escapeHtml(what)}${detail ? ` — ${escapeHtml(detail)}` : ''}</li>`;
    })
    .join('');
  return `<h2 id="history">${say(lang, { zh: '办理过程', en: 'What has happened' })}</h2><ol class="timeline">${items}</ol>`;
}

const serviceName = (lang: Lang, service: ServiceView | undefined, code: string) => (service ? t(lang, { zh: service.nameZh, en: service.nameEn }) : code);
const statusWords = (lang: Lang, a: PortalApplication) => t(lang, { zh: a.statusZh, en: a.statusEn });

export function applicationsList(lang: Lang, items: PortalApplication[], services: Map<string, ServiceView | undefined>, limit?: number): string {
  if (items.length === 0) return `<p>${say(lang, { zh: '您还没有提交过申请。可在办事指南页面“在线申请”。', en: 'You have not applied for anything yet. Apply online from a service’s guide.' })}</p>`;
  const shown = limit ? items.slice(0, limit) : items;
  const rows = shown
    .map((a) => {
      const name = serviceName(lang, services.get(a.serviceCode), a.serviceCode);
      return `<tr><td><a href="/me/applications/${escapeHtml(a.id)}?lang=${lang}">${escapeHtml(name)}</a>${a.enterprise ? `<br><span class="meta">${escapeHtml(a.enterprise.name)}</span>` : ''}</td><td>${escapeHtml(a.number)}</td><td><strong>${escapeHtml(statusWords(lang, a))}</strong></td><td>${escapeHtml(when(lang, a.submittedAt ?? a.updatedAt))}</td></tr>`;
    })
    .join('');
  const more = limit && items.length > limit ? `<p><a href="/me/applications?lang=${lang}">${escapeHtml(t(lang, { zh: `查看全部 ${items.length} 件`, en: `See all ${items.length}` }))}</a></p>` : '';
  return `<table><caption class="visually-hidden">${say(lang, { zh: '我的办件', en: 'My applications' })}</caption><thead><tr><th scope="col">${say(lang, { zh: '事项', en: 'Service' })}</th><th scope="col">${say(lang, { zh: '受理编号', en: 'Reference' })}</th><th scope="col">${say(lang, { zh: '状态', en: 'Status' })}</th><th scope="col">${say(lang, { zh: '提交或更新时间', en: 'Submitted or changed' })}</th></tr></thead><tbody>${rows}</tbody></table>${more}`;
}

const row = (th: string, td: string) => `<tr><th scope="row">${th}</th><td>${td}</td></tr>`;
const hidden = (lang: Lang, csrf: string, version?: number) => `<input type="hidden" name="csrf" value="${escapeHtml(csrf)}"><input type="hidden" name="lang" value="${lang}">${version !== undefined ? `<input type="hidden" name="version" value="${version}">` : ''}`;

/** Where the application stands and what the applicant may do now. */
function statusBox(lang: Lang, a: PortalApplication): string {
  const parts: string[] = [];
  const acceptance = a.acceptance ?? {};
  switch (a.status) {
    case 'draft':
      parts.push(t(lang, { zh: '这是草稿，尚未提交。', en: 'This is a draft: it has not been sent.' }));
      break;
    case 'submitted':
      parts.push(t(lang, { zh: `办理机关将在 ${day(lang, a.acceptanceDue)} 前决定是否受理；逾期未决定的，自收到申请之日起即为受理。`, en: `The department decides whether to accept it by ${day(lang, a.acceptanceDue)}; if it does not decide by then, it counts as accepted from the day it was received.` }));
      break;
    case 'supplement_requested':
      parts.push(t(lang, { zh: '办理机关要求补正，请按下方清单一次性补齐后提交。', en: 'The department asks for more: provide everything on the list below, then send it.' }));
      break;
    case 'in_review':
      if (a.deemedAccepted) parts.push(t(lang, { zh: '受理期限届满，视为已受理。', en: 'It counts as accepted: the acceptance period ended.' }));
      if (a.clock?.warning === 'suspended') parts.push(t(lang, { zh: '计时暂停中（听证、检测或专家评审等不计入办理期限），恢复后将告知新的期限。', en: 'The clock is stopped (hearings, testing and expert reviews do not count); you are told the new date when it starts again.' }));
      else if (a.clock?.dueDate) parts.push(t(lang, { zh: `已于 ${day(lang, a.acceptedOn)} 受理，将在 ${day(lang, a.clock.dueDate)} 前作出决定${a.clock.extended ? '（期限已经批准延长）' : ''}。`, en: `Accepted on ${day(lang, a.acceptedOn)}; the decision is due by ${day(lang, a.clock.dueDate)}${a.clock.extended ? ' (the period was extended)' : ''}.` }));
      break;
    case 'not_accepted': {
      const reason = t(lang, { zh: String(acceptance.reasonZh ?? ''), en: String(acceptance.reasonEn ?? '') });
      const agency = t(lang, { zh: String(acceptance.agencyZh ?? ''), en: String(acceptance.agencyEn ?? '') });
      parts.push(t(lang, { zh: `不予受理。理由：${reason}`, en: `It was not accepted. Reason: ${reason}` }));
      if (agency) parts.push(t(lang, { zh: `您可以向 ${agency} 申请。`, en: `You can apply to ${agency}.` }));
      break;
    }
    case 'approved':
      parts.push(t(lang, { zh: `已于 ${when(lang, a.decidedAt)} 准予许可。`, en: `It was approved on ${when(lang, a.decidedAt)}.` }));
      break;
    case 'denied':
      parts.push(t(lang, { zh: `已于 ${when(lang, a.decidedAt)} 决定不予许可。`, en: `It was refused on ${when(lang, a.decidedAt)}.` }));
      parts.push(t(lang, { zh: '对决定不服的，可以依法申请行政复议或者提起行政诉讼。', en: 'If you disagree, you may ask for an administrative review or go to court, as the law provides.' }));
      break;
    case 'withdrawn':
      parts.push(t(lang, { zh: '您已撤回该申请。', en: 'You withdrew this application.' }));
      break;
  }
  const reasons = a.decisionReasons.length ? `<h3>${say(lang, { zh: '决定理由', en: 'Reasons' })}</h3><ul>${a.decisionReasons.map((r) => `<li>${escapeHtml(r)}</li>`).join('')}</ul>` : '';
  const licence = a.status === 'approved' && a.licenceId ? `<p><a class="button" href="/me/licences/${escapeHtml(a.licenceId)}?lang=${lang}">${say(lang, { zh: '查看电子证照', en: 'See the licence' })}</a></p>` : '';
  const cls = a.status === 'denied' || a.status === 'not_accepted' || a.status === 'supplement_requested' ? 'error-summary' : 'notice';
  return `<div class="${cls}"><h2>${say(lang, { zh: '状态', en: 'Status' })}: ${escapeHtml(statusWords(lang, a))}</h2>${parts.map((p) => `<p>${escapeHtml(p)}</p>`).join('')}${reasons}${licence}</div>`;
}

export type SupplementModel = { form: FormDefinition; values: RawValues; problems: Map<string, string>; filesDropped: boolean; today: string };

/** The supplement request, all its items at once, with the form that answers it. */
function supplementSection(lang: Lang, a: PortalApplication, csrf: string, s: SupplementModel | undefined, service: ServiceView | undefined): string {
  const request = a.supplement as { items?: SupplementItem[]; noteZh?: string; noteEn?: string; requestedAt?: string } | null;
  if (a.status !== 'supplement_requested' || !request?.items) return '';
  const items = request.items;
  const note = t(lang, { zh: request.noteZh ?? '', en: request.noteEn ?? '' });
  const list = `<ol>${items.map((i) => `<li>${escapeHtml(t(lang, { zh: i.zh, en: i.en }))}</li>`).join('')}</ol>`;
  if (!s) return `<h2 id="supplement">${say(lang, { zh: '需要补正的内容', en: 'What the department asks for' })}</h2>${list}`;
  const fieldKeys = [...new Set(items.flatMap((i) => (i.field ? [i.field.replace(/^formData\//, '')] : [])))].filter((k) => s.form.fields.some((f) => f.key === k));
  const materials = [...new Set(items.flatMap((i) => (i.materialKey ? [i.materialKey] : [])))];
  const labels = new Map<string, Text>();
  for (const k of fieldKeys) {
    const f = s.form.fields.find((x) => x.key === k)!;
    labels.set(fieldId(k), { zh: f.labelZh, en: f.labelEn });
  }
  for (const k of materials) {
    const m = service?.materials.find((x) => x.key === k);
    labels.set(materialId(k), m ? { zh: m.nameZh, en: m.nameEn } : { zh: k, en: k });
  }
  const summary = problemSummary(lang, { zh: '补正未能提交，请修改以下内容', en: 'There is a problem with your answer' }, s.problems, labels, fieldKeys[0] ? fieldId(fieldKeys[0]) : materials[0] ? materialId(materials[0]) : 'supplement');
  const fields = fieldKeys.map((k) => {
    const f = s.form.fields.find((x) => x.key === k)!;
    return fieldInput(lang, f, s.values[k] ?? rawValue(f, a.formData[k]), { problem: s.problems.get(fieldId(k)), today: s.today });
  });
  const files = materials.map((k) => {
    const id = materialId(k);
    const problem = s.problems.get(id);
    return `<div class="field"><label for="${id}">${escapeHtml(t(lang, labels.get(id)!))}</label><p class="hint" id="${id}-hint">${say(lang, ALLOWED_FILES)}</p>${fieldError(lang, id, problem)}<input type="file" id="${id}" name="${fileName(k)}" accept=".pdf,.ofd,.png,.jpg,.jpeg"${problem ? ` aria-invalid="true" aria-describedby="${id}-hint ${id}-error"` : ` aria-describedby="${id}-hint"`}></div>`;
  });
  const dropped = s.filesDropped ? `<p class="notice">${say(lang, { zh: '浏览器不会保留已选择的文件：请重新选择要上传的文件。', en: 'The browser does not keep files you chose: choose them again.' })}</p>` : '';
  return `<h2 id="supplement">${say(lang, { zh: '需要补正的内容', en: 'What the department asks for' })}</h2>
<p>${say(lang, { zh: '以下是需要补正的全部内容，请一次性补齐：', en: 'This is everything the department needs; provide it all at once:' })}</p>${list}${note ? `<p>${escapeHtml(note)}</p>` : ''}
${summary}${dropped}
<form method="post" action="/me/applications/${escapeHtml(a.id)}/supplement" enctype="multipart/form-data" novalidate>${hidden(lang, csrf, a.version)}
${fields.join('')}${files.join('')}
<p class="hint">${say(lang, { zh: '提交后，办理机关将在 5 个工作日内重新决定是否受理。', en: 'Once sent, the department decides again within 5 working days whether to accept it.' })}</p>
<div class="actions"><button type="submit">${say(lang, { zh: '提交补正', en: 'Send the corrections' })}</button></div>
</form>`;
}

function ratingSection(lang: Lang, a: PortalApplication, csrf: string, problems: Map<string, string>, typed: { rating?: string; reason?: string }): string {
  if (a.rating) {
    return `<h2 id="rating">${say(lang, { zh: '服务评价', en: 'Your rating' })}</h2><p>${say(lang, a.rating === 'good' ? { zh: '您的评价：满意', en: 'You rated it: good' } : { zh: '您的评价：不满意', en: 'You rated it: poor' })}${a.ratingReason ? ` — ${escapeHtml(a.ratingReason)}` : ''}</p>`;
  }
  if (!mayRate(a)) return '';
  const labels = new Map<string, Text>([
    ['rating-good', { zh: '评价', en: 'Rating' }],
    ['reason', { zh: '原因', en: 'Reason' }],
  ]);
  const summary = problemSummary(lang, { zh: '评价未能提交', en: 'There is a problem' }, problems, labels, 'rating-good');
  const ratingProblem = problems.get('rating-good');
  const reasonProblem = problems.get('reason');
  return `<h2 id="rating">${say(lang, { zh: '评价这次服务', en: 'Rate this service' })}</h2>
${summary}
<form method="post" action="/me/applications/${escapeHtml(a.id)}/rating" novalidate>${hidden(lang, csrf)}
<fieldset class="group"${ratingProblem ? ' aria-describedby="rating-good-error"' : ''}><legend>${say(lang, { zh: '您对这次办理满意吗？', en: 'How was the service?' })}</legend>${fieldError(lang, 'rating-good', ratingProblem)}
<div class="choice"><input type="radio" id="rating-good" name="rating" value="good"${typed.rating === 'good' ? ' checked' : ''}><label for="rating-good">${say(lang, { zh: '满意', en: 'Good' })}</label></div>
<div class="choice"><input type="radio" id="rating-poor" name="rating" value="poor"${typed.rating === 'poor' ? ' checked' : ''}><label for="rating-poor">${say(lang, { zh: '不满意', en: 'Poor' })}</label></div></fieldset>
<div class="field"><label for="reason">${say(lang, { zh: '原因（选择“不满意”时必填）', en: 'Why? (required if poor)' })}</label>${fieldError(lang, 'reason', reasonProblem)}<textarea id="reason" name="reason" rows="3" maxlength="500"${reasonProblem ? ' aria-invalid="true" aria-describedby="reason-error"' : ''}>${escapeHtml(typed.reason ?? '')}</textarea></div>
<div class="actions"><button type="submit">${say(lang, { zh: '提交评价', en: 'Send the rating' })}</button></div>
</form>`;
}

function answers(lang: Lang, form: FormDefinition | undefined, data: Record<string, unknown>): string {
  if (!form) return '';
  const rows = form.fields.filter((f) => data[f.key] !== undefined).map((f) => row(escapeHtml(t(lang, { zh: f.labelZh, en: f.labelEn })), escapeHtml(shownValue(lang, f, data[f.key])))).join('');
  return rows ? `<h2 id="answers">${say(lang, { zh: '申请内容', en: 'Your answers' })}</h2><table><caption class="visually-hidden">${say(lang, { zh: '申请内容', en: 'Your answers' })}</caption><tbody>${rows}</tbody></table>` : '';
}

function filesList(lang: Lang, a: PortalApplication, service: ServiceView | undefined): string {
  if (!a.files.length) return '';
  const materialName = (key: string) => {
    const m = service?.materials.find((x) => x.key === key);
    return m ? t(lang, { zh: m.nameZh, en: m.nameEn }) : key;
  };
  return `<h2 id="files">${say(lang, { zh: '已提交的材料', en: 'Documents sent' })}</h2><ul>${a.files
    .map((f) => `<li>${escapeHtml(materialName(f.materialKey))}: <a href="/api/citizen/applications/${escapeHtml(a.id)}/files/${escapeHtml(f.id)}" download>${escapeHtml(f.fileName)}</a> <span class="meta">(${size(f.size)})</span></li>`)
    .join('')}</ul>`;
}

export type ApplicationPageModel = {
  application: PortalApplication;
  service: ServiceView | undefined;
  form: FormDefinition | undefined;
  csrfToken: string;
  notice?: Text;
  problem?: string;
  supplement?: SupplementModel;
  rating?: { problems: Map<string, string>; typed: { rating?: string; reason?: string } };
};

export function applicationBody(lang: Lang, m: ApplicationPageModel): string {
  const a = m.application;
  const notice = m.notice ? `<div class="notice" role="status"><p>${say(lang, m.notice)}</p></div>` : '';
  const problem = m.problem ? `<div class="error-summary" role="alert"><h2>${say(lang, { zh: '未能完成', en: 'That could not be done' })}</h2><p>${escapeHtml(m.problem)}</p></div>` : '';
  const details = `<table><caption class="visually-hidden">${say(lang, { zh: '申请信息', en: 'The application' })}</caption><tbody>
${row(say(lang, { zh: '受理编号', en: 'Reference number' }), `<strong>${escapeHtml(a.number)}</strong>`)}
${row(say(lang, { zh: '申请人', en: 'Applicant' }), escapeHtml(a.enterprise ? `${a.enterprise.name}（${a.enterprise.creditCode}）` : a.applicantName))}
${a.submittedAt ? row(say(lang, { zh: '提交时间', en: 'Submitted' }), escapeHtml(when(lang, a.submittedAt))) : ''}
${m.service ? row(say(lang, { zh: '办理机关', en: 'Handled by' }), escapeHtml(t(lang, { zh: m.service.orgNameZh, en: m.service.orgNameEn }))) : ''}
</tbody></table>`;
  const actions: string[] = [];
  if (a.status === 'draft') actions.push(`<a class="button" href="/me/applications/${escapeHtml(a.id)}/edit?lang=${lang}">${say(lang, { zh: '继续填写', en: 'Continue the application' })}</a>`);
  if (a.submittedAt) actions.push(`<a href="/me/applications/${escapeHtml(a.id)}/receipt?lang=${lang}">${say(lang, { zh: '查看和打印回执', en: 'See and print the receipt' })}</a>`);
  if (mayWithdraw(a)) actions.push(`<a href="/me/applications/${escapeHtml(a.id)}/withdraw?lang=${lang}">${say(lang, a.status === 'draft' ? { zh: '放弃这份草稿', en: 'Discard this draft' } : { zh: '撤回申请', en: 'Withdraw the application' })}</a>`);
  return `<p><a href="/me/applications?lang=${lang}">${say(lang, { zh: '我的办件', en: 'My applications' })}</a></p>
<p class="meta">${escapeHtml(t(lang, { zh: `受理编号 ${a.number}`, en: `Reference ${a.number}` }))}</p>
<h1>${escapeHtml(serviceName(lang, m.service, a.serviceCode))}</h1>
${notice}${problem}
${statusBox(lang, a)}
${supplementSection(lang, a, m.csrfToken, m.supplement, m.service)}
${details}
${actions.length ? `<ul class="links">${actions.map((x) => `<li>${x}</li>`).join('')}</ul>` : ''}
${ratingSection(lang, a, m.csrfToken, m.rating?.problems ?? new Map(), m.rating?.typed ?? {})}
${timeline(lang, a.history)}
${filesList(lang, a, m.service)}
${answers(lang, m.form, a.formData)}`;
}

/** After submitting: the reference, the dates, and what happens next. */
export function confirmationBody(lang: Lang, a: PortalApplication, service: ServiceView | undefined): string {
  return `<div class="panel" role="status"><h1>${say(lang, { zh: '申请已提交', en: 'Application submitted' })}</h1><p>${say(lang, { zh: '您的受理编号', en: 'Your reference number' })}<br><strong class="big">${escapeHtml(a.number)}</strong></p></div>
<table><caption class="visually-hidden">${say(lang, { zh: '申请信息', en: 'The application' })}</caption><tbody>
${row(say(lang, { zh: '事项', en: 'Service' }), escapeHtml(serviceName(lang, service, a.serviceCode)))}
${row(say(lang, { zh: '提交时间', en: 'Submitted' }), escapeHtml(when(lang, a.submittedAt)))}
${row(say(lang, { zh: '受理决定期限', en: 'Acceptance decided by' }), escapeHtml(day(lang, a.acceptanceDue)))}
</tbody></table>
<h2>${say(lang, { zh: '接下来会怎样', en: 'What happens next' })}</h2>
<p>${escapeHtml(t(lang, { zh: `办理机关将在 ${day(lang, a.acceptanceDue)} 前决定是否受理；逾期未决定的，自收到申请之日起即为受理。`, en: `The department decides whether to accept your application by ${day(lang, a.acceptanceDue)}; if it does not decide by then, it counts as accepted from the day it was received.` }))}</p>
<p>${say(lang, { zh: '如材料需要补正，办理机关会一次性告知全部需补正的内容。受理后，将在法定期限内作出决定。每一步都会通过“我的消息”通知您。', en: 'If anything is missing, the department tells you everything it needs at once. Once accepted, it decides within the statutory period. You are told of every step in My messages.' })}</p>
<ul class="links"><li><a href="/me/applications/${escapeHtml(a.id)}/receipt?lang=${lang}">${say(lang, { zh: '查看和打印回执', en: 'See and print the receipt' })}</a></li><li><a href="/me/applications/${escapeHtml(a.id)}?lang=${lang}">${say(lang, { zh: '查看办理进度', en: 'Follow the application' })}</a></li></ul>`;
}

export type ReceiptModel = { application: PortalApplication; service: ServiceView | undefined; person: { name: string; idNumberMasked: string }; issuedAt: string };

/** The dated receipt (回执) of a submitted application, to keep or print. */
export function receiptBody(lang: Lang, m: ReceiptModel): string {
  const a = m.application;
  const applicant = a.enterprise
    ? `${escapeHtml(a.enterprise.name)}（${say(lang, { zh: '统一社会信用代码', en: 'credit code' })} ${escapeHtml(a.enterprise.creditCode)}）<br>${say(lang, { zh: '经办人', en: 'Agent' })}: ${escapeHtml(m.person.name)}（${escapeHtml(m.person.idNumberMasked)}）`
    : `${escapeHtml(m.person.name)}（${say(lang, { zh: '身份证号', en: 'ID number' })} ${escapeHtml(m.person.idNumberMasked)}）`;
  const files = a.files.length
    ? `<table><caption>${say(lang, { zh: '收到的材料', en: 'Documents received' })}</caption><thead><tr><th scope="col">${say(lang, { zh: '文件名', en: 'File' })}</th><th scope="col">${say(lang, { zh: '大小', en: 'Size' })}</th><th scope="col">${say(lang, { zh: '校验值（SHA-256 前 16 位）', en: 'Checksum (SHA-256, first 16)' })}</th></tr></thead><tbody>${a.files
        .map((f) => `<tr><td>${escapeHtml(f.fileName)}</td><td>${size(f.size)}</td><td><code>${escapeHtml(f.sha256.slice(0, 16))}</code></td></tr>`)
        .join('')}</tbody></table>`
    : `<p>${say(lang, { zh: '未收到上传的材料（所需材料由平台调取）。', en: 'No documents were uploaded (the platform fetches what is needed).' })}</p>`;
  const org = m.service ? t(lang, { zh: m.service.orgNameZh, en: m.service.orgNameEn }) : '';
  return `<p class="no-print"><a href="/me/applications/${escapeHtml(a.id)}?lang=${lang}">${say(lang, { zh: '返回办件', en: 'Back to the application' })}</a></p>
<h1>${say(lang, { zh: '申请材料接收回执', en: 'Receipt of your application' })}</h1>
<table><caption class="visually-hidden">${say(lang, { zh: '回执', en: 'Receipt' })}</caption><tbody>
${row(say(lang, { zh: '受理编号', en: 'Reference number' }), `<strong>${escapeHtml(a.number)}</strong>`)}
${row(say(lang, { zh: '事项', en: 'Service' }), escapeHtml(serviceName(lang, m.service, a.serviceCode)))}
${row(say(lang, { zh: '申请人', en: 'Applicant' }), applicant)}
${row(say(lang, { zh: '提交时间', en: 'Submitted' }), escapeHtml(when(lang, a.submittedAt)))}
${row(say(lang, { zh: '受理决定期限', en: 'Acceptance decided by' }), escapeHtml(day(lang, a.acceptanceDue)))}
${row(say(lang, { zh: '出具机关', en: 'Issued by' }), escapeHtml(org))}
${row(say(lang, { zh: '出具时间', en: 'Issued on' }), escapeHtml(when(lang, m.issuedAt)))}
</tbody></table>
${files}
<p>${escapeHtml(t(lang, { zh: `办理机关收到您的申请后，将在 ${day(lang, a.acceptanceDue)} 前决定是否受理；逾期未决定的，自收到之日起即为受理。本回执不代表已受理。`, en: `The department decides whether to accept the application by ${day(lang, a.acceptanceDue)}; if it does not, it counts as accepted from the day it was received. This receipt does not mean the application is accepted.` }))}</p>
<p class="hint">${say(lang, { zh: '可用浏览器的“打印”功能打印或保存本页。', en: "Use your browser's Print to print or save this page." })}</p>`;
}

export function withdrawBody(lang: Lang, a: PortalApplication, service: ServiceView | undefined, csrf: string): string {
  const draft = a.status === 'draft';
  return `<p><a href="/me/applications/${escapeHtml(a.id)}?lang=${lang}">${say(lang, { zh: '返回办件', en: 'Back to the application' })}</a></p>
<h1>${say(lang, draft ? { zh: '确定放弃这份草稿吗？', en: 'Discard this draft?' } : { zh: '确定撤回这份申请吗？', en: 'Withdraw this application?' })}</h1>
<p>${escapeHtml(t(lang, { zh: `${serviceName(lang, service, a.serviceCode)}（受理编号 ${a.number}）`, en: `${serviceName(lang, service, a.serviceCode)} (reference ${a.number})` }))}</p>
<p>${say(lang, draft ? { zh: '放弃后草稿不能再继续填写。', en: 'You cannot continue a discarded draft.' } : { zh: '撤回后办理即终止，不能恢复；如仍需办理，须重新申请。', en: 'Withdrawing ends the application for good; to go on, you would apply again.' })}</p>
<form method="post" action="/me/applications/${escapeHtml(a.id)}/withdraw">${hidden(lang, csrf, a.version)}
<div class="actions"><button type="submit" class="warning">${say(lang, draft ? { zh: '放弃草稿', en: 'Discard the draft' } : { zh: '撤回申请', en: 'Withdraw the application' })}</button> <a href="/me/applications/${escapeHtml(a.id)}?lang=${lang}">${say(lang, { zh: '不撤回，返回', en: 'No, go back' })}</a></div>
</form>`;
}
