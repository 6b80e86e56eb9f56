// What a consumer with a partial right sees: granted fields in full, the identifier masked,
// everything else left out.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LEGAL_ENTITIES, POPULATION } from '../definitions/index.ts';
import { maskValue, projectRecord } from './project.ts';

const person = { idNumber: '11010519491231002X', name: '欧阳娜娜', sex: '2', birthDate: '1949-12-31', ethnicity: '01', hukouDivision: '110105', hukouAddress: '北京市朝阳区建国路 1 号', maritalStatus: '20', spouseId: '110105194901010017', status: 'living' };

test('masks keep enough to recognise a value, never enough to use it', () => {
  assert.equal(maskValue('id-number', '11010519491231002X'), '110105********002X');
  assert.equal(maskValue('credit-code', '91110105MA0000X1AB'), '91110105*********B');
  assert.equal(maskValue('name', '欧阳娜娜'), '欧***');
  assert.equal(maskValue('address', '北京市朝阳区建国路 1 号'), '北京市朝阳区*******');
  assert.deepEqual(maskValue('all', ['ab', 'c']), ['**', '*']);
});

test('a partial right: granted fields shown, the key masked, the rest omitted', () => {
  const seen = projectRecord(POPULATION, person, ['name', 'status']);
  assert.deepEqual(seen.record, { idNumber: '110105********002X', name: '欧阳娜娜', status: 'living' });
  assert.deepEqual(seen.shown, ['name', 'status']);
  assert.deepEqual(seen.masked, ['idNumber']);
  for (const leaked of ['spouseId', 'birthDate', 'hukouAddress', 'ethnicity']) assert.ok(!(leaked in seen.record), leaked);
  assert.ok(!JSON.stringify(seen.record).includes('19491231'));
});

test('everything granted (null) or the key granted shows it in full', () => {
  assert.deepEqual(projectRecord(POPULATION, person, null).record, person);
  assert.equal(projectRecord(POPULATION, person, ['idNumber']).record.idNumber, person.idNumber);
  const entity = { creditCode: '91110105MA0000X1AB', name: '北京测试科技有限公司', legalRepId: person.idNumber };
  assert.deepEqual(projectRecord(LEGAL_ENTITIES, entity, ['name']).record, { creditCode: '91110105*********B', name: '北京测试科技有限公司' });
});
