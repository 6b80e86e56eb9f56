// Checks the ID token a built-in client receives from the token endpoint: the provider's
// signature (its JWKS), the issuer, the audience, the nonce of this sign-in and the times.
// node:crypto is enough for ES256 and RS256, the two algorithms the provider signs with.
import crypto from 'node:crypto';

export type Jwks = { keys: (crypto.JsonWebKey & { kid?: string; alg?: string })[] };
export type IdTokenClaims = { iss: string; sub: string; aud: string | string[]; exp: number; iat: number; nonce?: string; azp?: string; account_type?: string } & Record<string, unknown>;

export class IdTokenError extends Error {}

const ALGS: Record<string, { hash: string; dsaEncoding?: 'ieee-p1363' }> = { ES256: { hash: 'sha256', dsaEncoding: 'ieee-p1363' }, RS256: { hash: 'sha256' } };
const SKEW_SECONDS = 60;

function part<T>(segment: string): T {
  return JSON.parse(Buffer.from(segment, 'base64url').toString('utf8')) as T;
}

export function verifyIdToken(token: string, expected: { jwks: Jwks; issuer: string; audience: string; nonce: string; now: Date }): IdTokenClaims {
  const segments = token.split('.');
  if (segments.length !== 3) throw new IdTokenError('not a signed JWT');
  const header = part<{ alg?: string; kid?: string }>(segments[0]);
  const alg = ALGS[String(header.alg)];
  if (!alg) throw new IdTokenError(`algorithm ${header.alg} is not accepted`);
  const jwk = expected.jwks.keys.find((k) => k.kid === header.kid && (!k.alg || k.alg === header.alg));
  if (!jwk) throw new IdTokenError('signed with a key the provider does not publish');
  const signed = Buffer.from(`${segments[0]}.${segments[1]}`);
  const signature = Buffer.from(segments[2], 'base64url');
  const key = crypto.createPublicKey({ key: jwk, format: 'jwk' });
  if (!crypto.verify(alg.hash, signed, alg.dsaEncoding ? { key, dsaEncoding: alg.dsaEncoding } : key, signature)) throw new IdTokenError('bad signature');
  const claims = part<IdTokenClaims>(segments[1]);
  const now = Math.floor(expected.now.getTime() / 1000);
  if (claims.iss !== expected.issuer) throw new IdTokenError(`issuer ${claims.iss} is not ${expected.issuer}`);
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!audiences.includes(expected.audience)) throw new IdTokenError(`not meant for ${expected.audience}`);
  if (audiences.length > 1 && claims.azp !== expected.audience) throw new IdTokenError(`azp is not ${expected.audience}`);
  if (typeof claims.exp !== 'number' || claims.exp + SKEW_SECONDS < now) throw new IdTokenError('expired');
  if (typeof claims.iat !== 'number' || claims.iat - SKEW_SECONDS > now) throw new IdTokenError('issued in the future');
  if (typeof claims.nonce !== 'string' || claims.nonce.length !== expected.nonce.length || !crypto.timingSafeEqual(Buffer.from(claims.nonce), Buffer.from(expected.nonce))) {
    throw new IdTokenError('nonce does not match this sign-in');
  }
  return claims;
}
