// `npm run bench:trust [batch size]`: batch-timestamp building blocks, each next to the raw hash it is
// made of, measured in this run. Goals (issue 3): batching ≥ 20,000 items/s; inclusion-proof
// verification ≥ 50,000/s. The TSA signature itself (one per batch) is not in these figures yet.
import crypto from 'node:crypto';
import { buildTree, verifyInclusion } from '../src/modules/trust/merkle.ts';

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
