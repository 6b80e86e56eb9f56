// `egov trust issue | revoke | sign | verify | timestamp`: the CA operator's and a signer's
// tools on the server's shell. The shell user already holds the database and the master key,
// so these act as a local operator, named in the audit, without the HTTP roles.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Services } from '../app.ts';
import { localOperator } from '../platform/actor.ts';
import { REVOCATION_REASONS, type RevocationReason } from '../modules/trust/crl.ts';
import { ORG_REVOCATION_REASONS, LEAF_PROFILES } from '../modules/trust/schema.ts';
import type { SignFormat } from '../modules/trust/signing.ts';
import { keyPairFromPem, SuiteError, type SuiteName } from '../modules/trust/suites.ts';
import type { VerificationResult } from '../modules/trust/verification.ts';
import { readCertificate, toPem } from '../modules/trust/x509.ts';
import { CliError, type Command } from './command.ts';
import { withServices } from './services.ts';

const operator = () => localOperator(`cli:${os.userInfo().username}`);

function readInput(file: string | undefined, what: string): Buffer {
  if (!file) throw new CliError(`Name the ${what} file.`, 2);
  try {
    return fs.readFileSync(path.resolve(file));
  } catch {
    throw new CliError(`Cannot read ${what} file ${file}.`);
  }
}

function writeOutput(file: string, data: Buffer | string): void {
  fs.writeFileSync(path.resolve(file), data);
  console.log(`Wrote ${file}`);
}

async function findOrganization(services: Services, key: string) {
  const directory = services.directory.service;
  const org = (await directory.findOrganization(key)) ?? (await directory.search({ q: key, status: 'all', limit: 5 })).items.find((o) => o.creditCode === key.toUpperCase() || o.identifier === key);
  if (!org) throw new CliError(`No organization ${key}. Give its id, credit code or identifier.`);
  return org;
}

export const trustIssueCommand: Command = {
  name: 'trust issue',
  summary:
    'Issue a certificate to an organization at once, as the CA operator: signing (for --holder), seal (--holder, --seal-name, --seal-image PNG/JPEG) or tls (--node). With --csr the organization keeps its key; without, the platform generates and keeps it. Writes the certificate and chain, PEM.',
  usage: 'trust issue --org <org> --profile signing|seal|tls [--holder <username>] [--node <dns name>] [--seal-name <name> --seal-image <file>] [--csr <file>] [--suite sm2-sm3|ecdsa-p256-sha256] [--out <file>]',
  options: { org: { type: 'string' }, profile: { type: 'string' }, holder: { type: 'string' }, node: { type: 'string' }, 'seal-name': { type: 'string' }, 'seal-image': { type: 'string' }, csr: { type: 'string' }, suite: { type: 'string' }, out: { type: 'string' } },
  async run({ values }) {
    if (!values.org || !values.profile) throw new CliError(`Missing --org or --profile.\nUsage: egov ${this.usage}`, 2);
    const profile = String(values.profile) as (typeof LEAF_PROFILES)[number];
    if (!LEAF_PROFILES.includes(profile)) throw new CliError(`Unknown profile "${profile}". Profiles are: ${LEAF_PROFILES.join(', ')}.`, 2);
    const suite = values.suite ? (String(values.suite) as SuiteName) : undefined;
    if (suite && suite !== 'sm2-sm3' && suite !== 'ecdsa-p256-sha256') throw new CliError(`Unknown suite "${suite}". Suites are sm2-sm3 and ecdsa-p256-sha256.`, 2);
    return withServices(async (services) => {
      const org = await findOrganization(services, String(values.org));
      let holderUserId: string | undefined;
      if (values.holder) {
        const user = await services.identity.accounts.findByUsername(String(values.holder));
        if (!user) throw new CliError(`No account ${values.holder}.`);
        holderUserId = user.id;
      }
      const image = values['seal-image'] ? readInput(String(values['seal-image']), 'seal image') : undefined;
      const issued = await services.trust.certificates.issueDirect(operator(), org.id, {
        profile,
        suite,
        holderUserId,
        nodeName: values.node ? String(values.node) : undefined,
        seal: values['seal-name'] && image ? { name: String(values['seal-name']), imageType: image[0] === 0xff ? 'image/jpeg' : 'image/png', imageBase64: image.toString('base64') } : undefined,
        csrPem: values.csr ? readInput(String(values.csr), 'CSR').toString('utf8') : undefined,
      });
      const pem = toPem(issued.der) + (await services.trust.authority.chainPem());
      console.log(`Issued ${profile} certificate ${issued.serial} to ${org.nameZh} (${org.creditCode}).`);
      if (values.out) writeOutput(String(values.out), pem);
      else process.stdout.write(pem);
      return 0;
    });
  },
};

