// Export of a record registry's current records (optionally only those matching equality
// filters) in the formats imports read, streamed page by page in key order.
//
// An export is a bulk read of personal data, so it is audited: ONE audit event naming the
// registry, the format, the filter and the count, written before the first byte leaves.
// Deliberately not one registries.reads row per record: the reads log answers a data
// subject's "who read my record" for individual look-ups, and a million rows of it per export
// would drown those answers; the audit event is the record of the bulk read.
import type { Writable } from 'node:stream';
import type { Operator } from '../../../platform/actor.ts';
import type { Audit } from '../../../platform/audit.ts';
import type { Db } from '../../../platform/db.ts';
import { ValidationError, type FieldError } from '../../../platform/errors.ts';
import type { Records } from '../engine/records.ts';
import { normaliseKey, type RecordData } from '../engine/validate.ts';
import * as policy from '../policy.ts';
import type { ImportFormat } from './read.ts';
import * as store from './store.ts';
import { CONTENT_TYPES, writeRecordsAs } from './write.ts';

const PAGE = 5000;

export type PreparedExport = { count: number; fileName: string; contentType: string; write(out: Writable): Promise<number> };

export function createExports(deps: { db: Db; audit: Audit; records: Records }) {
  const { db } = deps;
  return {
    /** Checks the caller and the filter, audits the export, and returns how to write it. */
    async prepare(op: Operator, name: string, options: { format: ImportFormat; where: Record<string, string> }): Promise<PreparedExport> {
      const registry = await deps.records.recordRegistry(name);
      if (op.actor) policy.assertMayReadRecords(op.actor, registry.owner_org_id);
      const definition = registry.definition;
      const fields = new Set(definition.fields.map((f) => f.name));
      const errors: FieldError[] = Object.keys(options.where)
        .filter((f) => !fields.has(f))
        .map((f) => ({ field: `where.${f.slice(0, 64)}`, code: 'unknown_field', message: `is not a field of the ${name} registry`, messageZh: `不是登记库 ${name} 的字段` }));
      if (errors.length > 0) throw new ValidationError(errors);
      const where = { ...options.where };
      if (where[definition.keyField] !== undefined) where[definition.keyField] = normaliseKey(definition, where[definition.keyField]);
      const count = await store.countLive(db, name, where);
      await deps.audit.record(db, { actor: op.auditAs, action: 'registries.records.export', subjectType: 'registry', subjectId: name, outcome: 'success', detail: { format: options.format, count, where }, ip: op.ip, requestId: op.requestId });
      async function* pages(): AsyncGenerator<RecordData[]> {
        let after: string | null = null;
        for (;;) {
          const page = await store.recordPage(db, name, { after, where, limit: PAGE });
          if (page.length > 0) yield page.map((r) => r.data);
          if (page.length < PAGE) return;
          after = page[page.length - 1].key;
        }
      }
      return { count, fileName: `${name}.${options.format}`, contentType: CONTENT_TYPES[options.format], write: (out) => writeRecordsAs(options.format, definition, pages(), out) };
    },
  };
}

export type Exports = ReturnType<typeof createExports>;
