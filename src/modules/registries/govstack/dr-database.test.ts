// The GovStack database API over HTTP: /databases and /database/{id} in the specification's
// shapes with only the granted fields of the schema, a registry defined and changed through
// database/modify (validated; only the platform administrator or the owner; records checked
// against a changed schema), the published schema read back into the same definition, and
// DELETE refused for the base registries and for registries that held records.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { canonicalJson } from '../../../platform/canonical-json.ts';
import { LEGAL_ENTITIES, POPULATION } from '../index.ts';
import { assertSpec, buildDrWorld, dr, DR, type Client, type DrWorld } from './test-world.ts';

let w: DrWorld;
before(async () => {
  w = await buildDrWorld();
});
after(() => w.t.close());

const idOf = async (name: string, as: Client = w.own) => {
  const res = await dr(w.t, 'GET', `${DR}/databases`, { as });
  return (res.json.databases as { id: number; name: string }[]).find((d) => d.name === name)?.id;
};

/** A registry of mother-and-child care cards, in the spec's own example shape where it can be. */
function mctsSchema(overrides: Record<string, unknown> = {}) {
  return {
    groupName: 'Test',
    catalogName: 'Mother and Child',
    code: 'MCTS',
    schema: {
      type: 'object',
      description: 'Database holding information about MCTS objects',
      filename: 'mcts.json',
      creationDate: '2026-01-05',
      properties: {
        ID: { type: 'string', primaryKey: true, readOnly: true, description: 'Registration ID', example: 'MCTS31', id: 1, pattern: '^MCTS[0-9]{1,8}$' },
        childName: { type: 'string', description: "Child's name", maxLength: 50, id: 2 },
        birthdate: { type: 'string', format: 'date', description: "Child's birth date", id: 3 },
        visits: { type: 'integer', minimum: 0, maximum: 100, description: 'Visits', id: 4 },
        motherId: { type: 'string', description: "Mother's ID number", id: 5, 'x-egov': { sensitivity: 'personal', validators: [{ name: 'id-number' }], mask: 'id-number', labelZh: '母亲身份号码' } },
      },
      required: ['ID', 'childName'],
      ...overrides,
    },
  };
}

test('an unauthenticated caller is refused; a caller without a right sees no registry', async () => {
  for (const [method, url, body] of [
    ['GET', `${DR}/databases`],
    ['GET', `${DR}/database/1`],
    ['DELETE', `${DR}/database/1`],
    ['POST', `${DR}/database/modify`, mctsSchema()],
  ] as const) {
    const res = await dr(w.t, method, url, { body });
    assert.equal(res.statusCode, 401, `${method} ${url}: ${res.body}`);
  }
  const list = await dr(w.t, 'GET', `${DR}/databases`, { as: w.nosy });
  assert.equal(list.statusCode, 200);
  assert.deepEqual(list.json.databases, []);
  const population = (await idOf('population'))!;
  const one = await dr(w.t, 'GET', `${DR}/database/${population}`, { as: w.nosy });
  assert.equal(one.statusCode, 403);
  assert.equal((await dr(w.t, 'DELETE', `${DR}/database/${population}`, { as: w.nosy })).statusCode, 409, 'a base registry is never removed, whoever asks');
  assert.equal((await dr(w.t, 'GET', `${DR}/database/x1`, { as: w.welfare })).json.errors[0].field, 'id');
  assert.equal((await dr(w.t, 'GET', `${DR}/database/99999`, { as: w.welfare })).statusCode, 404);
});

