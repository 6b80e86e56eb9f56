// Electronic licences: issued in the approving service's transaction (identifier, seal, row and
// audit commit together with the approval), revoked by the issuer's administrator, listed for
// the issuer's staff, verified by anyone, and shown to their holder. Every write and every read
// of personal data is audited.
import type { Operator, RequestContext } from '../../../platform/actor.ts';
import { operatorFromRequest } from '../../../platform/actor.ts';
import type { Audit, AuditActor } from '../../../platform/audit.ts';
import type { Clock } from '../../../platform/clock.ts';
import type { Db, Executor } from '../../../platform/db.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../../platform/errors.ts';
import { newId } from '../../../platform/ids.ts';
import { buildLicenceId, parseLicenceId } from './identifier.ts';
import { chinaDate, licenceProblems, sealedDocument, type LicenceInput } from './model.ts';
import { assertMayList, assertMayRevoke } from './policy.ts';
import { checkSeal, type VerifySeal } from './seal-check.ts';
import * as store from './store.ts';
import { isHolder, present, presentPublic, summary, type HolderLicence, type HolderLicenceSummary, type LicenceHolder, type LicenceView, type OrgNames, type PublicLicence } from './views.ts';

/** The trust module's sealing in a transaction (trust.signing.sealJsonIn). */
export type SealJsonIn = (
  trx: Executor,
  operator: Operator,
  orgId: string,
  build: (sealer: { subject: { organization?: string; serialNumber?: string }; certificateSerial: string; at: Date }) => Buffer,
) => Promise<{ jws: Buffer; certificateSerial: string; signedAt: Date }>;

export type LicenceDeps = {
  db: Db;
  audit: Audit;
  clock: Clock;
  sealJsonIn: SealJsonIn;
  verifySeal: VerifySeal;
  /** The organization's names now (the directory), read outside any transaction. */
  orgNames: (orgId: string) => Promise<OrgNames | undefined>;
  /** The portal's address, for the verification URL each licence carries. */
  publicUrl: string;
};

/** Who issues when the caller names nobody: the platform on the approval's behalf. */
const ISSUER_SYSTEM: Operator = { actor: null, auditAs: { id: null, name: 'services.licences', orgId: null }, ip: null, requestId: null };
const VERSION = '001';
const MAX_REASON = 500;

const citizenActor = (citizenId: string): AuditActor => ({ id: citizenId, name: `citizen:${citizenId}`, orgId: null });

