// CMS signatures and RFC 3161 timestamps for both suites, checked against OpenSSL 3. OpenSSL
// 3.0 verifies ECDSA CMS and timestamp tokens end to end (`openssl cms -verify`, `openssl ts
// -verify`); its CMS code cannot take an SM2 distinguishing id, so for SM2 it checks the two
// things a CMS signature consists of: the SM3 digest of the content and the SM2 signature over
// the signed attributes (decision 0006).
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { describe, test } from 'node:test';
import { checkCms, parseCms, signCms, CmsFormatError } from './cms.ts';
import { DEFAULT_SM2_USER_ID } from './suites.ts';
import { openssl, scratchDir, suites, testChain } from './test-pki.ts';
import { grantedResponse, issueBatch, issueToken, itemInBatch, parseRequest, readToken } from './tsa.ts';
import { toPem } from './x509.ts';

const { write } = scratchDir('egov-cms-');
const document = Buffer.from('<公文>青云省人民政府关于数据共享的通知</公文>\n', 'utf8');

for (const suiteName of ['ecdsa-p256-sha256', 'sm2-sm3'] as const) {
  describe(`${suiteName} CMS`, () => {
    const pki = testChain(suiteName, 'signing');
    const signer = { certificateDer: pki.leaf, key: pki.leafKey, suite: pki.suite, chain: [pki.issuing] };
    const rootFile = write(`${suiteName}-root.pem`, toPem(pki.root));
    const docFile = write(`${suiteName}-doc.xml`, document);
    const signingTime = new Date('2026-11-20T08:00:00Z');

    test('an enveloping signature carries the content and verifies here', () => {
      const der = signCms({ content: document, detached: false, signer, signingTime });
      const parsed = parseCms(der);
      assert.deepEqual(parsed.content, document);
      assert.equal(parsed.suite, suiteName);
      assert.equal(parsed.signingTime?.toISOString(), signingTime.toISOString());
      assert.deepEqual(parsed.signerCertificate, pki.leaf);
      assert.deepEqual(checkCms(parsed, suites), { ok: true });
    });

    test('a detached signature verifies with the document and fails with any other', () => {
      const parsed = parseCms(signCms({ content: document, detached: true, signer, signingTime }));
      assert.equal(parsed.content, undefined);
      assert.deepEqual(checkCms(parsed, suites), { ok: false, code: 'missing_content' });
      assert.deepEqual(checkCms(parsed, suites, document), { ok: true });
      assert.deepEqual(checkCms(parsed, suites, Buffer.from('another document')), { ok: false, code: 'content_mismatch' });
    });

    test('a changed signature value is caught', () => {
      const der = signCms({ content: document, detached: false, signer, signingTime });
      const parsed = parseCms(der);
      parsed.signature[parsed.signature.length - 3] ^= 0x01;
      assert.deepEqual(checkCms(parsed, suites), { ok: false, code: 'bad_signature' });
    });

    test('openssl verifies the signature', () => {
      const der = signCms({ content: document, detached: true, signer, signingTime });
      const sigFile = write(`${suiteName}-doc.p7s`, der);
      if (suiteName === 'ecdsa-p256-sha256') {
        const out = openssl(['cms', '-verify', '-binary', '-inform', 'DER', '-in', sigFile, '-content', docFile, '-CAfile', rootFile, '-out', '/dev/null']);
        assert.equal(out, '');
        const tampered = write('tampered.xml', Buffer.concat([document, Buffer.from(' ')]));
        assert.throws(() => openssl(['cms', '-verify', '-binary', '-inform', 'DER', '-in', sigFile, '-content', tampered, '-CAfile', rootFile, '-out', '/dev/null']), /digest failure|Verification failure/);
      } else {
        const parsed = parseCms(der);
        const digest = Buffer.from(openssl(['dgst', '-sm3', '-r', docFile]).split(' ')[0], 'hex');
        assert.deepEqual(digest, parsed.messageDigest);
        const attrsFile = write('signed-attrs.der', parsed.signedAttributesDer);
        const sig = write('sig.der', parsed.signature);
        const pub = write('pub.pem', toPem(pki.leafKey.publicKeySpki, 'PUBLIC KEY'));
        const args = ['pkeyutl', '-verify', '-in', attrsFile, '-sigfile', sig, '-pubin', '-inkey', pub, '-rawin', '-digest', 'sm3', '-pkeyopt', `distid:${DEFAULT_SM2_USER_ID}`];
        assert.match(openssl(args), /Signature Verified Successfully/);
      }
      // OpenSSL parses the structure either way.
      const printed = openssl(['cms', '-cmsout', '-print', '-inform', 'DER', '-in', sigFile]);
      assert.match(printed, /contentType: pkcs7-signedData/);
      assert.match(printed, /messageDigest/);
    });

    test('the TSA issues RFC 3161 tokens that openssl accepts', () => {
      const tsa = testChain(suiteName, 'tsa');
      const tsaSigner = { certificateDer: tsa.leaf, key: tsa.leafKey, suite: tsa.suite, chain: [tsa.issuing] };
      const hash = tsa.suite.hash;
      const digest = crypto.hash(hash, document, 'buffer');
      const token = issueToken({ imprint: { hash, digest }, signer: tsaSigner, genTime: signingTime });
      const read = readToken(token, (cms) => checkCms(cms, suites).ok);
      assert.equal(read.genTime.toISOString(), signingTime.toISOString());
      assert.deepEqual(read.imprint, { hash, digest });
      const tokenFile = write(`${suiteName}-token.tst`, token);
      const text = openssl(['ts', '-reply', '-in', tokenFile, '-token_in', '-text', '-token_out']);
      assert.match(text, /Policy OID: 2\.25\.83204271773132444560792138755841531612/);
      assert.match(text, new RegExp(`Hash Algorithm: ${hash}`));
      if (suiteName === 'ecdsa-p256-sha256') {
        const tsaRoot = write('tsa-root.pem', toPem(tsa.root));
        const tsaIssuing = write('tsa-issuing.pem', toPem(tsa.issuing));
        assert.match(openssl(['ts', '-verify', '-digest', digest.toString('hex'), '-in', tokenFile, '-token_in', '-CAfile', tsaRoot, '-untrusted', tsaIssuing]), /Verification: OK/);
        // A query made by openssl, answered here, checked by openssl.
        const query = write('query.tsq', '');
        openssl(['ts', '-query', '-data', docFile, '-sha256', '-cert', '-out', query]);
        const request = parseRequest(fs.readFileSync(query));
        const response = grantedResponse(issueToken({ imprint: request.imprint, signer: tsaSigner, genTime: new Date(), nonce: request.nonce }));
        const responseFile = write('reply.tsr', response);
        assert.match(openssl(['ts', '-verify', '-queryfile', query, '-in', responseFile, '-CAfile', tsaRoot, '-untrusted', tsaIssuing]), /Verification: OK/);
      }
    });

    test('batch mode: one token, an inclusion proof for each item', () => {
      const tsa = testChain(suiteName, 'tsa');
      const tsaSigner = { certificateDer: tsa.leaf, key: tsa.leafKey, suite: tsa.suite, chain: [tsa.issuing] };
      const items = Array.from({ length: 37 }, (_, i) => crypto.hash(tsa.suite.hash, `message ${i}`, 'buffer'));
      const receipt = issueBatch({ hash: tsa.suite.hash, items, signer: tsaSigner, genTime: signingTime });
      const token = readToken(receipt.token, (cms) => checkCms(cms, suites).ok);
      assert.deepEqual(token.imprint.digest, receipt.root);
      items.forEach((item, i) => assert.ok(itemInBatch(token, item, receipt.proofs[i])));
      assert.ok(!itemInBatch(token, items[1], receipt.proofs[2]));
      assert.ok(!itemInBatch(token, crypto.hash(tsa.suite.hash, 'not in the batch', 'buffer'), receipt.proofs[0]));
    });
  });
}

test('garbage is refused with a message that names it', () => {
  assert.throws(() => parseCms(Buffer.from('not a signature')), CmsFormatError);
  assert.throws(() => parseCms(Buffer.from('3003020101', 'hex')), /not a CMS|SignedData/);
  assert.throws(() => parseRequest(Buffer.from('3000', 'hex')), /TimeStampReq/);
});
