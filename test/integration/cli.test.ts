// The egov CLI as an operator uses it: help, exit codes, migrate, seed, users, verify,
// backup and a checked restore into a fresh database.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { DEMO_ORGS, demoCreditCode } from '../../src/demo/dataset.ts';
import { newCreditCode } from '../../src/test-support/factories.ts';
import { freshDataHome, runCli, type DataHome } from '../support/egov-process.ts';

const homes: DataHome[] = [];
let home: DataHome;
let tmp: string;
before(async () => {
  home = await freshDataHome();
  homes.push(home);
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'egov-cli-'));
});
after(async () => {
  for (const h of homes) await h.cleanup();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('help and errors', () => {
  test('egov --help lists every command; each command has --help', () => {
    const overview = runCli(['--help'], home.env);
    assert.equal(overview.status, 0);
    for (const name of ['start', 'migrate', 'seed', 'verify', 'backup', 'restore', 'org add', 'user add', 'user reset-password']) assert.match(overview.stdout, new RegExp(`  ${name} `));
    for (const name of ['exchange verify-log', 'exchange evidence', 'exchange verify-evidence', 'exchange anchor', 'exchange archive', 'exchange verify-archive']) {
      const commandHelp = runCli([...name.split(' '), '--help'], home.env);
      assert.equal(commandHelp.status, 0, name);
      assert.match(commandHelp.stdout, new RegExp(`Usage: egov ${name}`));
    }
    const notEvidence = runCli(['exchange', 'verify-evidence', path.join(tmp, 'missing.json')], home.env);
    assert.equal(notEvidence.status, 1);
    assert.match(notEvidence.stderr, /not a readable evidence package/);
    assert.equal(runCli(['exchange', 'evidence'], home.env).status, 2);
    const help = runCli(['backup', '--help'], home.env);
    assert.equal(help.status, 0);
    assert.match(help.stdout, /Usage: egov backup <file>/);
  });

  test('unknown commands and options exit 2 with a message', () => {
    const unknown = runCli(['frobnicate'], home.env);
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /Unknown command "frobnicate"/);
    const option = runCli(['verify', '--colour'], home.env);
    assert.equal(option.status, 2);
    assert.match(option.stderr, /Unknown option '--colour'/);
    const missing = runCli(['user', 'add', '--username', 'x'], home.env);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /Missing --name, --org, --roles/);
    assert.equal(runCli(['backup'], home.env).status, 2);
  });

  test('bad configuration fails fast with the variable named', () => {
    const res = runCli(['migrate'], { ...home.env, EGOV_AUDIT_HASH: 'md5' });
    assert.equal(res.status, 1);
    assert.match(res.stderr, /EGOV_AUDIT_HASH must be sha256 or sm3/);
    const nodeFile = path.join(tmp, 'node.json');
    fs.writeFileSync(nodeFile, JSON.stringify({ prot: 8081 }));
    const badNode = runCli(['start', '--node', nodeFile], home.env);
    assert.equal(badNode.status, 1);
    assert.match(badNode.stderr, /unknown key "prot"/);
    assert.equal(runCli(['start', '--node', path.join(tmp, 'missing.json')], home.env).status, 2);
    const shortKey = runCli(['seed'], { ...home.env, EGOV_MASTER_KEY: 'abcd' });
    assert.equal(shortKey.status, 1);
    assert.match(shortKey.stderr, /^egov: EGOV_MASTER_KEY must hold at least 32 random bytes/m);
  });
});

