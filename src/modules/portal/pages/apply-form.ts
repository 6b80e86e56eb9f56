// The application form as the applicant fills it in on the portal, rendered from the service's
// e-form: each section with its hint, each field by its type, the values the platform fetched
// from the base registries ("once only") shown with the registry they came from (locked ones
// as text, not inputs), a file input for each material the platform cannot fetch, and the
// materials it fetches itself listed as nothing to upload. Problems as GOV.UK shows them: a
// summary at the top linking to each field, and the words beside the field.
import type { FormDefinition, FormField, ServiceView } from '../../services/index.ts';
import { fieldError } from './form.ts';
import { escapeHtml, say, t, when, type Lang, type Text } from '../text.ts';

export type PrefillValue = { value: unknown; registry: string; readAt: string };
/** A field's value as a form posts it: text, or a list for a checkbox list. */
export type RawValues = Record<string, string | string[]>;

export type ApplyFormModel = {
  service: ServiceView;
  form: FormDefinition;
  /** Where the form posts. */
  action: string;
  mode: 'new' | 'draft';
  csrfToken: string;
  idempotencyKey?: string;
  version?: number;
  values: RawValues;
  prefilled: Record<string, PrefillValue>;
  /** The registries could not be read just now: the applicant fills in those fields. */
  prefillFailed: boolean;
  /** Files already with a draft, by material. */
  files: { materialKey: string; fileName: string; size: number }[];
  /** Problems by the id of the input they are about (`form`: the whole form). */
  problems: Map<string, string>;
  /** Files were chosen in the post that failed: browsers do not keep them. */
  filesDropped: boolean;
  acting?: { name: string; creditCode: string };
  today: string;
};

export const ALLOWED_FILES: Text = { zh: 'PDF、OFD、PNG 或 JPEG 文件，每个不超过 10 MB', en: 'a PDF, OFD, PNG or JPEG file of at most 10 MB' };
const ACCEPT = '.pdf,.ofd,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg';

const REGISTRY: Record<string, Text> = {
  population: { zh: '人口基础信息库', en: 'the population registry' },
  'legal-entities': { zh: '法人单位基础信息库', en: 'the legal entity registry' },
};
export const registryName = (lang: Lang, registry: string) => t(lang, REGISTRY[registry] ?? { zh: registry, en: registry });

export const fieldId = (key: string) => `f-${key}`;
export const materialId = (key: string) => `m-${key}`;
/** Posted names carry a prefix, so no field of a form can clash with the page's own (csrf, lang…). */
export const fieldName = (key: string) => `fd.${key}`;
export const fileName = (key: string) => `file.${key}`;

const label = (lang: Lang, f: FormField) => escapeHtml(t(lang, { zh: f.labelZh, en: f.labelEn }));
const optionLabel = (lang: Lang, f: FormField, value: string) => {
  const o = f.options?.find((x) => x.value === value);
  return o ? t(lang, { zh: o.labelZh, en: o.labelEn }) : value;
};

/** A stored value as the form shows and posts it. */
export function rawValue(_f: FormField, value: unknown): string | string[] {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map(String);
  if (typeof value === 'boolean') return value ? 'true' : '';
  return String(value);
}

/** A value as a person reads it: option labels, yes or no. */
export function shownValue(lang: Lang, f: FormField, value: unknown): string {
  if (value === undefined || value === null || value === '') return '—';
  if (f.type === 'checkbox' && !(f.options?.length ?? 0)) return t(lang, value === true || value === 'true' ? { zh: '是', en: 'Yes' } : { zh: '否', en: 'No' });
  if (Array.isArray(value)) return value.length ? value.map((v) => optionLabel(lang, f, String(v))).join(t(lang, { zh: '、', en: ', ' })) : '—';
  if (f.type === 'select' || f.type === 'radio') return optionLabel(lang, f, String(value));
  return String(value);
}

const requiredMark = (lang: Lang, f: FormField) => (f.required ? ` <span class="meta">${say(lang, { zh: '（必填）', en: '(required)' })}</span>` : ` <span class="meta">${say(lang, { zh: '（选填）', en: '(optional)' })}</span>`);

function describedBy(ids: (string | false | undefined)[]): string {
  const list = ids.filter(Boolean).join(' ');
  return list ? ` aria-describedby="${list}"` : '';
}

function dateLimit(limit: string | undefined, today: string): string | undefined {
  return limit === 'today' ? today : limit;
}

