// The entry editor's groups of inputs: the classification (chosen on a new entry, fixed on a
// revision), names, abstract and format, sharing (conditions or basis marked required by the
// sharing type), opening (the licence required when open), and themes and keywords.
import type { ReactNode } from 'react';
import { CheckboxGroup, FieldNotes, fieldId, SelectField, TextField } from '../../components/forms.tsx';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import type { EntryView } from './api.ts';
import type { FormKit, Values } from './entry-form.tsx';
import { CYCLE_LABELS, FORMAT_LABELS, METHOD_LABELS, SHARING_LABELS, THEMES, optionsOf } from './labels.ts';

/** The inputs' labels by the server's field names, for the error summary's links. */
export function inputLabels(t: (key: MessageKey, vars?: Record<string, string | number>) => string, itemCount: number): Record<string, string> {
  return {
    'classification.class': t('catalog.form.class'),
    'classification.item': t('catalog.form.item'),
    'classification.subItem': t('catalog.form.subItem'),
    'classification.detail': t('catalog.form.detail'),
    nameZh: t('catalog.form.nameZh'),
    nameEn: t('catalog.form.nameEn'),
    abstractZh: t('catalog.form.abstractZh'),
    abstractEn: t('catalog.form.abstractEn'),
    'format.class': t('catalog.form.formatClass'),
    'format.type': t('catalog.form.formatType'),
    dataItems: t('catalog.items.title', { count: itemCount }),
    'sharing.type': t('catalog.form.sharingType'),
    'sharing.condition': t('catalog.form.condition'),
    'sharing.basis': t('catalog.form.basis'),
    'sharing.methods': t('catalog.form.methods'),
    'open.open': t('catalog.form.open'),
    'open.condition': t('catalog.form.openCondition'),
    licence: t('catalog.form.licence'),
    updateCycle: t('catalog.form.cycle'),
    themes: t('catalog.form.themes'),
    keywords: t('catalog.form.keywords'),
    relatedCodes: t('catalog.form.related'),
    exchangeService: t('catalog.form.service'),
  };
}

function Group({ title, children }: { title: string; children: ReactNode }) {
  return (
    <fieldset className="catalog-group">
      <legend>{title}</legend>
      {children}
    </fieldset>
  );
}

export function ClassificationGroup({ kit, entry }: { kit: FormKit; entry: EntryView | undefined }) {
  const { t } = useI18n();
  const { formId, values, setValues, set, errors } = kit;
  return (
    <Group title={t('catalog.form.classification')}>
      {entry ? (
        <p>
          {t('catalog.form.fixedCode', { code: entry.code })}
          {errors.classification && <span className="field-error"> {errors.classification}</span>}
        </p>
      ) : (
        <>
          <div className="filters">
            <SelectField
              formId={formId}
              name="classification.class"
              label={t('catalog.form.class')}
              required
              value={values.class}
              onChange={(c) => setValues((v) => ({ ...v, class: c as Values['class'], item: c === '3' ? '07' : '01' }))}
              options={[{ value: '3', label: t('catalog.class.3') }, { value: '2', label: t('catalog.class.2') }]}
              error={errors['classification.class']}
            />
            {values.class === '2' && (
              <>
                <SelectField formId={formId} name="classification.item" label={t('catalog.form.item')} required value={values.item} onChange={set('item')} options={optionsOf(THEMES, t)} error={errors['classification.item']} />
                <TextField formId={formId} name="classification.subItem" label={t('catalog.form.subItem')} hint={t('catalog.form.subItemHint')} required inputMode="numeric" maxLength={3} value={values.subItem} onChange={set('subItem')} error={errors['classification.subItem']} />
              </>
            )}
            <TextField formId={formId} name="classification.detail" label={t('catalog.form.detail')} hint={t('catalog.form.detailHint')} inputMode="numeric" maxLength={6} value={values.detail} onChange={set('detail')} error={errors['classification.detail']} />
          </div>
          <p className="hint">{t(values.class === '3' ? 'catalog.form.departmentHint' : 'catalog.form.themeHint')}</p>
        </>
      )}
    </Group>
  );
}

