// Builds and signs a CRL (RFC 5280 v2) for the issuing CA.
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import {
  AlgorithmIdentifier,
  AuthorityKeyIdentifier,
  CertificateList,
  CRLNumber,
  CRLReason,
  CRLReasons,
  Extension,
  KeyIdentifier,
  RevokedCertificate,
  TBSCertList,
  Time,
  Version,
  id_ce_authorityKeyIdentifier,
  id_ce_cRLNumber,
  id_ce_cRLReasons,
} from '@peculiar/asn1-x509';
import type { KeyPair, Suite } from './suites.ts';
import { encodeName, keyIdentifier, type DistinguishedName } from './x509.ts';

export const REVOCATION_REASONS = ['unspecified', 'keyCompromise', 'cACompromise', 'affiliationChanged', 'superseded', 'cessationOfOperation', 'certificateHold', 'privilegeWithdrawn', 'aACompromise'] as const;
export type RevocationReason = (typeof REVOCATION_REASONS)[number];

export type RevokedEntry = { serialHex: string; revokedAt: Date; reason: RevocationReason };

function extension(oid: string, value: unknown): Extension {
  return new Extension({ extnID: oid, critical: false, extnValue: new OctetString(AsnConvert.serialize(value)) });
}

export function buildCrl(params: { issuer: { name: DistinguishedName; key: KeyPair; suite: Suite }; number: number; thisUpdate: Date; nextUpdate: Date; revoked: RevokedEntry[] }): Buffer {
  const { issuer } = params;
  const algorithm = new AlgorithmIdentifier({ algorithm: issuer.suite.signatureAlgorithmOid });
  const tbs = new TBSCertList({
    version: Version.v2,
    signature: algorithm,
    issuer: encodeName(issuer.name),
    thisUpdate: new Time(params.thisUpdate),
    nextUpdate: new Time(params.nextUpdate),
    revokedCertificates:
      params.revoked.length > 0
        ? params.revoked.map(
            (entry) =>
              new RevokedCertificate({
                userCertificate: new Uint8Array(Buffer.from(entry.serialHex, 'hex')).buffer,
                revocationDate: new Time(entry.revokedAt),
                crlEntryExtensions: [extension(id_ce_cRLReasons, new CRLReason(CRLReasons[entry.reason]))],
              }),
          )
        : undefined,
    crlExtensions: [
      extension(id_ce_authorityKeyIdentifier, new AuthorityKeyIdentifier({ keyIdentifier: new KeyIdentifier(keyIdentifier(issuer.key.publicKeySpki)) })),
      extension(id_ce_cRLNumber, new CRLNumber(params.number)),
    ],
  });
  const tbsDer = Buffer.from(AsnConvert.serialize(tbs));
  const signature = issuer.suite.sign(tbsDer, issuer.key);
  return Buffer.from(AsnConvert.serialize(new CertificateList({ tbsCertList: tbs, signatureAlgorithm: algorithm, signature: new Uint8Array(signature).buffer })));
}
