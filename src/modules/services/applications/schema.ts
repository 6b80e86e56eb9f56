// Request and response shapes of applications, for applicants (/api/citizen/applications) and
// officers (/api/services/inbox, /api/services/tasks, /api/services/applications). The content
// rules (form schema, materials, the law's steps) are the service's, so their errors come in
// both languages and name the field.
import { Type, type Static } from 'typebox';
import { StringEnum } from '../../../http/schemas.ts';
import { APPLICATION_STATUSES, DUTIES } from './model.ts';

const Version = Type.Integer({ minimum: 1, maximum: 2_147_483_647 });
const Text = (maxLength: number) => Type.String({ maxLength });
const FormData = Type.Record(Type.String({ maxLength: 64 }), Type.Unknown(), { description: 'The e-form fields by key' });
const Upload = Type.Object(
  {
    materialKey: Text(40),
    fileName: Text(200),
    content: Type.String({ maxLength: 14_000_000, pattern: '^[A-Za-z0-9+/]*={0,2}$', description: 'The file, base64 (at most 10 MB once decoded)' }),
  },
  { additionalProperties: false },
);
const Uploads = Type.Array(Upload, { maxItems: 30 });

/** The largest JSON body an application route takes: its files travel base64 inside it. */
export const APPLICATION_BODY_LIMIT = 40 * 1024 * 1024;

export const ApplicationCreate = Type.Object(
  {
    serviceCode: Text(100),
    onBehalfOf: Type.Optional(Type.String({ pattern: '^[0-9A-HJ-NPQRTUWXY]{18}$', description: 'The unified social credit code of the enterprise you apply for' })),
    formData: FormData,
    attachments: Type.Optional(Uploads),
    submit: Type.Boolean({ description: 'true: submit now; false: keep it as a draft' }),
  },
  { additionalProperties: false },
);
export type ApplicationCreate = Static<typeof ApplicationCreate>;

export const DraftChange = Type.Object(
  { version: Version, formData: FormData, attachments: Type.Optional(Uploads), removeMaterials: Type.Optional(Type.Array(Text(40), { maxItems: 50 })), submit: Type.Boolean() },
  { additionalProperties: false },
);
export const SupplementAnswer = Type.Object(
  { version: Version, formData: Type.Optional(FormData), attachments: Type.Optional(Uploads), removeMaterials: Type.Optional(Type.Array(Text(40), { maxItems: 50 })) },
  { additionalProperties: false },
);
export const VersionBody = Type.Object({ version: Version }, { additionalProperties: false });
export const Rating = Type.Object({ rating: StringEnum(['good', 'poor'] as const), reason: Type.Optional(Text(1000)) }, { additionalProperties: false });

export const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
export const FileParams = Type.Object({ id: Type.String({ format: 'uuid' }), fileId: Type.String({ format: 'uuid' }) });
export const PrefillQuery = Type.Object({ service: Text(100), onBehalfOf: Type.Optional(Type.String({ pattern: '^[0-9A-HJ-NPQRTUWXY]{18}$' })) });
export const IdempotencyHeaders = Type.Object({ 'idempotency-key': Type.Optional(Type.String({ minLength: 8, maxLength: 200, pattern: '^[\\x21-\\x7e]+$', description: 'Retries with the same key return the first submission' })) });

const Json = Type.Unknown();
const Actor = Type.Object({ kind: Type.String(), id: Type.Union([Type.String(), Type.Null()]), name: Type.String() });
const ClockView = Type.Object({
  statutoryDays: Type.Integer(),
  suspendedDays: Type.Integer(),
  dueDate: Type.Union([Type.String(), Type.Null()]),
  dueAt: Type.Union([Type.String(), Type.Null()]),
  promisedDueDate: Type.Union([Type.String(), Type.Null()]),
  daysLeft: Type.Union([Type.Integer(), Type.Null()]),
  warning: Type.String(),
  extended: Type.Boolean(),
});
const FileView = Type.Object({ id: Type.String(), materialKey: Type.String(), fileName: Type.String(), mediaType: Type.String(), size: Type.Integer(), sha256: Type.String(), uploadedAt: Type.String() });

