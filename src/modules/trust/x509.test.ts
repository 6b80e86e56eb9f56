// Certificate chains and signatures for both suites, checked by OpenSSL 3 (the `openssl`
// command) and, for ECDSA, by node:crypto's X509Certificate.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { DEFAULT_SM2_USER_ID } from './suites.ts';
import { openssl, scratchDir, suites, testChain as chain } from './test-pki.ts';
import { derPositiveInteger, issueCertificate, newSerialNumber, toPem } from './x509.ts';

const { dir, write } = scratchDir('egov-x509-');

for (const suiteName of ['ecdsa-p256-sha256', 'sm2-sm3'] as const) {
  describe(`${suiteName} certificates`, () => {
    test('openssl verifies root → issuing CA → signing certificate', () => {
      const { root, issuing, leaf } = chain(suiteName, 'signing');
      const rootFile = write(`${suiteName}-root.pem`, toPem(root));
      const issuingFile = write(`${suiteName}-issuing.pem`, toPem(issuing));
      const leafFile = write(`${suiteName}-leaf.pem`, toPem(leaf));
      if (suiteName === 'sm2-sm3') {
        // `openssl verify` applies -vfyopt distid only to the certificate it is asked about, not to
        // intermediates, so each link is checked on its own: root → issuing, then issuing → leaf.
        const distid = ['-vfyopt', `distid:${DEFAULT_SM2_USER_ID}`];
        assert.equal(openssl(['verify', ...distid, '-CAfile', rootFile, issuingFile]).trim(), `${issuingFile}: OK`);
        assert.equal(openssl(['verify', ...distid, '-partial_chain', '-CAfile', issuingFile, leafFile]).trim(), `${leafFile}: OK`);
        // Without the distinguishing id OpenSSL 3 hashes an empty id, and the signature must not pass.
        assert.throws(() => openssl(['verify', '-CAfile', rootFile, issuingFile]), /verification failed|signature failure/);
      } else {
        assert.equal(openssl(['verify', '-CAfile', rootFile, '-untrusted', issuingFile, leafFile]).trim(), `${leafFile}: OK`);
      }
      const text = openssl(['x509', '-in', leafFile, '-noout', '-text']);
      assert.match(text, suiteName === 'sm2-sm3' ? /Signature Algorithm: SM2-with-SM3/ : /Signature Algorithm: ecdsa-with-SHA256/);
      assert.match(text, /X509v3 Key Usage: critical\s+Digital Signature, Non Repudiation/);
      assert.match(text, /CA:FALSE/);
    });

    test('a certificate signed by a different key does not verify', () => {
      const a = chain(suiteName, 'signing');
      const b = chain(suiteName, 'signing');
      const rootFile = write(`${suiteName}-a-root.pem`, toPem(a.root));
      const issuingFile = write(`${suiteName}-a-issuing.pem`, toPem(a.issuing));
      const foreignLeaf = write(`${suiteName}-b-leaf.pem`, toPem(b.leaf));
      const extra = suiteName === 'sm2-sm3' ? ['-vfyopt', `distid:${DEFAULT_SM2_USER_ID}`, '-partial_chain'] : [];
      assert.throws(() => openssl(['verify', ...extra, '-CAfile', suiteName === 'sm2-sm3' ? issuingFile : rootFile, '-untrusted', issuingFile, foreignLeaf]), /error|unable|fail/i);
    });

    test('the TSA profile carries a critical timeStamping extended key usage', () => {
      const { leaf } = chain(suiteName, 'tsa');
      const text = openssl(['x509', '-inform', 'DER', '-noout', '-text'], leaf);
      assert.match(text, /X509v3 Extended Key Usage: critical\s+Time Stamping/);
    });

    test('signatures made here verify in openssl, and openssl-made signatures verify here', () => {
      const suite = suites[suiteName];
      const key = suite.generateKeyPair();
      const message = Buffer.from('政务数据共享交换 evidence', 'utf8');
      const signature = suite.sign(message, key);
      assert.ok(suite.verify(message, signature, key.publicKeySpki));
      assert.ok(!suite.verify(Buffer.from('tampered'), signature, key.publicKeySpki));

      const messageFile = write(`${suiteName}-msg.bin`, message);
      const sigFile = write(`${suiteName}-sig.der`, signature);
      const pubFile = write(`${suiteName}-pub.pem`, toPem(key.publicKeySpki, 'PUBLIC KEY'));
      const digestArgs = suiteName === 'sm2-sm3' ? ['-digest', 'sm3', '-pkeyopt', `distid:${DEFAULT_SM2_USER_ID}`] : ['-digest', 'sha256'];
      assert.match(openssl(['pkeyutl', '-verify', '-in', messageFile, '-sigfile', sigFile, '-pubin', '-inkey', pubFile, '-rawin', ...digestArgs]), /Signature Verified Successfully/);

      // The other direction: OpenSSL's key and signature, our verification.
      const keyFile = path.join(dir, `${suiteName}-openssl-key.pem`);
      openssl(['genpkey', '-algorithm', suiteName === 'sm2-sm3' ? 'SM2' : 'EC', ...(suiteName === 'sm2-sm3' ? [] : ['-pkeyopt', 'ec_paramgen_curve:P-256']), '-out', keyFile]);
      const opensslSig = path.join(dir, `${suiteName}-openssl-sig.der`);
      openssl(['pkeyutl', '-sign', '-in', messageFile, '-inkey', keyFile, '-rawin', ...digestArgs, '-out', opensslSig]);
      const spki = crypto.createPublicKey(fs.readFileSync(keyFile)).export({ format: 'der', type: 'spki' });
      assert.ok(suite.verify(message, fs.readFileSync(opensslSig), spki));
    });
  });
}

