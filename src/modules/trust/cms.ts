// CMS SignedData (RFC 5652) for either suite: detached or enveloping, with the signer's
// certificate chain, signed attributes (content type, message digest, signing time) and any
// unsigned attributes (the signature timestamp). RFC 3161 timestamp tokens are SignedData
// too, so the TSA builds on the same functions. Decision 0006 says why CMS. Encoding and
// parsing use der.ts: certificates pass through as opaque bytes, which keeps a CMS
// sign+verify close to the cost of the signature itself (docs/benchmarks.md).
import crypto from 'node:crypto';
import * as der from './der.ts';
import { OID, suiteForSignatureOid, type KeyPair, type Suite, type SuiteName } from './suites.ts';

export const DIGEST_OID = { sha256: '2.16.840.1.101.3.4.2.1', sm3: '1.2.156.10197.1.401' } as const;
export type DigestName = keyof typeof DIGEST_OID;
/** GM/T 0010 names SM2 signatures in CMS with sm2-1; we write sm2-with-SM3 and accept both. */
const SM2_SIGN_OID = '1.2.156.10197.1.301.1';
export const id_data = '1.2.840.113549.1.7.1';
export const id_signedData = '1.2.840.113549.1.7.2';
export const id_contentType = '1.2.840.113549.1.9.3';
export const id_messageDigest = '1.2.840.113549.1.9.4';
export const id_signingTime = '1.2.840.113549.1.9.5';
export const id_aa_signatureTimeStampToken = '1.2.840.113549.1.9.16.2.14';

// Encode the OIDs this module reads once, so decoding them is a lookup (der.readOid).
for (const known of [...Object.values(DIGEST_OID), OID.ecdsaWithSha256, OID.sm2WithSm3, SM2_SIGN_OID, id_data, id_signedData, id_contentType, id_messageDigest, id_signingTime, id_aa_signatureTimeStampToken]) der.oid(known);

/** A CMS structure that cannot be read; the message names what is wrong. */
export class CmsFormatError extends Error {}

export type CmsSigner = { certificateDer: Buffer; key: KeyPair; suite: Suite; chain: Buffer[] };

/** An attribute with one value, given as its DER encoding. */
export type CmsAttribute = { type: string; value: Buffer };

export type SignCmsInput = {
  content: Buffer;
  detached: boolean;
  signer: CmsSigner;
  signingTime: Date;
  /** id-data for documents; id-ct-TSTInfo for timestamp tokens. */
  contentType?: string;
  extraSignedAttributes?: CmsAttribute[];
  /** Called with the signature value; its attributes go unsigned (e.g. the signature timestamp). */
  unsignedAttributes?: (signature: Buffer) => CmsAttribute[];
};

export function digestOf(name: DigestName, data: Uint8Array): Buffer {
  return crypto.hash(name, data, 'buffer');
}

export function digestNameForOid(oid: string): DigestName | undefined {
  return (Object.keys(DIGEST_OID) as DigestName[]).find((name) => DIGEST_OID[name] === oid);
}

export function attribute(type: string, value: Uint8Array): CmsAttribute {
  return { type, value: Buffer.from(value) };
}

const encodeAttribute = (a: CmsAttribute) => der.sequence(der.oid(a.type), der.tlv(der.TAG.SET, a.value));
/** ECDSA and SM2 AlgorithmIdentifiers have no parameters; digest algorithms carry NULL, as OpenSSL writes them. */
const algorithm = (oid: string, withNull = false) => der.sequence(der.oid(oid), ...(withNull ? [der.NULL] : []));

