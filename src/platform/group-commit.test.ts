import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createGroupCommit } from './group-commit.ts';

test('items that arrive while a group is written share the next write, each answered with its own result', async () => {
  const writes: number[][] = [];
  let release!: () => void;
  const firstHeld = new Promise<void>((resolve) => (release = resolve));
  const group = createGroupCommit<number, string>(async (items) => {
    writes.push(items);
    if (writes.length === 1) await firstHeld;
    return items.map((n) => `done ${n}`);
  });
  const first = group.add(1);
  const rest = [2, 3, 4].map((n) => group.add(n));
  release();
  assert.equal(await first, 'done 1');
  assert.deepEqual(await Promise.all(rest), ['done 2', 'done 3', 'done 4']);
  assert.deepEqual(writes, [[1], [2, 3, 4]], 'one write for the first item, one for the three that waited');
});

test('a failed write fails only its own group; the next group is written afresh', async () => {
  let calls = 0;
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  const group = createGroupCommit<string, string>(async (items) => {
    calls += 1;
    if (calls === 1) {
      await held;
      throw new Error('disk full');
    }
    return items.map((s) => s.toUpperCase());
  });
  const failing = group.add('a');
  const later = group.add('b');
  release();
  await assert.rejects(failing, /disk full/);
  assert.equal(await later, 'B');
});

test('no group is larger than maxGroup', async () => {
  const sizes: number[] = [];
  const group = createGroupCommit<number, number>(async (items) => {
    sizes.push(items.length);
    await new Promise((resolve) => setImmediate(resolve));
    return items;
  }, 3);
  const results = await Promise.all(Array.from({ length: 10 }, (_, i) => group.add(i)));
  assert.deepEqual(results, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.ok(sizes.every((n) => n <= 3), `sizes ${sizes.join(',')}`);
  assert.equal(sizes.reduce((a, b) => a + b, 0), 10);
});
