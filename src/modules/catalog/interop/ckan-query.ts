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

/** A quoted phrase from `at` (the opening quote); returns the token and where the scan goes on. */
function readQuoted(input: string, at: number): [Token, number] {
  let j = at + 1;
  let text = '';
  while (j < input.length && input[j] !== '"') {
    if (input[j] === '\\' && j + 1 < input.length) j++;
    text += input[j];
    j++;
  }
  if (j >= input.length) throw new SearchQueryError(`the quotation mark at character ${at + 1} is never closed`);
  return [{ type: 'quoted', text, at }, j + 1];
}

/** A range [FROM TO TO] or {FROM TO TO} (exclusive ends) from `at`. */
function readRange(input: string, at: number): [Token, number] {
  const close = input.slice(at + 1).search(/[\]}]/);
  if (close < 0) throw new SearchQueryError(`the range opened at character ${at + 1} is never closed (write [FROM TO TO] or {FROM TO TO})`);
  const body = input.slice(at + 1, at + 1 + close);
  const m = /^\s*(\S+)\s+TO\s+(\S+)\s*$/.exec(body);
  if (!m) throw new SearchQueryError(`the range at character ${at + 1} must read [FROM TO TO], e.g. [2026-01-01T00:00:00Z TO *]`);
  const range = { from: unquote(m[1]!), to: unquote(m[2]!), includeFrom: input[at] === '[', includeTo: input[at + 1 + close] === ']' };
  return [{ type: 'range', text: body, at, range }, at + 2 + close];
}

/** A word, or `field:` (a colon after a name starts a fielded clause); `\` escapes a character. */
function readWord(input: string, at: number): [Token, number] {
  let j = at;
  let text = '';
  while (j < input.length && !/\s/.test(input[j]!) && input[j] !== '(' && input[j] !== ')') {
    if (input[j] === '\\' && j + 1 < input.length) {
      text += input[j + 1];
      j += 2;
      continue;
    }
    if (input[j] === ':' && /^[A-Za-z_][\w.]*$/.test(text)) return [{ type: 'field', text, at }, j + 1];
    text += input[j];
    j++;
  }
  return [{ type: 'word', text, at }, j];
}

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    let token: Token;
    if (c === '(' || c === ')' || ((c === '-' || c === '+') && i + 1 < input.length && !/\s/.test(input[i + 1]!))) [token, i] = [{ type: c, text: c, at: i }, i + 1];
    else if (c === '"') [token, i] = readQuoted(input, i);
    else if (c === '[' || c === '{') [token, i] = readRange(input, i);
    else if (input.startsWith('*:*', i)) [token, i] = [{ type: 'word', text: '*:*', at: i }, i + 3];
    else [token, i] = readWord(input, i);
    tokens.push(token);
  }
  return tokens;
}

const unquote = (s: string) => (s.length >= 2 && s.startsWith('"') && s.endsWith('"') ? s.slice(1, -1) : s);

/** A recursive-descent parser over the tokens: sequence (AND) of OR-groups of unary terms. */
class QueryParser {
  private pos = 0;
  private readonly tokens: Token[];
  constructor(tokens: Token[]) {
    this.tokens = tokens;
  }

  private peek(): Token | undefined {
    return this.tokens[this.pos];
  }

  private isOp(op: string, alias?: string): boolean {
    const t = this.peek();
    return t?.type === 'word' && (t.text === op || t.text === alias);
  }

  parse(defaultField: string): Node {
    const tree = this.sequence(defaultField);
    const rest = this.peek();
    if (rest) throw new SearchQueryError(`an unexpected "${rest.text}" at character ${rest.at + 1}`);
    return tree;
  }

  private value(field: string): Node {
    const t = this.peek();
    if (!t) throw new SearchQueryError(`${field}: has no value after the colon`);
    this.pos++;
    if (t.type === 'quoted') return { kind: 'term', field, value: t.text, quoted: true };
    if (t.type === 'word') return t.text === '*' ? { kind: 'range', field, from: '*', to: '*', includeFrom: true, includeTo: true } : { kind: 'term', field, value: t.text, quoted: false };
    if (t.type === 'range') return { kind: 'range', field, ...t.range! };
    if (t.type === '(') {
      const inner = this.sequence(field, ')');
      if (this.peek()?.type !== ')') throw new SearchQueryError(`the parenthesis at character ${t.at + 1} is never closed`);
      this.pos++;
      return inner;
    }
    throw new SearchQueryError(`${field}: expected a value at character ${t.at + 1}, found "${t.text}"`);
  }

  private primary(field: string): Node {
    const t = this.peek();
    if (!t) throw new SearchQueryError('the query ends where a term was expected');
    if (t.type === 'field') {
      this.pos++;
      return this.value(t.text);
    }
    if (t.type === 'word' && t.text === '*:*') {
      this.pos++;
      return { kind: 'all' };
    }
    if (t.type === ')') throw new SearchQueryError(`an unexpected ")" at character ${t.at + 1}`);
    return this.value(field);
  }

  private unary(field: string): Node {
    const t = this.peek();
    if (t && (t.type === '-' || this.isOp('NOT'))) {
      this.pos++;
      return { kind: 'not', item: this.unary(field) };
    }
    if (t?.type === '+') {
      this.pos++;
      return this.unary(field);
    }
    return this.primary(field);
  }

  private orGroup(field: string): Node {
    const items = [this.unary(field)];
    while (this.isOp('OR', '||')) {
      this.pos++;
      items.push(this.unary(field));
    }
    return items.length === 1 ? items[0]! : { kind: 'or', items };
  }

  private sequence(field: string, until?: ')'): Node {
    const items: Node[] = [];
    while (this.pos < this.tokens.length && !(until && this.peek()?.type === until)) {
      if (this.isOp('AND', '&&')) {
        if (items.length === 0) throw new SearchQueryError(`AND at character ${this.peek()!.at + 1} has nothing before it`);
        this.pos++;
        continue;
      }
      if (this.isOp('OR', '||')) throw new SearchQueryError(`OR at character ${this.peek()!.at + 1} has nothing before it`);
      items.push(this.orGroup(field));
    }
    if (items.length === 0) return { kind: 'all' };
    return items.length === 1 ? items[0]! : { kind: 'and', items };
  }
}

/** Parses a `q` or `fq` string; `defaultField` takes the words without a field. */
export function parseQuery(input: string, defaultField = 'text'): Node {
  const tree = new QueryParser(tokenize(input)).parse(defaultField);
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
