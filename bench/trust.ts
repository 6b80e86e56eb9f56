// `npm run bench:trust [batch size]`: the trust primitives, each next to the raw operation it is
// built on, measured in this run (absolute times are noisy here; the ratios are what count).
// Goals (issue 3): CMS sign+verify ≥ 0.8 of the raw suite primitive; batch timestamping
// ≥ 20,000 items/s with one TSA signature per batch; inclusion-proof verification ≥ 50,000/s.
import crypto from 'node:crypto';
import { sm2 } from 'sm-crypto-v2';
import { checkCms, parseCms, signCms, type CmsSigner } from '../src/modules/trust/cms.ts';
import { buildTree, verifyInclusion } from '../src/modules/trust/merkle.ts';
import { createSuites, DEFAULT_SM2_USER_ID, sm2PublicHexFromSpki, type SuiteName } from '../src/modules/trust/suites.ts';
import { issueBatch, signatureTimestamp } from '../src/modules/trust/tsa.ts';
import { issueCertificate, newSerialNumber } from '../src/modules/trust/x509.ts';

const BATCH = Number(process.argv[2] ?? 10_000);

function perSecond(work: () => number, minMs = 1500): number {
  let done = 0;
  const start = performance.now();
  while (performance.now() - start < minMs) done += work();
  return (done * 1000) / (performance.now() - start);
}

console.log(`egov trust benchmarks: ${crypto.getCiphers().includes('sm4-cbc') ? 'OpenSSL with SM' : 'OpenSSL'}, Node ${process.version}, ${new Date().toISOString()}`);
for (const hash of ['sha256', 'sm3'] as const) {
  const items = Array.from({ length: BATCH }, (_, i) => crypto.createHash('sha256').update(`item ${i}`).digest());
  // The raw primitive: one-shot hashing of a 32-byte input.
  const rawHashes = perSecond(() => {
    for (const item of items) crypto.hash(hash, item, 'buffer');
    return items.length;
  });
  const batched = perSecond(() => buildTree(hash, items).proofs.length);
  const { root, proofs } = buildTree(hash, items);
  const verified = perSecond(() => {
    for (let i = 0; i < 2000; i++) {
      const at = i % BATCH;
      if (!verifyInclusion(items[at], proofs[at], root)) throw new Error('proof failed');
    }
    return 2000;
  });
  const depth = proofs[0].path.length;
  console.log(`${hash}: raw hash ${rawHashes.toFixed(0)}/s; batch of ${BATCH} with proofs ${batched.toFixed(0)} items/s (goal ≥ 20,000); proof verification ${verified.toFixed(0)}/s (goal ≥ 50,000; ${depth} levels)`);
  console.log(`${hash}: ratios to raw hashing: batching ${(batched / rawHashes).toFixed(3)}, verification ${(verified / rawHashes).toFixed(3)} (a proof costs ${depth + 2} hashes, a batched item about 2 plus its proof)`);
}

// Sign + verify: a 1 KiB document, CMS detached (sign, then parse and check), against the raw
// primitive signing and verifying the same bytes (node:crypto for ECDSA, sm-crypto-v2 for SM2).
const suites = createSuites();
const document = crypto.randomBytes(1024);

function signerFor(suiteName: SuiteName, profile: 'signing' | 'tsa'): CmsSigner {
  const suite = suites[suiteName];
  const caKey = suite.generateKeyPair();
  const key = suite.generateKeyPair();
  const ca = { commonName: `bench CA ${suiteName}` };
  const now = new Date();
  const later = new Date(now.getTime() + 86_400_000);
  const caDer = issueCertificate({ profile: 'issuing-ca', serialNumber: newSerialNumber(), subject: ca, subjectPublicKeySpki: caKey.publicKeySpki, notBefore: now, notAfter: later, issuer: { name: ca, key: caKey, suite } });
  const der = issueCertificate({ profile, serialNumber: newSerialNumber(), subject: { commonName: `bench ${profile}` }, subjectPublicKeySpki: key.publicKeySpki, notBefore: now, notAfter: later, issuer: { name: ca, key: caKey, suite } });
  return { certificateDer: der, key, suite, chain: [caDer] };
}

for (const suiteName of ['ecdsa-p256-sha256', 'sm2-sm3'] as const) {
  const signer = signerFor(suiteName, 'signing');
  const tsa = signerFor(suiteName, 'tsa');
  let raw: () => number;
  if (suiteName === 'ecdsa-p256-sha256') {
    const privateKey = (signer.key.secret as { key: crypto.KeyObject }).key;
    const publicKey = crypto.createPublicKey(privateKey);
    raw = () => {
      const sig = crypto.sign('sha256', document, { key: privateKey, dsaEncoding: 'der' });
      if (!crypto.verify('sha256', document, { key: publicKey, dsaEncoding: 'der' }, sig)) throw new Error('raw verify failed');
      return 1;
    };
  } else {
    const { privateHex } = signer.key.secret as { privateHex: string };
    const publicHex = sm2PublicHexFromSpki(signer.key.publicKeySpki);
    const options = { der: true, hash: true, userId: DEFAULT_SM2_USER_ID, publicKey: publicHex };
    raw = () => {
      const sig = sm2.doSignature(document, privateHex, options);
      if (!sm2.doVerifySignature(document, sig, publicHex, { der: true, hash: true, userId: DEFAULT_SM2_USER_ID })) throw new Error('raw verify failed');
      return 1;
    };
  }
  const cms = () => {
    const der = signCms({ content: document, detached: true, signer, signingTime: new Date() });
    if (!checkCms(parseCms(der), suites, document).ok) throw new Error('CMS verify failed');
    return 1;
  };
  const cmsTimestamped = () => {
    const der = signCms({
      content: document,
      detached: true,
      signer,
      signingTime: new Date(),
      unsignedAttributes: (sig) => [signatureTimestamp(sig, signer.suite.hash, tsa, new Date())],
    });
    if (!checkCms(parseCms(der), suites, document).ok) throw new Error('CMS verify failed');
    return 1;
  };
  const rawRate = perSecond(raw);
  const cmsRate = perSecond(cms);
  const stampedRate = perSecond(cmsTimestamped);
  console.log(`${suiteName}: raw sign+verify ${rawRate.toFixed(0)}/s; CMS detached sign+verify ${cmsRate.toFixed(0)}/s, ratio ${(cmsRate / rawRate).toFixed(2)} (goal ≥ 0.8); with its timestamp (a second signature) ${stampedRate.toFixed(0)}/s, ratio ${(stampedRate / rawRate).toFixed(2)}`);

  const items = Array.from({ length: BATCH }, (_, i) => crypto.hash(tsa.suite.hash, `message ${i}`, 'buffer'));
  const batches = perSecond(() => issueBatch({ hash: tsa.suite.hash, items, signer: tsa, genTime: new Date() }).proofs.length);
  console.log(`${suiteName}: batch timestamping of ${BATCH} items with one TSA signature: ${batches.toFixed(0)} items/s (goal ≥ 20,000)`);
}
