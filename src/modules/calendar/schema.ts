// Request and response shapes of the calendar routes. Field rules (dates, kinds, names) are
// the service's, so their errors come in both languages and name the field.
import { Type, type Static } from 'typebox';

const Text = (maxLength: number) => Type.String({ maxLength });

export const YearParams = Type.Object({ year: Type.Integer() });
export const DateParams = Type.Object({ date: Text(40) });

export const DayBody = Type.Object({ kind: Text(40), nameZh: Text(400), nameEn: Text(400) }, { additionalProperties: false });
export type DayBody = Static<typeof DayBody>;

export const YearBody = Type.Object({ sourceZh: Text(2000), sourceEn: Text(2000) }, { additionalProperties: false });
export type YearBody = Static<typeof YearBody>;

export const DeadlineQuery = Type.Object({ from: Type.String({ format: 'date-time' }), workingDays: Type.Integer({ minimum: 1, maximum: 1000 }) }, { additionalProperties: false });

const Kind = Type.Union([Type.Literal('holiday'), Type.Literal('workday')]);
export const DayView = Type.Object({ date: Type.String(), kind: Kind, nameZh: Type.String(), nameEn: Type.String() });
export const YearDayView = Type.Object({ date: Type.String(), kind: Kind, nameZh: Type.String(), nameEn: Type.String(), updatedAt: Type.String(), updatedBy: Type.String() });

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
export const YearView = Type.Object({
  year: Type.Integer(),
  entered: Type.Boolean(),
  sourceZh: Nullable(Type.String()),
  sourceEn: Nullable(Type.String()),
  updatedAt: Nullable(Type.String()),
  updatedBy: Nullable(Type.String()),
  days: Type.Array(YearDayView),
});
export const YearSummary = Type.Object({ year: Type.Integer(), sourceZh: Type.String(), sourceEn: Type.String(), updatedAt: Type.String(), updatedBy: Type.String() });

export const DeadlineView = Type.Object({ startDate: Type.String(), dueDate: Type.String(), dueAt: Type.String(), confirmed: Type.Boolean() });
