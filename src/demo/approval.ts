// The demo's online approval staff (issue 8): in each department that runs a demo service, the
// officer holds every duty of the approval (acceptance, review, decision) and countersigns as a
// leader together with the administrator (the environmental impact approval needs two leaders'
// signatures); each of those departments gets a seal certificate so an approval can issue its
// sealed e-licence (market regulation has its seal from the licences demo already).
import type { Services } from '../app.ts';
import { localOperator } from '../platform/actor.ts';

// A 1×1 PNG: the seal's image (the platform checks the format, the demo needs no artwork).
const SEAL_PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

/** The departments of the demo services: the leads and natural resources, which reviews the EIA jointly. */
export const APPROVAL_DEPARTMENTS = ['amr', 'psb', 'hrss', 'eco', 'nr'] as const;
const HAS_SEAL_ALREADY = new Set(['amr']);

type Account = { id: string; username: string };

export async function seedApprovalStaff(services: Services, orgIds: Map<string, string>, accounts: Map<string, Account>): Promise<void> {
  const applications = services.publicServices.applications;
  for (const key of APPROVAL_DEPARTMENTS) {
    const orgId = orgIds.get(key)!;
    const officer = accounts.get(`${key}.officer`)!;
    const admin = accounts.get(`${key}.admin`)!;
    await applications.setDuties(null, { id: officer.id, orgId }, ['acceptor', 'reviewer', 'approver', 'leader']);
    await applications.setDuties(null, { id: admin.id, orgId }, ['leader']);
    if (HAS_SEAL_ALREADY.has(key)) continue;
    const org = (await services.directory.service.findOrganization(orgId))!;
    await services.trust.certificates.issueDirect(localOperator('seed'), orgId, { profile: 'seal', holderUserId: officer.id, seal: { name: `${org.nameZh}行政审批专用章`, imageType: 'image/png', imageBase64: SEAL_PNG } });
  }
}
