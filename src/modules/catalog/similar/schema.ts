// Request and response shapes of the similarity routes. A draft is compared while it is still
// incomplete, so every field is optional; their lengths are the entry's own limits (model.ts).
import { Type } from 'typebox';
import { UUID_PATTERN } from '../../../platform/ids.ts';

const Item = Type.Object(
  {
    name: Type.Optional(Type.String({ maxLength: 100 })),
    nameEn: Type.Optional(Type.String({ maxLength: 150 })),
    field: Type.Optional(Type.String({ maxLength: 64 })),
    // Accepted (the editor's rows carry them) but not compared.
    type: Type.Optional(Type.String({ maxLength: 40 })),
    description: Type.Optional(Type.String({ maxLength: 1000 })),
  },
  { additionalProperties: false },
);

export const PreviewBody = Type.Object(
  {
    nameZh: Type.Optional(Type.String({ maxLength: 200 })),
    nameEn: Type.Optional(Type.String({ maxLength: 300 })),
    dataItems: Type.Optional(Type.Array(Item, { maxItems: 500 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 20 })),
  },
  { additionalProperties: false },
);

const Provider = Type.Object({ id: Type.String(), nameZh: Type.String(), nameEn: Type.String() });
const Status = Type.Union([Type.Literal('draft'), Type.Literal('submitted'), Type.Literal('published'), Type.Literal('rejected')]);

const Similar = {
  id: Type.String(),
  code: Type.String(),
  nameZh: Type.String(),
  nameEn: Type.String(),
  status: Status,
  provider: Provider,
  score: Type.Number({ description: '0 to 1: 0.6 × name similarity + 0.4 × share of the draft’s data items the entry has' }),
  nameScore: Type.Number(),
  itemScore: Type.Number(),
  matchedItems: Type.Array(Type.Object({ draft: Type.String(), existing: Type.String() })),
  high: Type.Boolean({ description: 'At or above the threshold and of another department: creating the draft needs the drafter’s confirmation' }),
};

export const PreviewResult = Type.Object({ threshold: Type.Number(), items: Type.Array(Type.Object(Similar)) });

export const CheckParams = Type.Object({ id: Type.String({ pattern: UUID_PATTERN }) });

export const CheckView = Type.Object({
  entryId: Type.String(),
  code: Type.String(),
  checks: Type.Array(
    Type.Object({
      id: Type.String(),
      checkedAt: Type.String(),
      actorName: Type.String(),
      acknowledged: Type.Boolean(),
      note: Type.String(),
      threshold: Type.Number(),
      seen: Type.Array(Type.String()),
      shown: Type.Array(Type.Object({ ...Similar, seen: Type.Boolean() })),
    }),
  ),
});
