// A ferry bundle: one message across the one-way transfer device between network zones, as
// one file. The payload (a JSON line, then the body bytes) is encrypted for the receiving
// node (ECDH with its authentication key, HKDF-SHA256, AES-256-GCM) and the file ends with
// a footer line that the sending node signs with its authentication key:
//
//   <payload bytes>\n<footer JSON>\n
//
// The footer names the bundle (id, the channel's sequence number, sender, receiver, kind,
// time), the payload's size and SHA-256, and the encryption parameters. Bundles a node sends
// before it is certified (its registration) are neither encrypted nor signed: the operator's
// approval is their check. Files are written under a temporary name and renamed, so the far
// side never sees half a bundle; bodies stream through, so memory stays bounded.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { canonicalJson } from '../../../platform/canonical-json.ts';

export const BUNDLE_FORMAT = 'egov-ferry/1';
export const BUNDLE_SUFFIX = '.egb';
const ENCRYPTION = 'ECDH-P256+HKDF-SHA256+A256GCM';
const MAX_FOOTER = 16 * 1024;

export type BundleKind = 'request' | 'response' | 'conf' | 'registration' | 'registration-status' | 'timestamp-request' | 'timestamp-response';

export type Footer = {
  format: typeof BUNDLE_FORMAT;
  id: string;
  seq: number;
  from: string;
  to: string;
  kind: BundleKind;
  createdAt: string;
  payloadBytes: number;
  payloadSha256: string;
  encryption: { alg: typeof ENCRYPTION; epk: string; iv: string; tag: string } | null;
  signed: boolean;
  signature?: string;
};

export class BundleError extends Error {}

/** The key both sides derive: ECDH, then HKDF bound to the bundle's id and parties. */
function contentKey(secret: Buffer, footer: Pick<Footer, 'id' | 'from' | 'to'>): Buffer {
  return Buffer.from(crypto.hkdfSync('sha256', secret, Buffer.from(footer.id), Buffer.from(`${BUNDLE_FORMAT}|${footer.from}|${footer.to}`), 32));
}

const signedBytes = (footer: Footer) => {
  const { signature: _signature, ...rest } = footer;
  return Buffer.from(canonicalJson(rest), 'utf8');
};

class Hasher extends Transform {
  readonly hash = crypto.createHash('sha256');
  bytes = 0;
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    callback(null, chunk);
  }
}

export type BundleOut = {
  dir: string;
  id: string;
  seq: number;
  from: string;
  to: string;
  kind: BundleKind;
  createdAt: Date;
  meta: Record<string, unknown>;
  body?: Readable;
  /** The receiver's authentication public key (SPKI DER); none: the payload goes in the clear. */
  recipientKey?: Buffer;
  /** The sender's authentication private key; none: unsigned. */
  signerKey?: crypto.KeyObject;
};

