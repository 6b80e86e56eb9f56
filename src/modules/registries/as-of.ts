// "As of" reads, shared by every registry: a date means the end of that day in China
// Standard Time (what an official means by "as on 31 March"); a timestamp means itself.
import { invalidField } from '../../platform/errors.ts';

export function parseAsOf(raw: string | undefined): Date | undefined {
  if (raw === undefined || raw === '') return undefined;
  const date = /^\d{4}-\d{2}-\d{2}$/.test(raw) ? new Date(`${raw}T23:59:59.999+08:00`) : /^\d{4}-\d{2}-\d{2}T/.test(raw) ? new Date(raw) : new Date(NaN);
  if (Number.isNaN(date.getTime())) throw invalidField('asOf', 'as_of_format', 'is not a date (2025-03-31) or a timestamp (2025-03-31T12:00:00+08:00)', '不是日期（2025-03-31）或时间（2025-03-31T12:00:00+08:00）');
  return date;
}
