// The sealed XML document: the original XML carried byte for byte (base64), the seal's
// metadata, and a detached CMS signature (with its timestamp) over those bytes. XMLDSig would
// need XML canonicalization to survive re-serialization; carrying the exact bytes makes the
// signature check a byte comparison, and any XML tool can still read the envelope (decision 0006).
export const SEAL_XML_NS = 'urn:egov:seal:1';

export type SealXmlParts = { sealName: string; holderName: string; certificateSerial: string; content: Buffer; signature: Buffer };

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const unescape = (text: string) => text.replace(/&quot;/g, '"').replace(/&gt;/g, '>').replace(/&lt;/g, '<').replace(/&amp;/g, '&');

export function buildSealXml(parts: SealXmlParts): Buffer {
  const xml = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<SealedDocument xmlns="${SEAL_XML_NS}" version="1">`,
    `  <Seal certificate="${escape(parts.certificateSerial)}">`,
    `    <Name>${escape(parts.sealName)}</Name>`,
    `    <Holder>${escape(parts.holderName)}</Holder>`,
    '  </Seal>',
    `  <Content encoding="base64" mediaType="application/xml">${parts.content.toString('base64')}</Content>`,
    `  <Signature format="cms-detached">${parts.signature.toString('base64')}</Signature>`,
    '</SealedDocument>',
    '',
  ];
  return Buffer.from(xml.join('\n'), 'utf8');
}

export function isSealXml(bytes: Buffer): boolean {
  return bytes.subarray(0, 512).toString('utf8').includes(`xmlns="${SEAL_XML_NS}"`);
}

/** Reads the envelope; undefined when an element is missing. The signature check is the caller's. */
export function parseSealXml(bytes: Buffer): SealXmlParts | undefined {
  const text = bytes.toString('utf8');
  const one = (pattern: RegExp) => pattern.exec(text)?.[1];
  const serial = one(/<Seal certificate="([^"]*)">/);
  const name = one(/<Name>([^<]*)<\/Name>/);
  const holder = one(/<Holder>([^<]*)<\/Holder>/);
  const content = one(/<Content encoding="base64"[^>]*>([A-Za-z0-9+/=\s]*)<\/Content>/);
  const signature = one(/<Signature format="cms-detached">([A-Za-z0-9+/=\s]*)<\/Signature>/);
  if (serial === undefined || name === undefined || holder === undefined || content === undefined || signature === undefined) return undefined;
  return { certificateSerial: unescape(serial), sealName: unescape(name), holderName: unescape(holder), content: Buffer.from(content, 'base64'), signature: Buffer.from(signature, 'base64') };
}