export const trustRevokeCommand: Command = {
  name: 'trust revoke',
  summary: `Revoke a certificate by serial (hex). Reasons: ${ORG_REVOCATION_REASONS.join(', ')}. The CRL at /api/trust/crl lists it at once.`,
  usage: 'trust revoke <serial> --reason <reason>',
  options: { reason: { type: 'string' } },
  async run({ values, positionals }) {
    const serial = positionals[0];
    if (!serial || !values.reason) throw new CliError(`Give the serial and --reason.\nUsage: egov ${this.usage}`, 2);
    const reason = String(values.reason) as RevocationReason;
    if (!REVOCATION_REASONS.includes(reason)) throw new CliError(`Unknown reason "${reason}". Reasons are: ${ORG_REVOCATION_REASONS.join(', ')}.`, 2);
    return withServices(async (services) => {
      const cert = await services.trust.certificates.findIssued(serial);
      const revoked = await services.trust.certificates.revokeAs(operator(), cert, reason);
      console.log(`Revoked ${revoked.serial} (${cert.subject.commonName}, ${cert.subject.organization ?? ''}) at ${revoked.revokedAt}: ${reason}.`);
      return 0;
    });
  },
};

export const trustSignCommand: Command = {
  name: 'trust sign',
  summary:
    "Sign a file with a certificate: CMS detached (.p7s, default) or --enveloping (.p7m); --format seal-json or seal-xml seals a JSON or XML document with a seal certificate. The platform's key is used unless --key names your own PEM private key (for certificates issued from a CSR). Every signature is timestamped.",
  usage: 'trust sign <file> --cert <serial> [--key <private key PEM>] [--enveloping] [--format cms|seal-json|seal-xml] [--out <file>]',
  options: { cert: { type: 'string' }, key: { type: 'string' }, enveloping: { type: 'boolean' }, format: { type: 'string' }, out: { type: 'string' } },
  async run({ values, positionals }) {
    if (!positionals[0] || !values.cert) throw new CliError(`Give the file and --cert.\nUsage: egov ${this.usage}`, 2);
    const format = String(values.format ?? 'cms') as SignFormat;
    if (!['cms', 'seal-json', 'seal-xml'].includes(format)) throw new CliError(`Unknown format "${format}". Formats are cms, seal-json and seal-xml.`, 2);
    const document = readInput(positionals[0], 'document');
    return withServices(async (services) => {
      const { certificates, authority, signing, suites } = services.trust;
      const cert = await certificates.findIssued(String(values.cert));
      certificates.assertUsable(cert);
      let signer;
      if (values.key) {
        try {
          const key = keyPairFromPem(readInput(String(values.key), 'key'), suites);
          if (!key.publicKeySpki.equals(readCertificate(Buffer.from(cert.der)).publicKeySpki)) throw new CliError(`The key in ${values.key} does not belong to certificate ${cert.serial}.`);
          signer = { certificateDer: Buffer.from(cert.der), key, suite: suites[key.suite], chain: await authority.chainDer() };
        } catch (err) {
          if (err instanceof SuiteError) throw new CliError(`${values.key}: ${err.message}`);
          throw err;
        }
      } else {
        if (!cert.key_id) throw new CliError(`The platform does not hold the key of ${cert.serial}; pass --key <your private key PEM>.`);
        signer = await authority.signer(cert.serial);
      }
      const signed = await signing.signAs(operator(), cert, signer, document, format, values.enveloping ? 'enveloping' : 'detached');
      writeOutput(String(values.out ?? `${positionals[0]}${signed.fileExtension}`), signed.signature);
      console.log(`Signed by ${cert.subject.commonName} (${cert.subject.organization ?? ''}), timestamped ${signed.signedAt.toISOString()}.`);
      return 0;
    });
  },
};

