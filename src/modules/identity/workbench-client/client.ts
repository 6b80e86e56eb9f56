// The workbench as a client of the platform's own OpenID Connect provider (decision 0019):
// confidential (client_secret_basic, the secret derived from a sealed provider key), built in
// rather than registered, so no one can list, edit or delete it through the registration API.
import type { BuiltinClient } from '../oidc/index.ts';
import { safeNext, type FlowCookie } from '../relying-party/flow.ts';

export const WORKBENCH_CLIENT_ID = 'egov-workbench';
/** What the workbench asks for: who (sub, account_type), the name, the organization and roles. */
export const WORKBENCH_SCOPE = 'openid profile org';
/** The workbench's home page: the portal has `/` (decision 0022). */
export const WORKBENCH_HOME = '/workbench';
export const WORKBENCH_FLOW: FlowCookie = { name: 'egov_wb_oidc', path: '/api/session/oidc', context: 'identity.workbench-oidc-flow/v1' };

/** Where to go after signing in to the workbench: a page of this site, else the workbench's home. */
export const workbenchNext = (next: unknown) => safeNext(next, WORKBENCH_HOME);

export const workbenchUrls = (publicUrl: string) => ({
  callback: `${publicUrl}/api/session/oidc/callback`,
  signedOut: `${publicUrl}/login?reason=signed-out`,
  authorization: `${publicUrl}/oidc/auth`,
  endSession: `${publicUrl}/oidc/session/end`,
});

export function workbenchClient(publicUrl: string): BuiltinClient {
  const urls = workbenchUrls(publicUrl);
  return {
    clientId: WORKBENCH_CLIENT_ID,
    name: { zh: '工作台', en: 'the workbench' },
    metadata: () => ({
      client_name: '工作台',
      redirect_uris: [urls.callback],
      post_logout_redirect_uris: [urls.signedOut],
      scope: WORKBENCH_SCOPE,
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
      id_token_signed_response_alg: 'ES256',
    }),
  };
}
