// The instance's certificate authority: a root CA and an issuing CA, created on first start
// with the instance's suite. Their private keys are sealed at rest with the master key and
// opened only in memory, when something must be signed.
import type { Audit } from '../../platform/audit.ts';
import { SYSTEM_ACTOR } from '../../platform/audit.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db, Executor } from '../../platform/db.ts';
import { newId } from '../../platform/ids.ts';
import type { SecretBox } from '../../platform/secret-box.ts';
import type { CmsSigner } from './cms.ts';
import { buildCrl, type RevocationReason } from './crl.ts';
import * as store from './store.ts';
import type { SealInfo } from './store.ts';
import { suiteOfPublicKey, type KeyPair, type Suite, type SuiteName } from './suites.ts';
import { issueCertificate, newSerialNumber, readCertificate, toPem, type CertificateProfile, type DistinguishedName } from './x509.ts';

const YEAR_MS = 365 * 86_400_000;
const CRL_VALIDITY_MS = 86_400_000;
const CRL_REUSE_MS = 60_000;

export type AuthorityDeps = {
  db: Db;
  audit: Audit;
  clock: Clock;
  box: SecretBox;
  suites: Record<SuiteName, Suite>;
  suite: SuiteName;
  instance: string;
};

export type CertificateStatus =
  | { serial: string; status: 'unknown' }
  | { serial: string; status: 'good'; notBefore: string; notAfter: string }
  | { serial: string; status: 'revoked'; notBefore: string; notAfter: string; revokedAt: string; reason: string };

type Signer = { serial: string; name: DistinguishedName; key: KeyPair; suite: Suite; der: Buffer };

/** What the CA writes into an organization's certificate; the subject comes from the directory. */
export type LeafIssue = {
  profile: 'signing' | 'seal' | 'tls' | 'member';
  subject: DistinguishedName;
  publicKeySpki: Buffer;
  altNames: { uris?: string[]; dnsNames?: string[] };
  validityDays: number;
  orgId: string;
  keyId: string | null;
  holderUserId: string | null;
  holderName: string | null;
  seal: SealInfo | null;
  requestId: string | null;
};

/** The TSA and configuration signer certificates. */
const TSA_VALIDITY_YEARS = 5;

