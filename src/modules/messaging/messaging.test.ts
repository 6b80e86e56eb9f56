// Messaging through its routes and a real SMTP conversation: a local SMTP sink started here
// (first absent, so the first send is refused and retried), the recipient's language in the
// email, preferences honoured, each account reading only its own inbox, bad input named.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTestApp, type TestApp } from '../../test-support/test-app.ts';
import type { DeliveryView } from './index.ts';
import { freePort, startSmtpSink, type SmtpSink } from './test-smtp-sink.ts';

let t: TestApp;
let sink: SmtpSink | undefined;
let port: number;
const officerEmail = 'officer.a@zj.gov.cn';
before(async () => {
  // Nothing listens on this port until the first test starts the sink there.
  port = await freePort();
  t = await createTestApp({ env: { EGOV_SMTP_URL: `smtp://127.0.0.1:${port}`, EGOV_SMTP_FROM: 'egov <no-reply@egov.test>', EGOV_MESSAGE_MAX_ATTEMPTS: '3', EGOV_MESSAGE_RETRY_SECONDS: '30' } });
  await t.services.messaging.service.updateRecipient(`staff:${t.world.officerA.id}`, { email: officerEmail, phone: '13812348000' });
});
after(async () => {
  await sink?.close();
  await t.close();
});

