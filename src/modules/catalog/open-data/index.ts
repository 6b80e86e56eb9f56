// Open data: the entries open to the public published on the public site with their data.
// A provider publishes releases of the data (CSV, checked cell by cell against the entry's
// data items); the public reads each dataset's page, licence and update history, queries
// its rows through an API, and downloads it as CSV or JSON.
import type { App } from '../../../http/server.ts';
import { registerOpenDataRoutes } from './routes.ts';
import { createOpenDataService, type OpenDataDeps } from './service.ts';

export type { OpenDataService, ReleaseView } from './service.ts';

export function createOpenData(deps: OpenDataDeps) {
  const service = createOpenDataService(deps);
  return {
    service,
    registerRoutes(app: App): void {
      registerOpenDataRoutes(app, service);
    },
  };
}
