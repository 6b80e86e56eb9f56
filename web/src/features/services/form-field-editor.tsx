// One field of the e-form builder: its key, type, labels and hints in both languages, whether
// it is required and its section, then what its type takes (options, lengths, values, dates, a
// format rule), and the registry field it is prefilled from (only those that fit its type),
// locked or not. Every input is named as the server names the field ("fields.2.options.0.value"),
// so a problem lands beside it; labels start with the field's row ("Field 3: Key").
import { CheckboxField, SelectField, TextAreaField, TextField } from '../../components/forms.tsx';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import { CHOICE_TYPES, FIELD_TYPE_LABELS, FIELD_TYPES, SOURCE_LABELS, TEXT_TYPES, type PrefillField } from './form-api.ts';
import { newOption, type FieldRow, type OptionRow, type SectionRow } from './form-builder-values.ts';
import { Repeater } from './repeater.tsx';

export type FieldEditorProps = {
  formId: string;
  index: number;
  row: FieldRow;
  /** "Field 3": the row's legend and the start of its inputs' labels. */
  rowName: string;
  sections: SectionRow[];
  prefillFields: PrefillField[];
  errors: Record<string, string>;
  update: (patch: Partial<FieldRow>) => void;
};

export const cellLabel = (t: (key: MessageKey, vars?: Record<string, string | number>) => string, rowName: string, field: MessageKey) => t('serviceForms.rowField', { row: rowName, field: t(field) });

