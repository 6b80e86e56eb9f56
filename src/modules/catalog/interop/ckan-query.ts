// CKAN's search language, as package_search takes it in `q` and `fq`: Solr's field queries
// (`tags:x`, `organization:"a b"`, `-res_format:CSV`, `metadata_modified:[2026-01-01T00:00:00Z TO *]`,
// `tags:(a OR b)`, `NOW-1DAY`), free words, AND by default (CKAN sets q.op=AND). An explicit
// OR binds tighter than the implicit AND, which is how harvesters write their filters
// (`organization:a OR organization:b metadata_modified:[… TO *]`). Parsed to a tree, then
// evaluated over the datasets in memory; a query it cannot read is a SearchQueryError
// naming where and why, never an empty result.

export class SearchQueryError extends Error {}

/** A dataset as the query language sees it. */
export type Doc = {
  strings: Record<string, string[]>;
  texts: Record<string, string>;
  dates: Record<string, Date>;
  numbers: Record<string, number>;
};

export const STRING_FIELDS = ['id', 'name', 'organization', 'owner_org', 'tags', 'res_format', 'license_id', 'groups', 'capacity', 'type', 'dataset_type', 'state', 'title_string'];
export const TEXT_FIELDS = ['text', 'title', 'notes', 'res_name', 'res_description'];
export const DATE_FIELDS = ['metadata_modified', 'metadata_created'];
export const NUMBER_FIELDS = ['num_resources', 'num_tags', 'version'];

export type Node =
  | { kind: 'all' }
  | { kind: 'and' | 'or'; items: Node[] }
  | { kind: 'not'; item: Node }
  | { kind: 'term'; field: string; value: string; quoted: boolean }
  | { kind: 'range'; field: string; from: string; to: string; includeFrom: boolean; includeTo: boolean };

type Token = { type: 'word' | 'quoted' | 'range' | '(' | ')' | 'field' | '-' | '+'; text: string; at: number; range?: { from: string; to: string; includeFrom: boolean; includeTo: boolean } };

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const n = input.length;
  while (i < n) {
    const c = input[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const at = i;
    if (c === '(' || c === ')') {
      tokens.push({ type: c, text: c, at });
      i++;
      continue;
    }
    if ((c === '-' || c === '+') && i + 1 < n && !/\s/.test(input[i + 1]!)) {
      tokens.push({ type: c, text: c, at });
      i++;
      continue;
    }
    if (c === '"') {
      let j = i + 1;
      let text = '';
      while (j < n && input[j] !== '"') {
        if (input[j] === '\\' && j + 1 < n) j++;
        text += input[j];
        j++;
      }
      if (j >= n) throw new SearchQueryError(`the quotation mark at character ${at + 1} is never closed`);
      tokens.push({ type: 'quoted', text, at });
      i = j + 1;
      continue;
    }
    if (c === '[' || c === '{') {
      const close = input.slice(i + 1).search(/[\]}]/);
      if (close < 0) throw new SearchQueryError(`the range opened at character ${at + 1} is never closed (write [FROM TO TO] or {FROM TO TO})`);
      const body = input.slice(i + 1, i + 1 + close);
      const end = input[i + 1 + close]!;
      const m = /^\s*(\S+)\s+TO\s+(\S+)\s*$/.exec(body);
      if (!m) throw new SearchQueryError(`the range at character ${at + 1} must read [FROM TO TO], e.g. [2026-01-01T00:00:00Z TO *]`);
      tokens.push({ type: 'range', text: body, at, range: { from: unquote(m[1]!), to: unquote(m[2]!), includeFrom: c === '[', includeTo: end === ']' } });
      i = i + 2 + close;
      continue;
    }
    if (input.startsWith('*:*', i)) {
      tokens.push({ type: 'word', text: '*:*', at });
      i += 3;
      continue;
    }
    // A word, or `field:` (a colon after a name starts a fielded clause).
    let j = i;
    let text = '';
    let field = false;
    while (j < n && !/\s/.test(input[j]!) && input[j] !== '(' && input[j] !== ')') {
      if (input[j] === '\\' && j + 1 < n) {
        text += input[j + 1];
        j += 2;
        continue;
      }
      if (input[j] === ':' && /^[A-Za-z_][\w.]*$/.test(text)) {
        field = true;
        j++;
        break;
      }
      text += input[j];
      j++;
    }
    tokens.push({ type: field ? 'field' : 'word', text, at });
    i = j;
  }
  return tokens;
}

