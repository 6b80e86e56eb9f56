// CKAN's read actions over the open published entries: package_search (q, fq, facets, sort,
// paging, as CKAN 2.10 answers them), package_show, package_list, organization_list,
// organization_show, tag_list and help_show. Parameters come as CKAN takes them (strings
// from a query string, JSON values from a POST body) and are checked as CKAN checks them:
// a bad parameter is a Validation Error (409), a query Solr could not read a Search Query
// Error (400), something not there a Not Found Error (404).
import type { Executor } from '../../../platform/db.ts';
import { compareBy, matches, parseQuery, parseSort, score, SearchQueryError, type Doc, type Node } from './ckan-query.ts';
import { docOf, organizationDict, packageDict, tagDict, type CkanPackage } from './ckan-model.ts';
import { findOpenEntry, listOpenEntries, openEntriesByIds } from './open-entries.ts';
import { findPublisher, type Publisher } from './publishers.ts';

export class CkanError extends Error {
  readonly status: number;
  readonly type: string;
  readonly fields: Record<string, string[]> | undefined;
  constructor(status: number, type: string, message: string, fields?: Record<string, string[]>) {
    super(message);
    this.status = status;
    this.type = type;
    this.fields = fields;
  }
}

const notFound = (what: string) => new CkanError(404, 'Not Found Error', `Not found: ${what}`);
const invalid = (field: string, message: string) => new CkanError(409, 'Validation Error', `${field}: ${message}`, { [field]: [message] });

export type Params = Record<string, unknown>;

/** CKAN's parameter checks. */
function text(params: Params, key: string): string | undefined {
  const v = params[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw invalid(key, Array.isArray(v) ? 'give it once, as one string' : 'must be a string');
}

function integer(params: Params, key: string, fallback: number, options: { min?: number; max?: number } = {}): number {
  const raw = params[key];
  if (raw === undefined || raw === null || raw === '') return fallback;
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\s*-?\d+\s*$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(n)) throw invalid(key, 'Invalid integer');
  if (options.min !== undefined && n < options.min) throw invalid(key, options.min === 0 ? 'Must be a natural number' : `Must be at least ${options.min}`);
  return options.max !== undefined ? Math.min(n, options.max) : n;
}

function boolean(params: Params, key: string, fallback: boolean): boolean {
  const raw = params[key];
  if (raw === undefined || raw === null || raw === '') return fallback;
  if (typeof raw === 'boolean') return raw;
  const s = String(raw).toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(s)) return true;
  if (['false', '0', 'no', 'off'].includes(s)) return false;
  throw invalid(key, 'Value must be one of: true, false');
}

/** A list given as a JSON list (as CKAN reads facet.field from a query string) or a list. */
function stringList(params: Params, key: string): string[] | undefined {
  let raw = params[key];
  if (raw === undefined || raw === null || raw === '') return undefined;
  if (typeof raw === 'string') {
    try {
      raw = JSON.parse(raw);
    } catch {
      throw invalid(key, 'Could not parse as valid JSON');
    }
  }
  if (!Array.isArray(raw) || raw.some((v) => typeof v !== 'string')) throw invalid(key, 'Not a list of strings');
  return raw as string[];
}

function query(input: string | undefined, what: string): Node | undefined {
  if (input === undefined || input.trim() === '' || input.trim() === '*:*') return undefined;
  try {
    return parseQuery(input);
  } catch (err) {
    if (err instanceof SearchQueryError) throw new CkanError(400, 'Search Query Error', `Search Query is invalid: ${what}: ${err.message}`);
    throw err;
  }
}

export const FACET_FIELDS = ['organization', 'groups', 'tags', 'res_format', 'license_id', 'extras_sharing_type', 'extras_update_cycle', 'extras_format_class'];
const ROWS_MAX = 1000;

export const HELP: Record<string, string> = {
  package_search: 'Searches the open datasets. Parameters: q (free words or field:value), fq (filter: organization:, tags:, res_format:, license_id:, groups:, metadata_modified:[FROM TO TO], …; terms are ANDed, -field:value excludes), facet.field (a JSON list), facet.limit, facet.mincount, rows (≤ 1000), start, sort (e.g. "metadata_modified desc", "name asc", "score desc"). Returns count, results, facets, search_facets and sort.',
  package_show: 'Returns one open dataset. Parameters: id (its id or name).',
  package_list: 'Returns the names of the open datasets. Parameters: limit, offset.',
  organization_list: 'Returns the organizations that publish open datasets. Parameters: all_fields, sort ("title asc", "name asc", "package_count desc"), limit, offset, organizations (a list of names).',
  organization_show: 'Returns one organization. Parameters: id (its id or name), include_datasets.',
  tag_list: 'Returns the tags of the open datasets. Parameters: query (part of a tag), all_fields.',
  help_show: 'Returns the help text of an action. Parameters: name.',
};

