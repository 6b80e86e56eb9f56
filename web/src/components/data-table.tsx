// A list as a table: one header cell a column, one row an item, or a sentence when there are none.
import type { ReactNode } from 'react';

export type Column<T> = {
  header: string;
  cell: (item: T) => ReactNode;
  className?: string;
};

export function DataTable<T>({ items, columns, rowKey, empty, compact }: { items: T[]; columns: Column<T>[]; rowKey: (item: T) => string | number; empty: string; compact?: boolean }) {
  if (items.length === 0) return <p>{empty}</p>;
  return (
    <div className="table-wrap">
      <table className={compact ? 'table table-compact' : 'table'}>
        <thead>
          <tr>
            {columns.map((column, i) => (
              <th key={i} scope="col">
                {column.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {items.map((item) => (
            <tr key={rowKey(item)}>
              {columns.map((column, i) => (
                <td key={i} className={column.className}>
                  {column.cell(item)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A small button in a row's actions cell; its accessible name says which row it acts on, e.g. "Edit alice". */
export function RowAction({ label, subject, danger, onClick }: { label: string; subject: string; danger?: boolean; onClick: () => void }) {
  return (
    <button type="button" className={danger ? 'button button-danger button-small' : 'button button-secondary button-small'} aria-label={`${label} ${subject}`} onClick={onClick}>
      {label}
    </button>
  );
}
