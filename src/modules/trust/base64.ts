// Strict base64 for uploads: Buffer.from(…, 'base64') silently skips bad characters, so a
// mangled upload would be signed or verified as different bytes. This refuses it instead.
import { ValidationError } from '../../platform/errors.ts';

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export function decodeBase64(field: string, value: string): Buffer {
  const compact = value.replace(/\s+/g, '');
  if (!BASE64.test(compact)) {
    throw new ValidationError([{ field, code: 'base64', message: 'is not valid base64', messageZh: '不是有效的 base64 编码' }]);
  }
  return Buffer.from(compact, 'base64');
}
