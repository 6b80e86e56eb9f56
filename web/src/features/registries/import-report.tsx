// The validation report of a refused or checked import: where each problem is (a file's
// row, or a GeoJSON feature), the field and what is wrong. Shared by the record imports and
// the geospatial and macroeconomic imports, each of which says what "where" is.
import { useI18n } from '../../i18n/index.tsx';

export type ReportLine = { where: string; field: string; problem: string };

export function ImportReportTable({ lines, whereLabel, testId, title }: { lines: ReportLine[]; whereLabel?: string; testId: string; title?: string }) {
  const { t } = useI18n();
  return (
    <div className="table-wrap">
      <table className="table table-compact" data-testid={testId}>
        <caption className="visually-hidden">{title ?? t('records.imports.report.title')}</caption>
        <thead>
          <tr>
            <th scope="col">{whereLabel ?? t('records.imports.report.row')}</th>
            <th scope="col">{t('records.imports.report.field')}</th>
            <th scope="col">{t('records.imports.report.problem')}</th>
          </tr>
        </thead>
        <tbody>
          {lines.map((line, i) => (
            <tr key={i}>
              <th scope="row" className="num">
                {line.where}
              </th>
              <td>{line.field}</td>
              <td>{line.problem}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
