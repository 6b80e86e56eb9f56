// Reads what a department harvests into one shape, whatever it came as: a CKAN API dump
// (package_search or package_show answers, their results, a list of packages, ckanapi's
// JSON lines, or package_list beside package_show answers) or a DCAT file (Turtle or
// JSON-LD with its context inline: nothing is fetched). A file that cannot be read is a
// ValidationError naming `content` and what is wrong with it, before anything is written.
import jsonld from 'jsonld';
import { Parser, type Quad } from 'n3';
import { invalidField } from '../../../platform/errors.ts';
import { PREFIXES } from './dcat-graph.ts';
import { licenceOf } from './vocabularies.ts';

export const HARVEST_FORMATS = ['ckan', 'dcat-turtle', 'dcat-jsonld'] as const;
export type HarvestFormat = (typeof HARVEST_FORMATS)[number];

/** The most datasets one harvest takes. */
export const MAX_HARVEST_DATASETS = 2000;

export type Texts = { zh?: string; en?: string; plain?: string };

export type SourceDataset = {
  /** What the source calls it (CKAN id or name, the DCAT dataset's IRI). */
  source: string;
  title: Texts;
  description: Texts;
  keywords: string[];
  licence: string;
  licenceOpen: boolean | undefined;
  frequency: string;
  formats: string[];
  themes: string[];
  dataItems: unknown;
  /** The source record, for the mapping's field overrides: CKAN's package, or DCAT's properties by compact name (`dct:title@zh`). */
  raw: Record<string, unknown>;
};

export type SourceProblem = { source: string; reason: string; reasonZh: string };

const bad = (message: string, messageZh: string) => invalidField('content', 'harvest_file', message, messageZh);

/* ----------------------------------------------------------------- CKAN */

const isPackage = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && typeof (v as Record<string, unknown>).name === 'string' && ('title' in v || 'resources' in v || 'notes' in v);

function parseJsonOrLines(content: string): unknown {
  try {
    return JSON.parse(content);
  } catch (err) {
    const lines = content.split(/\r?\n/).filter((l) => l.trim() !== '');
    // JSON lines (ckanapi's dump): one object a line.
    if (lines.length > 1 && lines.every((l) => l.trim().startsWith('{'))) {
      return lines.map((line, i) => {
        try {
          return JSON.parse(line);
        } catch (lineErr) {
          throw bad(`is not JSON: line ${i + 1}: ${(lineErr as Error).message}`, `不是有效的 JSON：第 ${i + 1} 行：${(lineErr as Error).message}`);
        }
      });
    }
    throw bad(`is not JSON: ${(err as Error).message}`, `不是有效的 JSON：${(err as Error).message}`);
  }
}

