// The demo's electronic licences (issue 8): market regulation gets a seal certificate (held by
// its officer, issued as `egov trust issue` does), issues business licences to three demo
// enterprises of the legal-entity registry, and publishes its licences on the exchange (its
// `licensing` subsystem, backend egov:licences) with a right for civil affairs' welfare system,
// which checks an applicant's business licence without asking for a paper copy.
import { sql } from 'kysely';
import type { Services } from '../app.ts';
import { localOperator, type RequestContext } from '../platform/actor.ts';

// A 1×1 PNG: the seal's image (the platform checks the format, the demo needs no artwork).
const SEAL_PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

type Account = { id: string; username: string; displayName: string };

export async function seedLicences(services: Services, orgIds: Map<string, string>, accounts: Map<string, Account>): Promise<void> {
  const amr = orgIds.get('amr')!;
  const officer = accounts.get('amr.officer')!;
  const admin = accounts.get('amr.admin')!;
  const operator = { ...localOperator('seed'), auditAs: { id: officer.id, name: officer.username, orgId: amr } };
  const org = (await services.directory.service.findOrganization(amr))!;
  await services.trust.certificates.issueDirect(localOperator('seed'), amr, { profile: 'seal', holderUserId: officer.id, seal: { name: `${org.nameZh}电子证照专用章`, imageType: 'image/png', imageBase64: SEAL_PNG } });

  const db = services.database.db;
  const entities = (await db
    .selectFrom('registries.records')
    .select(['key', 'data'])
    .where('registry', '=', 'legal-entities')
    .where(sql<boolean>`data->>'status' = 'active'`)
    .orderBy('key')
    .limit(3)
    .execute()) as { key: string; data: Record<string, string> }[];
  for (const [i, entity] of entities.entries()) {
    await db.transaction().execute((trx) =>
      services.publicServices.licences.issue(
        trx,
        {
          serviceCode: 'amr.individual-business-registration',
          applicationId: null,
          issuerOrgId: amr,
          holder: { kind: 'enterprise', idNumber: entity.key, name: entity.data.name ?? entity.key },
          licenceType: { nameZh: '营业执照', nameEn: 'Business licence' },
          fields: [
            { key: 'name', labelZh: '名称', labelEn: 'Name', value: entity.data.name ?? '', public: true },
            { key: 'legalRep', labelZh: '法定代表人', labelEn: 'Legal representative', value: entity.data.legalRepName ?? '' },
            { key: 'address', labelZh: '住所', labelEn: 'Registered address', value: entity.data.registeredAddress ?? '' },
            { key: 'established', labelZh: '成立日期', labelEn: 'Established', value: entity.data.establishedDate ?? '', public: true },
          ],
          validFrom: entity.data.establishedDate && /^\d{4}-\d{2}-\d{2}$/.test(entity.data.establishedDate) ? entity.data.establishedDate : '2024-01-01',
          validUntil: i === 2 ? '2025-12-31' : null,
        },
        operator,
      ),
    );
  }

  const directory = services.directory.service;
  const licensing = (await directory.listSubsystems(amr)).find((s) => s.code === 'licensing');
  const welfare = (await directory.listSubsystems(orgIds.get('ca')!)).find((s) => s.code === 'welfare');
  if (!licensing || !welfare) return;
  const asAdmin: RequestContext = { actor: { userId: admin.id, username: admin.username, displayName: admin.displayName, orgId: amr, roles: ['org_admin'], via: 'token' }, ip: '127.0.0.1', requestId: 'demo-seed' };
  const service = await services.exchange.registry.createService(asAdmin, { subsystemId: licensing.id, code: 'licences', backendUrl: 'egov:licences', classification: 'personal' });
  await services.exchange.registry.grant(asAdmin, service.id, { clientKind: 'subsystem', client: welfare.identifier });
}
