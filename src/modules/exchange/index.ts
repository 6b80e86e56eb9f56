// The exchange: unified addressing, routing, trust and authorization between departments,
// after X-Road's model. Members (organizations) have subsystems that offer REST services;
// clients call them through their node as /r1/INSTANCE/CLASS/MEMBER/SUBSYSTEM/SERVICE/…,
// and every call is authorized, signed and logged. This module holds the registry
// (services, access rights, global groups) and the message path (issue 4, in progress).
import path from 'node:path';
import type { App } from '../../http/server.ts';
import type { MigrationSource } from '../../platform/migrate.ts';
import { createRegistry, type RegistryDeps } from './registry.ts';
import { registerRegistryRoutes } from './routes.ts';

export type { AccessRight, Group, Service } from './schema.ts';

export const exchangeMigrations: MigrationSource = { module: 'exchange', dir: path.join(import.meta.dirname, 'migrations') };

export function createExchange(deps: RegistryDeps) {
  const registry = createRegistry(deps);
  return {
    registry,
    registerRoutes: (app: App) => registerRegistryRoutes(app, registry),
  };
}

export type Exchange = ReturnType<typeof createExchange>;
