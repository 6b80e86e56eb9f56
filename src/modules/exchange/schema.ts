// Request and response schemas of the exchange registry API.
import { Type, type Static } from 'typebox';
import { StringEnum } from '../../http/schemas.ts';
import { UUID_PATTERN } from '../../platform/ids.ts';

const Uuid = Type.String({ pattern: UUID_PATTERN });
const DateTime = Type.String({ format: 'date-time' });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
// The same characters as subsystem codes: safe in URLs and X-Road identifiers.
const ServiceCode = Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$', description: 'letters, digits, dot, underscore, hyphen' });
const GroupCode = ServiceCode;
export const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
const PathPattern = Type.String({ pattern: '^/[A-Za-z0-9._~!$&\'()+,;=:@%*/-]{0,255}$', description: 'starts with /; * matches one segment, ** any rest' });
/** A field of a service's answer, as a field-level access right names it. */
export const FIELD_NAME_PATTERN = '^[A-Za-z][A-Za-z0-9_]{0,63}$';
export const MAX_GRANTED_FIELDS = 200;
// One JSON Schema type, not a union with null: with the server's type coercion, a union's
// null branch would turn "" or [""] into null, an unrestricted right.
const GrantedFields = Type.Unsafe<string[] | null>({
  type: ['array', 'null'],
  items: { type: 'string', pattern: FIELD_NAME_PATTERN },
  minItems: 1,
  maxItems: MAX_GRANTED_FIELDS,
  uniqueItems: true,
  description: "the fields of the service's answer the client may have (letters, digits, underscore; starting with a letter); absent or null: the whole answer",
});

export const CLASSIFICATIONS = ['public', 'internal', 'personal', 'sensitive'] as const;
export type Classification = (typeof CLASSIFICATIONS)[number];
/** What the data a service returns is: decides whether its calls may cross zones (the ferry). */
const Classification = StringEnum(CLASSIFICATIONS, 'public, internal, personal (personal data) or sensitive');

export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_BODY_BYTES = 100 * 1024 * 1024;

export const Service = Type.Object({
  id: Uuid,
  subsystemId: Uuid,
  orgId: Uuid,
  identifier: Type.String(),
  code: Type.String(),
  backendUrl: Type.String(),
  hasOpenApi: Type.Boolean(),
  timeoutMs: Type.Integer(),
  maxBodyBytes: Type.Integer(),
  classification: Classification,
  status: StringEnum(['active', 'inactive'] as const),
  version: Type.Integer(),
  createdAt: DateTime,
  updatedAt: DateTime,
});
export type Service = Static<typeof Service>;

const BackendUrl = Type.String({ minLength: 6, maxLength: 2000, format: 'uri', description: "http(s) URL the provider node forwards to, or egov:NAME for a backend built into the platform (such as egov:pubsub)" });
export const ServiceCreate = Type.Object(
  {
    subsystemId: Uuid,
    code: ServiceCode,
    backendUrl: BackendUrl,
    openapi: Type.Optional(Type.String({ maxLength: 1_000_000, description: 'the OpenAPI document, JSON or YAML' })),
    timeoutMs: Type.Optional(Type.Integer({ minimum: 100, maximum: 600_000 })),
    maxBodyBytes: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_073_741_824 })),
    classification: Type.Optional(Classification),
  },
  { additionalProperties: false },
);
export type ServiceCreate = Static<typeof ServiceCreate>;

export const ServiceUpdate = Type.Object(
  {
    version: Type.Integer({ minimum: 1 }),
    backendUrl: Type.Optional(BackendUrl),
    openapi: Type.Optional(Nullable(Type.String({ maxLength: 1_000_000 }))),
    timeoutMs: Type.Optional(Type.Integer({ minimum: 100, maximum: 600_000 })),
    maxBodyBytes: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_073_741_824 })),
    status: Type.Optional(StringEnum(['active', 'inactive'] as const)),
    classification: Type.Optional(Classification),
  },
  { additionalProperties: false },
);
export type ServiceUpdate = Static<typeof ServiceUpdate>;

export const AccessRight = Type.Object({
  id: Uuid,
  serviceId: Uuid,
  clientKind: StringEnum(['subsystem', 'group'] as const),
  client: Type.String(),
  method: Nullable(Type.String()),
  pathPattern: Nullable(Type.String()),
  fields: Nullable(Type.Array(Type.String(), { description: 'the granted fields of the answer; null: the whole answer' })),
  grantedByName: Type.String(),
  grantedAt: DateTime,
});
export type AccessRight = Static<typeof AccessRight>;

