// Organization certificates through the HTTP API, for both suites: request (platform key or
// CSR), the CA operator's approval, download, signing and sealing with a timestamp, public
// verification, revocation and what it means for earlier and later signatures, renewal, the
// TSA and batch timestamps, audit anchoring. Every route refuses the wrong role and organization.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { createTestApp, type TestApp, type TestUser } from '../../test-support/test-app.ts';
import { signCms } from './cms.ts';
import { verifyInclusion } from './merkle.ts';
import { DEFAULT_SM2_USER_ID } from './suites.ts';
import { openssl, scratchDir } from './test-pki.ts';
import { signatureTimestamp } from './tsa.ts';

const { dir, write } = scratchDir('egov-lifecycle-');
// The smallest valid PNG header is enough: the API checks the image type by its magic bytes.
const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), crypto.randomBytes(64)]).toString('base64');
const b64 = (text: string | Buffer) => Buffer.from(text).toString('base64');

for (const suite of ['ecdsa-p256-sha256', 'sm2-sm3'] as const) {
  describe(`organization certificates (${suite})`, () => {
    let t: TestApp;
    let chainFiles: { root: string; issuing: string };
    const distid = suite === 'sm2-sm3' ? ['-vfyopt', `distid:${DEFAULT_SM2_USER_ID}`] : [];

    before(async () => {
      t = await createTestApp({ env: { EGOV_TRUST_SUITE: suite } });
      const pems = (await t.request('GET', '/api/trust/ca.pem')).body.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n/g)!;
      chainFiles = { issuing: write(`${suite}-issuing.pem`, pems[0]), root: write(`${suite}-root.pem`, pems[1]) };
    });
    after(() => t.close());

    async function requestAndApprove(as: TestUser, body: Record<string, unknown>) {
      const created = await t.request('POST', '/api/trust/certificate-requests', { as, body });
      assert.equal(created.statusCode, 201, created.body);
      const approved = await t.request('POST', `/api/trust/certificate-requests/${created.json.id}/approve`, { as: t.world.securityAdmin, body: { version: created.json.version } });
      assert.equal(approved.statusCode, 200, approved.body);
      return approved.json.certificateSerial as string;
    }

    async function sign(serial: string, document: Buffer, extra: Record<string, unknown> = {}, as = t.world.officerA) {
      return t.request('POST', '/api/trust/signatures', { as, body: { certificateSerial: serial, documentBase64: b64(document), ...extra } });
    }

    async function verify(signature: Buffer | string, document?: Buffer) {
      const res = await t.request('POST', '/api/trust/verify', { body: { signatureBase64: b64(signature), ...(document ? { documentBase64: b64(document) } : {}) } });
      assert.equal(res.statusCode, 200, res.body);
      return res.json;
    }

    test('request → CA operator approves → the certificate binds the credit code and identifier, and openssl verifies it', async () => {
      const { adminA, officerA, adminB, securityAdmin, deptA } = t.world;
      const body = { profile: 'signing', holderUserId: officerA.id };
      assert.equal((await t.request('POST', '/api/trust/certificate-requests', { as: officerA, body })).statusCode, 403, 'an officer cannot request');
      assert.equal((await t.request('POST', '/api/trust/certificate-requests', { body })).statusCode, 401);
      const foreignHolder = await t.request('POST', '/api/trust/certificate-requests', { as: adminB, body });
      assert.equal(foreignHolder.statusCode, 400, 'a holder from another organization is refused');
      assert.equal(foreignHolder.json.errors[0].field, 'holderUserId');

      const created = await t.request('POST', '/api/trust/certificate-requests', { as: adminA, body });
      assert.equal(created.statusCode, 201);
      assert.equal(created.json.status, 'pending');
      assert.equal(created.json.keySource, 'platform');
      const queue = await t.request('GET', '/api/trust/certificate-requests?status=pending', { as: securityAdmin });
      assert.ok(queue.json.items.some((r: { id: string }) => r.id === created.json.id));
      assert.equal((await t.request('GET', '/api/trust/certificate-requests', { as: adminB })).json.items.length, 0, "B does not see A's requests");
      assert.equal((await t.request('POST', `/api/trust/certificate-requests/${created.json.id}/approve`, { as: adminA, body: { version: 1 } })).statusCode, 403, 'an org admin cannot approve');
      assert.equal((await t.request('POST', `/api/trust/certificate-requests/${created.json.id}/approve`, { as: securityAdmin, body: { version: 7 } })).statusCode, 409, 'a stale version is refused');
      const approved = await t.request('POST', `/api/trust/certificate-requests/${created.json.id}/approve`, { as: securityAdmin, body: { version: 1, note: 'identity checked' } });
      assert.equal(approved.statusCode, 200);
      assert.equal(approved.json.status, 'approved');
      assert.equal((await t.request('POST', `/api/trust/certificate-requests/${created.json.id}/approve`, { as: securityAdmin, body: { version: 2 } })).json.code, 'already_decided');

      const serial = approved.json.certificateSerial;
      const view = await t.request('GET', `/api/trust/certificates/${serial}`, { as: officerA });
      assert.equal(view.json.status, 'good');
      assert.equal(view.json.holderName, '用户 officer-a');
      assert.equal(view.json.subject.serialNumber, deptA.creditCode);
      assert.equal(view.json.platformHeldKey, true);
      assert.equal((await t.request('GET', `/api/trust/certificates/${serial}`, { as: adminB })).statusCode, 403);
      assert.equal((await t.request('GET', `/api/trust/certificates/${serial}`, { as: t.world.auditor })).statusCode, 200, 'the auditor reads all');

      const pem = await t.request('GET', `/api/trust/certificates/${serial}/pem`, { as: adminA });
      assert.equal(pem.statusCode, 200);
      const leaf = write(`${suite}-leaf.pem`, pem.body.split('-----END CERTIFICATE-----')[0] + '-----END CERTIFICATE-----\n');
      if (suite === 'sm2-sm3') assert.equal(openssl(['verify', ...distid, '-partial_chain', '-CAfile', chainFiles.issuing, leaf]).trim(), `${leaf}: OK`);
      else assert.equal(openssl(['verify', '-CAfile', chainFiles.root, '-untrusted', chainFiles.issuing, leaf]).trim(), `${leaf}: OK`);
      const text = openssl(['x509', '-in', leaf, '-noout', '-text']);
      assert.match(text, new RegExp(`serialNumber = ${deptA.creditCode}`));
      assert.match(text, new RegExp(`URI:urn:egov:${deptA.identifier.replace(/[/.]/g, '\\$&')}`));
      const der = await t.request('GET', `/api/trust/certificates/${serial}/der`, { as: adminA });
      assert.equal(der.headers['content-type'], 'application/pkix-cert');
      const events = await t.services.database.db.selectFrom('audit.events').select('action').where('subject_id', 'in', [serial, created.json.id]).execute();
      assert.deepEqual(events.map((e) => e.action).sort(), ['trust.certificate.issue', 'trust.certificate.request']);
    });

    test('a signature carries the certificate and a timestamp; verification names the organization, the person and the time', async () => {
      const serial = await requestAndApprove(t.world.adminA, { profile: 'signing', holderUserId: t.world.officerA.id });
      const document = Buffer.from('关于开展政务数据共享的通知\n', 'utf8');
      assert.equal((await sign(serial, document, {}, t.world.adminA)).statusCode, 403, 'only the holder signs');
      const signed = await sign(serial, document);
      assert.equal(signed.statusCode, 200, signed.body);
      assert.equal(signed.json.fileExtension, '.p7s');
      const signature = Buffer.from(signed.json.signatureBase64, 'base64');

      const result = await verify(signature, document);
      assert.equal(result.valid, true);
      assert.equal(result.timestamped, true);
      assert.equal(result.signedAt, t.clock.now().toISOString());
      assert.equal(result.signer.organization, t.world.deptA.nameZh);
      assert.equal(result.signer.creditCode, t.world.deptA.creditCode);
      assert.equal(result.signer.identifier, t.world.deptA.identifier);
      assert.equal(result.signer.person, '用户 officer-a');
      assert.deepEqual([result.certificate.status, result.certificate.validAtSigningTime], ['good', true]);

      const tampered = await verify(signature, Buffer.from('关于开展政务数据共享的通知（修改）\n', 'utf8'));
      assert.equal(tampered.valid, false);
      assert.equal(tampered.reason.code, 'content_mismatch');
      assert.match(tampered.reason.messageZh, /修改/);
      assert.equal((await verify(signature)).reason.code, 'missing_content');

      const enveloping = await sign(serial, document, { mode: 'enveloping' });
      const opened = await verify(Buffer.from(enveloping.json.signatureBase64, 'base64'));
      assert.equal(opened.valid, true);
      assert.equal(Buffer.from(opened.contentBase64, 'base64').toString('utf8'), document.toString('utf8'));

      if (suite === 'ecdsa-p256-sha256') {
        const sigFile = write('api.p7s', signature);
        const docFile = write('api.txt', document);
        assert.equal(openssl(['cms', '-verify', '-binary', '-inform', 'DER', '-in', sigFile, '-content', docFile, '-CAfile', chainFiles.root, '-out', '/dev/null']), '');
      }
    });

    test('revocation: a signature timestamped before it stays valid and reports it; one made after is invalid', async () => {
      const serial = await requestAndApprove(t.world.adminA, { profile: 'signing', holderUserId: t.world.officerA.id });
      const document = Buffer.from('行政许可决定书 2026-001', 'utf8');
      const before = Buffer.from((await sign(serial, document)).json.signatureBase64, 'base64');
      t.clock.advance(60_000);
      assert.equal((await t.request('POST', `/api/trust/certificates/${serial}/revoke`, { as: t.world.adminB, body: { reason: 'keyCompromise' } })).statusCode, 403);
      assert.equal((await t.request('POST', `/api/trust/certificates/${serial}/revoke`, { as: t.world.officerA, body: { reason: 'keyCompromise' } })).statusCode, 403);
      assert.equal((await t.request('POST', `/api/trust/certificates/${serial}/revoke`, { as: t.world.adminA, body: { reason: 'stolen' } })).statusCode, 400);
      const revoked = await t.request('POST', `/api/trust/certificates/${serial}/revoke`, { as: t.world.adminA, body: { reason: 'keyCompromise' } });
      assert.equal(revoked.statusCode, 200);
      assert.equal(revoked.json.status, 'revoked');
      assert.equal((await t.request('POST', `/api/trust/certificates/${serial}/revoke`, { as: t.world.adminA, body: { reason: 'keyCompromise' } })).json.code, 'already_revoked');

      const status = await t.request('GET', `/api/trust/status/${serial}`);
      assert.deepEqual([status.json.status, status.json.reason], ['revoked', 'keyCompromise']);
      const crl = await t.http.inject({ method: 'GET', url: '/api/trust/crl' });
      const crlText = openssl(['crl', '-inform', 'DER', '-noout', '-text'], crl.rawPayload);
      assert.match(crlText, new RegExp(`Serial Number: ${serial.toUpperCase()}`));
      assert.match(crlText, /Key Compromise/);

      const earlier = await verify(before, document);
      assert.equal(earlier.valid, true, JSON.stringify(earlier.reason));
      assert.equal(earlier.certificate.status, 'revoked');
      assert.equal(earlier.certificate.validAtSigningTime, true);
      assert.equal(earlier.certificate.revocationReason, 'keyCompromise');

      const refused = await sign(serial, document);
      assert.equal(refused.statusCode, 400);
      assert.equal(refused.json.code, 'certificate_revoked');

      // Someone who kept the key signs after the revocation, with a genuine timestamp.
      t.clock.advance(60_000);
      const signer = await t.services.trust.authority.signer(serial);
      const tsa = await t.services.trust.authority.tsaSigner();
      const late = signCms({
        content: document,
        detached: true,
        signer,
        signingTime: new Date(t.clock.now().getTime() - 3_600_000), // a backdated claim the timestamp overrides
        unsignedAttributes: (sig) => [signatureTimestamp(sig, signer.suite.hash, tsa, t.clock.now())],
      });
      const after_ = await verify(late, document);
      assert.equal(after_.valid, false);
      assert.equal(after_.reason.code, 'revoked_at_signing');
      const untimed = await verify(signCms({ content: document, detached: true, signer, signingTime: new Date(0) }), document);
      assert.equal(untimed.reason.code, 'revoked_unproven_time');
    });

    test('CSR: the organization keeps its key; bad CSRs are refused with the field named', async () => {
      const keyFile = `${dir}/${suite}-org.key`;
      openssl(suite === 'sm2-sm3' ? ['genpkey', '-algorithm', 'SM2', '-out', keyFile] : ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', keyFile]);
      const csrArgs = suite === 'sm2-sm3' ? ['-sm3', '-sigopt', `distid:${DEFAULT_SM2_USER_ID}`] : ['-sha256'];
      const csrPem = openssl(['req', '-new', '-key', keyFile, '-subj', '/CN=ignored by the CA', ...csrArgs]);
      const serial = await requestAndApprove(t.world.adminA, { profile: 'tls', nodeName: 'node1.gat.qingyun.gov.cn', csrPem });
      const view = await t.request('GET', `/api/trust/certificates/${serial}`, { as: t.world.adminA });
      assert.equal(view.json.platformHeldKey, false);
      assert.equal(view.json.subject.commonName, 'node1.gat.qingyun.gov.cn');
      const pem = (await t.request('GET', `/api/trust/certificates/${serial}/pem`, { as: t.world.adminA })).body;
      const certKey = new crypto.X509Certificate(pem.split('-----END CERTIFICATE-----')[0] + '-----END CERTIFICATE-----').publicKey.export({ format: 'der', type: 'spki' });
      assert.deepEqual(certKey, crypto.createPublicKey(openssl(['pkey', '-in', keyFile, '-pubout'])).export({ format: 'der', type: 'spki' }));
      assert.match(openssl(['x509', '-noout', '-text'], Buffer.from(pem)), /DNS:node1\.gat\.qingyun\.gov\.cn/);

      const malformed = await t.request('POST', '/api/trust/certificate-requests', { as: t.world.adminA, body: { profile: 'tls', nodeName: 'n2.example', csrPem: '-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n' } });
      assert.equal(malformed.statusCode, 400);
      assert.equal(malformed.json.errors[0].field, 'csrPem');
      const otherSuite = suite === 'sm2-sm3' ? 'ecdsa-p256-sha256' : 'sm2-sm3';
      const mismatch = await t.request('POST', '/api/trust/certificate-requests', { as: t.world.adminA, body: { profile: 'tls', nodeName: 'n2.example', suite: otherSuite, csrPem } });
      assert.equal(mismatch.json.errors[0].code, 'suite');
      const unknownSuite = await t.request('POST', '/api/trust/certificate-requests', { as: t.world.adminA, body: { profile: 'tls', nodeName: 'n2.example', suite: 'rsa-2048' } });
      assert.equal(unknownSuite.statusCode, 400);
      assert.equal(unknownSuite.json.errors[0].field, 'suite');
      const keyNotHeld = await sign(serial, Buffer.from('x'), {}, t.world.adminA);
      assert.equal(keyNotHeld.statusCode, 403, 'a TLS certificate has no holder who may sign');
    });

    test('seals: sealed JSON (JWS) and sealed XML verify with the seal named; a changed payload does not', async () => {
      const serial = await requestAndApprove(t.world.adminA, { profile: 'seal', holderUserId: t.world.officerA.id, seal: { name: '浙江省公安厅电子公章', imageType: 'image/png', imageBase64: PNG } });
      const badImage = await t.request('POST', '/api/trust/certificate-requests', { as: t.world.adminA, body: { profile: 'seal', holderUserId: t.world.officerA.id, seal: { name: 'x', imageType: 'image/png', imageBase64: b64('GIF89a not a png') } } });
      assert.equal(badImage.json.errors[0].field, 'seal.imageBase64');

      const json = Buffer.from(JSON.stringify({ licence: 'GA-2026-0001', holder: '青云市某某科技有限公司' }));
      const sealed = await sign(serial, json, { format: 'seal-json' });
      assert.equal(sealed.statusCode, 200, sealed.body);
      const sealedJson = Buffer.from(sealed.json.signatureBase64, 'base64');
      const result = await verify(sealedJson);
      assert.equal(result.valid, true, JSON.stringify(result.reason));
      assert.deepEqual(result.seal, { name: '浙江省公安厅电子公章', holderName: '用户 officer-a' });
      assert.equal(result.format, 'seal-json');
      const jws = JSON.parse(sealedJson.toString('utf8'));
      jws.payload = Buffer.from(JSON.stringify({ licence: 'GA-2026-0002', holder: '青云市某某科技有限公司' })).toString('base64url');
      assert.equal((await verify(JSON.stringify(jws))).reason.code, 'bad_signature');
      const protectedHeader = JSON.parse(Buffer.from(jws.protected, 'base64url').toString('utf8'));
      const withHeader = (header: Record<string, unknown>) => b64(JSON.stringify({ ...jws, protected: Buffer.from(JSON.stringify(header)).toString('base64url') }));
      const unknownAlg = await t.request('POST', '/api/trust/verify', { body: { signatureBase64: withHeader({ ...protectedHeader, alg: 'RS256' }) } });
      assert.equal(unknownAlg.statusCode, 400);
      assert.match(unknownAlg.json.detail, /RS256 is not supported/);
      const badCertificate = await t.request('POST', '/api/trust/verify', { body: { signatureBase64: withHeader({ ...protectedHeader, x5c: ['bm90IGEgY2VydGlmaWNhdGU='] }) } });
      assert.equal(badCertificate.statusCode, 400);
      assert.match(badCertificate.json.detail, /not an X\.509 certificate/);

      const xml = Buffer.from('<?xml version="1.0"?><证照><编号>GA-2026-0001</编号></证照>', 'utf8');
      const sealedXml = Buffer.from((await sign(serial, xml, { format: 'seal-xml' })).json.signatureBase64, 'base64');
      assert.match(sealedXml.toString('utf8'), /<SealedDocument xmlns="urn:egov:seal:1"/);
      const xmlResult = await verify(sealedXml);
      assert.equal(xmlResult.valid, true);
      assert.equal(xmlResult.seal.name, '浙江省公安厅电子公章');
      const notXml = await sign(serial, json, { format: 'seal-xml' });
      assert.equal(notXml.statusCode, 400);
      const signingCert = await requestAndApprove(t.world.adminA, { profile: 'signing', holderUserId: t.world.officerA.id });
      assert.equal((await sign(signingCert, json, { format: 'seal-json' })).json.code, 'not_a_seal');
    });

    test('timestamps: JSON API, RFC 3161 over HTTP and batches with inclusion proofs', async () => {
      const document = Buffer.from('exchange message 42');
      assert.equal((await t.request('POST', '/api/trust/timestamps', { body: { documentBase64: b64(document) } })).statusCode, 401);
      const stamped = await t.request('POST', '/api/trust/timestamps', { as: t.world.officerA, body: { documentBase64: b64(document) } });
      assert.equal(stamped.statusCode, 200);
      const token = Buffer.from(stamped.json.tokenBase64, 'base64');
      const ok = await verify(token, document);
      assert.deepEqual([ok.valid, ok.format, ok.signedAt], [true, 'timestamp', stamped.json.genTime]);
      assert.equal((await verify(token, Buffer.from('exchange message 43'))).reason.code, 'document_mismatch');
      const both = await t.request('POST', '/api/trust/timestamps', { as: t.world.officerA, body: { documentBase64: b64(document), digestHex: 'ab'.repeat(32) } });
      assert.equal(both.statusCode, 400);

      const query = write(`${suite}.tsq`, '');
      const docFile = write(`${suite}-ts.txt`, document);
      openssl(['ts', '-query', '-data', docFile, suite === 'sm2-sm3' ? '-sm3' : '-sha256', '-cert', '-out', query]);
      const session = await t.signIn(t.world.officerA);
      const reply = await t.http.inject({ method: 'POST', url: '/api/trust/tsa', headers: { 'content-type': 'application/timestamp-query', cookie: session.cookie, 'x-csrf-token': session.csrfToken }, payload: fs.readFileSync(query) });
      assert.equal(reply.statusCode, 200, reply.body);
      assert.equal(reply.headers['content-type'], 'application/timestamp-reply');
      const replyFile = write(`${suite}.tsr`, reply.rawPayload);
      assert.match(openssl(['ts', '-reply', '-in', replyFile, '-text']), /Status: Granted/);
      if (suite === 'ecdsa-p256-sha256') {
        assert.match(openssl(['ts', '-verify', '-queryfile', query, '-in', replyFile, '-CAfile', chainFiles.root, '-untrusted', chainFiles.issuing]), /Verification: OK/);
      }
      const garbage = await t.http.inject({ method: 'POST', url: '/api/trust/tsa', headers: { 'content-type': 'application/timestamp-query', cookie: session.cookie, 'x-csrf-token': session.csrfToken }, payload: Buffer.from('nonsense') });
      assert.equal(garbage.statusCode, 400);

      const digests = Array.from({ length: 100 }, (_, i) => crypto.hash('sha256', `message ${i}`));
      const batch = await t.request('POST', '/api/trust/timestamps/batch', { as: t.world.officerA, body: { hash: 'sha256', digestsHex: digests } });
      assert.equal(batch.statusCode, 200);
      const root = Buffer.from(batch.json.rootHex, 'hex');
      digests.forEach((d, i) => assert.ok(verifyInclusion(Buffer.from(d, 'hex'), batch.json.proofs[i], root)));
      const batchToken = await verify(Buffer.from(batch.json.tokenBase64, 'base64'));
      assert.equal(batchToken.reason.code, 'missing_content', 'a batch token covers a root, not a document');
    });

    test('bad input: unreadable signatures, bad base64, expired certificates and oversized uploads get a 4xx that names the problem', async () => {
      const garbage = await t.request('POST', '/api/trust/verify', { body: { signatureBase64: b64('this is not a signature at all') } });
      assert.equal(garbage.statusCode, 400);
      assert.equal(garbage.json.errors[0].field, 'signatureBase64');
      assert.match(garbage.json.detail, /CMS|PKCS/);
      const badB64 = await t.request('POST', '/api/trust/verify', { body: { signatureBase64: 'abc$%^==' } });
      assert.equal(badB64.statusCode, 400);
      assert.equal(badB64.json.errors[0].code, 'base64');
      const foreignXml = await t.request('POST', '/api/trust/verify', { body: { signatureBase64: b64('<html></html>') } });
      assert.equal(foreignXml.statusCode, 400);
      const oversized = await t.http.inject({ method: 'POST', url: '/api/trust/verify', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ signatureBase64: 'A'.repeat(30 * 1024 * 1024) }) });
      assert.equal(oversized.statusCode, 413);

      const serial = await requestAndApprove(t.world.adminA, { profile: 'signing', holderUserId: t.world.officerA.id });
      await sql`update trust.certificates set not_after = ${new Date(t.clock.now().getTime() - 86_400_000)} where serial = ${serial}`.execute(t.services.database.db);
      const expired = await sign(serial, Buffer.from('late'));
      assert.equal(expired.statusCode, 400);
      assert.equal(expired.json.code, 'certificate_expired');
      assert.equal((await t.request('GET', `/api/trust/certificates/${serial}`, { as: t.world.officerA })).json.status, 'expired');
    });

    test('renewal: due within 30 days of expiry, one pending renewal at a time, approved by the CA operator', async () => {
      const serial = await requestAndApprove(t.world.adminA, { profile: 'signing', holderUserId: t.world.officerA.id });
      const cert = () => t.request('GET', `/api/trust/certificates/${serial}`, { as: t.world.adminA });
      assert.equal((await cert()).json.renewalDue, false);
      await sql`update trust.certificates set not_after = ${new Date(t.clock.now().getTime() + 10 * 86_400_000)} where serial = ${serial}`.execute(t.services.database.db);
      assert.equal((await cert()).json.renewalDue, true);
      assert.equal((await t.request('POST', `/api/trust/certificates/${serial}/renew`, { as: t.world.adminB, body: {} })).statusCode, 403);
      const renewal = await t.request('POST', `/api/trust/certificates/${serial}/renew`, { as: t.world.adminA, body: {} });
      assert.equal(renewal.statusCode, 201);
      assert.equal(renewal.json.renewsSerial, serial);
      assert.equal((await t.request('POST', `/api/trust/certificates/${serial}/renew`, { as: t.world.adminA, body: {} })).json.code, 'renewal_pending');
      const rejected = await t.request('POST', `/api/trust/certificate-requests/${renewal.json.id}/reject`, { as: t.world.securityAdmin, body: { version: 1, note: 'holder has left' } });
      assert.equal(rejected.json.status, 'rejected');
      assert.equal((await t.request('POST', `/api/trust/certificate-requests/${renewal.json.id}/reject`, { as: t.world.adminA, body: { version: 2, note: 'x' } })).statusCode, 403);
    });

    test('every staff route refuses an anonymous caller, and downloads refuse another organization', async () => {
      const serial = await requestAndApprove(t.world.adminA, { profile: 'signing', holderUserId: t.world.officerA.id });
      const routes: [string, string][] = [
        ['GET', '/api/trust/certificates'],
        ['GET', `/api/trust/certificates/${serial}`],
        ['GET', `/api/trust/certificates/${serial}/pem`],
        ['GET', `/api/trust/certificates/${serial}/der`],
        ['POST', `/api/trust/certificates/${serial}/revoke`],
        ['POST', `/api/trust/certificates/${serial}/renew`],
        ['GET', '/api/trust/certificate-requests'],
        ['POST', '/api/trust/certificate-requests'],
        ['POST', '/api/trust/certificate-requests/00000000-0000-4000-8000-000000000000/approve'],
        ['POST', '/api/trust/certificate-requests/00000000-0000-4000-8000-000000000000/reject'],
        ['POST', '/api/trust/signatures'],
        ['POST', '/api/trust/timestamps'],
        ['POST', '/api/trust/timestamps/batch'],
        ['POST', '/api/trust/tsa'],
      ];
      for (const [method, url] of routes) {
        const res = await t.request(method, url, method === 'POST' ? { body: {} } : {});
        assert.equal(res.statusCode, 401, `${method} ${url}`);
      }
      for (const suffix of ['pem', 'der']) assert.equal((await t.request('GET', `/api/trust/certificates/${serial}/${suffix}`, { as: t.world.adminB })).statusCode, 403);
      const officerSees = await t.request('GET', '/api/trust/certificates', { as: t.world.adminB });
      assert.ok(!officerSees.json.items.some((c: { serial: string }) => c.serial === serial), "B's list leaves out A's certificates");
      assert.equal((await t.request('GET', `/api/trust/certificates?orgId=${t.world.deptA.id}`, { as: t.world.adminB })).statusCode, 403);
    });

    test("audit anchoring: the chain head is timestamped, and rewriting an anchored row is detected", async () => {
      const anchors = t.services.trust.anchors;
      const seq = await anchors.anchorNow();
      assert.ok(seq && seq > 0);
      assert.equal(await anchors.anchorNow(), undefined, 'nothing new to anchor');
      const check = await anchors.verifyLatest();
      assert.equal(check.status, 'ok');
      const db = t.services.database.db;
      // Bypass the append-only triggers as a superuser would, and rewrite a row consistently.
      await sql`alter table audit.events disable trigger user`.execute(db);
      await sql`update audit.events set hash = ${'0'.repeat(64)} where seq = ${seq}`.execute(db);
      await sql`alter table audit.events enable trigger user`.execute(db);
      const broken = await anchors.verifyLatest();
      assert.equal(broken.status, 'broken');
      assert.match((broken as { reason: string }).reason, /rewritten/);
    });
  });
}
