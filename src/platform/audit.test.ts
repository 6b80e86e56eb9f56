import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import { createAudit, SYSTEM_ACTOR } from './audit.ts';
import { manualClock } from './clock.ts';
import { useMigratedTestDatabase } from '../test-support/database.ts';

const testDatabase = useMigratedTestDatabase();

test('concurrent appends form one unbroken chain, with SM3 as well as SHA-256', async () => {
  const tdb = testDatabase();
  const sha = createAudit({ db: tdb.database.db, clock: manualClock(), algorithm: 'sha256' });
  const sm3 = createAudit({ db: tdb.database.db, clock: manualClock(), algorithm: 'sm3' });
  await Promise.all(
    Array.from({ length: 40 }, (_, i) =>
      (i % 2 ? sm3 : sha).record(tdb.database.db, { actor: SYSTEM_ACTOR, action: 'test.append', subjectType: 'n', subjectId: String(i), outcome: 'success', detail: { i, nested: { b: 1, a: [1, 'x'] } } }),
    ),
  );
  const result = await sha.verify();
  assert.deepEqual(result, { ok: true, rows: 40, headSeq: 40 });
  const algorithms = await sql<{ algorithm: string }>`select distinct algorithm from audit.events order by 1`.execute(tdb.database.db);
  assert.deepEqual(algorithms.rows.map((r) => r.algorithm), ['sha256', 'sm3']);
});

test('an append rolled back with its transaction leaves no gap', async () => {
  const tdb = testDatabase();
  const audit = createAudit({ db: tdb.database.db, clock: manualClock(), algorithm: 'sha256' });
  await assert.rejects(
    tdb.database.db.transaction().execute(async (trx) => {
      await audit.record(trx, { actor: SYSTEM_ACTOR, action: 'test.rollback', subjectType: null, subjectId: null, outcome: 'success' });
      throw new Error('business rule failed');
    }),
    /business rule failed/,
  );
  assert.equal((await audit.verify()).ok, true);
});
