// The two signature suites an instance can use, behind one interface: ECDSA P-256 with
// SHA-256 (node:crypto), and SM2 with SM3 (GB/T 32918, GB/T 32905). Node's own SM2 signing
// omits the Z_A user-id digest and so does not interoperate; sm-crypto-v2 does, and OpenSSL
// verifies its signatures with `-pkeyopt distid:<user id>`.
import crypto from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import { SubjectPublicKeyInfo } from '@peculiar/asn1-x509';
import * as asn1js from 'asn1js';
import { sm2 } from 'sm-crypto-v2';

export const SUITE_NAMES = ['ecdsa-p256-sha256', 'sm2-sm3'] as const;
export type SuiteName = (typeof SUITE_NAMES)[number];

/** GM/T 0009: the user id (distinguishing id) when none is agreed. */
export const DEFAULT_SM2_USER_ID = '1234567812345678';

export const OID = {
  ecPublicKey: '1.2.840.10045.2.1',
  prime256v1: '1.2.840.10045.3.1.7',
  sm2Curve: '1.2.156.10197.1.301',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  sm2WithSm3: '1.2.156.10197.1.501',
} as const;

// DER of SubjectPublicKeyInfo up to the BIT STRING's content, for an uncompressed SM2 point:
// SEQUENCE { SEQUENCE { id-ecPublicKey, sm2 curve }, BIT STRING (0 unused bits) 65 bytes }.
const SM2_SPKI_PREFIX = Buffer.from('3059301306072a8648ce3d020106082a811ccf5501822d034200', 'hex');

/** Private key material stays inside the suite that made it. */
type PrivateMaterial = { kind: 'node'; key: crypto.KeyObject } | { kind: 'sm2'; privateHex: string; publicHex: string };

export type KeyPair = { suite: SuiteName; publicKeySpki: Buffer; secret: PrivateMaterial };

export type Suite = {
  name: SuiteName;
  /** The X.509 / CMS signature algorithm: ecdsa-with-SHA256 or SM2-with-SM3 (no parameters). */
  signatureAlgorithmOid: string;
  hash: 'sha256' | 'sm3';
  generateKeyPair(): KeyPair;
  /** Signs `data` (the suite hashes it); returns a DER ECDSA-Sig-Value / SM2 signature. */
  sign(data: Uint8Array, key: KeyPair): Buffer;
  verify(data: Uint8Array, signature: Uint8Array, publicKeySpki: Uint8Array): boolean;
  /** The private key as bytes, for sealing at rest; importKeyPair reverses it. */
  exportPrivate(key: KeyPair): Buffer;
  importKeyPair(privateBytes: Buffer, publicKeySpki: Buffer): KeyPair;
};

export class SuiteError extends Error {}

/**
 * Public keys parsed from SPKI, by their bytes: importing a key costs about as much as the
 * verification itself, and a platform verifies the same few hundred signers' keys all day.
 */
const publicKeyCache = new Map<string, crypto.KeyObject>();
const PUBLIC_KEY_CACHE_SIZE = 1024;

function cachedPublicKey(spki: Uint8Array): crypto.KeyObject {
  const id = Buffer.from(spki).toString('base64');
  let key = publicKeyCache.get(id);
  if (!key) {
    key = crypto.createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
    if (publicKeyCache.size >= PUBLIC_KEY_CACHE_SIZE) publicKeyCache.delete(publicKeyCache.keys().next().value!);
    publicKeyCache.set(id, key);
  }
  return key;
}