/** One field as an input (or inputs), with its label, hint, problem and prefill note. */
export function fieldInput(lang: Lang, f: FormField, value: string | string[], p: { problem?: string; prefill?: PrefillValue; today: string }): string {
  const id = fieldId(f.key);
  const name = fieldName(f.key);
  const hintText = f.hintZh || f.hintEn ? t(lang, { zh: f.hintZh ?? '', en: f.hintEn ?? '' }) : '';
  const fromRegistry = p.prefill
    ? escapeHtml(t(lang, { zh: `已从${registryName(lang, p.prefill.registry)}填入（${when(lang, p.prefill.readAt)}），请核对，如有变化可修改。`, en: `Filled in from ${registryName(lang, p.prefill.registry)} (${when(lang, p.prefill.readAt)}): check it, and change it if it is out of date.` }))
    : '';
  const hint = hintText || fromRegistry ? `<p class="hint" id="${id}-hint">${escapeHtml(hintText)}${hintText && fromRegistry ? ' ' : ''}${fromRegistry}</p>` : '';
  const error = fieldError(lang, id, p.problem);
  const aria = describedBy([hint && `${id}-hint`, p.problem && `${id}-error`]) + (p.problem ? ' aria-invalid="true"' : '');
  const one = Array.isArray(value) ? (value[0] ?? '') : value;
  const text = (type: string, extra = '') => `<input type="${type}" id="${id}" name="${name}" value="${escapeHtml(one)}"${extra}${aria}>`;
  const group = (inputs: string) => `<fieldset class="group"${aria}><legend>${label(lang, f)}${requiredMark(lang, f)}</legend>${hint}${error}${inputs}</fieldset>`;
  const simple = (input: string) => `<div class="field"><label for="${id}">${label(lang, f)}${requiredMark(lang, f)}</label>${hint}${error}${input}</div>`;
  switch (f.type) {
    case 'text':
      return simple(text('text', ` maxlength="${f.maxLength ?? 500}" autocomplete="off"`));
    case 'textarea':
      return simple(`<textarea id="${id}" name="${name}" rows="5"${f.maxLength ? ` maxlength="${f.maxLength}"` : ''}${aria}>${escapeHtml(one)}</textarea>`);
    case 'address':
      return simple(text('text', ` maxlength="${f.maxLength ?? 200}" autocomplete="off"`));
    case 'number':
      return simple(text('text', ` inputmode="decimal" class="short" autocomplete="off"`));
    case 'date': {
      const min = dateLimit(f.minDate, p.today);
      const max = dateLimit(f.maxDate, p.today);
      return simple(text('date', `${min ? ` min="${min}"` : ''}${max ? ` max="${max}"` : ''} class="short"`));
    }
    case 'id-number':
    case 'credit-code':
      return simple(text('text', ` maxlength="18" class="short" autocomplete="off" spellcheck="false" autocapitalize="characters"`));
    case 'phone':
      return simple(text('tel', ' maxlength="20" class="short" autocomplete="tel"'));
    case 'email':
      return simple(text('email', ' maxlength="254" autocomplete="email" spellcheck="false"'));
    case 'select': {
      const options = (f.options ?? []).map((o) => `<option value="${escapeHtml(o.value)}"${o.value === one ? ' selected' : ''}>${escapeHtml(t(lang, { zh: o.labelZh, en: o.labelEn }))}</option>`).join('');
      return simple(`<select id="${id}" name="${name}"${aria}><option value="">${say(lang, { zh: '请选择', en: 'Choose one' })}</option>${options}</select>`);
    }
    case 'radio':
      return group((f.options ?? []).map((o, i) => `<div class="choice"><input type="radio" id="${i === 0 ? id : `${id}-${i}`}" name="${name}" value="${escapeHtml(o.value)}"${o.value === one ? ' checked' : ''}><label for="${i === 0 ? id : `${id}-${i}`}">${escapeHtml(t(lang, { zh: o.labelZh, en: o.labelEn }))}</label></div>`).join(''));
    case 'checkbox': {
      if (!(f.options?.length ?? 0)) {
        const checked = one === 'true' || one === 'on';
        return `<div class="field">${error}<div class="choice"><input type="checkbox" id="${id}" name="${name}" value="true"${checked ? ' checked' : ''}${aria}><label for="${id}">${label(lang, f)}${requiredMark(lang, f)}</label></div>${hint}</div>`;
      }
      const chosen = new Set(Array.isArray(value) ? value : value ? [value] : []);
      return group(f.options!.map((o, i) => `<div class="choice"><input type="checkbox" id="${i === 0 ? id : `${id}-${i}`}" name="${name}" value="${escapeHtml(o.value)}"${chosen.has(o.value) ? ' checked' : ''}><label for="${i === 0 ? id : `${id}-${i}`}">${escapeHtml(t(lang, { zh: o.labelZh, en: o.labelEn }))}</label></div>`).join(''));
    }
  }
}

