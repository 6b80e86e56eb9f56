// Delivery below HTTP: a node without SMTP says email is disabled, the log SMS adapter masks
// the number, failures are logged without addresses, and a send cut off by a crash (the
// message already committed) is delivered once by the next process's sweep.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import pino from 'pino';
import { createAudit } from '../../platform/audit.ts';
import { manualClock } from '../../platform/clock.ts';
import { REDACTED_PATHS, type Logger } from '../../platform/logger.ts';
import { useMigratedTestDatabase } from '../../test-support/database.ts';
import { createMessaging, type EmailSender, type OutgoingEmail } from './index.ts';

const database = useMigratedTestDatabase();
const clock = manualClock(new Date('2026-12-03T02:00:00Z'));

/** The app's logger (same redaction) writing into an array. */
function captureLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { logger: pino({ level: 'info', redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, stream), lines };
}

function messagingWith(options: { email?: EmailSender; logger?: Logger; smtp?: boolean } = {}) {
  const db = database().database.db;
  return createMessaging({
    db,
    audit: createAudit({ db, clock, algorithm: 'sha256' }),
    clock,
    logger: options.logger ?? captureLogger().logger,
    smtp: options.smtp ? { url: 'smtp://127.0.0.1:9', from: 'egov <no-reply@egov.test>' } : undefined,
    email: options.email,
    settings: { maxAttempts: 3, retrySeconds: 30 },
    accountExists: async () => true,
  });
}

test('without SMTP, email is skipped as disabled; the log SMS adapter sends with the number masked', async () => {
  const { logger, lines } = captureLogger();
  const m = messagingWith({ logger });
  await m.service.updateRecipient('citizen:c1', { email: 'li.si@example.cn', phone: '+8613812348000', language: 'en' });
  const sent = await m.service.send({ to: 'citizen:c1', template: 'password_reset_code', vars: { code: '771204', minutes: 15 } });
  assert.deepEqual(
    sent.deliveries.map((d) => [d.channel, d.status, d.reason]),
    [
      ['email', 'skipped', 'disabled'],
      ['sms', 'sent', null],
    ],
  );
  const log = lines.join('');
  assert.match(log, /\+86138\*{4}8000/, 'the number is masked');
  assert.doesNotMatch(log, /13812348000/, 'never in clear');
  assert.doesNotMatch(log, /li\.si@/);
  assert.match(log, /Password reset code: You asked to reset your password\. Your code is 771204/, 'in the recipient language');
});

test('a failing provider is logged and recorded without the address in clear', async () => {
  const { logger, lines } = captureLogger();
  const m = messagingWith({
    logger,
    email: {
      async send(mail) {
        throw new Error(`550 5.1.1 <${mail.to}> user unknown; call 13812348000`);
      },
    },
  });
  await m.service.updateRecipient('citizen:c2', { email: 'wang.wu@example.cn' });
  const sent = await m.service.send({ to: 'citizen:c2', template: 'account_deleted', vars: { name: '王五', date: '2026-12-03' } });
  const email = sent.deliveries.find((d) => d.channel === 'email')!;
  assert.equal(email.status, 'failed');
  assert.equal(email.error, '550 5.1.1 <w***@example.cn> user unknown; call 138****8000');
  const log = lines.join('');
  assert.match(log, /will retry/);
  assert.doesNotMatch(log, /wang\.wu@|13812348000/);
});

test('a send cut off by a crash is delivered once by the next process, after its lease runs out', async () => {
  const db = database().database.db;
  let seenAtSend: { status: string; count: number } | undefined;
  let messageId = '';
  // The first process commits the message, hands the email over and dies before hearing back.
  const crashed = messagingWith({
    email: {
      async send(mail) {
        messageId = mail.messageId;
        const rows = await db.selectFrom('messaging.deliveries').select(['status']).where('message_id', '=', mail.messageId).execute();
        seenAtSend = { status: rows.find((r) => r.status !== 'sent' && r.status !== 'skipped')?.status ?? '', count: rows.length };
        return new Promise<void>(() => {});
      },
    },
  });
  await crashed.service.updateRecipient('citizen:c3', { email: 'zhao.liu@example.cn' });
  void crashed.service.send({ to: 'citizen:c3', template: 'agent_authorized', vars: { enterprise: '示例公司', services: '纳税申报', until: '2027-01-31' } });
  for (let i = 0; i < 200 && !seenAtSend; i++) await new Promise((r) => setTimeout(r, 10));
  assert.deepEqual(seenAtSend, { status: 'queued', count: 3 }, 'the message and all its deliveries were committed before sending');

  const outbox: OutgoingEmail[] = [];
  const next = messagingWith({ email: { send: async (mail) => void outbox.push(mail) } });
  await next.sweep();
  assert.equal(outbox.filter((m) => m.messageId === messageId).length, 0, 'the lease of the attempt in flight is respected');
  clock.advance(2 * 60_000 + 1);
  // (The sweep also retries the earlier test's failed email, whose time has come too.)
  assert.ok((await next.sweep()) >= 1);
  assert.equal(await next.sweep(), 0, 'nothing is due twice');
  const mine = outbox.filter((m) => m.messageId === messageId);
  assert.equal(mine.length, 1, 'sent once');
  assert.equal(mine[0].to, 'zhao.liu@example.cn');
  assert.equal(mine[0].subject, '您已被授权为示例公司的经办人');
  const row = await db.selectFrom('messaging.deliveries').select(['status', 'attempts']).where('message_id', '=', mine[0].messageId).where('channel', '=', 'email').executeTakeFirstOrThrow();
  assert.deepEqual(row, { status: 'sent', attempts: 2 });
});
