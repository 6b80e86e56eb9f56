// PKCS#10 certificate signing requests from organizations that keep their own keys. The CSR's
// self-signature proves the requester holds the private key; its subject is ignored, because
// the CA writes the subject from the directory (the organization's name, credit code and
// identifier), never from what a requester claims.
import { AsnConvert } from '@peculiar/asn1-schema';
import { CertificationRequest } from '@peculiar/asn1-csr';
import * as asn1js from 'asn1js';
import { suiteForSignatureOid, suiteOfPublicKey, type Suite, type SuiteName } from './suites.ts';
import { derFromPemOrDer } from './x509.ts';

export class CsrError extends Error {}

/** Reads a PEM or DER CSR, checks its proof of possession, and returns its public key. */
export function parseCsr(input: Buffer, suites: Record<SuiteName, Suite>): { suite: SuiteName; publicKeySpki: Buffer; der: Buffer } {
  let der: Buffer;
  let csr: CertificationRequest;
  try {
    der = derFromPemOrDer(input, 'CERTIFICATE REQUEST|NEW CERTIFICATE REQUEST');
    csr = AsnConvert.parse(der, CertificationRequest);
  } catch {
    throw new CsrError('The CSR is not a PKCS#10 certification request (PEM or DER).');
  }
  const publicKeySpki = Buffer.from(AsnConvert.serialize(csr.certificationRequestInfo.subjectPKInfo));
  const keySuite = suiteOfPublicKey(publicKeySpki);
  if (!keySuite) throw new CsrError('The CSR key is neither a P-256 nor an SM2 key; those are the two suites this CA issues.');
  const signatureSuite = suiteForSignatureOid(csr.signatureAlgorithm.algorithm);
  if (signatureSuite !== keySuite) throw new CsrError(`The CSR is signed with ${csr.signatureAlgorithm.algorithm}, which does not match its ${keySuite} key; sign it with ecdsa-with-SHA256 or SM2-with-SM3.`);
  // The signed part exactly as received: the first element of the outer SEQUENCE.
  const outer = asn1js.fromBER(der).result as asn1js.Sequence;
  const info = Buffer.from(outer.valueBlock.value[0].valueBeforeDecodeView);
  let valid = false;
  try {
    valid = suites[keySuite].verify(info, Buffer.from(csr.signature), publicKeySpki);
  } catch {
    valid = false;
  }
  if (!valid) {
    throw new CsrError(
      keySuite === 'sm2-sm3'
        ? "The CSR's signature does not verify. SM2 CSRs must be signed with the instance's SM2 user id (openssl req … -sigopt distid:<id>)."
        : "The CSR's signature does not verify: it was altered, or not signed with the key it carries.",
    );
  }
  return { suite: keySuite, publicKeySpki, der };
}