const applicationProperties = {
  id: Type.String(),
  number: Type.String({ description: 'The reference on the receipt (受理编号)' }),
  serviceId: Type.String(),
  serviceCode: Type.String(),
  serviceVersion: Type.Integer(),
  orgId: Type.String({ description: 'The lead organization, which decides' }),
  status: StringEnum(APPLICATION_STATUSES),
  statusZh: Type.String(),
  statusEn: Type.String(),
  applicantName: Type.String(),
  enterprise: Type.Union([Type.Object({ creditCode: Type.String(), name: Type.String() }), Type.Null()]),
  formData: Type.Record(Type.String(), Json),
  prefilled: Type.Record(Type.String(), Json, { description: 'Fields the platform filled from the base registries, with the exchange message that read them' }),
  submittedAt: Type.Union([Type.String(), Type.Null()]),
  acceptanceDue: Type.Union([Type.String(), Type.Null()]),
  acceptedOn: Type.Union([Type.String(), Type.Null()]),
  deemedAccepted: Type.Boolean(),
  acceptance: Type.Union([Type.Record(Type.String(), Json), Type.Null()]),
  supplement: Type.Union([Type.Record(Type.String(), Json), Type.Null()]),
  clock: Type.Union([ClockView, Type.Null()]),
  decision: Type.Union([Type.String(), Type.Null()]),
  decisionReasons: Type.Array(Type.String()),
  decidedAt: Type.Union([Type.String(), Type.Null()]),
  licenceId: Type.Union([Type.String(), Type.Null()]),
  rating: Type.Union([Type.String(), Type.Null()]),
  ratingReason: Type.Union([Type.String(), Type.Null()]),
  files: Type.Array(FileView),
  history: Type.Array(Type.Object({ at: Type.String(), type: Type.String(), actor: Actor, detail: Type.Record(Type.String(), Json) })),
  version: Type.Integer(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
};
export const ApplicationView = Type.Object(applicationProperties);
export const ApplicationList = Type.Object({ items: Type.Array(ApplicationView) });
export const Prefill = Type.Object({ fields: Type.Record(Type.String(), Json) });

export const TaskView = Type.Object({
  id: Type.String(),
  applicationId: Type.String(),
  applicationNumber: Type.String(),
  serviceCode: Type.String(),
  applicantName: Type.String(),
  ref: Type.String(),
  kind: Type.String(),
  nameZh: Type.String(),
  nameEn: Type.String(),
  orgId: Type.String(),
  duty: Type.String(),
  status: Type.String(),
  outcome: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()], { description: "The step's outcome once done (decision, opinion, comment)" }),
  joint: Type.Boolean({ description: "A joint department's step that reached this node through the exchange" }),
  assigneeId: Type.Union([Type.String(), Type.Null()]),
  assigneeName: Type.Union([Type.String(), Type.Null()]),
  dueDate: Type.Union([Type.String(), Type.Null()]),
  daysLeft: Type.Union([Type.Integer(), Type.Null()]),
  warning: StringEnum(['none', 'yellow', 'red', 'suspended'] as const),
  version: Type.Integer(),
  createdAt: Type.String(),
});
export const Inbox = Type.Object({ total: Type.Integer(), duties: Type.Array(Type.String()), items: Type.Array(TaskView) });
export const InboxQuery = Type.Object({
  scope: Type.Optional(StringEnum(['mine', 'pool', 'all'] as const)),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000 })),
});
export const Dossier = Type.Object({ ...applicationProperties, tasks: Type.Array(TaskView) });

const Item = Type.Object({ materialKey: Type.Optional(Text(40)), field: Type.Optional(Text(64)), zh: Text(1000), en: Text(1000) }, { additionalProperties: false });
export const TaskComplete = Type.Union([
  Type.Object({ version: Version, decision: Type.Literal('accept') }, { additionalProperties: false }),
  Type.Object({ version: Version, decision: Type.Literal('not_accept'), reasonZh: Text(2000), reasonEn: Text(2000), agencyZh: Type.Optional(Text(400)), agencyEn: Type.Optional(Text(400)) }, { additionalProperties: false }),
  Type.Object({ version: Version, decision: Type.Literal('supplement'), items: Type.Array(Item, { maxItems: 50 }), noteZh: Type.Optional(Text(2000)), noteEn: Type.Optional(Text(2000)) }, { additionalProperties: false }),
  Type.Object({ version: Version, opinion: StringEnum(['agree', 'disagree'] as const), comment: Text(4000), decision: Type.Optional(StringEnum(['approve', 'deny'] as const)) }, { additionalProperties: false }),
]);
export type TaskComplete = Static<typeof TaskComplete>;
export const Colleagues = Type.Object({ items: Type.Array(Type.Object({ id: Type.String(), displayName: Type.String() })) });
export const MessageBody = Type.Object({ text: Text(2000) }, { additionalProperties: false });
export const Forward = Type.Object({ version: Version, toStaffId: Type.String({ format: 'uuid' }) }, { additionalProperties: false });
export const Extend = Type.Object({ version: Version, reasonZh: Text(2000), reasonEn: Text(2000) }, { additionalProperties: false });
export const Suspend = Type.Object({ version: Version, reason: StringEnum(['hearing', 'testing', 'expert_review', 'inspection'] as const), noteZh: Text(2000), noteEn: Text(2000) }, { additionalProperties: false });
export const Duties = Type.Object({ duties: Type.Array(StringEnum(DUTIES), { maxItems: 4 }) }, { additionalProperties: false });
export const DutiesView = Type.Object({ duties: Type.Array(Type.String()) });
export const UserParams = Type.Object({ userId: Type.String({ format: 'uuid' }) });
