// Verifying what this platform signs: CMS signatures (detached or enveloping), sealed JSON
// (JWS) and sealed XML documents, and RFC 3161 timestamp tokens. The answer says, in plain
// words in both languages: valid or why not, who signed (organization and person), when
// (proven by the timestamp), and whether the certificate was valid at that time.
import type { Clock } from '../../platform/clock.ts';
import { ValidationError } from '../../platform/errors.ts';
import type { Authority } from './authority.ts';
import { checkCms, CmsFormatError, digestOf, id_aa_signatureTimeStampToken, parseCms, type ParsedCms } from './cms.ts';
import { JWS_ALG, rawToDer, signingInput, type FlattenedJws } from './jws.ts';
import { isSealXml, parseSealXml } from './seal-xml.ts';
import { JWS_TIMESTAMP_HEADER, SEAL_JWS_TYPE } from './signing.ts';
import type { CertificateRow } from './store.ts';
import type { Suite, SuiteName } from './suites.ts';
import { id_ct_tstInfo, readToken, TimestampError, type VerifiedToken } from './tsa.ts';
import { derFromPemOrDer, PemError, readCertificate } from './x509.ts';

/** Why a signature is not valid; each reason reads well to a citizen in either language. */
export const REASONS = {
  content_mismatch: ['The document was changed after it was signed, or it is not the document this signature is for.', '文件在签名后被修改过，或者不是该签名对应的文件。'],
  missing_content: ['This is a detached signature: upload the signed document with it.', '这是分离式签名，请同时上传被签名的文件。'],
  bad_signature: ['The signature value does not match the signer\'s key: the signature was altered.', '签名值与签名人的密钥不符，签名已被篡改。'],
  content_type_mismatch: ['The signed content type does not match the content.', '签名的内容类型与内容不符。'],
  untrusted_signer: ["The signer's certificate was not issued by this platform's certificate authority.", '签名证书不是本平台 CA 签发的。'],
  bad_timestamp: ['The timestamp on the signature does not verify, so the time of signing is unproven.', '签名上的时间戳验证失败，签名时间无法证明。'],
  untrusted_timestamp: ["The timestamp was not issued by this platform's time stamping authority.", '时间戳不是本平台时间戳服务签发的。'],
  timestamp_mismatch: ['The timestamp does not cover this signature.', '时间戳与该签名不对应。'],
  not_yet_valid: ['The document was signed before the certificate became valid.', '签名时证书尚未生效。'],
  expired_at_signing: ['The document was signed after the certificate expired.', '签名时证书已过期。'],
  revoked_at_signing: ['The document was signed after the certificate was revoked.', '签名时证书已被吊销。'],
  revoked_unproven_time: ['The certificate has been revoked and the signature has no timestamp, so it cannot be shown to predate the revocation.', '证书已被吊销，且签名没有时间戳，无法证明签名早于吊销。'],
  document_mismatch: ['The timestamp does not cover this document.', '时间戳与该文件不对应。'],
} as const satisfies Record<string, [string, string]>;
export type ReasonCode = keyof typeof REASONS;

export type VerificationResult = {
  valid: boolean;
  reason: { code: ReasonCode; message: string; messageZh: string } | null;
  format: 'cms' | 'seal-json' | 'seal-xml' | 'timestamp';
  mode: 'detached' | 'enveloping' | null;
  signer: { organization: string | null; creditCode: string | null; identifier: string | null; person: string | null; certificateSerial: string; profile: string | null } | null;
  seal: { name: string; holderName: string } | null;
  signedAt: string | null;
  timestamped: boolean;
  certificate: { status: 'good' | 'revoked' | 'unknown'; validAtSigningTime: boolean; notBefore: string; notAfter: string; revokedAt: string | null; revocationReason: string | null } | null;
  /** For enveloping signatures: the signed content, so the user can take it out. */
  contentBase64: string | null;
};

/** A signature we cannot even read: a 400 naming what is wrong. */
function unreadable(message: string, messageZh: string): ValidationError {
  return new ValidationError([{ field: 'signatureBase64', code: 'unreadable', message, messageZh }]);
}

