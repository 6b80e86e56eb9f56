// Whether a stored licence's seal holds: the JWS verifies against the platform's certificate
// chain (the trust module's verification: signature, certificate issued by our CA, timestamp
// by our TSA, certificate valid when sealed), it was sealed by the seal certificate recorded
// for the licence, held by the issuing organization, and its payload is exactly the document
// rebuilt from the row now. A row changed after sealing fails the last check.
import type { VerificationResult } from '../../trust/index.ts';
import { DomainError } from '../../../platform/errors.ts';
import { sealedDocument } from './model.ts';
import type { LicenceRow } from './store.ts';
import type { SealCheck } from './views.ts';

export type VerifySeal = (sealed: Buffer) => Promise<VerificationResult>;

const DATA_CHANGED = { en: 'The licence data no longer match what the issuer sealed: they were changed after issue. Do not rely on this licence; ask the issuing organization.', zh: '证照数据与发证机关盖章时的内容不一致，签发后被改动过。请勿采信，并向发证机关核实。' };
const WRONG_SEAL = { en: "The licence was not sealed with the issuing organization's seal on record.", zh: '证照并非以记录在案的发证机关电子印章盖章。' };
const UNREADABLE = { en: 'The seal cannot be read: it is damaged.', zh: '电子印章无法读取，已损坏。' };

export async function checkSeal(verify: VerifySeal, row: LicenceRow): Promise<SealCheck> {
  const base = { certificateSerial: row.seal_certificate, sealName: null, sealedAt: null, timestamped: false };
  let result: VerificationResult;
  try {
    result = await verify(Buffer.from(row.sealed, 'utf8'));
  } catch (err) {
    if (err instanceof DomainError) return { ...base, verifies: false, reason: UNREADABLE };
    throw err;
  }
  const seen = { ...base, sealName: result.seal?.name ?? null, sealedAt: result.signedAt, timestamped: result.timestamped };
  if (!result.valid) return { ...seen, verifies: false, reason: result.reason ? { en: result.reason.message, zh: result.reason.messageZh } : UNREADABLE };
  if (result.signer?.certificateSerial !== row.seal_certificate || result.signer.creditCode !== row.issuer_credit_code || result.signer.profile !== 'seal') return { ...seen, verifies: false, reason: WRONG_SEAL };
  const payload = result.contentBase64 === null ? undefined : Buffer.from(result.contentBase64, 'base64');
  if (!payload?.equals(sealedDocument(row))) return { ...seen, verifies: false, reason: DATA_CHANGED };
  return { ...seen, verifies: true, reason: null };
}