const unquote = (s: string) => (s.length >= 2 && s.startsWith('"') && s.endsWith('"') ? s.slice(1, -1) : s);

/** Parses a `q` or `fq` string; `defaultField` takes the words without a field. */
export function parseQuery(input: string, defaultField = 'text'): Node {
  const tokens = tokenize(input);
  let pos = 0;
  const peek = () => tokens[pos];
  const isOp = (t: Token | undefined, op: string) => t?.type === 'word' && t.text === op;

  function value(field: string): Node {
    const t = tokens[pos];
    if (!t) throw new SearchQueryError(`${field}: has no value after the colon`);
    pos++;
    if (t.type === 'quoted') return { kind: 'term', field, value: t.text, quoted: true };
    if (t.type === 'word') {
      if (t.text === '*' && field !== '*') return { kind: 'range', field, from: '*', to: '*', includeFrom: true, includeTo: true };
      return { kind: 'term', field, value: t.text, quoted: false };
    }
    if (t.type === 'range') return { kind: 'range', field, ...t.range! };
    if (t.type === '(') {
      const inner = sequence(field, ')');
      if (tokens[pos]?.type !== ')') throw new SearchQueryError(`the parenthesis at character ${t.at + 1} is never closed`);
      pos++;
      return inner;
    }
    throw new SearchQueryError(`${field}: expected a value at character ${t.at + 1}, found "${t.text}"`);
  }

  function primary(field: string): Node {
    const t = peek();
    if (!t) throw new SearchQueryError('the query ends where a term was expected');
    if (t.type === 'field') {
      pos++;
      return value(t.text);
    }
    if (t.type === 'word' && t.text === '*:*') {
      pos++;
      return { kind: 'all' };
    }
    if (t.type === ')') throw new SearchQueryError(`an unexpected ")" at character ${t.at + 1}`);
    return value(field);
  }

  function unary(field: string): Node {
    const t = peek();
    if (t && (t.type === '-' || isOp(t, 'NOT'))) {
      pos++;
      return { kind: 'not', item: unary(field) };
    }
    if (t?.type === '+') {
      pos++;
      return unary(field);
    }
    return primary(field);
  }

  function orGroup(field: string): Node {
    const items = [unary(field)];
    while (isOp(peek(), 'OR') || peek()?.text === '||') {
      pos++;
      items.push(unary(field));
    }
    return items.length === 1 ? items[0]! : { kind: 'or', items };
  }

  function sequence(field: string, until?: ')'): Node {
    const items: Node[] = [];
    while (pos < tokens.length && !(until && peek()?.type === until)) {
      if (isOp(peek(), 'AND') || peek()?.text === '&&') {
        if (items.length === 0) throw new SearchQueryError(`AND at character ${peek()!.at + 1} has nothing before it`);
        pos++;
        continue;
      }
      if (isOp(peek(), 'OR')) throw new SearchQueryError(`OR at character ${peek()!.at + 1} has nothing before it`);
      items.push(orGroup(field));
    }
    if (items.length === 0) return { kind: 'all' };
    return items.length === 1 ? items[0]! : { kind: 'and', items };
  }

  const tree = sequence(defaultField);
  if (pos < tokens.length) throw new SearchQueryError(`an unexpected "${tokens[pos]!.text}" at character ${tokens[pos]!.at + 1}`);
  checkFields(tree);
  return tree;
}

const KNOWN_FIELDS = new Set([...STRING_FIELDS, ...TEXT_FIELDS, ...DATE_FIELDS, ...NUMBER_FIELDS]);

function checkFields(node: Node): void {
  if (node.kind === 'and' || node.kind === 'or') node.items.forEach(checkFields);
  else if (node.kind === 'not') checkFields(node.item);
  else if (node.kind === 'term' || node.kind === 'range') {
    if (!KNOWN_FIELDS.has(node.field) && !node.field.startsWith('extras_'))
      throw new SearchQueryError(`undefined field ${node.field} (fields: ${[...KNOWN_FIELDS].join(', ')}, extras_<key>)`);
    if (node.kind === 'range' && DATE_FIELDS.includes(node.field)) {
      parseSolrDate(node.from, new Date());
      parseSolrDate(node.to, new Date());
    }
  }
}