const messaging = () => t.services.messaging.service;
const officerSub = () => `staff:${t.world.officerA.id}`;
const count = async (table: string) => Number((await t.services.database.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
const email = (m: { deliveries: DeliveryView[] }) => m.deliveries.find((d) => d.channel === 'email')!;
const sms = (m: { deliveries: DeliveryView[] }) => m.deliveries.find((d) => d.channel === 'sms')!;

test('every route asks for a signed-in user', async () => {
  const id = '00000000-0000-4000-8000-000000000000';
  const routes: [string, string, unknown?][] = [
    ['GET', '/api/messages'],
    ['GET', '/api/messages/unread-count'],
    ['POST', '/api/messages/read-all'],
    ['GET', '/api/messages/preferences'],
    ['PUT', '/api/messages/preferences', { language: 'en' }],
    ['GET', '/api/messages/failed-deliveries'],
    ['POST', '/api/messages/notices', { to: officerSub(), title: 'x', text: 'y' }],
    ['GET', `/api/messages/${id}`],
    ['POST', `/api/messages/${id}/read`],
  ];
  for (const [method, url, body] of routes) assert.equal((await t.request(method, url, { body })).statusCode, 401, `${method} ${url}`);
});

test('an email the SMTP server refuses fails, and the sweep sends it once the server is back, in the recipient language', async () => {
  const sent = await messaging().send({ to: officerSub(), template: 'agent_authorized', vars: { enterprise: '杭州示例科技有限公司', services: '社保登记', until: '2027-06-30' } });
  const first = email(sent);
  assert.equal(first.status, 'failed', JSON.stringify(first));
  assert.equal(first.reason, 'retrying');
  assert.equal(first.attempts, 1);
  assert.match(first.error!, /ECONNREFUSED|connect/i);
  assert.equal(first.address, 'o***@zj.gov.cn', 'the address is masked');
  assert.equal(new Date(first.nextAttemptAt!).getTime() - t.clock.now().getTime(), 30_000);
  assert.equal(sms(sent).status, 'skipped', 'authorization SMS is off by default');
  assert.equal(sms(sent).reason, 'preference');

  sink = await startSmtpSink(port);
  // Not due yet: the sweep leaves it.
  await t.services.messaging.sweep();
  assert.equal(sink.received.length, 0);
  t.clock.advance(30_001);
  assert.ok((await t.services.messaging.sweep()) >= 1);
  assert.equal(sink.received.length, 1);
  const mail = sink.received[0];
  assert.deepEqual(mail.to, [officerEmail]);
  assert.equal(mail.from, 'no-reply@egov.test');
  assert.equal(mail.subject, '您已被授权为杭州示例科技有限公司的经办人');
  assert.match(mail.text, /杭州示例科技有限公司 已授权您代为办理以下事项：社保登记。授权有效期至 2027-06-30。/);

  const view = await t.request('GET', `/api/messages/${sent.id}`, { as: t.world.officerA });
  assert.equal(view.statusCode, 200, view.body);
  assert.deepEqual({ status: email(view.json).status, attempts: email(view.json).attempts, nextAttemptAt: email(view.json).nextAttemptAt, error: email(view.json).error }, { status: 'sent', attempts: 2, nextAttemptAt: null, error: null });
});

test("the recipient's language picks the text; the inbox lists, counts and marks read", async () => {
  const prefs = await t.request('PUT', '/api/messages/preferences', { as: t.world.officerA, body: { language: 'en' } });
  assert.equal(prefs.statusCode, 200, prefs.body);
  assert.equal(prefs.json.language, 'en');
  assert.equal(prefs.json.email, 'o***@zj.gov.cn');
  assert.equal(prefs.json.phone, '138****8000');
  const before = sink!.received.length;
  const sent = await messaging().send({ to: officerSub(), template: 'agent_revoked', vars: { enterprise: 'Hangzhou Example Tech' } });
  assert.equal(email(sent).status, 'sent');
  const mail = sink!.received[before];
  assert.equal(mail.subject, 'Hangzhou Example Tech has revoked your authorization');
  assert.equal(mail.text, 'Hangzhou Example Tech has revoked your authorization; you can no longer act for it. Ask the enterprise if you have questions.');

  const inbox = await t.request('GET', '/api/messages', { as: t.world.officerA });
  assert.equal(inbox.statusCode, 200, inbox.body);
  assert.equal(inbox.json.total, 2);
  assert.equal(inbox.json.unread, 2);
  assert.equal(inbox.json.items[0].id, sent.id, 'newest first');
  assert.equal(inbox.json.items[0].subject, 'Hangzhou Example Tech has revoked your authorization');
  assert.equal(inbox.json.items[1].language, 'zh-CN', 'a message keeps the language it was sent in');
  const read = await t.request('POST', `/api/messages/${sent.id}/read`, { as: t.world.officerA });
  assert.equal(read.statusCode, 200, read.body);
  assert.ok(read.json.readAt);
  assert.deepEqual((await t.request('GET', '/api/messages/unread-count', { as: t.world.officerA })).json, { unread: 1 });
  assert.equal((await t.request('GET', '/api/messages?unread=true', { as: t.world.officerA })).json.items.length, 1);
  assert.deepEqual((await t.request('POST', '/api/messages/read-all', { as: t.world.officerA })).json, { marked: 1 });
  assert.deepEqual((await t.request('GET', '/api/messages/unread-count', { as: t.world.officerA })).json, { unread: 0 });
});

test("an account reads and marks only its own messages: another's is not found", async () => {
  const mine = (await t.request('GET', '/api/messages', { as: t.world.officerA })).json.items[0].id as string;
  for (const as of [t.world.adminA, t.world.platformAdmin]) {
    assert.equal((await t.request('GET', `/api/messages/${mine}`, { as })).statusCode, 404, as.username);
    assert.equal((await t.request('POST', `/api/messages/${mine}/read`, { as })).statusCode, 404, as.username);
    const theirs = (await t.request('GET', '/api/messages', { as })).json;
    assert.equal(theirs.items.some((m: { id: string }) => m.id === mine), false);
  }
  assert.equal((await t.request('GET', '/api/messages/not-an-id', { as: t.world.adminA })).statusCode, 404);
});

test('preferences are honoured: a channel turned off is skipped and says why', async () => {
  const res = await t.request('PUT', '/api/messages/preferences', { as: t.world.officerA, body: { categories: [{ category: 'authorization', email: false, sms: true }] } });
  assert.equal(res.statusCode, 200, res.body);
  const authorization = res.json.categories.find((c: { category: string }) => c.category === 'authorization');
  assert.deepEqual({ inbox: authorization.inbox, email: authorization.email, sms: authorization.sms }, { inbox: true, email: false, sms: true });
  assert.equal(res.json.categories.find((c: { category: string }) => c.category === 'account').email, true, 'categories not named stay');
  const before = sink!.received.length;
  const sent = await messaging().send({ to: officerSub(), template: 'agent_revoked', vars: { enterprise: 'Example Ltd' } });
  assert.deepEqual(
    sent.deliveries.map((d) => [d.channel, d.status, d.reason]),
    [
      ['inbox', 'sent', null],
      ['email', 'skipped', 'preference'],
      ['sms', 'sent', null],
    ],
  );
  assert.equal(sms(sent).address, '138****8000');
  assert.equal(sink!.received.length, before, 'no email went out');
  // A notice: email and SMS are off by default.
  const notice = await messaging().send({ to: officerSub(), template: 'notice', vars: { title: 'Maintenance', text: 'Saturday 22:00' } });
  assert.deepEqual(notice.deliveries.map((d) => d.reason), [null, 'preference', 'preference']);
  // An account with no address on file: skipped for want of one.
  const admin = await messaging().send({ to: `staff:${t.world.adminA.id}`, template: 'account_deleted', vars: { name: '张三', date: '2026-12-03' } });
  assert.deepEqual(admin.deliveries.map((d) => d.reason), [null, 'no_address', 'no_address']);
});

test('a code goes only to the address given, stays out of the inbox, and its body is erased once delivered', async () => {
  const before = sink!.received.length;
  const sent = await messaging().send({ to: officerSub(), template: 'verification_code', vars: { code: '482913', minutes: 10 }, address: { email: 'new.address@zj.gov.cn' } });
  assert.deepEqual(
    sent.deliveries.map((d) => [d.channel, d.status, d.reason]),
    [
      ['email', 'sent', null],
      ['sms', 'skipped', 'not_requested'],
    ],
  );
  assert.deepEqual(sink!.received[before].to, ['new.address@zj.gov.cn']);
  assert.match(sink!.received[before].text, /Your verification code is 482913\. It is valid for 10 minutes\./);
  const row = await t.services.database.db.selectFrom('messaging.messages').select(['body', 'in_inbox']).where('id', '=', sent.id).executeTakeFirstOrThrow();
  assert.deepEqual(row, { body: '', in_inbox: false });
  assert.equal((await t.request('GET', `/api/messages/${sent.id}`, { as: t.world.officerA })).statusCode, 404);
});

test('a missing template variable is refused at send time, naming it, and nothing is written', async () => {
  const messages = await count('messaging.messages');
  await assert.rejects(
    // @ts-expect-error: the compiler already refuses a send without `until`.
    messaging().send({ to: officerSub(), template: 'agent_authorized', vars: { enterprise: 'X', services: 'Y' } }),
    (err: { code: string; errors: { field: string }[] }) => err.code === 'validation_failed' && err.errors.some((e) => e.field === 'vars.until'),
  );
  await assert.rejects(messaging().send({ to: officerSub(), template: 'notice', vars: { title: ' ', text: 'x' } }), (err: { errors: { field: string }[] }) => err.errors[0].field === 'vars.title');
  // @ts-expect-error: no such template.
  await assert.rejects(messaging().send({ to: officerSub(), template: 'nope', vars: {} }), (err: { errors: { field: string }[] }) => err.errors[0].field === 'template');
  await assert.rejects(messaging().send({ to: 'bob', template: 'notice', vars: { title: 'a', text: 'b' } }), (err: { errors: { field: string }[] }) => err.errors[0].field === 'to');
  assert.equal(await count('messaging.messages'), messages);
});

test('the platform admin sends a notice; other roles may not; bad input is named in both languages', async () => {
  const body = { to: officerSub(), title: '系统维护', text: '周六 22:00 至 24:00 系统维护。' };
  t.clock.advance(1000);
  for (const as of [t.world.officerA, t.world.adminA, t.world.securityAdmin]) assert.equal((await t.request('POST', '/api/messages/notices', { as, body })).statusCode, 403, as.username);
  const sent = await t.request('POST', '/api/messages/notices', { as: t.world.platformAdmin, body });
  assert.equal(sent.statusCode, 201, sent.body);
  assert.equal(sent.json.subject, '系统维护');
  assert.equal(sent.json.language, 'en', 'the officer chose English; a notice is the text as written');
  const inbox = (await t.request('GET', '/api/messages', { as: t.world.officerA })).json;
  assert.equal(inbox.items[0].id, sent.json.id);

  const messages = await count('messaging.messages');
  const cases: [unknown, string][] = [
    [{ ...body, title: '  ' }, 'title'],
    [{ ...body, text: 'x'.repeat(4001) }, 'text'],
    [{ ...body, to: 'nobody' }, 'to'],
    [{ ...body, extra: 1 }, 'extra'],
  ];
  for (const [b, field] of cases) {
    const res = await t.request('POST', '/api/messages/notices', { as: t.world.platformAdmin, body: b });
    assert.equal(res.statusCode, 400, `${field}: ${res.body}`);
    assert.ok(res.json.errors.some((e: { field: string }) => e.field === field), `${field} is named: ${res.body}`);
  }
  const zh = await t.request('POST', '/api/messages/notices', { as: t.world.platformAdmin, body: { ...body, title: '' }, headers: { 'accept-language': 'zh-CN' } });
  assert.match(zh.json.detail, /title（必填）/);
  assert.equal((await t.request('POST', '/api/messages/notices', { as: t.world.platformAdmin, body: { ...body, to: 'staff:00000000-0000-4000-8000-000000000000' } })).statusCode, 404);
  assert.equal(await count('messaging.messages'), messages);

  for (const [b, field] of [
    [{ language: 'fr' }, 'language'],
    [{ categories: [{ category: 'gossip', email: true, sms: true }] }, 'categories.0.category'],
    [{ categories: [{ category: 'notice', email: 'yes', sms: true }] }, 'categories.0.email'],
  ] as [unknown, string][]) {
    const res = await t.request('PUT', '/api/messages/preferences', { as: t.world.adminA, body: b, headers: { 'accept-language': 'zh-CN' } });
    assert.equal(res.statusCode, 400, `${field}: ${res.body}`);
    assert.ok(res.json.errors.some((e: { field: string }) => e.field === field), `${field} is named: ${res.body}`);
    assert.match(res.json.detail, /请求字段无效/);
  }
});

test('a server that keeps refusing is given up after the last attempt; the platform admin sees the failures, masked', async () => {
  sink!.refuse('550 5.1.1 mailbox officer.a@zj.gov.cn unavailable');
  const sent = await messaging().send({ to: officerSub(), template: 'account_deleted', vars: { name: 'Officer A', date: '2026-12-03' } });
  assert.equal(email(sent).status, 'failed');
  assert.doesNotMatch(email(sent).error!, /officer\.a@/, 'the address in the error is masked');
  for (let i = 0; i < 4; i++) {
    t.clock.advance(10 * 60_000);
    await t.services.messaging.sweep();
  }
  // The sessions idled out while the clock ran on.
  t.forgetSessions();
  const res = await t.request('GET', `/api/messages/${sent.id}`, { as: t.world.officerA });
  assert.equal(res.statusCode, 200, res.body);
  const view = res.json;
  assert.deepEqual({ status: email(view).status, reason: email(view).reason, attempts: email(view).attempts, next: email(view).nextAttemptAt }, { status: 'failed', reason: 'gave_up', attempts: 3, next: null });
  sink!.refuse(undefined);

  assert.equal((await t.request('GET', '/api/messages/failed-deliveries', { as: t.world.officerA })).statusCode, 403);
  const failed = await t.request('GET', '/api/messages/failed-deliveries', { as: t.world.platformAdmin });
  assert.equal(failed.statusCode, 200, failed.body);
  const row = failed.json.find((d: { messageId: string }) => d.messageId === sent.id);
  assert.equal(row.address, 'o***@zj.gov.cn');
  assert.equal(row.to, officerSub());
  assert.doesNotMatch(failed.body, /officer\.a@zj/);
});
