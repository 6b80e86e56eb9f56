// The data items of an entry as an editable table: one row an item (Chinese name, English
// name, its field in the serving API, data type, description), rows added and removed with
// buttons. Every cell's input has a label (hidden, the column header says it to the eye) and
// the server's problem for that cell (`dataItems[2].type`) is written under it.
import { useEffect, useState } from 'react';
import { fieldId } from '../../components/forms.tsx';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import { ITEM_TYPE_LABELS, optionsOf } from './labels.ts';

export type ItemRow = { key: number; name: string; nameEn: string; field: string; type: string; description: string };
type Column = 'name' | 'nameEn' | 'field' | 'type' | 'description';

const COLUMNS: { name: Column; label: MessageKey; required?: boolean }[] = [
  { name: 'name', label: 'catalog.items.name', required: true },
  { name: 'nameEn', label: 'catalog.items.nameEn' },
  { name: 'field', label: 'catalog.items.field' },
  { name: 'type', label: 'catalog.items.type', required: true },
  { name: 'description', label: 'catalog.items.description' },
];

let nextKey = 1;
export const newItemRow = (item?: Partial<Omit<ItemRow, 'key'>>): ItemRow => ({ key: nextKey++, name: '', nameEn: '', field: '', type: '', description: '', ...item });

/** The input name of a cell, as the server names its problems. */
export const cellName = (index: number, column: Column) => `dataItems[${index}].${column}`;

/** Labels of every cell, for the error summary's links. */
export function cellLabels(t: (key: MessageKey, vars?: Record<string, string | number>) => string, rows: ItemRow[]): Record<string, string> {
  const out: Record<string, string> = {};
  rows.forEach((_, i) => {
    for (const column of COLUMNS) out[cellName(i, column.name)] = t('catalog.items.cell', { row: i + 1, column: t(column.label) });
  });
  return out;
}

type Props = { formId: string; rows: ItemRow[]; onChange: (rows: ItemRow[]) => void; errors: Record<string, string>; tableError?: string };

export function DataItemsEditor({ formId, rows, onChange, errors, tableError }: Props) {
  const { t } = useI18n();
  const [focusKey, setFocusKey] = useState<number | undefined>();
  const typeOptions = [{ value: '', label: t('catalog.items.chooseType') }, ...optionsOf(ITEM_TYPE_LABELS, t)];
  const tableId = fieldId(formId, 'dataItems');

  useEffect(() => {
    if (focusKey === undefined) return;
    const index = rows.findIndex((row) => row.key === focusKey);
    if (index >= 0) document.getElementById(fieldId(formId, cellName(index, 'name')))?.focus();
    setFocusKey(undefined);
  }, [focusKey, rows, formId]);

  const set = (key: number, column: Column, value: string) => onChange(rows.map((row) => (row.key === key ? { ...row, [column]: value } : row)));
  function add() {
    const row = newItemRow();
    onChange([...rows, row]);
    setFocusKey(row.key);
  }
  function remove(index: number) {
    const next = rows.filter((_, i) => i !== index);
    onChange(next);
    // Focus stays in the table: on the row that took this one's place, or the add button.
    const after = next[Math.min(index, next.length - 1)];
    if (after) setFocusKey(after.key);
    else document.getElementById(`${tableId}-add`)?.focus();
  }

  return (
    <fieldset className={`field catalog-items-editor${tableError ? ' field-invalid' : ''}`} id={tableId} aria-describedby={`${tableId}-hint${tableError ? ` ${tableId}-error` : ''}`}>
      <legend>
        {t('catalog.items.title', { count: rows.length })} <span className="required-mark" aria-hidden="true">{t('common.required')}</span>
      </legend>
      <p className="hint" id={`${tableId}-hint`}>
        {t('catalog.items.hint')}
      </p>
      {tableError && (
        <p className="field-error" id={`${tableId}-error`}>
          {tableError}
        </p>
      )}
      {rows.length > 0 && (
        <div className="table-wrap">
          <table className="table table-compact">
            <thead>
              <tr>
                <th scope="col">{t('catalog.items.no')}</th>
                {COLUMNS.map((column) => (
                  <th scope="col" key={column.name}>
                    {t(column.label)}
                    {column.required && <span aria-hidden="true"> *</span>}
                  </th>
                ))}
                <th scope="col">{t('common.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row, i) => (
                <tr key={row.key}>
                  <td className="num">{i + 1}</td>
                  {COLUMNS.map((column) => {
                    const name = cellName(i, column.name);
                    const id = fieldId(formId, name);
                    const error = errors[name];
                    const common = {
                      id,
                      name,
                      value: row[column.name],
                      required: column.required,
                      'aria-invalid': error ? true : undefined,
                      'aria-describedby': error ? `${id}-error` : undefined,
                    };
                    return (
                      <td key={column.name} className={error ? 'field-invalid' : undefined}>
                        <label className="visually-hidden" htmlFor={id}>
                          {t('catalog.items.cell', { row: i + 1, column: t(column.label) })}
                        </label>
                        {column.name === 'type' ? (
                          <select {...common} onChange={(e) => set(row.key, column.name, e.target.value)}>
                            {typeOptions.map((o) => (
                              <option key={o.value} value={o.value}>
                                {o.label}
                              </option>
                            ))}
                          </select>
                        ) : (
                          <input type="text" {...common} spellCheck={column.name === 'field' ? false : undefined} onChange={(e) => set(row.key, column.name, e.target.value)} />
                        )}
                        {error && (
                          <p className="field-error" id={`${id}-error`}>
                            {error}
                          </p>
                        )}
                      </td>
                    );
                  })}
                  <td>
                    <button type="button" className="button button-secondary button-small" aria-label={t('catalog.items.removeRow', { row: i + 1 })} onClick={() => remove(i)}>
                      {t('catalog.items.remove')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <button type="button" className="button button-secondary button-small" id={`${tableId}-add`} onClick={add}>
        {t('catalog.items.add')}
      </button>
    </fieldset>
  );
}
