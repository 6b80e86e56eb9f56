// CMS SignedData (RFC 5652) for either suite: detached or enveloping, with the signer's
// certificate chain, signed attributes (content type, message digest, signing time) and any
// unsigned attributes (the signature timestamp). RFC 3161 timestamp tokens are SignedData
// too, so the TSA builds on the same two functions. Decision 0006 says why CMS.
import crypto from 'node:crypto';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import {
  Attribute,
  CertificateChoices,
  CertificateSet,
  CMSVersion,
  ContentInfo,
  DigestAlgorithmIdentifier,
  DigestAlgorithmIdentifiers,
  EncapsulatedContent,
  EncapsulatedContentInfo,
  IssuerAndSerialNumber,
  MessageDigest,
  SignatureAlgorithmIdentifier,
  SignedData,
  SignerIdentifier,
  SignerInfo,
  SignerInfos,
  SigningTime,
  id_contentType,
  id_data,
  id_messageDigest,
  id_signedData,
  id_signingTime,
} from '@peculiar/asn1-cms';
import { Certificate } from '@peculiar/asn1-x509';
import * as asn1js from 'asn1js';
import { OID, suiteForSignatureOid, type KeyPair, type Suite, type SuiteName } from './suites.ts';

export const DIGEST_OID = { sha256: '2.16.840.1.101.3.4.2.1', sm3: '1.2.156.10197.1.401' } as const;
export type DigestName = keyof typeof DIGEST_OID;
/** GM/T 0010 names SM2 signatures in CMS with sm2-1; we write sm2-with-SM3 and accept both. */
const SM2_SIGN_OID = '1.2.156.10197.1.301.1';
export const id_aa_signatureTimeStampToken = '1.2.840.113549.1.9.16.2.14';

/** A CMS structure that cannot be read; the message names what is wrong. */
export class CmsFormatError extends Error {}

export type CmsSigner = { certificateDer: Buffer; key: KeyPair; suite: Suite; chain: Buffer[] };

export type SignCmsInput = {
  content: Buffer;
  detached: boolean;
  signer: CmsSigner;
  signingTime: Date;
  /** id-data for documents; id-ct-TSTInfo for timestamp tokens. */
  contentType?: string;
  extraSignedAttributes?: Attribute[];
  /** Called with the signature value; its attributes go unsigned (e.g. the signature timestamp). */
  unsignedAttributes?: (signature: Buffer) => Attribute[];
};

export function digestOf(name: DigestName, data: Uint8Array): Buffer {
  return crypto.hash(name, data, 'buffer');
}

export function digestNameForOid(oid: string): DigestName | undefined {
  return (Object.keys(DIGEST_OID) as DigestName[]).find((name) => DIGEST_OID[name] === oid);
}

export function oidDer(oid: string): ArrayBuffer {
  return new asn1js.ObjectIdentifier({ value: oid }).toBER(false);
}

export function attribute(type: string, valueDer: ArrayBuffer): Attribute {
  return new Attribute({ attrType: type, attrValues: [valueDer] });
}

/** DER of SET OF: members sorted by their encodings (X.690 11.6), under the universal SET tag. */
function derSetOf(members: Buffer[]): Buffer {
  const body = Buffer.concat([...members].sort(Buffer.compare));
  return Buffer.concat([derHeader(0x31, body.length), body]);
}

function derHeader(tag: number, length: number): Buffer {
  if (length < 0x80) return Buffer.from([tag, length]);
  const bytes: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n & 0xff);
  return Buffer.from([tag, 0x80 | bytes.length, ...bytes]);
}

/** What the signer signs: the signed attributes as an explicit SET OF (RFC 5652 5.4). */
function sortedSignedAttributes(attrs: Attribute[]): { ordered: Attribute[]; der: Buffer } {
  const encoded = attrs.map((a) => ({ a, der: Buffer.from(AsnConvert.serialize(a)) }));
  encoded.sort((x, y) => Buffer.compare(x.der, y.der));
  return { ordered: encoded.map((e) => e.a), der: derSetOf(encoded.map((e) => e.der)) };
}

