// The validation report of a refused or checked import: where each problem is (a file's
// row, or a GeoJSON feature), the field and what is wrong. Shared by the record imports and
// the geospatial and macroeconomic imports, each of which says what "where" is.
import type { ReactNode } from 'react';
import type { ApiError } from '../../api.ts';
import { useI18n } from '../../i18n/index.tsx';
import { problemField, problemMessage } from './problems.ts';
import { HeadedTable } from './table.tsx';

export type ReportLine = { where: string; field: string; problem: string };

/** "row 3: value", as the server names a problem of an import file, → its row and column. */
export function reportPlace(field: string): { row: number; column: string } | undefined {
  const m = /^row (\d+): (.*)$/.exec(field);
  return m ? { row: Number(m[1]), column: m[2]! } : undefined;
}

/** The problems of a refused import file as report lines; problems of the form itself are left to its summary. */
export function reportLines(lookup: (key: string) => string | undefined, error: ApiError | undefined): ReportLine[] {
  return (error?.errors ?? []).flatMap((problem) => {
    const place = reportPlace(problemField(problem));
    return place ? [{ where: String(place.row), field: place.column, problem: problemMessage(lookup, problem) }] : [];
  });
}

export function ImportReportTable({ lines, whereLabel, testId, title }: { lines: ReportLine[]; whereLabel?: string; testId: string; title?: string }) {
  const { t } = useI18n();
  return (
    <HeadedTable caption={title ?? t('records.imports.report.title')} columns={[whereLabel ?? t('records.imports.report.row'), t('records.imports.report.field'), t('records.imports.report.problem')]} testId={testId} compact>
      {lines.map((line, i) => (
        <tr key={i}>
          <th scope="row" className="num">
            {line.where}
          </th>
          <td>{line.field}</td>
          <td>{line.problem}</td>
        </tr>
      ))}
    </HeadedTable>
  );
}

/** The report under its heading (the table's caption repeats it); `note` stands between them. */
export function ImportReportSection({ title, lines, whereLabel, testId, note }: { title: string; lines: ReportLine[]; whereLabel?: string; testId: string; note?: ReactNode }) {
  return (
    <>
      <h3>{title}</h3>
      {note}
      <ImportReportTable lines={lines} whereLabel={whereLabel} testId={testId} title={title} />
    </>
  );
}
