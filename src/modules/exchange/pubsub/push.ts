// Push delivery: the room's node calls each PUSH subscriber's `events` service through the
// exchange, as the room (POST /r1/{subscriber}/events/{eventType}, the event as the body,
// X-Event-Id its id), so the delivery is authorized by the subscriber's access right for the
// room, signed and logged like any call. A 2xx answer is the acknowledgement; anything else
// is tried again later, backing off, until the subscription's TTL runs out. Subscribers may
// see an event twice (at least once): they recognise it by its id.
import type { Clock } from '../../../platform/clock.ts';
import type { Db } from '../../../platform/db.ts';
import { partyOf } from './service.ts';
import * as store from './store.ts';

const BATCH = 100;
const MAX_BACKOFF_MS = 5 * 60_000;

export type ExchangeCall = (input: { client: string; path: string; headers: Record<string, string>; body: string }) => Promise<{ status: number; error: string | undefined }>;

export function createPusher(deps: { db: Db; clock: Clock; call: ExchangeCall }) {
  let running: Promise<number> | undefined;

  async function pushDue(): Promise<number> {
    const now = deps.clock.now();
    await store.expireDeliveries(deps.db, now);
    const due = await store.duePushDeliveries(deps.db, now, BATCH);
    let delivered = 0;
    for (const d of due) {
      const item = { id: d.event_id, sequence: Number(d.sequence), publisherId: partyOf(String(d.publisher)), eventType: d.event_type, event: d.payload };
      const answer = await deps
        .call({ client: String(d.room), path: `/r1/${d.subscriber}/events/${encodeURIComponent(String(d.event_type))}`, headers: { 'content-type': 'application/json', 'x-event-id': String(d.event_id) }, body: JSON.stringify(item) })
        .catch((err: unknown) => ({ status: 0, error: (err as Error).message }));
      if (answer.status >= 200 && answer.status < 300) {
        await store.markDelivery(deps.db, String(d.event_id), String(d.subscription_id), { state: 'acked', delivered_at: deps.clock.now(), attempts: Number(d.attempts) + 1, last_error: null });
        delivered += 1;
      } else {
        const attempts = Number(d.attempts) + 1;
        const backoff = Math.min(1000 * 2 ** (attempts - 1), MAX_BACKOFF_MS);
        await store.markDelivery(deps.db, String(d.event_id), String(d.subscription_id), { attempts, next_attempt_at: new Date(deps.clock.now().getTime() + backoff), last_error: answer.error ?? `answered ${answer.status}` });
      }
    }
    return delivered;
  }

  return {
    /** One round of pushing what is due; rounds do not overlap. */
    pushNow(): Promise<number> {
      running ??= pushDue().finally(() => {
        running = undefined;
      });
      return running;
    },
  };
}
