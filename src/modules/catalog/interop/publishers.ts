// The organizations the exports name: each open entry's provider (CKAN's organization,
// DCAT's publisher) and the catalog's own publisher (the data bureau that reviews the
// catalog, else the top of the directory). Their public name is the credit code, lower
// case: stable across renames and URL-safe, as CKAN names must be.
import crypto from 'node:crypto';
import type { CatalogPartDeps } from '../parts.ts';

export type Publisher = {
  id: string;
  /** CKAN name (URL-safe, stable): the unified social credit code in lower case. */
  name: string;
  nameZh: string;
  nameEn: string;
  creditCode: string;
  identifier: string;
  parentId: string | null;
  /** Known when the directory gives them (its organizations carry them; the parts' type does not promise them). */
  divisionCode: string | undefined;
  divisionName: string | undefined;
  level: string | undefined;
  createdAt: string | undefined;
};

type DirectoryOrg = Awaited<ReturnType<CatalogPartDeps['listOrganizations']>>[number] & Partial<{ divisionCode: string; divisionName: string | null; level: string; createdAt: string }>;

export const publisherName = (org: { id: string; creditCode: string }): string => (/^[0-9A-Za-z]{18}$/.test(org.creditCode) ? org.creditCode.toLowerCase() : org.id);

export async function loadPublishers(deps: Pick<CatalogPartDeps, 'listOrganizations'>): Promise<Map<string, Publisher>> {
  const orgs = (await deps.listOrganizations()) as DirectoryOrg[];
  return new Map(
    orgs.map((o) => [
      o.id,
      {
        id: o.id,
        name: publisherName(o),
        nameZh: o.nameZh,
        nameEn: o.nameEn,
        creditCode: o.creditCode,
        identifier: o.identifier,
        parentId: o.parentId,
        divisionCode: o.divisionCode || undefined,
        divisionName: o.divisionName ?? undefined,
        level: o.level,
        createdAt: o.createdAt,
      },
    ]),
  );
}

/** A publisher by id or CKAN name. */
export function findPublisher(publishers: Map<string, Publisher>, idOrName: string): Publisher | undefined {
  const key = idOrName.trim();
  return publishers.get(key) ?? [...publishers.values()].find((p) => p.name === key.toLowerCase());
}

/** Who publishes the catalog: the reviewing data bureau, else the root of the directory. */
export function catalogPublisher(publishers: Map<string, Publisher>, reviewerOrgId: string | null): Publisher | undefined {
  if (reviewerOrgId && publishers.has(reviewerOrgId)) return publishers.get(reviewerOrgId);
  const roots = [...publishers.values()].filter((p) => p.parentId === null);
  return roots.sort((a, b) => (a.createdAt ?? '').localeCompare(b.createdAt ?? '') || a.name.localeCompare(b.name))[0];
}

/** A UUID (version 5 layout) derived from a name, for things CKAN gives ids that egov does not store (tags, resources). */
export function stableUuid(namespace: string, value: string): string {
  const h = crypto.createHash('sha1').update(`${namespace}\u0000${value}`).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
