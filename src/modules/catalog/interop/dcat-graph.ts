// The open catalog as a DCAT-AP 3 graph: a dcat:Catalog published by the data bureau, a
// dcat:Dataset per open published entry (titles and descriptions in zh and en, the
// resource code as dct:identifier, keywords, dates, the update cycle on the EU frequency
// table, EU data themes where the national themes map, the provider's division as
// dct:spatial, public access rights), its CSV and JSON downloads as dcat:Distributions
// (accessURL, downloadURL, format, media type, licence, availability), the providers as
// foaf:Agents. Every node an object points at is typed with the class DCAT-AP expects
// (range.ttl) and carries what the mandatory shapes ask of that class (shapes.ttl).
import { DataFactory, type Quad, type Quad_Object, type Quad_Subject } from 'n3';
import { datasetPage, downloadUrl } from './ckan-model.ts';
import type { OpenEntry } from './open-entries.ts';
import type { Publisher } from './publishers.ts';
import {
  ACCESS_PUBLIC,
  AVAILABILITY_STABLE,
  BASE_TO_EU,
  DATA_THEME_SCHEME,
  DATA_THEMES,
  FILE_TYPES,
  FREQUENCIES,
  frequencyIri,
  LANGUAGES,
  licenceOf,
  mediaTypeIri,
  PUBLISHER_TYPES,
  THEME_TO_EU,
  dataThemeIri,
} from './vocabularies.ts';

const { namedNode, literal, blankNode, quad } = DataFactory;

export const PREFIXES: Record<string, string> = {
  dcat: 'http://www.w3.org/ns/dcat#',
  dct: 'http://purl.org/dc/terms/',
  foaf: 'http://xmlns.com/foaf/0.1/',
  vcard: 'http://www.w3.org/2006/vcard/ns#',
  skos: 'http://www.w3.org/2004/02/skos/core#',
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  rdfs: 'http://www.w3.org/2000/01/rdf-schema#',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
  dcatap: 'http://data.europa.eu/r5r/',
  adms: 'http://www.w3.org/ns/adms#',
  locn: 'http://www.w3.org/ns/locn#',
};

const iri = (curie: string) => {
  const [prefix, local] = curie.split(':') as [string, string];
  return namedNode(`${PREFIXES[prefix]}${local}`);
};

type Term = Quad_Object;

/** Collects triples; a node described once is not described again. */
class Graph {
  readonly quads: Quad[] = [];
  private readonly described = new Set<string>();

  add(s: Quad_Subject, p: string, o: Term | string | undefined): void {
    if (o === undefined) return;
    this.quads.push(quad(s, iri(p), typeof o === 'string' ? namedNode(o) : o));
  }

  /** Runs `describe` the first time `key` is seen. */
  once(key: string, describe: () => void): void {
    if (this.described.has(key)) return;
    this.described.add(key);
    describe();
  }
}

const text = (value: string, lang: 'zh' | 'en') => (value.trim() === '' ? undefined : literal(value, lang));
const dateTime = (d: Date) => literal(d.toISOString(), iri('xsd:dateTime'));

export type DcatContext = {
  baseUrl: string;
  publishers: Map<string, Publisher>;
  /** The catalog's publisher (the data bureau, else the top of the directory). */
  catalogPublisher: Publisher | undefined;
};

export const catalogIri = (baseUrl: string) => `${baseUrl}/catalog`;
export const datasetIri = (baseUrl: string, id: string) => `${baseUrl}/dataset/${id}`;
const publisherIri = (baseUrl: string, p: Publisher) => `${baseUrl}/organization/${p.name}`;

/** A skos:Concept needs a prefLabel (shapes.ttl's Category shape). */
function concept(g: Graph, uri: string, label: string, scheme?: string) {
  g.once(uri, () => {
    const node = namedNode(uri);
    g.add(node, 'rdf:type', 'http://www.w3.org/2004/02/skos/core#Concept');
    g.add(node, 'skos:prefLabel', literal(label, 'en'));
    if (scheme) g.add(node, 'skos:inScheme', scheme);
  });
}

function typedNode(g: Graph, uri: string, type: string, label?: Term) {
  g.once(uri, () => {
    g.add(namedNode(uri), 'rdf:type', iri(type));
    if (label) g.add(namedNode(uri), 'rdfs:label', label);
  });
}

function location(g: Graph, ctx: DcatContext, p: Publisher | undefined): string | undefined {
  if (!p?.divisionCode) return undefined;
  const uri = `${ctx.baseUrl}/division/${p.divisionCode}`;
  g.once(uri, () => {
    const node = namedNode(uri);
    g.add(node, 'rdf:type', iri('dct:Location'));
    g.add(node, 'dct:identifier', literal(p.divisionCode!));
    g.add(node, 'skos:prefLabel', text(p.divisionName ?? '', 'zh'));
  });
  return uri;
}

