// The editor's groups of inputs: the service itself (code, kind, organization, names and
// summaries), the joint organizations, legal bases and conditions (both languages), materials,
// fees and questions (repeatable), time limits and visits, and the portal's events. Each
// input is named as the server names its field ("materials.1.key"), so a problem lands beside it.
import type { Dispatch, SetStateAction } from 'react';
import { CheckboxField, CheckboxGroup, SelectField, TextAreaField, TextField, type Option } from '../../components/forms.tsx';
import { useI18n, type MessageKey, type Translate } from '../../i18n/index.tsx';
import { EVENT_LABELS, KIND_LABELS, type ServiceKind } from './api.ts';
import { newBilingual, newFaq, newFee, newJoint, newMaterial, type BilingualRow, type Values } from './form-values.ts';
import { Repeater } from './repeater.tsx';

export type FormKit = {
  formId: string;
  values: Values;
  setValues: Dispatch<SetStateAction<Values>>;
  /** Sets a list; a shorter list clears the server's problems, whose row numbers no longer match. */
  setList: <K extends ListName>(name: K) => (rows: Values[K]) => void;
  errors: Record<string, string>;
};
export type ListName = 'jointOrgIds' | 'legalBasis' | 'conditions' | 'materials' | 'fees' | 'faqs';

const ROW_LABELS: Record<ListName, MessageKey> = {
  jointOrgIds: 'services.form.jointItem',
  legalBasis: 'services.form.legalBasisItem',
  conditions: 'services.form.conditionsItem',
  materials: 'services.form.materialsItem',
  fees: 'services.form.feesItem',
  faqs: 'services.form.faqsItem',
};
const GROUP_LABELS: Record<ListName | 'events', MessageKey> = {
  jointOrgIds: 'services.form.joint',
  legalBasis: 'services.form.legalBasis',
  conditions: 'services.form.conditions',
  materials: 'services.form.materials',
  fees: 'services.form.fees',
  faqs: 'services.form.faqs',
  events: 'services.form.events',
};
const MATERIAL_FIELDS = { key: 'services.form.materialKey', nameZh: 'services.form.materialNameZh', nameEn: 'services.form.materialNameEn', required: 'services.form.materialRequired', fetchable: 'services.form.materialFetchable', 'fetchable.registry': 'services.form.materialRegistry', 'fetchable.field': 'services.form.materialField', templateUrl: 'services.form.materialTemplate', sampleUrl: 'services.form.materialSample' } as const satisfies Record<string, MessageKey>;
const FEE_FIELDS = { itemZh: 'services.form.feeItemZh', itemEn: 'services.form.feeItemEn', amountFen: 'services.form.feeAmount', basisZh: 'services.form.feeBasisZh', basisEn: 'services.form.feeBasisEn' } as const satisfies Record<string, MessageKey>;
const FAQ_FIELDS = { qZh: 'services.form.faqQZh', qEn: 'services.form.faqQEn', aZh: 'services.form.faqAZh', aEn: 'services.form.faqAEn' } as const satisfies Record<string, MessageKey>;
const BILINGUAL_FIELDS = { zh: 'services.form.zh', en: 'services.form.en' } as const satisfies Record<string, MessageKey>;
const SINGLE_FIELDS = {
  code: 'services.form.code',
  orgId: 'services.form.org',
  kind: 'services.form.kind',
  nameZh: 'services.form.nameZh',
  nameEn: 'services.form.nameEn',
  summaryZh: 'services.form.summaryZh',
  summaryEn: 'services.form.summaryEn',
  statutoryDays: 'services.form.statutoryDays',
  promisedDays: 'services.form.promisedDays',
  visits: 'services.form.visits',
} as const satisfies Record<string, MessageKey>;

const rowLabel = (t: Translate, list: ListName) => (n: number) => t(ROW_LABELS[list], { n });
const cellLabel = (t: Translate, list: ListName, index: number, field: MessageKey) => t('services.form.rowField', { row: rowLabel(t, list)(index + 1), field: t(field) });

