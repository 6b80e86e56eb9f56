// Trust services: the instance's PKI (root CA, issuing CA, TSA), the two signature suites
// (ECDSA P-256 / SHA-256 and SM2 / SM3), organization certificates from request to revocation,
// CMS and sealed-document signatures with timestamps, RFC 3161 time stamping (single and
// batch), the CRL and status, and the anchoring of the audit chain.
import path from 'node:path';
import type { App } from '../../http/server.ts';
import type { MigrationSource } from '../../platform/migrate.ts';
import { createAnchors } from './anchors.ts';
import { createAuthority, type AuthorityDeps } from './authority.ts';
import { createCertificates, type OrganizationLookup, type PersonLookup } from './certificates.ts';
import { createExchangeCertificates } from './exchange-certificates.ts';
import { registerTrustRoutes } from './routes.ts';
import { createSigning } from './signing.ts';
import { createVerification } from './verification.ts';

export { createSuites, DEFAULT_SM2_USER_ID, SUITE_NAMES, suiteForSignatureOid, suiteOfPublicKey, type KeyPair, type Suite, type SuiteName } from './suites.ts';
export { checkCms, parseCms, signCms } from './cms.ts';
export { readToken } from './tsa.ts';
export type { CertificateRequestView, CertificateView } from './schema.ts';
export type { VerificationResult } from './verification.ts';
export { buildTree, verifyInclusion, type InclusionProof } from './merkle.ts';
export type { CmsSigner } from './cms.ts';
export { readCertificate } from './x509.ts';

export const trustMigrations: MigrationSource = { module: 'trust', dir: path.join(import.meta.dirname, 'migrations') };

export type TrustDeps = AuthorityDeps & { directory: OrganizationLookup; people: PersonLookup; auditHash: 'sha256' | 'sm3' };

export function createTrust(deps: TrustDeps) {
  const authority = createAuthority(deps);
  const certificates = createCertificates({ ...deps, authority });
  const exchangeCertificates = createExchangeCertificates({ ...deps, authority });
  const signing = createSigning({ ...deps, authority, certificates });
  const verification = createVerification({ ...deps, authority });
  const anchors = createAnchors({ ...deps, authority });
  return {
    suites: deps.suites,
    authority,
    certificates,
    exchangeCertificates,
    signing,
    verification,
    anchors,
    registerRoutes: (app: App) => registerTrustRoutes(app, { authority, certificates, signing, verification }),
  };
}

export type Trust = ReturnType<typeof createTrust>;
