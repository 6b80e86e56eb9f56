import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { AsnConvert } from '@peculiar/asn1-schema';
import { CertificateList } from '@peculiar/asn1-x509';
import { createSecretBox, SecretBoxError } from '../../platform/secret-box.ts';
import { createTestApp, type TestApp } from '../../test-support/test-app.ts';
import { createSuites, DEFAULT_SM2_USER_ID } from './suites.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'egov-trust-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

function openssl(args: string[], input?: Buffer): string {
  return execFileSync('openssl', args, { input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
}

for (const suite of ['sm2-sm3', 'ecdsa-p256-sha256'] as const) {
  describe(`the instance CA (${suite})`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp({ env: { EGOV_TRUST_SUITE: suite } });
    });
    after(() => t.close());

    test('GET /api/trust/ca.pem is public: issuing CA first, then the root, and OpenSSL verifies the link', async () => {
      const res = await t.request('GET', '/api/trust/ca.pem');
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['content-type'], 'application/pem-certificate-chain');
      const pems = res.body.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n/g) ?? [];
      assert.equal(pems.length, 2);
      const [issuing, root] = pems.map((p) => new crypto.X509Certificate(p));
      assert.match(issuing.subject, /CN=EGOV-DEMO Issuing CA/);
      assert.match(root.subject, /CN=EGOV-DEMO Root CA/);
      assert.equal(issuing.issuer, root.subject);
      const rootFile = path.join(dir, `${suite}-root.pem`);
      const issuingFile = path.join(dir, `${suite}-issuing.pem`);
      fs.writeFileSync(rootFile, pems[1]);
      fs.writeFileSync(issuingFile, pems[0]);
      const distid = suite === 'sm2-sm3' ? ['-vfyopt', `distid:${DEFAULT_SM2_USER_ID}`] : [];
      assert.equal(openssl(['verify', ...distid, '-CAfile', rootFile, issuingFile]).trim(), `${issuingFile}: OK`);
    });

    test('GET /api/trust/crl is public DER, signed by the issuing CA, with no revocations yet', async () => {
      const res = await t.http.inject({ method: 'GET', url: '/api/trust/crl' });
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['content-type'], 'application/pkix-crl');
      const der = res.rawPayload;
      const text = openssl(['crl', '-inform', 'DER', '-noout', '-text'], der);
      assert.match(text, /Issuer: C = CN, O = EGOV-DEMO, CN = EGOV-DEMO Issuing CA/);
      assert.match(text, /No Revoked Certificates/);
      assert.match(text, /X509v3 CRL Number:\s+0/);
      // The signature covers the TBSCertList exactly as served.
      const parsed = AsnConvert.parse(der, CertificateList);
      const tbs = Buffer.from(AsnConvert.serialize(parsed.tbsCertList));
      const chain = (await t.request('GET', '/api/trust/ca.pem')).body;
      const issuingSpki = new crypto.X509Certificate(chain.split('-----END CERTIFICATE-----')[0] + '-----END CERTIFICATE-----\n').publicKey.export({ format: 'der', type: 'spki' });
      const suites = createSuites();
      assert.ok(suites[suite].verify(tbs, Buffer.from(parsed.signature), issuingSpki));
      assert.ok(!suites[suite].verify(Buffer.concat([tbs, Buffer.from([0])]), Buffer.from(parsed.signature), issuingSpki));
      if (suite === 'ecdsa-p256-sha256') {
        const chainFile = path.join(dir, 'ecdsa-chain.pem');
        fs.writeFileSync(chainFile, chain);
        // `openssl crl -CAfile` reports the signature check on stderr.
        const checked = spawnSync('openssl', ['crl', '-inform', 'DER', '-CAfile', chainFile, '-noout'], { input: der, encoding: 'utf8' });
        assert.match(checked.stderr, /verify OK/);
      }
    });

    test('GET /api/trust/status/:serial answers good, revoked (when and why) or unknown, publicly', async () => {
      const issuing = new crypto.X509Certificate((await t.request('GET', '/api/trust/ca.pem')).body.split('-----END CERTIFICATE-----')[0] + '-----END CERTIFICATE-----\n');
      const good = await t.request('GET', `/api/trust/status/${issuing.serialNumber}`);
      assert.equal(good.statusCode, 200);
      assert.equal(good.json.status, 'good');
      assert.equal(good.json.notAfter, new Date(issuing.validTo).toISOString());
      assert.deepEqual((await t.request('GET', '/api/trust/status/0123abcd')).json, { serial: '0123abcd', status: 'unknown' });
      const bad = await t.request('GET', '/api/trust/status/not-hex');
      assert.equal(bad.statusCode, 400);
      assert.equal(bad.json.errors[0].field, 'serial');
      // Revocation itself arrives with organization certificates; here its record is read back.
      const revokedAt = new Date('2026-11-20T08:00:00Z');
      await t.services.database.db.updateTable('trust.certificates').set({ revoked_at: revokedAt, revocation_reason: 'keyCompromise' }).where('serial', '=', issuing.serialNumber.toLowerCase()).execute();
      const revoked = await t.request('GET', `/api/trust/status/${issuing.serialNumber}`);
      assert.deepEqual([revoked.json.status, revoked.json.revokedAt, revoked.json.reason], ['revoked', revokedAt.toISOString(), 'keyCompromise']);
      await t.services.database.db.updateTable('trust.certificates').set({ revoked_at: null, revocation_reason: null }).where('serial', '=', issuing.serialNumber.toLowerCase()).execute();
    });

    test('CA private keys are sealed at rest and open only with the same master key', async () => {
      const rows = await t.services.database.db.selectFrom('trust.keys').selectAll().execute();
      assert.equal(rows.length, 4, "root CA, issuing CA, TSA and configuration signer");
      for (const row of rows) {
        const sealed = typeof row.sealed_private === 'string' ? JSON.parse(row.sealed_private) : row.sealed_private;
        assert.equal(sealed.alg, 'aes-256-gcm');
        const other = createSecretBox(crypto.randomBytes(32));
        assert.throws(() => other.open(sealed, `trust.keys/${row.id}`), SecretBoxError);
      }
      assert.ok(!JSON.stringify((await t.request('GET', '/api/openapi.json')).json).includes('sealed_private'));
    });

    test('the CA is created once, audited, and kept on the next start', async () => {
      const before = (await t.request('GET', '/api/trust/ca.pem')).body;
      assert.deepEqual(await t.services.trust.authority.ensure(), { created: false });
      assert.equal((await t.request('GET', '/api/trust/ca.pem')).body, before);
      const events = await t.services.database.db.selectFrom('audit.events').selectAll().where('action', '=', 'trust.ca.create').execute();
      assert.equal(events.length, 1);
      assert.equal(events[0].detail.suite, suite);
    });
  });
}

test('a sealed value does not open under another context (copied to another row)', () => {
  const box = createSecretBox(crypto.randomBytes(32));
  const sealed = box.seal(Buffer.from('private key bytes'), 'trust.keys/a');
  assert.equal(box.open(sealed, 'trust.keys/a').toString(), 'private key bytes');
  assert.throws(() => box.open(sealed, 'trust.keys/b'), SecretBoxError);
});
