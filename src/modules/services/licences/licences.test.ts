// Electronic licences over HTTP: issued in a transaction (as an approval does), verified on the
// portal and as JSON (valid, revoked, expired, unknown, malformed; the holder masked; the seal
// checked against the CA chain and the stored data, so a changed row shows), revoked and listed
// by the issuing organization's staff only, and shown to their holder in my space.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import type { TestApp } from '../../../test-support/test-app.ts';
import { asCitizen, buildCitizen, buildCitizenWorld, buildEntity, signInCitizen } from '../../identity/citizens/test-world.ts';
import { buildLicenceId, parseLicenceId } from './identifier.ts';
import { buildLicenceInput, issueLicence, newHolderIdNumber, provisionSeal } from './test-fixtures.ts';

let t: TestApp;

before(async () => {
  ({ t } = await buildCitizenWorld());
  await provisionSeal(t, t.world.deptA.id, t.world.officerA, '浙江省公安厅电子公章');
});
after(async () => t?.close());

const page = (url: string, headers: Record<string, string> = {}) => t.http.inject({ method: 'GET', url, headers });
const auditCount = async (action: string) => Number((await t.services.database.db.selectFrom('audit.events').select((eb) => eb.fn.countAll().as('n')).where('action', '=', action).executeTakeFirstOrThrow()).n);

describe('issuing', () => {
  it('issues a GB/T 36904 identifier with the issuer’s credit code, seals and audits it in the caller’s transaction', async () => {
    const before = await auditCount('services.licence.issue');
    const licence = await issueLicence(t, buildLicenceInput(t.world.deptA.id));
    const parts = parseLicenceId(licence.identifier);
    assert.ok(parts, licence.identifier);
    assert.equal(parts.issuer, t.world.deptA.creditCode);
    assert.equal(parts.type, `${t.world.deptA.creditCode}001`);
    assert.match(parts.serial, new RegExp(`^${new Date().getUTCFullYear()}\\d{6}$|^\\d{10}$`));
    assert.equal(parts.version, '001');
    assert.equal(licence.status, 'valid');
    assert.equal(licence.verificationUrl, `${t.config.publicUrl.replace(/\/$/, '')}/licences/${licence.identifier}`);
    assert.equal(await auditCount('services.licence.issue'), before + 1);
    const next = await issueLicence(t, buildLicenceInput(t.world.deptA.id));
    assert.equal(Number(parseLicenceId(next.identifier)!.serial) - Number(parts.serial), 1, 'serials follow each other');
  });

  it('commits nothing when the approval’s transaction rolls back', async () => {
    const input = buildLicenceInput(t.world.deptA.id);
    await assert.rejects(
      t.services.database.db.transaction().execute(async (trx) => {
        await t.services.publicServices.licences.issue(trx, input);
        throw new Error('the approval failed after issuing');
      }),
      /approval failed/,
    );
    const rows = await t.services.database.db.selectFrom('services.licences').select('id').where('holder_id', '=', input.holder.idNumber).execute();
    assert.equal(rows.length, 0);
  });

  it('refuses bad input naming each field, and an issuer without a seal certificate', async () => {
    const bad = buildLicenceInput(t.world.deptA.id, { holder: { kind: 'person', idNumber: '330106199001010000', name: '' }, validFrom: '2026-02-30', licenceType: { nameZh: '', nameEn: 'x', code: 'short' }, fields: [{ key: '1x', labelZh: '', labelEn: 'a', value: 'v' }] });
    await assert.rejects(issueLicence(t, bad), (err: { code?: string; errors?: { field: string }[] }) => {
      assert.equal(err.code, 'validation_failed');
      assert.deepEqual(err.errors!.map((e) => e.field).sort(), ['fields/0/key', 'fields/0/labelZh', 'holder/idNumber', 'holder/name', 'licenceType/code', 'licenceType/nameZh', 'validFrom'].sort());
      return true;
    });
    await assert.rejects(issueLicence(t, buildLicenceInput(t.world.deptB.id)), (err: { code?: string; messageZh?: string }) => err.code === 'no_seal' && /电子印章证书/.test(err.messageZh ?? ''));
  });
});

