// The messaging settings in config.ts: SMTP off by default, a bad address refused without
// echoing a password, a From address required with the server.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, loadConfig } from '../../config.ts';

test('SMTP is off by default; a server needs a From address; a bad address is refused without echoing it', () => {
  const base = { NODE_ENV: 'test' };
  const off = loadConfig(base);
  assert.deepEqual([off.smtpUrl, off.messageMaxAttempts, off.messageRetrySeconds], [undefined, 5, 30]);
  const on = loadConfig({ ...base, EGOV_SMTP_URL: 'smtps://mailer:s3cret@mail.example.gov.cn:465', EGOV_SMTP_FROM: 'egov <no-reply@example.gov.cn>', EGOV_MESSAGE_MAX_ATTEMPTS: '8' });
  assert.deepEqual([on.smtpUrl, on.smtpFrom, on.messageMaxAttempts], ['smtps://mailer:s3cret@mail.example.gov.cn:465', 'egov <no-reply@example.gov.cn>', 8]);
  assert.throws(() => loadConfig({ ...base, EGOV_SMTP_URL: 'smtp://mail.example.gov.cn:25' }), (err: Error) => err instanceof ConfigError && /EGOV_SMTP_FROM/.test(err.message));
  assert.throws(() => loadConfig({ ...base, EGOV_SMTP_URL: 'http://user:s3cret@mail.example.gov.cn', EGOV_SMTP_FROM: 'x@y.cn' }), (err: Error) => err instanceof ConfigError && /EGOV_SMTP_URL/.test(err.message) && !err.message.includes('s3cret'));
  assert.throws(() => loadConfig({ ...base, EGOV_MESSAGE_MAX_ATTEMPTS: '0' }), ConfigError);
});
