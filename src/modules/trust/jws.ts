// JWS (RFC 7515) in the flattened JSON serialization, for sealed JSON documents. ES256 is
// ECDSA P-256 / SHA-256; SM2 has no registered JWS name, so this platform uses "SM2SM3" (SM2
// over SM3 with the instance's user id). Both carry the signature as raw r ‖ s, 32 bytes each,
// and the certificate chain in x5c.
import * as asn1js from 'asn1js';
import type { SuiteName } from './suites.ts';

export const JWS_ALG: Record<SuiteName, string> = { 'ecdsa-p256-sha256': 'ES256', 'sm2-sm3': 'SM2SM3' };

export type FlattenedJws = { protected: string; payload: string; signature: string; header?: Record<string, unknown> };

export const b64url = (bytes: Uint8Array | string) => Buffer.from(bytes).toString('base64url');

/** The bytes a JWS signs: ASCII(protected '.' payload). */
export function signingInput(jws: Pick<FlattenedJws, 'protected' | 'payload'>): Buffer {
  return Buffer.from(`${jws.protected}.${jws.payload}`, 'ascii');
}

function fixed32(integer: Uint8Array): Buffer {
  let bytes = Buffer.from(integer);
  while (bytes.length > 32 && bytes[0] === 0) bytes = bytes.subarray(1);
  if (bytes.length > 32) throw new Error('An ECDSA/SM2 signature component is longer than 32 bytes.');
  return Buffer.concat([Buffer.alloc(32 - bytes.length), bytes]);
}

/** DER SEQUENCE { r, s } → r ‖ s. */
export function derToRaw(der: Uint8Array): Buffer {
  const seq = asn1js.fromBER(der).result as asn1js.Sequence;
  const [r, s] = seq.valueBlock.value as asn1js.Integer[];
  return Buffer.concat([fixed32(r.valueBlock.valueHexView), fixed32(s.valueBlock.valueHexView)]);
}

/** r ‖ s → DER SEQUENCE { r, s }, or undefined when it is not 64 bytes. */
export function rawToDer(raw: Uint8Array): Buffer | undefined {
  if (raw.length !== 64) return undefined;
  const integer = (bytes: Uint8Array) => {
    let b = Buffer.from(bytes);
    while (b.length > 1 && b[0] === 0 && !(b[1] & 0x80)) b = b.subarray(1);
    if (b[0] & 0x80) b = Buffer.concat([Buffer.from([0]), b]);
    return new asn1js.Integer({ valueHex: b });
  };
  return Buffer.from(new asn1js.Sequence({ value: [integer(raw.subarray(0, 32)), integer(raw.subarray(32))] }).toBER(false));
}
