// Reading cells by their item's type: canonical values, and a named problem for each kind of bad cell.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readCell } from './cells.ts';

const value = (type: Parameters<typeof readCell>[0], raw: string) => {
  const read = readCell(type, raw);
  assert.ok('value' in read, `${type} "${raw}": ${'problem' in read ? read.problem.message : ''}`);
  return read.value;
};
const problem = (type: Parameters<typeof readCell>[0], raw: string) => {
  const read = readCell(type, raw);
  assert.ok('problem' in read, `${type} "${raw}" should be refused`);
  assert.ok(read.problem.messageZh.length > 0);
  return read.problem.code;
};

test('empty cells are missing values of any type', () => {
  for (const type of ['string', 'integer', 'decimal', 'date', 'datetime', 'boolean', 'binary', 'geometry', 'other'] as const) assert.equal(value(type, '  '), null);
});

test('numbers: whole numbers within the safe range, decimals within 15 significant digits', () => {
  assert.equal(value('integer', ' -42 '), -42);
  assert.equal(problem('integer', '1.5'), 'integer');
  assert.equal(problem('integer', '9007199254740993'), 'integer');
  assert.equal(value('decimal', '120.1551'), 120.1551);
  assert.equal(value('decimal', '-.5e3'), -500);
  assert.equal(value('decimal', '0.000000000000000000123'), 1.23e-19);
  assert.equal(problem('decimal', '1,234.5'), 'decimal');
  assert.equal(problem('decimal', '12345678901234567.5'), 'precision');
  assert.equal(problem('decimal', 'NaN'), 'decimal');
});

test('dates are real calendar dates; date-times are ISO 8601', () => {
  assert.equal(value('date', '2024-02-29'), '2024-02-29');
  assert.equal(problem('date', '2026-02-29'), 'date');
  assert.equal(problem('date', '2026/03/01'), 'date');
  assert.equal(value('datetime', '2026-03-01 08:30:00+08:00'), '2026-03-01T08:30:00+08:00');
  assert.equal(value('datetime', '2026-03-01T08:30Z'), '2026-03-01T08:30Z');
  assert.equal(problem('datetime', '2026-13-01T08:30:00Z'), 'datetime');
  assert.equal(problem('datetime', '2026-03-01'), 'datetime');
});

test('yes and no in Chinese and English', () => {
  for (const raw of ['是', 'TRUE', 'yes', '1']) assert.equal(value('boolean', raw), true);
  for (const raw of ['否', 'false', 'No', '0']) assert.equal(value('boolean', raw), false);
  assert.equal(problem('boolean', '也许'), 'boolean');
});

test('geometry as GeoJSON or WKT, binary as Base64, text without NUL', () => {
  assert.equal(value('geometry', 'POINT (120.1 30.2)'), 'POINT (120.1 30.2)');
  assert.equal(value('geometry', '{"type":"Point","coordinates":[120.1,30.2]}'), '{"type":"Point","coordinates":[120.1,30.2]}');
  assert.equal(problem('geometry', '{"coordinates":[1,2]}'), 'geometry');
  assert.equal(problem('geometry', '120.1 30.2'), 'geometry');
  assert.equal(value('binary', 'aGVsbG8='), 'aGVsbG8=');
  assert.equal(problem('binary', 'not base64!'), 'base64');
  assert.equal(problem('string', 'a\u0000b'), 'nul_character');
  assert.equal(problem('string', 'x'.repeat(10_001)), 'length');
  assert.equal(value('string', ' 西湖 '), '西湖');
});
