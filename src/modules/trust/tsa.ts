// RFC 3161 timestamp tokens: a TSTInfo over a SHA-256 or SM3 message imprint, signed as CMS
// SignedData by the instance's TSA certificate, with the ESS signing-certificate-v2 attribute
// (RFC 5816) that relying parties such as `openssl ts -verify` require. Batch mode timestamps
// a Merkle root (merkle.ts), so one signature covers thousands of items.
import { AsnConvert } from '@peculiar/asn1-schema';
import { PKIStatus, TimeStampReq } from '@peculiar/asn1-tsp';
import { attribute, DIGEST_OID, digestNameForOid, digestOf, parseCms, signCms, type CmsAttribute, type CmsSigner, type DigestName, type ParsedCms, id_aa_signatureTimeStampToken } from './cms.ts';
import * as der from './der.ts';
import { buildTree, verifyInclusion, type InclusionProof } from './merkle.ts';
import { newSerialNumber } from './x509.ts';

/**
 * The TSA policy: an OID in the UUID arc (ITU-T X.667), which needs no registration. It
 * says tokens come from this software's TSA with the accuracy stated in each token.
 */
export const TSA_POLICY_OID = '2.25.83204271773132444560792138755841531612';
const id_aa_signingCertificateV2 = '1.2.840.113549.1.9.16.2.47';
export const id_ct_tstInfo = '1.2.840.113549.1.9.16.1.4';

export class TimestampError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

export type Imprint = { hash: DigestName; digest: Buffer };

export type VerifiedToken = {
  genTime: Date;
  imprint: Imprint;
  serial: string;
  policy: string;
  tsaCertificate: Buffer;
  cms: ParsedCms;
};

/** SigningCertificateV2 { certs { ESSCertIDv2 { certHash } } }, the hash being SHA-256 (the default). */
function signingCertificateV2(certificateDer: Buffer): Buffer {
  return der.sequence(der.sequence(der.sequence(der.octetString(digestOf('sha256', certificateDer)))));
}

function assertImprintLength(imprint: Imprint): void {
  if (imprint.digest.length !== 32) throw new TimestampError('bad_imprint', `A ${imprint.hash} message imprint is 32 bytes; this one is ${imprint.digest.length}.`);
}

/** Issues a timestamp token (DER ContentInfo) for a message imprint. */
export function issueToken(input: { imprint: Imprint; signer: CmsSigner; genTime: Date; nonce?: ArrayBuffer }): Buffer {
  assertImprintLength(input.imprint);
  const tstInfo = der.sequence(
    der.integer(1),
    der.oid(TSA_POLICY_OID),
    der.sequence(der.sequence(der.oid(DIGEST_OID[input.imprint.hash]), der.NULL), der.octetString(input.imprint.digest)),
    der.integer(newSerialNumber()),
    der.generalizedTimeMs(input.genTime),
    der.sequence(der.integer(1)), // accuracy: one second
    ...(input.nonce ? [der.integer(new Uint8Array(input.nonce))] : []),
  );
  return signCms({
    content: tstInfo,
    detached: false,
    contentType: id_ct_tstInfo,
    signer: input.signer,
    signingTime: input.genTime,
    extraSignedAttributes: [attribute(id_aa_signingCertificateV2, signingCertificateV2(input.signer.certificateDer))],
  });
}

/**
 * Reads a token and checks what the token itself proves: its structure, the TSA's signature
 * and, when given, that it covers `expected`. Whether the TSA certificate is one we trust is
 * the caller's check (verification.ts), as for any signer.
 */