/** Every input's label by its field name, for the error summary's links. */
export function inputLabels(t: Translate, v: Values): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, key] of Object.entries(SINGLE_FIELDS)) out[name] = t(key);
  for (const [name, key] of Object.entries(GROUP_LABELS)) out[name] = t(key);
  const cells = (list: ListName, count: number, fields: Record<string, MessageKey>) => {
    for (let i = 0; i < count; i++) for (const [field, key] of Object.entries(fields)) out[`${list}.${i}.${field}`] = cellLabel(t, list, i, key);
  };
  for (let i = 0; i < v.jointOrgIds.length; i++) out[`jointOrgIds.${i}`] = rowLabel(t, 'jointOrgIds')(i + 1);
  cells('legalBasis', v.legalBasis.length, BILINGUAL_FIELDS);
  cells('conditions', v.conditions.length, BILINGUAL_FIELDS);
  cells('materials', v.materials.length, MATERIAL_FIELDS);
  cells('fees', v.fees.length, FEE_FIELDS);
  cells('faqs', v.faqs.length, FAQ_FIELDS);
  return out;
}

/** A text input of a row: named "materials.0.key", labelled "Material 1: Key". */
function Cell({ kit, list, index, field, label, value, onChange, hint, area, wide }: { kit: FormKit; list: ListName; index: number; field: string; label: MessageKey; value: string; onChange: (value: string) => void; hint?: MessageKey; area?: boolean; wide?: boolean }) {
  const { t } = useI18n();
  const name = `${list}.${index}.${field}`;
  const Field = area ? TextAreaField : TextField;
  return <Field formId={kit.formId} name={name} label={cellLabel(t, list, index, label)} hint={hint && t(hint)} className={wide ? 'field-wide' : undefined} value={value} onChange={onChange} error={kit.errors[name]} />;
}

export function BasicsGroup({ kit, fixedCode, orgChoice }: { kit: FormKit; fixedCode?: string; orgChoice: { options: Option[] } | { name: string; own: boolean } }) {
  const { t } = useI18n();
  const { formId, values, setValues, errors } = kit;
  const set = (name: 'code' | 'orgId' | 'nameZh' | 'nameEn' | 'summaryZh' | 'summaryEn') => (value: string) => setValues((v) => ({ ...v, [name]: value }));
  const text = (name: 'nameZh' | 'nameEn' | 'summaryZh' | 'summaryEn', area = false) => {
    const Field = area ? TextAreaField : TextField;
    return <Field formId={formId} name={name} label={t(SINGLE_FIELDS[name])} required className="field-wide" value={values[name]} onChange={set(name)} error={errors[name]} />;
  };
  return (
    <fieldset className="service-group">
      <legend>{t('services.form.basics')}</legend>
      <div className="filters">
        {fixedCode === undefined ? (
          <TextField formId={formId} name="code" label={t('services.form.code')} hint={t('services.form.codeHint')} required maxLength={100} spellCheck={false} value={values.code} onChange={set('code')} error={errors.code} className="field-wide" />
        ) : (
          <p className="field-wide">{t('services.form.fixedCode', { code: fixedCode })}</p>
        )}
        <SelectField
          formId={formId}
          name="kind"
          label={t('services.form.kind')}
          required
          value={values.kind}
          onChange={(kind) => setValues((v) => ({ ...v, kind: kind as ServiceKind }))}
          options={(Object.keys(KIND_LABELS) as ServiceKind[]).map((k) => ({ value: k, label: t(KIND_LABELS[k]) }))}
          error={errors.kind}
        />
        {'options' in orgChoice ? (
          <SelectField formId={formId} name="orgId" label={t('services.form.org')} required value={values.orgId} onChange={set('orgId')} options={orgChoice.options} error={errors.orgId} />
        ) : (
          <p>
            {orgChoice.own ? t('services.form.ownOrg', { name: orgChoice.name }) : `${t('services.form.org')}: ${orgChoice.name}`}
            {errors.orgId && <span className="field-error"> {errors.orgId}</span>}
          </p>
        )}
      </div>
      {text('nameZh')}
      {text('nameEn')}
      {text('summaryZh', true)}
      {text('summaryEn', true)}
    </fieldset>
  );
}

export function JointGroup({ kit, options }: { kit: FormKit; options: Option[] }) {
  const { t } = useI18n();
  const { formId, values, setList, errors } = kit;
  const label = rowLabel(t, 'jointOrgIds');
  return (
    <Repeater formId={formId} name="jointOrgIds" legend={t('services.form.joint')} hint={t('services.form.jointHint')} error={errors.jointOrgIds} rows={values.jointOrgIds} onChange={setList('jointOrgIds')} newRow={() => newJoint()} rowLabel={label} addLabel={t('services.form.jointAdd')}>
      {(row, i, update) => (
        <SelectField formId={formId} name={`jointOrgIds.${i}`} label={label(i + 1)} value={row.orgId} onChange={(orgId) => update({ orgId })} options={[{ value: '', label: t('services.form.jointChoose') }, ...options]} error={errors[`jointOrgIds.${i}`]} />
      )}
    </Repeater>
  );
}