function publisher(g: Graph, ctx: DcatContext, p: Publisher | undefined): Quad_Subject {
  if (!p) {
    const node = blankNode('egov');
    g.once('_:egov', () => {
      g.add(node, 'rdf:type', iri('foaf:Agent'));
      g.add(node, 'foaf:name', literal('egov'));
    });
    return node;
  }
  const uri = publisherIri(ctx.baseUrl, p);
  g.once(uri, () => {
    const node = namedNode(uri);
    g.add(node, 'rdf:type', iri('foaf:Agent'));
    g.add(node, 'rdf:type', iri('foaf:Organization'));
    g.add(node, 'foaf:name', text(p.nameZh, 'zh'));
    g.add(node, 'foaf:name', text(p.nameEn, 'en'));
    g.add(node, 'dct:identifier', literal(p.creditCode));
    const type = p.level ? PUBLISHER_TYPES[p.level] : undefined;
    if (type) {
      g.add(node, 'dct:type', type.iri);
      concept(g, type.iri, type.label);
    }
  });
  return namedNode(uri);
}

function contactPoint(g: Graph, ctx: DcatContext, p: Publisher | undefined): string | undefined {
  if (!p) return undefined;
  const uri = `${publisherIri(ctx.baseUrl, p)}#contact`;
  g.once(uri, () => {
    const node = namedNode(uri);
    g.add(node, 'rdf:type', iri('vcard:Kind'));
    g.add(node, 'rdf:type', iri('vcard:Organization'));
    g.add(node, 'vcard:fn', text(p.nameZh, 'zh'));
    g.add(node, 'vcard:fn', text(p.nameEn, 'en'));
  });
  return uri;
}

function languages(g: Graph, subject: Quad_Subject) {
  for (const l of LANGUAGES) {
    g.add(subject, 'dct:language', l.iri);
    typedNode(g, l.iri, 'dct:LinguisticSystem', literal(l.label, 'en'));
  }
}

function themesOf(entry: OpenEntry): string[] {
  const c = entry.metadata.classification;
  const codes = new Set<string>();
  if (c.class === '1' && BASE_TO_EU[c.item]) codes.add(BASE_TO_EU[c.item]!);
  if (c.class === '2' && THEME_TO_EU[c.item]) codes.add(THEME_TO_EU[c.item]!);
  for (const t of entry.metadata.themes) if (THEME_TO_EU[t]) codes.add(THEME_TO_EU[t]!);
  return [...codes].sort();
}

function licence(g: Graph, text: string): Quad_Object {
  const l = licenceOf(text);
  if (!l.iri) {
    // A licence the EU table does not list: described here, in its own words.
    const node = blankNode(`licence${[...l.title].map((c) => c.codePointAt(0)!.toString(16)).join('').slice(0, 40)}`);
    g.once(`_:${node.value}`, () => {
      g.add(node, 'rdf:type', iri('dct:LicenseDocument'));
      g.add(node, 'rdfs:label', literal(l.title));
    });
    return node;
  }
  g.once(l.iri, () => {
    const node = namedNode(l.iri);
    g.add(node, 'rdf:type', iri('dct:LicenseDocument'));
    g.add(node, 'rdfs:label', literal(l.title, 'en'));
    if (l.url) g.add(node, 'foaf:page', l.url);
    if (l.url) typedNode(g, l.url, 'foaf:Document');
    if (l.type) {
      g.add(node, 'dct:type', l.type.iri);
      concept(g, l.type.iri, l.type.label);
    }
  });
  return namedNode(l.iri);
}

function distributions(g: Graph, ctx: DcatContext, entry: OpenEntry, dataset: Quad_Subject) {
  const m = entry.metadata;
  for (const format of ['CSV', 'JSON'] as const) {
    const lower = format.toLowerCase() as 'csv' | 'json';
    const node = namedNode(`${datasetIri(ctx.baseUrl, entry.id)}/distribution/${lower}`);
    const url = downloadUrl(ctx.baseUrl, entry.id, lower);
    const type = FILE_TYPES[format];
    g.add(dataset, 'dcat:distribution', node);
    g.add(node, 'rdf:type', iri('dcat:Distribution'));
    g.add(node, 'dct:title', text(`${m.nameZh}（${format}）`, 'zh'));
    g.add(node, 'dct:title', text(m.nameEn ? `${m.nameEn} (${format})` : '', 'en'));
    g.add(node, 'dct:description', text(`${m.nameZh}的${format}格式下载，更新周期与数据集相同。`, 'zh'));
    g.add(node, 'dct:description', literal(`The data as ${format}, updated as the dataset is (${FREQUENCIES[m.updateCycle].label}).`, 'en'));
    g.add(node, 'dcat:accessURL', url);
    g.add(node, 'dcat:downloadURL', url);
    g.add(node, 'dct:format', type.iri);
    typedNode(g, type.iri, 'dct:MediaTypeOrExtent', literal(format));
    g.add(node, 'dcat:mediaType', mediaTypeIri(type.mediaType));
    typedNode(g, mediaTypeIri(type.mediaType), 'dct:MediaType', literal(type.mediaType));
    g.add(node, 'dct:license', licence(g, m.licence));
    g.add(node, 'dcatap:availability', AVAILABILITY_STABLE);
    concept(g, AVAILABILITY_STABLE, 'stable');
    g.add(node, 'dct:issued', dateTime(entry.issued));
    g.add(node, 'dct:modified', dateTime(entry.modified));
  }
}

