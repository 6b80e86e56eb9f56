// Shapes of the open data routes, for validation and the OpenAPI document.
import { Type } from 'typebox';
import { UUID_PATTERN } from '../../../platform/ids.ts';
import { ProblemSchema } from '../../../http/schemas.ts';
import { SearchResult, SearchItem } from '../search/schema.ts';

export const EntryParams = Type.Object({ id: Type.String({ pattern: UUID_PATTERN }) });
/** Public addresses take the entry's id, its resource code's CKAN name (307001-000001) or the code. */
export const DatasetParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100, description: "The entry's id or CKAN name" }) });

export const PublishQuery = Type.Object({ note: Type.Optional(Type.String({ description: 'What this release holds or changes (required, ≤ 500 characters)' })) }, { additionalProperties: false });
export const DownloadQuery = Type.Object({ release: Type.Optional(Type.String({ pattern: '^\\d{1,7}$', description: 'A release number; the newest when left out' })) }, { additionalProperties: false });

const Column = Type.Object({ key: Type.String(), name: Type.String(), nameEn: Type.String(), type: Type.String() });
export const ReleaseView = Type.Object({
  release: Type.Integer(),
  entryVersion: Type.Integer({ description: 'The published metadata version whose data items the columns follow' }),
  columns: Type.Array(Column),
  rowCount: Type.Integer(),
  byteSize: Type.Integer(),
  sha256: Type.String({ description: 'Of the file as the provider published it' }),
  note: Type.String(),
  publishedAt: Type.String(),
  publishedBy: Type.String(),
});
const ReleaseSummary = Type.Object({ release: Type.Integer(), rowCount: Type.Integer(), publishedAt: Type.String() });

export const DatasetList = Type.Object({ ...SearchResult.properties, items: Type.Array(Type.Object({ ...SearchItem.properties, latestRelease: Type.Union([ReleaseSummary, Type.Null()]) })) });

const Named = Type.Object({ nameZh: Type.String(), nameEn: Type.String() });
export const DatasetView = Type.Object({
  id: Type.String(),
  code: Type.String(),
  name: Type.String({ description: 'The CKAN name' }),
  nameZh: Type.String(),
  nameEn: Type.String(),
  abstractZh: Type.String(),
  abstractEn: Type.String(),
  provider: Type.Object({ id: Type.String(), ...Named.properties }),
  licence: Type.Object({ id: Type.String(), title: Type.String(), url: Type.String() }),
  openCondition: Type.String(),
  updateCycle: Type.String(),
  keywords: Type.Array(Type.String()),
  themes: Type.Array(Type.Object({ code: Type.String(), ...Named.properties })),
  format: Type.Object({ class: Type.String(), type: Type.String() }),
  columns: Type.Array(Column),
  dataItems: Type.Array(Type.Object({ key: Type.String(), name: Type.String(), nameEn: Type.String(), type: Type.String(), description: Type.String() })),
  issued: Type.String(),
  modified: Type.String(),
  publishedVersion: Type.Integer(),
  latestRelease: Type.Union([ReleaseView, Type.Null()]),
  history: Type.Array(
    Type.Object({
      kind: Type.Union([Type.Literal('data'), Type.Literal('metadata')]),
      release: Type.Optional(Type.Integer()),
      version: Type.Optional(Type.Integer()),
      rowCount: Type.Optional(Type.Integer()),
      at: Type.String(),
      note: Type.String(),
    }),
  ),
  links: Type.Object({ page: Type.String(), csv: Type.String(), json: Type.String(), api: Type.String(), dcatTurtle: Type.String(), dcatJsonLd: Type.String(), ckan: Type.String() }),
});

export const RowsPage = Type.Object({
  dataset: Type.String(),
  release: Type.Union([Type.Integer(), Type.Null()], { description: 'Null while the provider has published no data' }),
  columns: Type.Array(Column),
  total: Type.Integer(),
  offset: Type.Integer(),
  limit: Type.Integer(),
  rows: Type.Array(Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()]))),
});

export const PUBLIC_ERRORS = { 400: ProblemSchema, 404: ProblemSchema, 429: ProblemSchema } as const;