export function BilingualGroup({ kit, list, addLabel, hint, required }: { kit: FormKit; list: 'legalBasis' | 'conditions'; addLabel: MessageKey; hint?: MessageKey; required?: boolean }) {
  const { t } = useI18n();
  const { formId, values, setList, errors } = kit;
  return (
    <Repeater<BilingualRow> formId={formId} name={list} legend={t(GROUP_LABELS[list])} hint={hint && t(hint)} required={required} error={errors[list]} rows={values[list]} onChange={setList(list)} newRow={() => newBilingual()} rowLabel={rowLabel(t, list)} addLabel={t(addLabel)}>
      {(row, i, update) => (
        <div className="filters">
          <Cell kit={kit} list={list} index={i} field="zh" label="services.form.zh" value={row.zh} onChange={(zh) => update({ zh })} />
          <Cell kit={kit} list={list} index={i} field="en" label="services.form.en" value={row.en} onChange={(en) => update({ en })} />
        </div>
      )}
    </Repeater>
  );
}

export function MaterialsGroup({ kit }: { kit: FormKit }) {
  const { t } = useI18n();
  const { formId, values, setList, errors } = kit;
  return (
    <Repeater formId={formId} name="materials" legend={t('services.form.materials')} error={errors.materials} rows={values.materials} onChange={setList('materials')} newRow={() => newMaterial()} rowLabel={rowLabel(t, 'materials')} addLabel={t('services.form.materialsAdd')}>
      {(row, i, update) => (
        <>
          <div className="filters">
            <Cell kit={kit} list="materials" index={i} field="key" label={MATERIAL_FIELDS.key} hint="services.form.materialKeyHint" value={row.key} onChange={(key) => update({ key })} />
            <Cell kit={kit} list="materials" index={i} field="nameZh" label={MATERIAL_FIELDS.nameZh} value={row.nameZh} onChange={(nameZh) => update({ nameZh })} />
            <Cell kit={kit} list="materials" index={i} field="nameEn" label={MATERIAL_FIELDS.nameEn} value={row.nameEn} onChange={(nameEn) => update({ nameEn })} />
          </div>
          <CheckboxField formId={formId} name={`materials.${i}.required`} label={cellLabel(t, 'materials', i, MATERIAL_FIELDS.required)} checked={row.required} onChange={(required) => update({ required })} />
          <CheckboxField formId={formId} name={`materials.${i}.fetchable`} label={cellLabel(t, 'materials', i, MATERIAL_FIELDS.fetchable)} checked={row.fetchable} onChange={(fetchable) => update({ fetchable })} />
          {row.fetchable && (
            <div className="filters">
              <Cell kit={kit} list="materials" index={i} field="fetchable.registry" label={MATERIAL_FIELDS['fetchable.registry']} hint="services.form.materialRegistryHint" value={row.registry} onChange={(registry) => update({ registry })} />
              <Cell kit={kit} list="materials" index={i} field="fetchable.field" label={MATERIAL_FIELDS['fetchable.field']} value={row.field} onChange={(field) => update({ field })} />
            </div>
          )}
          <div className="filters">
            <Cell kit={kit} list="materials" index={i} field="templateUrl" label={MATERIAL_FIELDS.templateUrl} hint="services.form.urlHint" value={row.templateUrl} onChange={(templateUrl) => update({ templateUrl })} />
            <Cell kit={kit} list="materials" index={i} field="sampleUrl" label={MATERIAL_FIELDS.sampleUrl} hint="services.form.urlHint" value={row.sampleUrl} onChange={(sampleUrl) => update({ sampleUrl })} />
          </div>
        </>
      )}
    </Repeater>
  );
}

