// Codes through messaging (src/app.ts wires citizens to it): a citizen's registration gives
// messaging their contacts and language; a password reset code arrives by email at a local
// SMTP sink started here, in that language, stays out of the inbox, and works; deletion
// leaves messaging no address.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { TestApp } from '../../../test-support/test-app.ts';
import { freePort, startSmtpSink, type SmtpSink } from '../../messaging/test-smtp-sink.ts';
import { asCitizen, buildCitizen, buildCitizenWorld, buildPerson, CITIZEN_PASSWORD, signInCitizen } from './test-world.ts';

let t: TestApp;
let sink: SmtpSink;
before(async () => {
  sink = await startSmtpSink(await freePort());
  ({ t } = await buildCitizenWorld({ env: { EGOV_SMTP_URL: `smtp://127.0.0.1:${sink.port}`, EGOV_SMTP_FROM: 'egov <no-reply@egov.test>' } }));
});
after(async () => {
  await t?.close();
  await sink?.close();
});

const NEW_PASSWORD = 'Reset#2026-new-pw';

async function mailTo(address: string, count = 1): Promise<{ subject: string; text: string }> {
  for (let i = 0; i < 100; i++) {
    const mails = sink.received.filter((m) => m.to.includes(address));
    if (mails.length >= count) return mails[count - 1];
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.fail(`no mail to ${address}`);
}

test('a reset code arrives by email and sets the new password; registration gave messaging the contacts', async () => {
  const citizen = await buildCitizen(t);
  const prefs = await t.services.messaging.service.preferences(citizen.sub);
  assert.equal(prefs.language, 'zh-CN');
  assert.ok(prefs.email && prefs.phone, 'the contacts registered with are on file in messaging');

  const asked = await t.request('POST', '/api/citizen/password-reset', { body: { login: citizen.email } });
  assert.equal(asked.statusCode, 202, asked.body);
  const mail = await mailTo(citizen.email);
  assert.equal(mail.subject, '重置密码验证码');
  const code = /验证码是 (\d{6})/.exec(mail.text)?.[1];
  assert.ok(code, mail.text);
  assert.match(mail.text, /10 分钟内有效/);

  // A sensitive message: not kept in the inbox.
  assert.equal((await t.services.messaging.service.inbox(citizen.sub, {})).total, 0);

  const confirmed = await t.request('POST', '/api/citizen/password-reset/confirm', { body: { login: citizen.email, code, newPassword: NEW_PASSWORD } });
  assert.equal(confirmed.statusCode, 204, confirmed.body);
  assert.equal((await t.request('POST', '/api/citizen/session', { body: { login: citizen.phone, password: CITIZEN_PASSWORD } })).statusCode, 401);
  assert.equal((await signInCitizen(t, citizen.phone, NEW_PASSWORD)).csrfToken.length > 0, true);
  // The code worked once.
  const again = await t.request('POST', '/api/citizen/password-reset/confirm', { body: { login: citizen.email, code, newPassword: `${NEW_PASSWORD}2` } });
  assert.equal(again.statusCode, 400);
});

test('a citizen who registered in English gets the code in English; deletion clears the contacts in messaging', async () => {
  const person = await buildPerson(t);
  const email = `english.${process.pid}@example.cn`;
  const registered = await t.request('POST', '/api/citizen/register', { headers: { 'accept-language': 'en-GB,en;q=0.9' }, body: { idNumber: person.idNumber, name: person.name, email, password: CITIZEN_PASSWORD } });
  assert.equal(registered.statusCode, 201, registered.body);
  const sub = registered.json.sub as string;
  assert.equal((await t.services.messaging.service.preferences(sub)).language, 'en');

  assert.equal((await t.request('POST', '/api/citizen/password-reset', { body: { login: person.idNumber } })).statusCode, 202);
  const mail = await mailTo(email);
  assert.equal(mail.subject, 'Password reset code');
  assert.match(mail.text, /Your code is \d{6}, valid for 10 minutes/);

  const session = await signInCitizen(t, email);
  const deleted = await asCitizen(t, session, 'POST', '/api/citizen/account/delete', { password: CITIZEN_PASSWORD });
  assert.equal(deleted.statusCode, 204, deleted.body);
  const prefs = await t.services.messaging.service.preferences(sub);
  assert.deepEqual([prefs.email, prefs.phone], [null, null]);
});