/** The verification answer in plain words, as the public page shows it. */
export function describeVerification(result: VerificationResult): string {
  const lines = [result.valid ? 'VALID signature.' : `INVALID: ${result.reason?.message}`];
  if (result.signer) {
    const who = [result.signer.person, result.signer.organization, result.signer.creditCode && `credit code ${result.signer.creditCode}`].filter(Boolean).join(', ');
    lines.push(`Signed by: ${who} (certificate ${result.signer.certificateSerial}).`);
  }
  if (result.seal) lines.push(`Seal: ${result.seal.name}, held by ${result.seal.holderName}.`);
  if (result.signedAt) lines.push(`Signed at: ${result.signedAt}${result.timestamped ? ' (proven by a timestamp)' : ' (claimed by the signer; no timestamp)'}.`);
  if (result.certificate) {
    lines.push(`Certificate at that time: ${result.certificate.validAtSigningTime ? 'valid' : 'not valid'} (valid ${result.certificate.notBefore} to ${result.certificate.notAfter}).`);
    if (result.certificate.revokedAt) lines.push(`The certificate was revoked at ${result.certificate.revokedAt} (${result.certificate.revocationReason}).`);
  }
  return lines.join('\n');
}

export const trustVerifyCommand: Command = {
  name: 'trust verify',
  summary: 'Verify a signature (.p7s/.p7m, PEM or DER), a sealed JSON or XML document, or a timestamp token. Give --document for a detached signature or a timestamp. Exits 0 when valid, 1 when not. --json prints the full answer.',
  usage: 'trust verify <signed file> [--document <file>] [--json]',
  options: { document: { type: 'string' }, json: { type: 'boolean' } },
  async run({ values, positionals }) {
    const signed = readInput(positionals[0], 'signature');
    const document = values.document ? readInput(String(values.document), 'document') : undefined;
    return withServices(async (services) => {
      const result = await services.trust.verification.verify(signed, document);
      console.log(values.json ? JSON.stringify(result, null, 2) : describeVerification(result));
      return result.valid ? 0 : 1;
    });
  },
};

export const trustTimestampCommand: Command = {
  name: 'trust timestamp',
  summary: 'Timestamp a file with the platform TSA: writes an RFC 3161 TimeStampToken (DER). Verify it with: egov trust verify <token> --document <file>, or openssl ts -verify.',
  usage: 'trust timestamp <file> [--hash sm3|sha256] [--out <file>]',
  options: { hash: { type: 'string' }, out: { type: 'string' } },
  async run({ values, positionals }) {
    const document = readInput(positionals[0], 'document');
    const hash = values.hash ? String(values.hash) : undefined;
    if (hash && hash !== 'sm3' && hash !== 'sha256') throw new CliError(`Unknown hash "${hash}". Use sm3 or sha256.`, 2);
    return withServices(async (services) => {
      const stamped = await services.trust.signing.timestamp({ hash: hash as 'sm3' | 'sha256' | undefined, documentBase64: document.toString('base64') });
      writeOutput(String(values.out ?? `${positionals[0]}.tst`), stamped.token);
      console.log(`Timestamped ${stamped.hash} ${stamped.digest.toString('hex')} at ${stamped.genTime.toISOString()}.`);
      return 0;
    });
  },
};

export const TRUST_COMMANDS = [trustIssueCommand, trustRevokeCommand, trustSignCommand, trustVerifyCommand, trustTimestampCommand];
