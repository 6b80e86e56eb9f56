// A small DER writer and reader for the hot paths (CMS signatures and timestamp tokens). The
// schema-driven ASN.1 library re-parses every certificate a structure carries and made a CMS
// sign+verify about fifty times slower than the signature itself; here certificates and names
// stay opaque byte slices, copied, compared and hashed as they are. Certificates, CRLs and
// CSRs, built rarely, still use @peculiar/asn1-*.

export const TAG = {
  INTEGER: 0x02,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  UTF8_STRING: 0x0c,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

/** A context-specific tag: [n], constructed unless `primitive`. */
export const context = (n: number, primitive = false) => (primitive ? 0x80 : 0xa0) | n;

export class DerError extends Error {}

// ---- writing ----

function headerLength(length: number): number {
  if (length < 0x80) return 2;
  let bytes = 0;
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes++;
  return 2 + bytes;
}

/** One allocation per element: the header is written in front of the copied contents. */
export function tlv(tag: number, ...content: Uint8Array[]): Buffer {
  let length = 0;
  for (const c of content) length += c.length;
  const head = headerLength(length);
  const out = Buffer.allocUnsafe(head + length);
  out[0] = tag;
  if (head === 2) out[1] = length;
  else {
    out[1] = 0x80 | (head - 2);
    for (let i = head - 1, n = length; i >= 2; i--, n = Math.floor(n / 256)) out[i] = n & 0xff;
  }
  let at = head;
  for (const c of content) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

export const sequence = (...content: Uint8Array[]) => tlv(TAG.SEQUENCE, ...content);
export const octetString = (bytes: Uint8Array) => tlv(TAG.OCTET_STRING, bytes);
export const NULL = Buffer.from([TAG.NULL, 0]);

/** SET OF: members sorted by their encodings (X.690 11.6). */
export function setOf(members: Buffer[]): Buffer {
  return tlv(TAG.SET, ...[...members].sort(Buffer.compare));
}

export function integer(value: number | Uint8Array): Buffer {
  let bytes: Buffer;
  if (typeof value === 'number') {
    const list: number[] = [];
    for (let n = value; ; n = Math.floor(n / 256)) {
      list.unshift(n & 0xff);
      if (n < 256) break;
    }
    bytes = Buffer.from(list);
  } else {
    bytes = Buffer.from(value);
  }
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0 && !(bytes[start + 1] & 0x80)) start++;
  bytes = bytes.subarray(start);
  if (bytes[0] & 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
  return tlv(TAG.INTEGER, bytes);
}

const oidCache = new Map<string, Buffer>();
/** Dotted names of the OIDs encoded here, by their content bytes: decoding a known OID is a lookup. */
const oidNames = new Map<string, string>();
export function oid(dotted: string): Buffer {
  const cached = oidCache.get(dotted);
  if (cached) return cached;
  const arcs = dotted.split('.').map((a) => BigInt(a));
  const body: number[] = [];
  const push = (value: bigint) => {
    const chunk: number[] = [Number(value & 0x7fn)];
    for (let v = value >> 7n; v > 0n; v >>= 7n) chunk.unshift(Number(v & 0x7fn) | 0x80);
    body.push(...chunk);
  };
  push(arcs[0] * 40n + arcs[1]);
  for (const arc of arcs.slice(2)) push(arc);
  const encoded = tlv(TAG.OID, Buffer.from(body));
  oidCache.set(dotted, encoded);
  oidNames.set(Buffer.from(body).toString('latin1'), dotted);
  return encoded;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** UTCTime for 1950–2049 (RFC 5280), GeneralizedTime otherwise; whole seconds. */
export function time(date: Date): Buffer {
  const y = date.getUTCFullYear();
  const rest = `${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}Z`;
  if (y >= 1950 && y < 2050) return tlv(TAG.UTC_TIME, Buffer.from(`${pad(y % 100)}${rest}`, 'ascii'));
  return tlv(TAG.GENERALIZED_TIME, Buffer.from(`${pad(y, 4)}${rest}`, 'ascii'));
}

/** GeneralizedTime with milliseconds, trailing zeros dropped as DER requires (for TSTInfo genTime). */
export function generalizedTimeMs(date: Date): Buffer {
  const base = `${pad(date.getUTCFullYear(), 4)}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}`;
  const fraction = pad(date.getUTCMilliseconds(), 3).replace(/0+$/, '');
  return tlv(TAG.GENERALIZED_TIME, Buffer.from(`${base}${fraction ? `.${fraction}` : ''}Z`, 'ascii'));
}

// ---- reading ----

/** One element: its tag, and where its whole encoding and its content lie in `buffer`. */
export type Node = { tag: number; start: number; contentStart: number; end: number; buffer: Buffer };

export function read(buffer: Buffer, offset = 0, limit = buffer.length): Node {
  if (offset + 2 > limit) throw new DerError('truncated DER element');
  const tag = buffer[offset];
  if ((tag & 0x1f) === 0x1f) throw new DerError('multi-byte DER tags are not supported');
  let length = buffer[offset + 1];
  let contentStart = offset + 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0 || count > 4 || contentStart + count > limit) throw new DerError('bad DER length');
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + buffer[contentStart + i];
    contentStart += count;
  }
  const end = contentStart + length;
  if (end > limit) throw new DerError('DER element runs past its container');
  return { tag, start: offset, contentStart, end, buffer };
}

/** Reads a whole buffer as exactly one element. */
export function readAll(buffer: Buffer): Node {
  const node = read(buffer);
  if (node.end !== buffer.length) throw new DerError('trailing bytes after the DER element');
  return node;
}

export function children(node: Node): Node[] {
  const list: Node[] = [];
  for (let at = node.contentStart; at < node.end; ) {
    const child = read(node.buffer, at, node.end);
    list.push(child);
    at = child.end;
  }
  return list;
}

export const content = (node: Node) => node.buffer.subarray(node.contentStart, node.end);
export const encoding = (node: Node) => node.buffer.subarray(node.start, node.end);

export function expect(node: Node | undefined, tag: number, what: string): Node {
  if (!node || node.tag !== tag) throw new DerError(`${what} is missing or malformed`);
  return node;
}

export function readOid(node: Node): string {
  const bytes = content(expect(node, TAG.OID, 'object identifier'));
  const known = oidNames.get(bytes.toString('latin1'));
  if (known) return known;
  const arcs: bigint[] = [];
  let value = 0n;
  for (const byte of bytes) {
    value = (value << 7n) | BigInt(byte & 0x7f);
    if (!(byte & 0x80)) {
      arcs.push(value);
      value = 0n;
    }
  }
  if (arcs.length === 0) throw new DerError('empty object identifier');
  const first = arcs[0] < 80n ? arcs[0] / 40n : 2n;
  return [first, arcs[0] - first * 40n, ...arcs.slice(1)].join('.');
}

export function readTime(node: Node): Date {
  const text = content(node).toString('ascii');
  const match = /^(\d{2}|\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\.\d+)?Z$/.exec(text);
  if (!match || (node.tag !== TAG.UTC_TIME && node.tag !== TAG.GENERALIZED_TIME)) throw new DerError(`bad time "${text}"`);
  let year = Number(match[1]);
  if (match[1].length === 2) year += year < 50 ? 2000 : 1900;
  const ms = match[7] ? Math.round(Number(`0${match[7]}`) * 1000) : 0;
  return new Date(Date.UTC(year, Number(match[2]) - 1, Number(match[3]), Number(match[4]), Number(match[5]), Number(match[6]), ms));
}

/** The fields of a certificate CMS needs, as slices of its DER: issuer, serial and key. */
export function certificateParts(der: Buffer): { issuer: Buffer; serial: Buffer; spki: Buffer } {
  const tbs = children(expect(readAll(der), TAG.SEQUENCE, 'certificate'))[0];
  const fields = children(expect(tbs, TAG.SEQUENCE, 'TBSCertificate'));
  const at = fields[0]?.tag === context(0) ? 1 : 0; // [0] EXPLICIT version, present in v3
  const serial = expect(fields[at], TAG.INTEGER, 'certificate serial number');
  const issuer = expect(fields[at + 2], TAG.SEQUENCE, 'certificate issuer');
  const spki = expect(fields[at + 5], TAG.SEQUENCE, 'certificate public key');
  return { issuer: encoding(issuer), serial: encoding(serial), spki: encoding(spki) };
}