export function createLicences(deps: LicenceDeps) {
  const { db, audit, clock } = deps;
  const verificationUrl = (identifier: string) => `${deps.publicUrl.replace(/\/$/, '')}/licences/${identifier}`;

  async function view(row: store.LicenceRow): Promise<LicenceView> {
    return present(row, await deps.orgNames(row.issuer_org_id), chinaDate(clock.now()), verificationUrl(row.identifier));
  }

  return {
    verificationUrl,

    /**
     * Issues a licence in the caller's transaction `trx` (the approval's): the GB/T 36904
     * identifier (type code, the issuer's credit code, year and serial, version 001, check
     * character), the document sealed with the issuing organization's seal, the row and the
     * audit row. Everything goes through `trx`, so it all commits or none of it does. Throws a
     * ValidationError naming each bad field, or a ConflictError `no_seal` when the issuer has
     * no seal certificate the platform holds the key of.
     */
    async issue(trx: Executor, input: LicenceInput, by: Operator = ISSUER_SYSTEM): Promise<LicenceView> {
      const problems = licenceProblems(input);
      if (problems.length) throw new ValidationError(problems);
      const year = Number(chinaDate(clock.now()).slice(0, 4));
      const serial = `${year}${String(await store.nextSerial(trx, input.issuerOrgId, year)).padStart(6, '0')}`;
      let row: store.LicenceRow | undefined;
      const sealed = await deps.sealJsonIn(trx, by, input.issuerOrgId, ({ subject, certificateSerial, at }) => {
        // The seal certificate names the organization (its credit code and name) as the directory had it when certified.
        const creditCode = subject.serialNumber ?? '';
        const typeCode = input.licenceType.code ?? `${creditCode}001`;
        const identifier = buildLicenceId({ type: typeCode, issuer: creditCode, serial, version: VERSION });
        row = {
          id: newId(),
          identifier,
          type_code: typeCode,
          type_name_zh: input.licenceType.nameZh.trim(),
          type_name_en: input.licenceType.nameEn.trim(),
          service_code: input.serviceCode,
          application_id: input.applicationId,
          issuer_org_id: input.issuerOrgId,
          issuer_credit_code: creditCode,
          issuer_name: subject.organization ?? '',
          holder_kind: input.holder.kind,
          holder_id: input.holder.idNumber,
          holder_name: input.holder.name.trim(),
          holder_citizen_id: input.holder.citizenId ?? null,
          data: input.fields.map((f) => ({ key: f.key, labelZh: f.labelZh.trim(), labelEn: f.labelEn.trim(), value: f.value, public: f.public === true })),
          valid_from: input.validFrom,
          valid_until: input.validUntil ?? null,
          issued_at: at,
          sealed: '',
          seal_certificate: certificateSerial,
          status: 'valid',
          revoked_at: null,
          revocation_reason: null,
          revoked_by: null,
        };
        return sealedDocument(row);
      });
      const issued: store.LicenceRow = { ...row!, sealed: sealed.jws.toString('utf8') };
      await store.insertLicence(trx, issued);
      await audit.record(trx, { actor: by.auditAs, action: 'services.licence.issue', subjectType: 'licence', subjectId: issued.id, outcome: 'success', detail: { identifier: issued.identifier, serviceCode: issued.service_code, applicationId: issued.application_id, issuerOrgId: issued.issuer_org_id, holderKind: issued.holder_kind, sealCertificate: issued.seal_certificate }, ip: by.ip, requestId: by.requestId });
      // No directory read here: on the embedded database it would wait for this very transaction.
      return present(issued, { nameZh: issued.issuer_name, nameEn: issued.issuer_name }, chinaDate(clock.now()), verificationUrl(issued.identifier));
    },

    /** The public verification of an identifier: 'malformed' (bad form or check character), undefined (no such licence), or what a verifier may see. */
    async verify(identifier: string): Promise<PublicLicence | 'malformed' | undefined> {
      if (identifier.length > 200 || !parseLicenceId(identifier)) return 'malformed';
      const row = await store.findByIdentifier(db, identifier);
      if (!row) return undefined;
      return presentPublic(await view(row), await checkSeal(deps.verifySeal, row));
    },

    /** The holder's licences (their own and their enterprises'), audited as a read of their data. */
    async listForHolder(holder: LicenceHolder, meta: { ip: string | null; requestId: string | null }): Promise<HolderLicenceSummary[]> {
      const rows = await store.listForHolder(db, { citizenId: holder.citizenId, idNumber: holder.idNumber, creditCodes: holder.enterprises.map((e) => e.creditCode) });
      const mine = rows.filter((r) => isHolder(holder, r));
      if (mine.length > 0) await audit.record(db, { actor: citizenActor(holder.citizenId), action: 'services.licence.list_own', subjectType: 'citizen', subjectId: holder.citizenId, outcome: 'success', detail: { licences: mine.length }, ip: meta.ip, requestId: meta.requestId });
      return Promise.all(mine.map(async (r) => summary(await view(r))));
    },

    /** One of the holder's licences in full, with its seal check and QR code; undefined when it is not theirs (or not there). Audited. */
    async getForHolder(holder: LicenceHolder, id: string, meta: { ip: string | null; requestId: string | null }): Promise<HolderLicence | undefined> {
      const row = await store.findById(db, id);
      if (!row || !isHolder(holder, row)) return undefined;
      await audit.record(db, { actor: citizenActor(holder.citizenId), action: 'services.licence.read_own', subjectType: 'licence', subjectId: row.id, outcome: 'success', detail: { identifier: row.identifier, holderKind: row.holder_kind }, ip: meta.ip, requestId: meta.requestId });
      const v = await view(row);
      return { ...v, seal: await checkSeal(deps.verifySeal, row) };
    },

    /** The organization's licences for its staff (default: the actor's own organization). Holders' data: audited. */
    async list(ctx: RequestContext, query: { orgId?: string; status?: 'valid' | 'revoked'; limit?: number; offset?: number }): Promise<{ items: LicenceView[]; total: number }> {
      const orgId = query.orgId ?? ctx.actor.orgId;
      assertMayList(ctx.actor, orgId);
      const { rows, total } = await store.listByIssuer(db, orgId, { status: query.status, limit: query.limit ?? 50, offset: query.offset ?? 0 });
      const op = operatorFromRequest(ctx);
      await audit.record(db, { actor: op.auditAs, action: 'services.licence.list', subjectType: 'organization', subjectId: orgId, outcome: 'success', detail: { returned: rows.length, status: query.status ?? null }, ip: op.ip, requestId: op.requestId });
      return { items: await Promise.all(rows.map(view)), total };
    },

    /** Revokes a licence with a reason: the issuing organization's administrator only; audited; 409 when already revoked. */
    async revoke(ctx: RequestContext, id: string, reason: string): Promise<LicenceView> {
      const row = await store.findById(db, id);
      if (!row) throw new NotFoundError('licence', id, '证照');
      assertMayRevoke(ctx.actor, row.issuer_org_id);
      const why = reason.trim();
      if (why.length === 0 || why.length > MAX_REASON || why.includes('\u0000')) throw new ValidationError([{ field: 'reason', code: 'reason', message: `must say why, in 1 to ${MAX_REASON} characters`, messageZh: `须说明注销原因（1 至 ${MAX_REASON} 个字符）` }]);
      const op = operatorFromRequest(ctx);
      const patch = { revoked_at: clock.now(), revocation_reason: why, revoked_by: ctx.actor.displayName };
      await db.transaction().execute(async (trx) => {
        if (!(await store.revoke(trx, row.id, patch))) throw new ConflictError('already_revoked', 'The licence is already revoked.', '该证照已注销。');
        await audit.record(trx, { actor: op.auditAs, action: 'services.licence.revoke', subjectType: 'licence', subjectId: row.id, outcome: 'success', detail: { identifier: row.identifier, reason: why }, ip: op.ip, requestId: op.requestId });
      });
      return view({ ...row, ...patch, status: 'revoked' });
    },

    /** For the exchange backend: a licence by identifier, when `issuerOrgId` issued it. */
    async findIssued(issuerOrgId: string, identifier: string): Promise<{ view: LicenceView; row: store.LicenceRow } | undefined> {
      const row = await store.findByIdentifier(db, identifier);
      return row && row.issuer_org_id === issuerOrgId ? { view: await view(row), row } : undefined;
    },

    /** For the exchange backend: what `issuerOrgId` issued to one holder (ID number or credit code). */
    async listIssuedTo(issuerOrgId: string, holderId: string): Promise<{ view: LicenceView; row: store.LicenceRow }[]> {
      return Promise.all((await store.listByIssuerAndHolder(db, issuerOrgId, holderId)).map(async (row) => ({ view: await view(row), row })));
    },

    checkSeal: (row: store.LicenceRow) => checkSeal(deps.verifySeal, row),
  };
}

export type Licences = ReturnType<typeof createLicences>;
