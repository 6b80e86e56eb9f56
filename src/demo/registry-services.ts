// The demo's registries on the exchange, each a service of its owner's `registries`
// subsystem answered by a built-in backend. Public security publishes the population registry
// and market regulation the legal-entity registry (egov:registries, decision 0014); natural
// resources publishes the geospatial registry (egov:geospatial) and statistics the
// macroeconomic database (egov:macroeconomic, decision 0016). Civil affairs' social
// assistance system may read a few fields of a person (not the ethnicity, the addresses or
// the family links: the ID number stays masked), human resources' social insurance system
// reads whole persons, and both read legal entities. Civil affairs, which keeps divisions and
// place names, reads the map without who holds a parcel (`owner`); market regulation's
// business registration reads a parcel's name and land-use class but not its shape, so it
// runs no spatial queries. Civil affairs reads the population and price indicators it sets
// subsistence allowances by; human resources reads the whole database. The data bureau's
// unified identity system reads a person's name and status and an entity's name, status and
// representative, for real-name checks, and for the portal the fields the demo e-forms prefill
// from the applicant's own record (the exchange logs each read as theirs). Reads only: the rights name the read operations'
// paths, so no department writes another's registry.
import type { Services } from '../app.ts';
import { PERSONAL_DATA_USAGE_PATH, readPathsOf, type ReadPath } from '../modules/registries/index.ts';
import { localOperator, type RequestContext } from '../platform/actor.ts';
import { DEMO_SERVICE_FORMS } from './service-forms.ts';

const readPaths = (registry: string): ReadPath[] => readPathsOf('egov:registries', registry)!;
const GEO_READS = readPathsOf('egov:geospatial', 'geospatial')!;
const MACRO_READS = readPathsOf('egov:macroeconomic', 'macroeconomic')!;

/** What civil affairs may read of the map: every property the demo layers have but a parcel's `owner`. */
export const WELFARE_GEO_FIELDS = ['geometry', 'name', 'nameEn', 'level', 'landUse', 'areaM2', 'resourceType', 'category'];
/** What business registration may read of the map: names, land-use classes and POI categories; no geometry. */
export const LICENSING_GEO_FIELDS = ['name', 'landUse', 'category'];
/**
 * What the data bureau's unified identity system may read for real-name checks: whether a
 * person is living and their name (the ID number is the key it asks by); an entity's name,
 * status and legal representative's ID number. Nothing else of either record.
 */
export const CITIZEN_IDENTITY_PERSON_FIELDS = ['name', 'status'];
export const CITIZEN_IDENTITY_ENTITY_FIELDS = ['name', 'status', 'legalRepId'];
/**
 * What the portal reads of the applicant's own record to prefill the demo services' e-forms
 * ("once only"): exactly the fields those forms prefill, on top of the real-name check's.
 */
export const PORTAL_PREFILL_PERSON_FIELDS = [...new Set([...CITIZEN_IDENTITY_PERSON_FIELDS, ...prefilledFields('person')])];
export const PORTAL_PREFILL_ENTITY_FIELDS = [...new Set([...CITIZEN_IDENTITY_ENTITY_FIELDS, ...prefilledFields('enterprise')])];
/** The indicators civil affairs may read: resident population and consumer prices. */
export const WELFARE_MACRO_FIELDS = ['POP', 'CPI'];

/** The registry fields the demo e-forms prefill from `source`. */
function prefilledFields(source: 'person' | 'enterprise'): string[] {
  return Object.values(DEMO_SERVICE_FORMS).flatMap((form) => form.fields.flatMap((f) => (f.prefill?.source === source ? [f.prefill.field] : [])));
}

/** `alsoPaths`: operations beyond reading records that this client may call on the service. */
type Grant = { client: readonly [string, string]; fields: string[] | undefined; alsoPaths?: ReadPath[] };

export const DEMO_REGISTRY_SERVICES: { registry: string; owner: string; backend: string; paths: ReadPath[]; classification: 'public' | 'internal' | 'personal'; grants: Grant[] }[] = [
  { registry: 'population', owner: 'psb', backend: 'registries', paths: readPaths('population'), classification: 'personal', grants: [
    { client: ['ca', 'welfare'], fields: ['name', 'sex', 'birthDate', 'hukouDivision', 'maritalStatus', 'status'] },
    { client: ['hrss', 'social-insurance'], fields: undefined },
    // The portal's "who read my data", for the person signed in.
    { client: ['data', 'identity'], fields: PORTAL_PREFILL_PERSON_FIELDS, alsoPaths: [PERSONAL_DATA_USAGE_PATH] },
  ] },
  { registry: 'legal-entities', owner: 'amr', backend: 'registries', paths: readPaths('legal-entities'), classification: 'public', grants: [
    { client: ['ca', 'welfare'], fields: undefined },
    { client: ['hrss', 'social-insurance'], fields: undefined },
    { client: ['data', 'identity'], fields: PORTAL_PREFILL_ENTITY_FIELDS },
  ] },
  { registry: 'geospatial', owner: 'nr', backend: 'geospatial', paths: GEO_READS, classification: 'internal', grants: [
    { client: ['ca', 'welfare'], fields: WELFARE_GEO_FIELDS },
    { client: ['amr', 'licensing'], fields: LICENSING_GEO_FIELDS },
  ] },
  { registry: 'macroeconomic', owner: 'stats', backend: 'macroeconomic', paths: MACRO_READS, classification: 'internal', grants: [
    { client: ['ca', 'welfare'], fields: WELFARE_MACRO_FIELDS },
    { client: ['hrss', 'social-insurance'], fields: undefined },
  ] },
];

/** The publishing subsystems the demo dataset does not list already. */
const PUBLISHERS: Record<string, { nameZh: string; nameEn: string; description: string }> = {
  nr: { nameZh: '自然资源和空间地理基础信息库服务', nameEn: 'Natural resources and geospatial register services', description: '自然资源和空间地理基础信息库的数据共享服务' },
  stats: { nameZh: '宏观经济数据库服务', nameEn: 'Macroeconomic database services', description: '宏观经济数据库的数据共享服务' },
};

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
  const subsystemIdentifier = async (orgKey: string, code: string) => (await directory.listSubsystems(orgIds.get(orgKey)!)).find((s) => s.code === code);
  for (const [orgKey, names] of Object.entries(PUBLISHERS)) {
    if (!(await subsystemIdentifier(orgKey, 'registries'))) await directory.createSubsystem(localOperator('seed'), orgIds.get(orgKey)!, { code: 'registries', ...names });
  }
  for (const published of DEMO_REGISTRY_SERVICES) {
    const subsystem = (await subsystemIdentifier(published.owner, 'registries'))!;
    const service = await registry.createService(asAdmin(published.owner), { subsystemId: subsystem.id, code: published.registry, backendUrl: `egov:${published.backend}`, classification: published.classification });
    for (const grant of published.grants) {
      const client = (await subsystemIdentifier(grant.client[0], grant.client[1]))!.identifier;
      for (const path of [...published.paths, ...(grant.alsoPaths ?? [])]) {
        await registry.grant(asAdmin(published.owner), service.id, { clientKind: 'subsystem', client, ...path, ...(grant.fields ? { fields: grant.fields } : {}) });
      }
    }
  }
}