export function signCms(input: SignCmsInput): Buffer {
  const { signer } = input;
  const digestName = signer.suite.hash;
  const contentType = input.contentType ?? id_data;
  const cert = AsnConvert.parse(input.signer.certificateDer, Certificate);
  const { ordered, der } = sortedSignedAttributes([
    attribute(id_contentType, oidDer(contentType)),
    attribute(id_signingTime, AsnConvert.serialize(new SigningTime(input.signingTime))),
    attribute(id_messageDigest, AsnConvert.serialize(new MessageDigest(digestOf(digestName, input.content)))),
    ...(input.extraSignedAttributes ?? []),
  ]);
  const signature = signer.suite.sign(der, signer.key);
  const unsigned = input.unsignedAttributes?.(signature);
  const signerInfo = new SignerInfo({
    version: CMSVersion.v1,
    sid: new SignerIdentifier({ issuerAndSerialNumber: new IssuerAndSerialNumber({ issuer: cert.tbsCertificate.issuer, serialNumber: cert.tbsCertificate.serialNumber }) }),
    digestAlgorithm: new DigestAlgorithmIdentifier({ algorithm: DIGEST_OID[digestName], parameters: null }),
    signedAttrs: ordered,
    signatureAlgorithm: new SignatureAlgorithmIdentifier({ algorithm: signer.suite.signatureAlgorithmOid }),
    signature: new OctetString(signature),
    ...(unsigned && unsigned.length > 0 ? { unsignedAttrs: unsigned } : {}),
  });
  const signedData = new SignedData({
    // v3 when the content is not id-data (RFC 5652 5.1), as timestamp tokens are.
    version: contentType === id_data ? CMSVersion.v1 : CMSVersion.v3,
    digestAlgorithms: new DigestAlgorithmIdentifiers([new DigestAlgorithmIdentifier({ algorithm: DIGEST_OID[digestName], parameters: null })]),
    encapContentInfo: new EncapsulatedContentInfo({
      eContentType: contentType,
      ...(input.detached ? {} : { eContent: new EncapsulatedContent({ single: new OctetString(input.content) }) }),
    }),
    certificates: new CertificateSet([signer.certificateDer, ...signer.chain].map((d) => new CertificateChoices({ certificate: AsnConvert.parse(d, Certificate) }))),
    signerInfos: new SignerInfos([signerInfo]),
  });
  return Buffer.from(AsnConvert.serialize(new ContentInfo({ contentType: id_signedData, content: AsnConvert.serialize(signedData) })));
}

export type ParsedCms = {
  contentType: string;
  /** The encapsulated content, or undefined when the signature is detached. */
  content: Buffer | undefined;
  certificates: Buffer[];
  signerCertificate: Buffer;
  suite: SuiteName;
  digest: DigestName;
  signedAttributesDer: Buffer;
  signature: Buffer;
  messageDigest: Buffer;
  signingTime: Date | undefined;
  signedContentType: string | undefined;
  signedAttribute(type: string): ArrayBuffer | undefined;
  unsignedAttribute(type: string): ArrayBuffer | undefined;
};

