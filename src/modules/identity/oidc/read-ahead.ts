// Rows read ahead within one request to the provider. Exchanging a code, the provider reads
// the code, then its grant, then the session it is bound to, and egov reads whom the person
// acts for under the grant: four round trips, one after the other. The adapter reads the
// three companions with the token in one statement (payload-store.ts) and keeps them here
// for the rest of that request only, so nothing outlives the request and another request
// always reads the database. A write through payload-store.ts forgets what it touches.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { PayloadRow } from './payload-store.ts';

export type LookupKey = { model: string; by: 'id' | 'uid' | 'user_code'; value: string };

/** null: read ahead and known to be absent. */
const scope = new AsyncLocalStorage<Map<string, PayloadRow | null>>();

const keyOf = (k: LookupKey) => `${k.model}\u0000${k.by}\u0000${k.value}`;

/** Runs one request to the provider (a Koa middleware, provider.ts) with a scope of its own. */
export const withReadAhead = <T>(fn: () => Promise<T>): Promise<T> => scope.run(new Map(), fn);

/** Whether reads can be kept: only inside a request's scope. */
export const readingAhead = () => scope.getStore() !== undefined;

export function remember(key: LookupKey, row: PayloadRow | null): void {
  scope.getStore()?.set(keyOf(key), row);
}

/** The row read ahead (null: known absent), or undefined when it was not read ahead. */
export function recall(key: LookupKey): PayloadRow | null | undefined {
  return scope.getStore()?.get(keyOf(key));
}

/** After a write to (model, id): anything read ahead about that row is stale. */
export function forgetRow(model: string, id: string): void {
  const rows = scope.getStore();
  if (!rows) return;
  for (const [key, row] of rows) if (key.startsWith(`${model}\u0000`) && (key === keyOf({ model, by: 'id', value: id }) || row?.id === id)) rows.delete(key);
}

/** After a write that may touch many rows (a revoked grant). */
export function forgetAll(): void {
  scope.getStore()?.clear();
}
