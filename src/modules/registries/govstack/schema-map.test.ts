// The mapping between registry definitions and the GovStack database schema, as pure logic:
// every base record registry survives the round trip, a schema without x-egov is read from
// its JSON Schema keywords, problems name their place, and client patterns that could take
// exponential time are refused.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canonicalJson } from '../../../platform/canonical-json.ts';
import { BASE_REGISTRIES } from '../definitions/index.ts';
import { definitionToSchema, isSafePattern, nextVersion, sameDefinition, schemaToDefinition } from './schema-map.ts';

const meta = { filename: 'f.json', creationDate: '2026-01-05' };

test('each base record registry reads back from its published schema unchanged, in either language', () => {
  for (const definition of BASE_REGISTRIES.filter((d) => d.kind === 'records')) {
    for (const lang of ['zh', 'en'] as const) {
      const schema = definitionToSchema(definition, definition.fields, meta, lang);
      const back = schemaToDefinition({ code: definition.name, schema }, definition.version);
      assert.deepEqual(back.errors, []);
      assert.equal(canonicalJson(back.definition), canonicalJson(definition), `${definition.name} (${lang})`);
      assert.ok(sameDefinition(back.definition!, { ...definition, version: '9.9' }));
    }
  }
});

test('a plain JSON Schema becomes fields with validators; egov defaults fill the rest', () => {
  const { definition, errors } = schemaToDefinition(
    {
      code: 'MCR',
      catalogName: 'Mother and Child',
      schema: {
        description: 'Cards',
        filename: 'a.json',
        creationDate: '2026-01-05',
        properties: {
          ID: { type: 'string', primaryKey: true, readOnly: true, description: 'Registration ID', example: 'MCTS31', id: 1, triggers: [] },
          kind: { type: 'string', enum: ['a.b', 'c'], id: 3 },
          amount: { type: 'number', minimum: 0, id: 2 },
          tags: { type: 'array', items: { type: 'string' }, maxLength: 10, id: 4 },
        },
      },
    },
    '1.0',
  );
  assert.deepEqual(errors, []);
  assert.equal(definition!.name, 'mcr');
  assert.equal(definition!.titleEn, 'Mother and Child');
  assert.equal(definition!.keyField, 'ID');
  assert.deepEqual(definition!.fields.map((f) => [f.name, f.type, f.required ?? false]), [
    ['ID', 'string', true],
    ['amount', 'decimal', false],
    ['kind', 'string', false],
    ['tags', 'string-list', false],
  ]);
  const kind = definition!.fields.find((f) => f.name === 'kind')!;
  assert.deepEqual(kind.validators, [{ name: 'pattern', pattern: '^(?:a\\.b|c)$', hintEn: 'must be one of: a.b, c', hintZh: '应为以下之一：a.b、c' }]);
  assert.equal(kind.sensitivity, 'internal');
  assert.deepEqual(definition!.fields.find((f) => f.name === 'amount')!.validators, [{ name: 'range', min: 0 }]);
});

test('problems name their place in the body', () => {
  const { errors } = schemaToDefinition(
    {
      code: 'Bad Code',
      schema: {
        type: 'array',
        description: '',
        filename: 'x',
        properties: {
          key: { type: 'boolean', primaryKey: true },
          nested: { type: 'object', properties: {} },
          a: { type: 'string', 'x-egov': { validators: [{ name: 'range', min: 1 }], sensitivity: 'secret' }, default: 'x' },
          b: { type: 'integer', 'x-egov': { type: 'date' } },
        },
        required: ['nobody'],
        'x-egov': { rules: ['make-it-up'] },
      },
    },
    '1.0',
  );
  const fields = errors.map((e) => e.field);
  for (const field of ['code', 'schema.type', 'schema.description', 'schema.creationDate', 'schema.properties.nested.type', 'schema.properties.a.x-egov.validators.0', 'schema.properties.a.x-egov.sensitivity', 'schema.properties.a.default', 'schema.properties.b.x-egov.type', 'schema.required', 'schema.x-egov.rules']) {
    assert.ok(fields.includes(field), `names ${field}: ${JSON.stringify(fields)}`);
  }
  assert.ok(errors.every((e) => e.message && e.messageZh), 'in both languages');
  const key = schemaToDefinition({ code: 'ok', schema: { description: 'd', filename: 'f', creationDate: 'c', properties: { key: { type: 'boolean', primaryKey: true } } } }, '1.0');
  assert.equal(key.errors[0].field, 'schema.properties.key.type');
  assert.equal(key.errors[0].code, 'primary_key_type');
});

test('patterns that can take exponential time are refused; ordinary ones pass', () => {
  for (const pattern of ['^[A-Z]{2}\\d{6}$', '^MCTS[0-9]{1,8}$', '^(?:a|b|c)$', '^\\+?[0-9 ]{7,15}$', '^[^@]+@[^@]+$', '^(ab)?c$', '[(]+']) assert.ok(isSafePattern(pattern), pattern);
  for (const pattern of ['^(a+)+$', '(a|a)*', '(x*)*y', '^(\\d+\\.)+$', '(a)\\1', '(?<n>a)\\k<n>', '(', '((a)+)+']) assert.ok(!isSafePattern(pattern), pattern);
});

test('versions go up by a minor step', () => {
  assert.equal(nextVersion('1.0'), '1.1');
  assert.equal(nextVersion('1.9'), '1.10');
  assert.equal(nextVersion('2'), '2.1');
  assert.equal(nextVersion('x'), '1.0');
});
