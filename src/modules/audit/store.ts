// Reads of the audit log for the viewer and CSV export. Appends live in src/platform/audit.ts.
import type { Executor } from '../../platform/db.ts';
import { escapeLike } from '../../platform/sql.ts';
import type { AuditQuery } from './schema.ts';

function filtered(db: Executor, query: AuditQuery) {
  let q = db.selectFrom('audit.events');
  if (query.actor) q = q.where('actor_name', 'ilike', `%${escapeLike(query.actor)}%`);
  if (query.orgId) q = q.where('org_id', '=', query.orgId);
  if (query.action) q = q.where('action', 'like', `${escapeLike(query.action)}%`);
  if (query.outcome) q = q.where('outcome', '=', query.outcome);
  if (query.from) q = q.where('at', '>=', new Date(query.from));
  if (query.to) q = q.where('at', '<', new Date(query.to));
  return q;
}

export async function searchEvents(db: Executor, query: AuditQuery) {
  const q = filtered(db, query);
  const [rows, count] = await Promise.all([
    q.selectAll().orderBy('seq', 'desc').limit(query.limit ?? 50).offset(query.offset ?? 0).execute(),
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

/** Pages through matching events in sequence order, for streaming exports. */
export async function* iterateEvents(db: Executor, query: AuditQuery, batch = 1000) {
  let after = 0;
  for (;;) {
    const rows = await filtered(db, query).selectAll().where('seq', '>', after).orderBy('seq').limit(batch).execute();
    if (rows.length === 0) return;
    yield rows;
    after = Number(rows[rows.length - 1].seq);
  }
}
