// The validation report of a file import, shared by the importers (macroeconomic
// observations, record registries): each problem names its row (the header being row 1, or
// the line of a JSON Lines file), the field and what is wrong, in both languages.
import { DomainError } from './errors.ts';

/** One problem of the validation report: the row (the header is row 1), the column, what is wrong. */
export type ReportEntry = { row: number; field: string; code: string; message: string; messageZh: string };

/** Report entries returned with a refused import; the count says how many there were in all. */
export const REPORT_LIMIT = 200;

/** An import refused: 400 with the validation report (row, field, problem) as the problem's errors. */
export class ImportRejectedError extends DomainError {
  readonly report: ReportEntry[];
  readonly total: number;
  /** `total` when `report` holds only the first of them; `importId` when the refusal is kept as an import. */
  constructor(report: ReportEntry[], options: { total?: number; importId?: string } = {}) {
    const first = report[0];
    const total = options.total ?? report.length;
    const shown = report.slice(0, REPORT_LIMIT).map((e) => ({ field: `row ${e.row}: ${e.field}`, code: e.code, message: e.message, messageZh: e.messageZh }));
    const kept = options.importId ? ` The report is kept as import ${options.importId}.` : '';
    const keptZh = options.importId ? `完整报告见导入记录 ${options.importId}。` : '';
    super(
      'import_rejected',
      `Nothing was imported: ${total} problem${total > 1 ? 's' : ''} in the file${total > REPORT_LIMIT ? ` (the first ${REPORT_LIMIT} are listed)` : ''}, the first at row ${first.row}, ${first.field}: ${first.message}. Correct the file and import it again.${kept}`,
      `未导入任何数据：文件中有 ${total} 处问题${total > REPORT_LIMIT ? `（列出前 ${REPORT_LIMIT} 处）` : ''}，第一处在第 ${first.row} 行 ${first.field}：${first.messageZh}。请修改文件后重新导入。${keptZh}`,
      shown,
    );
    this.report = report;
    this.total = total;
  }
}
