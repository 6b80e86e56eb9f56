// The shapes of /api/identity/oidc-clients, from the server's schema.
export type { OidcClient, OidcClientWithSecret } from '../../../../src/modules/identity/oidc/client-schema.ts';