describe('the public verification page', () => {
  it('shows a valid licence in both languages with the seal verified and the holder masked', async () => {
    const input = buildLicenceInput(t.world.deptA.id);
    const licence = await issueLicence(t, input);
    const zh = await page(`/licences/${licence.identifier}`);
    assert.equal(zh.statusCode, 200, zh.body.slice(0, 300));
    assert.doesNotMatch(zh.body, /<script/i);
    assert.match(zh.body, /状态: 有效/);
    assert.match(zh.body, /电子印章验证通过/);
    assert.match(zh.body, /浙江省公安厅电子公章/);
    assert.match(zh.body, /浙江省公安厅/);
    assert.match(zh.body, /测试经营许可证/);
    assert.match(zh.body, /餐饮服务/, 'a public item is shown');
    assert.doesNotMatch(zh.body, /文三路/, 'an item not marked public is not');
    assert.ok(!zh.body.includes(input.holder.idNumber), 'the full ID number is never shown');
    assert.ok(zh.body.includes(`${input.holder.idNumber.slice(0, 6)}********${input.holder.idNumber.slice(14)}`), 'the masked ID number is');
    assert.doesNotMatch(zh.body, /王小明/);
    assert.match(zh.body, /王\*\*/);
    const en = await page(`/licences/${licence.identifier}?lang=en`);
    assert.match(en.body, /<html lang="en">/);
    assert.match(en.body, /Status: Valid/);
    assert.match(en.body, /The seal verifies/);
    assert.match(en.body, /Zhejiang Public Security Department/);

    const json = await page(`/licences/${licence.identifier}`, { accept: 'application/json' });
    assert.equal(json.statusCode, 200);
    const api = await t.request('GET', `/api/public/licences/${licence.identifier}`);
    assert.equal(api.statusCode, 200, api.body);
    assert.deepEqual(json.json(), api.json);
    assert.equal(api.json.status, 'valid');
    assert.equal(api.json.seal.verifies, true);
    assert.equal(api.json.seal.timestamped, true);
    assert.equal(api.json.holder.masked, true);
    assert.equal(api.json.holder.name, '王**');
    assert.ok(!api.body.includes(input.holder.idNumber));
    assert.deepEqual(api.json.fields, [{ labelZh: '经营范围', labelEn: 'Business scope', value: '餐饮服务' }]);
  });

  it('shows an enterprise holder’s name and credit code whole (public registration data)', async () => {
    const licence = await issueLicence(t, buildLicenceInput(t.world.deptA.id, { holder: { kind: 'enterprise', idNumber: t.world.deptB.creditCode, name: '杭州某某餐饮有限公司' } }));
    const api = await t.request('GET', `/api/public/licences/${licence.identifier}`);
    assert.equal(api.json.holder.name, '杭州某某餐饮有限公司');
    assert.equal(api.json.holder.id, t.world.deptB.creditCode);
    assert.equal(api.json.holder.masked, false);
  });

  it('says an expired licence has expired', async () => {
    const licence = await issueLicence(t, buildLicenceInput(t.world.deptA.id, { validFrom: '2019-01-01', validUntil: '2020-12-31' }));
    const zh = await page(`/licences/${licence.identifier}`);
    assert.equal(zh.statusCode, 200);
    assert.match(zh.body, /状态: 已过期/);
    assert.match((await page(`/licences/${licence.identifier}?lang=en`)).body, /This licence has expired/);
    assert.equal((await t.request('GET', `/api/public/licences/${licence.identifier}`)).json.status, 'expired');
  });

  it('answers an unknown identifier with 404 and a malformed one with 400, in both languages', async () => {
    const unknown = buildLicenceId({ type: `${t.world.deptA.creditCode}001`, issuer: t.world.deptA.creditCode, serial: '1999999999', version: '001' });
    const zh = await page(`/licences/${unknown}`);
    assert.equal(zh.statusCode, 404);
    assert.match(zh.body, /找不到该证照/);
    const en = await page(`/licences/${unknown}?lang=en`);
    assert.equal(en.statusCode, 404);
    assert.match(en.body, /No such licence/);
    assert.equal((await t.request('GET', `/api/public/licences/${unknown}`)).statusCode, 404);

    const wrongCheck = unknown.slice(0, -1) + (unknown.endsWith('0') ? '1' : '0');
    for (const bad of [wrongCheck, 'not-an-identifier', encodeURIComponent('1.2.156.3005.2.<script>')]) {
      const res = await page(`/licences/${bad}`);
      assert.equal(res.statusCode, 400, bad);
      assert.match(res.body, /证照标识有误/);
      assert.match(res.body, /校验位/);
      assert.doesNotMatch(res.body, /<script>/);
    }
    const badEn = await page(`/licences/${wrongCheck}?lang=en`);
    assert.match(badEn.body, /check character/);
    const api = await t.request('GET', `/api/public/licences/${wrongCheck}`, { headers: { 'accept-language': 'en' } });
    assert.equal(api.statusCode, 400);
    assert.equal(api.json.code, 'malformed_identifier');
    assert.equal((await page(`/licences/${wrongCheck}`, { accept: 'application/json' })).json().code, 'malformed_identifier');
  });

  it('says the seal does not verify when the stored licence was changed after sealing', async () => {
    const licence = await issueLicence(t, buildLicenceInput(t.world.deptA.id));
    const db = t.services.database.db;
    await db.updateTable('services.licences').set({ valid_until: '2099-12-31' }).where('id', '=', licence.id).execute();
    const zh = await page(`/licences/${licence.identifier}`);
    assert.match(zh.body, /电子印章验证未通过/);
    assert.match(zh.body, /签发后被改动过/);
    assert.doesNotMatch(zh.body, /电子印章验证通过/);
    const api = await t.request('GET', `/api/public/licences/${licence.identifier}`, { headers: { 'accept-language': 'en' } });
    assert.equal(api.json.seal.verifies, false);
    assert.match(api.json.seal.reason.en, /changed after issue/);
    // The seal itself altered: the signature no longer matches.
    await db.updateTable('services.licences').set({ valid_until: '2031-12-31' }).where('id', '=', licence.id).execute();
    assert.equal((await t.request('GET', `/api/public/licences/${licence.identifier}`)).json.seal.verifies, true, 'restored, it verifies again');
    await db.executeQuery(sql`update services.licences set sealed = replace(sealed, '"signature": "', '"signature": "AA') where id = ${licence.id}`.compile(db));
    const forged = await t.request('GET', `/api/public/licences/${licence.identifier}`);
    assert.equal(forged.json.seal.verifies, false);
  });
});

