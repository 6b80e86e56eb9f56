// Bundles on their own: what is written is what is read; an altered payload, a forged footer,
// the wrong sender's key and the wrong receiver's key are each caught.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { after, test } from 'node:test';
import { BundleError, openBundle, readFooter, verifyBundle, writeBundle } from './bundle.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'egov-bundle-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));
const keys = () => crypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const sender = keys();
const receiver = keys();
const spki = (k: crypto.KeyObject) => k.export({ format: 'der', type: 'spki' }) as Buffer;

async function text(stream: Readable): Promise<string> {
  let out = '';
  for await (const chunk of stream) out += chunk;
  return out;
}

async function write(body: Buffer, options: { encrypt?: boolean; sign?: boolean } = {}) {
  const name = await writeBundle({ dir, id: crypto.randomUUID(), seq: 7, from: 'a', to: 'b', kind: 'request', createdAt: new Date(), meta: { xRoadId: 'x', 注: '中文' }, body: Readable.from([body]), recipientKey: options.encrypt === false ? undefined : spki(receiver.publicKey), signerKey: options.sign === false ? undefined : sender.privateKey });
  return path.join(dir, name);
}

test('a signed, encrypted bundle reads back as written; the body is not in the clear', async () => {
  const body = Buffer.from('{"身份证号":"330106199001011234"}\n第二行'.repeat(1000));
  const file = await write(body);
  assert.equal(fs.readFileSync(file).includes(Buffer.from('330106199001011234')), false, 'the payload is encrypted');
  const footer = await verifyBundle(file, sender.publicKey);
  assert.deepEqual([footer.seq, footer.from, footer.to, footer.kind, footer.signed, footer.encryption?.alg], [7, 'a', 'b', 'request', true, 'ECDH-P256+HKDF-SHA256+A256GCM']);
  const { meta, body: read } = await openBundle(file, footer, receiver.privateKey);
  assert.deepEqual(meta, { xRoadId: 'x', 注: '中文' });
  assert.equal(await text(read), body.toString('utf8'));
});

test('an altered payload, a forged footer and the wrong keys are each caught', async () => {
  const file = await write(Buffer.from('hello'));
  const bytes = fs.readFileSync(file);
  bytes[3] ^= 1;
  fs.writeFileSync(file, bytes);
  await assert.rejects(verifyBundle(file, sender.publicKey), (err: unknown) => err instanceof BundleError && /altered/.test(err.message));

  const forged = await write(Buffer.from('hello'));
  const content = fs.readFileSync(forged);
  const footerAt = content.lastIndexOf(0x0a, content.length - 2) + 1;
  fs.writeFileSync(forged, Buffer.concat([content.subarray(0, footerAt), Buffer.from(content.subarray(footerAt).toString('utf8').replace('"seq":7', '"seq":8'))]));
  await assert.rejects(verifyBundle(forged, sender.publicKey), /footer's signature does not verify/);

  const genuine = await write(Buffer.from('hello'));
  await assert.rejects(verifyBundle(genuine, keys().publicKey), /does not verify with the sender's authentication certificate/);
  const footer = await verifyBundle(genuine, sender.publicKey);
  await assert.rejects(async () => text((await openBundle(genuine, footer, keys().privateKey)).body), /cannot be decrypted with this node's key/, 'another node cannot read it');

  const unsigned = await write(Buffer.from('hello'), { sign: false });
  await assert.rejects(verifyBundle(unsigned, sender.publicKey), /not signed/);
  fs.writeFileSync(unsigned, fs.readFileSync(unsigned).subarray(0, 20));
  assert.throws(() => readFooter(unsigned), BundleError);
});