describe('operating a database', () => {
  test('migrate, seed, add a user, reset a password, verify', () => {
    const migrateRun = runCli(['migrate'], home.env);
    assert.equal(migrateRun.status, 0, migrateRun.stderr);
    assert.match(migrateRun.stdout, /applied \d+ migration/);
    const seed = runCli(['seed'], home.env);
    assert.equal(seed.status, 0, seed.stderr);
    assert.match(seed.stdout, /Seeded 20 organizations and 35 accounts/);
    assert.match(runCli(['seed'], home.env).stdout, /nothing was seeded/);

    const add = runCli(['user', 'add', '--username', 'ops.one', '--name', '运维一号', '--org', 'EGOV-DEMO/GOV/11990000QY0000118B', '--roles', 'officer'], home.env);
    assert.equal(add.status, 0, add.stderr);
    assert.match(add.stdout, /Created ops\.one \(officer\) in 青云省数据局/);
    assert.match(add.stdout, /Initial password \(shown once/);
    const weak = runCli(['user', 'add', '--username', 'ops.two', '--name', 'x', '--org', 'EGOV-DEMO/GOV/11990000QY0000118B', '--roles', 'officer', '--password', 'weak'], home.env);
    assert.equal(weak.status, 1);
    assert.match(weak.stderr, /password: must be at least 8 characters/);
    const badRole = runCli(['user', 'add', '--username', 'ops.3', '--name', 'x', '--org', 'x', '--roles', 'emperor'], home.env);
    assert.equal(badRole.status, 2);
    assert.match(badRole.stderr, /Unknown role\(s\): emperor/);

    const reset = runCli(['user', 'reset-password', 'ops.one', '--password', 'Reset#pass2026'], home.env);
    assert.equal(reset.status, 0, reset.stderr);
    assert.match(reset.stdout, /Password of ops\.one reset/);
    assert.equal(runCli(['user', 'reset-password', 'ghost'], home.env).status, 1);

    const verify = runCli(['verify'], home.env);
    assert.equal(verify.status, 0, verify.stderr);
    assert.match(verify.stdout, /Audit chain OK: \d+ rows/);
    const anchorFile = path.join(tmp, 'anchor.json');
    const anchor = runCli(['exchange', 'anchor', '--url', 'http://127.0.0.1:8080/', '--out', anchorFile], home.env);
    assert.equal(anchor.status, 0, anchor.stderr);
    const anchorJson = JSON.parse(fs.readFileSync(anchorFile, 'utf8'));
    assert.deepEqual([anchorJson.format, anchorJson.instance, anchorJson.centralUrl], ['egov-anchor/1', 'EGOV-DEMO', 'http://127.0.0.1:8080']);
    assert.equal(runCli(['exchange', 'anchor'], home.env).status, 2);
    const verifyLog = runCli(['exchange', 'verify-log'], home.env);
    assert.equal(verifyLog.status, 0, verifyLog.stderr);
    assert.match(verifyLog.stdout, /Message log OK: 0 rows/);
    // Retention is off by default: the archiver says so and how to turn it on.
    const archive = runCli(['exchange', 'archive'], home.env);
    assert.equal(archive.status, 1);
    assert.match(archive.stderr, /Archiving is off: EGOV_EXCHANGE_LOG_RETENTION_DAYS is 0/);
  });

  test('org add creates a body under a parent named by identifier, and reports what is wrong', () => {
    const government = `EGOV-DEMO/GOV/${demoCreditCode(DEMO_ORGS[0], 0)}`;
    const code = newCreditCode('990000');
    const args = (overrides: Record<string, string>) =>
      Object.entries({ 'name-zh': '青云省档案馆', 'name-en': 'Qingyun Provincial Archives', 'credit-code': code, division: '990000', type: 'organ', parent: government, ...overrides }).flatMap(([k, v]) => [`--${k}`, v]);
    const created = runCli(['org', 'add', ...args({})], home.env);
    assert.equal(created.status, 0, created.stderr);
    assert.match(created.stdout, new RegExp(`Created 青云省档案馆 / Qingyun Provincial Archives: EGOV-DEMO/GOV/${code} \\(province`));
    const unknownParent = runCli(['org', 'add', ...args({ parent: 'EGOV-DEMO/GOV/nothing' })], home.env);
    assert.equal(unknownParent.status, 1);
    assert.match(unknownParent.stderr, /No organization EGOV-DEMO\/GOV\/nothing/);
    const wrongCheck = runCli(['org', 'add', ...args({ 'credit-code': code.slice(0, 17) + (code[17] === '0' ? '1' : '0') })], home.env);
    assert.equal(wrongCheck.status, 1);
    assert.match(wrongCheck.stderr, /creditCode \(the check character/);
    assert.equal(runCli(['org', 'add', ...args({ type: 'palace' })], home.env).status, 2);
    assert.equal(runCli(['org', 'add', '--name-zh', 'x'], home.env).status, 2);
  });

  test('backup, then restore into a fresh database; the restore is checked and verify passes there', async () => {
    const file = path.join(tmp, 'demo.egov-backup');
    const backup = runCli(['backup', file], home.env);
    assert.equal(backup.status, 0, backup.stderr);
    assert.match(backup.stdout, /Backup written to .*: \d+ tables, \d+ rows/);

    const target = await freshDataHome();
    homes.push(target);
    const restore = runCli(['restore', file], target.env);
    assert.equal(restore.status, 0, restore.stderr);
    assert.match(restore.stdout, /every table matches the backup/);
    const verify = runCli(['verify'], target.env);
    assert.equal(verify.status, 0, verify.stderr);

    const again = runCli(['restore', file], target.env);
    assert.equal(again.status, 1);
    assert.match(again.stderr, /not empty/);
    const missing = runCli(['restore', path.join(tmp, 'nope.egov-backup')], target.env);
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /No backup file/);
  });
});