test('/databases and /database/{id} in the spec’s shapes, each schema showing only the granted fields', async () => {
  const all = await dr(w.t, 'GET', `${DR}/databases`, { as: w.welfare });
  assert.equal(all.statusCode, 200, all.body);
  assertSpec('database', '/databases', 'get', 200, all.json);
  const population = all.json.databases.find((d: { name: string }) => d.name === 'population');
  assert.deepEqual(all.json.databases.map((d: { name: string }) => d.name), ['population'], 'legal-entities is not published to B');
  assert.equal(population.version, '1.0');
  assert.equal(population.institution, 'Zhejiang Public Security Department');
  assert.deepEqual(Object.keys(population.schema.properties), POPULATION.fields.map((f) => f.name));
  assert.deepEqual(population.fieldsUniques, [['idNumber']]);
  assert.ok(population.schemaFlags.some((f: { name: string; path: string }) => f.name === 'primaryKey' && f.path === '/idNumber'));
  assert.ok(population.genericServices.some((s: { name: string; isVisible: boolean }) => s.name === 'data-read' && s.isVisible));
  assert.ok(population.genericServices.some((s: { name: string; isVisible: boolean }) => s.name === 'database-modify' && !s.isVisible));

  const one = await dr(w.t, 'GET', `${DR}/database/${population.id}`, { as: w.portal, headers: { 'accept-language': 'zh-CN' } });
  assert.equal(one.statusCode, 200, one.body);
  assertSpec('database', '/database/{id}', 'get', 200, one.json);
  assert.deepEqual(Object.keys(one.json.schema.properties), ['idNumber', 'name', 'sex', 'birthDate'], 'the granted fields and the always-present key');
  assert.equal(one.json.schema.properties.name.description, '姓名');
  assert.ok(one.json.schemaFlags.some((f: { name: string; path: string }) => f.name === 'masked' && f.path === '/idNumber'));
  assert.doesNotMatch(JSON.stringify(one.json.schema.properties) + JSON.stringify(one.json.schemaFlags), /ethnicity|hukouAddress/);

  // The owner sees its unpublished registries too, whole: it defines them.
  const owner = await dr(w.t, 'GET', `${DR}/databases`, { as: w.own });
  assert.deepEqual(owner.json.databases.map((d: { name: string }) => d.name).sort(), ['legal-entities', 'population']);
  const entities = owner.json.databases.find((d: { name: string }) => d.name === 'legal-entities');
  assert.deepEqual(Object.keys(entities.schema.properties), LEGAL_ENTITIES.fields.map((f) => f.name));
});

test('a published schema reads back into the same definition', async () => {
  for (const definition of [POPULATION, LEGAL_ENTITIES]) {
    const published = await dr(w.t, 'GET', `${DR}/database/${await idOf(definition.name)}`, { as: w.own });
    const copy = `${definition.name}-copy`;
    const res = await dr(w.t, 'POST', `${DR}/database/modify`, { as: w.own, body: { code: copy, catalogName: definition.titleEn, schema: { ...published.json.schema, filename: 'copy.json', creationDate: '2026-01-05' } } });
    assert.equal(res.statusCode, 200, res.body);
    assertSpec('database', '/database/modify', 'post', 200, res.json);
    const row = await w.t.services.registries.catalog.get(copy);
    assert.equal(canonicalJson({ ...row.definition, name: definition.name }), canonicalJson(definition), `${definition.name} round trip`);
  }
});

