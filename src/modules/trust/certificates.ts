// The certificate lifecycle for organizations: an organization admin requests a signing, seal
// or TLS certificate (with a CSR, or the platform generates the key); the CA operator approves
// or rejects; certificates are renewed before expiry and revoked with a reason. Every step is
// one transaction with its audit row.
import type { Audit } from '../../platform/audit.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db, Executor } from '../../platform/db.ts';
import { ConflictError, DomainError, invalidField, NotFoundError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { auditActor, operatorFromRequest, type Operator, type RequestContext } from '../../platform/actor.ts';
import type { Authority } from './authority.ts';
import { decodeBase64 } from './base64.ts';
import type { RevocationReason } from './crl.ts';
import { CsrError, parseCsr } from './csr.ts';
import * as policy from './policy.ts';
import type { CertificateQuery, CertificateRequestCreate, CertificateRequestView, CertificateView, RequestQuery } from './schema.ts';
import * as store from './store.ts';
import type { Suite, SuiteName } from './suites.ts';
import { readCertificate, type DistinguishedName } from './x509.ts';

export const RENEWAL_WINDOW_DAYS = 30;
export const VALIDITY_DAYS = { signing: 730, seal: 730, tls: 365, member: 730 } as const;
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47]);
const JPEG = Buffer.from([0xff, 0xd8, 0xff]);

export type OrganizationLookup = {
  findOrganization(id: string): Promise<{ id: string; nameZh: string; creditCode: string; identifier: string; status: string } | undefined>;
};
export type PersonLookup = {
  findPerson(id: string): Promise<{ id: string; displayName: string; orgId: string; active: boolean } | undefined>;
};

export type CertificatesDeps = {
  db: Db;
  audit: Audit;
  clock: Clock;
  authority: Authority;
  suites: Record<SuiteName, Suite>;
  suite: SuiteName;
  directory: OrganizationLookup;
  people: PersonLookup;
};

/** An organization's subject: written from the directory, never from what a requester claims. */
export function subjectFor(org: { nameZh: string; creditCode: string }, commonName: string): DistinguishedName {
  return { country: 'CN', organization: org.nameZh, commonName, serialNumber: org.creditCode };
}

export function presentRequest(row: store.CertificateRequestRow): CertificateRequestView {
  return {
    id: row.id,
    orgId: row.org_id,
    profile: row.profile,
    suite: row.suite,
    holderUserId: row.holder_user_id,
    holderName: row.holder_name,
    nodeName: row.node_name,
    seal: row.seal && { name: row.seal.name, holderName: row.seal.holderName, imageType: row.seal.imageType },
    keySource: row.csr_der ? 'csr' : 'platform',
    renewsSerial: row.renews_serial,
    status: row.status,
    requestedByName: row.requested_by_name,
    requestedAt: row.requested_at.toISOString(),
    decidedByName: row.decided_by_name,
    decidedAt: row.decided_at?.toISOString() ?? null,
    decisionNote: row.decision_note,
    certificateSerial: row.certificate_serial,
    version: row.version,
  };
}

export function presentCertificate(row: store.CertificateRow, now: Date, options: { withSealImage?: boolean } = {}): CertificateView {
  const expired = row.not_after.getTime() < now.getTime();
  const status = row.revoked_at ? 'revoked' : expired ? 'expired' : 'good';
  return {
    serial: row.serial,
    profile: row.profile,
    suite: row.suite,
    orgId: row.org_id,
    subject: { commonName: row.subject.commonName, organization: row.subject.organization, serialNumber: row.subject.serialNumber },
    holderUserId: row.holder_user_id,
    holderName: row.holder_name,
    seal: row.seal && { name: row.seal.name, holderName: row.seal.holderName, imageType: row.seal.imageType, ...(options.withSealImage ? { imageBase64: row.seal.imageBase64 } : {}) },
    notBefore: row.not_before.toISOString(),
    notAfter: row.not_after.toISOString(),
    status,
    revokedAt: row.revoked_at?.toISOString() ?? null,
    revocationReason: row.revocation_reason,
    renewalDue: status === 'good' && row.not_after.getTime() - now.getTime() <= RENEWAL_WINDOW_DAYS * 86_400_000,
    platformHeldKey: row.key_id !== null,
  };
}

