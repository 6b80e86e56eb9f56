// The e-form builder: a draft service's sections and fields (add, remove, move up and down,
// each field's properties and registry prefill), with a live preview beside it of the form as
// the applicant will see it. The whole form is saved with the version read; the server checks
// everything, and each problem is written beside its input and listed, linked, in the summary
// that takes focus.
import { useEffect, useRef, useState } from 'react';
import { ApiError } from '../../api.ts';
import { FieldNotes, fieldId, TextAreaField, TextField } from '../../components/forms.tsx';
import { useSubmit } from '../../components/use-submit.ts';
import { useI18n, type MessageKey, type Translate } from '../../i18n/index.tsx';
import { ProblemSummary } from '../registries/errors.tsx';
import { problemMessage } from '../registries/problems.ts';
import { formsApi, type FormView, type PrefillField } from './form-api.ts';
import { bodyOf, formOf, inputOf, newField, newSection, normalField, valuesOf, type BuilderValues, type FieldRow, type SectionRow } from './form-builder-values.ts';
import { cellLabel, FieldEditor } from './form-field-editor.tsx';
import { FormPreview } from './form-preview.tsx';
import { Repeater } from './repeater.tsx';

const FORM = 'eform';

type Props = { code: string; form: FormView; prefillFields: PrefillField[]; onSaved: (saved: FormView) => void };

const fieldRowName = (t: Translate, n: number) => t('serviceForms.fieldItem', { n });
const sectionRowName = (t: Translate, n: number) => t('serviceForms.sectionItem', { n });
const FIELD_INPUTS: Record<string, MessageKey> = {
  key: 'serviceForms.field.key',
  type: 'serviceForms.field.type',
  section: 'serviceForms.field.section',
  labelZh: 'serviceForms.field.labelZh',
  labelEn: 'serviceForms.field.labelEn',
  hintZh: 'serviceForms.field.hintZh',
  hintEn: 'serviceForms.field.hintEn',
  options: 'serviceForms.field.options',
  minLength: 'serviceForms.field.minLength',
  maxLength: 'serviceForms.field.maxLength',
  min: 'serviceForms.field.min',
  max: 'serviceForms.field.max',
  minDate: 'serviceForms.field.minDate',
  maxDate: 'serviceForms.field.maxDate',
  pattern: 'serviceForms.field.pattern',
  prefill: 'serviceForms.field.prefill',
  locked: 'serviceForms.field.locked',
};
const SECTION_INPUTS: Record<string, MessageKey> = { key: 'serviceForms.sectionKey', labelZh: 'serviceForms.sectionLabelZh', labelEn: 'serviceForms.sectionLabelEn', hintZh: 'serviceForms.field.hintZh', hintEn: 'serviceForms.field.hintEn' };

/** Every input's label by its field name, for the error summary's links. */
function inputLabels(t: Translate, v: BuilderValues): Record<string, string> {
  const out: Record<string, string> = { sections: t('serviceForms.sections'), fields: t('serviceForms.fields') };
  v.sections.forEach((_, i) => {
    for (const [field, key] of Object.entries(SECTION_INPUTS)) out[`sections.${i}.${field}`] = cellLabel(t, sectionRowName(t, i + 1), key);
  });
  v.fields.forEach((f, i) => {
    const row = fieldRowName(t, i + 1);
    for (const [field, key] of Object.entries(FIELD_INPUTS)) out[`fields.${i}.${field}`] = cellLabel(t, row, key);
    f.options.forEach((_, j) => {
      const option = t('serviceForms.rowField', { row, field: t('serviceForms.field.optionItem', { n: j + 1 }) });
      out[`fields.${i}.options.${j}.value`] = t('serviceForms.rowField', { row: option, field: t('serviceForms.field.optionValue') });
      out[`fields.${i}.options.${j}.labelZh`] = t('serviceForms.rowField', { row: option, field: t('serviceForms.field.labelZh') });
      out[`fields.${i}.options.${j}.labelEn`] = t('serviceForms.rowField', { row: option, field: t('serviceForms.field.labelEn') });
    });
  });
  return out;
}

