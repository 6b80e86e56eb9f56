// The public portal (decision 0022): server-rendered pages at `/` for citizens and businesses,
// one search box across what the platform publishes, navigation by life and business events,
// the province's portal and each city's under it, service guides, registration, and "my space" after signing
// in through the platform's OpenID Connect provider. Pages work without JavaScript and send
// none. The portal owns no tables: accounts, messages, enterprises and the reads log belong to
// identity, messaging and the registries, and reach it as functions wired in src/app.ts.
import type { App } from '../../http/server.ts';
import { createRegions, type RegionDeps } from './regions.ts';
import { registerPortalRoutes, type PortalAccounts, type PortalGuides, type PortalMessages } from './routes.ts';
import type { SearchSource } from './search.ts';
import type { PortalLicences } from './licence-routes.ts';
import type { PortalApplications } from './applications-port.ts';

export type { SearchHit, SearchSource } from './search.ts';
export type { PortalAccounts, PortalMessages } from './routes.ts';
export type { PortalLicences } from './licence-routes.ts';
export type { PortalApplications, PortalApplicationView, Who as PortalApplicant } from './applications-port.ts';
export { PORTAL_EVENTS } from './events.ts';
export { openDataSource, type OpenDataList } from './sources/open-data.ts';
export { servicesSource, type ServiceSearch } from './sources/services.ts';

export type PortalDeps = {
  directory: RegionDeps;
  sources: SearchSource[];
  guides: PortalGuides;
  accounts: PortalAccounts;
  messages: PortalMessages;
  /** Electronic licences: the public verification and the holder's own (services/licences). */
  licences?: PortalLicences;
  /** Online applications: applying from a service's guide, and the person's applications in my space (services/applications). */
  applications?: PortalApplications;
  log: { warn: (obj: object, msg: string) => void };
};

export function createPortal(deps: PortalDeps) {
  const regions = createRegions(deps.directory);
  return {
    regions,
    registerRoutes(app: App): void {
      registerPortalRoutes(app, { ...deps, regions });
    },
  };
}

export type Portal = ReturnType<typeof createPortal>;
