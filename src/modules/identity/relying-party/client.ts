// What a built-in client of the platform's own provider (the workbench, the portal) is, and
// the addresses it sends the browser to: the authorization request (PKCE S256, state and nonce
// from its flow), the provider's end-session page, and the registration the provider holds
// for it. The two clients differ only in these values.
import { Type } from 'typebox';
import type { SecretBox } from '../../../platform/secret-box.ts';
import type { BuiltinClient } from '../oidc/index.ts';
import { openFlow, pkceChallenge, readCookie, sameValue, type Flow, type FlowCookie } from './flow.ts';

export type RelyingParty = {
  clientId: string;
  /** The scopes it asks for. */
  scope: string;
  /** Its name on the provider's pages. */
  name: { zh: string; en: string };
  /** Where the provider returns with the code. */
  callback: string;
  /** Where the provider's sign-out returns. */
  signedOut: string;
  /** The provider's issuer (EGOV_PUBLIC_URL). */
  issuer: string;
  flow: FlowCookie;
};

const Lang = Type.Optional(Type.Union([Type.Literal('zh-CN'), Type.Literal('en')]));
export const StartQuery = Type.Object({ next: Type.Optional(Type.String({ maxLength: 2000 })), lang: Lang });
export const CallbackQuery = Type.Object({
  code: Type.Optional(Type.String({ maxLength: 2000 })),
  state: Type.Optional(Type.String({ maxLength: 2000 })),
  error: Type.Optional(Type.String({ maxLength: 200 })),
  error_description: Type.Optional(Type.String({ maxLength: 2000 })),
  iss: Type.Optional(Type.String({ maxLength: 2000 })),
});
export const LogoutQuery = Type.Object({ lang: Lang });

/** The registration the provider answers for it from code (decision 0020): confidential, code flow only. */
export function builtinClient(rp: RelyingParty): BuiltinClient {
  return {
    clientId: rp.clientId,
    name: rp.name,
    metadata: () => ({
      client_name: rp.name.zh,
      redirect_uris: [rp.callback],
      post_logout_redirect_uris: [rp.signedOut],
      scope: rp.scope,
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
      id_token_signed_response_alg: 'ES256',
    }),
  };
}

/** The authorization request for this sign-in's flow. */
export function authorizationUrl(rp: RelyingParty, flow: Flow, lang?: string): string {
  const auth = new URL(`${rp.issuer}/oidc/auth`);
  const params: Record<string, string> = {
    client_id: rp.clientId,
    redirect_uri: rp.callback,
    response_type: 'code',
    scope: rp.scope,
    state: flow.state,
    nonce: flow.nonce,
    code_challenge: pkceChallenge(flow.verifier),
    code_challenge_method: 'S256',
    ...(lang ? { ui_locales: lang } : {}),
  };
  for (const [k, v] of Object.entries(params)) auth.searchParams.set(k, v);
  return auth.href;
}

/** RP-initiated logout at the provider, back to `signedOut`. */
export function endSessionUrl(rp: RelyingParty, lang?: string): string {
  const end = new URL(`${rp.issuer}/oidc/session/end`);
  end.searchParams.set('client_id', rp.clientId);
  end.searchParams.set('post_logout_redirect_uri', rp.signedOut);
  if (lang) {
    end.searchParams.set('ui_locales', lang);
    end.searchParams.set('lang', lang);
  }
  return end.href;
}

/**
 * The flow this browser started, if the callback's `state` is its own: read from the cookie
 * (which the caller clears whatever happens, so a callback cannot be replayed with it).
 */
export function returningFlow(box: SecretBox, rp: RelyingParty, cookieHeader: string | undefined, state: string | undefined, now: Date): { flow: Flow | undefined; matches: boolean } {
  const flow = openFlow(box, readCookie(cookieHeader, rp.flow.name), now, rp.flow);
  return { flow, matches: Boolean(flow && state && sameValue(state, flow.state)) };
}