export function createVerification(deps: { authority: Authority; suites: Record<SuiteName, Suite>; clock: Clock }) {
  const { authority, suites } = deps;

  /** Checks a timestamp token's own signature and that our TSA issued it. */
  async function trustedToken(der: Uint8Array): Promise<{ token?: VerifiedToken; failure?: ReasonCode }> {
    let token: VerifiedToken;
    try {
      token = readToken(der, (cms) => checkCms(cms, suites).ok);
    } catch {
      return { failure: 'bad_timestamp' };
    }
    const tsa = await authority.recognise(token.tsaCertificate);
    if (!tsa || tsa.profile !== 'tsa') return { failure: 'untrusted_timestamp' };
    return { token };
  }

  /** The signer's identity, the proven time, and the certificate's state at that time. */
  async function judge(base: Pick<VerificationResult, 'format' | 'mode' | 'seal' | 'contentBase64'>, certificateDer: Buffer, signature: Buffer, tokenDer: Uint8Array | undefined, claimedTime: Date | undefined, cryptoFailure: ReasonCode | undefined): Promise<VerificationResult> {
    const info = readCertificate(certificateDer);
    const row: CertificateRow | undefined = await authority.recognise(certificateDer);
    const identifierUri = info.uris.find((u) => u.startsWith('urn:egov:'));
    const result: VerificationResult = {
      ...base,
      valid: false,
      reason: null,
      signer: {
        organization: info.subject.organization ?? null,
        creditCode: info.subject.serialNumber ?? null,
        identifier: identifierUri ? identifierUri.slice('urn:egov:'.length) : null,
        person: row?.profile === 'seal' ? (row.seal?.holderName ?? null) : (row?.holder_name ?? info.subject.commonName),
        certificateSerial: info.serial,
        profile: row?.profile ?? null,
      },
      signedAt: claimedTime?.toISOString() ?? null,
      timestamped: false,
      certificate: null,
    };
    const fail = (code: ReasonCode) => ({ ...result, valid: false, reason: { code, message: REASONS[code][0], messageZh: REASONS[code][1] } });
    if (cryptoFailure) return fail(cryptoFailure);
    if (!row) return fail('untrusted_signer');

    let signedAt = claimedTime;
    if (tokenDer) {
      const { token, failure } = await trustedToken(tokenDer);
      if (failure) return fail(failure);
      if (!token!.imprint.digest.equals(digestOf(token!.imprint.hash, signature))) return fail('timestamp_mismatch');
      signedAt = token!.genTime;
      result.timestamped = true;
      result.signedAt = signedAt.toISOString();
    }
    // Without a timestamp the claimed signing time proves nothing: judge the certificate now.
    const at = result.timestamped ? signedAt! : deps.clock.now();
    const revokedAt = row.revoked_at;
    const validAt = at >= row.not_before && at <= row.not_after && (!revokedAt || at < revokedAt);
    result.certificate = {
      status: revokedAt ? 'revoked' : 'good',
      validAtSigningTime: validAt,
      notBefore: row.not_before.toISOString(),
      notAfter: row.not_after.toISOString(),
      revokedAt: revokedAt?.toISOString() ?? null,
      revocationReason: row.revocation_reason,
    };
    if (revokedAt && !result.timestamped) return fail('revoked_unproven_time');
    if (at < row.not_before) return fail('not_yet_valid');
    if (at > row.not_after) return fail('expired_at_signing');
    if (revokedAt && at >= revokedAt) return fail('revoked_at_signing');
    return { ...result, valid: true };
  }

  async function verifyCms(der: Buffer, document: Buffer | undefined, format: 'cms' | 'seal-xml', seal: VerificationResult['seal']): Promise<VerificationResult> {
    let parsed: ParsedCms;
    try {
      parsed = parseCms(der);
    } catch (err) {
      if (err instanceof CmsFormatError) throw unreadable(err.message, `无法读取签名：${err.message}`);
      throw err;
    }
    if (parsed.contentType === id_ct_tstInfo) return verifyTimestamp(der, document);
    const check = checkCms(parsed, suites, document);
    const mode = parsed.content ? 'enveloping' : 'detached';
    return judge(
      { format, mode: format === 'seal-xml' ? 'enveloping' : mode, seal, contentBase64: parsed.content && format === 'cms' ? parsed.content.toString('base64') : null },
      parsed.signerCertificate,
      parsed.signature,
      parsed.unsignedAttribute(id_aa_signatureTimeStampToken),
      parsed.signingTime,
      check.ok ? undefined : check.code,
    );
  }

  async function verifySealJson(bytes: Buffer): Promise<VerificationResult> {
    let jws: FlattenedJws;
    let header: { alg?: string; typ?: string; x5c?: string[]; 'egov-seal'?: { name: string; holderName: string } };
    try {
      jws = JSON.parse(bytes.toString('utf8'));
      header = JSON.parse(Buffer.from(jws.protected, 'base64url').toString('utf8'));
    } catch {
      throw unreadable('The JSON is not a sealed document (a JWS with a protected header).', 'JSON 不是电子印章文件（缺少 JWS 受保护头）。');
    }
    if (header.typ !== SEAL_JWS_TYPE || !Array.isArray(header.x5c) || header.x5c.length === 0 || typeof jws.signature !== 'string' || typeof jws.payload !== 'string') {
      throw unreadable(`The JSON is not a sealed document: it needs typ "${SEAL_JWS_TYPE}", x5c, payload and signature.`, `JSON 不是电子印章文件：须包含 typ "${SEAL_JWS_TYPE}"、x5c、payload 和 signature。`);
    }
    const suite = (Object.keys(JWS_ALG) as SuiteName[]).find((s) => JWS_ALG[s] === header.alg);
    if (!suite) throw unreadable(`The JWS algorithm ${String(header.alg)} is not supported; use ES256 or SM2SM3.`, `不支持 JWS 算法 ${String(header.alg)}，请使用 ES256 或 SM2SM3。`);
    const certificateDer = Buffer.from(header.x5c[0], 'base64');
    try {
      readCertificate(certificateDer);
    } catch {
      throw unreadable('The x5c certificate is not an X.509 certificate.', 'x5c 中的证书不是 X.509 证书。');
    }
    const raw = Buffer.from(jws.signature, 'base64url');
    const der = rawToDer(raw);
    let ok = false;
    try {
      ok = der !== undefined && suites[suite].verify(signingInput(jws), der, readCertificate(certificateDer).publicKeySpki);
    } catch {
      ok = false;
    }
    const tokenB64 = jws.header?.[JWS_TIMESTAMP_HEADER];
    const seal = header['egov-seal'] ? { name: String(header['egov-seal'].name), holderName: String(header['egov-seal'].holderName) } : null;
    return judge({ format: 'seal-json', mode: 'enveloping', seal, contentBase64: Buffer.from(jws.payload, 'base64url').toString('base64') }, certificateDer, raw, typeof tokenB64 === 'string' ? Buffer.from(tokenB64, 'base64') : undefined, typeof (header as { iat?: number }).iat === 'number' ? new Date((header as { iat: number }).iat * 1000) : undefined, ok ? undefined : 'bad_signature');
  }

  async function verifyTimestamp(der: Buffer, document: Buffer | undefined): Promise<VerificationResult> {
    let token: VerifiedToken;
    try {
      token = readToken(der, (cms) => checkCms(cms, suites).ok);
    } catch (err) {
      if (err instanceof TimestampError && err.code === 'bad_timestamp_signature') {
        return { valid: false, reason: { code: 'bad_timestamp', message: REASONS.bad_timestamp[0], messageZh: REASONS.bad_timestamp[1] }, format: 'timestamp', mode: null, signer: null, seal: null, signedAt: null, timestamped: true, certificate: null, contentBase64: null };
      }
      throw unreadable((err as Error).message, `无法读取时间戳：${(err as Error).message}`);
    }
    const base = { format: 'timestamp' as const, mode: null, seal: null, contentBase64: null };
    const tsaRow = await authority.recognise(token.tsaCertificate);
    const tsaInfo = readCertificate(token.tsaCertificate);
    const signer = { organization: tsaInfo.subject.organization ?? null, creditCode: null, identifier: null, person: tsaInfo.subject.commonName, certificateSerial: tsaInfo.serial, profile: 'tsa' };
    const result: VerificationResult = { ...base, valid: true, reason: null, signer, signedAt: token.genTime.toISOString(), timestamped: true, certificate: null };
    const fail = (code: ReasonCode): VerificationResult => ({ ...result, valid: false, reason: { code, message: REASONS[code][0], messageZh: REASONS[code][1] } });
    if (!tsaRow || tsaRow.profile !== 'tsa') return fail('untrusted_timestamp');
    if (!document) return fail('missing_content');
    if (!digestOf(token.imprint.hash, document).equals(token.imprint.digest)) return fail('document_mismatch');
    return result;
  }

  return {
    /**
     * Checks a batch token (message log, audit): issued by our TSA, valid, and covering
     * `root`. Returns what is wrong, or undefined when it holds.
     */
    async checkBatchToken(token: Uint8Array, root: Buffer): Promise<string | undefined> {
      const { token: read, failure } = await trustedToken(token);
      if (failure) return REASONS[failure][0];
      if (!read!.imprint.digest.equals(root)) return 'the timestamp covers another root';
      return undefined;
    },

    /** `signed`: a CMS signature (DER/PEM), a sealed JSON or XML document, or a timestamp token. */
    async verify(signed: Buffer, document: Buffer | undefined): Promise<VerificationResult> {
      const head = signed.subarray(0, 64).toString('utf8').trimStart();
      if (head.startsWith('{')) return verifySealJson(signed);
      if (head.startsWith('<')) {
        if (!isSealXml(signed)) throw unreadable('The XML is not a sealed document of this platform (urn:egov:seal:1).', 'XML 不是本平台的电子印章文件（urn:egov:seal:1）。');
        const parts = parseSealXml(signed);
        if (!parts) throw unreadable('The sealed XML document is incomplete: Seal, Content or Signature is missing.', '电子印章 XML 文件不完整：缺少 Seal、Content 或 Signature。');
        return verifyCms(parts.signature, parts.content, 'seal-xml', { name: parts.sealName, holderName: parts.holderName });
      }
      let der: Buffer;
      try {
        der = derFromPemOrDer(signed, 'CMS|PKCS7|PKCS #7 SIGNED DATA');
      } catch (err) {
        if (err instanceof PemError) throw unreadable(err.message, `PEM 格式有误：${err.message}`);
        throw err;
      }
      return verifyCms(der, document, 'cms', null);
    },
  };
}

export type Verification = ReturnType<typeof createVerification>;
