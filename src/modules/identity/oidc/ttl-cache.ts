// A small in-memory cache for lookups the provider repeats on every request (a client's
// metadata). Entries live a fixed, short time: several replicas may share one PostgreSQL
// database, and a change made on another replica (or in another module, such as deactivating
// a business system) reaches this one only when the entry expires. Changes made through this
// process delete their entry at once.

export type TtlCache<K, V> = {
  /** The live entry for `key`, or what `load` gives (shared by concurrent callers). */
  get(key: K, load: () => Promise<V>): Promise<V>;
  delete(key: K): void;
};

/**
 * `keep` says whether a loaded value may be cached (e.g. not "unknown", so a client created on
 * another replica is found at once). Failed loads are never cached. At most `maxEntries` are
 * kept; past that the oldest go first.
 */
export function ttlCache<K, V>(ttlMs: number, keep: (value: V) => boolean = () => true, maxEntries = 1_000): TtlCache<K, V> {
  const entries = new Map<K, { value: Promise<V>; until: number }>();
  const drop = (key: K, value: Promise<V>) => {
    if (entries.get(key)?.value === value) entries.delete(key);
  };
  return {
    get(key, load) {
      const now = Date.now();
      const entry = entries.get(key);
      if (entry && entry.until > now) return entry.value;
      if (entry) entries.delete(key);
      if (entries.size >= maxEntries) entries.delete(entries.keys().next().value as K);
      const value = load();
      entries.set(key, { value, until: now + ttlMs });
      value.then(
        (loaded) => {
          if (!keep(loaded)) drop(key, value);
        },
        () => drop(key, value),
      );
      return value;
    },
    delete: (key) => entries.delete(key),
  };
}