/** A locked field the registry filled: its value as text, with where it came from. */
function lockedField(lang: Lang, f: FormField, prefill: PrefillValue, problem: string | undefined): string {
  const id = fieldId(f.key);
  return `<div class="field" id="${id}" tabindex="-1"><p class="label">${label(lang, f)}</p>${fieldError(lang, id, problem)}<p class="value">${escapeHtml(shownValue(lang, f, prefill.value))}</p><p class="hint">${escapeHtml(
    t(lang, { zh: `来自${registryName(lang, prefill.registry)}（${when(lang, prefill.readAt)}读取），不能在此修改；如有误，请向登记机关申请更正。`, en: `From ${registryName(lang, prefill.registry)} (read ${when(lang, prefill.readAt)}); it cannot be changed here. If it is wrong, ask the registry's keeper to correct it.` }),
  )}</p></div>`;
}

function materialsSection(lang: Lang, m: ApplyFormModel): string {
  const fetched = m.service.materials.filter((x) => x.fetchable);
  const uploads = m.service.materials.filter((x) => !x.fetchable);
  const fetchedList = fetched.length
    ? `<p>${say(lang, { zh: '以下材料由平台从基础信息库调取，您无需上传：', en: 'The platform fetches these from the base registries: you need not upload them.' })}</p><ul>${fetched.map((x) => `<li>${escapeHtml(t(lang, { zh: x.nameZh, en: x.nameEn }))}</li>`).join('')}</ul>`
    : '';
  const dropped = m.filesDropped ? `<p class="notice">${say(lang, { zh: '出于安全原因，浏览器不会保留已选择的文件：请重新选择要上传的文件。', en: 'For your security, the browser does not keep files you chose: choose them again.' })}</p>` : '';
  const inputs = uploads
    .map((x) => {
      const id = materialId(x.key);
      const problem = m.problems.get(id);
      const have = m.files.filter((f) => f.materialKey === x.key);
      const haveText = have.length ? `<p class="hint">${escapeHtml(t(lang, { zh: `已上传：${have.map((f) => `${f.fileName}（${size(f.size)}）`).join('、')}。如需更换，请重新选择文件。`, en: `Uploaded: ${have.map((f) => `${f.fileName} (${size(f.size)})`).join(', ')}. Choose a file to replace it.` }))}</p>` : '';
      const template = x.templateUrl ? ` <a href="${escapeHtml(x.templateUrl)}">${say(lang, { zh: '下载空白模板', en: 'Blank form to download' })}</a>` : '';
      const optional = x.required ? say(lang, { zh: '（必需）', en: '(required)' }) : say(lang, { zh: '（如适用）', en: '(if it applies)' });
      return `<div class="field"><label for="${id}">${escapeHtml(t(lang, { zh: x.nameZh, en: x.nameEn }))} <span class="meta">${optional}</span></label><p class="hint" id="${id}-hint">${say(lang, ALLOWED_FILES)}${template}</p>${haveText}${fieldError(lang, id, problem)}<input type="file" id="${id}" name="${fileName(x.key)}" accept="${ACCEPT}"${describedBy([`${id}-hint`, problem && `${id}-error`])}${problem ? ' aria-invalid="true"' : ''}></div>`;
    })
    .join('');
  return `<h2 id="materials">${say(lang, { zh: '申请材料', en: 'Documents' })}</h2>${fetchedList}${dropped}${uploads.length ? inputs : `<p>${say(lang, { zh: '本事项无需上传材料。', en: 'Nothing to upload for this service.' })}</p>`}`;
}

/**
 * The summary at the top, each problem linking to its input. The service's words often name the
 * field already ("Fill in Phone"); the label is put before those that do not.
 */
export function problemSummary(lang: Lang, title: Text, problems: Map<string, string>, labels: Map<string, Text>, firstId: string): string {
  if (problems.size === 0) return '';
  const items = [...problems]
    .map(([id, text]) => {
      const name = labels.has(id) ? t(lang, labels.get(id)!) : '';
      const full = !name || text.includes(name) ? text : `${name}${lang === 'en' ? ': ' : '：'}${text}`;
      return `<li><a href="#${id === 'form' ? firstId : id}">${escapeHtml(full)}</a></li>`;
    })
    .join('');
  return `<div class="error-summary" role="alert" tabindex="-1" aria-labelledby="problems"><h2 id="problems">${say(lang, title)}</h2><ul>${items}</ul></div>`;
}

export const size = (bytes: number) => (bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`);

/** The labels of the page's inputs, by id, for the error summary. */
export function labelsOf(form: FormDefinition, service: ServiceView): Map<string, Text> {
  const out = new Map<string, Text>();
  for (const f of form.fields) out.set(fieldId(f.key), { zh: f.labelZh, en: f.labelEn });
  for (const m of service.materials) out.set(materialId(m.key), { zh: m.nameZh, en: m.nameEn });
  return out;
}

