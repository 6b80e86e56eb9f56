// What each side signs (decision 0009): the request's metadata by the client member's key,
// the response's by the provider member's, as canonical JSON so any verifier recomputes the
// same bytes. Bodies are bound by their SHA-256 and size, the response to its request by the
// request metadata's hash. Between nodes the signed metadata travels as an HTTP trailer,
// after the body it describes: `x-egov-signed: base64(meta).base64(signature).serial`.
import crypto from 'node:crypto';
import { canonicalJson } from '../../../platform/canonical-json.ts';
import type { Suite, SuiteName } from '../../trust/index.ts';
import type { MemberSigner } from '../node-identity.ts';
import type { ConfIndex } from '../routing.ts';

export const SIGNED_TRAILER = 'x-egov-signed';

export type RequestMeta = {
  v: 1;
  xRoadId: string;
  client: string;
  service: string;
  method: string;
  path: string;
  query: string;
  userId: string | null;
  /** The request headers the provider passes to its backend. */
  headers: Record<string, string>;
  bodyHash: string;
  bodyBytes: number;
};

export type ResponseMeta = {
  v: 1;
  xRoadId: string;
  requestHash: string;
  status: number;
  headers: Record<string, string>;
  bodyHash: string;
  bodyBytes: number;
};

export type Signed = { meta: string; signature: Buffer; signer: string; hash: string };

export function signMeta(meta: RequestMeta | ResponseMeta, signer: MemberSigner): Signed {
  const text = canonicalJson(meta);
  const bytes = Buffer.from(text, 'utf8');
  return { meta: text, signature: signer.suite.sign(bytes, signer.key), signer: signer.serial, hash: crypto.createHash('sha256').update(bytes).digest('hex') };
}

export const encodeSigned = (signed: Signed) => `${Buffer.from(signed.meta, 'utf8').toString('base64')}.${signed.signature.toString('base64')}.${signed.signer}`;

export function decodeSigned(value: unknown): Signed | undefined {
  if (typeof value !== 'string') return undefined;
  const [meta, signature, signer, extra] = value.split('.');
  if (!meta || !signature || !signer || extra !== undefined || !/^[0-9a-f]{1,64}$/.test(signer)) return undefined;
  const text = Buffer.from(meta, 'base64').toString('utf8');
  return { meta: text, signature: Buffer.from(signature, 'base64'), signer, hash: crypto.createHash('sha256').update(text, 'utf8').digest('hex') };
}

/**
 * Checks a signature from another node: the signer's certificate is a live certificate of
 * `member` in the global configuration, the signature verifies, and the metadata says what
 * we saw (`expected`). Returns the parsed metadata, or the reason it does not hold.
 */
export function verifySigned<M extends RequestMeta | ResponseMeta>(
  signed: Signed | undefined,
  member: string,
  expected: Partial<M>,
  routing: ConfIndex,
  suites: Record<SuiteName, Suite>,
  now: Date,
): { ok: true; meta: M } | { ok: false; certificate: boolean; reason: string } {
  if (!signed) return { ok: false, certificate: false, reason: 'the message carries no signature' };
  const check = routing.checkSigner(signed.signer, member, now);
  if (!check.ok) return { ok: false, certificate: true, reason: check.message };
  const suite = suites[check.certificate.suite];
  let valid = false;
  try {
    valid = suite.verify(Buffer.from(signed.meta, 'utf8'), signed.signature, check.certificate.publicKeySpki);
  } catch {
    valid = false;
  }
  if (!valid) return { ok: false, certificate: false, reason: `the signature does not verify with certificate ${signed.signer}` };
  let meta: M;
  try {
    meta = JSON.parse(signed.meta) as M;
  } catch {
    return { ok: false, certificate: false, reason: 'the signed metadata is not JSON' };
  }
  for (const [field, value] of Object.entries(expected)) {
    if (meta[field as keyof M] !== value) return { ok: false, certificate: false, reason: `the signed ${field} is ${JSON.stringify(meta[field as keyof M])}, but the message has ${JSON.stringify(value)}` };
  }
  return { ok: true, meta };
}
