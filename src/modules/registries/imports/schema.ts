// Request and response shapes of record imports and exports. ImportView is the contract the
// workbench's live progress bar polls: keep its fields stable.
import { Type } from 'typebox';
import { StringEnum } from '../../../http/schemas.ts';
import { IMPORT_FORMATS } from './read.ts';
import { IMPORT_MODES, ON_EXISTING } from './service.ts';

const Name = Type.String({ pattern: '^[a-z][a-z0-9-]{1,62}$', description: 'the registry name, e.g. population' });
export const RegistryParams = Type.Object({ name: Name });
export const ImportParams = Type.Object({ name: Name, id: Type.String({ minLength: 1, maxLength: 64 }) });

export const ImportQuery = Type.Object({
  reason: Type.String({ minLength: 1, maxLength: 500, description: 'why these records are imported; kept with every version' }),
  mode: Type.Optional(StringEnum(IMPORT_MODES, 'atomic (default): all rows or none; resumable: batches of 5,000 committed one by one, rows with problems skipped and reported, resumable after a crash')),
  existing: Type.Optional(StringEnum(ON_EXISTING, 'refuse (default): a record the registry has already is a problem; update: it gets a new version when its data differs')),
  dryRun: Type.Optional(Type.Boolean({ description: 'only check the file and answer with the report' })),
  fileName: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'the file name, kept as the source of every version (import:<file name>)' })),
  format: Type.Optional(StringEnum(IMPORT_FORMATS, 'otherwise taken from the content type, or from the file name')),
  background: Type.Optional(Type.Boolean({ description: 'answer 202 with the import as soon as the file is received; poll GET …/imports/{id} for progress' })),
});

export const ResumeQuery = Type.Object({
  fileName: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  background: Type.Optional(Type.Boolean({ description: 'answer 202 as soon as the file is received and checked to be the same; poll GET …/imports/{id}' })),
});

const ReportEntry = Type.Object({
  row: Type.Integer({ description: 'the row of the file: the header is row 1; in JSON Lines, the line' }),
  field: Type.String(),
  code: Type.String(),
  message: Type.String(),
  messageZh: Type.String(),
});

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

export const ImportView = Type.Object({
  id: Type.String(),
  registry: Type.String(),
  format: StringEnum(IMPORT_FORMATS),
  mode: StringEnum(IMPORT_MODES),
  onExisting: StringEnum(ON_EXISTING),
  status: StringEnum(['running', 'done', 'failed', 'interrupted'] as const, 'interrupted: its process stopped; POST …/resume with the same file goes on'),
  phase: StringEnum(['validating', 'writing', 'finished'] as const),
  fileName: Type.String(),
  fileSha256: Type.String(),
  fileBytes: Type.Integer(),
  reason: Type.String(),
  totalRows: Nullable(Type.Integer({ description: 'data rows of the file; null until the check has read it all' })),
  processedRows: Type.Integer({ description: 'rows checked so far' }),
  committedRows: Type.Integer({ description: 'rows in the registry for good (an atomic import: 0 until it commits)' }),
  writtenRows: Type.Integer({ description: 'rows written so far, committed or not (an atomic import commits them all at the end)' }),
  createdRows: Type.Integer(),
  updatedRows: Type.Integer(),
  unchangedRows: Type.Integer(),
  errorCount: Type.Integer({ description: 'problems found; report lists the first 200 by row' }),
  progress: Type.Number({ minimum: 0, maximum: 1, description: 'for a progress bar: checking is the first 0.3, writing the rest' }),
  report: Type.Array(ReportEntry),
  createdBy: Type.String(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  finishedAt: Nullable(Type.String()),
});

export const DryRunView = Type.Object({
  dryRun: Type.Literal(true),
  registry: Type.String(),
  format: StringEnum(IMPORT_FORMATS),
  fileName: Type.String(),
  totalRows: Type.Integer(),
  validRows: Type.Integer(),
  errorCount: Type.Integer(),
  report: Type.Array(ReportEntry),
});

export const ListQuery = Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })) });

export const ExportQuery = Type.Object(
  { format: Type.Optional(StringEnum(IMPORT_FORMATS, 'csv (default), jsonl or xlsx')) },
  { additionalProperties: Type.String({ maxLength: 200 }), description: 'plus `where.<field>=value` for equality on a field' },
);