function dataset(g: Graph, ctx: DcatContext, entry: OpenEntry): Quad_Subject {
  const m = entry.metadata;
  const node = namedNode(datasetIri(ctx.baseUrl, entry.id));
  const provider = ctx.publishers.get(entry.providerOrgId);
  g.add(node, 'rdf:type', iri('dcat:Dataset'));
  g.add(node, 'dct:title', text(m.nameZh, 'zh'));
  g.add(node, 'dct:title', text(m.nameEn, 'en'));
  g.add(node, 'dct:description', text(m.abstractZh, 'zh'));
  g.add(node, 'dct:description', text(m.abstractEn, 'en'));
  g.add(node, 'dct:identifier', literal(entry.code));
  for (const k of new Set(m.keywords)) g.add(node, 'dcat:keyword', literal(k));
  g.add(node, 'dct:issued', dateTime(entry.issued));
  g.add(node, 'dct:modified', dateTime(entry.modified));
  g.add(node, 'dcat:version', literal(String(entry.publishedVersion)));
  g.add(node, 'dct:publisher', publisher(g, ctx, provider));
  g.add(node, 'dcat:contactPoint', contactPoint(g, ctx, provider));
  const frequency = frequencyIri(m.updateCycle);
  g.add(node, 'dct:accrualPeriodicity', frequency);
  g.once(frequency, () => {
    g.add(namedNode(frequency), 'rdf:type', iri('dct:Frequency'));
    g.add(namedNode(frequency), 'rdfs:label', literal(FREQUENCIES[m.updateCycle].label, 'en'));
  });
  for (const code of themesOf(entry)) {
    g.add(node, 'dcat:theme', dataThemeIri(code));
    concept(g, dataThemeIri(code), DATA_THEMES[code]!, DATA_THEME_SCHEME);
    themeScheme(g);
  }
  g.add(node, 'dct:spatial', location(g, ctx, provider));
  g.add(node, 'dct:accessRights', ACCESS_PUBLIC);
  typedNode(g, ACCESS_PUBLIC, 'dct:RightsStatement', literal('public', 'en'));
  const page = datasetPage(ctx.baseUrl, entry.id);
  g.add(node, 'dcat:landingPage', page);
  typedNode(g, page, 'foaf:Document');
  languages(g, node);
  distributions(g, ctx, entry, node);
  return node;
}

function themeScheme(g: Graph) {
  g.once(DATA_THEME_SCHEME, () => {
    g.add(namedNode(DATA_THEME_SCHEME), 'rdf:type', iri('skos:ConceptScheme'));
    g.add(namedNode(DATA_THEME_SCHEME), 'dct:title', literal('Data theme', 'en'));
  });
}

/** The whole open catalog. */
export function catalogGraph(entries: OpenEntry[], ctx: DcatContext): Quad[] {
  const g = new Graph();
  const node = namedNode(catalogIri(ctx.baseUrl));
  const p = ctx.catalogPublisher;
  g.add(node, 'rdf:type', iri('dcat:Catalog'));
  g.add(node, 'dct:title', literal(p ? `${p.nameZh}政务数据开放目录` : 'egov 政务数据开放目录', 'zh'));
  g.add(node, 'dct:title', literal(p?.nameEn ? `Open government data catalog of the ${p.nameEn}` : 'egov open government data catalog', 'en'));
  g.add(node, 'dct:description', literal('向社会开放的政务信息资源目录：每个数据集为已发布并开放的目录条目，附 CSV 与 JSON 下载。', 'zh'));
  g.add(node, 'dct:description', literal('The government information resources open to the public: each dataset is a published catalog entry marked open, with CSV and JSON downloads.', 'en'));
  g.add(node, 'dct:publisher', publisher(g, ctx, p));
  g.add(node, 'foaf:homepage', `${ctx.baseUrl}/`);
  typedNode(g, `${ctx.baseUrl}/`, 'foaf:Document');
  languages(g, node);
  g.add(node, 'dcat:themeTaxonomy', DATA_THEME_SCHEME);
  themeScheme(g);
  g.add(node, 'dct:spatial', location(g, ctx, p));
  if (entries.length > 0) {
    g.add(node, 'dct:issued', dateTime(new Date(entries.reduce((min, e) => Math.min(min, e.issued.getTime()), Infinity))));
    g.add(node, 'dct:modified', dateTime(new Date(entries.reduce((max, e) => Math.max(max, e.modified.getTime()), -Infinity))));
  }
  for (const entry of entries) g.add(node, 'dcat:dataset', dataset(g, ctx, entry));
  return g.quads;
}

/** One dataset with what it points at (publisher, distributions, concepts). */
export function datasetGraph(entry: OpenEntry, ctx: DcatContext): Quad[] {
  const g = new Graph();
  dataset(g, ctx, entry);
  return g.quads;
}

