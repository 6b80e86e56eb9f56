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

// crypto.hash is the one-shot form: for 65-byte inputs it is several times cheaper than a Hash object.
function digest(hash: MerkleHash, ...parts: Uint8Array[]): Buffer {
  return crypto.hash(hash, Buffer.concat(parts), 'buffer');
}

export function leafHash(hash: MerkleHash, item: Uint8Array): Buffer {
  return digest(hash, LEAF, item);
}

function nodeHash(hash: MerkleHash, left: Buffer, right: Buffer): Buffer {
  return digest(hash, NODE, left, right);
}

/** The value a timestamp covers: the tree head bound to the batch size, so a proof cannot lie about it. */
function batchRoot(hash: MerkleHash, head: Buffer, size: number): Buffer {
  const sizeBytes = Buffer.alloc(8);
  sizeBytes.writeBigUInt64BE(BigInt(size));
  return digest(hash, ROOT, sizeBytes, head);
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
  const size = node.length;
  // One scratch buffer for every node input (0x01 ‖ left ‖ right): proofs are verified in bulk.
  const scratch = Buffer.allocUnsafe(1 + 2 * size);
  scratch[0] = 1;
  let index = proof.index;
  let width = proof.size;
  let used = 0;
  while (width > 1) {
    if ((index ^ 1) < width) {
      const hex = proof.path[used++];
      if (typeof hex !== 'string' || hex.length !== size * 2) return false;
      const [nodeAt, siblingAt] = index & 1 ? [1 + size, 1] : [1, 1 + size];
      if (scratch.write(hex, siblingAt, size, 'hex') !== size) return false; // not hex
      node.copy(scratch, nodeAt);
      node = crypto.hash(proof.hash, scratch, 'buffer');
    }
    index >>= 1;
    width = (width + 1) >> 1;
  }
  return used === proof.path.length && batchRoot(proof.hash, node, proof.size).equals(Buffer.from(root));
}
