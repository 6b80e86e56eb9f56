// Request and response shapes of the macroeconomic routes.
import { Type } from 'typebox';
import { StringEnum } from '../../../http/schemas.ts';
import { AGGREGATIONS, DIVISION_PATTERN, FREQUENCIES, INDICATOR_CODE_PATTERN, PERIOD_PATTERN, STATUS_PATTERN } from './model.ts';
import { IMPORT_FORMATS } from './sdmx-csv.ts';

const Code = Type.String({ pattern: INDICATOR_CODE_PATTERN, description: 'capital letters, digits, _ and ., e.g. GDP, CPI_YOY' });
const Division = Type.String({ pattern: DIVISION_PATTERN, description: 'a six-digit GB/T 2260 division code' });
const Period = Type.String({ pattern: PERIOD_PATTERN, description: '2024 (annual), 2024-Q3 (quarterly) or 2024-07 (monthly)' });
const Text = (max: number) => Type.String({ minLength: 1, maxLength: max });
const AsOf = Type.Optional(Type.String({ maxLength: 40, description: 'values as published then: a date (end of that day, UTC+8) or a timestamp' }));

export const Indicator = Type.Object({
  code: Type.String(),
  nameZh: Type.String(),
  nameEn: Type.String(),
  unitZh: Type.String(),
  unitEn: Type.String(),
  frequency: StringEnum(FREQUENCIES),
  aggregation: StringEnum(AGGREGATIONS),
  decimals: Type.Integer(),
  descriptionZh: Type.String(),
  descriptionEn: Type.String(),
  version: Type.Integer(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

const indicatorFields = {
  nameZh: Text(200),
  nameEn: Text(200),
  unitZh: Text(50),
  unitEn: Text(50),
  frequency: StringEnum(FREQUENCIES, 'A annual, Q quarterly, M monthly'),
  aggregation: StringEnum(AGGREGATIONS, 'how children roll up to their parent: sum, mean (unweighted), none'),
  decimals: Type.Integer({ minimum: 0, maximum: 6 }),
  descriptionZh: Type.Optional(Type.String({ maxLength: 2000 })),
  descriptionEn: Type.Optional(Type.String({ maxLength: 2000 })),
};
export const IndicatorCreate = Type.Object({ code: Code, ...indicatorFields }, { additionalProperties: false });
export const IndicatorUpdate = Type.Object({ ...indicatorFields, version: Type.Integer({ minimum: 1 }) }, { additionalProperties: false });
export const IndicatorParams = Type.Object({ code: Type.String({ maxLength: 40 }) });
export const VersionQuery = Type.Object({ version: Type.Integer({ minimum: 1 }) });

export const Observation = Type.Object({ indicator: Type.String(), region: Type.String(), period: Type.String(), value: Type.Number(), status: Type.String(), revision: Type.Integer(), updatedAt: Type.String() });
export const ObservationSet = Type.Object(
  {
    indicator: Type.String({ minLength: 1, maxLength: 40 }),
    region: Type.String({ minLength: 1, maxLength: 20 }),
    period: Type.String({ minLength: 1, maxLength: 20 }),
    // String first: a number in the body becomes its text, and text is never coerced into a float.
    value: Type.Union([Type.String({ maxLength: 40 }), Type.Number()], { description: 'a number; as text it keeps its decimals exactly' }),
    status: Type.Optional(Type.String({ pattern: STATUS_PATTERN, description: 'SDMX OBS_STATUS: A normal (default), P provisional, E estimated…' })),
    reason: Text(500),
    source: Type.Optional(Text(200)),
  },
  { additionalProperties: false },
);
export const ObservationKey = Type.Object({ indicator: Type.String({ maxLength: 40 }), region: Division, period: Period });
export const Revision = Type.Object({ revision: Type.Integer(), value: Type.Number(), status: Type.String(), source: Type.String(), actorName: Type.String(), reason: Type.String(), publishedAt: Type.String(), importId: Type.Union([Type.String(), Type.Null()]) });

const Mapping = Type.Object(
  { indicator: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })), region: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })) },
  { additionalProperties: false, description: 'SDMX-CSV: the dimension columns holding the indicator code (default INDICATOR) and the division code (default REF_AREA)' },
);
export const ImportJson = Type.Object(
  {
    format: Type.Optional(StringEnum(IMPORT_FORMATS, 'sdmx-csv or csv; detected from the header when left out')),
    content: Type.Optional(Type.String({ description: 'the file as text' })),
    contentBase64: Type.Optional(Type.String({ description: "the file's bytes, base64: lets the server say when they are not UTF-8" })),
    reason: Text(500),
    source: Type.Optional(Text(200)),
    mapping: Type.Optional(Mapping),
    dryRun: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export const ImportQuery = Type.Object({
  format: Type.Optional(StringEnum(IMPORT_FORMATS)),
  reason: Type.Optional(Type.String({ maxLength: 500 })),
  source: Type.Optional(Type.String({ maxLength: 200 })),
  indicatorColumn: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  regionColumn: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  dryRun: Type.Optional(Type.Boolean()),
});
export const ImportResult = Type.Object({
  importId: Type.Union([Type.String(), Type.Null()]),
  format: StringEnum(IMPORT_FORMATS),
  dryRun: Type.Boolean(),
  rows: Type.Integer(),
  created: Type.Integer(),
  revised: Type.Integer(),
  unchanged: Type.Integer(),
  skipped: Type.Integer({ description: 'SDMX rows of a missing value (status M)' }),
});

const Point = Type.Object({ period: Type.String(), value: Type.Number(), status: Type.String(), revision: Type.Integer(), publishedAt: Type.String() });
export const SeriesQuery = Type.Object({ indicator: Type.String({ maxLength: 40 }), region: Type.String({ maxLength: 20 }), from: Type.Optional(Type.String({ maxLength: 20 })), to: Type.Optional(Type.String({ maxLength: 20 })), asOf: AsOf });
export const Series = Type.Object({ indicator: Indicator, region: Type.String(), asOf: Type.Union([Type.String(), Type.Null()]), points: Type.Array(Point) });

const RegionValue = Type.Object({ region: Type.String(), value: Type.Union([Type.Number(), Type.Null()]), status: Type.Union([Type.String(), Type.Null()]) });
export const CrossSectionQuery = Type.Object({ indicator: Type.String({ maxLength: 40 }), period: Type.String({ maxLength: 20 }), parent: Type.String({ maxLength: 20 }), asOf: AsOf });
export const CrossSection = Type.Object({ indicator: Indicator, period: Type.String(), parent: RegionValue, asOf: Type.Union([Type.String(), Type.Null()]), items: Type.Array(RegionValue) });

export const AggregateQuery = Type.Object({ indicator: Type.String({ maxLength: 40 }), period: Type.String({ maxLength: 20 }), division: Type.String({ maxLength: 20 }), asOf: AsOf });
export const Aggregate = Type.Object({
  indicator: Indicator,
  period: Type.String(),
  division: Type.String(),
  rule: StringEnum(AGGREGATIONS),
  asOf: Type.Union([Type.String(), Type.Null()]),
  value: Type.Union([Type.Number(), Type.Null()]),
  published: Type.Union([Type.Number(), Type.Null(), ], { description: "the division's own published value, to compare" }),
  complete: Type.Boolean(),
  children: Type.Array(Type.Object({ region: Type.String(), value: Type.Union([Type.Number(), Type.Null()]), source: StringEnum(['observation', 'rollup', 'missing'] as const) })),
  missing: Type.Array(Type.String(), { description: 'divisions below with no value and nothing to roll up from' }),
});

export const ExportQuery = Type.Object({ indicator: Type.Optional(Type.String({ maxLength: 40 })), region: Type.Optional(Division), from: Type.Optional(Type.String({ maxLength: 20 })), to: Type.Optional(Type.String({ maxLength: 20 })) });