describe('revoking and listing (staff)', () => {
  it('revokes by the issuing organization’s administrator only, with a reason, audited; the page then says so', async () => {
    const licence = await issueLicence(t, buildLicenceInput(t.world.deptA.id));
    const url = `/api/licences/${licence.id}/revoke`;
    assert.equal((await t.request('POST', url, { body: { reason: '以欺骗手段取得' } })).statusCode, 401);
    assert.equal((await t.request('POST', url, { as: t.world.officerA, body: { reason: '以欺骗手段取得' } })).statusCode, 403, 'an officer');
    assert.equal((await t.request('POST', url, { as: t.world.adminB, body: { reason: '以欺骗手段取得' } })).statusCode, 403, 'another organization’s administrator');
    assert.equal((await t.request('POST', url, { as: t.world.platformAdmin, body: { reason: '以欺骗手段取得' } })).statusCode, 403, 'the platform administrator');
    const empty = await t.request('POST', url, { as: t.world.adminA, body: { reason: '   ' } });
    assert.equal(empty.statusCode, 400);
    assert.equal(empty.json.errors[0].field, 'reason');
    assert.equal((await t.request('POST', `/api/licences/00000000-0000-0000-0000-000000000000/revoke`, { as: t.world.adminA, body: { reason: 'x' } })).statusCode, 404);
    const before = await auditCount('services.licence.revoke');
    const done = await t.request('POST', url, { as: t.world.adminA, body: { reason: '以欺骗手段取得' } });
    assert.equal(done.statusCode, 200, done.body);
    assert.equal(done.json.status, 'revoked');
    assert.equal(await auditCount('services.licence.revoke'), before + 1);
    assert.equal((await t.request('POST', url, { as: t.world.adminA, body: { reason: 'again' } })).statusCode, 409);
    const zh = await page(`/licences/${licence.identifier}`);
    assert.match(zh.body, /状态: 已注销/);
    assert.match(zh.body, /以欺骗手段取得/);
    assert.match(zh.body, /电子印章验证通过/, 'the seal still verifies: revocation is a status, not a forgery');
    const en = await page(`/licences/${licence.identifier}?lang=en`);
    assert.match(en.body, /Status: Revoked/);
    assert.match(en.body, /Revoked on/);
    const api = await t.request('GET', `/api/public/licences/${licence.identifier}`);
    assert.equal(api.json.status, 'revoked');
    assert.equal(api.json.revocationReason, '以欺骗手段取得');
    assert.ok(api.json.revokedAt);
  });

  it('lists the organization’s licences for its staff, not another organization’s', async () => {
    const licence = await issueLicence(t, buildLicenceInput(t.world.deptA.id));
    assert.equal((await t.request('GET', '/api/licences')).statusCode, 401);
    const own = await t.request('GET', '/api/licences?limit=200', { as: t.world.officerA });
    assert.equal(own.statusCode, 200, own.body);
    assert.ok(own.json.items.some((l: { id: string }) => l.id === licence.id));
    assert.ok(own.json.total >= own.json.items.length);
    const other = await t.request('GET', `/api/licences?orgId=${t.world.deptA.id}`, { as: t.world.adminB });
    assert.equal(other.statusCode, 403);
    const theirs = await t.request('GET', '/api/licences', { as: t.world.adminB });
    assert.equal(theirs.statusCode, 200);
    assert.equal(theirs.json.items.length, 0);
    const revoked = await t.request('GET', '/api/licences?status=revoked&limit=200', { as: t.world.officerA });
    assert.ok(revoked.json.items.every((l: { status: string }) => l.status === 'revoked'));
    assert.equal((await t.request('GET', '/api/licences?status=nope', { as: t.world.officerA })).statusCode, 400);
  });
});

