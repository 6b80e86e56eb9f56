// Builds X.509 v3 certificates for either suite. The TBSCertificate is encoded with
// @peculiar/asn1-x509 and signed by the issuer's suite, so SM2 certificates need nothing
// from WebCrypto (which has no SM2). OpenSSL 3 verifies the chains this produces.
import crypto from 'node:crypto';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import {
  AlgorithmIdentifier,
  AttributeTypeAndValue,
  AttributeValue,
  AuthorityKeyIdentifier,
  BasicConstraints,
  Certificate,
  ExtendedKeyUsage,
  Extension,
  Extensions,
  GeneralName,
  KeyIdentifier,
  KeyUsage,
  KeyUsageFlags,
  Name,
  RelativeDistinguishedName,
  SubjectAlternativeName,
  SubjectKeyIdentifier,
  SubjectPublicKeyInfo,
  TBSCertificate,
  Validity,
  Version,
  id_ce_authorityKeyIdentifier,
  id_ce_basicConstraints,
  id_ce_extKeyUsage,
  id_ce_keyUsage,
  id_ce_subjectAltName,
  id_ce_subjectKeyIdentifier,
  id_kp_clientAuth,
  id_kp_serverAuth,
  id_kp_timeStamping,
} from '@peculiar/asn1-x509';
import type { KeyPair, Suite } from './suites.ts';

export type DistinguishedName = {
  country?: string;
  organization?: string;
  organizationalUnit?: string;
  commonName: string;
  /** 2.5.4.5; for organizations, the unified social credit code. */
  serialNumber?: string;
};

/** What a certificate is for; decides its basic constraints, key usage and extended key usage. */
/** member: a member's exchange signing certificate, held by the node that hosts the member. */
export type CertificateProfile = 'root-ca' | 'issuing-ca' | 'signing' | 'seal' | 'tls' | 'tsa' | 'member' | 'configuration';

export type CertificateRequest = {
  profile: CertificateProfile;
  serialNumber: Buffer;
  subject: DistinguishedName;
  subjectPublicKeySpki: Buffer;
  notBefore: Date;
  notAfter: Date;
  issuer: { name: DistinguishedName; key: KeyPair; suite: Suite };
  /** subjectAltName: URIs (the platform identifier) and DNS names (TLS nodes). */
  altNames?: { uris?: string[]; dnsNames?: string[] };
};

const ATTRIBUTE_OIDS: [keyof DistinguishedName, string, 'printableString' | 'utf8String'][] = [
  ['country', '2.5.4.6', 'printableString'],
  ['organization', '2.5.4.10', 'utf8String'],
  ['organizationalUnit', '2.5.4.11', 'utf8String'],
  ['commonName', '2.5.4.3', 'utf8String'],
  ['serialNumber', '2.5.4.5', 'printableString'],
];

export function encodeName(dn: DistinguishedName): Name {
  const rdns: RelativeDistinguishedName[] = [];
  for (const [field, oid, kind] of ATTRIBUTE_OIDS) {
    const value = dn[field];
    if (value === undefined) continue;
    rdns.push(new RelativeDistinguishedName([new AttributeTypeAndValue({ type: oid, value: new AttributeValue({ [kind]: value }) })]));
  }
  return new Name(rdns);
}

/** RFC 5280 method 1: SHA-1 of the subjectPublicKey BIT STRING's contents. */
export function keyIdentifier(spki: Buffer): Buffer {
  const parsed = AsnConvert.parse(spki, SubjectPublicKeyInfo);
  return crypto.createHash('sha1').update(Buffer.from(parsed.subjectPublicKey)).digest();
}

function extension(oid: string, critical: boolean, value: unknown): Extension {
  return new Extension({ extnID: oid, critical, extnValue: new OctetString(AsnConvert.serialize(value)) });
}

function profileExtensions(profile: CertificateProfile): Extension[] {
  const isCa = profile === 'root-ca' || profile === 'issuing-ca';
  const basic = new BasicConstraints({ cA: isCa, ...(profile === 'issuing-ca' ? { pathLenConstraint: 0 } : {}) });
  const usage =
    isCa ? KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign
    : profile === 'tls' ? KeyUsageFlags.digitalSignature | KeyUsageFlags.keyAgreement
    : KeyUsageFlags.digitalSignature | KeyUsageFlags.nonRepudiation;
  const list = [extension(id_ce_basicConstraints, true, basic), extension(id_ce_keyUsage, true, new KeyUsage(usage))];
  if (profile === 'tls') list.push(extension(id_ce_extKeyUsage, false, new ExtendedKeyUsage([id_kp_serverAuth, id_kp_clientAuth])));
  // RFC 3161: a TSA certificate carries only timeStamping, and critically.
  if (profile === 'tsa') list.push(extension(id_ce_extKeyUsage, true, new ExtendedKeyUsage([id_kp_timeStamping])));
  return list;
}

function algorithmFor(suite: Suite): AlgorithmIdentifier {
  // ECDSA and SM2 signature AlgorithmIdentifiers have absent parameters.
  return new AlgorithmIdentifier({ algorithm: suite.signatureAlgorithmOid });
}