const UNITS: Record<string, 'FullYear' | 'Month' | 'Date' | 'Hours' | 'Minutes' | 'Seconds'> = {
  YEAR: 'FullYear', YEARS: 'FullYear', MONTH: 'Month', MONTHS: 'Month', DAY: 'Date', DAYS: 'Date', DATE: 'Date',
  HOUR: 'Hours', HOURS: 'Hours', MINUTE: 'Minutes', MINUTES: 'Minutes', SECOND: 'Seconds', SECONDS: 'Seconds',
};

/** A Solr date: ISO 8601 (UTC when no zone is given), `*`, or NOW with date maths (NOW-1DAY, NOW/DAY). */
export function parseSolrDate(text: string, now: Date): Date | undefined {
  if (text === '*') return undefined;
  const m = /^NOW((?:[+-]\d+[A-Z]+|\/[A-Z]+)*)$/.exec(text);
  if (m) {
    const d = new Date(now);
    for (const [, sign, amount, unit, round] of m[1]!.matchAll(/([+-])(\d+)([A-Z]+)|\/([A-Z]+)/g)) {
      const u = UNITS[(unit ?? round)!];
      if (!u) throw new SearchQueryError(`unknown date unit ${(unit ?? round)!} in ${text} (YEAR, MONTH, DAY, HOUR, MINUTE, SECOND)`);
      if (round) {
        const order = ['FullYear', 'Month', 'Date', 'Hours', 'Minutes', 'Seconds'];
        for (const finer of order.slice(order.indexOf(u) + 1)) (d as unknown as Record<string, (v: number) => void>)[`setUTC${finer}`]!(finer === 'Date' ? 1 : 0);
        d.setUTCMilliseconds(0);
      } else {
        const get = (d as unknown as Record<string, () => number>)[`getUTC${u}`]!.call(d);
        (d as unknown as Record<string, (v: number) => void>)[`setUTC${u}`]!.call(d, get + (sign === '-' ? -1 : 1) * Number(amount));
      }
    }
    return d;
  }
  if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(text)) throw new SearchQueryError(`"${text}" is not a date (write 2026-01-31T00:00:00Z, * or NOW-1DAY)`);
  const iso = /T/.test(text) && !/(Z|[+-]\d{2}:?\d{2})$/.test(text) ? `${text}Z` : text;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) throw new SearchQueryError(`"${text}" is not a date`);
  return d;
}

/** Lower-cased words of a text; Chinese is segmented into words (Intl.Segmenter). */
const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });
export function words(text: string): string[] {
  const out: string[] = [];
  for (const s of segmenter.segment(text.toLowerCase())) if (s.isWordLike) out.push(s.segment);
  return out;
}

function wildcard(pattern: string): RegExp {
  return new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 'i');
}

function stringValues(doc: Doc, field: string): string[] {
  if (field === 'dataset_type') return doc.strings.type ?? [];
  return doc.strings[field] ?? [];
}

function matchTerm(doc: Doc, field: string, value: string, now: Date): boolean {
  if (DATE_FIELDS.includes(field)) {
    const d = doc.dates[field];
    const wanted = parseSolrDate(value, now);
    return d !== undefined && (wanted === undefined || d.getTime() === wanted.getTime());
  }
  if (NUMBER_FIELDS.includes(field)) return doc.numbers[field] === Number(value);
  if (TEXT_FIELDS.includes(field)) {
    const text = doc.texts[field] ?? '';
    // Punctuation alone ("-", "/") asks for nothing.
    return words(value).every((w) => text.includes(w));
  }
  const values = stringValues(doc, field);
  if (value.includes('*')) {
    const re = wildcard(value);
    return values.some((v) => re.test(v));
  }
  const lower = value.toLowerCase();
  return values.some((v) => v.toLowerCase() === lower);
}

