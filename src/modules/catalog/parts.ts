// What the catalog's parts (search, interoperability, share requests, open data) are given:
// the database and audit, the entries service, and the directory's organizations.
import type { Audit } from '../../platform/audit.ts';
import type { ChangeFeed } from '../../platform/changes.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db.ts';
import type { CatalogService, OrganizationInfo } from './service.ts';

export type CatalogPartDeps = {
  db: Db;
  audit: Audit;
  clock: Clock;
  changes: ChangeFeed;
  entries: CatalogService;
  findOrganization: (id: string) => Promise<OrganizationInfo | undefined>;
  listOrganizations: () => Promise<(OrganizationInfo & { parentId: string | null; identifier: string })[]>;
  /** The address this node is reached at from outside, for links in exports (no trailing slash). */
  publicBaseUrl: string;
};