export function FieldEditor({ formId, index, row, rowName, sections, prefillFields, errors, update }: FieldEditorProps) {
  const { t, lang } = useI18n();
  const name = (field: string) => `fields.${index}.${field}`;
  const label = (key: MessageKey) => cellLabel(t, rowName, key);
  const text = (field: 'key' | 'labelZh' | 'labelEn' | 'minLength' | 'maxLength' | 'min' | 'max' | 'minDate' | 'maxDate' | 'pattern', key: MessageKey, extra: { hint?: MessageKey; numeric?: boolean; wide?: boolean } = {}) => (
    <TextField
      formId={formId}
      name={name(field)}
      label={label(key)}
      hint={extra.hint && t(extra.hint)}
      required={field === 'key' || field === 'labelZh' || field === 'labelEn'}
      inputMode={extra.numeric ? 'numeric' : undefined}
      spellCheck={field === 'key' || field === 'pattern' ? false : undefined}
      className={extra.wide ? 'field-wide' : undefined}
      value={row[field]}
      onChange={(value) => update({ [field]: value })}
      error={errors[name(field)]}
    />
  );
  const isText = TEXT_TYPES.includes(row.type);
  const takesOptions = CHOICE_TYPES.includes(row.type);
  const counted = row.type === 'checkbox' && row.options.length > 0;
  const fitting = prefillFields.filter((p) => p.types.includes(row.type));
  const pick = (zh: string, en: string) => (lang === 'en' ? en || zh : zh || en);
  const prefillOptions = [
    { value: '', label: t('serviceForms.field.prefillNone') },
    ...fitting.map((p) => ({ value: `${p.source}.${p.field}`, label: t('serviceForms.field.prefillOption', { source: t(SOURCE_LABELS[p.source]), label: pick(p.labelZh, p.labelEn) }) })),
    // A saved choice that no longer fits the type stays visible, so the server's problem can name it.
    ...(row.prefill && !fitting.some((p) => `${p.source}.${p.field}` === row.prefill) ? [{ value: row.prefill, label: row.prefill }] : []),
  ];
  const optionName = (n: number) => t('serviceForms.rowField', { row: rowName, field: t('serviceForms.field.optionItem', { n }) });

  return (
    <>
      <div className="filters">
        {text('key', 'serviceForms.field.key', { hint: 'serviceForms.field.keyHint' })}
        <SelectField
          formId={formId}
          name={name('type')}
          label={label('serviceForms.field.type')}
          required
          value={row.type}
          onChange={(type) => update({ type: type as FieldRow['type'] })}
          options={FIELD_TYPES.map((type) => ({ value: type, label: t(FIELD_TYPE_LABELS[type]) }))}
          error={errors[name('type')]}
        />
        <SelectField
          formId={formId}
          name={name('section')}
          label={label('serviceForms.field.section')}
          value={row.section}
          onChange={(section) => update({ section })}
          options={[{ value: '', label: t('serviceForms.field.noSection') }, ...sections.filter((s) => s.key.trim()).map((s) => ({ value: s.key.trim(), label: pick(s.labelZh, s.labelEn) || s.key }))]}
          error={errors[name('section')]}
        />
      </div>
      <div className="filters">
        {text('labelZh', 'serviceForms.field.labelZh')}
        {text('labelEn', 'serviceForms.field.labelEn')}
      </div>
      <div className="filters">
        <TextAreaField formId={formId} name={name('hintZh')} label={label('serviceForms.field.hintZh')} value={row.hintZh} onChange={(hintZh) => update({ hintZh })} error={errors[name('hintZh')]} />
        <TextAreaField formId={formId} name={name('hintEn')} label={label('serviceForms.field.hintEn')} value={row.hintEn} onChange={(hintEn) => update({ hintEn })} error={errors[name('hintEn')]} />
      </div>
      <CheckboxField formId={formId} name={name('required')} label={label('serviceForms.field.required')} checked={row.required} onChange={(required) => update({ required })} />
      {takesOptions && (
        <Repeater<OptionRow>
          formId={formId}
          name={name('options')}
          legend={label('serviceForms.field.options')}
          hint={t('serviceForms.field.optionsHint')}
          required={row.type !== 'checkbox'}
          error={errors[name('options')]}
          rows={row.options}
          onChange={(options) => update({ options })}
          newRow={() => newOption()}
          rowLabel={optionName}
          addLabel={t('serviceForms.field.optionsAdd')}
        >
          {(option, j, change) => {
            const cell = (field: 'value' | 'labelZh' | 'labelEn', key: MessageKey) => (
              <TextField formId={formId} name={name(`options.${j}.${field}`)} label={t('serviceForms.rowField', { row: optionName(j + 1), field: t(key) })} required value={option[field]} onChange={(value) => change({ [field]: value })} error={errors[name(`options.${j}.${field}`)]} />
            );
            return (
              <div className="filters">
                {cell('value', 'serviceForms.field.optionValue')}
                {cell('labelZh', 'serviceForms.field.labelZh')}
                {cell('labelEn', 'serviceForms.field.labelEn')}
              </div>
            );
          }}
        </Repeater>
      )}
      {(isText || row.type === 'number' || counted || row.type === 'date') && (
        <div className="filters">
          {isText && text('minLength', 'serviceForms.field.minLength', { numeric: true })}
          {isText && text('maxLength', 'serviceForms.field.maxLength', { numeric: true })}
          {row.type === 'number' && text('min', 'serviceForms.field.min')}
          {row.type === 'number' && text('max', 'serviceForms.field.max')}
          {counted && text('min', 'serviceForms.field.minChoices', { numeric: true })}
          {counted && text('max', 'serviceForms.field.maxChoices', { numeric: true })}
          {row.type === 'date' && text('minDate', 'serviceForms.field.minDate', { hint: 'serviceForms.field.dateHint' })}
          {row.type === 'date' && text('maxDate', 'serviceForms.field.maxDate', { hint: 'serviceForms.field.dateHint' })}
          {(row.type === 'text' || row.type === 'textarea') && text('pattern', 'serviceForms.field.pattern', { hint: 'serviceForms.field.patternHint', wide: true })}
        </div>
      )}
      <div className="filters">
        <SelectField
          formId={formId}
          name={name('prefill')}
          label={label('serviceForms.field.prefill')}
          hint={t('serviceForms.field.prefillHint')}
          className="field-wide"
          value={row.prefill}
          onChange={(prefill) => update({ prefill, locked: prefill ? row.locked : false })}
          options={prefillOptions}
          error={errors[name('prefill')]}
        />
      </div>
      {row.prefill && <CheckboxField formId={formId} name={name('locked')} label={label('serviceForms.field.locked')} checked={row.locked} onChange={(locked) => update({ locked })} />}
      {errors[name('locked')] && (
        <p className="field-error" id={`${formId}-${name('locked')}-error`}>
          {errors[name('locked')]}
        </p>
      )}
    </>
  );
}
