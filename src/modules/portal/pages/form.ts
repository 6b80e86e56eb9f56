// Form problems as GOV.UK's pattern shows them: a summary at the top linking to each field,
// and the same words beside the field, tied to it by aria-describedby.
import type { FieldError } from '../../../platform/errors.ts';
import { escapeHtml, say, type Lang, type Text } from '../text.ts';

/** Problems by field (of `fields`); anything about no field of the form goes under `form`. */
export function fieldProblems(lang: Lang, errors: FieldError[], fields: string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of errors) {
    const field = fields.includes(e.field) ? e.field : 'form';
    const text = lang === 'en' ? e.message : (e.messageZh ?? e.message);
    out.set(field, out.has(field) ? `${out.get(field)} ${text}` : text);
  }
  return out;
}

/** The summary; a problem of the whole form links to `firstField`. */
export function errorSummary(lang: Lang, title: Text, problems: Map<string, string>, labelOf: (field: string) => Text, firstField: string): string {
  if (problems.size === 0) return '';
  const items = [...problems].map(([field, text]) => `<li><a href="#${field === 'form' ? firstField : field}">${field === 'form' ? '' : `${say(lang, labelOf(field))}：`}${escapeHtml(text)}</a></li>`).join('');
  return `<div class="error-summary" role="alert" tabindex="-1" aria-labelledby="problems"><h2 id="problems">${say(lang, title)}</h2><ul>${items}</ul></div>`;
}

export function fieldError(lang: Lang, field: string, problem: string | undefined): string {
  return problem ? `<p class="field-error" id="${field}-error"><span class="visually-hidden">${say(lang, { zh: '错误：', en: 'Error: ' })}</span>${escapeHtml(problem)}</p>` : '';
}