export function signCms(input: SignCmsInput): Buffer {
  const { signer } = input;
  const digestName = signer.suite.hash;
  const contentType = input.contentType ?? id_data;
  const cert = der.certificateParts(signer.certificateDer);
  const attrs = [
    attribute(id_contentType, der.oid(contentType)),
    attribute(id_signingTime, der.time(input.signingTime)),
    attribute(id_messageDigest, der.octetString(digestOf(digestName, input.content))),
    ...(input.extraSignedAttributes ?? []),
  ].map(encodeAttribute);
  // The signature covers the attributes as a DER SET OF (sorted); they travel as [0] IMPLICIT.
  const signedSet = der.setOf(attrs);
  const signature = signer.suite.sign(signedSet, signer.key);
  const unsigned = input.unsignedAttributes?.(signature) ?? [];
  const digestAlgorithm = algorithm(DIGEST_OID[digestName], true);
  const signerInfo = der.sequence(
    der.integer(1),
    der.sequence(cert.issuer, cert.serial),
    digestAlgorithm,
    Buffer.concat([Buffer.from([der.context(0)]), signedSet.subarray(1)]),
    algorithm(signer.suite.signatureAlgorithmOid),
    der.octetString(signature),
    ...(unsigned.length > 0 ? [der.tlv(der.context(1), ...[...unsigned.map(encodeAttribute)].sort(Buffer.compare))] : []),
  );
  const signedData = der.sequence(
    // v3 when the content is not id-data (RFC 5652 5.1), as timestamp tokens are.
    der.integer(contentType === id_data ? 1 : 3),
    der.tlv(der.TAG.SET, digestAlgorithm),
    der.sequence(der.oid(contentType), ...(input.detached ? [] : [der.tlv(der.context(0), der.octetString(input.content))])),
    der.tlv(der.context(0), signer.certificateDer, ...signer.chain),
    der.tlv(der.TAG.SET, signerInfo),
  );
  return der.sequence(der.oid(id_signedData), der.tlv(der.context(0), signedData));
}

export type ParsedCms = {
  contentType: string;
  /** The encapsulated content, or undefined when the signature is detached. */
  content: Buffer | undefined;
  certificates: Buffer[];
  signerCertificate: Buffer;
  /** The signer certificate's SubjectPublicKeyInfo, DER. */
  signerPublicKey: Buffer;
  suite: SuiteName;
  digest: DigestName;
  signedAttributesDer: Buffer;
  signature: Buffer;
  messageDigest: Buffer;
  signingTime: Date | undefined;
  signedContentType: string | undefined;
  /** The DER of an attribute's (first) value. */
  signedAttribute(type: string): Buffer | undefined;
  unsignedAttribute(type: string): Buffer | undefined;
};

function attributeMap(node: der.Node | undefined): Map<string, Buffer> {
  const map = new Map<string, Buffer>();
  if (!node) return map;
  for (const attr of der.children(node)) {
    const [type, values] = der.children(der.expect(attr, der.TAG.SEQUENCE, 'attribute'));
    const first = der.children(der.expect(values, der.TAG.SET, 'attribute values'))[0];
    if (first) map.set(der.readOid(type), der.encoding(first));
  }
  return map;
}

/** Reads a ContentInfo holding SignedData with one signer; throws CmsFormatError naming the fault. */
export function parseCms(input: Uint8Array): ParsedCms {
  try {
    return parseSignedData(Buffer.from(input.buffer, input.byteOffset, input.byteLength));
  } catch (err) {
    if (err instanceof der.DerError) throw new CmsFormatError(`The signature is not a CMS (PKCS#7) structure: ${err.message}.`);
    throw err;
  }
}

