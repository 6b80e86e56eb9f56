// Data that fills a form in correctly, field by field from its definition: what tests,
// benchmarks and the demo's end-to-end checks submit for any service without knowing its form.
// Fields the platform prefills are left out (the applicant does not type them).
import { buildCreditCode } from '../../../platform/codes/credit-code.ts';
import { idNumberCheckCharacter } from '../../../platform/codes/id-number.ts';
import { addCalendarDays, chinaDateOf } from '../../../platform/workdays.ts';
import type { FormDefinition, FormField } from './model.ts';

const ID_FIRST17 = '11010519491231002';

function textOf(f: FormField): string {
  const max = f.maxLength ?? 200;
  const base = f.type === 'address' ? '青云省示范市东城区人民路 1 号' : f.type === 'textarea' ? '经营日用百货、文具用品的零售。' : `测试${f.labelZh.slice(0, 6)}`;
  const padded = base.length < (f.minLength ?? 0) ? base.padEnd(f.minLength!, '测') : base;
  return padded.slice(0, max);
}

function dateOf(f: FormField, today: string): string {
  const min = f.minDate === 'today' ? today : f.minDate;
  const max = f.maxDate === 'today' ? today : f.maxDate;
  // A month ahead when it must not be past, some months back otherwise; within the limits.
  let date = min === today ? addCalendarDays(today, 30) : (min ?? addCalendarDays(today, -200));
  if (max && date > max) date = max;
  if (min && date < min) date = min;
  return date;
}

export function sampleValue(f: FormField, today: string): unknown {
  switch (f.type) {
    case 'number':
      return f.min ?? (f.max !== undefined ? Math.min(1, f.max) : 1);
    case 'date':
      return dateOf(f, today);
    case 'select':
    case 'radio':
      return f.options![0].value;
    case 'checkbox':
      return f.options && f.options.length > 0 ? f.options.slice(0, Math.max(f.min ?? 1, 1)).map((o) => o.value) : true;
    case 'id-number':
      return ID_FIRST17 + idNumberCheckCharacter(ID_FIRST17);
    case 'credit-code':
      return buildCreditCode('9', '1', '330106', 'MA2H0002');
    case 'phone':
      return '13800138000';
    case 'email':
      return 'applicant@example.cn';
    default:
      return f.pattern ? '310000' : textOf(f);
  }
}

/** A valid value for every field the applicant fills in (not the prefilled ones). */
export function sampleFormData(form: FormDefinition, now = new Date()): Record<string, unknown> {
  const today = chinaDateOf(now);
  return Object.fromEntries(form.fields.filter((f) => !f.prefill).map((f) => [f.key, sampleValue(f, today)]));
}
