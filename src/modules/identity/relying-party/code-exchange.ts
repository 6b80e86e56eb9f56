// A built-in client's back channel to the provider in this same process (Fastify's inject, so
// no network path, proxy or TLS to the public address is needed): the code exchanged at the
// token endpoint with PKCE and the client's secret, then the ID token checked against the
// provider's JWKS (read again once when a token names a key not seen yet).
import type { App } from '../../../http/server.ts';
import type { Flow } from './flow.ts';
import { IdTokenError, verifyIdToken, type IdTokenClaims, type Jwks } from './id-token.ts';

export type CodeExchangeOptions = { clientId: string; redirectUri: string; issuer: string; clientSecret: () => Promise<string> };

const JWKS_SECONDS = 300;

export function createCodeExchange(app: App, options: CodeExchangeOptions) {
  let jwks: { value: Jwks; at: number } | undefined;

  async function provider(method: 'GET' | 'POST', url: string, form?: Record<string, string>, secret?: string, bearer?: string) {
    const headers: Record<string, string> = {};
    if (bearer) headers.authorization = `Bearer ${bearer}`;
    if (form) headers['content-type'] = 'application/x-www-form-urlencoded';
    if (secret) headers.authorization = `Basic ${Buffer.from(`${encodeURIComponent(options.clientId)}:${encodeURIComponent(secret)}`).toString('base64')}`;
    const res = await app.inject({ method, url, headers, payload: form ? new URLSearchParams(form).toString() : undefined });
    return { status: res.statusCode, json: () => JSON.parse(res.body) as Record<string, unknown> };
  }

  async function providerKeys(refresh: boolean): Promise<Jwks> {
    if (!jwks || refresh || Date.now() - jwks.at > JWKS_SECONDS * 1000) {
      const res = await provider('GET', '/oidc/jwks');
      if (res.status !== 200) throw new Error(`the provider's JWKS answered ${res.status}`);
      jwks = { value: res.json() as unknown as Jwks, at: Date.now() };
    }
    return jwks.value;
  }

  return {
    /** The code for tokens at the token endpoint, and the ID token's claims once checked. Throws IdTokenError when refused. */
    async exchange(code: string, flow: Flow): Promise<IdTokenClaims> {
      return (await this.tokens(code, flow)).claims;
    },

    /** As exchange, with the access token too, for clients that read userinfo. */
    async tokens(code: string, flow: Flow): Promise<{ claims: IdTokenClaims; accessToken: string }> {
      const res = await provider('POST', '/oidc/token', { grant_type: 'authorization_code', code, redirect_uri: options.redirectUri, code_verifier: flow.verifier }, await options.clientSecret());
      const body = res.json();
      if (res.status !== 200 || typeof body.id_token !== 'string') throw new IdTokenError(`the token endpoint answered ${res.status} ${String(body.error ?? '')}`);
      const expected = { issuer: options.issuer, audience: options.clientId, nonce: flow.nonce, now: new Date() };
      const accessToken = String(body.access_token ?? '');
      try {
        return { claims: verifyIdToken(body.id_token, { ...expected, jwks: await providerKeys(false) }), accessToken };
      } catch (err) {
        // The provider may have new keys since we last read them: read once more.
        if (!(err instanceof IdTokenError) || !/key/.test(err.message)) throw err;
        return { claims: verifyIdToken(body.id_token, { ...expected, jwks: await providerKeys(true) }), accessToken };
      }
    },

    /**
     * The claims of the token's scopes (the ID token of a code flow carries only who signed in;
     * the rest, e.g. the enterprise acted for, is the userinfo endpoint's). `sub` must match.
     */
    async userinfo(accessToken: string, sub: string): Promise<Record<string, unknown>> {
      const res = await provider('GET', '/oidc/me', undefined, undefined, accessToken);
      const body = res.json();
      if (res.status !== 200 || body.sub !== sub) throw new IdTokenError(`userinfo answered ${res.status} for another or no account`);
      return body;
    },
  };
}

export type CodeExchange = ReturnType<typeof createCodeExchange>;