test('database/modify defines a registry, validated, and the owner uses it through the data API', async () => {
  const bad = await dr(w.t, 'POST', `${DR}/database/modify`, {
    as: w.welfare,
    body: mctsSchema({
      properties: {
        ID: { type: 'string', primaryKey: true },
        other: { type: 'string', primaryKey: true },
        child: { type: 'object', properties: { name: { type: 'string' } } },
        slow: { type: 'string', pattern: '^(a+)+$' },
        odd: { type: 'string', 'x-egov': { validators: [{ name: 'eval', code: '1' }] } },
        when: { type: 'string', format: 'email' },
        'bad name': { type: 'string' },
        shoe: { type: 'string', triggers: [{ actions: [{ type: 'set-value', value: 'x' }] }] },
      },
      filename: undefined,
    }),
  });
  assert.equal(bad.statusCode, 400, bad.body);
  const fields = bad.json.errors.map((e: { field: string }) => e.field);
  for (const field of ['schema.filename', 'schema.properties.child.type', 'schema.properties.slow', 'schema.properties.odd.x-egov.validators.0', 'schema.properties.when.format', 'schema.properties.bad name', 'schema.properties.shoe.triggers']) assert.ok(fields.includes(field), `names ${field}: ${bad.body}`);
  const twoKeys = await dr(w.t, 'POST', `${DR}/database/modify`, { as: w.welfare, body: mctsSchema({ properties: { ID: { type: 'string', primaryKey: true }, other: { type: 'string', primaryKey: true } } }) });
  assert.ok(twoKeys.json.errors.some((e: { code: string }) => e.code === 'primary_key'), twoKeys.body);
  assert.equal((await dr(w.t, 'POST', `${DR}/database/modify`, { as: w.welfare, body: { ...mctsSchema(), code: 'x' } })).json.errors[0].field, 'code');
  await assert.rejects(w.t.services.registries.catalog.get('mcts'), 'nothing was installed');

  // B's client system defines it: B owns it.
  const made = await dr(w.t, 'POST', `${DR}/database/modify`, { as: w.welfare, body: mctsSchema() });
  assert.equal(made.statusCode, 200, made.body);
  assertSpec('database', '/database/modify', 'post', 200, made.json);
  const row = await w.t.services.registries.catalog.get('mcts');
  assert.equal(row.owner_org_id, w.t.world.deptB.id);
  assert.equal(row.version, '1.0');
  assert.equal(row.definition.keyField, 'ID');
  assert.deepEqual(row.definition.fields.find((f) => f.name === 'visits')?.validators, [{ name: 'range', min: 0, max: 100 }]);
  const id = (await idOf('mcts', w.welfare))!;
  const info = await dr(w.t, 'GET', `${DR}/database/${id}`, { as: w.welfare });
  assert.equal(info.json.byUserName, w.welfare.identifier);
  assert.equal(info.json.schema.filename, 'mcts.json');

  // Published by B and granted to B's portal, its records are checked by the schema.
  const subsystem = (await w.t.services.directory.service.findSubsystemByIdentifier(w.welfare.identifier))!;
  const service = await w.t.request('POST', '/api/exchange/services', { as: w.t.world.adminB, body: { subsystemId: subsystem.id, code: 'mcts', backendUrl: 'egov:registries' } });
  assert.equal(service.statusCode, 201, service.body);
  await w.t.request('POST', `/api/exchange/services/${service.json.id}/rights`, { as: w.t.world.adminB, body: { clientKind: 'subsystem', client: w.portal.identifier } });
  const MCTS = `${DR}/data/mcts/1.0`;
  const card = { ID: 'MCTS31', childName: 'Usha', birthdate: '2021-01-30', visits: 3 };
  const created = await dr(w.t, 'POST', `${MCTS}/create`, { as: w.portal, body: { write: { content: card } } });
  assert.equal(created.statusCode, 200, created.body);
  assert.deepEqual(created.json.content, card);
  for (const [content, field] of [
    [{ ...card, ID: 'X1' }, 'ID'],
    [{ ...card, ID: 'MCTS32', visits: 101 }, 'visits'],
    [{ ...card, ID: 'MCTS33', motherId: '110105198005170112' }, 'motherId'],
    [{ ID: 'MCTS34' }, 'childName'],
  ] as const) {
    const res = await dr(w.t, 'POST', `${MCTS}/create`, { as: w.portal, body: { write: { content } } });
    assert.equal(res.statusCode, 400, res.body);
    assert.equal(res.json.errors[0].field, field);
  }

  // A change the records would not pass is refused; a compatible one is the next version.
  const incompatible = mctsSchema();
  (incompatible.schema.required as string[]).push('birthdate', 'motherId');
  const refused = await dr(w.t, 'POST', `${DR}/database/modify`, { as: w.welfare, body: incompatible });
  assert.equal(refused.statusCode, 409, refused.body);
  assert.equal(refused.json.code, 'records_disagree');
  assert.ok(refused.json.errors.some((e: { field: string }) => e.field === 'MCTS31.motherId'));
  assert.equal((await w.t.services.registries.catalog.get('mcts')).version, '1.0');
  const unchanged = await dr(w.t, 'POST', `${DR}/database/modify`, { as: w.welfare, body: mctsSchema() });
  assert.equal(unchanged.statusCode, 200);
  assert.equal((await w.t.services.registries.catalog.get('mcts')).version, '1.0', 'the same schema keeps its version');
  const compatible = mctsSchema();
  (compatible.schema.properties as Record<string, unknown>).notes = { type: 'string', maxLength: 500, description: 'Notes' };
  assert.equal((await dr(w.t, 'POST', `${DR}/database/modify`, { as: w.welfare, body: compatible })).statusCode, 200);
  assert.equal((await w.t.services.registries.catalog.get('mcts')).version, '1.1');
  assert.equal((await dr(w.t, 'GET', MCTS, { as: w.portal })).statusCode, 404, 'the old version is gone');
  assert.equal((await dr(w.t, 'GET', `${DR}/data/mcts/1.1`, { as: w.portal })).json.count, 1);

  // Only its owner (or the platform administrator) changes or removes it.
  assert.equal((await dr(w.t, 'POST', `${DR}/database/modify`, { as: w.own, body: compatible })).statusCode, 403);
  assert.equal((await w.t.request('POST', `${DR}/database/modify`, { as: w.t.world.adminA, headers: { 'information-mediator-client': w.own.identifier }, body: compatible })).statusCode, 403);
  const admin = await w.t.request('POST', `${DR}/database/modify`, { as: w.t.world.platformAdmin, headers: { 'information-mediator-client': w.own.identifier }, body: { ...compatible, version: '2.0' } });
  assert.equal(admin.statusCode, 200, admin.body);
  assert.equal((await w.t.services.registries.catalog.get('mcts')).version, '2.0');
  assert.equal((await w.t.services.registries.catalog.get('mcts')).owner_org_id, w.t.world.deptB.id, 'the owner stays');
  // It held a record: its schema stays.
  const inUse = await dr(w.t, 'DELETE', `${DR}/database/${id}`, { as: w.welfare });
  assert.equal(inUse.statusCode, 409);
  assert.equal(inUse.json.code, 'registry_in_use');
});

