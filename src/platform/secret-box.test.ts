import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { loadMasterKey, SecretBoxError } from './secret-box.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'egov-master-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

test('the master key comes from EGOV_MASTER_KEY, hex or base64, and must be at least 32 bytes', () => {
  const hex = 'ab'.repeat(32);
  assert.equal(loadMasterKey({ key: hex, devKeyFile: path.join(dir, 'x'), production: true }).key.toString('hex'), hex);
  const b64 = Buffer.alloc(32, 7).toString('base64');
  assert.equal(loadMasterKey({ key: b64, devKeyFile: path.join(dir, 'x'), production: true }).key.length, 32);
  assert.throws(() => loadMasterKey({ key: 'abcd', devKeyFile: path.join(dir, 'x'), production: true }), /at least 32 random bytes/);
});

test('production without a master key fails and says what to set', () => {
  assert.throws(() => loadMasterKey({ devKeyFile: path.join(dir, 'never'), production: true }), (err: Error) => err instanceof SecretBoxError && /EGOV_MASTER_KEY or EGOV_MASTER_KEY_FILE/.test(err.message));
  assert.ok(!fs.existsSync(path.join(dir, 'never')));
});

test('development generates a key file once, private to its owner, and reuses it', () => {
  const file = path.join(dir, 'data', 'master.key');
  const first = loadMasterKey({ devKeyFile: file, production: false });
  assert.equal(first.generated, true);
  assert.equal(fs.statSync(file).mode & 0o777, 0o600);
  const second = loadMasterKey({ devKeyFile: file, production: false });
  assert.equal(second.generated, false);
  assert.ok(second.key.equals(first.key));
  assert.throws(() => loadMasterKey({ keyFile: path.join(dir, 'missing.key'), devKeyFile: file, production: false }), /does not exist/);
});
