// One masking convention for the platform: the registries, the sign-in claims, the citizen
// pages and messaging all show an identifier the same way.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { keepEnds, maskCreditCode, maskEmail, maskIdNumber, maskName, maskPhone } from './mask.ts';

test('identifiers keep enough to recognise them, never enough to use them', () => {
  assert.equal(maskIdNumber('11010519491231002X'), '110105********002X');
  assert.equal(maskCreditCode('91110105MA0000X1AB'), '91110105*********B');
  assert.equal(maskName('欧阳娜娜'), '欧***');
  assert.equal(maskName('张'), '*');
  assert.equal(maskPhone('13812348000'), '138****8000');
  assert.equal(maskPhone('+86 138 1234 8000'), '+86138****8000');
  assert.equal(maskPhone('1234'), '****');
  assert.equal(maskEmail('zhang.san@example.cn'), 'z***@example.cn');
  assert.equal(maskEmail('nobody'), '***');
});

test('a value too short to keep both ends is hidden whole, counted in characters', () => {
  assert.equal(keepEnds('𠮷野家', 2, 2), '***');
  assert.equal(keepEnds('abcdef', 2, 1), 'ab***f');
});