/** The packages in a CKAN dump, and the names package_list gave that have no package beside them. */
function ckanPackages(value: unknown, found: Record<string, unknown>[], listed: string[]): void {
  if (Array.isArray(value)) {
    if (value.length > 0 && value.every((v) => typeof v === 'string')) listed.push(...(value as string[]));
    else for (const v of value) ckanPackages(v, found, listed);
    return;
  }
  if (isPackage(value)) {
    found.push(value);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  const o = value as Record<string, unknown>;
  if (o.success === false) return;
  for (const key of ['result', 'results', 'packages', 'package_show', 'package_search', 'package_list', 'datasets']) if (key in o) ckanPackages(o[key], found, listed);
}

const str = (v: unknown): string => (typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : '');

function translated(plain: unknown, map: unknown): Texts {
  const t: Texts = {};
  if (str(plain)) t.plain = str(plain);
  if (map && typeof map === 'object') {
    const m = map as Record<string, unknown>;
    if (str(m.zh ?? m['zh-CN'] ?? m.zh_CN ?? m['zh-Hans'])) t.zh = str(m.zh ?? m['zh-CN'] ?? m.zh_CN ?? m['zh-Hans']);
    if (str(m.en)) t.en = str(m.en);
  }
  return t;
}

function extrasOf(pkg: Record<string, unknown>): Record<string, string> {
  const extras = pkg.extras;
  if (Array.isArray(extras)) return Object.fromEntries(extras.filter((e) => e && typeof e === 'object' && 'key' in e).map((e) => [String(e.key), typeof e.value === 'string' ? e.value : JSON.stringify(e.value)]));
  if (extras && typeof extras === 'object') return Object.fromEntries(Object.entries(extras).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
  return {};
}

function fromCkan(pkg: Record<string, unknown>): SourceDataset {
  const extras = extrasOf(pkg);
  const resources = Array.isArray(pkg.resources) ? (pkg.resources as Record<string, unknown>[]) : [];
  const tags = Array.isArray(pkg.tags) ? pkg.tags.map((t) => (typeof t === 'string' ? t : str((t as Record<string, unknown>)?.name))).filter(Boolean) : [];
  const licenceId = str(pkg.license_id);
  const known = licenceOf(licenceId);
  let dataItems: unknown;
  if (extras.data_items) {
    try {
      dataItems = JSON.parse(extras.data_items);
    } catch {
      dataItems = undefined;
    }
  }
  return {
    source: str(pkg.name) || str(pkg.id),
    title: translated(pkg.title, pkg.title_translated),
    description: translated(pkg.notes, pkg.notes_translated),
    keywords: tags,
    licence: known.spdx || str(pkg.license_title) || licenceId,
    licenceOpen: typeof pkg.isopen === 'boolean' ? pkg.isopen : undefined,
    frequency: extras.update_cycle || extras.frequency || extras.accrual_periodicity || str(pkg.frequency),
    formats: [...new Set(resources.map((r) => str(r?.format).toUpperCase()).filter(Boolean))],
    themes: Array.isArray(pkg.groups) ? pkg.groups.map((g) => str((g as Record<string, unknown>)?.name)).filter(Boolean) : [],
    dataItems,
    raw: { ...pkg, extras },
  };
}

export function readCkan(content: string): { datasets: SourceDataset[]; problems: SourceProblem[] } {
  const value = parseJsonOrLines(content);
  const packages: Record<string, unknown>[] = [];
  const listed: string[] = [];
  ckanPackages(value, packages, listed);
  if (packages.length === 0 && listed.length === 0)
    throw bad(
      'holds no CKAN package: send a package_search or package_show answer (or its result), a list of packages, or JSON lines of packages (each with name, title and resources)',
      '未找到 CKAN 数据集：请提供 package_search 或 package_show 的返回（或其 result）、数据集列表，或每行一个数据集的 JSON Lines（须有 name、title 与 resources）',
    );
  const names = new Set(packages.flatMap((p) => [str(p.name), str(p.id)]));
  const problems = listed.filter((n) => !names.has(n)).map((n) => ({ source: n, reason: 'listed by package_list, but the file has no package_show answer for it', reasonZh: 'package_list 列出了该数据集，但文件中没有其 package_show 结果' }));
  return { datasets: packages.map(fromCkan), problems };
}

/* ----------------------------------------------------------------- DCAT */

const DCAT_DATASET = `${PREFIXES.dcat}Dataset`;
const RDF_TYPE = `${PREFIXES.rdf}type`;

function curie(uri: string): string {
  for (const [prefix, ns] of Object.entries(PREFIXES)) if (uri.startsWith(ns)) return `${prefix}:${uri.slice(ns.length)}`;
  return uri;
}

async function dcatQuads(content: string, format: 'dcat-turtle' | 'dcat-jsonld'): Promise<Quad[]> {
  if (format === 'dcat-turtle') {
    try {
      return new Parser({ format: 'text/turtle' }).parse(content);
    } catch (err) {
      throw bad(`is not valid Turtle: ${(err as Error).message}`, `不是有效的 Turtle：${(err as Error).message}`);
    }
  }
  let doc: unknown;
  try {
    doc = JSON.parse(content);
  } catch (err) {
    throw bad(`is not JSON-LD (not even JSON): ${(err as Error).message}`, `不是 JSON-LD（也不是有效的 JSON）：${(err as Error).message}`);
  }
  const documentLoader = async (url: string) => {
    throw new Error(`the context ${url} would have to be fetched: put the context in the file itself`);
  };
  try {
    const nquads = (await jsonld.toRDF(doc as jsonld.JsonLdDocument, { format: 'application/n-quads', documentLoader } as jsonld.Options.ToRdf)) as unknown as string;
    return new Parser({ format: 'application/n-quads' }).parse(nquads);
  } catch (err) {
    const cause = (err as { details?: { cause?: Error } }).details?.cause?.message;
    throw bad(`is not JSON-LD egov can read: ${cause ?? (err as Error).message}`, `无法读取该 JSON-LD：${cause ?? (err as Error).message}`);
  }
}

export async function readDcat(content: string, format: 'dcat-turtle' | 'dcat-jsonld'): Promise<{ datasets: SourceDataset[]; problems: SourceProblem[] }> {
  const quads = await dcatQuads(content, format);
  const bySubject = new Map<string, Quad[]>();
  for (const q of quads) {
    const key = q.subject.value;
    const list = bySubject.get(key);
    if (list) list.push(q);
    else bySubject.set(key, [q]);
  }
  const values = (subject: string, predicate: string) => (bySubject.get(subject) ?? []).filter((q) => curie(q.predicate.value) === predicate).map((q) => q.object);
  const texts = (subject: string, predicate: string): Texts => {
    const t: Texts = {};
    for (const o of values(subject, predicate)) {
      if (o.termType !== 'Literal') continue;
      const lang = o.language.toLowerCase();
      if (lang.startsWith('zh')) t.zh ??= o.value.trim();
      else if (lang.startsWith('en')) t.en ??= o.value.trim();
      else t.plain ??= o.value.trim();
    }
    return t;
  };
  const label = (o: Quad['object']) => (o.termType === 'Literal' ? o.value : (values(o.value, 'rdfs:label')[0]?.value ?? o.value));
  const datasets = [...bySubject.entries()]
    .filter(([, qs]) => qs.some((q) => q.predicate.value === RDF_TYPE && q.object.value === DCAT_DATASET))
    .map(([subject, qs]): SourceDataset => {
      const distributions = values(subject, 'dcat:distribution').map((d) => d.value);
      const formats = distributions.flatMap((d) => [...values(d, 'dct:format'), ...values(d, 'dcat:mediaType')].map((f) => label(f).replace(/^.*\/(file-type|media-types)\//, '').replace(/^[a-z]+\//, '').toUpperCase()));
      const licences = [...values(subject, 'dct:license'), ...distributions.flatMap((d) => values(d, 'dct:license'))];
      const licenceText = licences[0] ? licenceOf(licences[0].value).spdx || label(licences[0]) : '';
      const raw: Record<string, unknown> = {};
      for (const q of qs) {
        const key = curie(q.predicate.value);
        const withLang = q.object.termType === 'Literal' && q.object.language ? `${key}@${q.object.language.toLowerCase().slice(0, 2)}` : undefined;
        for (const k of withLang ? [key, withLang] : [key]) ((raw[k] ??= []) as string[]).push(q.object.value);
      }
      return {
        source: subject,
        title: texts(subject, 'dct:title'),
        description: texts(subject, 'dct:description'),
        keywords: values(subject, 'dcat:keyword').map((k) => k.value.trim()),
        licence: licenceText,
        licenceOpen: undefined,
        frequency: values(subject, 'dct:accrualPeriodicity')[0]?.value ?? '',
        formats: [...new Set(formats)],
        themes: values(subject, 'dcat:theme').map((t) => t.value),
        dataItems: undefined,
        raw,
      };
    });
  if (datasets.length === 0) throw bad('describes no dcat:Dataset (no node has rdf:type dcat:Dataset)', '未描述任何 dcat:Dataset（没有节点的 rdf:type 为 dcat:Dataset）');
  return { datasets, problems: [] };
}

export async function readHarvestFile(content: string, format: HarvestFormat): Promise<{ datasets: SourceDataset[]; problems: SourceProblem[] }> {
  if (content.trim() === '') throw bad('is empty: send the file’s content', '为空：请提供文件内容');
  const read = format === 'ckan' ? readCkan(content) : await readDcat(content, format);
  if (read.datasets.length > MAX_HARVEST_DATASETS)
    throw bad(`holds ${read.datasets.length} datasets; one harvest takes at most ${MAX_HARVEST_DATASETS}: split the file`, `包含 ${read.datasets.length} 个数据集，单次采集最多 ${MAX_HARVEST_DATASETS} 个，请拆分文件`);
  return read;
}