export type CkanApiDeps = { db: Executor; baseUrl: string; publishers: () => Promise<Map<string, Publisher>>; now: () => Date };

export function createCkanApi(deps: CkanApiDeps) {
  /** Every open dataset, as listed (without data items), with its search document. */
  async function catalog() {
    const [entries, publishers] = await Promise.all([listOpenEntries(deps.db), deps.publishers()]);
    const packages = entries.map((e) => packageDict(e, publishers.get(e.providerOrgId), deps.baseUrl));
    return { packages, publishers };
  }

  async function fullPackages(ids: string[], publishers: Map<string, Publisher>): Promise<CkanPackage[]> {
    return (await openEntriesByIds(deps.db, ids)).map((e) => packageDict(e, publishers.get(e.providerOrgId), deps.baseUrl));
  }

  function facetsOf(fields: string[], docs: { pkg: CkanPackage; doc: Doc }[], limit: number, mincount: number) {
    const facets: Record<string, Record<string, number>> = {};
    const search_facets: Record<string, { title: string; items: { name: string; display_name: string; count: number }[] }> = {};
    for (const field of fields) {
      if (!FACET_FIELDS.includes(field)) throw new CkanError(400, 'Search Query Error', `Search Query is invalid: facet.field: cannot count ${field} (facets: ${FACET_FIELDS.join(', ')})`);
      const counts = new Map<string, { display: string; count: number }>();
      for (const { pkg, doc } of docs) {
        for (const value of new Set(doc.strings[field] ?? [])) {
          const display = field === 'organization' ? (pkg.organization?.title ?? value) : field === 'groups' ? (pkg.groups.find((g) => g.name === value)?.title ?? value) : field === 'license_id' ? pkg.license_title : value;
          const c = counts.get(value) ?? { display, count: 0 };
          c.count++;
          counts.set(value, c);
        }
      }
      const items = [...counts.entries()]
        .filter(([, c]) => c.count >= mincount)
        .sort(([a, x], [b, y]) => y.count - x.count || a.localeCompare(b))
        .slice(0, limit < 0 ? undefined : limit);
      facets[field] = Object.fromEntries(items.map(([name, c]) => [name, c.count]));
      search_facets[field] = { title: field, items: items.map(([name, c]) => ({ name, display_name: c.display, count: c.count })) };
    }
    return { facets, search_facets };
  }

  async function packageSearch(params: Params) {
    const q = query(text(params, 'q'), 'q');
    const filters = [query(text(params, 'fq'), 'fq'), ...(stringList(params, 'fq_list') ?? []).map((f, i) => query(f, `fq_list[${i}]`))].filter((n): n is Node => n !== undefined);
    const rows = integer(params, 'rows', 10, { min: 0, max: ROWS_MAX });
    const start = integer(params, 'start', 0, { min: 0 });
    const sortText = text(params, 'sort')?.trim() || 'score desc, metadata_modified desc';
    let sortKeys;
    try {
      sortKeys = parseSort(sortText);
    } catch (err) {
      throw new CkanError(400, 'Search Query Error', `Search Query is invalid: sort: ${(err as Error).message}`);
    }
    const facetFields = boolean(params, 'facet', true) ? (stringList(params, 'facet.field') ?? []) : [];
    const facetLimit = integer(params, 'facet.limit', 50, { min: -1 });
    const facetMin = integer(params, 'facet.mincount', 1, { min: 0 });

    const { packages, publishers } = await catalog();
    const now = deps.now();
    const found = packages.map((pkg) => ({ pkg, doc: docOf(pkg) })).filter(({ doc }) => (q === undefined || matches(q, doc, now)) && filters.every((f) => matches(f, doc, now)));
    const scores = new Map(found.map(({ doc }) => [doc, q ? score(q, doc) : 1]));
    const compare = compareBy([...sortKeys, { field: 'id', desc: false }], scores);
    found.sort((a, b) => compare(a.doc, b.doc));
    const page = found.slice(start, start + rows);
    const { facets, search_facets } = facetsOf(facetFields, found, facetLimit, facetMin);
    return { count: found.length, sort: sortText, facets, search_facets, results: await fullPackages(page.map((p) => p.pkg.id), publishers) };
  }

  async function packageShow(params: Params) {
    const id = text(params, 'id') ?? text(params, 'name_or_id');
    if (!id || id.trim() === '') throw invalid('id', 'Missing value');
    const entry = await findOpenEntry(deps.db, id);
    if (!entry) throw notFound(`no open dataset has the id or name ${id}`);
    const publishers = await deps.publishers();
    return packageDict(entry, publishers.get(entry.providerOrgId), deps.baseUrl);
  }

  async function packageList(params: Params) {
    const limit = integer(params, 'limit', Number.MAX_SAFE_INTEGER, { min: 0 });
    const offset = integer(params, 'offset', 0, { min: 0 });
    const entries = await listOpenEntries(deps.db);
    return entries.map((e) => e.name).sort().slice(offset, offset + limit);
  }

  /** The organizations that publish open datasets, with their counts. */
  async function publishing() {
    const { packages, publishers } = await catalog();
    const counts = new Map<string, number>();
    for (const p of packages) counts.set(p.owner_org, (counts.get(p.owner_org) ?? 0) + 1);
    return { packages, publishers, orgs: [...counts.entries()].flatMap(([id, n]) => (publishers.has(id) ? [{ publisher: publishers.get(id)!, count: n }] : [])) };
  }

  async function organizationList(params: Params) {
    const allFields = boolean(params, 'all_fields', false);
    const max = allFields ? 25 : 1000;
    const limit = integer(params, 'limit', max, { min: 0, max });
    const offset = integer(params, 'offset', 0, { min: 0 });
    const only = stringList(params, 'organizations');
    const sortText = (text(params, 'sort') ?? text(params, 'order_by') ?? 'title asc').trim();
    const [field, direction = 'asc'] = sortText.split(/\s+/);
    if (!['name', 'title', 'package_count'].includes(field ?? '') || !['asc', 'desc'].includes(direction)) throw invalid('sort', 'must be name, title or package_count, then asc or desc');
    const { orgs } = await publishing();
    const value = (o: (typeof orgs)[number]) => (field === 'package_count' ? o.count : field === 'name' ? o.publisher.name : o.publisher.nameZh);
    const list = orgs
      .filter((o) => !only || only.includes(o.publisher.name) || only.includes(o.publisher.id))
      .sort((a, b) => {
        const x = value(a);
        const y = value(b);
        const order = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y), 'zh');
        return direction === 'desc' ? -order : order;
      })
      .slice(offset, offset + limit);
    return allFields ? list.map((o) => organizationDict(o.publisher, { packageCount: o.count })) : list.map((o) => o.publisher.name);
  }

  async function organizationShow(params: Params) {
    const id = text(params, 'id');
    if (!id || id.trim() === '') throw invalid('id', 'Missing value');
    const includeDatasets = boolean(params, 'include_datasets', false);
    const { packages, publishers } = await publishing();
    const publisher = findPublisher(publishers, id);
    const own = publisher ? packages.filter((p) => p.owner_org === publisher.id) : [];
    if (!publisher || own.length === 0) throw notFound(`no organization publishing open datasets has the id or name ${id}`);
    return { ...organizationDict(publisher, { packageCount: own.length }), ...(includeDatasets ? { packages: own.slice(0, ROWS_MAX) } : {}), users: [], extras: [{ key: 'credit_code', value: publisher.creditCode }, ...(publisher.divisionCode ? [{ key: 'division_code', value: publisher.divisionCode }] : [])] };
  }

  async function tagList(params: Params) {
    const q = (text(params, 'query') ?? text(params, 'q') ?? '').toLowerCase();
    const allFields = boolean(params, 'all_fields', false);
    if (text(params, 'vocabulary_id')) return [];
    const { packages } = await catalog();
    const names = [...new Set(packages.flatMap((p) => p.tags.map((t) => t.name)))].filter((t) => t.toLowerCase().includes(q)).sort((a, b) => a.localeCompare(b, 'zh'));
    return allFields ? names.map(tagDict) : names;
  }

  async function helpShow(params: Params) {
    const name = text(params, 'name');
    if (!name) throw invalid('name', 'Missing value');
    if (!HELP[name]) throw notFound(`no action ${name} is served here`);
    return HELP[name];
  }

  const actions: Record<string, (params: Params) => Promise<unknown>> = {
    package_search: packageSearch,
    package_show: packageShow,
    package_list: packageList,
    organization_list: organizationList,
    organization_show: organizationShow,
    tag_list: tagList,
    help_show: helpShow,
  };
  return { actions };
}

export type CkanApi = ReturnType<typeof createCkanApi>;
