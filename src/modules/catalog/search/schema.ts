// Shapes of the search route. The query's own rules are in params.ts (bilingual problems);
// the schema documents the parameters and lets repeated facet parameters arrive as lists.
import { Type } from 'typebox';

const values = (description: string) => Type.Optional(Type.Array(Type.String(), { description }));

export const SearchQuery = Type.Object({
  q: Type.Optional(Type.String({ description: 'Words in Chinese or English (at most 200 characters); empty lists every published entry' })),
  provider: values('Provider organization ids; repeat for any of several'),
  class: values('1 base, 2 theme, 3 department'),
  sharing: values('unconditional, conditional or none'),
  open: values('true or false'),
  format: values('file, spreadsheet, database, image, streaming, self-describing or api'),
  cycle: values('realtime, daily, weekly, monthly, quarterly, half-yearly, yearly or irregular'),
  sort: Type.Optional(Type.String({ description: 'relevance (default with words), name (Chinese name, pinyin order), published (newest first, default without words) or code' })),
  page: Type.Optional(Type.String({ description: 'From 1' })),
  pageSize: Type.Optional(Type.String({ description: '1 to 100, default 20' })),
});

const Range = Type.Tuple([Type.Integer(), Type.Integer()], { description: '[start, end) in UTF-16 code units of the text returned' });

export const SearchItem = Type.Object({
  id: Type.String(),
  code: Type.String(),
  nameZh: Type.String(),
  nameEn: Type.String(),
  abstractZh: Type.String({ description: 'The published abstract, cut to a snippet around the first match' }),
  abstractEn: Type.String(),
  provider: Type.Object({ id: Type.String(), nameZh: Type.String(), nameEn: Type.String() }),
  class: Type.String(),
  item: Type.String(),
  sharing: Type.String(),
  open: Type.Boolean(),
  format: Type.String(),
  updateCycle: Type.String(),
  publishedVersion: Type.Integer(),
  publishedAt: Type.String(),
  score: Type.Number(),
  highlights: Type.Object({ nameZh: Type.Array(Range), nameEn: Type.Array(Range), abstractZh: Type.Array(Range), abstractEn: Type.Array(Range) }),
  marked: Type.Object(
    { nameZh: Type.String(), nameEn: Type.String(), abstractZh: Type.String(), abstractEn: Type.String() },
    { description: 'The same texts as HTML: escaped, the matches in <mark>' },
  ),
});

const FacetValue = Type.Object({ value: Type.String(), label: Type.String({ description: 'In the language asked for (Accept-Language)' }), labelZh: Type.String(), labelEn: Type.String(), count: Type.Integer() });
const FacetList = Type.Array(FacetValue);

export const SearchResult = Type.Object({
  total: Type.Integer(),
  page: Type.Integer(),
  pageSize: Type.Integer(),
  sort: Type.String(),
  fuzzy: Type.Boolean({ description: 'Nothing matched exactly: these are near matches (misspellings, a mistyped character)' }),
  corrections: Type.Array(Type.Object({ term: Type.String(), suggestions: Type.Array(Type.String()) }), { description: 'Words not in the catalog and the indexed words searched instead' }),
  items: Type.Array(SearchItem),
  facets: Type.Object({ provider: FacetList, class: FacetList, sharing: FacetList, open: FacetList, format: FacetList, cycle: FacetList }, { description: "Counts per value; each facet's counts apply the other facets' filters but not its own" }),
});
