// Merkle trees for batch timestamping: one TSA token covers the root of many hashes, and each
// item carries an inclusion proof. Hashing is domain-separated as in RFC 6962, with SHA-256
// or SM3: leaf = H(0x00 ‖ item), node = H(0x01 ‖ left ‖ right), so a leaf can never pass for a
// node. Each level is paired left to right and an odd last node is promoted unpaired (never
// duplicated, the Bitcoin tree's flaw), so two different batches cannot share a root. The
// root a timestamp covers is H(0x02 ‖ size ‖ head), binding the batch size too.
// docs/trust-proofs.md describes the proof format for relying parties.
import crypto from 'node:crypto';

export type MerkleHash = 'sha256' | 'sm3';

export type InclusionProof = {
  hash: MerkleHash;
  /** Position of the item in the batch, from 0. */
  index: number;
  /** Number of items in the batch. */
  size: number;
  /** Sibling hashes from the leaf up to the root, hex. */
  path: string[];
};

const LEAF = Buffer.from([0]);
const NODE = Buffer.from([1]);
const ROOT = Buffer.from([2]);

export function leafHash(hash: MerkleHash, item: Uint8Array): Buffer {
  return crypto.createHash(hash).update(LEAF).update(item).digest();
}

function nodeHash(hash: MerkleHash, left: Buffer, right: Buffer): Buffer {
  return crypto.createHash(hash).update(NODE).update(left).update(right).digest();
}

/** The value a timestamp covers: the tree head bound to the batch size, so a proof cannot lie about it. */
function batchRoot(hash: MerkleHash, head: Buffer, size: number): Buffer {
  const sizeBytes = Buffer.alloc(8);
  sizeBytes.writeBigUInt64BE(BigInt(size));
  return crypto.createHash(hash).update(ROOT).update(sizeBytes).update(head).digest();
}

/** Builds the tree over `items` (each typically a document hash); returns the root and every proof. */
export function buildTree(hash: MerkleHash, items: Uint8Array[]): { root: Buffer; proofs: InclusionProof[] } {
  if (items.length === 0) throw new Error('A batch needs at least one item.');
  let level = items.map((item) => leafHash(hash, item));
  // Where each item's running node sits in the current level; its path grows as levels shrink.
  const position = items.map((_, i) => i);
  const paths: string[][] = items.map(() => []);
  while (level.length > 1) {
    const next: Buffer[] = [];
    for (let i = 0; i < level.length; i += 2) next.push(i + 1 < level.length ? nodeHash(hash, level[i], level[i + 1]) : level[i]);
    for (let item = 0; item < items.length; item++) {
      const p = position[item];
      const sibling = p ^ 1;
      if (sibling < level.length) paths[item].push(level[sibling].toString('hex'));
      position[item] = p >> 1;
    }
    level = next;
  }
  return { root: batchRoot(hash, level[0], items.length), proofs: paths.map((path, index) => ({ hash, index, size: items.length, path })) };
}

/** Recomputes the root from an item and its proof; true when it equals `root`. */
export function verifyInclusion(item: Uint8Array, proof: InclusionProof, root: Uint8Array): boolean {
  if (!Number.isInteger(proof.index) || !Number.isInteger(proof.size) || proof.index < 0 || proof.index >= proof.size) return false;
  let node = leafHash(proof.hash, item);
  let index = proof.index;
  let width = proof.size;
  let used = 0;
  while (width > 1) {
    const sibling = index ^ 1;
    if (sibling < width) {
      const hex = proof.path[used++];
      if (hex === undefined || !/^[0-9a-f]{64}$/.test(hex)) return false;
      const other = Buffer.from(hex, 'hex');
      node = index & 1 ? nodeHash(proof.hash, other, node) : nodeHash(proof.hash, node, other);
    }
    index >>= 1;
    width = (width + 1) >> 1;
  }
  return used === proof.path.length && batchRoot(proof.hash, node, proof.size).equals(Buffer.from(root));
}