export function createCertificates(deps: CertificatesDeps) {
  const { db, audit, clock, authority } = deps;

  async function holderIn(orgId: string, userId: string | undefined, fieldName: string) {
    if (!userId) throw invalidField(fieldName, 'required', 'is required for this kind of certificate', '此类证书必须指定');
    const person = await deps.people.findPerson(userId);
    if (!person || person.orgId !== orgId || !person.active) {
      throw invalidField(fieldName, 'not_in_organization', 'is not an active account of your organization', '不是本单位的有效账户');
    }
    return person;
  }

  function sealImage(seal: NonNullable<CertificateRequestCreate['seal']>): Buffer {
    const image = decodeBase64('seal.imageBase64', seal.imageBase64);
    const magic = seal.imageType === 'image/png' ? PNG : JPEG;
    if (!image.subarray(0, magic.length).equals(magic)) throw invalidField('seal.imageBase64', 'image_type', `is not a ${seal.imageType} image`, `不是 ${seal.imageType} 图像`);
    return image;
  }

  function csrKey(csrPem: string, suite: SuiteName) {
    let parsed;
    try {
      parsed = parseCsr(Buffer.from(csrPem, 'utf8'), deps.suites);
    } catch (err) {
      if (err instanceof CsrError) throw invalidField('csrPem', 'csr', err.message, `证书签名请求无效：${err.message}`);
      throw err;
    }
    if (parsed.suite !== suite) throw invalidField('csrPem', 'suite', `holds a ${parsed.suite} key but ${suite} was requested`, `密钥算法为 ${parsed.suite}，与申请的 ${suite} 不符`);
    return parsed;
  }

  /** An organization's certificate by serial; the CA's own certificates are not found here. */
  async function findIssued(serial: string): Promise<store.CertificateRow> {
    const row = await store.findCertificate(db, serial.toLowerCase());
    if (!row || row.org_id === null) throw new NotFoundError('certificate', serial, '证书');
    return row;
  }

  async function findCertificateFor(ctx: RequestContext, serial: string) {
    const row = await findIssued(serial);
    policy.assertMayRead(ctx.actor, row.org_id);
    return row;
  }

  async function buildRequest(operator: Operator, orgId: string, input: CertificateRequestCreate, renews?: store.CertificateRow): Promise<store.CertificateRequestRow> {
    const suite = input.suite ?? deps.suite;
    let holder: { id: string; displayName: string } | null = null;
    let seal: store.SealInfo | null = null;
    if (input.profile === 'signing') holder = await holderIn(orgId, input.holderUserId, 'holderUserId');
    if (input.profile === 'seal') {
      if (!input.seal) throw invalidField('seal', 'required', 'name, image and image type are required for a seal certificate', '电子印章证书须提供印章名称、图像和图像类型');
      holder = await holderIn(orgId, input.holderUserId, 'holderUserId');
      seal = { name: input.seal.name, holderName: holder.displayName, imageType: input.seal.imageType, imageBase64: sealImage(input.seal).toString('base64') };
    }
    if (input.profile === 'tls' && !input.nodeName) throw invalidField('nodeName', 'required', 'is required for a TLS certificate', 'TLS 证书必须提供节点域名');
    const csr = input.csrPem ? csrKey(input.csrPem, suite) : null;
    const row: store.CertificateRequestRow = {
      id: newId(),
      org_id: orgId,
      profile: input.profile,
      suite,
      holder_user_id: holder?.id ?? null,
      holder_name: holder?.displayName ?? null,
      node_name: input.profile === 'tls' ? input.nodeName!.toLowerCase() : null,
      seal,
      csr_der: csr?.der ?? null,
      // A CSR-based certificate renews with the same key unless a new CSR is given.
      public_spki: csr?.publicKeySpki ?? (renews && renews.key_id === null ? readCertificate(Buffer.from(renews.der)).publicKeySpki : null),
      renews_serial: renews?.serial ?? null,
      status: 'pending',
      requested_by: operator.actor?.userId ?? null,
      requested_by_name: operator.actor?.displayName ?? operator.auditAs.name,
      requested_at: clock.now(),
      decided_by_name: null,
      decided_at: null,
      decision_note: null,
      certificate_serial: null,
      version: 1,
    };
    return row;
  }

  async function insertRequest(trx: Executor, operator: Operator, row: store.CertificateRequestRow): Promise<void> {
    await store.insertRequest(trx, row);
    await audit.record(trx, { actor: operator.auditAs, action: row.renews_serial ? 'trust.certificate.renew_request' : 'trust.certificate.request', subjectType: 'certificate_request', subjectId: row.id, outcome: 'success', detail: { profile: row.profile, suite: row.suite, keySource: row.csr_der ? 'csr' : 'platform', renews: row.renews_serial }, ip: operator.ip, requestId: operator.requestId });
  }

  /** Generates the key when the platform keeps it, issues the certificate and records the approval. */
  async function issueFor(trx: Executor, operator: Operator, row: store.CertificateRequestRow, note: string | null): Promise<store.CertificateRequestRow> {
    const org = await deps.directory.findOrganization(row.org_id);
    if (!org || org.status !== 'active') throw new ConflictError('organization_inactive', 'The organization is not active; its request cannot be approved.', '该单位已停用，不能批准其申请。');
    let publicKeySpki = row.public_spki;
    let keyId: string | null = null;
    if (!publicKeySpki) {
      const key = deps.suites[row.suite].generateKeyPair();
      keyId = await authority.storeOrganizationKey(trx, key, row.org_id);
      publicKeySpki = key.publicKeySpki;
    }
    const commonName = row.profile === 'signing' ? row.holder_name! : row.profile === 'seal' ? row.seal!.name : row.node_name!;
    const issued = await authority.issueLeaf(trx, {
      profile: row.profile,
      subject: subjectFor(org, commonName),
      publicKeySpki: Buffer.from(publicKeySpki),
      altNames: { uris: [`urn:egov:${org.identifier}`], ...(row.profile === 'tls' ? { dnsNames: [row.node_name!] } : {}) },
      validityDays: VALIDITY_DAYS[row.profile],
      orgId: row.org_id,
      keyId,
      holderUserId: row.holder_user_id,
      holderName: row.holder_name,
      seal: row.seal,
      requestId: row.id,
    });
    const decision = { status: 'approved' as const, decided_by_name: operator.actor?.displayName ?? operator.auditAs.name, decided_at: clock.now(), decision_note: note, certificate_serial: issued.serial };
    await store.decideRequest(trx, row.id, decision);
    await audit.record(trx, { actor: operator.auditAs, action: 'trust.certificate.issue', subjectType: 'certificate', subjectId: issued.serial, outcome: 'success', detail: { request: row.id, profile: row.profile, orgId: row.org_id, notAfter: issued.notAfter.toISOString() }, ip: operator.ip, requestId: operator.requestId });
    return { ...row, ...decision, version: row.version + 1 };
  }

  return {
    async request(ctx: RequestContext, input: CertificateRequestCreate, renews?: store.CertificateRow): Promise<CertificateRequestView> {
      policy.assertMayRequest(ctx.actor);
      const row = await buildRequest(operatorFromRequest(ctx), ctx.actor.orgId, input, renews);
      await db.transaction().execute(async (trx) => insertRequest(trx, operatorFromRequest(ctx), row));
      return presentRequest(row);
    },

    /**
     * The CLI's `egov trust issue`: the local operator holds the CA's keys already, so the
     * request and its approval are one step, one transaction, and both are audited.
     */
    async issueDirect(operator: Operator, orgId: string, input: CertificateRequestCreate): Promise<{ serial: string; der: Buffer }> {
      const row = await buildRequest(operator, orgId, input);
      return db.transaction().execute(async (trx) => {
        await insertRequest(trx, operator, row);
        const issued = await issueFor(trx, operator, row, 'issued from the command line');
        const cert = await store.findCertificate(trx, issued.certificate_serial!);
        return { serial: issued.certificate_serial!, der: Buffer.from(cert!.der) };
      });
    },

    async renew(ctx: RequestContext, serial: string, csrPem: string | undefined): Promise<CertificateRequestView> {
      const cert = await findCertificateFor(ctx, serial);
      policy.assertMayRenew(ctx.actor, cert.org_id);
      if (cert.revoked_at) throw new ConflictError('certificate_revoked', 'A revoked certificate cannot be renewed; request a new one.', '已吊销的证书不能续期，请重新申请。');
      if (await store.pendingRenewal(db, cert.serial)) throw new ConflictError('renewal_pending', 'A renewal of this certificate is already waiting for approval.', '该证书的续期申请正在等待审批。');
      return this.request(
        ctx,
        {
          profile: cert.profile as 'signing' | 'seal' | 'tls',
          suite: cert.suite,
          holderUserId: cert.holder_user_id ?? undefined,
          nodeName: cert.profile === 'tls' ? cert.subject.commonName : undefined,
          seal: cert.seal ? { name: cert.seal.name, imageType: cert.seal.imageType as 'image/png' | 'image/jpeg', imageBase64: cert.seal.imageBase64 } : undefined,
          csrPem,
        },
        cert,
      );
    },

    async listRequests(ctx: RequestContext, query: RequestQuery) {
      const all = policy.mayReadAll(ctx.actor);
      const { rows, total } = await store.listRequests(db, { orgIds: all ? undefined : [ctx.actor.orgId], status: query.status, limit: query.limit ?? 50, offset: query.offset ?? 0 });
      return { items: rows.map(presentRequest), total };
    },

    async approve(ctx: RequestContext, id: string, version: number, note: string | undefined): Promise<CertificateRequestView> {
      policy.assertCaOperator(ctx.actor);
      const decided = await db.transaction().execute(async (trx) => issueFor(trx, operatorFromRequest(ctx), await lockPending(trx, id, version), note ?? null));
      return presentRequest(decided);
    },

    async reject(ctx: RequestContext, id: string, version: number, note: string): Promise<CertificateRequestView> {
      policy.assertCaOperator(ctx.actor);
      const decided = await db.transaction().execute(async (trx) => {
        const row = await lockPending(trx, id, version);
        const decision = { status: 'rejected' as const, decided_by_name: ctx.actor.displayName, decided_at: clock.now(), decision_note: note, certificate_serial: null };
        await store.decideRequest(trx, id, decision);
        await audit.record(trx, { actor: auditActor(ctx.actor), action: 'trust.certificate.reject', subjectType: 'certificate_request', subjectId: id, outcome: 'success', detail: { note }, ip: ctx.ip, requestId: ctx.requestId });
        return { ...row, ...decision, version: row.version + 1 };
      });
      return presentRequest(decided);
    },

    async list(ctx: RequestContext, query: CertificateQuery) {
      const all = policy.mayReadAll(ctx.actor);
      if (query.orgId && !all) policy.assertMayRead(ctx.actor, query.orgId);
      const orgIds = query.orgId ? [query.orgId] : all ? undefined : [ctx.actor.orgId];
      const { rows, total } = await store.listCertificates(db, { orgIds, profiles: ['signing', 'seal', 'tls', 'member'], limit: query.limit ?? 50, offset: query.offset ?? 0 });
      const now = clock.now();
      return { items: rows.map((r) => presentCertificate(r, now)), total };
    },

    async get(ctx: RequestContext, serial: string): Promise<CertificateView> {
      return presentCertificate(await findCertificateFor(ctx, serial), clock.now(), { withSealImage: true });
    },

    async download(ctx: RequestContext, serial: string): Promise<Buffer> {
      return Buffer.from((await findCertificateFor(ctx, serial)).der);
    },

    async revoke(ctx: RequestContext, serial: string, reason: RevocationReason): Promise<CertificateView> {
      const cert = await findCertificateFor(ctx, serial);
      policy.assertMayRevoke(ctx.actor, cert.org_id);
      return this.revokeAs(operatorFromRequest(ctx), cert, reason);
    },

    /** Revokes in one transaction with its audit row; the caller has checked who may. */
    async revokeAs(operator: Operator, cert: store.CertificateRow, reason: RevocationReason): Promise<CertificateView> {
      const at = clock.now();
      await db.transaction().execute(async (trx) => {
        const changed = await authority.revokeIn(trx, cert.serial, reason, at);
        if (!changed) throw new ConflictError('already_revoked', 'The certificate is already revoked.', '该证书已被吊销。');
        await audit.record(trx, { actor: operator.auditAs, action: 'trust.certificate.revoke', subjectType: 'certificate', subjectId: cert.serial, outcome: 'success', detail: { reason, orgId: cert.org_id }, ip: operator.ip, requestId: operator.requestId });
      });
      return presentCertificate({ ...cert, revoked_at: at, revocation_reason: reason }, at);
    },

    /** An organization's certificate by serial, for the CLI (which is not bound by a role). */
    findIssued,

    /** The certificate the actor signs with: theirs, valid now, with a key the platform holds. */
    async signingCertificate(ctx: RequestContext, serial: string): Promise<store.CertificateRow> {
      const cert = await findCertificateFor(ctx, serial);
      policy.assertMaySign(ctx.actor, cert.holder_user_id);
      this.assertUsable(cert);
      if (!cert.key_id) throw new DomainError('key_not_held', 'The platform does not hold this certificate\'s key (it came from a CSR); sign with your own key, e.g. egov trust sign --key.', '平台未保管此证书的私钥（证书由 CSR 签发），请使用自有私钥签名，例如 egov trust sign --key。');
      return cert;
    },

    /** Refuses a revoked or expired certificate for new signatures. */
    assertUsable(cert: store.CertificateRow): void {
      const now = clock.now();
      if (cert.revoked_at) throw new DomainError('certificate_revoked', `Certificate ${cert.serial} was revoked on ${cert.revoked_at.toISOString()}; it cannot sign.`, `证书 ${cert.serial} 已于 ${cert.revoked_at.toISOString()} 吊销，不能用于签名。`);
      if (cert.not_after < now) throw new DomainError('certificate_expired', `Certificate ${cert.serial} expired on ${cert.not_after.toISOString()}; renew it to sign.`, `证书 ${cert.serial} 已于 ${cert.not_after.toISOString()} 过期，请续期后再签名。`);
    },
  };

  async function lockPending(trx: Executor, id: string, version: number) {
    const row = await store.findRequest(trx, id, true);
    if (!row) throw new NotFoundError('certificate request', id, '证书申请');
    if (row.status !== 'pending') throw new ConflictError('already_decided', `The request was already ${row.status}.`, `该申请已${row.status === 'approved' ? '批准' : '驳回'}。`);
    if (row.version !== version) throw new ConflictError('stale_version', 'The request changed since you loaded it; reload and decide again.', '申请已被修改，请刷新后重新审批。');
    return row;
  }
}

export type Certificates = ReturnType<typeof createCertificates>;
