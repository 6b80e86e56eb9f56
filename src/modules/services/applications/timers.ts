// The statutory timers of applications on the platform's jobs (pg-boss, decision 0025): the
// acceptance that becomes deemed when nobody decides within 5 working days, and the decision
// that falls due. A timer is written in the same transaction as the state that sets it, waits in
// the database, and fires after a restart; its handler checks the state again, so a timer that
// fires twice, or late, changes nothing it should not. The dates themselves live in
// services.applications, and a sweep accepts any overdue acceptance a timer missed (a restored
// backup leaves the jobs out).
import type { Transaction } from 'kysely';
import type { Db, Executor } from '../../../platform/db.ts';
import type { Jobs } from '../../../platform/jobs.ts';
import { DECISION_QUEUE, type Decisions } from './decisions.ts';
import { ACCEPTANCE_QUEUE } from './lifecycle.ts';
import type { TimersPort } from './ports.ts';
import { overdueAcceptances } from './store.ts';

type Payload = { applicationId: string };

/** Schedules through the jobs system, inside the caller's transaction. */
export function jobTimers(jobs: Jobs): TimersPort {
  return {
    async schedule(trx: Executor, queue, payload, options) {
      await jobs.schedule(queue, payload, { ...options, tx: trx as Transaction<any> });
    },
  };
}

/** Registers the timers' handlers (before the jobs start, or after). */
export async function startApplicationTimers(jobs: Jobs, decisions: Decisions): Promise<void> {
  await jobs.work<Payload>(ACCEPTANCE_QUEUE, async (job) => {
    await decisions.deemAccepted(job.payload.applicationId);
  });
  await jobs.work<Payload>(DECISION_QUEUE, async (job) => {
    await decisions.decisionDue(job.payload.applicationId);
  });
}

/**
 * The backstop: applications whose acceptance is overdue but still undecided, accepted now. It
 * catches what no timer covers — a database restored from a backup (which leaves the jobs out),
 * or a timer whose retries were used up. Cheap: one indexed query when there is nothing to do.
 */
export async function sweepOverdueAcceptances(db: Db, decisions: Decisions, today: string): Promise<number> {
  let accepted = 0;
  for (const { id } of await overdueAcceptances(db, today, 200)) if (await decisions.deemAccepted(id)) accepted++;
  return accepted;
}