/** Writes a bundle and makes it visible under its final name; returns that name. */
export async function writeBundle(out: BundleOut): Promise<string> {
  const name = `${String(out.seq).padStart(12, '0')}-${out.id}${BUNDLE_SUFFIX}`;
  const temp = path.join(out.dir, `.${name}.tmp`);
  const plainHead = Buffer.from(`${JSON.stringify(out.meta)}\n`, 'utf8');
  const source = Readable.from(
    (async function* () {
      yield plainHead;
      if (out.body) for await (const chunk of out.body) yield chunk as Buffer;
    })(),
  );
  const hasher = new Hasher();
  let encryption: Footer['encryption'] = null;
  let cipher: crypto.CipherGCM | undefined;
  let epk = '';
  let iv = Buffer.alloc(0);
  if (out.recipientKey) {
    const ephemeral = crypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const secret = crypto.diffieHellman({ privateKey: ephemeral.privateKey, publicKey: crypto.createPublicKey({ key: out.recipientKey, format: 'der', type: 'spki' }) });
    iv = crypto.randomBytes(12);
    cipher = crypto.createCipheriv('aes-256-gcm', contentKey(secret, out), iv);
    cipher.setAAD(Buffer.from(`${out.id}|${out.kind}`));
    epk = (ephemeral.publicKey.export({ format: 'der', type: 'spki' }) as Buffer).toString('base64');
  }
  const file = fs.createWriteStream(temp, { flags: 'wx', mode: 0o600 });
  if (cipher) await pipeline(source, cipher, hasher, file);
  else await pipeline(source, hasher, file);
  if (cipher) encryption = { alg: ENCRYPTION, epk, iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64') };
  const footer: Footer = {
    format: BUNDLE_FORMAT,
    id: out.id,
    seq: out.seq,
    from: out.from,
    to: out.to,
    kind: out.kind,
    createdAt: out.createdAt.toISOString(),
    payloadBytes: hasher.bytes,
    payloadSha256: hasher.hash.digest('hex'),
    encryption,
    signed: Boolean(out.signerKey),
  };
  if (out.signerKey) footer.signature = crypto.sign('sha256', signedBytes(footer), out.signerKey).toString('base64');
  const fd = fs.openSync(temp, 'a');
  try {
    fs.writeSync(fd, `\n${JSON.stringify(footer)}\n`);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(temp, path.join(out.dir, name));
  const dirFd = fs.openSync(out.dir, 'r');
  try {
    fs.fsyncSync(dirFd);
  } finally {
    fs.closeSync(dirFd);
  }
  return name;
}

/** The footer of a bundle file, checked for shape only; throws BundleError. */
export function readFooter(file: string): Footer {
  const size = fs.statSync(file).size;
  const fd = fs.openSync(file, 'r');
  let tail: Buffer;
  try {
    const length = Math.min(size, MAX_FOOTER);
    tail = Buffer.alloc(length);
    fs.readSync(fd, tail, 0, length, size - length);
  } finally {
    fs.closeSync(fd);
  }
  if (tail.at(-1) !== 0x0a) throw new BundleError('the file does not end with a footer line (cut short?)');
  const start = tail.lastIndexOf(0x0a, tail.length - 2);
  if (start === -1) throw new BundleError('no footer line');
  let footer: Footer;
  try {
    footer = JSON.parse(tail.subarray(start + 1, tail.length - 1).toString('utf8'));
  } catch {
    throw new BundleError('the footer is not JSON');
  }
  if (footer.format !== BUNDLE_FORMAT) throw new BundleError(`unknown bundle format ${String(footer.format)}`);
  if (footer.payloadBytes !== size - (tail.length - start)) throw new BundleError(`the payload is ${size - (tail.length - start)} bytes, the footer says ${footer.payloadBytes}`);
  return footer;
}

/**
 * Checks a bundle against the sender's authentication certificate (when it must be signed):
 * the footer's signature, then the payload's SHA-256. Returns the footer.
 */
export async function verifyBundle(file: string, senderKey: crypto.KeyObject | undefined): Promise<Footer> {
  const footer = readFooter(file);
  if (senderKey) {
    if (!footer.signed || !footer.signature) throw new BundleError('the bundle is not signed');
    if (!crypto.verify('sha256', signedBytes(footer), senderKey, Buffer.from(footer.signature, 'base64'))) throw new BundleError("the footer's signature does not verify with the sender's authentication certificate");
  }
  const hash = crypto.createHash('sha256');
  await pipeline(fs.createReadStream(file, { start: 0, end: footer.payloadBytes - 1 }), async function* (source: AsyncIterable<Buffer>) {
    for await (const chunk of source) hash.update(chunk);
  });
  if (footer.payloadBytes > 0 && hash.digest('hex') !== footer.payloadSha256) throw new BundleError('the payload does not match its SHA-256: the bundle was altered');
  return footer;
}

/**
 * The payload of a verified bundle: its JSON line, and its body as a stream. An encrypted
 * payload is decrypted with this node's authentication key; the body is only complete, and
 * only authentic, when the stream ends without an error (GCM checks its tag at the end).
 */
export async function openBundle(file: string, footer: Footer, ownKey: crypto.KeyObject | undefined): Promise<{ meta: Record<string, unknown>; body: Readable }> {
  const raw = footer.payloadBytes === 0 ? Readable.from([]) : fs.createReadStream(file, { start: 0, end: footer.payloadBytes - 1 });
  let plain: Readable = raw;
  if (footer.encryption) {
    if (!ownKey) throw new BundleError('the bundle is encrypted, and this node has no key to open it yet');
    const secret = crypto.diffieHellman({ privateKey: ownKey, publicKey: crypto.createPublicKey({ key: Buffer.from(footer.encryption.epk, 'base64'), format: 'der', type: 'spki' }) });
    const decipher = crypto.createDecipheriv('aes-256-gcm', contentKey(secret, footer), Buffer.from(footer.encryption.iv, 'base64'));
    decipher.setAAD(Buffer.from(`${footer.id}|${footer.kind}`));
    decipher.setAuthTag(Buffer.from(footer.encryption.tag, 'base64'));
    plain = raw.pipe(decipher);
    raw.on('error', (err: Error) => decipher.destroy(err));
  }
  // The JSON line first; what follows it is the body.
  const iterator = plain[Symbol.asyncIterator]();
  let head = Buffer.alloc(0);
  let rest: Buffer | undefined;
  while (rest === undefined) {
    let next;
    try {
      next = await iterator.next();
    } catch (err) {
      throw new BundleError(footer.encryption ? `the payload cannot be decrypted with this node's key (${(err as Error).message})` : (err as Error).message);
    }
    if (next.done) throw new BundleError('the payload has no metadata line');
    head = Buffer.concat([head, next.value as Buffer]);
    const newline = head.indexOf(0x0a);
    if (newline !== -1) {
      rest = head.subarray(newline + 1);
      head = head.subarray(0, newline);
    } else if (head.length > MAX_FOOTER * 64) throw new BundleError('the metadata line is too long');
  }
  let meta: Record<string, unknown>;
  try {
    meta = JSON.parse(head.toString('utf8'));
  } catch {
    throw new BundleError('the metadata line is not JSON');
  }
  const body = Readable.from(
    (async function* () {
      if (rest.length > 0) yield rest;
      for (;;) {
        const next = await iterator.next();
        if (next.done) return;
        yield next.value as Buffer;
      }
    })(),
  );
  return { meta, body };
}
