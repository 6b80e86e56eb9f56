// Configuration from the environment, and `egov start --node <file>`'s node files.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { ConfigError, envWithNodeFile, loadConfig } from './config.ts';

test('a node file sets the variables it names; paths are relative to the file', () => {
  const file = '/srv/egov/dept-a/node.json';
  const settings = { port: 8081, instance: 'QY', dataDir: 'data', anchorFile: '../anchor.json', nodeName: 'dept-a', nodeUrl: 'https://10.1.2.3:5500', nodeZone: 'internal', nodeMembers: ['QY/GOV/11990000MB0000001X'] };
  const env = envWithNodeFile({ EGOV_MASTER_KEY: 'x'.repeat(64) }, file, JSON.stringify(settings));
  assert.deepEqual([env.PORT, env.EGOV_INSTANCE, env.EGOV_DATA_DIR, env.EGOV_ANCHOR_FILE, env.EGOV_NODE_MEMBERS], ['8081', 'QY', '/srv/egov/dept-a/data', '/srv/egov/anchor.json', 'QY/GOV/11990000MB0000001X']);
  const config = loadConfig(env);
  assert.equal(config.port, 8081);
  assert.equal(config.anchorFile, path.resolve('/srv/egov/anchor.json'));
  assert.equal(config.globalConfRefreshSeconds, 60);
  assert.deepEqual(config.node, { name: 'dept-a', url: 'https://10.1.2.3:5500', zone: 'internal', port: 5500, members: ['QY/GOV/11990000MB0000001X'], clientTlsPort: undefined, ferry: undefined });
});

test("a node's exchange settings: the central node's defaults, and what a member node must say", () => {
  assert.deepEqual(loadConfig({}).node, { name: 'central', url: 'https://127.0.0.1:5500', zone: 'external', port: 5500, members: [], clientTlsPort: undefined, ferry: undefined });
  const member = { EGOV_ANCHOR_FILE: '/srv/anchor.json' };
  assert.throws(() => loadConfig(member), /A member node needs a name: set EGOV_NODE_NAME/);
  assert.throws(() => loadConfig({ ...member, EGOV_NODE_NAME: 'dept-a' }), /hosts at least one member: set EGOV_NODE_MEMBERS/);
  assert.throws(() => loadConfig({ ...member, EGOV_NODE_NAME: 'Dept A', EGOV_NODE_MEMBERS: 'X/GOV/1' }), /EGOV_NODE_NAME must be lower-case/);
  assert.throws(() => loadConfig({ EGOV_NODE_URL: 'http://node.example' }), /EGOV_NODE_URL must be an https URL/);
  assert.throws(() => loadConfig({ EGOV_NODE_ZONE: 'dmz' }), /EGOV_NODE_ZONE must be one of internal, external, public/);
  assert.throws(() => loadConfig({ ...member, EGOV_NODE_NAME: 'dept-a', EGOV_NODE_MEMBERS: 'EGOV-DEMO/GOV' }), /"EGOV-DEMO\/GOV" is not one/);
});

test('a node file with an unknown key or bad JSON is refused, naming it', () => {
  assert.throws(() => envWithNodeFile({}, 'node.json', '{"prot": 8081}'), (err: unknown) => err instanceof ConfigError && /unknown key "prot"/.test(err.message));
  assert.throws(() => envWithNodeFile({}, 'node.json', 'port=8081'), /not JSON/);
});

test('EGOV_POSTGIS: auto unless set to off; anything else is refused, naming the variable', () => {
  assert.equal(loadConfig({}).postgis, 'auto');
  assert.equal(loadConfig({ EGOV_POSTGIS: 'off' }).postgis, 'off');
  assert.equal(loadConfig({ EGOV_POSTGIS: 'Auto' }).postgis, 'auto');
  assert.throws(() => loadConfig({ EGOV_POSTGIS: 'on' }), (err: unknown) => err instanceof ConfigError && /EGOV_POSTGIS must be auto or off; got "on"/.test(err.message));
});

test('EGOV_PUBLIC_URL: the address links in the exports start with; http://localhost:PORT unless set', () => {
  assert.equal(loadConfig({}).publicUrl, 'http://localhost:8080');
  assert.equal(loadConfig({ PORT: '9090' }).publicUrl, 'http://localhost:9090');
  assert.equal(loadConfig({ EGOV_PUBLIC_URL: 'https://data.example.gov.cn/' }).publicUrl, 'https://data.example.gov.cn', 'without the trailing slash');
  assert.equal(loadConfig({ EGOV_PUBLIC_URL: 'https://www.example.gov.cn/opendata' }).publicUrl, 'https://www.example.gov.cn/opendata', 'behind a proxy under a path');
  for (const bad of ['data.example.gov.cn', 'ftp://data.example.gov.cn', 'https://data.example.gov.cn/?x=1', 'https://user:pw@data.example.gov.cn']) {
    assert.throws(() => loadConfig({ EGOV_PUBLIC_URL: bad }), (err: unknown) => err instanceof ConfigError && /EGOV_PUBLIC_URL must be the http\(s\) address/.test(err.message), bad);
  }
});
