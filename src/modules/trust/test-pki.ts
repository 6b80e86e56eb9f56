// Test support for the trust module: a throwaway PKI (root → issuing → leaf) for either suite,
// and the `openssl` command with a scratch directory, so tests check interoperability with
// the real tool rather than with our own reading of the standards.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after } from 'node:test';
import { createSuites, type SuiteName } from './suites.ts';
import { issueCertificate, newSerialNumber, type CertificateProfile, type DistinguishedName } from './x509.ts';

export const suites = createSuites();

export function openssl(args: string[], input?: Buffer): string {
  return execFileSync('openssl', args, { input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
}

/** A scratch directory removed when the test file ends; write() puts a file in it and returns the path. */
export function scratchDir(prefix: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return {
    dir,
    write(name: string, content: string | Buffer): string {
      const file = path.join(dir, name);
      fs.writeFileSync(file, content);
      return file;
    },
  };
}

export const LEAF_SUBJECT: DistinguishedName = { country: 'CN', organization: '青云省公安厅', commonName: '青云省公安厅 签名', serialNumber: '11990000QY000002XP' };

export function testChain(suiteName: SuiteName, leafProfile: CertificateProfile, now = new Date()) {
  const suite = suites[suiteName];
  const rootKey = suite.generateKeyPair();
  const issuingKey = suite.generateKeyPair();
  const leafKey = suite.generateKeyPair();
  const years = (n: number) => new Date(now.getTime() + n * 365 * 86_400_000);
  const rootName = { country: 'CN', organization: '青云省数据局', commonName: `egov Root CA (${suiteName})` };
  const issuingName = { country: 'CN', organization: '青云省数据局', commonName: `egov Issuing CA (${suiteName})` };
  const root = issueCertificate({ profile: 'root-ca', serialNumber: newSerialNumber(), subject: rootName, subjectPublicKeySpki: rootKey.publicKeySpki, notBefore: now, notAfter: years(20), issuer: { name: rootName, key: rootKey, suite } });
  const issuing = issueCertificate({ profile: 'issuing-ca', serialNumber: newSerialNumber(), subject: issuingName, subjectPublicKeySpki: issuingKey.publicKeySpki, notBefore: now, notAfter: years(10), issuer: { name: rootName, key: rootKey, suite } });
  const leaf = issueCertificate({ profile: leafProfile, serialNumber: newSerialNumber(), subject: LEAF_SUBJECT, subjectPublicKeySpki: leafKey.publicKeySpki, notBefore: now, notAfter: years(2), issuer: { name: issuingName, key: issuingKey, suite } });
  return { suite, root, issuing, leaf, leafKey };
}