export function createAuthority(deps: AuthorityDeps) {
  const { db, box, suites } = deps;
  let cachedCrl: { der: Buffer; number: number; builtAt: number } | undefined;

  const keyContext = (id: string) => `trust.keys/${id}`;

  async function storeKey(trx: Executor, key: KeyPair, orgId: string | null = null): Promise<string> {
    const id = newId();
    await store.insertKey(trx, {
      id,
      org_id: orgId,
      suite: key.suite,
      public_spki: key.publicKeySpki,
      sealed_private: box.seal(suites[key.suite].exportPrivate(key), keyContext(id)),
      created_at: deps.clock.now(),
    });
    return id;
  }

  async function loadSigner(executor: Executor, serial: string): Promise<Signer> {
    const cert = await store.findCertificate(executor, serial);
    if (!cert?.key_id) throw new Error(`The CA certificate ${serial} has no key on this node.`);
    const keyRow = await store.findKey(executor, cert.key_id);
    if (!keyRow) throw new Error(`The key of CA certificate ${serial} is missing.`);
    const suite = suites[keyRow.suite];
    const key = suite.importKeyPair(box.open(keyRow.sealed_private, keyContext(keyRow.id)), Buffer.from(keyRow.public_spki));
    return { serial, name: cert.subject, key, suite, der: Buffer.from(cert.der) };
  }

  async function record(trx: Executor, serial: string, profile: CertificateProfile, subject: DistinguishedName, der: Buffer, keyId: string | null, issuerSerial: string | null, validity: [Date, Date], suite: SuiteName = deps.suite, leaf?: LeafIssue) {
    await store.insertCertificate(trx, {
      serial,
      issuer_serial: issuerSerial,
      profile,
      suite,
      subject,
      org_id: leaf?.orgId ?? null,
      key_id: keyId,
      not_before: validity[0],
      not_after: validity[1],
      der,
      revoked_at: null,
      revocation_reason: null,
      created_at: deps.clock.now(),
      holder_user_id: leaf?.holderUserId ?? null,
      holder_name: leaf?.holderName ?? null,
      seal: leaf?.seal ?? null,
      request_id: leaf?.requestId ?? null,
    });
  }

  /** X.509 times have whole seconds; the rows must say exactly what the certificates say. */
  const wholeSecondNow = () => new Date(Math.floor(deps.clock.now().getTime() / 1000) * 1000);

  async function issuingSigner(executor: Executor): Promise<Signer> {
    const serials = await store.authoritySerials(executor);
    return loadSigner(executor, serials.issuing!);
  }

  /** Issues a leaf certificate under the issuing CA in the caller's transaction; returns its serial. */
  async function issueLeafIn(trx: Executor, profile: CertificateProfile, issue: Omit<LeafIssue, 'profile'> & { profile?: LeafIssue['profile'] }): Promise<{ serial: string; der: Buffer; notAfter: Date }> {
    const issuer = await issuingSigner(trx);
    const issuerCert = await store.findCertificate(trx, issuer.serial);
    const now = wholeSecondNow();
    // A certificate never outlives the CA that issued it.
    const notAfter = new Date(Math.min(now.getTime() + issue.validityDays * 86_400_000, issuerCert!.not_after.getTime()));
    const serial = newSerialNumber();
    const der = issueCertificate({ profile, serialNumber: serial, subject: issue.subject, subjectPublicKeySpki: issue.publicKeySpki, notBefore: now, notAfter, issuer: { name: issuer.name, key: issuer.key, suite: issuer.suite }, altNames: issue.altNames });
    const suite = suiteOfPublicKey(issue.publicKeySpki) ?? deps.suite;
    await record(trx, serial.toString('hex'), profile, issue.subject, der, issue.keyId, issuer.serial, [now, notAfter], suite, issue.orgId ? ({ ...issue, profile } as LeafIssue) : undefined);
    return { serial: serial.toString('hex'), der, notAfter };
  }

  /** The instance's service certificates: the TSA and the global configuration signer. */
  const SERVICE_CERTIFICATES = [
    { role: 'tsa', profile: 'tsa', name: 'Time Stamping Authority', action: 'trust.tsa.create' },
    { role: 'configuration', profile: 'configuration', name: 'Global Configuration', action: 'trust.configuration_signer.create' },
  ] as const;

  async function ensureServiceCertificates(trx: Executor): Promise<void> {
    const serials = await store.authoritySerials(trx);
    for (const service of SERVICE_CERTIFICATES) {
      if (serials[service.role]) continue;
      const suite = suites[deps.suite];
      const key = suite.generateKeyPair();
      const keyId = await storeKey(trx, key);
      const subject: DistinguishedName = { country: 'CN', organization: deps.instance, commonName: `${deps.instance} ${service.name}` };
      const { serial } = await issueLeafIn(trx, service.profile, { subject, publicKeySpki: key.publicKeySpki, altNames: {}, validityDays: TSA_VALIDITY_YEARS * 365, orgId: '', keyId, holderUserId: null, holderName: null, seal: null, requestId: null });
      await store.setAuthorityRole(trx, service.role, serial);
      await deps.audit.record(trx, { actor: SYSTEM_ACTOR, action: service.action, subjectType: 'certificate', subjectId: serial, outcome: 'success', detail: { suite: deps.suite } });
    }
  }

  /** The service signers (TSA, configuration), kept open in memory: used often, never rotated while running. */
  const serviceSigners = new Map<'tsa' | 'configuration', CmsSigner>();

  // `executor`: a caller inside a transaction passes it, so nothing waits for another connection.
  async function cmsSigner(serial: string, executor: Executor = db): Promise<CmsSigner> {
    const signer = await loadSigner(executor, serial);
    return { certificateDer: signer.der, key: signer.key, suite: signer.suite, chain: await chainDer(executor) };
  }

  async function serviceSigner(role: 'tsa' | 'configuration', executor: Executor = db): Promise<CmsSigner> {
    const cached = serviceSigners.get(role);
    if (cached) return cached;
    const serial = (await store.authoritySerials(executor))[role];
    if (!serial) throw new Error(`The ${role} certificate has not been created; start the server once.`);
    const signer = await cmsSigner(serial, executor);
    serviceSigners.set(role, signer);
    return signer;
  }

  /** The issuing CA then the root, DER. */
  async function chainDer(executor: Executor = db): Promise<Buffer[]> {
    const serials = await store.authoritySerials(executor);
    const certs = await Promise.all([serials.issuing, serials.root].map((s) => store.findCertificate(executor, s!)));
    return certs.map((c) => Buffer.from(c!.der));
  }

  return {
    /** Creates the root and issuing CA unless they exist; safe to call from every replica at once. */
    async ensure(): Promise<{ created: boolean }> {
      return db.transaction().execute(async (trx) => {
        await store.lockCrlState(trx);
        const existing = await store.authoritySerials(trx);
        if (existing.root && existing.issuing) {
          await ensureServiceCertificates(trx);
          return { created: false };
        }
        const suite = suites[deps.suite];
        const now = wholeSecondNow();
        const rootName: DistinguishedName = { country: 'CN', organization: deps.instance, commonName: `${deps.instance} Root CA` };
        const issuingName: DistinguishedName = { country: 'CN', organization: deps.instance, commonName: `${deps.instance} Issuing CA` };
        const rootKey = suite.generateKeyPair();
        const issuingKey = suite.generateKeyPair();
        const rootSerial = newSerialNumber();
        const issuingSerial = newSerialNumber();
        const rootValidity: [Date, Date] = [now, new Date(now.getTime() + 20 * YEAR_MS)];
        const issuingValidity: [Date, Date] = [now, new Date(now.getTime() + 10 * YEAR_MS)];
        const rootDer = issueCertificate({ profile: 'root-ca', serialNumber: rootSerial, subject: rootName, subjectPublicKeySpki: rootKey.publicKeySpki, notBefore: rootValidity[0], notAfter: rootValidity[1], issuer: { name: rootName, key: rootKey, suite } });
        const issuingDer = issueCertificate({ profile: 'issuing-ca', serialNumber: issuingSerial, subject: issuingName, subjectPublicKeySpki: issuingKey.publicKeySpki, notBefore: issuingValidity[0], notAfter: issuingValidity[1], issuer: { name: rootName, key: rootKey, suite } });
        await record(trx, rootSerial.toString('hex'), 'root-ca', rootName, rootDer, await storeKey(trx, rootKey), null, rootValidity);
        await record(trx, issuingSerial.toString('hex'), 'issuing-ca', issuingName, issuingDer, await storeKey(trx, issuingKey), rootSerial.toString('hex'), issuingValidity);
        await store.setAuthority(trx, 'root', rootSerial.toString('hex'));
        await store.setAuthority(trx, 'issuing', issuingSerial.toString('hex'));
        await deps.audit.record(trx, { actor: SYSTEM_ACTOR, action: 'trust.ca.create', subjectType: 'certificate', subjectId: issuingSerial.toString('hex'), outcome: 'success', detail: { suite: deps.suite, root: rootSerial.toString('hex') } });
        await ensureServiceCertificates(trx);
        return { created: true };
      });
    },

    issueLeaf: (trx: Executor, issue: LeafIssue) => issueLeafIn(trx, issue.profile, issue),

    /** Seals a key the platform generated for an organization; returns the key's id. */
    storeOrganizationKey: (trx: Executor, key: KeyPair, orgId: string) => storeKey(trx, key, orgId),

    /** A CMS signer for a certificate whose key the platform holds, with the chain up to the root. */
    signer: cmsSigner,

    /** The global configuration signer (exchange), used when the central node publishes. */
    configurationSigner: () => serviceSigner('configuration'),

    tsaSigner: (executor?: Executor) => serviceSigner('tsa', executor),

    chainDer: () => chainDer(),

    /** Revokes in the caller's transaction and moves the CRL number on; false when already revoked. */
    async revokeIn(trx: Executor, serial: string, reason: RevocationReason, at: Date): Promise<boolean> {
      await store.lockCrlState(trx);
      const changed = await store.markRevoked(trx, serial, at, reason);
      if (changed) await store.bumpCrlNumber(trx);
      return changed;
    },

    /** Our record of a certificate, when `der` is exactly a certificate this CA issued. */
    async recognise(der: Buffer): Promise<store.CertificateRow | undefined> {
      let serial: string;
      try {
        serial = readCertificate(der).serial;
      } catch {
        return undefined;
      }
      const row = await store.findCertificate(db, serial);
      return row && Buffer.from(row.der).equals(der) ? row : undefined;
    },

    /** good, revoked (when, why) or unknown, for a serial this CA issued. */
    async status(serialHex: string): Promise<CertificateStatus> {
      const cert = await store.findCertificate(db, serialHex.toLowerCase());
      if (!cert) return { serial: serialHex.toLowerCase(), status: 'unknown' };
      const base = { serial: cert.serial, notBefore: cert.not_before.toISOString(), notAfter: cert.not_after.toISOString() };
      if (cert.revoked_at) return { ...base, status: 'revoked', revokedAt: cert.revoked_at.toISOString(), reason: cert.revocation_reason ?? 'unspecified' };
      return { ...base, status: 'good' };
    },

    /** The issuing CA then the root, PEM, as relying parties fetch them. */
    async chainPem(): Promise<string> {
      return (await chainDer()).map((der) => toPem(der)).join('');
    },

    /** The current CRL of the issuing CA, DER; rebuilt when revocations change it, or after a minute. */
    async crl(): Promise<Buffer> {
      const number = await store.crlNumber(db);
      const nowMs = deps.clock.now().getTime();
      if (cachedCrl && cachedCrl.number === number && nowMs - cachedCrl.builtAt < CRL_REUSE_MS) return cachedCrl.der;
      const serials = await store.authoritySerials(db);
      const issuer = await loadSigner(db, serials.issuing!);
      const revoked = await store.listRevoked(db, issuer.serial);
      const der = buildCrl({
        issuer,
        number,
        thisUpdate: new Date(nowMs),
        nextUpdate: new Date(nowMs + CRL_VALIDITY_MS),
        revoked: revoked.map((r) => ({ serialHex: r.serial, revokedAt: r.revoked_at!, reason: (r.revocation_reason ?? 'unspecified') as RevocationReason })),
      });
      cachedCrl = { der, number, builtAt: nowMs };
      return der;
    },
  };
}

export type Authority = ReturnType<typeof createAuthority>;