function matchRange(doc: Doc, node: Extract<Node, { kind: 'range' }>, now: Date): boolean {
  const inRange = (v: number | string, from: number | string | undefined, to: number | string | undefined) =>
    (from === undefined || (node.includeFrom ? v >= from : v > from)) && (to === undefined || (node.includeTo ? v <= to : v < to));
  if (DATE_FIELDS.includes(node.field)) {
    const d = doc.dates[node.field];
    return d !== undefined && inRange(d.getTime(), parseSolrDate(node.from, now)?.getTime(), parseSolrDate(node.to, now)?.getTime());
  }
  if (NUMBER_FIELDS.includes(node.field)) {
    const v = doc.numbers[node.field];
    return v !== undefined && inRange(v, node.from === '*' ? undefined : Number(node.from), node.to === '*' ? undefined : Number(node.to));
  }
  const values = TEXT_FIELDS.includes(node.field) ? [doc.texts[node.field] ?? ''] : stringValues(doc, node.field);
  return values.some((v) => inRange(v, node.from === '*' ? undefined : node.from, node.to === '*' ? undefined : node.to));
}

export function matches(node: Node, doc: Doc, now: Date): boolean {
  switch (node.kind) {
    case 'all':
      return true;
    case 'and':
      return node.items.every((n) => matches(n, doc, now));
    case 'or':
      return node.items.some((n) => matches(n, doc, now));
    case 'not':
      return !matches(node.item, doc, now);
    case 'term':
      return matchTerm(doc, node.field, node.value, now);
    case 'range':
      return matchRange(doc, node, now);
  }
}

/** How well a dataset answers the free words of `q`: title words count most, then tags, then the rest. */
export function score(node: Node, doc: Doc): number {
  const terms: string[] = [];
  const collect = (n: Node) => {
    if (n.kind === 'and' || n.kind === 'or') n.items.forEach(collect);
    else if (n.kind === 'term' && TEXT_FIELDS.includes(n.field)) terms.push(...words(n.value));
  };
  collect(node);
  if (terms.length === 0) return 1;
  const title = doc.texts.title ?? '';
  const tags = (doc.strings.tags ?? []).join(' ').toLowerCase();
  const notes = doc.texts.notes ?? '';
  return terms.reduce((sum, w) => sum + (title.includes(w) ? 4 : 0) + (tags.includes(w) ? 3 : 0) + (notes.includes(w) ? 1 : 0) + 0.5, 0);
}

export const SORT_FIELDS = ['score', 'metadata_modified', 'metadata_created', 'name', 'title', 'title_string', 'id', 'num_resources', 'num_tags'];

export type SortKey = { field: string; desc: boolean };

/** `metadata_modified desc, name asc` → keys; a field or direction it does not know is an error. */
export function parseSort(text: string): SortKey[] {
  return text.split(',').map((part) => {
    const [field, direction, ...rest] = part.trim().split(/\s+/);
    if (!field || rest.length > 0) throw new SearchQueryError(`the sort "${part.trim()}" must read "field asc" or "field desc"`);
    if (!SORT_FIELDS.includes(field)) throw new SearchQueryError(`cannot sort by ${field} (sort by ${SORT_FIELDS.join(', ')})`);
    const dir = (direction ?? 'asc').toLowerCase();
    if (dir !== 'asc' && dir !== 'desc') throw new SearchQueryError(`the sort direction of ${field} must be asc or desc, not ${direction}`);
    return { field, desc: dir === 'desc' };
  });
}

export function compareBy(keys: SortKey[], scores: Map<Doc, number>): (a: Doc, b: Doc) => number {
  const valueOf = (doc: Doc, field: string): number | string => {
    if (field === 'score') return scores.get(doc) ?? 0;
    if (DATE_FIELDS.includes(field)) return doc.dates[field]?.getTime() ?? 0;
    if (NUMBER_FIELDS.includes(field)) return doc.numbers[field] ?? 0;
    if (field === 'title' || field === 'title_string') return doc.strings.title_string?.[0] ?? '';
    return doc.strings[field]?.[0] ?? '';
  };
  return (a, b) => {
    for (const key of keys) {
      const x = valueOf(a, key.field);
      const y = valueOf(b, key.field);
      const order = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y), 'zh');
      if (order !== 0) return key.desc ? -order : order;
    }
    return 0;
  };
}