test('node:crypto X509Certificate checks the ECDSA chain too', () => {
  const { root, issuing, leaf } = chain('ecdsa-p256-sha256', 'signing');
  const [rootCert, issuingCert, leafCert] = [root, issuing, leaf].map((der) => new crypto.X509Certificate(der));
  assert.ok(issuingCert.verify(rootCert.publicKey));
  assert.ok(leafCert.verify(issuingCert.publicKey));
  assert.ok(!leafCert.verify(rootCert.publicKey));
  assert.ok(leafCert.checkIssued(issuingCert));
  assert.equal(issuingCert.ca, true);
  assert.equal(leafCert.ca, false);
});

test('SM3("abc") matches the GB/T 32905 test vector', () => {
  assert.equal(crypto.createHash('sm3').update('abc').digest('hex'), '66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0');
});

test('serial numbers are minimal positive DER integers, which OpenSSL insists on', () => {
  assert.equal(derPositiveInteger(Buffer.from('0012345678', 'hex')).toString('hex'), '12345678');
  assert.equal(derPositiveInteger(Buffer.from('0000', 'hex')).toString('hex'), '00');
  assert.equal(derPositiveInteger(Buffer.from('80', 'hex')).toString('hex'), '0080');
  assert.equal(derPositiveInteger(Buffer.from('00ff', 'hex')).toString('hex'), '00ff');
  for (let i = 0; i < 2000; i++) {
    const serial = newSerialNumber();
    assert.ok(serial[0] >= 1 && serial[0] <= 0x7f);
  }
  const suite = suites['ecdsa-p256-sha256'];
  const key = suite.generateKeyPair();
  const name = { commonName: 'leading zero' };
  const der = issueCertificate({ profile: 'root-ca', serialNumber: Buffer.from('0012345678', 'hex'), subject: name, subjectPublicKeySpki: key.publicKeySpki, notBefore: new Date(), notAfter: new Date(Date.now() + 86_400_000), issuer: { name, key, suite } });
  assert.equal(openssl(['x509', '-inform', 'DER', '-noout', '-serial'], der).trim(), 'serial=12345678');
});