export function readToken(token: Uint8Array, check: (cms: ParsedCms) => boolean): VerifiedToken {
  const cms = parseCms(token);
  if (cms.contentType !== id_ct_tstInfo) throw new TimestampError('not_a_timestamp', 'The token does not hold a TSTInfo: it is not an RFC 3161 timestamp.');
  if (!cms.content) throw new TimestampError('not_a_timestamp', 'The timestamp token has no TSTInfo content.');
  if (!check(cms)) throw new TimestampError('bad_timestamp_signature', "The timestamp token's signature does not verify.");
  let fields: der.Node[];
  let imprint: der.Node[];
  try {
    fields = der.children(der.expect(der.readAll(cms.content), der.TAG.SEQUENCE, 'TSTInfo'));
    imprint = der.children(der.expect(fields[2], der.TAG.SEQUENCE, 'message imprint'));
  } catch {
    throw new TimestampError('not_a_timestamp', 'The TSTInfo in the token is malformed.');
  }
  const hashOid = der.readOid(der.children(imprint[0])[0]);
  const hash = digestNameForOid(hashOid);
  if (!hash) throw new TimestampError('unknown_algorithm', `The token's imprint uses ${hashOid}; only SHA-256 and SM3 are supported.`);
  return {
    genTime: der.readTime(der.expect(fields[4], der.TAG.GENERALIZED_TIME, 'genTime')),
    imprint: { hash, digest: Buffer.from(der.content(der.expect(imprint[1], der.TAG.OCTET_STRING, 'hashed message'))) },
    serial: der.content(der.expect(fields[3], der.TAG.INTEGER, 'serial number')).toString('hex'),
    policy: der.readOid(fields[1]),
    tsaCertificate: cms.signerCertificate,
    cms,
  };
}

/** Parses an RFC 3161 TimeStampReq (application/timestamp-query). */
export function parseRequest(query: Uint8Array): { imprint: Imprint; nonce?: ArrayBuffer; certReq: boolean } {
  let request: TimeStampReq;
  try {
    request = AsnConvert.parse(query, TimeStampReq);
  } catch {
    throw new TimestampError('bad_request', 'The body is not an RFC 3161 TimeStampReq (DER).');
  }
  const hash = digestNameForOid(request.messageImprint.hashAlgorithm.algorithm);
  if (!hash) throw new TimestampError('unknown_algorithm', `The imprint's hash algorithm ${request.messageImprint.hashAlgorithm.algorithm} is not supported; use SHA-256 or SM3.`);
  const imprint = { hash, digest: Buffer.from(request.messageImprint.hashedMessage.buffer) };
  assertImprintLength(imprint);
  return { imprint, nonce: request.nonce, certReq: request.certReq };
}

/** TimeStampResp { status { granted }, timeStampToken }. */
export function grantedResponse(token: Buffer): Buffer {
  return der.sequence(der.sequence(der.integer(PKIStatus.granted)), token);
}

/** A signature's timestamp (CAdES-T style): a token over the hash of the signature value. */
export function signatureTimestampToken(signature: Buffer, hash: DigestName, tsa: CmsSigner, genTime: Date): Buffer {
  return issueToken({ imprint: { hash, digest: digestOf(hash, signature) }, signer: tsa, genTime });
}

/** The same token as a CMS signature's unsigned attribute id-aa-signatureTimeStampToken. */
export function signatureTimestamp(signature: Buffer, hash: DigestName, tsa: CmsSigner, genTime: Date): CmsAttribute {
  return attribute(id_aa_signatureTimeStampToken, signatureTimestampToken(signature, hash, tsa, genTime));
}

export type BatchReceipt = { token: Buffer; root: Buffer; proofs: InclusionProof[] };

/** One token over the Merkle root of `items`; each item gets its inclusion proof. */
export function issueBatch(input: { hash: DigestName; items: Uint8Array[]; signer: CmsSigner; genTime: Date }): BatchReceipt {
  const { root, proofs } = buildTree(input.hash, input.items);
  return { token: issueToken({ imprint: { hash: input.hash, digest: root }, signer: input.signer, genTime: input.genTime }), root, proofs };
}

/** True when `item` is in the batch whose root the (already verified) token covers. */
export function itemInBatch(token: VerifiedToken, item: Uint8Array, proof: InclusionProof): boolean {
  if (proof.hash !== token.imprint.hash) return false;
  return verifyInclusion(item, proof, token.imprint.digest);
}