/** Issues a certificate; returns its DER. A root CA passes its own name and key as the issuer. */
export function issueCertificate(request: CertificateRequest): Buffer {
  const { issuer } = request;
  if (request.notAfter <= request.notBefore) throw new Error('notAfter must be later than notBefore.');
  const serial = derPositiveInteger(request.serialNumber);
  const tbs = new TBSCertificate({
    version: Version.v3,
    serialNumber: new Uint8Array(serial).buffer,
    signature: algorithmFor(issuer.suite),
    issuer: encodeName(issuer.name),
    validity: new Validity({ notBefore: request.notBefore, notAfter: request.notAfter }),
    subject: encodeName(request.subject),
    subjectPublicKeyInfo: AsnConvert.parse(request.subjectPublicKeySpki, SubjectPublicKeyInfo),
    extensions: new Extensions([
      ...profileExtensions(request.profile),
      extension(id_ce_subjectKeyIdentifier, false, new SubjectKeyIdentifier(keyIdentifier(request.subjectPublicKeySpki))),
      extension(id_ce_authorityKeyIdentifier, false, new AuthorityKeyIdentifier({ keyIdentifier: new KeyIdentifier(keyIdentifier(issuer.key.publicKeySpki)) })),
      ...altNameExtension(request.altNames),
    ]),
  });
  const tbsDer = Buffer.from(AsnConvert.serialize(tbs));
  const signature = issuer.suite.sign(tbsDer, issuer.key);
  const certificate = new Certificate({ tbsCertificate: tbs, signatureAlgorithm: algorithmFor(issuer.suite), signatureValue: new Uint8Array(signature).buffer });
  return Buffer.from(AsnConvert.serialize(certificate));
}

function altNameExtension(altNames: CertificateRequest['altNames']): Extension[] {
  const names = [
    ...(altNames?.uris ?? []).map((uri) => new GeneralName({ uniformResourceIdentifier: uri })),
    ...(altNames?.dnsNames ?? []).map((dns) => new GeneralName({ dNSName: dns })),
  ];
  return names.length > 0 ? [extension(id_ce_subjectAltName, false, new SubjectAlternativeName(names))] : [];
}

export function toPem(der: Buffer, label = 'CERTIFICATE'): string {
  const body = der.toString('base64').match(/.{1,64}/g)!.join('\n');
  return `-----BEGIN ${label}-----\n${body}\n-----END ${label}-----\n`;
}

/**
 * The minimal DER content of a positive INTEGER: no redundant leading zero bytes (OpenSSL
 * refuses to load a certificate whose serial has one), and a zero byte added when the high
 * bit is set.
 */
export function derPositiveInteger(bytes: Buffer): Buffer {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  const trimmed = bytes.subarray(start);
  return trimmed[0] & 0x80 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed;
}

/** A random positive serial of 16 bytes (RFC 5280 allows up to 20 octets), first byte 0x01-0x7f. */
export function newSerialNumber(): Buffer {
  const bytes = crypto.randomBytes(16);
  bytes[0] = bytes[0] & 0x7f || 0x01;
  return bytes;
}

export type CertificateInfo = {
  serial: string;
  subject: DistinguishedName;
  issuer: DistinguishedName;
  notBefore: Date;
  notAfter: Date;
  publicKeySpki: Buffer;
  signatureAlgorithmOid: string;
  uris: string[];
  /** The DER of the TBSCertificate and the signature, to check the issuer's signature. */
  tbs: Buffer;
  signature: Buffer;
};

export class CertificateFormatError extends Error {}

function decodeName(name: Name): DistinguishedName {
  const dn: Partial<DistinguishedName> = {};
  for (const rdn of name) {
    for (const atv of rdn) {
      const entry = ATTRIBUTE_OIDS.find(([, oid]) => oid === atv.type);
      if (entry) dn[entry[0]] = atv.value.toString();
    }
  }
  return { ...dn, commonName: dn.commonName ?? '' };
}

/** Reads the fields relying parties need; throws CertificateFormatError for anything not an X.509 certificate. */
export function readCertificate(der: Uint8Array): CertificateInfo {
  let cert: Certificate;
  try {
    cert = AsnConvert.parse(der, Certificate);
  } catch {
    throw new CertificateFormatError('The data is not an X.509 certificate (DER).');
  }
  const tbs = cert.tbsCertificate;
  const sanExtension = tbs.extensions?.find((e) => e.extnID === id_ce_subjectAltName);
  const san = sanExtension ? AsnConvert.parse(sanExtension.extnValue, SubjectAlternativeName) : [];
  return {
    serial: Buffer.from(tbs.serialNumber).toString('hex').replace(/^00(?=[89a-f])/, ''),
    subject: decodeName(tbs.subject),
    issuer: decodeName(tbs.issuer),
    notBefore: tbs.validity.notBefore.getTime(),
    notAfter: tbs.validity.notAfter.getTime(),
    publicKeySpki: Buffer.from(AsnConvert.serialize(tbs.subjectPublicKeyInfo)),
    signatureAlgorithmOid: cert.signatureAlgorithm.algorithm,
    uris: [...san].flatMap((n) => (n.uniformResourceIdentifier ? [n.uniformResourceIdentifier] : [])),
    tbs: Buffer.from(AsnConvert.serialize(tbs)),
    signature: Buffer.from(cert.signatureValue),
  };
}

/** PEM (the first block whose label matches `labels`, e.g. 'CMS|PKCS7') or DER in, DER out. */
export function derFromPemOrDer(bytes: Buffer, labels: string): Buffer {
  const head = bytes.subarray(0, 64).toString('latin1').trimStart();
  if (!head.startsWith('-----BEGIN')) return bytes;
  const match = new RegExp(`-----BEGIN (${labels})-----([\\s\\S]*?)-----END \\1-----`).exec(bytes.toString('latin1'));
  if (!match) throw new PemError(`The PEM text has no ${labels.split('|').join(' or ')} block.`);
  return Buffer.from(match[2].replace(/\s+/g, ''), 'base64');
}

export class PemError extends Error {}
