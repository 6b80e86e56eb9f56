// The rules a client registration must meet, each refusal naming its field in both languages.
import type { FieldError } from '../../../platform/errors.ts';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Problems with one redirect URI: absolute https, or http to this machine for development. */
export function redirectUriProblem(field: string, value: string): FieldError | undefined {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url) return { field, code: 'not_absolute_url', message: 'must be an absolute URL, like https://app.example.gov.cn/callback', messageZh: '须为完整网址，例如 https://app.example.gov.cn/callback' };
  if (url.protocol === 'http:' && !LOOPBACK.has(url.hostname)) {
    return { field, code: 'not_https', message: 'must use https (http only for 127.0.0.1 or localhost, in development)', messageZh: '须使用 https（仅开发用的 127.0.0.1 或 localhost 可用 http）' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { field, code: 'not_https', message: 'must use https', messageZh: '须使用 https' };
  if (url.hash || value.includes('#')) return { field, code: 'has_fragment', message: 'may not contain a fragment (#…)', messageZh: '不能包含片段（#…）' };
  if (url.username || url.password) return { field, code: 'has_credentials', message: 'may not contain a user name or password', messageZh: '不能包含用户名或密码' };
  return undefined;
}

export function uriListProblems(field: string, values: string[]): FieldError[] {
  const problems = values.map((v, i) => redirectUriProblem(`${field}[${i}]`, v)).filter((p): p is FieldError => p !== undefined);
  if (new Set(values).size !== values.length) problems.push({ field, code: 'duplicate', message: 'lists the same address twice', messageZh: '重复列出了同一地址' });
  return problems;
}

export function scopeProblems(scopes: string[]): FieldError[] {
  return scopes.includes('openid') ? [] : [{ field: 'scopes', code: 'openid_required', message: 'must include openid', messageZh: '须包含 openid' }];
}

/** private_key_jwt needs the client's public keys; a secret client has none. */
export function jwksProblems(authMethod: string, jwks: { keys: Record<string, unknown>[] } | undefined | null): FieldError[] {
  if (authMethod === 'client_secret_basic') {
    return jwks ? [{ field: 'jwks', code: 'not_allowed', message: 'is only for private_key_jwt; a client_secret_basic client authenticates with its secret', messageZh: '仅用于 private_key_jwt；client_secret_basic 客户端以密钥认证' }] : [];
  }
  if (!jwks) return [{ field: 'jwks', code: 'required', message: 'is required for private_key_jwt: the public keys the client signs with', messageZh: 'private_key_jwt 须提供客户端签名所用的公钥集' }];
  const problems: FieldError[] = [];
  jwks.keys.forEach((key, i) => {
    const field = `jwks.keys[${i}]`;
    if (!['EC', 'RSA', 'OKP'].includes(String(key.kty))) problems.push({ field: `${field}.kty`, code: 'unsupported_key', message: 'must be EC, RSA or OKP', messageZh: '须为 EC、RSA 或 OKP' });
    if ('d' in key || 'p' in key || 'k' in key) problems.push({ field, code: 'private_key', message: 'is a private key: register only the public part', messageZh: '是私钥：只登记公钥部分' });
  });
  return problems;
}