function parseSignedData(bytes: Buffer): ParsedCms {
  let top: der.Node;
  try {
    top = der.readAll(bytes);
  } catch {
    throw new CmsFormatError('The signature is not a CMS (PKCS#7) structure.');
  }
  const [typeNode, wrapped] = der.children(der.expect(top, der.TAG.SEQUENCE, 'ContentInfo'));
  const contentInfoType = der.readOid(der.expect(typeNode, der.TAG.OID, 'content type'));
  if (contentInfoType !== id_signedData) throw new CmsFormatError(`The CMS content is ${contentInfoType}, not SignedData.`);
  const signedData = der.children(der.expect(der.children(der.expect(wrapped, der.context(0), 'SignedData'))[0], der.TAG.SEQUENCE, 'SignedData'));
  const encap = der.children(der.expect(signedData[2], der.TAG.SEQUENCE, 'encapsulated content'));
  const certNode = signedData.find((n, i) => i > 2 && n.tag === der.context(0));
  const signerInfos = der.children(der.expect(signedData.at(-1), der.TAG.SET, 'signer infos'));
  if (signerInfos.length !== 1) throw new CmsFormatError(`The signature has ${signerInfos.length} signers; exactly one is supported.`);
  const si = der.children(der.expect(signerInfos[0], der.TAG.SEQUENCE, 'signer info'));
  const sid = si[1];
  if (sid.tag !== der.TAG.SEQUENCE) throw new CmsFormatError('The signer is identified by key identifier; an issuer and serial number is required.');
  const [sidIssuer, sidSerial] = der.children(sid).map(der.encoding);
  const digestOid = der.readOid(der.children(der.expect(si[2], der.TAG.SEQUENCE, 'digest algorithm'))[0]);
  const signedAttrsNode = si[3]?.tag === der.context(0) ? si[3] : undefined;
  if (!signedAttrsNode) throw new CmsFormatError('The signature has no signed attributes.');
  const sigAlgOid = der.readOid(der.children(der.expect(si[4], der.TAG.SEQUENCE, 'signature algorithm'))[0]);
  const signature = der.content(der.expect(si[5], der.TAG.OCTET_STRING, 'signature value'));
  const unsignedNode = si[6]?.tag === der.context(1) ? si[6] : undefined;

  const suite = sigAlgOid === SM2_SIGN_OID ? 'sm2-sm3' : suiteForSignatureOid(sigAlgOid);
  if (!suite) throw new CmsFormatError(`The signature algorithm ${sigAlgOid} is not supported; use ECDSA with SHA-256 (${OID.ecdsaWithSha256}) or SM2 with SM3 (${OID.sm2WithSm3}).`);
  const digest = digestNameForOid(digestOid);
  if (!digest) throw new CmsFormatError(`The digest algorithm ${digestOid} is not supported; use SHA-256 or SM3.`);

  const certificates = certNode ? der.children(certNode).map(der.encoding) : [];
  let signerCertificate: Buffer | undefined;
  let signerPublicKey: Buffer | undefined;
  for (const candidate of certificates) {
    let parts;
    try {
      parts = der.certificateParts(candidate);
    } catch {
      continue;
    }
    if (parts.serial.equals(sidSerial) && parts.issuer.equals(sidIssuer)) {
      signerCertificate = candidate;
      signerPublicKey = parts.spki;
      break;
    }
  }
  if (!signerCertificate || !signerPublicKey) throw new CmsFormatError("The signature does not carry the signer's certificate.");

  const signed = attributeMap(signedAttrsNode);
  const unsigned = attributeMap(unsignedNode);
  const messageDigest = signed.get(id_messageDigest);
  if (!messageDigest) throw new CmsFormatError('The signed attributes have no message digest.');
  const signingTime = signed.get(id_signingTime);
  const signedType = signed.get(id_contentType);
  // What the signer signed: the [0] IMPLICIT field as it arrived, re-tagged as SET (RFC 5652 5.4).
  const signedAttributesDer = Buffer.from(der.encoding(signedAttrsNode));
  signedAttributesDer[0] = der.TAG.SET;

  let content: Buffer | undefined;
  if (encap[1]) {
    const inner = der.children(der.expect(encap[1], der.context(0), 'encapsulated content'))[0];
    // BER senders may split the content into a constructed OCTET STRING.
    content = inner?.tag === der.TAG.OCTET_STRING ? Buffer.from(der.content(inner)) : inner?.tag === 0x24 ? Buffer.concat(der.children(inner).map(der.content)) : undefined;
    if (!content) throw new CmsFormatError('The encapsulated content is not an OCTET STRING.');
  }
  return {
    contentType: der.readOid(encap[0]),
    content,
    certificates,
    signerCertificate,
    signerPublicKey,
    suite,
    digest,
    signedAttributesDer,
    signature: Buffer.from(signature),
    messageDigest: Buffer.from(der.content(der.expect(der.read(messageDigest), der.TAG.OCTET_STRING, 'message digest'))),
    signingTime: signingTime ? der.readTime(der.read(signingTime)) : undefined,
    signedContentType: signedType ? der.readOid(der.read(signedType)) : undefined,
    signedAttribute: (type) => signed.get(type),
    unsignedAttribute: (type) => unsigned.get(type),
  };
}

export type CmsCheck = { ok: true } | { ok: false; code: 'content_mismatch' | 'bad_signature' | 'content_type_mismatch' | 'missing_content' };

/** Checks the digest of `content` (or the enveloped content) and the signature with the signer's key. */
export function checkCms(parsed: ParsedCms, suites: Record<SuiteName, Suite>, detachedContent?: Buffer): CmsCheck {
  const content = parsed.content ?? detachedContent;
  if (!content) return { ok: false, code: 'missing_content' };
  if (parsed.signedContentType !== undefined && parsed.signedContentType !== parsed.contentType) return { ok: false, code: 'content_type_mismatch' };
  if (!digestOf(parsed.digest, content).equals(parsed.messageDigest)) return { ok: false, code: 'content_mismatch' };
  let valid = false;
  try {
    valid = suites[parsed.suite].verify(parsed.signedAttributesDer, parsed.signature, parsed.signerPublicKey);
  } catch {
    valid = false;
  }
  return valid ? { ok: true } : { ok: false, code: 'bad_signature' };
}
