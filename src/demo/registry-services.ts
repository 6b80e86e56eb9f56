// The demo's registries on the exchange: public security publishes the population registry
// and market regulation the legal-entity registry, each as a service of its `registries`
// subsystem answered by the built-in backend (decision 0014). Civil affairs' social
// assistance system may read a few fields of a person (not the ethnicity, the addresses or
// the family links: the ID number stays masked), human resources' social insurance system
// reads whole persons, and both read legal entities. Reads only: the rights name the read
// operations' paths, so no department writes another's registry.
import type { Services } from '../app.ts';
import type { RequestContext } from '../platform/actor.ts';

/** The read operations of the GovStack Digital Registries data API, as path patterns. */
const readPaths = (registry: string): { method: 'GET' | 'POST'; pathPattern: string }[] => [
  { method: 'GET', pathPattern: `/data/${registry}/*` },
  { method: 'POST', pathPattern: `/data/${registry}/*/read` },
  { method: 'POST', pathPattern: `/data/${registry}/*/exists` },
  { method: 'GET', pathPattern: `/data/${registry}/*/*/readValue/*` },
];

export const DEMO_REGISTRY_SERVICES = [
  { registry: 'population', owner: 'psb', classification: 'personal' as const, grants: [
    { client: ['ca', 'welfare'], fields: ['name', 'sex', 'birthDate', 'hukouDivision', 'maritalStatus', 'status'] },
    { client: ['hrss', 'social-insurance'], fields: undefined },
  ] },
  { registry: 'legal-entities', owner: 'amr', classification: 'public' as const, grants: [
    { client: ['ca', 'welfare'], fields: undefined },
    { client: ['hrss', 'social-insurance'], fields: undefined },
  ] },
];

/**
 * Publishes the services and grants the rights as each owner's administrator would in the
 * workbench (the same checks and audit rows); `admins` are the demo's org_admin accounts.
 */
export async function publishDemoRegistries(services: Services, orgIds: Map<string, string>, admins: Map<string, { id: string; username: string; displayName: string }>): Promise<void> {
  const directory = services.directory.service;
  const registry = services.exchange.registry;
  const asAdmin = (orgKey: string): RequestContext => {
    const admin = admins.get(orgKey)!;
    return { actor: { userId: admin.id, username: admin.username, displayName: admin.displayName, orgId: orgIds.get(orgKey)!, roles: ['org_admin'], via: 'token' }, ip: '127.0.0.1', requestId: 'demo-seed' };
  };
  const subsystemIdentifier = async (orgKey: string, code: string) => (await directory.listSubsystems(orgIds.get(orgKey)!)).find((s) => s.code === code)!;
  for (const published of DEMO_REGISTRY_SERVICES) {
    const subsystem = await subsystemIdentifier(published.owner, 'registries');
    const service = await registry.createService(asAdmin(published.owner), { subsystemId: subsystem.id, code: published.registry, backendUrl: 'egov:registries', classification: published.classification });
    for (const grant of published.grants) {
      const client = (await subsystemIdentifier(grant.client[0], grant.client[1])).identifier;
      for (const path of readPaths(published.registry)) {
        await registry.grant(asAdmin(published.owner), service.id, { clientKind: 'subsystem', client, ...path, ...(grant.fields ? { fields: grant.fields } : {}) });
      }
    }
  }
}
