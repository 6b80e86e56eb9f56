// Request and response schemas of the directory API. A schema and its type share one name.
import { Type, type Static } from 'typebox';
import { StringEnum } from '../../http/schemas.ts';
import { UUID_PATTERN } from '../../platform/ids.ts';

export const ORG_TYPES = ['government', 'organ', 'institution', 'social_org', 'enterprise', 'other'] as const;
export const ORG_LEVELS = ['central', 'province', 'city', 'county'] as const;

export const OrgType = StringEnum(ORG_TYPES);
export type OrgType = Static<typeof OrgType>;
export const OrgLevel = StringEnum(ORG_LEVELS);
export type OrgLevel = Static<typeof OrgLevel>;
/** Higher levels first: central above province above city above county. */
export const LEVEL_RANK: Record<OrgLevel, number> = { central: 0, province: 1, city: 2, county: 3 };
export const Status = StringEnum(['active', 'inactive']);

const Uuid = Type.String({ pattern: UUID_PATTERN });
const NameZh = Type.String({ minLength: 1, maxLength: 100 });
const NameEn = Type.String({ minLength: 1, maxLength: 200 });
// Format only; the check character is tested by the service so the error can say so.
const CreditCode = Type.String({ pattern: '^[0-9A-Za-z]{18}$' });
const DivisionCode = Type.String({ pattern: '^[0-9]{6}$' });
const Version = Type.Integer({ minimum: 1 });
// X-Road identifier characters: no '/', ':', ';', '\\', '%' or whitespace.
const SubsystemCode = Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$' });

export const IdParams = Type.Object({ id: Uuid });
export type IdParams = Static<typeof IdParams>;

export const Organization = Type.Object({
  id: Uuid,
  parentId: Type.Union([Uuid, Type.Null()]),
  identifier: Type.String(),
  nameZh: Type.String(),
  nameEn: Type.String(),
  creditCode: Type.String(),
  divisionCode: Type.String(),
  divisionName: Type.Union([Type.String(), Type.Null()]),
  type: OrgType,
  level: OrgLevel,
  status: Status,
  version: Type.Integer(),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});
export type Organization = Static<typeof Organization>;

export const OrganizationCreate = Type.Object(
  {
    parentId: Type.Union([Uuid, Type.Null()]),
    nameZh: NameZh,
    nameEn: NameEn,
    creditCode: CreditCode,
    divisionCode: DivisionCode,
    type: OrgType,
  },
  { additionalProperties: false },
);
export type OrganizationCreate = Static<typeof OrganizationCreate>;

export const OrganizationUpdate = Type.Object(
  {
    version: Version,
    parentId: Type.Optional(Type.Union([Uuid, Type.Null()])),
    nameZh: Type.Optional(NameZh),
    nameEn: Type.Optional(NameEn),
    creditCode: Type.Optional(CreditCode),
    divisionCode: Type.Optional(DivisionCode),
    type: Type.Optional(OrgType),
  },
  { additionalProperties: false },
);
export type OrganizationUpdate = Static<typeof OrganizationUpdate>;

export const VersionBody = Type.Object({ version: Version }, { additionalProperties: false });
export type VersionBody = Static<typeof VersionBody>;

export const OrganizationQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 100 })),
    type: Type.Optional(OrgType),
    level: Type.Optional(OrgLevel),
    status: Type.Optional(Type.Union([Status, Type.Literal('all')])),
    parentId: Type.Optional(Uuid),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
  },
  { additionalProperties: false },
);
export type OrganizationQuery = Static<typeof OrganizationQuery>;

export const OrganizationPage = Type.Object({ items: Type.Array(Organization), total: Type.Integer() });
export type OrganizationPage = Static<typeof OrganizationPage>;

export type TreeNode = {
  id: string;
  nameZh: string;
  nameEn: string;
  type: OrgType;
  level: OrgLevel;
  status: 'active' | 'inactive';
  identifier: string;
  children: TreeNode[];
};
// The tree is documented shallowly: fast-json-stringify and recursive $refs do not mix well.
export const TreeResponse = Type.Object({ roots: Type.Array(Type.Unknown()) });
export const TreeQuery = Type.Object({ status: Type.Optional(Type.Union([Status, Type.Literal('all')])) }, { additionalProperties: false });
export type TreeQuery = Static<typeof TreeQuery>;

export const Subsystem = Type.Object({
  id: Uuid,
  orgId: Uuid,
  code: Type.String(),
  identifier: Type.String(),
  nameZh: Type.String(),
  nameEn: Type.String(),
  description: Type.String(),
  status: Status,
  version: Type.Integer(),
});
export type Subsystem = Static<typeof Subsystem>;

export const SubsystemCreate = Type.Object(
  { code: SubsystemCode, nameZh: NameZh, nameEn: NameEn, description: Type.Optional(Type.String({ maxLength: 2000 })) },
  { additionalProperties: false },
);
export type SubsystemCreate = Static<typeof SubsystemCreate>;

export const SubsystemUpdate = Type.Object(
  {
    version: Version,
    nameZh: Type.Optional(NameZh),
    nameEn: Type.Optional(NameEn),
    description: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);
export type SubsystemUpdate = Static<typeof SubsystemUpdate>;

export const Division = Type.Object({ code: Type.String(), name: Type.String(), level: Type.String() });
export const DivisionQuery = Type.Object({ q: Type.String({ minLength: 1, maxLength: 20 }) }, { additionalProperties: false });
export type DivisionQuery = Static<typeof DivisionQuery>;
