// The CLI on a real process and its own database: install the base registries with an owner,
// import with a progress bar on stderr (and a dry run that writes nothing), export to a file,
// and usage mistakes answered with what to type.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { closeServices, openServices } from '../../../app.ts';
import { loadConfig } from '../../../config.ts';
import { TEST_MASTER_KEY, buildOrganization, newCreditCode } from '../../../test-support/factories.ts';
import { freshDataHome, runCli, type DataHome } from '../../../../test/support/egov-process.ts';
import { buildPopulation, counts, personsFile, tempDir } from './test-files.ts';

let home: DataHome;
let env: Record<string, string>;
let ownerCode: string;
const dir = tempDir();

before(async () => {
  home = await freshDataHome();
  env = { ...home.env, EGOV_MASTER_KEY: TEST_MASTER_KEY };
  const services = await openServices(loadConfig({ NODE_ENV: 'development', LOG_LEVEL: 'warn', ...env }));
  try {
    ownerCode = newCreditCode('330000');
    await buildOrganization(services, { type: 'government', divisionCode: '330000', creditCode: ownerCode, nameZh: '浙江省公安厅' });
  } finally {
    await closeServices(services);
  }
});
after(async () => {
  await home.cleanup();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('install, import with a progress bar, dry run, export', async () => {
  const missingOwner = runCli(['registries', 'install'], env);
  assert.equal(missingOwner.status, 2, missingOwner.stderr);
  assert.match(missingOwner.stderr, /--owner/);
  const installed = runCli(['registries', 'install', '--owner', ownerCode], env);
  assert.equal(installed.status, 0, installed.stderr);
  assert.match(installed.stdout, /Installed population 1\.0 \(人口基础信息库\), kept by 浙江省公安厅/);
  assert.equal(installed.stdout.trim().split('\n').length, 4);

  const { persons } = buildPopulation({ persons: 3000, seed: 41 });
  const file = await personsFile(dir, 'persons', 'csv', persons);
  const noReason = runCli(['registries', 'import', 'population', file], env);
  assert.equal(noReason.status, 2);
  assert.match(noReason.stderr, /--reason/);

  const bad = path.join(dir, 'bad.csv');
  const lines = fs.readFileSync(file, 'utf8').split('\r\n');
  lines[5] = lines[5].replace(/,330106,|,330108,|,330109,|,330110,/, ',999999,');
  fs.writeFileSync(bad, lines.join('\r\n'));
  const dry = runCli(['registries', 'import', 'population', bad, '--reason', '试导入', '--dry-run'], env);
  assert.equal(dry.status, 1, dry.stderr + dry.stdout);
  assert.match(dry.stdout, /3000 rows, 2999 would be imported; nothing was written/);
  assert.match(dry.stdout, /row 6, (hukouDivision|currentDivision): names no known administrative division/);

  const imported = runCli(['registries', 'import', 'population', file, '--reason', '户籍数据迁移'], env);
  assert.equal(imported.status, 0, imported.stderr + imported.stdout);
  const bars = imported.stderr.split('\n').filter((l) => /^\[[#.]{30}\]/.test(l));
  assert.ok(bars.length >= 3, imported.stderr);
  assert.match(bars[0], /checking: 3,000 rows/);
  assert.ok(bars.some((l) => /writing: 3,000 of 3,000 rows/.test(l)), imported.stderr);
  assert.match(bars.at(-1)!, /100% done: 3,000 of 3,000 rows in/);
  assert.match(imported.stdout, /done: 3000 rows; 3000 created, 0 updated, 0 unchanged, 0 problem\(s\)/);

  const out = path.join(dir, 'out.jsonl');
  const exported = runCli(['registries', 'export', 'population', '--out', out, '--where', 'status=living'], env);
  assert.equal(exported.status, 0, exported.stderr);
  const living = persons.filter((p) => p.status === 'living').length;
  assert.equal(fs.readFileSync(out, 'utf8').trim().split('\n').length, living);
  assert.match(exported.stderr, new RegExp(`Wrote ${living} record\\(s\\)`));

  const services = await openServices(loadConfig({ NODE_ENV: 'development', LOG_LEVEL: 'warn', ...env }));
  try {
    assert.deepEqual(await counts(services.database.db, 'population'), { records: 3000, versions: 3000 });
  } finally {
    await closeServices(services);
  }
});
