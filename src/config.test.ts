// Configuration from the environment, and `egov start --node <file>`'s node files.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { ConfigError, envWithNodeFile, loadConfig } from './config.ts';

test('a node file sets the variables it names; paths are relative to the file', () => {
  const file = '/srv/egov/dept-a/node.json';
  const env = envWithNodeFile({ EGOV_MASTER_KEY: 'x'.repeat(64) }, file, JSON.stringify({ port: 8081, instance: 'QY', dataDir: 'data', anchorFile: '../anchor.json' }));
  assert.deepEqual([env.PORT, env.EGOV_INSTANCE, env.EGOV_DATA_DIR, env.EGOV_ANCHOR_FILE], ['8081', 'QY', '/srv/egov/dept-a/data', '/srv/egov/anchor.json']);
  const config = loadConfig(env);
  assert.equal(config.port, 8081);
  assert.equal(config.anchorFile, path.resolve('/srv/egov/anchor.json'));
  assert.equal(config.globalConfRefreshSeconds, 60);
});

test('a node file with an unknown key or bad JSON is refused, naming it', () => {
  assert.throws(() => envWithNodeFile({}, 'node.json', '{"prot": 8081}'), (err: unknown) => err instanceof ConfigError && /unknown key "prot"/.test(err.message));
  assert.throws(() => envWithNodeFile({}, 'node.json', 'port=8081'), /not JSON/);
});
