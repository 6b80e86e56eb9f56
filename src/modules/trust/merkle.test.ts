import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { test } from 'node:test';
import { buildTree, leafHash, verifyInclusion } from './merkle.ts';

const items = (n: number) => Array.from({ length: n }, (_, i) => crypto.createHash('sha256').update(`document ${i}`).digest());

for (const hash of ['sha256', 'sm3'] as const) {
  test(`${hash}: every item of batches of 1 to 33 proves its inclusion, and nothing else does`, () => {
    for (let n = 1; n <= 33; n++) {
      const batch = items(n);
      const { root, proofs } = buildTree(hash, batch);
      batch.forEach((item, i) => {
        assert.ok(verifyInclusion(item, proofs[i], root), `n=${n} i=${i}`);
        assert.ok(!verifyInclusion(crypto.randomBytes(32), proofs[i], root), 'another item');
        if (n > 1) assert.ok(!verifyInclusion(item, proofs[(i + 1) % n], root), 'another position');
      });
    }
  });
}

test('a single item: the root is H(0x02 ‖ size 1 ‖ its leaf hash) and the path is empty', () => {
  const [item] = items(1);
  const { root, proofs } = buildTree('sha256', [item]);
  const expected = crypto.createHash('sha256').update(Buffer.from([2])).update(Buffer.from('0000000000000001', 'hex')).update(leafHash('sha256', item)).digest();
  assert.ok(root.equals(expected));
  assert.deepEqual(proofs[0].path, []);
});

test('tampered proofs fail: a changed sibling, a missing or extra step, a wrong size or index', () => {
  const batch = items(7);
  const { root, proofs } = buildTree('sha256', batch);
  const p = proofs[3];
  const flipped = { ...p, path: [p.path[0].replace(/^./, (c) => (c === '0' ? '1' : '0')), ...p.path.slice(1)] };
  assert.ok(!verifyInclusion(batch[3], flipped, root));
  assert.ok(!verifyInclusion(batch[3], { ...p, path: p.path.slice(1) }, root));
  assert.ok(!verifyInclusion(batch[3], { ...p, path: [...p.path, p.path[0]] }, root));
  assert.ok(!verifyInclusion(batch[3], { ...p, size: 8 }, root));
  assert.ok(!verifyInclusion(batch[3], { ...p, index: 9 }, root));
  assert.ok(!verifyInclusion(batch[3], { ...p, path: ['zz'] }, root));
});

test('different batches have different roots, even when one extends the other by a copy of its last item', () => {
  const batch = items(5);
  const extended = [...batch, batch[4]];
  assert.ok(!buildTree('sha256', batch).root.equals(buildTree('sha256', extended).root));
});

test('an empty batch is refused', () => {
  assert.throws(() => buildTree('sha256', []), /at least one item/);
});