export const AccessRightCreate = Type.Object(
  {
    clientKind: StringEnum(['subsystem', 'group'] as const),
    client: Type.String({ minLength: 1, maxLength: 600, description: 'a subsystem identifier INSTANCE/CLASS/MEMBER/SUBSYSTEM, or a group code' }),
    method: Type.Optional(StringEnum(HTTP_METHODS)),
    pathPattern: Type.Optional(PathPattern),
    fields: Type.Optional(GrantedFields),
  },
  { additionalProperties: false },
);
export type AccessRightCreate = Static<typeof AccessRightCreate>;

export const Group = Type.Object({ id: Uuid, code: Type.String(), description: Type.String(), members: Type.Array(Type.String()) });
export type Group = Static<typeof Group>;
export const GroupCreate = Type.Object({ code: GroupCode, description: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false });
export const GroupMember = Type.Object({ client: Type.String({ minLength: 1, maxLength: 600 }) }, { additionalProperties: false });

export const IdParams = Type.Object({ id: Uuid });
export const RightParams = Type.Object({ id: Uuid, rightId: Uuid });
export const ServiceQuery = Type.Object({ orgId: Type.Optional(Uuid), subsystemId: Type.Optional(Uuid) }, { additionalProperties: false });

export const LogQuery = Type.Object(
  {
    xRoadId: Type.Optional(Type.String({ maxLength: 64 })),
    client: Type.Optional(Type.String({ maxLength: 600, description: 'client identifier or its prefix' })),
    service: Type.Optional(Type.String({ maxLength: 600, description: 'service identifier or its prefix' })),
    from: Type.Optional(DateTime),
    to: Type.Optional(DateTime),
    outcome: Type.Optional(StringEnum(['success', 'failure'] as const)),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
  },
  { additionalProperties: false },
);
export type LogQuery = Static<typeof LogQuery>;
export const LogPage = Type.Object({
  items: Type.Array(
    Type.Object({
      seq: Type.Integer(),
      xRoadId: Type.String(),
      side: Type.String(),
      at: DateTime,
      client: Type.String(),
      service: Type.String(),
      method: Type.String(),
      path: Type.String(),
      status: Type.Integer(),
      error: Nullable(Type.String()),
      durationMs: Type.Integer(),
      requestBytes: Type.Integer(),
      responseBytes: Type.Integer(),
      timestamped: Type.Boolean(),
    }),
  ),
  total: Type.Integer(),
});

// The live traffic view: this node's calls per service and side over a recent window.
export const TRAFFIC_WINDOWS = [60, 300, 900] as const;
export type TrafficWindow = (typeof TRAFFIC_WINDOWS)[number];
export const TrafficQuery = Type.Object(
  { window: Type.Optional(Type.Unsafe<TrafficWindow>({ type: 'integer', enum: [...TRAFFIC_WINDOWS], description: 'seconds: 60, 300 or 900 (default 300)' })) },
  { additionalProperties: false },
);
export type TrafficQuery = Static<typeof TrafficQuery>;
const Latency = Nullable(Type.Number({ description: 'milliseconds, estimated from a log-scale histogram; null without calls' }));
export const TrafficStats = Type.Object({
  calls: Type.Integer({ description: 'calls in the window' }),
  errors: Type.Integer({ description: 'calls in the window answered with status ≥ 400 or an X-Road error' }),
  callsPerSecond: Type.Number({ description: 'calls per second over the last minute' }),
  p50Ms: Latency,
  p95Ms: Latency,
  p99Ms: Latency,
});
export type TrafficStats = Static<typeof TrafficStats>;
export const TrafficSnapshot = Type.Object({
  now: DateTime,
  since: Type.String({ format: 'date-time', description: 'when this node began counting (it counts in memory, from its start)' }),
  windowSeconds: Type.Integer(),
  stepSeconds: Type.Integer({ description: 'the width of one point of each series' }),
  scope: StringEnum(['node', 'organization'] as const, 'everything on this node, or only calls your organization took part in'),
  totals: Type.Object({ consumer: TrafficStats, provider: TrafficStats }),
  services: Type.Array(
    Type.Object({
      service: Type.String({ description: "the service identifier, or '*' for services beyond the meter's limit" }),
      side: StringEnum(['consumer', 'provider'] as const, 'consumer: calls made by clients on this node; provider: calls this node served'),
      ...TrafficStats.properties,
      series: Type.Object({ calls: Type.Array(Type.Integer()), errors: Type.Array(Type.Integer()) }, { description: 'oldest first, one point per step' }),
    }),
  ),
});
export type TrafficSnapshot = Static<typeof TrafficSnapshot>;
