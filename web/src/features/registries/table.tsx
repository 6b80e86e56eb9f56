// The registries' tables: a caption for screen readers (the heading above the table says the
// same to everyone else), a row of column headings, and the rows the page gives.
import type { ReactNode } from 'react';

export function HeadedTable({ caption, columns, testId, compact, children }: { caption: string; columns: ReactNode[]; testId?: string; compact?: boolean; children: ReactNode }) {
  return (
    <div className="table-wrap">
      <table className={compact ? 'table table-compact' : 'table'} data-testid={testId}>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            {columns.map((column, i) => (
              <th key={i} scope="col">
                {column}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
