// The public portal over HTTP: pages without JavaScript in both languages, the search box,
// events, registration by form (bad input refused by field, nothing written), and a citizen
// signing in through the provider to "my space", which shows their own messages and who read
// their population record (the registration's real-name check, read through the exchange).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import zlib from 'node:zlib';
import { asCitizen, buildCitizen, buildCitizenWorld, buildEntity, buildPerson, CITIZEN_PASSWORD, counts, newIdNumber, signInCitizen } from '../identity/citizens/test-world.ts';
import { createBrowser, formOf, freePort } from '../identity/oidc/test-browser.ts';
import type { TestApp } from '../../test-support/test-app.ts';
import { PORTAL_EVENTS } from './index.ts';
import { buildServiceBody } from '../services/catalog/test-fixtures.ts';
import type { CodeMessage } from '../identity/citizens/code-sender.ts';
import { totpCode } from '../identity/index.ts';

let t: TestApp;
let issuer: string;

before(async () => {
  const port = await freePort();
  issuer = `http://127.0.0.1:${port}`;
  ({ t } = await buildCitizenWorld({ env: { EGOV_PUBLIC_URL: issuer } }));
  await t.http.listen({ port, host: '127.0.0.1' });
});
after(async () => t?.close());

const get = (url: string, headers: Record<string, string> = {}) => t.http.inject({ method: 'GET', url, headers });
const postForm = (url: string, form: Record<string, string>, headers: Record<string, string> = {}) =>
  t.http.inject({ method: 'POST', url, headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, payload: new URLSearchParams(form).toString() });

/** Signs a citizen in through the provider as a browser would: portal → provider's page → callback → my space. */
async function signInThroughProvider(login: string, password = CITIZEN_PASSWORD) {
  const browser = createBrowser();
  const start = await browser.request(`${issuer}/api/citizen/oidc/start?next=/me`);
  assert.equal(start.status, 303);
  const auth = new URL(start.location!);
  assert.equal(auth.searchParams.get('client_id'), 'egov-portal');
  assert.equal(auth.searchParams.get('code_challenge_method'), 'S256');
  const signInPage = await browser.follow(start.location!, `${issuer}/api/citizen/oidc/callback`);
  assert.equal(signInPage.status, 200, signInPage.body.slice(0, 300));
  assert.match(signInPage.body, /政务服务门户/, 'the provider names the portal');
  assert.match(signInPage.body, /href="\/password-reset\?lang=zh-CN">忘记密码？/, 'a forgotten password is reset on the portal');
  const form = formOf(signInPage);
  const done = await browser.follow(form.action, `${issuer}/me`, { form: { ...form.fields, kind: 'citizen', login, password } });
  return { browser, done };
}