/** The fields of the form in the order of its sections, each section under its heading. */
export function fieldsBySection(lang: Lang, form: FormDefinition, render: (f: FormField) => string): string {
  const known = new Set(form.sections.map((s) => s.key));
  const sections = form.sections
    .map((s) => {
      const fields = form.fields.filter((f) => f.section === s.key);
      if (!fields.length) return '';
      const hint = s.hintZh || s.hintEn ? `<p class="hint">${escapeHtml(t(lang, { zh: s.hintZh ?? '', en: s.hintEn ?? '' }))}</p>` : '';
      return `<h2>${escapeHtml(t(lang, { zh: s.labelZh, en: s.labelEn }))}</h2>${hint}${fields.map(render).join('')}`;
    })
    .join('');
  const rest = form.fields.filter((f) => f.section === undefined || !known.has(f.section));
  return `${sections}${rest.length ? `<h2>${say(lang, { zh: '声明与其他', en: 'Declaration and other details' })}</h2>${rest.map(render).join('')}` : ''}`;
}

export function applyFormBody(lang: Lang, m: ApplyFormModel): string {
  const name = t(lang, { zh: m.service.nameZh, en: m.service.nameEn });
  const labels = labelsOf(m.form, m.service);
  const firstId = m.form.fields[0] ? fieldId(m.form.fields[0].key) : 'materials';
  const summary = problemSummary(lang, { zh: '申请未能提交，请修改以下内容', en: 'There is a problem' }, m.problems, labels, firstId);
  const acting = m.acting ? `<p class="notice">${escapeHtml(t(lang, { zh: `您正以“${m.acting.name}”（${m.acting.creditCode}）的名义申请。`, en: `You are applying on behalf of ${m.acting.name} (${m.acting.creditCode}).` }))}</p>` : '';
  const failed = m.prefillFailed
    ? `<div class="notice" role="status"><p>${say(lang, { zh: '暂时无法从基础信息库读取您的信息，相关内容需要您自己填写。提交时平台会再次核对。', en: 'Your details could not be read from the base registries just now, so you need to fill them in yourself. The platform checks them again when you submit.' })}</p></div>`
    : '';
  const prefilledAny = Object.keys(m.prefilled).length > 0;
  const onceOnly = prefilledAny ? `<p>${say(lang, { zh: '部分内容已由平台从政府登记信息中填入，您只需核对，无需重复填写。', en: 'Some answers are already filled in from government records: check them, there is no need to type them again.' })}</p>` : '';
  const render = (f: FormField) => {
    const id = fieldId(f.key);
    const prefill = m.prefilled[f.key];
    if (f.locked && prefill) return lockedField(lang, f, prefill, m.problems.get(id));
    return fieldInput(lang, f, m.values[f.key] ?? '', { problem: m.problems.get(id), prefill, today: m.today });
  };
  const hidden = [
    `<input type="hidden" name="csrf" value="${escapeHtml(m.csrfToken)}">`,
    `<input type="hidden" name="lang" value="${lang}">`,
    m.idempotencyKey ? `<input type="hidden" name="key" value="${escapeHtml(m.idempotencyKey)}">` : '',
    m.version !== undefined ? `<input type="hidden" name="version" value="${m.version}">` : '',
  ].join('');
  const back = m.mode === 'new' ? `<a href="/services/${encodeURIComponent(m.service.code)}?lang=${lang}">${say(lang, { zh: '返回办事指南', en: 'Back to the guide' })}</a>` : `<a href="/me/applications?lang=${lang}">${say(lang, { zh: '我的办件', en: 'My applications' })}</a>`;
  return `<p>${back}</p>
<p class="meta">${say(lang, m.mode === 'new' ? { zh: '网上申请', en: 'Apply online' } : { zh: '继续填写草稿', en: 'Continue your draft' })}</p>
<h1>${escapeHtml(name)}</h1>
${summary}${acting}${failed}${onceOnly}
<p class="hint">${say(lang, { zh: '标有“必填”的内容须填写。可以先保存为草稿，稍后在“我的办件”中继续。', en: 'Answers marked “required” must be given. You can save a draft and continue later from My applications.' })}</p>
<form method="post" action="${escapeHtml(m.action)}" enctype="multipart/form-data" novalidate>${hidden}
${fieldsBySection(lang, m.form, render)}
${materialsSection(lang, m)}
<div class="actions"><button type="submit" name="do" value="submit">${say(lang, { zh: '提交申请', en: 'Submit the application' })}</button> <button type="submit" name="do" value="draft" class="secondary">${say(lang, { zh: '保存草稿', en: 'Save as draft' })}</button></div>
</form>`;
}
