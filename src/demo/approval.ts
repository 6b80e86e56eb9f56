// The demo's online approval staff (issue 8): in each department that runs a demo service, the
// officer holds every duty of the approval (acceptance, review, decision) and countersigns as a
// leader together with the administrator (the environmental impact approval needs two leaders'
// signatures); each of those departments gets a seal certificate so an approval can issue its
// sealed e-licence (market regulation has its seal from the licences demo already). Ecology and
// environment and natural resources, which handle the environmental impact approval jointly,
// each publish a joint-review service of their `approval` system on the exchange and may call
// each other's: steps go to natural resources, outcomes come back (decision 0028).
import type { Services } from '../app.ts';
import { JOINT_BACKEND } from '../modules/services/index.ts';
import { localOperator, type RequestContext } from '../platform/actor.ts';

// A 1×1 PNG: the seal's image (the platform checks the format, the demo needs no artwork).
const SEAL_PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

/** The departments of the demo services: the leads and natural resources, which reviews the EIA jointly. */
export const APPROVAL_DEPARTMENTS = ['amr', 'psb', 'hrss', 'eco', 'nr'] as const;
const HAS_SEAL_ALREADY = new Set(['amr']);

type Account = { id: string; username: string; displayName: string };

/** Joint handling between departments: [lead, joint]; the lead sends steps, the joint department sends outcomes back. */
export const JOINT_PAIRS = [['eco', 'nr']] as const;

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

/** The approval systems of jointly handling departments, their joint-review services and the rights between them. */
export async function seedJointReview(services: Services, orgIds: Map<string, string>, accounts: Map<string, Account>): Promise<void> {
  const directory = services.directory.service;
  const registry = services.exchange.registry;
  const asAdmin = (key: string): RequestContext => {
    const admin = accounts.get(`${key}.admin`)!;
    return { actor: { userId: admin.id, username: admin.username, displayName: admin.displayName, orgId: orgIds.get(key)!, roles: ['org_admin'], via: 'token' }, ip: '127.0.0.1', requestId: 'demo-seed' };
  };
  const endpoints = new Map<string, { subsystem: string; serviceId: string }>();
  for (const key of new Set(JOINT_PAIRS.flat())) {
    const subsystem = await directory.createSubsystem(localOperator('seed'), orgIds.get(key)!, { code: 'approval', nameZh: '行政审批系统', nameEn: 'Approval system', description: '网上审批与联合办理' });
    const service = await registry.createService(asAdmin(key), { subsystemId: subsystem.id, code: 'joint-review', backendUrl: `egov:${JOINT_BACKEND}`, classification: 'internal' });
    endpoints.set(key, { subsystem: subsystem.identifier, serviceId: service.id });
  }
  for (const [lead, joint] of JOINT_PAIRS) {
    await registry.grant(asAdmin(joint), endpoints.get(joint)!.serviceId, { clientKind: 'subsystem', client: endpoints.get(lead)!.subsystem, method: 'POST', pathPattern: '/steps' });
    await registry.grant(asAdmin(lead), endpoints.get(lead)!.serviceId, { clientKind: 'subsystem', client: endpoints.get(joint)!.subsystem, method: 'POST', pathPattern: '/outcomes' });
  }
}
