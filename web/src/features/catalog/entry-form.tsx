// The entry editor: a department's core metadata of a resource it provides. On a new entry the
// classification is chosen (a theme, or the department's own item; the code is assigned when
// it is saved); on a revision it is part of the code and fixed. Conditions are marked required
// when the sharing type asks for them, the licence when the entry is open. The server checks
// everything and each of its problems is written beside its input, a data item's in its cell.
import { useCallback, useRef, useState, type Dispatch, type ReactNode, type SetStateAction } from 'react';
import type { ApiError } from '../../api.ts';
import { TextAreaField, TextField } from '../../components/forms.tsx';
import { useSubmit } from '../../components/use-submit.ts';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import { Link } from '../../router.tsx';
import { ProblemSummary } from '../registries/errors.tsx';
import { problemField, problemMessage } from '../registries/problems.ts';
import type { EntryMetadata, EntryView, SimilarAnswer } from './api.ts';
import { cellLabels, DataItemsEditor, newItemRow, type ItemRow } from './data-items-editor.tsx';
import { ClassificationGroup, DescriptionGroup, FindingGroup, inputLabels, OpeningGroup, SharingGroup } from './entry-form-groups.tsx';
import { SimilarPanel } from './similar-panel.tsx';

type Meta = EntryMetadata;
export type Values = {
  class: '2' | '3';
  item: string;
  subItem: string;
  detail: string;
  nameZh: string;
  nameEn: string;
  abstractZh: string;
  abstractEn: string;
  formatClass: string;
  formatType: string;
  dataItems: ItemRow[];
  sharingType: string;
  condition: string;
  basis: string;
  methods: string[];
  open: boolean;
  openCondition: string;
  licence: string;
  updateCycle: string;
  themes: string[];
  keywords: string;
  relatedCodes: string;
  exchangeService: string;
};

const LIST_SEPARATORS = /[,，、;；\n]+/;
const splitList = (text: string) => text.split(LIST_SEPARATORS).map((s) => s.trim()).filter(Boolean);

export function valuesOf(entry: EntryView | undefined): Values {
  const m = entry?.metadata;
  const c = m?.classification;
  return {
    class: c?.class === '2' ? '2' : '3',
    item: c?.item ?? '07',
    subItem: c?.class === '2' ? c.subItem : '001',
    detail: c?.detail ?? '',
    nameZh: m?.nameZh ?? '',
    nameEn: m?.nameEn ?? '',
    abstractZh: m?.abstractZh ?? '',
    abstractEn: m?.abstractEn ?? '',
    formatClass: m?.format.class ?? 'database',
    formatType: m?.format.type ?? '',
    dataItems: m ? m.dataItems.map((d) => newItemRow(d)) : [newItemRow()],
    sharingType: m?.sharing.type ?? 'conditional',
    condition: m?.sharing.condition ?? '',
    basis: m?.sharing.basis ?? '',
    methods: m?.sharing.methods ?? ['api'],
    open: m?.open.open ?? false,
    openCondition: m?.open.condition ?? '',
    licence: m?.licence ?? '',
    updateCycle: m?.updateCycle ?? 'realtime',
    themes: m?.themes ?? [],
    keywords: (m?.keywords ?? []).join(', '),
    relatedCodes: (m?.relatedCodes ?? []).join(', '),
    exchangeService: m?.exchangeService ?? '',
  };
}

/** What is sent: the server checks every value (an empty type is its problem to name). */
export function metadataOf(v: Values): Meta {
  return {
    classification: { class: v.class, item: v.class === '3' ? '07' : v.item, subItem: v.class === '3' ? '000' : v.subItem.trim(), detail: v.detail.trim() },
    nameZh: v.nameZh,
    nameEn: v.nameEn,
    abstractZh: v.abstractZh,
    abstractEn: v.abstractEn,
    format: { class: v.formatClass as Meta['format']['class'], type: v.formatType },
    dataItems: v.dataItems.map((row) => ({ name: row.name, nameEn: row.nameEn, field: row.field.trim(), type: row.type as Meta['dataItems'][number]['type'], description: row.description })),
    sharing: { type: v.sharingType as Meta['sharing']['type'], condition: v.condition, basis: v.basis, methods: v.methods as Meta['sharing']['methods'] },
    open: { open: v.open, condition: v.openCondition },
    updateCycle: v.updateCycle as Meta['updateCycle'],
    themes: v.themes,
    keywords: splitList(v.keywords),
    relatedCodes: splitList(v.relatedCodes),
    exchangeService: v.exchangeService.trim(),
    licence: v.licence,
  };
}

