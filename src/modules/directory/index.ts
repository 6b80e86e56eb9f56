// The organization directory: the tree of governments, departments and other bodies, and
// the business systems (subsystems) they run. It is the root of unified addressing: every
// member is named INSTANCE/GOV/<credit code>, and later the exchange routes by these names.
import path from 'node:path';
import type { App } from '../../http/server.ts';
import type { MigrationSource } from '../../platform/migrate.ts';
import { registerDirectoryRoutes } from './routes.ts';
import { createDirectoryService, type DirectoryDeps } from './service.ts';

export type { Organization, OrganizationCreate, OrganizationPage, OrgLevel, OrgType, Subsystem, TreeNode } from './schema.ts';
export { NATIONAL_DIVISION } from './service.ts';
export { ORG_TYPES } from './schema.ts';

export const directoryMigrations: MigrationSource = { module: 'directory', dir: path.join(import.meta.dirname, 'migrations') };

export function createDirectory(deps: DirectoryDeps) {
  const service = createDirectoryService(deps);
  return {
    service,
    registerRoutes: (app: App) => registerDirectoryRoutes(app, service),
  };
}

export type Directory = ReturnType<typeof createDirectory>;
