// The workbench as a client of the platform's own OpenID Connect provider (decision 0019):
// confidential (client_secret_basic, the secret derived from a sealed provider key), built in
// rather than registered, so no one can list, edit or delete it through the registration API.
import type { BuiltinClient } from '../oidc/index.ts';
import { builtinClient, type RelyingParty } from '../relying-party/client.ts';
import { safeNext, type FlowCookie } from '../relying-party/flow.ts';

export const WORKBENCH_CLIENT_ID = 'egov-workbench';
/** What the workbench asks for: who (sub, account_type), the name, the organization and roles. */
export const WORKBENCH_SCOPE = 'openid profile org';
/** The workbench's home page: the portal has `/` (decision 0022). */
export const WORKBENCH_HOME = '/workbench';
export const WORKBENCH_FLOW: FlowCookie = { name: 'egov_wb_oidc', path: '/api/session/oidc', context: 'identity.workbench-oidc-flow/v1' };

/** Where to go after signing in to the workbench: a page of this site, else the workbench's home. */
export const workbenchNext = (next: unknown) => safeNext(next, WORKBENCH_HOME);

/** The workbench as the relying party it is at the provider. */
export const workbenchParty = (publicUrl: string): RelyingParty => ({
  clientId: WORKBENCH_CLIENT_ID,
  scope: WORKBENCH_SCOPE,
  name: { zh: '工作台', en: 'the workbench' },
  callback: `${publicUrl}/api/session/oidc/callback`,
  signedOut: `${publicUrl}/login?reason=signed-out`,
  issuer: publicUrl,
  flow: WORKBENCH_FLOW,
});

export const workbenchClient = (publicUrl: string): BuiltinClient => builtinClient(workbenchParty(publicUrl));
