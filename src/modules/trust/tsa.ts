// RFC 3161 timestamp tokens: a TSTInfo over a SHA-256 or SM3 message imprint, signed as CMS
// SignedData by the instance's TSA certificate, with the ESS signing-certificate-v2 attribute
// (RFC 5816) that relying parties such as `openssl ts -verify` require. Batch mode timestamps
// a Merkle root (merkle.ts), so one signature covers thousands of items.
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { Accuracy, MessageImprint, PKIStatus, PKIStatusInfo, TimeStampReq, TimeStampResp, TimeStampToken, TSTInfo, id_ct_tstInfo } from '@peculiar/asn1-tsp';
import { AlgorithmIdentifier } from '@peculiar/asn1-x509';
import * as asn1js from 'asn1js';
import { buildTree, verifyInclusion, type InclusionProof } from './merkle.ts';
import { attribute, CmsFormatError, DIGEST_OID, digestNameForOid, digestOf, parseCms, signCms, type CmsSigner, type DigestName, type ParsedCms } from './cms.ts';
import { newSerialNumber } from './x509.ts';

/**
 * The TSA policy: an OID in the UUID arc (ITU-T X.667), which needs no registration. It
 * says tokens come from this software's TSA with the accuracy stated in each token.
 */
export const TSA_POLICY_OID = '2.25.83204271773132444560792138755841531612';
const id_aa_signingCertificateV2 = '1.2.840.113549.1.9.16.2.47';

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

/** ESSCertIDv2 with the default hash (SHA-256) of the TSA certificate: binds the signer's certificate. */
function signingCertificateV2(certificateDer: Buffer): ArrayBuffer {
  const certHash = new asn1js.OctetString({ valueHex: digestOf('sha256', certificateDer) });
  const essCertIdV2 = new asn1js.Sequence({ value: [certHash] });
  return new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [essCertIdV2] })] }).toBER(false);
}

function assertImprintLength(imprint: Imprint): void {
  if (imprint.digest.length !== 32) throw new TimestampError('bad_imprint', `A ${imprint.hash} message imprint is 32 bytes; this one is ${imprint.digest.length}.`);
}

/** Issues a timestamp token (DER ContentInfo) for a message imprint. */
export function issueToken(input: { imprint: Imprint; signer: CmsSigner; genTime: Date; nonce?: ArrayBuffer }): Buffer {
  assertImprintLength(input.imprint);
  const tstInfo = new TSTInfo({
    policy: TSA_POLICY_OID,
    messageImprint: new MessageImprint({
      hashAlgorithm: new AlgorithmIdentifier({ algorithm: DIGEST_OID[input.imprint.hash], parameters: null }),
      hashedMessage: new OctetString(input.imprint.digest),
    }),
    serialNumber: new Uint8Array(newSerialNumber()).buffer,
    genTime: input.genTime,
    accuracy: new Accuracy({ seconds: 1 }),
    ...(input.nonce ? { nonce: input.nonce } : {}),
  });
  return signCms({
    content: Buffer.from(AsnConvert.serialize(tstInfo)),
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
export function readToken(der: Uint8Array, check: (cms: ParsedCms) => boolean): VerifiedToken {
  const cms = parseCms(der);
  if (cms.contentType !== id_ct_tstInfo) throw new TimestampError('not_a_timestamp', 'The token does not hold a TSTInfo: it is not an RFC 3161 timestamp.');
  if (!cms.content) throw new TimestampError('not_a_timestamp', 'The timestamp token has no TSTInfo content.');
  if (!check(cms)) throw new TimestampError('bad_timestamp_signature', "The timestamp token's signature does not verify.");
  let info: TSTInfo;
  try {
    info = AsnConvert.parse(cms.content, TSTInfo);
  } catch {
    throw new TimestampError('not_a_timestamp', 'The TSTInfo in the token is malformed.');
  }
  const hash = digestNameForOid(info.messageImprint.hashAlgorithm.algorithm);
  if (!hash) throw new TimestampError('unknown_algorithm', `The token's imprint uses ${info.messageImprint.hashAlgorithm.algorithm}; only SHA-256 and SM3 are supported.`);
  return {
    genTime: info.genTime,
    imprint: { hash, digest: Buffer.from(info.messageImprint.hashedMessage.buffer) },
    serial: Buffer.from(info.serialNumber).toString('hex'),
    policy: info.policy,
    tsaCertificate: cms.signerCertificate,
    cms,
  };
}

/** Parses an RFC 3161 TimeStampReq (application/timestamp-query). */
export function parseRequest(der: Uint8Array): { imprint: Imprint; nonce?: ArrayBuffer; certReq: boolean } {
  let request: TimeStampReq;
  try {
    request = AsnConvert.parse(der, TimeStampReq);
  } catch {
    throw new TimestampError('bad_request', 'The body is not an RFC 3161 TimeStampReq (DER).');
  }
  const hash = digestNameForOid(request.messageImprint.hashAlgorithm.algorithm);
  if (!hash) throw new TimestampError('unknown_algorithm', `The imprint's hash algorithm ${request.messageImprint.hashAlgorithm.algorithm} is not supported; use SHA-256 or SM3.`);
  const imprint = { hash, digest: Buffer.from(request.messageImprint.hashedMessage.buffer) };
  assertImprintLength(imprint);
  return { imprint, nonce: request.nonce, certReq: request.certReq };
}

export function grantedResponse(token: Buffer): Buffer {
  const resp = new TimeStampResp({ status: new PKIStatusInfo({ status: PKIStatus.granted }), timeStampToken: AsnConvert.parse(token, TimeStampToken) });
  return Buffer.from(AsnConvert.serialize(resp));
}

/** The token inside a TimeStampResp, or the token itself when given one. */
export function tokenFromResponseOrToken(der: Buffer): Buffer {
  try {
    const resp = AsnConvert.parse(der, TimeStampResp);
    if (resp.timeStampToken) return Buffer.from(AsnConvert.serialize(resp.timeStampToken));
    if (resp.status.status !== PKIStatus.granted) throw new TimestampError('timestamp_refused', `The TSA refused the request (status ${resp.status.status}).`);
  } catch (err) {
    if (err instanceof TimestampError) throw err;
  }
  return der;
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

export { CmsFormatError };