export function FeesGroup({ kit }: { kit: FormKit }) {
  const { t } = useI18n();
  const { formId, values, setList, errors } = kit;
  return (
    <Repeater formId={formId} name="fees" legend={t('services.form.fees')} hint={t('services.form.feesHint')} error={errors.fees} rows={values.fees} onChange={setList('fees')} newRow={() => newFee()} rowLabel={rowLabel(t, 'fees')} addLabel={t('services.form.feesAdd')}>
      {(row, i, update) => (
        <div className="filters">
          <Cell kit={kit} list="fees" index={i} field="itemZh" label={FEE_FIELDS.itemZh} value={row.itemZh} onChange={(itemZh) => update({ itemZh })} />
          <Cell kit={kit} list="fees" index={i} field="itemEn" label={FEE_FIELDS.itemEn} value={row.itemEn} onChange={(itemEn) => update({ itemEn })} />
          <Cell kit={kit} list="fees" index={i} field="amountFen" label={FEE_FIELDS.amountFen} hint="services.form.feeAmountHint" value={row.yuan} onChange={(yuan) => update({ yuan })} />
          <Cell kit={kit} list="fees" index={i} field="basisZh" label={FEE_FIELDS.basisZh} value={row.basisZh} onChange={(basisZh) => update({ basisZh })} wide />
          <Cell kit={kit} list="fees" index={i} field="basisEn" label={FEE_FIELDS.basisEn} value={row.basisEn} onChange={(basisEn) => update({ basisEn })} wide />
        </div>
      )}
    </Repeater>
  );
}

export function FaqsGroup({ kit }: { kit: FormKit }) {
  const { t } = useI18n();
  const { formId, values, setList, errors } = kit;
  return (
    <Repeater formId={formId} name="faqs" legend={t('services.form.faqs')} error={errors.faqs} rows={values.faqs} onChange={setList('faqs')} newRow={() => newFaq()} rowLabel={rowLabel(t, 'faqs')} addLabel={t('services.form.faqsAdd')}>
      {(row, i, update) => (
        <>
          <Cell kit={kit} list="faqs" index={i} field="qZh" label={FAQ_FIELDS.qZh} value={row.qZh} onChange={(qZh) => update({ qZh })} wide />
          <Cell kit={kit} list="faqs" index={i} field="qEn" label={FAQ_FIELDS.qEn} value={row.qEn} onChange={(qEn) => update({ qEn })} wide />
          <Cell kit={kit} list="faqs" index={i} field="aZh" label={FAQ_FIELDS.aZh} value={row.aZh} onChange={(aZh) => update({ aZh })} area />
          <Cell kit={kit} list="faqs" index={i} field="aEn" label={FAQ_FIELDS.aEn} value={row.aEn} onChange={(aEn) => update({ aEn })} area />
        </>
      )}
    </Repeater>
  );
}

export function LimitsGroup({ kit }: { kit: FormKit }) {
  const { t } = useI18n();
  const { formId, values, setValues, errors } = kit;
  const set = (name: 'statutoryDays' | 'promisedDays' | 'visits') => (value: string) => setValues((v) => ({ ...v, [name]: value }));
  return (
    <fieldset className="service-group">
      <legend>{t('services.form.limits')}</legend>
      <div className="filters">
        <TextField formId={formId} name="statutoryDays" label={t('services.form.statutoryDays')} hint={t('services.form.statutoryHint')} required inputMode="numeric" maxLength={3} value={values.statutoryDays} onChange={set('statutoryDays')} error={errors.statutoryDays} />
        <TextField formId={formId} name="promisedDays" label={t('services.form.promisedDays')} hint={t('services.form.promisedHint')} required inputMode="numeric" maxLength={3} value={values.promisedDays} onChange={set('promisedDays')} error={errors.promisedDays} />
        <SelectField formId={formId} name="visits" label={t('services.form.visits')} required value={values.visits} onChange={set('visits')} options={[{ value: '0', label: t('services.form.visits0') }, { value: '1', label: t('services.form.visits1') }]} error={errors.visits} />
      </div>
    </fieldset>
  );
}

export function EventsGroup({ kit }: { kit: FormKit }) {
  const { t } = useI18n();
  const { formId, values, setValues, errors } = kit;
  return (
    <CheckboxGroup
      formId={formId}
      name="events"
      legend={t('services.form.events')}
      options={Object.entries(EVENT_LABELS).map(([slug, key]) => ({ value: slug, label: t(key) }))}
      values={values.events}
      onChange={(events) => setValues((v) => ({ ...v, events }))}
      error={errors.events}
    />
  );
}
