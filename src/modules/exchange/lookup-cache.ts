// Lookups the message path makes on every call (a service, its rights, a subsystem), kept in
// memory and forgotten whenever the data behind them changes: on this process at once, on
// other replicas through the change feed.
import type { ChangeFeed } from '../../platform/changes.ts';

/** A bound, not an eviction policy: past it the cache starts over, and refilling is cheap. */
const MAX_ENTRIES = 10_000;

export function createLookupCache<V>(changes: ChangeFeed, topics: string[]) {
  const entries = new Map<string, V>();
  for (const topic of topics) changes.subscribe(topic, () => entries.clear());
  return {
    /** The cached value for `key`, or `load()`'s, remembered (undefined is remembered too). */
    async get(key: string, load: () => Promise<V>): Promise<V> {
      if (entries.has(key)) return entries.get(key) as V;
      const value = await load();
      if (entries.size >= MAX_ENTRIES) entries.clear();
      entries.set(key, value);
      return value;
    },
  };
}