test('DELETE /database/{id}: never a base registry; an empty registry by its owner only', async () => {
  for (const name of ['population', 'legal-entities']) {
    const res = await dr(w.t, 'DELETE', `${DR}/database/${await idOf(name)}`, { as: w.own });
    assert.equal(res.statusCode, 409, res.body);
    assert.equal(res.json.code, 'base_registry');
    assert.match(res.json.detail, /base registry/);
    const modify = await dr(w.t, 'POST', `${DR}/database/modify`, { as: w.own, body: { ...mctsSchema(), code: name } });
    assert.equal(modify.statusCode, 409, 'nor is its schema changed here');
  }
  assert.equal((await w.t.services.registries.catalog.get('population')).definition.fields.length, POPULATION.fields.length);
  const made = await dr(w.t, 'POST', `${DR}/database/modify`, { as: w.own, body: { ...mctsSchema(), code: 'scratch' } });
  assert.equal(made.statusCode, 200, made.body);
  const id = (await idOf('scratch'))!;
  assert.equal((await dr(w.t, 'DELETE', `${DR}/database/${id}`, { as: w.welfare })).statusCode, 403);
  const removed = await dr(w.t, 'DELETE', `${DR}/database/${id}`, { as: w.own });
  assert.equal(removed.statusCode, 200, removed.body);
  assertSpec('database', '/database/{id}', 'delete', 200, removed.json);
  assert.equal(removed.json, 'Success');
  await assert.rejects(w.t.services.registries.catalog.get('scratch'));
  assert.equal((await dr(w.t, 'GET', `${DR}/database/${id}`, { as: w.own })).statusCode, 404);
  // Its number is not given to another registry.
  await dr(w.t, 'POST', `${DR}/database/modify`, { as: w.own, body: { ...mctsSchema(), code: 'scratch-two' } });
  assert.notEqual(await idOf('scratch-two'), id);
  const audit = await w.t.services.database.db.selectFrom('audit.events').select('subject_id').where('action', '=', 'registries.registry.delete').execute();
  assert.deepEqual(audit.map((a) => a.subject_id), ['scratch']);
});