export function FormBuilder({ code, form, prefillFields, onSaved }: Props) {
  const { t, lang, lookup } = useI18n();
  const [values, setValues] = useState<BuilderValues>(() => valuesOf(form));
  /** The row to focus after an add or a move: its first input, or the button that moved it. */
  const [focus, setFocus] = useState<{ rowKey: number; target: 'first' | 'up' | 'down' } | 'add' | undefined>();
  const listRef = useRef<HTMLFieldSetElement>(null);
  const { error, setError, busy, submit } = useSubmit(async () => {
    onSaved(await formsApi.save(code, form.version, bodyOf(values, t)));
  });

  useEffect(() => {
    if (focus === undefined) return;
    const target =
      focus === 'add'
        ? document.getElementById(`${FORM}-fields-add`)
        : listRef.current?.querySelector<HTMLElement>(focus.target === 'first' ? `[data-field="${focus.rowKey}"] :is(input, select, textarea)` : `[data-field="${focus.rowKey}"] [data-move="${focus.target}"]`);
    target?.focus();
    setFocus(undefined);
  }, [focus]);

  const errors: Record<string, string> = {};
  for (const problem of error?.errors ?? []) {
    const input = inputOf(normalField(problem));
    if (!(input in errors)) errors[input] = problemMessage(lookup, problem);
  }
  const summaryError = error && new ApiError(error.status, error.code, error.detail, error.errors.map((p) => ({ ...p, field: inputOf(normalField(p)) })));
  // Rows renumber when one is removed or moved: the server's problems no longer match them.
  const setFields = (fields: FieldRow[], renumbered: boolean) => {
    if (renumbered) setError(undefined);
    setValues((v) => ({ ...v, fields }));
  };
  const updateField = (rowKey: number) => (patch: Partial<FieldRow>) => setValues((v) => ({ ...v, fields: v.fields.map((f) => (f.rowKey === rowKey ? { ...f, ...patch } : f)) }));

  function addField() {
    const row = newField();
    setFields([...values.fields, row], false);
    setFocus({ rowKey: row.rowKey, target: 'first' });
  }
  function removeField(index: number) {
    const next = values.fields.filter((_, i) => i !== index);
    setFields(next, true);
    const after = next[Math.min(index, next.length - 1)];
    setFocus(after ? { rowKey: after.rowKey, target: 'first' } : 'add');
  }
  function moveField(index: number, by: -1 | 1) {
    const next = [...values.fields];
    const [row] = next.splice(index, 1);
    next.splice(index + by, 0, row!);
    setFields(next, true);
    // Keep focus on the moved row's button; at the list's end that button is gone, so the other one.
    const edge = index + by === 0 || index + by === next.length - 1;
    setFocus({ rowKey: row!.rowKey, target: edge ? (by === -1 ? 'down' : 'up') : by === -1 ? 'up' : 'down' });
  }

  const pick = (zh: string, en: string) => (lang === 'en' ? en || zh : zh || en).trim();
  const fieldsId = fieldId(FORM, 'fields');

  return (
    <div className="service-editor">
      <form className="form service-form" onSubmit={(e) => void submit(e)} noValidate aria-label={t('serviceForms.link')}>
        <ProblemSummary error={summaryError} formId={FORM} labels={inputLabels(t, values)}>
          {error?.code === 'version_conflict' && <p>{t('serviceForms.stale')}</p>}
        </ProblemSummary>
        <Repeater<SectionRow>
          formId={FORM}
          name="sections"
          legend={t('serviceForms.sections')}
          hint={t('serviceForms.sectionsHint')}
          error={errors.sections}
          rows={values.sections}
          onChange={(sections) => {
            if (sections.length < values.sections.length) setError(undefined);
            setValues((v) => ({ ...v, sections }));
          }}
          newRow={() => newSection()}
          rowLabel={(n) => sectionRowName(t, n)}
          addLabel={t('serviceForms.sectionsAdd')}
        >
          {(row, i, update) => {
            const cell = (field: keyof typeof SECTION_INPUTS, area = false) => {
              const Field = area ? TextAreaField : TextField;
              const name = `sections.${i}.${field}`;
              return <Field formId={FORM} name={name} label={cellLabel(t, sectionRowName(t, i + 1), SECTION_INPUTS[field]!)} required={!area} value={row[field as 'key']} onChange={(value: string) => update({ [field]: value })} error={errors[name]} />;
            };
            return (
              <>
                <div className="filters">
                  {cell('key')}
                  {cell('labelZh')}
                  {cell('labelEn')}
                </div>
                <div className="filters">
                  {cell('hintZh', true)}
                  {cell('hintEn', true)}
                </div>
              </>
            );
          }}
        </Repeater>

        <fieldset ref={listRef} className={`service-group${errors.fields ? ' field-invalid' : ''}`} id={fieldsId} tabIndex={-1} aria-describedby={[`${fieldsId}-hint`, errors.fields ? `${fieldsId}-error` : ''].filter(Boolean).join(' ')}>
          <legend>{t('serviceForms.fields')}</legend>
          <FieldNotes id={fieldsId} hint={t('serviceForms.fieldsHint')} error={errors.fields} />
          {values.fields.length === 0 && <p className="muted">{t('serviceForms.empty')}</p>}
          {values.fields.map((row, i) => {
            const rowName = fieldRowName(t, i + 1);
            const shown = pick(row.labelZh, row.labelEn);
            return (
              <fieldset key={row.rowKey} className="service-row" data-field={row.rowKey}>
                <legend>{shown ? t('serviceForms.fieldItemNamed', { n: i + 1, label: shown }) : rowName}</legend>
                <FieldEditor formId={FORM} index={i} row={row} rowName={rowName} sections={values.sections} prefillFields={prefillFields} errors={errors} update={updateField(row.rowKey)} />
                <div className="button-row">
                  {i > 0 && (
                    <button type="button" className="button button-secondary button-small" data-move="up" onClick={() => moveField(i, -1)}>
                      {t('serviceForms.moveUp', { row: rowName })}
                    </button>
                  )}
                  {i < values.fields.length - 1 && (
                    <button type="button" className="button button-secondary button-small" data-move="down" onClick={() => moveField(i, 1)}>
                      {t('serviceForms.moveDown', { row: rowName })}
                    </button>
                  )}
                  <button type="button" className="button button-secondary button-small" onClick={() => removeField(i)}>
                    {t('serviceForms.remove', { row: rowName })}
                  </button>
                </div>
              </fieldset>
            );
          })}
          <button type="button" className="button button-secondary button-small" id={`${FORM}-fields-add`} onClick={addField}>
            {t('serviceForms.fieldsAdd')}
          </button>
        </fieldset>
        <div className="button-row">
          <button type="submit" className="button" disabled={busy}>
            {busy ? t('common.saving') : t('serviceForms.save')}
          </button>
        </div>
      </form>
      <aside className="panel service-preview" aria-labelledby="eform-preview-title">
        <h2 id="eform-preview-title">{t('serviceForms.preview.title')}</h2>
        <p className="hint">{t('serviceForms.preview.hint')}</p>
        <FormPreview form={formOf(values)} prefillFields={prefillFields} idPrefix="eform-preview" />
      </aside>
    </div>
  );
}
