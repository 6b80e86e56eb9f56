// The template registry: both languages of every template use exactly its declared
// variables (a variable suffixed Zh or En only in its own language), and rendering refuses a
// missing one.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ValidationError } from '../../platform/errors.ts';
import { CATEGORIES, LANGUAGES, TEMPLATE_KEYS, TEMPLATES, placeholdersOf, render } from './templates.ts';

test('identity has its templates, each in both languages with its declared variables and no other', () => {
  for (const key of ['verification_code', 'password_reset_code', 'account_deleted', 'agent_authorized', 'agent_revoked', 'notice']) assert.ok(TEMPLATE_KEYS.includes(key as never), key);
  for (const key of TEMPLATE_KEYS) {
    const template = TEMPLATES[key];
    assert.ok(Object.hasOwn(CATEGORIES, template.category), `${key}: category`);
    const declared = new Set<string>(template.vars);
    for (const language of LANGUAGES) {
      const text = template.text[language];
      assert.ok(text.subject.trim() && text.body.trim(), `${key} ${language}: text`);
      const used = new Set([...placeholdersOf(text.subject), ...placeholdersOf(text.body)]);
      // A variable in one language only (whatZh, whatEn: words the sender has in both) is used by that language's text alone.
      const other = language === 'en' ? 'Zh' : 'En';
      const expected = [...declared].filter((v) => !v.endsWith(other));
      assert.deepEqual([...used].sort(), expected.sort(), `${key} ${language}: placeholders are the declared variables`);
    }
  }
});

test('rendering fills every placeholder, keeps a subject on one line, and refuses a missing variable naming it', () => {
  assert.deepEqual(render('verification_code', 'zh-CN', { code: '123456', minutes: 5 }), {
    subject: '您的验证码',
    body: '您的验证码是 123456，5 分钟内有效。请勿告诉他人；如非本人操作，请忽略本消息。',
  });
  assert.equal(render('notice', 'en', { title: 'Line one\r\nline two', text: 'a\nb' }).subject, 'Line one line two');
  assert.equal(render('notice', 'en', { title: 'T', text: 'a\nb' }).body, 'a\nb');
  // A value that looks like a placeholder is not filled again.
  assert.equal(render('notice', 'en', { title: '{text}', text: 'x' }).subject, '{text}');
  for (const vars of [{ code: '1' }, { code: '1', minutes: '' }, { code: '1', minutes: null }, { code: '1', minutes: { toString: () => '5' } }]) {
    assert.throws(
      () => render('verification_code', 'en', vars),
      (err: unknown) => err instanceof ValidationError && err.errors.length === 1 && err.errors[0].field === 'vars.minutes' && /minutes/.test(err.errors[0].messageZh!),
      JSON.stringify(vars),
    );
  }
});
