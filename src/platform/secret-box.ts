// Encryption at rest for secrets the platform must keep (CA and organization private keys).
// A key-encryption key is derived from the master key with HKDF-SHA256; each secret is sealed
// with AES-256-GCM, bound to a context string (its row and purpose) as associated data, so a
// sealed value copied onto another row does not open.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export type Sealed = { v: 1; alg: 'aes-256-gcm'; iv: string; tag: string; data: string };

export class SecretBoxError extends Error {}

export type SecretBox = { seal(plaintext: Buffer, context: string): Sealed; open(sealed: Sealed, context: string): Buffer };

export function createSecretBox(masterKey: Buffer): SecretBox {
  if (masterKey.length < 32) throw new SecretBoxError('The master key must be at least 32 bytes.');
  const kek = Buffer.from(crypto.hkdfSync('sha256', masterKey, Buffer.from('egov'), Buffer.from('egov/secret-box/v1'), 32));
  return {
    seal(plaintext, context) {
      const iv = crypto.randomBytes(12);
      const cipher = crypto.createCipheriv('aes-256-gcm', kek, iv);
      cipher.setAAD(Buffer.from(context));
      const data = Buffer.concat([cipher.update(plaintext), cipher.final()]);
      return { v: 1, alg: 'aes-256-gcm', iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64') };
    },
    open(sealed, context) {
      try {
        const decipher = crypto.createDecipheriv('aes-256-gcm', kek, Buffer.from(sealed.iv, 'base64'));
        decipher.setAAD(Buffer.from(context));
        decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
        return Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]);
      } catch {
        throw new SecretBoxError('A stored key could not be decrypted: the master key (EGOV_MASTER_KEY or its key file) is not the one it was sealed with.');
      }
    },
  };
}

export type MasterKeySource = { key?: string; keyFile?: string; devKeyFile: string; production: boolean };

/**
 * The master key: EGOV_MASTER_KEY (base64 or hex, ≥ 32 bytes), or the file EGOV_MASTER_KEY_FILE
 * names. In development a key file is generated beside the data, and the caller warns.
 */
export function loadMasterKey(source: MasterKeySource): { key: Buffer; generated: boolean; from: string } {
  const decode = (text: string, where: string): Buffer => {
    const trimmed = text.trim();
    const bytes = /^[0-9a-fA-F]+$/.test(trimmed) && trimmed.length % 2 === 0 ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
    if (bytes.length < 32) throw new SecretBoxError(`${where} must hold at least 32 random bytes, as hex or base64 (e.g. \`openssl rand -base64 32\`).`);
    return bytes;
  };
  if (source.key) return { key: decode(source.key, 'EGOV_MASTER_KEY'), generated: false, from: 'EGOV_MASTER_KEY' };
  const file = source.keyFile ?? (source.production ? undefined : source.devKeyFile);
  if (!file) throw new SecretBoxError('In production set EGOV_MASTER_KEY or EGOV_MASTER_KEY_FILE: it protects the private keys of the platform CA.');
  if (fs.existsSync(file)) return { key: decode(fs.readFileSync(file, 'utf8'), file), generated: false, from: file };
  if (source.keyFile) throw new SecretBoxError(`EGOV_MASTER_KEY_FILE names ${file}, which does not exist.`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  let generated = true;
  try {
    fs.writeFileSync(file, `${crypto.randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    // Another process starting at the same moment wrote it first: use theirs.
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    generated = false;
  }
  return { key: decode(fs.readFileSync(file, 'utf8'), file), generated, from: file };
}
