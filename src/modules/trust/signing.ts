// Signing documents and timestamping hashes. Every signature gets an RFC 3161 timestamp over
// its signature value (CAdES-T style), so a verifier can prove when it was made, and therefore
// whether the certificate was valid then, even after a later revocation.
import type { Clock } from '../../platform/clock.ts';
import type { Audit } from '../../platform/audit.ts';
import type { Db, Executor } from '../../platform/db.ts';
import { operatorFromRequest, type Operator, type RequestContext } from '../../platform/actor.ts';
import { ConflictError, DomainError, ValidationError } from '../../platform/errors.ts';
import type { Authority } from './authority.ts';
import { decodeBase64 } from './base64.ts';
import type { Certificates } from './certificates.ts';
import { digestOf, signCms, type CmsSigner, type DigestName } from './cms.ts';
import { b64url, derToRaw, JWS_ALG, signingInput, type FlattenedJws } from './jws.ts';
import { buildSealXml } from './seal-xml.ts';
import type { SignInput } from './schema.ts';
import { findOrganizationSeal, type CertificateRow } from './store.ts';
import type { DistinguishedName } from './x509.ts';
import { issueBatch, issueToken, signatureTimestamp, signatureTimestampToken } from './tsa.ts';

export const SEAL_JWS_TYPE = 'egov-seal+jws';
/** The unprotected JWS header that carries the timestamp token over the signature. */
export const JWS_TIMESTAMP_HEADER = 'egov-tst';

export type SignFormat = 'cms' | 'seal-json' | 'seal-xml';

export type SignedDocument = { format: string; mode: string; mediaType: string; fileExtension: string; signature: Buffer; signedAt: Date };