describe('my licences', () => {
  it('shows the holder their licences in my space, in full with the QR code; another citizen sees nothing of them', async () => {
    const holder = await buildCitizen(t);
    const other = await buildCitizen(t);
    // Found by the holder's ID number (no account id given) ...
    const byIdNumber = await issueLicence(t, buildLicenceInput(t.world.deptA.id, { holder: { kind: 'person', idNumber: holder.idNumber, name: holder.name } }));
    // ... and by the account id the application names.
    const byAccount = await issueLicence(t, buildLicenceInput(t.world.deptA.id, { holder: { kind: 'person', idNumber: newHolderIdNumber(), name: holder.name, citizenId: holder.id }, licenceType: { nameZh: '第二张许可证', nameEn: 'Second licence' } }));
    const session = await signInCitizen(t, holder.phone);
    const me = await asCitizen(t, session, 'GET', '/me');
    assert.equal(me.statusCode, 200);
    assert.match(me.body, /我的证照/);
    assert.ok(me.body.includes(`/me/licences/${byIdNumber.id}`));
    assert.ok(me.body.includes(`/me/licences/${byAccount.id}`));
    assert.match(me.body, /测试经营许可证/);
    assert.match(me.body, /有效/);

    const before = await auditCount('services.licence.read_own');
    const doc = await asCitizen(t, session, 'GET', `/me/licences/${byIdNumber.id}`);
    assert.equal(doc.statusCode, 200, doc.body.slice(0, 300));
    assert.equal(doc.headers['cache-control'], 'no-store');
    assert.ok(doc.body.includes(holder.idNumber), 'the holder sees their full ID number');
    assert.match(doc.body, /文三路/, 'and every item');
    assert.match(doc.body, /<svg [^>]*role="img"[^>]*aria-label="证照核验二维码"/);
    assert.ok(doc.body.includes(`href="${byIdNumber.verificationUrl}"`), 'a link to the public verification');
    assert.doesNotMatch(doc.body, /<script/i);
    assert.equal(await auditCount('services.licence.read_own'), before + 1);
    const en = await asCitizen(t, session, 'GET', `/me/licences/${byIdNumber.id}?lang=en`);
    assert.match(en.body, /QR code for verification/);

    const otherSession = await signInCitizen(t, other.phone);
    const refused = await asCitizen(t, otherSession, 'GET', `/me/licences/${byIdNumber.id}`);
    assert.equal(refused.statusCode, 404);
    assert.ok(!refused.body.includes(holder.idNumber));
    const otherMe = await asCitizen(t, otherSession, 'GET', '/me');
    assert.ok(!otherMe.body.includes(byIdNumber.id));
    assert.match(otherMe.body, /您还没有电子证照/);
    const anonymous = await page(`/me/licences/${byIdNumber.id}`);
    assert.equal(anonymous.statusCode, 303, 'sent to sign in');
    assert.equal(await auditCount('services.licence.read_own'), before + 2, 'only the holder’s reads, in zh and en');
  });

  it('shows an enterprise’s licence to its legal representative', async () => {
    const rep = await buildCitizen(t);
    const entity = await buildEntity(t, rep.idNumber);
    const session = await signInCitizen(t, rep.phone);
    const registered = await t.http.inject({ method: 'POST', url: '/me/enterprises', headers: { cookie: session.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ csrf: session.csrfToken, creditCode: entity.creditCode }).toString() });
    assert.equal(registered.statusCode, 303, registered.body.slice(0, 300));
    const licence = await issueLicence(t, buildLicenceInput(t.world.deptA.id, { holder: { kind: 'enterprise', idNumber: entity.creditCode, name: entity.name } }));
    const me = await asCitizen(t, session, 'GET', '/me');
    assert.ok(me.body.includes(`/me/licences/${licence.id}`));
    const doc = await asCitizen(t, session, 'GET', `/me/licences/${licence.id}`);
    assert.equal(doc.statusCode, 200);
    assert.ok(doc.body.includes(entity.creditCode));
  });
});
