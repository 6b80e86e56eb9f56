// GB/T 36904 licence identifiers and their ISO 7064 MOD 37,36 check character.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildLicenceId, licenceIdProblems, mod3736, parseLicenceId } from './identifier.ts';

test('MOD 37,36 follows the standard recursion, worked by hand for short values', () => {
  // "0": p=36 → s=(36+0)%36=0→36 → p=72%37=35 → check A36[(37-35)%36]=A36[2]="2".
  assert.equal(mod3736('0'), '2');
  // "A" (10): s=(36+10)%36=10 → p=20 → check A36[17]="H".
  assert.equal(mod3736('A'), 'H');
  // "Z" (35): s=(36+35)%36=35 → p=70%37=33 → check A36[4]="4".
  assert.equal(mod3736('Z'), '4');
  // "10": "1": s=1 → p=2; "0": s=2 → p=4 → check A36[33]="X".
  assert.equal(mod3736('10'), 'X');
  assert.throws(() => mod3736('a'), /not a character/);
});

test('appending the check character makes a value that verifies: a recomputed check of any changed character differs', () => {
  const value = '11330000002482097L001113300000024820971202600001001';
  const check = mod3736(value);
  for (let i = 0; i < value.length; i++) {
    const changed = value.slice(0, i) + (value[i] === '0' ? '1' : '0') + value.slice(i + 1);
    assert.notEqual(mod3736(changed), check, `a change at ${i} is caught`);
  }
  // Swapping two adjacent different characters is caught too.
  const swapped = value.slice(0, 2) + value[3] + value[2] + value.slice(4);
  if (swapped !== value) assert.notEqual(mod3736(swapped), check);
});

test('an identifier is built from valid parts and parses back; a wrong check character or part is refused', () => {
  const parts = { type: '11330000002482097L001', issuer: '11330000002482097L', serial: '202600001', version: '001' };
  const id = buildLicenceId(parts);
  assert.match(id, /^1\.2\.156\.3005\.2\.11330000002482097L001\.11330000002482097L\.202600001\.001\.[0-9A-Z]$/);
  assert.deepEqual(parseLicenceId(id), parts);
  const wrong = id.slice(0, -1) + (id.endsWith('0') ? '1' : '0');
  assert.equal(parseLicenceId(wrong), undefined);
  assert.equal(parseLicenceId(id.replace('202600001', '202600002')), undefined, 'the serial changed, the check no longer fits');
  assert.equal(parseLicenceId('1.2.156.3005.2.x'), undefined);
  assert.deepEqual(licenceIdProblems({ ...parts, issuer: 'nope', version: '1' }).map((p) => p.field), ['issuer', 'version']);
  assert.throws(() => buildLicenceId({ ...parts, serial: 'abc' }), /serial/);
});
