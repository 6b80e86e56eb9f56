import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatClientId, formatServiceId, IdentifierError, parseClientId, parseServicePath } from './identifiers.ts';

test('client identifiers: member or subsystem, percent-decoded per part', () => {
  assert.deepEqual(parseClientId('EGOV-DEMO/GOV/11990000QY000002XP/hukou'), { instance: 'EGOV-DEMO', memberClass: 'GOV', memberCode: '11990000QY000002XP', subsystem: 'hukou' });
  assert.deepEqual(parseClientId('EGOV-DEMO/GOV/11990000QY000002XP'), { instance: 'EGOV-DEMO', memberClass: 'GOV', memberCode: '11990000QY000002XP' });
  assert.deepEqual(parseClientId('EGOV-DEMO/GOV/m%C3%BCnchen/sub'), { instance: 'EGOV-DEMO', memberClass: 'GOV', memberCode: 'münchen', subsystem: 'sub' });
  assert.equal(formatClientId({ instance: 'EGOV-DEMO', memberClass: 'GOV', memberCode: 'a b', subsystem: 'c' }), 'EGOV-DEMO/GOV/a%20b/c');
});

test('service paths: the five-part identifier, then the path', () => {
  const parsed = parseServicePath('EGOV-DEMO/GOV/11990000QY000002XP/hukou/persons/v1/123');
  assert.deepEqual(parsed.service, { instance: 'EGOV-DEMO', memberClass: 'GOV', memberCode: '11990000QY000002XP', subsystem: 'hukou', service: 'persons' });
  assert.equal(parsed.path, '/v1/123');
  assert.equal(parseServicePath('I/GOV/M/S/svc').path, '');
  assert.equal(formatServiceId(parsed.service), 'EGOV-DEMO/GOV/11990000QY000002XP/hukou/persons');
});

test('malformed identifiers name the part that is wrong', () => {
  const fails = (fn: () => unknown, part: string, pattern: RegExp) => {
    assert.throws(fn, (err: unknown) => err instanceof IdentifierError && err.part === part && pattern.test(err.message));
  };
  fails(() => parseClientId('EGOV-DEMO/GOV'), 'client', /has 2 parts/);
  fails(() => parseClientId('EGOV-DEMO/GOV/a/b/c'), 'client', /has 5 parts/);
  fails(() => parseClientId('EGOV-DEMO/GOV/%E0%A4%A/sub'), 'member code', /percent-encoding/);
  fails(() => parseClientId('EGOV-DEMO/GOV/a%3Ab/sub'), 'member code', /may not hold/);
  fails(() => parseClientId('EGOV-DEMO//a/sub'), 'member class', /empty/);
  fails(() => parseClientId(`EGOV-DEMO/GOV/${'x'.repeat(256)}/s`), 'member code', /longer than 255/);
  fails(() => parseServicePath('I/GOV/M/S'), 'service', /has 4 parts/);
  fails(() => parseServicePath('I/GOV/M/S/svc/../../admin'), 'path', /\.\./);
  fails(() => parseServicePath('I/GOV/M/S/svc/%2E%2E/admin'), 'path', /\.\./);
  fails(() => parseServicePath('I/GOV/M/S/svc/a%2Fb'), 'path', /encoded slashes/);
  fails(() => parseServicePath('I/GOV/M/S/svc/%5C..'), 'path', /encoded slashes/);
  fails(() => parseServicePath('I/GOV/M/S%2F2/svc'), 'subsystem code', /may not hold/);
});
