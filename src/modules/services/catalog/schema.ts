// Request and response shapes of the service catalog. Content rules (both languages, time
// limits, material keys) are model.ts's, so their errors come in both languages and name the field.
import { Type, type Static } from 'typebox';
import { StringEnum } from '../../../http/schemas.ts';
import { SERVICE_KINDS } from './model.ts';

const Text = (maxLength: number) => Type.String({ maxLength });
/** A row version: the column is a 4-byte integer. */
const Version = Type.Integer({ minimum: 1, maximum: 2_147_483_647 });
const Bilingual = Type.Object({ zh: Text(2000), en: Text(2000) }, { additionalProperties: false });
const Url = Type.Union([Type.String({ maxLength: 2000, pattern: '^(https://|/)' }), Type.Null()]);
const Material = Type.Object(
  {
    key: Text(40),
    nameZh: Text(400),
    nameEn: Text(400),
    required: Type.Boolean(),
    fetchable: Type.Union([Type.Object({ registry: Text(64), field: Text(64) }, { additionalProperties: false }), Type.Null()], { description: 'The registry field the platform reads instead of asking for the material' }),
    templateUrl: Url,
    sampleUrl: Url,
  },
  { additionalProperties: false },
);
const Fee = Type.Object({ itemZh: Text(400), itemEn: Text(400), amountFen: Type.Integer({ minimum: 0, maximum: 1_000_000_000 }), basisZh: Text(1000), basisEn: Text(1000) }, { additionalProperties: false });
const Faq = Type.Object({ qZh: Text(1000), qEn: Text(1000), aZh: Text(4000), aEn: Text(4000) }, { additionalProperties: false });

/** What a guide says, written by its organization (everything but its code and organization). */
const content = {
  kind: StringEnum(SERVICE_KINDS),
  jointOrgIds: Type.Array(Type.String({ format: 'uuid' }), { maxItems: 10 }),
  nameZh: Text(200),
  nameEn: Text(300),
  summaryZh: Text(2000),
  summaryEn: Text(3000),
  legalBasis: Type.Array(Bilingual, { maxItems: 20 }),
  conditions: Type.Array(Bilingual, { maxItems: 30 }),
  materials: Type.Array(Material, { maxItems: 50 }),
  fees: Type.Array(Fee, { maxItems: 20 }),
  statutoryDays: Type.Integer({ minimum: 1, maximum: 365 }),
  promisedDays: Type.Integer({ minimum: 1, maximum: 365 }),
  visits: Type.Union([Type.Literal(0), Type.Literal(1)], { description: 'Visits in person the applicant needs: 0 (fully online) or 1' }),
  faqs: Type.Array(Faq, { maxItems: 50 }),
  events: Type.Array(Text(40), { maxItems: 12 }),
};

export const ServiceBody = Type.Object({ code: Text(100), orgId: Type.String({ format: 'uuid' }), ...content }, { additionalProperties: false });
export type ServiceBody = Static<typeof ServiceBody>;

export const ServiceUpdate = Type.Object({ version: Version, ...content }, { additionalProperties: false });
export type ServiceUpdate = Static<typeof ServiceUpdate>;

export const VersionBody = Type.Object({ version: Version }, { additionalProperties: false });
export const CodeParams = Type.Object({ code: Text(100) });
export const ListQuery = Type.Object({ orgId: Type.Optional(Type.String({ format: 'uuid' })), status: Type.Optional(StringEnum(['draft', 'published', 'withdrawn'] as const)) }, { additionalProperties: false });

export const ServiceView = Type.Object({
  id: Type.String(),
  code: Type.String(),
  orgId: Type.String(),
  ...content,
  version: Type.Integer(),
  status: StringEnum(['draft', 'published', 'withdrawn'] as const),
  orgNameZh: Type.String(),
  orgNameEn: Type.String(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  publishedAt: Type.Union([Type.String(), Type.Null()]),
});
export type ServiceView = Static<typeof ServiceView>;
export const ServiceList = Type.Object({ items: Type.Array(ServiceView) });
