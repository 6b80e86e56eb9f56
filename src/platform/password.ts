// Password hashing (scrypt, memory-hard) and the level-3 protection password policy.
import crypto from 'node:crypto';
import { promisify } from 'node:util';

const scrypt = promisify(crypto.scrypt) as (password: string, salt: Buffer, keylen: number, options: crypto.ScryptOptions) => Promise<Buffer>;

// N = 2^15, r = 8: 32 MiB per hash. Parameters are stored with each hash, so they can rise later.
const DEFAULT = { N: 32768, r: 8, p: 1, keylen: 32 };

export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.randomBytes(16);
  const key = await scrypt(password, salt, DEFAULT.keylen, { N: DEFAULT.N, r: DEFAULT.r, p: DEFAULT.p, maxmem: 64 * 1024 * 1024 });
  return `scrypt$${DEFAULT.N}$${DEFAULT.r}$${DEFAULT.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !key) return false;
  const expected = Buffer.from(key, 'base64');
  const actual = await scrypt(password, Buffer.from(salt, 'base64'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: 256 * 1024 * 1024,
  });
  return crypto.timingSafeEqual(actual, expected);
}

/** A hash to compare against when the user does not exist, so timing does not reveal it. */
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword(crypto.randomBytes(12).toString('hex'));
  return dummyHash;
}

export type PasswordProblem = { code: string; message: string; messageZh: string };

/** GB/T 22239 level 3: at least 8 characters drawn from at least 3 classes. */
export function checkPasswordPolicy(password: string, username?: string): PasswordProblem | undefined {
  if (password.length < 8) {
    return { code: 'weak_password', message: 'must be at least 8 characters', messageZh: '至少 8 个字符' };
  }
  if (password.length > 128) {
    return { code: 'weak_password', message: 'must be at most 128 characters', messageZh: '最多 128 个字符' };
  }
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
  if (classes < 3) {
    return {
      code: 'weak_password',
      message: 'must mix at least 3 of: lowercase letters, uppercase letters, digits, symbols',
      messageZh: '须包含小写字母、大写字母、数字、符号中的至少 3 类',
    };
  }
  if (username && password.toLowerCase().includes(username.toLowerCase())) {
    return { code: 'weak_password', message: 'must not contain the user name', messageZh: '不得包含用户名' };
  }
  return undefined;
}
