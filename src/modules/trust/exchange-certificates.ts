// Certificates for the exchange: each member's signing certificate and each node's TLS
// authentication certificate. On the central node the platform holds the keys of the members
// it hosts (issued on first use); a member node makes its own keys and the CA certifies them
// when the central operator approves the node. The global configuration publishes the live
// member certificates and every revocation, so nodes check each other without calling here.
import { SYSTEM_ACTOR, type Audit } from '../../platform/audit.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db, Executor } from '../../platform/db.ts';
import { ConflictError } from '../../platform/errors.ts';
import type { Authority } from './authority.ts';
import { subjectFor, VALIDITY_DAYS, type OrganizationLookup } from './certificates.ts';
import type { CmsSigner } from './cms.ts';
import * as store from './store.ts';
import type { Suite, SuiteName } from './suites.ts';

/** A revocation takes effect for a cached signer within this long, not a query per message. */
const MEMBER_RECHECK_MS = 10_000;

export type ExchangeCertificatesDeps = { db: Db; audit: Audit; clock: Clock; authority: Authority; suites: Record<SuiteName, Suite>; suite: SuiteName; directory: OrganizationLookup };

export function createExchangeCertificates(deps: ExchangeCertificatesDeps) {
  const { db, audit, clock, authority } = deps;
  const memberSigners = new Map<string, CmsSigner & { serial: string; notAfter: Date; checkedAt: number }>();

  return {
    /**
     * The member's exchange signing key on this node: the newest valid one, or a new one
     * issued on first use. The node that hosts a member is its security server (X-Road's
     * term), so it holds the key; the issue is audited as the system's.
     */
    async memberSigner(orgId: string): Promise<CmsSigner & { serial: string }> {
      const now = clock.now();
      const cached = memberSigners.get(orgId);
      // A revocation takes effect here within MEMBER_RECHECK_MS, not a query per message.
      if (cached && cached.notAfter > now && now.getTime() - cached.checkedAt < MEMBER_RECHECK_MS) return cached;
      if (cached && cached.notAfter > now && !(await store.findCertificate(db, cached.serial))?.revoked_at) {
        cached.checkedAt = now.getTime();
        return cached;
      }
      let row = await store.findMemberCertificate(db, orgId, now);
      if (!row) {
        row = await db.transaction().execute(async (trx) => {
          await store.lockCrlState(trx); // one issuer at a time, so replicas issue one certificate
          const existing = await store.findMemberCertificate(trx, orgId, now);
          if (existing) return existing;
          const org = await deps.directory.findOrganization(orgId);
          if (!org || org.status !== 'active') throw new ConflictError('organization_inactive', 'The organization is not active; it cannot exchange messages.', '该单位已停用，不能交换消息。');
          const key = deps.suites[deps.suite].generateKeyPair();
          const keyId = await authority.storeOrganizationKey(trx, key, orgId);
          const issued = await authority.issueLeaf(trx, {
            profile: 'member',
            subject: subjectFor(org, `${org.nameZh} exchange`),
            publicKeySpki: key.publicKeySpki,
            altNames: { uris: [`urn:egov:${org.identifier}`] },
            validityDays: VALIDITY_DAYS.member,
            orgId,
            keyId,
            holderUserId: null,
            holderName: null,
            seal: null,
            requestId: null,
          });
          await audit.record(trx, { actor: SYSTEM_ACTOR, action: 'trust.certificate.issue', subjectType: 'certificate', subjectId: issued.serial, outcome: 'success', detail: { profile: 'member', orgId, notAfter: issued.notAfter.toISOString() } });
          return (await store.findCertificate(trx, issued.serial))!;
        });
      }
      const signer = { ...(await authority.signer(row.serial)), serial: row.serial, notAfter: row.not_after, checkedAt: now.getTime() };
      memberSigners.set(orgId, signer);
      return signer;
    },

    /**
     * Certifies a node's keys at the central operator's approval, in the caller's transaction:
     * a TLS authentication certificate for the node (subject: the instance, SAN
     * urn:egov:node:INSTANCE/NAME) and a member certificate for each member it will host. The
     * node keeps the private keys; the CA never sees them. Certificates these replace (the
     * node's earlier ones, a hosted member's earlier ones) are revoked as superseded.
     */
    async certifyNode(trx: Executor, input: { instance: string; nodeName: string; host: string; authKey: Buffer; members: { orgId: string; publicKey: Buffer }[]; replaces: string[] }) {
      const isIp = /^[0-9.]+$|:/.test(input.host);
      const auth = await authority.issueLeaf(trx, {
        profile: 'tls',
        subject: { country: 'CN', organization: input.instance, commonName: `${input.instance} node ${input.nodeName}` },
        publicKeySpki: input.authKey,
        altNames: { uris: [`urn:egov:node:${input.instance}/${input.nodeName}`], ...(isIp ? {} : { dnsNames: [input.host] }) },
        validityDays: VALIDITY_DAYS.tls,
        orgId: '',
        keyId: null,
        holderUserId: null,
        holderName: null,
        seal: null,
        requestId: null,
      });
      const now = clock.now();
      const members: { orgId: string; serial: string; der: Buffer }[] = [];
      for (const member of input.members) {
        const org = await deps.directory.findOrganization(member.orgId);
        if (!org || org.status !== 'active') throw new ConflictError('organization_inactive', 'A member of the node is not an active organization.', '节点托管的成员不是有效单位。');
        // The member's earlier exchange certificates (e.g. held by the central node) give way.
        for (const old of await store.listLiveMemberCertificates(trx, member.orgId, now)) await authority.revokeIn(trx, old.serial, 'superseded', now);
        const issued = await authority.issueLeaf(trx, { profile: 'member', subject: subjectFor(org, `${org.nameZh} exchange`), publicKeySpki: member.publicKey, altNames: { uris: [`urn:egov:${org.identifier}`] }, validityDays: VALIDITY_DAYS.member, orgId: member.orgId, keyId: null, holderUserId: null, holderName: null, seal: null, requestId: null });
        members.push({ orgId: member.orgId, serial: issued.serial, der: issued.der });
      }
      for (const serial of input.replaces) await authority.revokeIn(trx, serial, 'superseded', now);
      for (const c of [auth, ...members]) await audit.record(trx, { actor: SYSTEM_ACTOR, action: 'trust.certificate.issue', subjectType: 'certificate', subjectId: c.serial, outcome: 'success', detail: { profile: c === auth ? 'tls' : 'member', node: input.nodeName } });
      memberSigners.clear();
      return { auth: { serial: auth.serial, der: auth.der }, members };
    },

    /**
     * The exchange certificates the global configuration publishes: every member certificate
     * not yet expired (revoked ones too, so old signatures can still be attributed), and
     * every revoked member or TLS certificate.
     */
    async exchangeCertificates(): Promise<{ members: { serial: string; orgId: string; der: Buffer }[]; revoked: { serial: string; revokedAt: Date; reason: string }[] }> {
      const now = clock.now();
      const rows = await store.listExchangeCertificates(db);
      return {
        members: rows.filter((r) => r.profile === 'member' && r.not_after > now).map((r) => ({ serial: r.serial, orgId: r.org_id!, der: Buffer.from(r.der) })),
        revoked: rows.filter((r) => r.revoked_at).map((r) => ({ serial: r.serial, revokedAt: r.revoked_at!, reason: r.revocation_reason ?? 'unspecified' })),
      };
    },
  };
}

export type ExchangeCertificates = ReturnType<typeof createExchangeCertificates>;