describe('the public portal', () => {
  it('serves the home page at / without JavaScript, in Chinese by default and in English when asked', async () => {
    const zh = await get('/');
    assert.equal(zh.statusCode, 200);
    assert.match(String(zh.headers['content-type']), /text\/html/);
    assert.match(zh.body, /<html lang="zh-CN">/);
    assert.doesNotMatch(zh.body, /<script/i, 'no JavaScript at all');
    assert.match(zh.body, /<form class="search" role="search" method="get" action="\/search">/);
    for (const event of PORTAL_EVENTS) assert.ok(zh.body.includes(`/events/${event.slug}`), event.slug);
    assert.match(zh.body, /个人办事/);
    assert.match(zh.body, /api\/citizen\/oidc\/start/, 'a sign-in link through the provider');
    const en = await get('/?lang=en');
    assert.match(en.body, /<html lang="en">/);
    assert.match(en.body, /For citizens: by life event/);
    const byHeader = await get('/', { 'accept-language': 'en-GB,en;q=0.9' });
    assert.match(byHeader.body, /<html lang="en">/);
    // Sent compressed when the browser takes it, and the same page once decompressed.
    const br = await t.http.inject({ method: 'GET', url: '/', headers: { 'accept-encoding': 'br, gzip' } });
    assert.equal(br.headers['content-encoding'], 'br');
    assert.equal(br.headers.vary, 'accept-encoding');
    assert.equal(zlib.brotliDecompressSync(br.rawPayload).toString('utf8'), zh.body);
    const gz = await t.http.inject({ method: 'GET', url: '/', headers: { 'accept-encoding': 'gzip' } });
    assert.equal(gz.headers['content-encoding'], 'gzip');
    assert.equal(zlib.gunzipSync(gz.rawPayload).toString('utf8'), zh.body);
  });

  it('searches across sources with one box, and refuses an over-long search by name', async () => {
    const res = await get(`/search?q=${encodeURIComponent('人口')}`);
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /“人口”的搜索结果/);
    assert.match(res.body, /开放数据/, 'the open data section');
    const long = await get(`/search?q=${'字'.repeat(101)}&lang=en`);
    assert.equal(long.statusCode, 400);
    assert.match(long.body, /A search may be at most 100 characters/);
  });

  it('has a page per life and business event, and 404 pages for unknown events and cities', async () => {
    const event = await get('/events/starting?lang=en');
    assert.equal(event.statusCode, 200);
    assert.match(event.body, /<h1>Starting a business<\/h1>/);
    assert.equal((await get('/events/nope')).statusCode, 404);
    const city = await get('/cities/999999');
    assert.equal(city.statusCode, 404);
    assert.match(city.body, /找不到页面/);
  });

  it('refuses bad registrations by field, in the language asked, and writes nothing', async () => {
    const before = await counts(t);
    const person = await buildPerson(t);
    const badChecksum = `${person.idNumber.slice(0, 17)}${person.idNumber.endsWith('0') ? '1' : '0'}`;
    const cases: [Record<string, string>, RegExp][] = [
      [{ idNumber: badChecksum, name: person.name, phone: '13900000001', password: CITIZEN_PASSWORD }, /idNumber-error/],
      [{ idNumber: person.idNumber, name: '别人', phone: '13900000002', password: CITIZEN_PASSWORD }, /<li><a href="#/],
      [{ idNumber: person.idNumber, name: person.name, phone: '13900000003', password: 'short' }, /password-error/],
    ];
    for (const [form, mark] of cases) {
      const res = await postForm('/register', { ...form, lang: 'zh-CN' });
      assert.equal(res.statusCode, 400, res.body.slice(0, 300));
      assert.match(res.body, /注册未成功/);
      assert.match(res.body, mark);
      assert.doesNotMatch(res.body, new RegExp(CITIZEN_PASSWORD.replace(/[#]/g, '.')), 'the password is never echoed');
    }
    const taken = await buildCitizen(t);
    const reused = await postForm('/register', { idNumber: newIdNumber(), name: 'x', phone: taken.phone, password: CITIZEN_PASSWORD, lang: 'en' });
    assert.ok(reused.statusCode >= 400 && reused.statusCode < 500, reused.body.slice(0, 200));
    const after = await counts(t);
    assert.equal(after.citizens, before.citizens + 1, 'only the citizen built on purpose was written');
  });

  it('registers a citizen by form, verified against the population registry', async () => {
    const person = await buildPerson(t);
    const res = await postForm('/register', { idNumber: person.idNumber, name: person.name, phone: '13911112222', password: CITIZEN_PASSWORD, lang: 'en' });
    assert.equal(res.statusCode, 201, res.body.slice(0, 300));
    assert.match(res.body, /Your account is ready and verified/);
    assert.ok(!res.body.includes(person.idNumber), 'the full ID number is not shown');
    assert.equal(res.headers['cache-control'], 'no-store');
  });

  it('sends someone not signed in from my space to the sign-in, and back', async () => {
    const res = await get('/me');
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, `/api/citizen/oidc/start?next=%2Fme&lang=zh-CN`);
    const write = await postForm('/me/enterprises', { creditCode: 'x' });
    assert.equal(write.statusCode, 401);
  });

  it('signs a citizen in through the provider into my space, with their messages and who read their data', async () => {
    const citizen = await buildCitizen(t);
    await t.services.messaging.service.sendNotice({ actor: null, auditAs: { id: null, name: 'test', orgId: null }, ip: null, requestId: null }, { to: citizen.sub, title: '办件提醒', text: '您的材料已收到。' });
    const { browser, done } = await signInThroughProvider(citizen.phone);
    assert.equal(done.location, `${issuer}/me`, `${done.status} ${done.body.slice(0, 300)}`);
    assert.ok(browser.jar.has('egov_citizen_session'));
    const me = await browser.request(`${issuer}/me`);
    assert.equal(me.status, 200, me.body.slice(0, 300));
    assert.match(me.body, /<h1>我的空间<\/h1>/);
    assert.ok(me.body.includes(citizen.name));
    assert.match(me.body, /办件提醒/, 'the message is listed');
    // The registration's real-name check is the first read of their record: the identity system read it.
    assert.match(me.body, /谁查看了我的数据/);
    assert.match(me.body, /统一身份认证系统/, 'the reading system is named');
    assert.match(me.body, /citizen-registration/, 'with the purpose given');
    const usage = await t.services.database.db.selectFrom('audit.events').select(['action']).where('action', '=', 'identity.citizen.data_usage.read').where('actor_id', '=', citizen.id).execute();
    assert.ok(usage.length >= 1, 'the look is audited');

    // Marking the message read needs the form's CSRF token.
    const id = /action="\/me\/messages\/([0-9a-f-]+)\/read"/.exec(me.body)?.[1];
    assert.ok(id);
    const forged = await browser.request(`${issuer}/me/messages/${id}/read`, { form: { csrf: 'wrong' } });
    assert.equal(forged.status, 403);
    const csrf = formOf(me, undefined).fields.csrf;
    const marked = await browser.request(`${issuer}/me/messages/${id}/read`, { form: { csrf } });
    assert.equal(marked.status, 303);
    assert.match((await browser.request(`${issuer}/me`)).body, /0 条未读/);

    // Signing out ends the session here and goes on to the provider's sign-out.
    const out = await browser.request(`${issuer}/me/sign-out`, { form: { csrf } });
    assert.equal(out.status, 303);
    assert.match(out.location!, /\/api\/citizen\/oidc\/logout/);
    assert.ok(!browser.jar.has('egov_citizen_session'));
    assert.equal((await browser.request(`${issuer}/me`)).status, 303);
  });

  it("never shows one citizen another's space", async () => {
    const a = await buildCitizen(t);
    const b = await buildCitizen(t);
    await t.services.messaging.service.sendNotice({ actor: null, auditAs: { id: null, name: 'test', orgId: null }, ip: null, requestId: null }, { to: a.sub, title: '只给甲的消息', text: '甲' });
    const session = await signInCitizen(t, b.phone);
    const me = await asCitizen(t, session, 'GET', '/me');
    assert.equal(me.statusCode, 200);
    assert.ok(me.body.includes(b.name));
    // A public page greets the signed-in person by name without a personal-data read to audit.
    const audited = async () => (await t.services.database.db.selectFrom('audit.events').select('seq').where('actor_id', '=', b.id).execute()).length;
    const before = await audited();
    const home = await asCitizen(t, session, 'GET', '/');
    assert.ok(home.body.includes(b.name), 'the header names them');
    assert.equal(await audited(), before, 'no audit row per page view');
    assert.ok(!me.body.includes(a.name), "a's name is not on b's page");
    assert.doesNotMatch(me.body, /只给甲的消息/);
  });

  it('lets a legal representative register their enterprise from my space', async () => {
    const citizen = await buildCitizen(t);
    const entity = await buildEntity(t, citizen.idNumber);
    const session = await signInCitizen(t, citizen.phone);
    const bad = await t.http.inject({ method: 'POST', url: '/me/enterprises', headers: { cookie: session.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ csrf: session.csrfToken, creditCode: '123' }).toString() });
    assert.equal(bad.statusCode, 400, bad.body.slice(0, 200));
    assert.match(bad.body, /creditCode-error/);
    const ok = await t.http.inject({ method: 'POST', url: '/me/enterprises', headers: { cookie: session.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ csrf: session.csrfToken, creditCode: entity.creditCode }).toString() });
    assert.equal(ok.statusCode, 303, ok.body.slice(0, 300));
    const me = await asCitizen(t, session, 'GET', '/me');
    assert.ok(me.body.includes(entity.name));
    assert.match(me.body, /法定代表人/);
  });

  it('lets the legal representative authorize an agent and revoke them; the agent then signs in acting for the enterprise', async () => {
    const rep = await buildCitizen(t);
    const agent = await buildCitizen(t);
    const entity = await buildEntity(t, rep.idNumber);
    const session = await signInCitizen(t, rep.phone);
    const form = (url: string, fields: Record<string, string>, who = session) =>
      t.http.inject({ method: 'POST', url, headers: { cookie: who.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ csrf: who.csrfToken, ...fields }).toString() });
    assert.equal((await form('/me/enterprises', { creditCode: entity.creditCode })).statusCode, 303);
    const me = await asCitizen(t, session, 'GET', '/me');
    const enterpriseId = /href="\/me\/enterprises\/([0-9a-f-]{36})\?/.exec(me.body)?.[1];
    assert.ok(enterpriseId, 'the representative sees a link to the enterprise');
    // Bad input is refused by field and nothing is written.
    const wrongName = await form(`/me/enterprises/${enterpriseId}/agents`, { agentName: '别人', agentIdNumber: agent.idNumber, serviceCode: 'amr.business-registration', expiresOn: '2027-06-30' });
    assert.equal(wrongName.statusCode, 400, wrongName.body.slice(0, 200));
    assert.match(wrongName.body, /agentIdNumber-error/);
    const badDate = await form(`/me/enterprises/${enterpriseId}/agents`, { agentName: agent.name, agentIdNumber: agent.idNumber, serviceCode: 'amr.business-registration', expiresOn: 'tomorrow' });
    assert.equal(badDate.statusCode, 400);
    assert.match(badDate.body, /expiresOn-error/);
    assert.match((await asCitizen(t, session, 'GET', `/me/enterprises/${enterpriseId}`)).body, /尚未授权经办人/);
    // The agent's own space cannot open the enterprise's page.
    const agentSession = await signInCitizen(t, agent.phone);
    assert.equal((await asCitizen(t, agentSession, 'GET', `/me/enterprises/${enterpriseId}`)).statusCode, 404);
    const ok = await form(`/me/enterprises/${enterpriseId}/agents`, { agentName: agent.name, agentIdNumber: agent.idNumber, serviceCode: 'amr.business-registration', expiresOn: '2027-06-30' });
    assert.equal(ok.statusCode, 303, ok.body.slice(0, 300));
    const page = await asCitizen(t, session, 'GET', `/me/enterprises/${enterpriseId}`);
    assert.match(page.body, /amr\.business-registration/);
    assert.match(page.body, /有效/);

    // The agent signs in at the provider and chooses to act for the enterprise: my space says so.
    const { browser, done } = await signInThroughProvider(agent.phone);
    assert.equal(done.status, 200, `${done.status} ${done.location} ${done.body.slice(0, 200)}`);
    assert.ok(done.body.includes(entity.name), 'the act-as page offers the enterprise');
    const act = formOf(done);
    const actorValue = [...done.body.matchAll(/name="actor" value="([^"]+)"/g)].map((m) => m[1]).find((v) => v !== 'self');
    assert.ok(actorValue, done.body.slice(0, 600));
    const landed = await browser.follow(act.action, `${issuer}/me`, { form: { ...act.fields, actor: actorValue } });
    assert.equal(landed.location, `${issuer}/me`, `${landed.status} ${landed.body.slice(0, 300)}`);
    const acting = await browser.request(`${issuer}/me`);
    assert.ok(acting.body.includes(`您正以“${entity.name}”（${entity.creditCode}）的身份办理`), acting.body.slice(0, 600));

    // Revoked: the authorization shows as revoked.
    const authorizationId = /agents\/([0-9a-f-]{36})\/revoke/.exec(page.body)?.[1];
    assert.ok(authorizationId);
    assert.equal((await form(`/me/enterprises/${enterpriseId}/agents/${authorizationId}/revoke`, {})).statusCode, 303);
    assert.match((await asCitizen(t, session, 'GET', `/me/enterprises/${enterpriseId}`)).body, /已撤销/);
  });

  it('resets a forgotten password by a code, without saying whether the account exists', async () => {
    const citizen = await buildCitizen(t);
    const sent: CodeMessage[] = [];
    t.services.citizens.useCodeSender({ send: async (m) => void sent.push(m) });
    const none = await postForm('/password-reset', { login: '13900000009', lang: 'en' });
    const some = await postForm('/password-reset', { login: citizen.phone, lang: 'en' });
    assert.equal(none.statusCode, 202);
    assert.equal(some.statusCode, 202);
    assert.equal(none.body.replaceAll('13900000009', 'X'), some.body.replaceAll(citizen.phone, 'X'), 'the same page either way');
    assert.equal(sent.length, 1);
    const wrong = await postForm('/password-reset/confirm', { login: citizen.phone, code: '000000', newPassword: 'Renewed#2026pw', lang: 'en' });
    assert.equal(wrong.statusCode, 400);
    assert.match(wrong.body, /code-error/);
    const weak = await postForm('/password-reset/confirm', { login: citizen.phone, code: sent[0].code, newPassword: 'weak', lang: 'en' });
    assert.equal(weak.statusCode, 400);
    assert.match(weak.body, /newPassword-error/);
    const done = await postForm('/password-reset/confirm', { login: citizen.phone, code: sent[0].code, newPassword: 'Renewed#2026pw', lang: 'en' });
    assert.equal(done.statusCode, 200, done.body.slice(0, 300));
    assert.match(done.body, /Your password is changed/);
    assert.equal((await t.services.citizens.authenticate(citizen.phone, 'Renewed#2026pw')).ok, true);
  });

  it('turns two-step sign-in on and deletes the account from my space, each write with its CSRF token', async () => {
    const citizen = await buildCitizen(t);
    const session = await signInCitizen(t, citizen.phone);
    const form = (url: string, fields: Record<string, string>) =>
      t.http.inject({ method: 'POST', url, headers: { cookie: session.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ csrf: session.csrfToken, ...fields }).toString() });
    const page = await asCitizen(t, session, 'GET', '/me/account');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /两步登录未开启/);
    const enrol = await form('/me/account/totp', {});
    assert.equal(enrol.statusCode, 200);
    const secret = /name="secret" value="([A-Z2-7]+)"/.exec(enrol.body)?.[1];
    assert.ok(secret, enrol.body.slice(0, 400));
    const wrong = await form('/me/account/totp/confirm', { code: '000000', secret, uri: 'otpauth://x' });
    assert.equal(wrong.statusCode, 400);
    assert.ok(wrong.body.includes(secret.slice(0, 4)), 'the same key is shown again');
    const right = await form('/me/account/totp/confirm', { code: totpCode(secret, t.clock.now()) });
    assert.equal(right.statusCode, 303, right.body.slice(0, 300));
    assert.match((await asCitizen(t, session, 'GET', '/me/account')).body, /两步登录已开启/);
    // Deleting needs the password and, now, the code; a forged post is refused.
    const forged = await t.http.inject({ method: 'POST', url: '/me/account/delete', headers: { cookie: session.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ csrf: 'forged', password: CITIZEN_PASSWORD }).toString() });
    assert.equal(forged.statusCode, 403);
    const noCode = await form('/me/account/delete', { password: CITIZEN_PASSWORD });
    assert.ok(noCode.statusCode >= 400 && noCode.statusCode < 500, String(noCode.statusCode));
    t.clock.advance(30_000);
    const deleted = await form('/me/account/delete', { password: CITIZEN_PASSWORD, totp: totpCode(secret, t.clock.now()) });
    assert.equal(deleted.statusCode, 200, deleted.body.slice(0, 300));
    assert.match(deleted.body, /账户已注销/);
    assert.equal((await asCitizen(t, session, 'GET', '/me')).statusCode, 303, 'the session is gone');
    const row = await t.services.database.db.selectFrom('identity.citizens').select(['status', 'name', 'id_number']).where('id', '=', citizen.id).executeTakeFirstOrThrow();
    assert.deepEqual(row, { status: 'deleted', name: null, id_number: null }, 'the record is kept, the personal data erased');
  });

  it("shows a published service's guide, finds it by the search box and on its event's page, and keeps drafts off the portal", async () => {
    const body = buildServiceBody(t.world.deptA.id, { nameZh: '门户测试许可', nameEn: 'Portal test licence', events: ['construction'], jointOrgIds: [t.world.deptB.id], statutoryDays: 45, promisedDays: 30 });
    assert.equal((await t.request('POST', '/api/services', { as: t.world.adminA, body })).statusCode, 201);
    assert.equal((await get(`/services/${body.code}`)).statusCode, 404, 'a draft is not on the portal');
    assert.doesNotMatch((await get(`/search?q=${encodeURIComponent('门户测试许可')}`)).body, /门户测试许可<\/a>/);
    assert.equal((await t.request('POST', `/api/services/${body.code}/publish`, { as: t.world.adminA, body: { version: 1 } })).statusCode, 200);
    const guide = await get(`/services/${body.code}?lang=en`);
    assert.equal(guide.statusCode, 200);
    assert.match(guide.body, /<h1>Portal test licence<\/h1>/);
    assert.match(guide.body, /45 working days/);
    assert.match(guide.body, /Not needed: the platform reads it from the registry/, 'the fetchable material says so');
    assert.ok(guide.body.includes(`Handled jointly with: ${t.world.deptB.nameEn}`), guide.body.slice(0, 200));
    const found = await get(`/search?q=${encodeURIComponent('门户测试')}`);
    assert.match(found.body, /<h2>办事服务 <span class="meta">\(1\)<\/span><\/h2>/);
    assert.ok(found.body.includes(`/services/${body.code}?lang=zh-CN`));
    const event = await get('/events/construction');
    assert.ok(event.body.includes(`/services/${body.code}?lang=zh-CN`), 'listed on its event page');
    assert.ok(!(await get('/events/birth')).body.includes(body.code), 'and not on another');
  });
});

