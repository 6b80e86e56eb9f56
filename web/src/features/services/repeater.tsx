// A repeatable group of the guide (legal bases, conditions, materials, fees, questions, joint
// organizations): a fieldset with its legend, hint and the group's own error, one fieldset a
// row with its numbered legend and a remove button, and an add button. Adding moves focus to
// the new row's first input; removing, to the row that took its place or to the add button.
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { FieldNotes, fieldId } from '../../components/forms.tsx';
import { useI18n } from '../../i18n/index.tsx';

type Props<R extends { rowKey: number }> = {
  formId: string;
  /** The list's field name as the server names it: its fieldset's id, and the prefix of its rows' inputs. */
  name: string;
  legend: string;
  hint?: string;
  required?: boolean;
  error?: string;
  rows: R[];
  onChange: (rows: R[]) => void;
  newRow: () => R;
  /** "Material 2": the row's legend, and the start of its inputs' labels. */
  rowLabel: (n: number) => string;
  addLabel: string;
  children: (row: R, index: number, update: (patch: Partial<R>) => void) => ReactNode;
};

export function Repeater<R extends { rowKey: number }>({ formId, name, legend, hint, required, error, rows, onChange, newRow, rowLabel, addLabel, children }: Props<R>) {
  const { t } = useI18n();
  const id = fieldId(formId, name);
  const groupRef = useRef<HTMLFieldSetElement>(null);
  const [focusKey, setFocusKey] = useState<number | 'add' | undefined>();

  useEffect(() => {
    if (focusKey === undefined) return;
    const target = focusKey === 'add' ? document.getElementById(`${id}-add`) : groupRef.current?.querySelector<HTMLElement>(`[data-row="${focusKey}"] :is(input, select, textarea)`);
    target?.focus();
    setFocusKey(undefined);
  }, [focusKey, id]);

  const update = (key: number) => (patch: Partial<R>) => onChange(rows.map((row) => (row.rowKey === key ? { ...row, ...patch } : row)));
  function add() {
    const row = newRow();
    onChange([...rows, row]);
    setFocusKey(row.rowKey);
  }
  function remove(index: number) {
    const next = rows.filter((_, i) => i !== index);
    onChange(next);
    const after = next[Math.min(index, next.length - 1)];
    setFocusKey(after ? after.rowKey : 'add');
  }
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;

  return (
    <fieldset ref={groupRef} className={`service-group${error ? ' field-invalid' : ''}`} id={id} tabIndex={-1} aria-describedby={describedBy}>
      <legend>
        {legend}
        {required && (
          <span className="required-mark" aria-hidden="true">
            {' '}
            {t('common.required')}
          </span>
        )}
      </legend>
      <FieldNotes id={id} hint={hint} error={error} />
      {rows.length === 0 && <p className="muted">{t('services.form.none')}</p>}
      {rows.map((row, i) => (
        <fieldset key={row.rowKey} className="service-row" data-row={row.rowKey}>
          <legend>{rowLabel(i + 1)}</legend>
          {children(row, i, update(row.rowKey))}
          <button type="button" className="button button-secondary button-small" onClick={() => remove(i)}>
            {t('services.form.removeRow', { row: rowLabel(i + 1) })}
          </button>
        </fieldset>
      ))}
      <button type="button" className="button button-secondary button-small" id={`${id}-add`} onClick={add}>
        {addLabel}
      </button>
    </fieldset>
  );
}
