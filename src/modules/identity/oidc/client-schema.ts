// Request and response shapes of the client registration API.
import { Type, type Static } from 'typebox';
import { UUID_PATTERN } from '../../../platform/ids.ts';
import { SCOPES } from './claims.ts';

const Uri = Type.String({ minLength: 1, maxLength: 2000 });
const Scope = Type.Union(SCOPES.map((s) => Type.Literal(s)));
const Jwks = Type.Object({ keys: Type.Array(Type.Object({}, { additionalProperties: true }), { minItems: 1, maxItems: 10 }) }, { additionalProperties: false });

export const OidcClient = Type.Object({
  clientId: Type.String(),
  subsystemId: Type.String(),
  subsystemIdentifier: Type.String(),
  nameZh: Type.String(),
  nameEn: Type.String(),
  orgId: Type.String(),
  redirectUris: Type.Array(Type.String()),
  postLogoutRedirectUris: Type.Array(Type.String()),
  scopes: Type.Array(Type.String()),
  authMethod: Type.Union([Type.Literal('client_secret_basic'), Type.Literal('private_key_jwt')]),
  jwks: Type.Union([Jwks, Type.Null()]),
  idTokenSigningAlg: Type.Union([Type.Literal('ES256'), Type.Literal('RS256')]),
  version: Type.Integer(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  secretRotatedAt: Type.Union([Type.String(), Type.Null()]),
});
export type OidcClient = Static<typeof OidcClient>;

/** What create and rotate answer: the secret, shown this once and never again. */
export const OidcClientWithSecret = Type.Intersect([OidcClient, Type.Object({ clientSecret: Type.Union([Type.String(), Type.Null()]) })]);
export type OidcClientWithSecret = Static<typeof OidcClientWithSecret>;

export const OidcClientCreate = Type.Object(
  {
    subsystemId: Type.String({ pattern: UUID_PATTERN }),
    redirectUris: Type.Array(Uri, { minItems: 1, maxItems: 20 }),
    postLogoutRedirectUris: Type.Optional(Type.Array(Uri, { maxItems: 20 })),
    scopes: Type.Array(Scope, { minItems: 1, maxItems: SCOPES.length, uniqueItems: true }),
    authMethod: Type.Union([Type.Literal('client_secret_basic'), Type.Literal('private_key_jwt')]),
    jwks: Type.Optional(Jwks),
    idTokenSigningAlg: Type.Optional(Type.Union([Type.Literal('ES256'), Type.Literal('RS256')])),
  },
  { additionalProperties: false },
);
export type OidcClientCreate = Static<typeof OidcClientCreate>;

export const OidcClientUpdate = Type.Object(
  {
    version: Type.Integer({ minimum: 1 }),
    redirectUris: Type.Optional(Type.Array(Uri, { minItems: 1, maxItems: 20 })),
    postLogoutRedirectUris: Type.Optional(Type.Array(Uri, { maxItems: 20 })),
    scopes: Type.Optional(Type.Array(Scope, { minItems: 1, maxItems: SCOPES.length, uniqueItems: true })),
    jwks: Type.Optional(Jwks),
    idTokenSigningAlg: Type.Optional(Type.Union([Type.Literal('ES256'), Type.Literal('RS256')])),
  },
  { additionalProperties: false },
);
export type OidcClientUpdate = Static<typeof OidcClientUpdate>;

export const ClientIdParams = Type.Object({ clientId: Type.String({ minLength: 1, maxLength: 100 }) });
export const ClientQuery = Type.Object({ orgId: Type.Optional(Type.String({ pattern: UUID_PATTERN })) }, { additionalProperties: false });
export const VersionBody = Type.Object({ version: Type.Integer({ minimum: 1 }) }, { additionalProperties: false });
