import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildCreditCode, checkCreditCode, orgCodeCheckPasses } from './credit-code.ts';
import { createDivisionIndex, divisionLevelOf, divisionWithin } from './division.ts';
import { parseIdNumber } from './id-number.ts';

test('credit code: the published sample passes and a changed check character fails', () => {
  assert.equal(checkCreditCode('91110000600037341L'), undefined);
  assert.equal(checkCreditCode('91110000600037341M'), 'check_character');
  assert.equal(checkCreditCode('91110000600037341'), 'format');
  assert.equal(checkCreditCode('9111000060003734IL'), 'format', 'I is not in the alphabet');
});

test('credit code: built codes pass both checks', () => {
  const code = buildCreditCode('1', '1', '990000', '00000001');
  assert.equal(code.length, 18);
  assert.equal(checkCreditCode(code), undefined);
  assert.ok(orgCodeCheckPasses(code));
  assert.ok(orgCodeCheckPasses('91110000600037341L'));
});

test('id number: samples pass, lowercase x normalises, bad dates and checks fail', () => {
  for (const id of ['11010519491231002X', '440524188001010014', '34052419800101001X']) {
    assert.ok('normalized' in parseIdNumber(id), id);
  }
  const lower = parseIdNumber('11010519491231002x');
  assert.ok('normalized' in lower && lower.normalized === '11010519491231002X' && lower.sex === 'female');
  assert.deepEqual(parseIdNumber('110105194912310021'), { problem: 'check_character' });
  assert.deepEqual(parseIdNumber('110105194902300021'), { problem: 'birth_date' });
});

test('division codes: levels, containment and the national list', () => {
  assert.equal(divisionLevelOf('110000'), 'province');
  assert.equal(divisionLevelOf('110100'), 'city');
  assert.equal(divisionLevelOf('110105'), 'county');
  assert.equal(divisionLevelOf('11010'), undefined);
  assert.ok(divisionWithin('110105', '110000'));
  assert.ok(!divisionWithin('120105', '110000'));
  const index = createDivisionIndex([{ code: '990000', name: '青云省', level: 'province', parent: undefined, source: 'local' }]);
  assert.equal(index.find('110105')?.name, '朝阳区');
  assert.equal(index.find('990000')?.name, '青云省');
  assert.equal(index.find('990101'), undefined);
  assert.ok(index.search('朝阳', 5).some((d) => d.code === '110105'));
});
