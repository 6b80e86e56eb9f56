// Cache invalidation across processes. A service calls `notify(trx, topic)` inside its
// transaction; PostgreSQL delivers a NOTIFY only when that transaction commits, to every
// replica listening. The writing process also invalidates its own caches right after commit,
// so its next request never sees stale data while the notification is in flight.
import { sql } from 'kysely';
import type { Database, Executor } from './db.ts';

export const CHANGES_CHANNEL = 'egov_changes';

export type ChangeFeed = ReturnType<typeof createChangeFeed>;

export function createChangeFeed(database: Database) {
  const handlers = new Map<string, Set<() => void>>();
  let unlisten: (() => Promise<void>) | undefined;

  function deliver(topic: string) {
    // '*' means the listener lost its connection and may have missed something.
    const targets = topic === '*' ? [...handlers.values()].flatMap((set) => [...set]) : [...(handlers.get(topic) ?? [])];
    for (const handler of targets) handler();
  }

  return {
    async start(): Promise<void> {
      unlisten = await database.listen(CHANGES_CHANNEL, deliver);
    },
    async notify(trx: Executor, topic: string): Promise<void> {
      await sql`select pg_notify(${CHANGES_CHANNEL}, ${topic})`.execute(trx);
    },
    /** Invalidates this process's caches for `topic` at once (after a local commit). */
    local(topic: string): void {
      deliver(topic);
    },
    subscribe(topic: string, handler: () => void): void {
      if (!handlers.has(topic)) handlers.set(topic, new Set());
      handlers.get(topic)!.add(handler);
    },
    async stop(): Promise<void> {
      await unlisten?.();
    },
  };
}
