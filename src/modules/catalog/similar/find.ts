// Finding the entries most like a draft. Published entries are looked up in this process's
// in-memory index (published-index.ts), which follows the search index's generation
// (catalog.search_state, decision 0018): before each lookup it reads the generation and
// applies the entries published since the one it holds, so a lookup sees every publication
// committed before it, on any replica. The drafter's department's own entries that are not as
// published (drafts, submissions, revisions: few) are read by SQL as they are now. The answer
// is the full scan's (findByScan, kept as the reference the tests compare with), the same
// scores and the same list, ties included.
import type { Db, Executor } from '../../../platform/db.ts';
import { currentGeneration } from '../search/store.ts';
import { createPublishedIndex, type PublishedIndex } from './published-index.ts';
import { HIGH_SIMILARITY, MIN_SHOWN, features, similarity, type Features, type NamedInput, type Similarity } from './score.ts';
import * as store from './store.ts';

type Ranked = { id: string; code: string; score: number };

/**
 * Keeps `entry` in `best` (at most `limit`, best first, equal scores by code) as the full scan
 * always has: an entry no better than the last of a full list is not taken, so which of equal
 * scores stay depends on the order entries come in (id order).
 */
export function keep<T extends Ranked>(best: T[], entry: T, limit: number): void {
  if (best.length === limit && entry.score <= best[limit - 1]!.score) return;
  best.push(entry);
  best.sort((a, b) => b.score - a.score || a.code.localeCompare(b.code));
  if (best.length > limit) best.pop();
}

export const featuresOf = (c: store.Candidate): Features => features({ nameZh: c.name_zh, nameEn: c.name_en, dataItems: c.data_items ?? [] });

export function shown(c: store.Candidate, s: Similarity, orgId: string): store.ShownEntry {
  const own = c.provider_org_id === orgId;
  return { id: c.id, code: c.code, nameZh: c.name_zh, nameEn: c.name_en, providerOrgId: c.provider_org_id, status: c.status, ...s, high: !own && s.score >= HIGH_SIMILARITY };
}

const isEmpty = (f: Features) => f.zh.size === 0 && f.en.size === 0 && f.items.length === 0;

/** The reference: every entry a drafter of `orgId` may see, read page by page and scored. */
export async function findByScan(executor: Executor, orgId: string, draft: NamedInput, limit: number, exceptId: string | null): Promise<store.ShownEntry[]> {
  const mine = features(draft);
  const best: store.ShownEntry[] = [];
  if (isEmpty(mine)) return best;
  let after: string | null = null;
  for (;;) {
    const page = await store.candidates(executor, orgId, exceptId, after);
    for (const c of page) {
      const s = similarity(mine, featuresOf(c));
      if (s.score >= MIN_SHOWN) keep(best, shown(c, s, orgId), limit);
    }
    if (page.length < store.CANDIDATE_PAGE) return best;
    after = page[page.length - 1]!.id;
  }
}

export function createFinder(db: Db) {
  let current: PublishedIndex | undefined;
  let shared: Promise<PublishedIndex> | undefined;

  async function load(into: PublishedIndex, read: (afterId: string | null) => Promise<store.PublishedRow[]>) {
    let afterId: string | null = null;
    for (;;) {
      const page = await read(afterId);
      into.apply(page);
      if (page.length < store.LOAD_PAGE) return;
      afterId = page[page.length - 1]!.id;
    }
  }

  /**
   * Brings the index (a new one when there is none, or when `rebuild` and it is worth it) up
   * to the generation read now through `executor`; returns the index it brought up, which the
   * caller uses even if another catch-up swaps in a new one meanwhile.
   */
  async function catchUp(executor: Executor, rebuild: boolean): Promise<PublishedIndex> {
    const target = await currentGeneration(executor);
    let index = current;
    if (!index || (rebuild && index.worthRebuilding())) {
      // Every published entry, read after the generation: one published meanwhile is read again as a change, which changes nothing.
      const fresh = createPublishedIndex();
      await load(fresh, (afterId) => store.publishedPage(executor, afterId));
      fresh.compact();
      fresh.held = target;
      current = index = fresh;
    }
    if (index.held < target) {
      const from = index.held;
      await load(index, (afterId) => store.publishedSincePage(executor, from, afterId));
      index.held = Math.max(index.held, target);
    }
    return index;
  }

  /** Outside a transaction: concurrent callers share one catch-up through the pool. */
  async function upToDate(): Promise<PublishedIndex> {
    const target = await currentGeneration(db);
    while (!current || current.held < target) {
      shared ??= catchUp(db, true).finally(() => (shared = undefined));
      await shared;
    }
    return current;
  }

  return {
    /**
     * The entries most like `draft` that a drafter of `orgId` may see, best first (equal scores
     * by code), as findByScan finds them. `executor` is the pool, or the caller's transaction:
     * then everything is read through it (on PGlite the pool waits for the transaction), and a
     * catch-up already running through the pool is not waited for.
     */
    async find(executor: Executor, orgId: string, draft: NamedInput, limit: number, exceptId: string | null): Promise<store.ShownEntry[]> {
      const mine = features(draft);
      if (isEmpty(mine)) return [];
      const index = executor === db ? await upToDate() : await catchUp(executor, false);
      const ownRows = await store.ownUnpublished(executor, orgId, exceptId);
      // Their published versions, if any, are not what this drafter compares with.
      const excluded = new Set(ownRows.map((c) => c.id));
      if (exceptId) excluded.add(exceptId);
      const own = ownRows.flatMap((c) => {
        const s = similarity(mine, featuresOf(c));
        return s.score >= MIN_SHOWN ? [{ id: c.id, code: c.code, score: s.score, entry: shown(c, s, orgId) }] : [];
      });
      const found: (Ranked & { entry?: store.ShownEntry })[] = [...own, ...index.scored(mine, limit, excluded, own.map((o) => o.score))];
      // The full scan's order, for its choice among equal scores at the end of the list.
      found.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      const best: typeof found = [];
      for (const f of found) keep(best, f, limit);
      const rows = new Map((await store.publishedByIds(executor, best.filter((b) => !b.entry).map((b) => b.id))).map((c) => [c.id, c]));
      return best.flatMap((b) => {
        if (b.entry) return [b.entry];
        const c = rows.get(b.id);
        return c ? [shown(c, similarity(mine, featuresOf(c)), orgId)] : [];
      });
    },
  };
}

export type Finder = ReturnType<typeof createFinder>;
