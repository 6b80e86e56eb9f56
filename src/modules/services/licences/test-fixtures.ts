// What the licence tests share (not a test file itself): a seal certificate for an organization
// of the test world (the CA issues it as `egov trust issue` does: request and approval in one
// step), licence input built from overrides, and issuing in a transaction of the test's own, as
// the application service does when it approves.
import type { TestApp, TestUser } from '../../../test-support/test-app.ts';
import { localOperator } from '../../../platform/actor.ts';
import { idNumberCheckCharacter } from '../../../platform/codes/id-number.ts';
import type { LicenceInput } from './model.ts';
import type { LicenceView } from './views.ts';

const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(32, 7)]).toString('base64');

/** Gives `orgId` a seal certificate held by `holder` (a member of that organization's staff). */
export async function provisionSeal(t: TestApp, orgId: string, holder: TestUser, name = '测试电子公章'): Promise<string> {
  const issued = await t.services.trust.certificates.issueDirect(localOperator('test'), orgId, { profile: 'seal', holderUserId: holder.id, seal: { name, imageType: 'image/png', imageBase64: PNG } });
  return issued.serial;
}

let serial = 0;
/** A valid ID number of Hangzhou (330106), different each call. */
export function newHolderIdNumber(): string {
  serial++;
  const first17 = `33010619900101${String(serial % 1000).padStart(3, '0')}`;
  return first17 + idNumberCheckCharacter(first17);
}

export function buildLicenceInput(issuerOrgId: string, overrides: Partial<LicenceInput> = {}): LicenceInput {
  return {
    serviceCode: 'TEST-LICENCE-SERVICE',
    applicationId: null,
    issuerOrgId,
    holder: { kind: 'person', idNumber: newHolderIdNumber(), name: '王小明', citizenId: null },
    licenceType: { nameZh: '测试经营许可证', nameEn: 'Test business licence' },
    fields: [
      { key: 'scope', labelZh: '经营范围', labelEn: 'Business scope', value: '餐饮服务', public: true },
      { key: 'address', labelZh: '经营场所', labelEn: 'Premises', value: '杭州市西湖区文三路 1 号' },
    ],
    validFrom: '2026-01-01',
    validUntil: '2031-12-31',
    ...overrides,
  };
}

/** Issues in a transaction of its own, as an approval would in its own. */
export async function issueLicence(t: TestApp, input: LicenceInput): Promise<LicenceView> {
  return t.services.database.db.transaction().execute((trx) => t.services.publicServices.licences.issue(trx, input));
}
