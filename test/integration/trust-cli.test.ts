// `egov trust issue | revoke | sign | verify | timestamp` as a CA operator and a signer use
// them, with openssl checking what they produce; and `egov verify` proving the audit chain up
// to the anchor the server writes when it stops.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { DEMO_ORGS, demoCreditCode } from '../../src/demo/dataset.ts';
import { freshDataHome, runCli, startServer, stopServer, type DataHome } from '../support/egov-process.ts';

let home: DataHome;
let tmp: string;
// ECDSA so that `openssl cms -verify` can check the signatures end to end (decision 0006).
const suiteEnv = { EGOV_TRUST_SUITE: 'ecdsa-p256-sha256' };
const psbIndex = DEMO_ORGS.findIndex((o) => o.key === 'psb');
const psbCreditCode = demoCreditCode(DEMO_ORGS[psbIndex], psbIndex);
const file = (name: string) => path.join(tmp, name);
const openssl = (args: string[]) => execFileSync('openssl', args, { encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });

before(async () => {
  home = await freshDataHome();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'egov-trust-cli-'));
  const seeded = runCli(['seed'], { ...home.env, ...suiteEnv });
  assert.equal(seeded.status, 0, seeded.stderr);
});
after(async () => {
  await home.cleanup();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const cli = (args: string[]) => runCli(args, { ...home.env, ...suiteEnv });

test('every trust command has --help, and usage errors exit 2', () => {
  for (const name of ['issue', 'revoke', 'sign', 'verify', 'timestamp']) {
    const help = cli(['trust', name, '--help']);
    assert.equal(help.status, 0, name);
    assert.match(help.stdout, new RegExp(`Usage: egov trust ${name}`));
  }
  assert.equal(cli(['trust', 'issue', '--org', psbCreditCode, '--profile', 'wizard']).status, 2);
  assert.equal(cli(['trust', 'revoke', '00ff', '--reason', 'boredom']).status, 2);
  assert.equal(cli(['trust', 'sign']).status, 2);
});

test('issue, sign, verify (here and with openssl), timestamp, revoke', () => {
  fs.writeFileSync(file('notice.txt'), '青云省公安厅关于户籍业务网上办理的通告\n');

  const issued = cli(['trust', 'issue', '--org', psbCreditCode, '--profile', 'signing', '--holder', 'psb.officer', '--out', file('officer.pem')]);
  assert.equal(issued.status, 0, issued.stderr);
  const serial = /Issued signing certificate ([0-9a-f]+)/.exec(issued.stdout)![1];
  const pems = fs.readFileSync(file('officer.pem'), 'utf8').match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n/g)!;
  assert.equal(pems.length, 3, 'leaf, issuing CA, root');
  fs.writeFileSync(file('leaf.pem'), pems[0]);
  fs.writeFileSync(file('issuing.pem'), pems[1]);
  fs.writeFileSync(file('root.pem'), pems[2]);
  assert.equal(openssl(['verify', '-CAfile', file('root.pem'), '-untrusted', file('issuing.pem'), file('leaf.pem')]).trim(), `${file('leaf.pem')}: OK`);

  const signed = cli(['trust', 'sign', file('notice.txt'), '--cert', serial]);
  assert.equal(signed.status, 0, signed.stderr);
  assert.ok(fs.existsSync(file('notice.txt.p7s')));
  assert.equal(openssl(['cms', '-verify', '-binary', '-inform', 'DER', '-in', file('notice.txt.p7s'), '-content', file('notice.txt'), '-CAfile', file('root.pem'), '-out', '/dev/null']), '');
  const verified = cli(['trust', 'verify', file('notice.txt.p7s'), '--document', file('notice.txt')]);
  assert.equal(verified.status, 0, verified.stdout + verified.stderr);
  assert.match(verified.stdout, /VALID signature/);
  assert.match(verified.stdout, /青云省公安厅工作人员, 青云省公安厅/);
  assert.match(verified.stdout, /proven by a timestamp/);
  fs.writeFileSync(file('forged.txt'), '青云省公安厅关于户籍业务暂停办理的通告\n');
  const forged = cli(['trust', 'verify', file('notice.txt.p7s'), '--document', file('forged.txt')]);
  assert.equal(forged.status, 1);
  assert.match(forged.stdout, /INVALID: The document was changed/);

  const stamped = cli(['trust', 'timestamp', file('notice.txt'), '--out', file('notice.tst')]);
  assert.equal(stamped.status, 0, stamped.stderr);
  assert.match(openssl(['ts', '-verify', '-data', file('notice.txt'), '-in', file('notice.tst'), '-token_in', '-CAfile', file('root.pem'), '-untrusted', file('issuing.pem')]), /Verification: OK/);
  assert.equal(cli(['trust', 'verify', file('notice.tst'), '--document', file('notice.txt')]).status, 0);

  const revoked = cli(['trust', 'revoke', serial, '--reason', 'keyCompromise']);
  assert.equal(revoked.status, 0, revoked.stderr);
  const afterRevocation = cli(['trust', 'verify', file('notice.txt.p7s'), '--document', file('notice.txt')]);
  assert.equal(afterRevocation.status, 0, 'signed before the revocation, proven by its timestamp');
  assert.match(afterRevocation.stdout, /revoked at .* \(keyCompromise\)/);
  const refused = cli(['trust', 'sign', file('notice.txt'), '--cert', serial]);
  assert.equal(refused.status, 1);
  assert.match(refused.stderr, /was revoked/);
});

test('an organization that keeps its own key: CSR in, certificate out, sign with --key', () => {
  openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', file('node.key')]);
  fs.writeFileSync(file('node.csr'), openssl(['req', '-new', '-key', file('node.key'), '-subj', '/CN=whatever', '-sha256']));
  const issued = cli(['trust', 'issue', '--org', psbCreditCode, '--profile', 'tls', '--node', 'node1.gat.qingyun.gov.cn', '--csr', file('node.csr'), '--out', file('node.pem')]);
  assert.equal(issued.status, 0, issued.stderr);
  const serial = /Issued tls certificate ([0-9a-f]+)/.exec(issued.stdout)![1];
  fs.writeFileSync(file('data.bin'), Buffer.from([1, 2, 3, 4]));
  assert.match(cli(['trust', 'sign', file('data.bin'), '--cert', serial]).stderr, /pass --key/);
  const signed = cli(['trust', 'sign', file('data.bin'), '--cert', serial, '--key', file('node.key'), '--enveloping']);
  assert.equal(signed.status, 0, signed.stderr);
  const verified = cli(['trust', 'verify', file('data.bin.p7m')]);
  assert.equal(verified.status, 0, verified.stdout);
  openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', file('other.key')]);
  const wrongKey = cli(['trust', 'sign', file('data.bin'), '--cert', serial, '--key', file('other.key')]);
  assert.equal(wrongKey.status, 1);
  assert.match(wrongKey.stderr, /does not belong to certificate/);
});

test('the server anchors the audit chain when it stops, and egov verify proves the rows up to it', async () => {
  const before = cli(['verify']);
  assert.match(before.stdout, /No anchor yet/);
  const server = await startServer({ ...home.env, ...suiteEnv });
  assert.equal(await stopServer(server), 0);
  const verified = cli(['verify']);
  assert.equal(verified.status, 0, verified.stderr);
  assert.match(verified.stdout, /Anchored: rows 1–\d+ are proven unchanged since/);
});