export function createSigning(deps: { db: Db; audit: Audit; clock: Clock; authority: Authority; certificates: Certificates }) {
  const { authority, clock } = deps;

  /** CMS with the signature timestamp as an unsigned attribute; the TSA signer is loaded first. */
  async function cmsSignature(content: Buffer, detached: boolean, signer: CmsSigner, at: Date): Promise<Buffer> {
    const tsa = await authority.tsaSigner();
    return signCms({
      content,
      detached,
      signer,
      signingTime: at,
      unsignedAttributes: (signature) => [signatureTimestamp(signature, signer.suite.hash, tsa, at)],
    });
  }

  async function sealJson(document: Buffer, signer: CmsSigner, seal: { name: string; holderName: string }, serial: string, at: Date, executor?: Executor): Promise<Buffer> {
    try {
      JSON.parse(document.toString('utf8'));
    } catch {
      throw new ValidationError([{ field: 'documentBase64', code: 'json', message: 'is not a JSON document; seal-json seals JSON', messageZh: '不是 JSON 文档，seal-json 只能用于 JSON' }]);
    }
    const header = { alg: JWS_ALG[signer.suite.name], typ: SEAL_JWS_TYPE, x5c: [signer.certificateDer, ...signer.chain].map((d) => d.toString('base64')), 'egov-seal': { name: seal.name, holderName: seal.holderName, certificate: serial }, iat: Math.floor(at.getTime() / 1000) };
    const unsigned = { protected: b64url(JSON.stringify(header)), payload: b64url(document) };
    const signature = derToRaw(signer.suite.sign(signingInput(unsigned), signer.key));
    const token = signatureTimestampToken(signature, signer.suite.hash, await authority.tsaSigner(executor), at);
    const jws: FlattenedJws = { ...unsigned, signature: b64url(signature), header: { [JWS_TIMESTAMP_HEADER]: token.toString('base64') } };
    return Buffer.from(JSON.stringify(jws, null, 2) + '\n', 'utf8');
  }

  return {
    async sign(ctx: RequestContext, input: SignInput): Promise<SignedDocument> {
      const cert = await deps.certificates.signingCertificate(ctx, input.certificateSerial);
      const document = decodeBase64('documentBase64', input.documentBase64);
      return this.signAs(operatorFromRequest(ctx), cert, await authority.signer(cert.serial), document, input.format ?? 'cms', input.mode ?? 'detached');
    },

    /** Signs with `signer` (the platform's key, or one the CLI loaded) and audits it; policy is the caller's. */
    async signAs(operator: Operator, cert: CertificateRow, signer: CmsSigner, document: Buffer, format: SignFormat, mode: 'detached' | 'enveloping'): Promise<SignedDocument> {
      if (format !== 'cms' && cert.profile !== 'seal') {
        throw new DomainError('not_a_seal', `${format} needs a seal certificate; ${cert.serial} is a ${cert.profile} certificate.`, `${format} 需要电子印章证书；${cert.serial} 是${cert.profile}证书。`);
      }
      if (format === 'seal-xml' && !document.subarray(0, 256).toString('utf8').trimStart().startsWith('<')) {
        throw new ValidationError([{ field: 'documentBase64', code: 'xml', message: 'is not an XML document; seal-xml seals XML', messageZh: '不是 XML 文档，seal-xml 只能用于 XML' }]);
      }
      const at = clock.now();
      let result: SignedDocument;
      if (format === 'seal-json') {
        result = { format, mode: 'enveloping', mediaType: 'application/json', fileExtension: '.sealed.json', signature: await sealJson(document, signer, cert.seal!, cert.serial, at), signedAt: at };
      } else if (format === 'seal-xml') {
        const signature = await cmsSignature(document, true, signer, at);
        const xml = buildSealXml({ sealName: cert.seal!.name, holderName: cert.seal!.holderName, certificateSerial: cert.serial, content: document, signature });
        result = { format, mode: 'enveloping', mediaType: 'application/xml', fileExtension: '.sealed.xml', signature: xml, signedAt: at };
      } else {
        const signature = await cmsSignature(document, mode === 'detached', signer, at);
        result = { format, mode, mediaType: mode === 'detached' ? 'application/pkcs7-signature' : 'application/pkcs7-mime', fileExtension: mode === 'detached' ? '.p7s' : '.p7m', signature, signedAt: at };
      }
      await deps.audit.record(deps.db, { actor: operator.auditAs, action: 'trust.document.sign', subjectType: 'certificate', subjectId: cert.serial, outcome: 'success', detail: { format, mode: result.mode, sha256: digestOf('sha256', document).toString('hex'), bytes: document.length }, ip: operator.ip, requestId: operator.requestId });
      return result;
    },

    /**
     * Seals a JSON document (JWS, decision 0006) with the organization's current seal, in the
     * caller's transaction (every read and the audit row go through `trx`), so another
     * module's write and its sealed document commit together. `build` makes the document once
     * the seal is known (a document may name its sealer, as a licence names its issuer's code).
     * No policy: the caller decides that the organization seals this document. A ConflictError
     * `no_seal` when the organization has no valid seal certificate whose key the platform holds.
     */
    async sealJsonIn(trx: Executor, operator: Operator, orgId: string, build: (sealer: { subject: DistinguishedName; certificateSerial: string; at: Date }) => Buffer): Promise<{ jws: Buffer; document: Buffer; certificateSerial: string; seal: { name: string; holderName: string }; subject: DistinguishedName; signedAt: Date }> {
      // Whole seconds: the JWS's iat says seconds, and the document may carry the same time.
      const at = new Date(Math.floor(clock.now().getTime() / 1000) * 1000);
      const cert = await findOrganizationSeal(trx, orgId, at);
      if (!cert?.seal) {
        throw new ConflictError(
          'no_seal',
          "The issuing organization has no valid seal certificate whose key the platform holds. Its administrator requests a seal certificate (Trust services → certificate requests), and the CA operator approves it.",
          '发证机关没有由平台保管私钥的有效电子印章证书。请其管理员在“信任服务 → 证书申请”中申请电子印章证书，并由 CA 操作员批准。',
        );
      }
      const signer = await authority.signer(cert.serial, trx);
      const document = build({ subject: cert.subject, certificateSerial: cert.serial, at });
      const jws = await sealJson(document, signer, cert.seal, cert.serial, at, trx);
      await deps.audit.record(trx, { actor: operator.auditAs, action: 'trust.document.sign', subjectType: 'certificate', subjectId: cert.serial, outcome: 'success', detail: { format: 'seal-json', mode: 'enveloping', sha256: digestOf('sha256', document).toString('hex'), bytes: document.length }, ip: operator.ip, requestId: operator.requestId });
      return { jws, document, certificateSerial: cert.serial, seal: { name: cert.seal.name, holderName: cert.seal.holderName }, subject: cert.subject, signedAt: at };
    },

    /** A timestamp token over a hash (hex) or a document's hash. */
    async timestamp(input: { hash?: DigestName; digestHex?: string; documentBase64?: string }): Promise<{ token: Buffer; genTime: Date; hash: DigestName; digest: Buffer }> {
      const hash = input.hash ?? (await authority.tsaSigner()).suite.hash;
      if ((input.digestHex === undefined) === (input.documentBase64 === undefined)) {
        throw new ValidationError([{ field: 'digestHex', code: 'one_of', message: 'give exactly one of digestHex and documentBase64', messageZh: 'digestHex 与 documentBase64 须且只能提供一个' }]);
      }
      const digest = input.digestHex !== undefined ? Buffer.from(input.digestHex, 'hex') : digestOf(hash, decodeBase64('documentBase64', input.documentBase64!));
      const genTime = clock.now();
      return { token: issueToken({ imprint: { hash, digest }, signer: await authority.tsaSigner(), genTime }), genTime, hash, digest };
    },

    /** A token for an RFC 3161 request's imprint, echoing its nonce. */
    async tokenFor(imprint: { hash: DigestName; digest: Buffer }, nonce: ArrayBuffer | undefined): Promise<Buffer> {
      return issueToken({ imprint, signer: await authority.tsaSigner(), genTime: clock.now(), nonce });
    },

    /** One token over many hashes, with an inclusion proof for each. */
    async timestampBatch(hash: DigestName | undefined, digests: Buffer[]) {
      const signer = await authority.tsaSigner();
      const genTime = clock.now();
      return { ...issueBatch({ hash: hash ?? signer.suite.hash, items: digests, signer, genTime }), genTime };
    },
  };
}

export type Signing = ReturnType<typeof createSigning>;
