import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createServices } from '../app.ts';
import { loadConfig } from '../config.ts';
import { testDatabaseUrl, useMigratedTestDatabase } from '../test-support/database.ts';
import { openPostgres } from './db.ts';
import { createChangeFeed } from './changes.ts';
import { manualClock } from './clock.ts';
import { localOperator } from './actor.ts';
import { newCreditCode, testSecretBox } from '../test-support/factories.ts';

const testDatabase = useMigratedTestDatabase();

async function waitFor(check: () => Promise<boolean> | boolean, ms = 5000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return false;
}

test('a notification is delivered when its transaction commits, and never when it rolls back', async () => {
  const tdb = testDatabase();
  const feed = createChangeFeed(tdb.database);
  await feed.start();
  const heard: string[] = [];
  feed.subscribe('committed', () => heard.push('committed'));
  feed.subscribe('rolled-back', () => heard.push('rolled-back'));
  await tdb.database.db.transaction().execute((trx) => feed.notify(trx, 'committed'));
  await assert.rejects(
    tdb.database.db.transaction().execute(async (trx) => {
      await feed.notify(trx, 'rolled-back');
      throw new Error('abort');
    }),
  );
  assert.ok(await waitFor(() => heard.includes('committed')));
  await new Promise((r) => setTimeout(r, 200));
  assert.deepEqual(heard, ['committed']);
  await feed.stop();
});

test('on PostgreSQL, a change made by one replica reaches another replica’s directory cache', { skip: !testDatabaseUrl() && 'replicas need PostgreSQL (DATABASE_URL)' }, async () => {
  const tdb = testDatabase();
  const config = loadConfig({ NODE_ENV: 'test' });
  const second = await openPostgres(tdb.url!, 2);
  const a = createServices({ config, database: tdb.database, clock: manualClock(), box: testSecretBox() });
  const b = createServices({ config, database: second, clock: manualClock(), box: testSecretBox() });
  await a.changes.start();
  await b.changes.start();
  try {
    const operator = localOperator('test');
    const root = await a.directory.service.create(operator, { parentId: null, nameZh: '浙江省人民政府', nameEn: 'Zhejiang', creditCode: newCreditCode('330000'), divisionCode: '330000', type: 'government' });
    // b loads its snapshot now, then a renames: b must not keep serving the old name.
    assert.equal((await b.directory.service.getOrganization(root.id)).nameEn, 'Zhejiang');
    await a.directory.service.update(operator, root.id, { version: root.version, nameEn: 'Zhejiang Provincial Government' });
    assert.ok(await waitFor(async () => (await b.directory.service.getOrganization(root.id)).nameEn === 'Zhejiang Provincial Government'), 'replica b never saw the rename');
  } finally {
    await a.changes.stop();
    await b.changes.stop();
    await second.close();
  }
});