export function DescriptionGroup({ kit }: { kit: FormKit }) {
  const { t } = useI18n();
  const { formId, values, set, errors, text } = kit;
  return (
    <Group title={t('catalog.form.description')}>
      {text('nameZh', 'nameZh', 'catalog.form.nameZh', { required: true })}
      {text('nameEn', 'nameEn', 'catalog.form.nameEn')}
      {text('abstractZh', 'abstractZh', 'catalog.form.abstractZh', { required: true, area: true })}
      {text('abstractEn', 'abstractEn', 'catalog.form.abstractEn', { area: true })}
      <div className="filters">
        <SelectField formId={formId} name="format.class" label={t('catalog.form.formatClass')} required value={values.formatClass} onChange={set('formatClass')} options={optionsOf(FORMAT_LABELS, t)} error={errors['format.class']} />
        {text('formatType', 'format.type', 'catalog.form.formatType', { required: true, hint: 'catalog.form.formatTypeHint' })}
        <SelectField formId={formId} name="updateCycle" label={t('catalog.form.cycle')} required value={values.updateCycle} onChange={set('updateCycle')} options={optionsOf(CYCLE_LABELS, t)} error={errors.updateCycle} />
      </div>
    </Group>
  );
}

export function SharingGroup({ kit }: { kit: FormKit }) {
  const { t } = useI18n();
  const { formId, values, set, errors, text } = kit;
  const sharing = values.sharingType;
  return (
    <Group title={t('catalog.form.sharing')}>
      <SelectField formId={formId} name="sharing.type" label={t('catalog.form.sharingType')} hint={t('catalog.form.sharingHint')} required value={sharing} onChange={set('sharingType')} options={optionsOf(SHARING_LABELS, t)} error={errors['sharing.type']} />
      {text('condition', 'sharing.condition', 'catalog.form.condition', { area: true, required: sharing === 'conditional', hint: sharing === 'conditional' ? 'catalog.form.conditionRequired' : 'catalog.form.conditionHint' })}
      {text('basis', 'sharing.basis', 'catalog.form.basis', { area: true, required: sharing === 'none', hint: sharing === 'none' ? 'catalog.form.basisRequired' : 'catalog.form.basisHint' })}
      {sharing !== 'none' && (
        <CheckboxGroup formId={formId} name="sharing.methods" legend={`${t('catalog.form.methods')} ${t('common.required')}`} options={optionsOf(METHOD_LABELS, t)} values={values.methods} onChange={set('methods')} error={errors['sharing.methods']} />
      )}
      {text('exchangeService', 'exchangeService', 'catalog.form.service', { hint: 'catalog.form.serviceHint', wide: true })}
    </Group>
  );
}

export function OpeningGroup({ kit }: { kit: FormKit }) {
  const { t } = useI18n();
  const { formId, values, set, errors, text } = kit;
  const id = fieldId(formId, 'open.open');
  const error = errors['open.open'];
  return (
    <Group title={t('catalog.form.opening')}>
      {/* The shared checkbox takes no error; this one can be refused (not shared yet open). */}
      <div className={`checkbox${error ? ' field-invalid' : ''}`}>
        <input id={id} name="open.open" type="checkbox" checked={values.open} aria-invalid={error ? true : undefined} aria-describedby={`${id}-hint${error ? ` ${id}-error` : ''}`} onChange={(e) => set('open')(e.target.checked)} />
        <label htmlFor={id}>{t('catalog.form.open')}</label>
        <FieldNotes id={id} hint={t('catalog.form.openHint')} error={error} />
      </div>
      {text('licence', 'licence', 'catalog.form.licence', { required: values.open, hint: 'catalog.form.licenceHint' })}
      {text('openCondition', 'open.condition', 'catalog.form.openCondition', { area: true })}
    </Group>
  );
}

export function FindingGroup({ kit }: { kit: FormKit }) {
  const { t } = useI18n();
  const { formId, values, set, errors, text } = kit;
  return (
    <Group title={t('catalog.form.finding')}>
      <CheckboxGroup formId={formId} name="themes" legend={t('catalog.form.themes')} options={optionsOf(THEMES, t)} values={values.themes} onChange={set('themes')} error={errors.themes} />
      {text('keywords', 'keywords', 'catalog.form.keywords', { hint: 'catalog.form.listHint' })}
      {text('relatedCodes', 'relatedCodes', 'catalog.form.related', { hint: 'catalog.form.relatedHint' })}
    </Group>
  );
}
