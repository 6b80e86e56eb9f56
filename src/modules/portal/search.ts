// One search box across what the platform publishes: each source (open data now; services and
// disclosures as their modules publish them) answers the same question, and the portal shows
// each source's best matches in its own section. A source that fails is left out of the page
// with a note, so one broken part never takes the portal's search down.
import type { Lang, Text } from './text.ts';

export type SearchHit = { title: string; href: string; summary: string; meta: string[] };
/** Where to look: a city's organizations; an event's page (sources that tag their items by event list those). */
export type SearchScope = { orgIds?: string[]; event?: string };

export type SearchSource = {
  key: string;
  title: Text;
  /** Where to see everything this source has for the words. */
  moreHref: (q: string, lang: Lang) => string;
  search: (q: string, lang: Lang, limit: number, scope: SearchScope) => Promise<{ total: number; hits: SearchHit[] }>;
};

export type SearchSection = { source: SearchSource; total: number; hits: SearchHit[]; failed: boolean };

export const MAX_QUERY_LENGTH = 100;

export async function searchAll(sources: SearchSource[], q: string, lang: Lang, limit: number, scope: SearchScope, onError: (source: string, err: unknown) => void): Promise<SearchSection[]> {
  return Promise.all(
    sources.map(async (source) => {
      try {
        return { source, ...(await source.search(q, lang, limit, scope)), failed: false };
      } catch (err) {
        onError(source.key, err);
        return { source, total: 0, hits: [], failed: true };
      }
    }),
  );
}
