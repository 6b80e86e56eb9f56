// The audit viewer: filtered reads, CSV export and an on-demand chain check. Exports and
// checks are themselves audited, so reading the log leaves a trace.
import { auditActor, type RequestContext } from '../../platform/actor.ts';
import { rowToEvent, type Audit } from '../../platform/audit.ts';
import { csvField, spreadsheetSafe } from '../../platform/csv.ts';
import type { Db } from '../../platform/db.ts';
import type { AuditEventView, AuditQuery } from './schema.ts';
import * as store from './store.ts';

const CSV_COLUMNS = ['seq', 'at', 'actor', 'org_id', 'action', 'subject_type', 'subject_id', 'outcome', 'ip', 'request_id', 'detail', 'hash'];

function csvCell(value: unknown): string {
  const text = value === null || value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);
  return csvField(spreadsheetSafe(text));
}

function present(row: Record<string, unknown>): AuditEventView {
  const e = rowToEvent(row);
  return {
    seq: e.seq,
    at: e.at.toISOString(),
    actorName: e.actorName,
    orgId: e.orgId,
    action: e.action,
    subjectType: e.subjectType,
    subjectId: e.subjectId,
    outcome: e.outcome,
    ip: e.ip,
    detail: e.detail,
  };
}

export function createAuditViewer(deps: { db: Db; audit: Audit }) {
  const { db, audit } = deps;
  return {
    async search(query: AuditQuery) {
      const { rows, total } = await store.searchEvents(db, query);
      return { items: rows.map(present), total };
    },

    /** Yields CSV text in chunks so a large export never sits in memory whole. */
    async *exportCsv(ctx: RequestContext, query: AuditQuery): AsyncGenerator<string> {
      await audit.record(db, { actor: auditActor(ctx.actor), action: 'audit.export', subjectType: 'audit_log', subjectId: null, outcome: 'success', detail: { filter: query }, ip: ctx.ip, requestId: ctx.requestId });
      yield `\uFEFF${CSV_COLUMNS.join(',')}\n`;
      for await (const rows of store.iterateEvents(db, query)) {
        yield rows
          .map((r) => [r.seq, new Date(r.at).toISOString(), r.actor_name, r.org_id, r.action, r.subject_type, r.subject_id, r.outcome, r.ip, r.request_id, r.detail, r.hash].map(csvCell).join(','))
          .join('\n')
          .concat('\n');
      }
    },

    async verify(ctx: RequestContext) {
      const result = await audit.verify();
      await audit.record(db, { actor: auditActor(ctx.actor), action: 'audit.verify', subjectType: 'audit_log', subjectId: null, outcome: result.ok ? 'success' : 'failure', detail: { ...result }, ip: ctx.ip, requestId: ctx.requestId });
      return result;
    },
  };
}