/** The input a server problem belongs to: list members to their list's input. */
const inputOf = (field: string) => field.replace(/^(keywords|themes|relatedCodes|sharing\.methods)\[\d+\]$/, '$1');

function problemsByInput(lookup: (key: string) => string | undefined, error: ApiError | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const problem of error?.errors ?? []) {
    const input = inputOf(problemField(problem));
    if (!(input in out)) out[input] = problemMessage(lookup, problem);
  }
  return out;
}

/** What the editor's groups of inputs share: the values, their setters, the server's problems by input and a text input maker. */
export type FormKit = {
  formId: string;
  values: Values;
  setValues: Dispatch<SetStateAction<Values>>;
  set: <K extends keyof Values>(name: K) => (value: Values[K]) => void;
  errors: Record<string, string>;
  text: (name: keyof Values, input: string, label: MessageKey, options?: { hint?: MessageKey; required?: boolean; area?: boolean; wide?: boolean }) => ReactNode;
};

type Props = {
  entry?: EntryView;
  onSave: (metadata: Meta, submit: boolean, similar?: SimilarAnswer) => Promise<void>;
  cancelTo: string;
  /** On a new entry: the drafter's organization, for the panel of similar entries (sent with the create). */
  similarFor?: string;
};

export function EntryForm({ entry, onSave, cancelTo, similarFor }: Props) {
  const { t, lookup } = useI18n();
  const formId = 'catalog-entry';
  const [values, setValues] = useState<Values>(() => valuesOf(entry));
  const andSubmit = useRef(false);
  const similar = useRef<SimilarAnswer | undefined>(undefined);
  const onSimilarAnswer = useCallback((answer: SimilarAnswer) => (similar.current = answer), []);
  const { error, setError, busy, submit } = useSubmit(() => onSave(metadataOf(values), andSubmit.current, similarFor ? similar.current : undefined));
  const errors = problemsByInput(lookup, error);
  const set = <K extends keyof Values>(name: K) => (value: Values[K]) => setValues((v) => ({ ...v, [name]: value }));
  const text: FormKit['text'] = (name, input, label, options = {}) => {
    const Field = options.area ? TextAreaField : TextField;
    return <Field formId={formId} name={input} label={t(label)} hint={options.hint && t(options.hint)} required={options.required} className={options.wide ? 'field-wide' : undefined} value={values[name] as string} onChange={set(name) as (value: string) => void} error={errors[input]} />;
  };
  const kit: FormKit = { formId, values, setValues, set, errors, text };

  return (
    <form className="form catalog-form" onSubmit={(e) => void submit(e)} noValidate>
      <ProblemSummary error={error} formId={formId} labels={{ ...inputLabels(t, values.dataItems.length), ...cellLabels(t, values.dataItems), similarAcknowledged: t('catalog.similar.acknowledgeLabel'), similarNote: t('catalog.similar.note') }} target={inputOf} staleHint={t('catalog.stale')} />
      <ClassificationGroup kit={kit} entry={entry} />
      <DescriptionGroup kit={kit} />
      <DataItemsEditor
        formId={formId}
        rows={values.dataItems}
        onChange={(rows) => {
          // Row numbers in the server's problems no longer match once a row is gone.
          if (rows.length < values.dataItems.length) setError(undefined);
          set('dataItems')(rows);
        }}
        errors={errors}
        tableError={errors.dataItems}
      />
      {similarFor && (
        <SimilarPanel
          formId={formId}
          ownOrgId={similarFor}
          draft={{ nameZh: values.nameZh, nameEn: values.nameEn, dataItems: values.dataItems.map((row) => ({ name: row.name, nameEn: row.nameEn, field: row.field })) }}
          errors={errors}
          error={error}
          onAnswer={onSimilarAnswer}
        />
      )}
      <SharingGroup kit={kit} />
      <OpeningGroup kit={kit} />
      <FindingGroup kit={kit} />
      <div className="button-row">
        <button type="submit" className="button button-secondary" disabled={busy} onClick={() => (andSubmit.current = false)}>
          {busy && !andSubmit.current ? t('common.saving') : t('catalog.form.saveDraft')}
        </button>
        <button type="submit" className="button" disabled={busy} onClick={() => (andSubmit.current = true)}>
          {busy && andSubmit.current ? t('common.saving') : t('catalog.form.saveSubmit')}
        </button>
        <Link to={cancelTo} className="button button-secondary">
          {t('common.cancel')}
        </Link>
      </div>
    </form>
  );
}
