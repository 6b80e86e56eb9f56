// "Who read my data": the reads of the signed-in citizen's population record, as the registry's
// reads log has them. Asked through the exchange for the person themselves (GovStack's
// myPersonalDataUsage, X-Road-UserId = their ID number), so the registry's owner authorizes
// and logs it as any other read; the citizen's own look is audited here too.
import { citizenActor, type CitizenContext, type CitizenDeps } from './model.ts';
import type { PersonalDataRead } from './registry-check.ts';
import type { ActiveCitizen } from './store.ts';

/** One read, in the words the portal shows. */
export type DataRead = { at: string | null; institution: string | null; application: string | null; reader: string | null; purpose: string | null; fields: string[] };

const present = (read: PersonalDataRead): DataRead => ({
  at: read.searchDateTime ?? null,
  institution: read.readerInstitutionName ?? null,
  application: read.readerApplicationName ?? null,
  reader: read.readerId ?? null,
  purpose: read.purpose ?? null,
  fields: read.fields ?? [],
});

export function createDataUsage(deps: CitizenDeps, active: (citizenId: string) => Promise<ActiveCitizen>) {
  return {
    async mine(ctx: CitizenContext, lang: 'zh-CN' | 'en' = 'zh-CN'): Promise<DataRead[]> {
      const row = await active(ctx.citizenId);
      const reads = await deps.check.personalDataUsage(row.id_number, lang);
      await deps.audit.record(deps.db, {
        actor: citizenActor(ctx.citizenId),
        action: 'identity.citizen.data_usage.read',
        subjectType: 'citizen',
        subjectId: ctx.citizenId,
        outcome: 'success',
        detail: { reads: reads.length },
        ip: ctx.ip,
        requestId: ctx.requestId,
      });
      return reads.map(present);
    },
  };
}

export type DataUsage = ReturnType<typeof createDataUsage>;
