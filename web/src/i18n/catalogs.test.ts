import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AUDIT_ACTIONS } from '../features/audit/actions.ts';
import { en } from './en.ts';
import { zhCN } from './zh-CN.ts';

const catalogs: Record<string, Record<string, string>> = { 'zh-CN': zhCN, en };

test('both catalogs have exactly the same keys', () => {
  const zhKeys = Object.keys(zhCN).sort();
  const enKeys = Object.keys(en).sort();
  assert.deepEqual(
    zhKeys.filter((k) => !enKeys.includes(k)),
    [],
    'keys in zh-CN but missing from en',
  );
  assert.deepEqual(
    enKeys.filter((k) => !zhKeys.includes(k)),
    [],
    'keys in en but missing from zh-CN',
  );
  assert.ok(zhKeys.length > 100, `expected a full catalog, got ${zhKeys.length} keys`);
});

test('no catalog has an empty message', () => {
  for (const [lang, catalog] of Object.entries(catalogs)) {
    for (const [key, message] of Object.entries(catalog)) {
      assert.equal(typeof message, 'string', `${lang} ${key} is not a string`);
      assert.notEqual(message.trim(), '', `${lang} ${key} is empty`);
    }
  }
});

test('placeholders match between the catalogs', () => {
  const placeholders = (message: string) => [...message.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
  for (const key of Object.keys(zhCN) as (keyof typeof zhCN)[]) {
    assert.deepEqual(placeholders(en[key]), placeholders(zhCN[key]), `placeholders differ for ${key}`);
  }
});

test('every role, organization type, level, outcome and audit action has a label', () => {
  const required = [
    ...['platform_admin', 'org_admin', 'officer', 'security_admin', 'audit_admin'].map((r) => `role.${r}`),
    ...['government', 'organ', 'institution', 'social_org', 'enterprise', 'other'].map((t) => `orgType.${t}`),
    ...['central', 'province', 'city', 'county'].map((l) => `level.${l}`),
    ...['success', 'failure'].map((o) => `audit.outcome.${o}`),
    ...AUDIT_ACTIONS.map((a) => `audit.action.${a}`),
    ...['invalid_credentials', 'account_locked', 'rate_limited', 'weak_password', 'version_conflict', 'has_active_children'].map((c) => `error.${c}`),
  ];
  for (const key of required) assert.ok(key in zhCN, `missing ${key}`);
});