function ecdsaSuite(): Suite {
  return {
    name: 'ecdsa-p256-sha256',
    signatureAlgorithmOid: OID.ecdsaWithSha256,
    hash: 'sha256',
    generateKeyPair() {
      const { privateKey, publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
      return { suite: 'ecdsa-p256-sha256', publicKeySpki: publicKey.export({ format: 'der', type: 'spki' }), secret: { kind: 'node', key: privateKey } };
    },
    sign(data, key) {
      if (key.secret.kind !== 'node') throw new SuiteError('This key is not an ECDSA key.');
      return crypto.sign('sha256', data, { key: key.secret.key, dsaEncoding: 'der' });
    },
    verify(data, signature, publicKeySpki) {
      return crypto.verify('sha256', data, { key: cachedPublicKey(publicKeySpki), dsaEncoding: 'der' }, signature);
    },
    exportPrivate(key) {
      if (key.secret.kind !== 'node') throw new SuiteError('This key is not an ECDSA key.');
      return key.secret.key.export({ format: 'der', type: 'pkcs8' });
    },
    importKeyPair(privateBytes, publicKeySpki) {
      return { suite: 'ecdsa-p256-sha256', publicKeySpki, secret: { kind: 'node', key: crypto.createPrivateKey({ key: privateBytes, format: 'der', type: 'pkcs8' }) } };
    },
  };
}

/** The uncompressed SM2 point ('04' + x + y) inside an SPKI, as hex. */
export function sm2PublicHexFromSpki(spki: Uint8Array): string {
  const der = Buffer.from(spki);
  if (der.length !== SM2_SPKI_PREFIX.length + 65 || !der.subarray(0, SM2_SPKI_PREFIX.length).equals(SM2_SPKI_PREFIX)) {
    throw new SuiteError('The public key is not an uncompressed SM2 key.');
  }
  return der.subarray(SM2_SPKI_PREFIX.length).toString('hex');
}

/**
 * What verifying with one SM2 public key needs, computed once per key: its point with
 * precomputed multiples (about 55 ms to build, then a verification takes a fifth of the
 * time) and Z_A, the SM3 digest of the user id, the curve and the key. The same few hundred
 * members' keys are verified all day, as with the ECDSA key cache above.
 */
type Sm2KeyInfo = { point: ReturnType<typeof sm2.precomputePublicKey>; z: Buffer };

function sm2Suite(userId: string): Suite {
  const keys = new Map<string, Sm2KeyInfo>();
  const zOnly = new Map<string, Buffer>();
  const zOf = (publicHex: string) => {
    let z = zOnly.get(publicHex);
    if (!z) {
      if (zOnly.size >= PUBLIC_KEY_CACHE_SIZE) zOnly.clear();
      z = Buffer.from(sm2.getZ(publicHex, userId));
      zOnly.set(publicHex, z);
    }
    return z;
  };
  const keyInfo = (publicHex: string) => {
    let info = keys.get(publicHex);
    if (!info) {
      if (keys.size >= PUBLIC_KEY_CACHE_SIZE) keys.clear();
      info = { point: sm2.precomputePublicKey(publicHex), z: zOf(publicHex) };
      keys.set(publicHex, info);
    }
    return info;
  };
  // e = SM3(Z_A ‖ M) (GB/T 32918.2), with OpenSSL's SM3: the library's own is far slower.
  const digest = (z: Buffer, data: Uint8Array) => crypto.createHash('sm3').update(z).update(data).digest();
  return {
    name: 'sm2-sm3',
    signatureAlgorithmOid: OID.sm2WithSm3,
    hash: 'sm3',
    generateKeyPair() {
      const { privateKey, publicKey } = sm2.generateKeyPairHex();
      return {
        suite: 'sm2-sm3',
        publicKeySpki: Buffer.concat([SM2_SPKI_PREFIX, Buffer.from(publicKey, 'hex')]),
        secret: { kind: 'sm2', privateHex: privateKey, publicHex: publicKey },
      };
    },
    sign(data, key) {
      if (key.secret.kind !== 'sm2') throw new SuiteError('This key is not an SM2 key.');
      const hex = sm2.doSignature(digest(zOf(key.secret.publicHex), data), key.secret.privateHex, { der: true, hash: false });
      return Buffer.from(hex, 'hex');
    },
    verify(data, signature, publicKeySpki) {
      const { point, z } = keyInfo(sm2PublicHexFromSpki(publicKeySpki));
      return sm2.doVerifySignature(digest(z, data), Buffer.from(signature).toString('hex'), point, { der: true, hash: false });
    },
    exportPrivate(key) {
      if (key.secret.kind !== 'sm2') throw new SuiteError('This key is not an SM2 key.');
      return Buffer.from(key.secret.privateHex, 'hex');
    },
    importKeyPair(privateBytes, publicKeySpki) {
      return { suite: 'sm2-sm3', publicKeySpki, secret: { kind: 'sm2', privateHex: privateBytes.toString('hex'), publicHex: sm2PublicHexFromSpki(publicKeySpki) } };
    },
  };
}

export function createSuites(options: { sm2UserId?: string } = {}): Record<SuiteName, Suite> {
  return { 'ecdsa-p256-sha256': ecdsaSuite(), 'sm2-sm3': sm2Suite(options.sm2UserId ?? DEFAULT_SM2_USER_ID) };
}

/** Which suite a signature algorithm OID belongs to, or undefined for one we do not accept. */
export function suiteForSignatureOid(oid: string): SuiteName | undefined {
  if (oid === OID.ecdsaWithSha256) return 'ecdsa-p256-sha256';
  if (oid === OID.sm2WithSm3) return 'sm2-sm3';
  return undefined;
}

/** Which suite an SPKI's key belongs to: P-256 → ECDSA, the SM2 curve → SM2. */
export function suiteOfPublicKey(spki: Uint8Array): SuiteName | undefined {
  let info: SubjectPublicKeyInfo;
  try {
    info = AsnConvert.parse(spki, SubjectPublicKeyInfo);
  } catch {
    return undefined;
  }
  if (info.algorithm.algorithm !== OID.ecPublicKey || !info.algorithm.parameters) return undefined;
  const curve = asn1js.fromBER(info.algorithm.parameters).result;
  const curveOid = curve instanceof asn1js.ObjectIdentifier ? curve.valueBlock.toString() : '';
  if (curveOid === OID.prime256v1) return 'ecdsa-p256-sha256';
  if (curveOid === OID.sm2Curve) return 'sm2-sm3';
  return undefined;
}

/**
 * A private key from a PEM file (PKCS#8 or SEC1, as OpenSSL writes them), for the CLI's
 * `egov trust sign --key`: an organization that keeps its own key signs locally.
 */
export function keyPairFromPem(pem: string | Buffer, suites: Record<SuiteName, Suite>): KeyPair {
  let key: crypto.KeyObject;
  try {
    key = crypto.createPrivateKey(pem);
  } catch {
    throw new SuiteError('The key file is not a PEM private key.');
  }
  const spki = crypto.createPublicKey(key).export({ format: 'der', type: 'spki' });
  const suite = suiteOfPublicKey(spki);
  if (!suite) throw new SuiteError('The key is neither a P-256 nor an SM2 key.');
  const pkcs8 = key.export({ format: 'der', type: 'pkcs8' });
  if (suite === 'ecdsa-p256-sha256') return suites[suite].importKeyPair(pkcs8, spki);
  // PrivateKeyInfo { version, algorithm, OCTET STRING { ECPrivateKey { version, OCTET STRING d, … } } }
  const info = asn1js.fromBER(pkcs8).result as asn1js.Sequence;
  const ecPrivateKey = asn1js.fromBER((info.valueBlock.value[2] as asn1js.OctetString).valueBlock.valueHexView).result as asn1js.Sequence;
  const d = Buffer.from((ecPrivateKey.valueBlock.value[1] as asn1js.OctetString).valueBlock.valueHexView);
  return suites[suite].importKeyPair(Buffer.concat([Buffer.alloc(32 - d.length), d]), spki);
}
