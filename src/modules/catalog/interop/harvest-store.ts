// SQL the harvester needs beyond the entries service: the harvesting department's own
// hand-written entries, to tell a dataset harvested again from a new one (read only).
import type { Executor } from '../../../platform/db.ts';
import type { EntryMetadata } from '../model.ts';

export type DepartmentEntry = { id: string; code: string; status: 'draft' | 'submitted' | 'published' | 'rejected'; version: number; metadata: EntryMetadata };

export async function listDepartmentEntries(db: Executor, orgId: string): Promise<DepartmentEntry[]> {
  return (await db
    .selectFrom('catalog.entries')
    .select(['id', 'code', 'status', 'version', 'metadata'])
    .where('provider_org_id', '=', orgId)
    .where('source_registry', 'is', null)
    .orderBy('code')
    .execute()) as DepartmentEntry[];
}