/** Reads a ContentInfo holding SignedData with one signer; throws CmsFormatError naming the fault. */
export function parseCms(der: Uint8Array): ParsedCms {
  let info: ContentInfo;
  let signed: SignedData;
  try {
    info = AsnConvert.parse(der, ContentInfo);
  } catch {
    throw new CmsFormatError('The signature is not a CMS (PKCS#7) structure.');
  }
  if (info.contentType !== id_signedData) throw new CmsFormatError(`The CMS content is ${info.contentType}, not SignedData.`);
  try {
    signed = AsnConvert.parse(info.content, SignedData);
  } catch {
    throw new CmsFormatError('The CMS SignedData is malformed.');
  }
  if (signed.signerInfos.length !== 1) throw new CmsFormatError(`The signature has ${signed.signerInfos.length} signers; exactly one is supported.`);
  const si = signed.signerInfos[0];
  const signedAttributesDer = si.signedAttrs ? rawSignedAttributes(der) : undefined;
  if (!si.signedAttrs || !signedAttributesDer) throw new CmsFormatError('The signature has no signed attributes.');
  const sigOid = si.signatureAlgorithm.algorithm;
  const suite = sigOid === SM2_SIGN_OID ? 'sm2-sm3' : suiteForSignatureOid(sigOid);
  if (!suite) throw new CmsFormatError(`The signature algorithm ${sigOid} is not supported; use ECDSA with SHA-256 (${OID.ecdsaWithSha256}) or SM2 with SM3 (${OID.sm2WithSm3}).`);
  const digest = digestNameForOid(si.digestAlgorithm.algorithm);
  if (!digest) throw new CmsFormatError(`The digest algorithm ${si.digestAlgorithm.algorithm} is not supported; use SHA-256 or SM3.`);
  const certificates = (signed.certificates ?? []).filter((c) => c.certificate).map((c) => Buffer.from(AsnConvert.serialize(c.certificate!)));
  const sid = si.sid.issuerAndSerialNumber;
  if (!sid) throw new CmsFormatError('The signer is identified by key identifier; an issuer and serial number is required.');
  const signerCertificate = certificates.find((c) => {
    const tbs = AsnConvert.parse(c, Certificate).tbsCertificate;
    return Buffer.from(tbs.serialNumber).equals(Buffer.from(sid.serialNumber)) && Buffer.from(AsnConvert.serialize(tbs.issuer)).equals(Buffer.from(AsnConvert.serialize(sid.issuer)));
  });
  if (!signerCertificate) throw new CmsFormatError("The signature does not carry the signer's certificate.");
  const signedAttribute = (type: string) => si.signedAttrs!.find((a) => a.attrType === type)?.attrValues[0];
  const messageDigest = signedAttribute(id_messageDigest);
  if (!messageDigest) throw new CmsFormatError('The signed attributes have no message digest.');
  const signingTime = signedAttribute(id_signingTime);
  const contentTypeAttr = signedAttribute(id_contentType);
  const eContent = signed.encapContentInfo.eContent;
  return {
    contentType: signed.encapContentInfo.eContentType,
    content: eContent?.single ? Buffer.from(eContent.single.buffer) : eContent?.any ? Buffer.from(eContent.any) : undefined,
    certificates,
    signerCertificate,
    suite,
    digest,
    signedAttributesDer,
    signature: Buffer.from(si.signature.buffer),
    messageDigest: Buffer.from(AsnConvert.parse(messageDigest, OctetString).buffer),
    signingTime: signingTime ? AsnConvert.parse(signingTime, SigningTime).getTime() : undefined,
    signedContentType: contentTypeAttr ? (asn1js.fromBER(contentTypeAttr).result as asn1js.ObjectIdentifier).valueBlock.toString() : undefined,
    signedAttribute,
    unsignedAttribute: (type) => si.unsignedAttrs?.find((a) => a.attrType === type)?.attrValues[0],
  };
}

/**
 * The signed attributes exactly as they arrived, re-tagged from [0] IMPLICIT to SET: that is
 * what the signer signed (RFC 5652 5.4). Re-encoding the parsed attributes could reorder them.
 */
function rawSignedAttributes(der: Uint8Array): Buffer | undefined {
  const constructed = (node: asn1js.AsnType | undefined): asn1js.AsnType[] => {
    const value = (node as { valueBlock?: { value?: unknown } } | undefined)?.valueBlock?.value;
    return Array.isArray(value) ? (value as asn1js.AsnType[]) : [];
  };
  const contentInfo = asn1js.fromBER(der).result;
  const signedData = constructed(constructed(contentInfo)[1])[0];
  const signerInfos = constructed(signedData).at(-1);
  const signerInfo = constructed(signerInfos)[0];
  const tagged = constructed(signerInfo).find((n) => n.idBlock.tagClass === 3 && n.idBlock.tagNumber === 0);
  if (!tagged) return undefined;
  const raw = Buffer.from(tagged.valueBeforeDecodeView);
  raw[0] = 0x31;
  return raw;
}

export type CmsCheck = { ok: true } | { ok: false; code: 'content_mismatch' | 'bad_signature' | 'content_type_mismatch' | 'missing_content' };

/** Checks the digest of `content` (or the enveloped content) and the signature with the signer's key. */
export function checkCms(parsed: ParsedCms, suites: Record<SuiteName, Suite>, detachedContent?: Buffer): CmsCheck {
  const content = parsed.content ?? detachedContent;
  if (!content) return { ok: false, code: 'missing_content' };
  if (parsed.signedContentType !== undefined && parsed.signedContentType !== parsed.contentType) return { ok: false, code: 'content_type_mismatch' };
  if (!digestOf(parsed.digest, content).equals(parsed.messageDigest)) return { ok: false, code: 'content_mismatch' };
  const spki = Buffer.from(AsnConvert.serialize(AsnConvert.parse(parsed.signerCertificate, Certificate).tbsCertificate.subjectPublicKeyInfo));
  let valid = false;
  try {
    valid = suites[parsed.suite].verify(parsed.signedAttributesDer, parsed.signature, spki);
  } catch {
    valid = false;
  }
  return valid ? { ok: true } : { ok: false, code: 'bad_signature' };
}
