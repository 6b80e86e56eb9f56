// An e-form as the applicant will see it, in the reader's language: its sections, each field
// with its label, hint and required mark, choices as lists, radio buttons or boxes, and the
// prefilled fields saying where the platform fetches their value (locked ones read-only). It
// can be tried out; nothing is sent. Ids are prefixed and numbered, so a half-edited form with
// two fields of one key still has unique ids.
import type { ReactNode } from 'react';
import { useI18n } from '../../i18n/index.tsx';
import { SOURCE_LABELS, type FormDefinition, type FormField, type PrefillField } from './form-api.ts';

type Props = { form: FormDefinition; prefillFields: PrefillField[]; idPrefix: string };

const INPUT_TYPES: Partial<Record<FormField['type'], string>> = { number: 'number', date: 'date', phone: 'tel', email: 'email' };

export function FormPreview({ form, prefillFields, idPrefix }: Props) {
  const { t, lang } = useI18n();
  const pick = (zh?: string, en?: string) => (lang === 'en' ? en || zh : zh || en) ?? '';
  if (form.fields.length === 0) return <p className="muted">{t('serviceForms.preview.empty')}</p>;

  function control(f: FormField, i: number): ReactNode {
    const id = `${idPrefix}-${i}`;
    const label = pick(f.labelZh, f.labelEn).trim() || t('serviceForms.preview.untitled');
    const known = f.prefill && prefillFields.find((p) => p.source === f.prefill!.source && p.field === f.prefill!.field);
    const notes = [
      pick(f.hintZh, f.hintEn) && { id: `${id}-hint`, text: pick(f.hintZh, f.hintEn) },
      f.prefill && { id: `${id}-prefill`, text: t('serviceForms.preview.prefilled', { source: t(SOURCE_LABELS[f.prefill.source]), label: known ? pick(known.labelZh, known.labelEn) : f.prefill.field }) },
      f.locked && { id: `${id}-locked`, text: t('serviceForms.preview.locked') },
    ].filter((n): n is { id: string; text: string } => Boolean(n));
    const describedBy = notes.length ? notes.map((n) => n.id).join(' ') : undefined;
    const noteList = notes.map((n) => (
      <p key={n.id} className="hint" id={n.id}>
        {n.text}
      </p>
    ));
    const mark = f.required && (
      <span className="required-mark" aria-hidden="true">
        {' '}
        {t('common.required')}
      </span>
    );
    const options = f.options ?? [];
    if (f.type === 'radio' || (f.type === 'checkbox' && options.length > 0)) {
      return (
        <fieldset className="field form-preview-choices" key={i} aria-describedby={describedBy}>
          <legend>
            {label}
            {mark}
          </legend>
          {noteList}
          {options.map((o, j) => (
            <div className="checkbox" key={j}>
              <input id={`${id}-${j}`} type={f.type} name={`${idPrefix}-${f.key || i}`} value={o.value} disabled={f.locked} />
              <label htmlFor={`${id}-${j}`}>{pick(o.labelZh, o.labelEn) || o.value}</label>
            </div>
          ))}
        </fieldset>
      );
    }
    if (f.type === 'checkbox') {
      return (
        <div className="checkbox field" key={i}>
          <input id={id} type="checkbox" required={f.required} aria-describedby={describedBy} disabled={f.locked} />
          <label htmlFor={id}>
            {label}
            {mark}
          </label>
          {noteList}
        </div>
      );
    }
    const common = { id, required: f.required, 'aria-describedby': describedBy, readOnly: f.locked };
    let input: ReactNode;
    if (f.type === 'select') {
      input = (
        <select {...common} disabled={f.locked} defaultValue="">
          <option value="">{t('serviceForms.preview.choose')}</option>
          {options.map((o, j) => (
            <option key={j} value={o.value}>
              {pick(o.labelZh, o.labelEn) || o.value}
            </option>
          ))}
        </select>
      );
    } else if (f.type === 'textarea') {
      input = <textarea rows={3} {...common} maxLength={f.maxLength} />;
    } else {
      const extra = f.type === 'number' ? { min: f.min, max: f.max } : f.type === 'id-number' || f.type === 'credit-code' ? { maxLength: 18, spellCheck: false } : { maxLength: f.maxLength };
      input = <input type={INPUT_TYPES[f.type] ?? 'text'} {...common} {...extra} />;
    }
    return (
      <div className="field" key={i}>
        <div className="label-row">
          <label htmlFor={id}>{label}</label>
          {mark}
        </div>
        {noteList}
        {input}
      </div>
    );
  }

  // As the server's displayOrder: each section's fields, then those in no section.
  const indexed = form.fields.map((f, i) => ({ f, i }));
  const loose = indexed.filter(({ f }) => !f.section || !form.sections.some((s) => s.key === f.section));
  return (
    <form className="form form-preview" aria-label={t('serviceForms.preview.title')} noValidate onSubmit={(e) => e.preventDefault()}>
      {form.sections.map((s, k) => {
        const inside = indexed.filter(({ f }) => f.section === s.key);
        if (inside.length === 0) return null;
        const hint = pick(s.hintZh, s.hintEn);
        return (
          <fieldset className="service-group" key={k} aria-describedby={hint ? `${idPrefix}-section-${k}-hint` : undefined}>
            <legend>{pick(s.labelZh, s.labelEn).trim() || t('serviceForms.preview.untitledSection')}</legend>
            {hint && (
              <p className="hint" id={`${idPrefix}-section-${k}-hint`}>
                {hint}
              </p>
            )}
            {inside.map(({ f, i }) => control(f, i))}
          </fieldset>
        );
      })}
      {loose.map(({ f, i }) => control(f, i))}
      <button type="submit" className="button" disabled>
        {t('serviceForms.preview.submit')}
      </button>
    </form>
  );
}
