// The audit viewer for the audit administrator: filter, export, and check the chain.
// Writing audit rows is src/platform/audit.ts; this module only reads them.
import type { App } from '../../http/server.ts';
import type { Audit } from '../../platform/audit.ts';
import type { Db } from '../../platform/db.ts';
import { registerAuditRoutes } from './routes.ts';
import { createAuditViewer } from './service.ts';

export type { AuditEventView } from './schema.ts';

export function createAuditModule(deps: { db: Db; audit: Audit }) {
  const viewer = createAuditViewer(deps);
  return { viewer, registerRoutes: (app: App) => registerAuditRoutes(app, viewer) };
}
