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

  async function provider(method: 'GET' | 'POST', url: string, form?: Record<string, string>, secret?: string) {
    const headers: Record<string, string> = {};
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
      const res = await provider('POST', '/oidc/token', { grant_type: 'authorization_code', code, redirect_uri: options.redirectUri, code_verifier: flow.verifier }, await options.clientSecret());
      const body = res.json();
      if (res.status !== 200 || typeof body.id_token !== 'string') throw new IdTokenError(`the token endpoint answered ${res.status} ${String(body.error ?? '')}`);
      const expected = { issuer: options.issuer, audience: options.clientId, nonce: flow.nonce, now: new Date() };
      try {
        return verifyIdToken(body.id_token, { ...expected, jwks: await providerKeys(false) });
      } catch (err) {
        // The provider may have new keys since we last read them: read once more.
        if (!(err instanceof IdTokenError) || !/key/.test(err.message)) throw err;
        return verifyIdToken(body.id_token, { ...expected, jwks: await providerKeys(true) });
      }
    },
  };
}

export type CodeExchange = ReturnType<typeof createCodeExchange>;
