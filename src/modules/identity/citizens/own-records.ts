// A citizen's own records in the base registries, read through the exchange for a service the
// citizen is applying for (the "once only" principle: the platform fetches what the registries
// already hold, the applicant confirms it). The exchange logs the read with the person as
// X-Road-UserId, so it shows in their "who read my data"; the audit records it here as well.
import { citizenActor, type CitizenDeps } from './model.ts';
import type { ActiveCitizen } from './store.ts';

export type OwnRecord = { registry: 'population' | 'legal-entities'; content: Record<string, unknown>; exchangeId: string | null; readAt: string };

export function createOwnRecords(deps: CitizenDeps, active: (id: string) => Promise<ActiveCitizen>, mayActFor: (citizenId: string, creditCode: string) => Promise<boolean>) {
  async function read(citizenId: string, registry: OwnRecord['registry'], key: Record<string, string>, purpose: string, meta: { ip: string | null; requestId: string | null }): Promise<OwnRecord | undefined> {
    const person = await active(citizenId);
    const { content, exchangeId } = await deps.check.readRecord(registry, key, { issue: purpose, userId: person.id_number });
    await deps.audit.record(deps.db, {
      actor: citizenActor(citizenId),
      action: 'identity.citizen.own_record.read',
      subjectType: 'citizen',
      subjectId: citizenId,
      outcome: 'success',
      detail: { registry, purpose, found: content !== undefined, exchangeId },
      ip: meta.ip,
      requestId: meta.requestId,
    });
    return content ? { registry, content, exchangeId, readAt: deps.clock.now().toISOString() } : undefined;
  }

  return {
    /** The citizen's population record. */
    async person(citizenId: string, purpose: string, meta: { ip: string | null; requestId: string | null }): Promise<OwnRecord | undefined> {
      const row = await active(citizenId);
      return read(citizenId, 'population', { idNumber: row.id_number }, purpose, meta);
    },
    /** The legal-entity record of an enterprise the citizen may act for; undefined when they may not. */
    async enterprise(citizenId: string, creditCode: string, purpose: string, meta: { ip: string | null; requestId: string | null }): Promise<OwnRecord | undefined> {
      if (!(await mayActFor(citizenId, creditCode))) return undefined;
      return read(citizenId, 'legal-entities', { creditCode }, purpose, meta);
    },
  };
}

export type OwnRecords = ReturnType<typeof createOwnRecords>;
