// What an authorized call was granted of the answer: the union of the field lists of the
// rights that match it, or the whole answer when one of them has no list. Pure logic over
// the indexed global configuration.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GLOBAL_CONF_FORMAT, type ConfRight, type GlobalConf } from './global-conf.ts';
import { grantOf, indexConf } from './routing.ts';

const SERVICE = 'EGOV/GOV/A/hukou/persons';
const CLIENT = 'EGOV/GOV/B/welfare';
const OTHER = 'EGOV/GOV/C/tax';

function confWith(rights: Omit<ConfRight, 'service'>[], groups: { code: string; members: string[] }[] = []): GlobalConf {
  return {
    format: GLOBAL_CONF_FORMAT,
    instance: 'EGOV',
    generatedAt: new Date().toISOString(),
    expiresAt: new Date(Date.now() + 60_000).toISOString(),
    members: [],
    subsystems: [],
    services: [{ identifier: SERVICE, status: 'active', classification: 'internal', timeoutMs: 1000, maxBodyBytes: 1000 }],
    groups,
    rights: rights.map((r) => ({ service: SERVICE, ...r })),
    nodes: [],
    crossing: [],
    memberCertificates: [],
    revoked: [],
    certificates: { root: '', issuing: '', tsa: '', configuration: '' },
  };
}
const right = (r: Partial<ConfRight>): Omit<ConfRight, 'service'> => ({ clientKind: 'subsystem', client: CLIENT, method: null, pathPattern: null, fields: null, ...r });

test('grantOf: no right, one list, a union (sorted, each name once), or null when any right has no list', () => {
  assert.equal(grantOf([]), undefined);
  assert.deepEqual(grantOf([{ fields: ['name', 'birthDate'] }]), { fields: ['birthDate', 'name'] });
  assert.deepEqual(grantOf([{ fields: ['name', 'birthDate'] }, { fields: ['address', 'name'] }]), { fields: ['address', 'birthDate', 'name'] });
  assert.deepEqual(grantOf([{ fields: ['name'] }, { fields: null }, { fields: ['address'] }]), { fields: null });
  assert.deepEqual(grantOf([{ fields: ['name'] }, {}]), { fields: null }, 'a right from a configuration without fields: the whole answer');
});

test('access: only the rights that match the client, method and path count', () => {
  const index = indexConf(
    confWith(
      [
        right({ method: 'GET', pathPattern: '/v1/persons/*', fields: ['name', 'birthDate'] }),
        right({ clientKind: 'group', client: 'civil', pathPattern: '/v1/**', fields: ['address'] }),
        // The whole answer, but not for this call: another method, another path, another client, a group B is not in.
        right({ method: 'POST', fields: null }),
        right({ pathPattern: '/v2/**', fields: null }),
        right({ client: OTHER, fields: null }),
        right({ clientKind: 'group', client: 'tax-only', fields: null }),
      ],
      [
        { code: 'civil', members: [CLIENT] },
        { code: 'tax-only', members: [OTHER] },
      ],
    ),
  );
  assert.deepEqual(index.access(SERVICE, CLIENT, 'GET', '/v1/persons/1'), { fields: ['address', 'birthDate', 'name'] });
  assert.deepEqual(index.access(SERVICE, CLIENT, 'DELETE', '/v1/persons/1'), { fields: ['address'] }, 'only the group right matches DELETE');
  assert.deepEqual(index.access(SERVICE, CLIENT, 'POST', '/v1/persons/1'), { fields: null }, 'the POST right has no list');
  assert.deepEqual(index.access(SERVICE, CLIENT, 'GET', '/v2/x'), { fields: null });
  assert.equal(index.access(SERVICE, CLIENT, 'GET', '/v3/x'), undefined, 'no right matches');
  assert.equal(index.authorize(SERVICE, CLIENT, 'GET', '/v3/x'), false);
  assert.equal(index.authorize(SERVICE, CLIENT, 'GET', '/v1/persons/1'), true);
  assert.deepEqual(index.access(SERVICE, OTHER, 'GET', '/v3/x'), { fields: null }, "the other client's own rights");
  assert.equal(index.access('EGOV/GOV/A/hukou/other', CLIENT, 'GET', '/v1/persons/1'), undefined, 'another service');
});
