// The DCAT-AP 3 export, checked as CI checks it: the whole catalog and single datasets, in
// Turtle and in JSON-LD (read back to the same graph, its context inline), validated with a
// SHACL validator against the DCAT-AP 3.0.1 shapes (copied into spec/): zero violations of
// the mandatory shapes (shapes.ttl) and of the class ranges (range.ttl); the recommended
// shapes' warnings are counted and printed. Entries that are not both published and open
// are absent from the catalog and 404 at their own address.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test, type TestContext } from 'node:test';
import rdf from '@zazuko/env';
import jsonld from 'jsonld';
import { Parser, Writer, type Quad } from 'n3';
import SHACLValidator from 'rdf-validate-shacl';
import { createTestApp, type TestApp } from '../../../test-support/test-app.ts';
import { catalogGraph } from './dcat-graph.ts';
import { toJsonLd, toTurtle } from './dcat-serialize.ts';
import { seedCatalog, type Seeded } from './test-fixtures.ts';

const SPECS = path.join(import.meta.dirname, 'spec', 'dcat-ap-3.0.1');

let t: TestApp;
let s: Seeded;
let base: string;
before(async () => {
  assert.ok(fs.existsSync(path.join(SPECS, 'shapes.ttl')), `the DCAT-AP shapes are expected at ${SPECS}`);
  t = await createTestApp({ env: { EGOV_PUBLIC_URL: 'https://data.example.gov.cn' } });
  base = t.services.catalog.interop.baseUrl;
  assert.equal(base, 'https://data.example.gov.cn', 'EGOV_PUBLIC_URL');
  s = await seedCatalog(t);
});
after(() => t.close());

const parseTurtle = (text: string): Quad[] => new Parser({ format: 'text/turtle' }).parse(text);

async function parseJsonLd(doc: unknown): Promise<Quad[]> {
  // No network: a context that would have to be fetched fails the test.
  const documentLoader = async (url: string) => {
    throw new Error(`tried to fetch ${url}`);
  };
  const nquads = (await jsonld.toRDF(doc as jsonld.JsonLdDocument, { format: 'application/n-quads', documentLoader } as jsonld.Options.ToRdf)) as unknown as string;
  return new Parser({ format: 'application/n-quads' }).parse(nquads);
}

/** The graph in canonical N-Quads (blank nodes relabelled), to compare two graphs. */
async function canonical(quads: Quad[]): Promise<string> {
  const writer = new Writer({ format: 'application/n-quads' });
  writer.addQuads(quads);
  const nquads = await new Promise<string>((resolve, reject) => writer.end((err, result) => (err ? reject(err) : resolve(result))));
  // The typings know only JSON-LD input; jsonld.js reads N-Quads with inputFormat.
  const canonize = jsonld.canonize as unknown as (input: string, options: Record<string, string>) => Promise<string>;
  return canonize(nquads, { algorithm: 'URDNA2015', inputFormat: 'application/n-quads' });
}

const shapeCache = new Map<string, SHACLValidator>();
function validator(file: string): SHACLValidator {
  let v = shapeCache.get(file);
  if (!v) {
    v = new SHACLValidator(rdf.dataset(parseTurtle(fs.readFileSync(path.join(SPECS, file), 'utf8'))), { factory: rdf });
    shapeCache.set(file, v);
  }
  return v;
}

type Finding = { severity: string; focus: string; path: string; message: string };

async function validate(quads: Quad[], file: string): Promise<Finding[]> {
  const report = await validator(file).validate(rdf.dataset(quads));
  return report.results.map((r) => ({
    severity: r.severity?.value.replace('http://www.w3.org/ns/shacl#', '') ?? '',
    focus: r.focusNode?.value ?? '',
    path: r.path?.value ?? '',
    message: r.message.map((m) => m.value).join(' '),
  }));
}

/** Zero violations of the mandatory shapes and of the ranges; the recommended shapes' warnings printed and returned. */
async function assertValid(t0: TestContext, quads: Quad[], what: string): Promise<Finding[]> {
  for (const file of ['shapes.ttl', 'range.ttl']) {
    const violations = (await validate(quads, file)).filter((f) => f.severity === 'Violation');
    assert.deepEqual(violations, [], `${what}: ${file} violations`);
  }
  const warnings = (await validate(quads, 'shapes_recommended.ttl')).filter((f) => f.severity === 'Warning');
  const byPath = new Map<string, number>();
  for (const w of warnings) byPath.set(w.path, (byPath.get(w.path) ?? 0) + 1);
  t0.diagnostic(`${what}: ${quads.length} triples, 0 violations (shapes.ttl, range.ttl); ${warnings.length} recommended-shape warnings: ${[...byPath].map(([p, n]) => `${p.replace(/^.*[/#]/, '')} ×${n}`).join(', ') || 'none'}`);
  return warnings;
}

async function fetchBoth(url: string) {
  const ttl = await t.request('GET', `${url}.ttl`);
  const ld = await t.request('GET', `${url}.jsonld`);
  assert.equal(ttl.statusCode, 200, ttl.body);
  assert.equal(ld.statusCode, 200, ld.body);
  assert.match(String(ttl.headers['content-type']), /^text\/turtle/);
  assert.match(String(ld.headers['content-type']), /^application\/ld\+json/);
  const fromTurtle = parseTurtle(ttl.body);
  const fromJsonLd = await parseJsonLd(JSON.parse(ld.body));
  assert.equal(await canonical(fromJsonLd), await canonical(fromTurtle), 'JSON-LD and Turtle are the same graph');
  return { quads: fromTurtle, turtle: ttl.body };
}

const DCAT = 'http://www.w3.org/ns/dcat#';
const DCT = 'http://purl.org/dc/terms/';
const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';
const objects = (quads: Quad[], subject: string, predicate: string) => quads.filter((q) => q.subject.value === subject && q.predicate.value === predicate).map((q) => q.object);
const datasetIri = (id: string) => `${base}/dataset/${id}`;

test('the whole catalog, in Turtle and JSON-LD, has no violation of the DCAT-AP 3 shapes', async (t0) => {
  const { quads, turtle } = await fetchBoth('/catalog');
  const datasets = quads.filter((q) => q.predicate.value === RDF_TYPE && q.object.value === `${DCAT}Dataset`).map((q) => q.subject.value);
  assert.deepEqual(datasets.sort(), [s.openA, s.openTheme, s.openC, s.revised].map((e) => datasetIri(e.id)).sort(), 'the open published entries, and no other');
  assert.deepEqual(objects(quads, `${base}/catalog`, `${DCAT}dataset`).map((o) => o.value).sort(), datasets.sort());
  for (const hidden of [s.notOpen, s.draftOpen, s.submittedOpen, s.base]) assert.ok(!turtle.includes(hidden.id) && !turtle.includes(hidden.code), `${hidden.code} is not in the catalog`);
  assert.ok(!turtle.includes('修订中'), 'a revision in progress is not published');
  const warnings = await assertValid(t0, quads, 'catalog');
  assert.ok(warnings.every((w) => w.severity === 'Warning'));
});

test('one dataset, in Turtle and JSON-LD: the national metadata mapped, no violation', async (t0) => {
  const { quads } = await fetchBoth(`/dataset/${s.openA.id}`);
  const ds = datasetIri(s.openA.id);
  const literals = (p: string) => objects(quads, ds, p).map((o) => (o.termType === 'Literal' ? `${o.value}@${o.language}` : o.value));
  assert.deepEqual(literals(`${DCT}title`).sort(), ['Illegal parking hot spots@en', '机动车违法停车热点@zh']);
  assert.ok(literals(`${DCT}description`).includes('按路段统计的机动车违法停车次数（“热点”），每月更新。@zh'));
  assert.deepEqual(literals(`${DCT}identifier`), [`${s.openA.code}@`]);
  assert.deepEqual(literals(`${DCAT}keyword`).sort(), ['交通@', '停车@', '热点@'].sort());
  assert.deepEqual(literals(`${DCT}accrualPeriodicity`), ['http://publications.europa.eu/resource/authority/frequency/MONTHLY']);
  assert.deepEqual(literals(`${DCAT}theme`), ['http://publications.europa.eu/resource/authority/data-theme/SOCI'], 'theme 03 (social security)');
  assert.equal(literals(`${DCT}spatial`)[0], `${base}/division/330000`);
  const issued = objects(quads, ds, `${DCT}issued`)[0]!;
  assert.equal(issued.termType === 'Literal' && issued.datatype.value, 'http://www.w3.org/2001/XMLSchema#dateTime');
  const distributions = objects(quads, ds, `${DCAT}distribution`).map((o) => o.value);
  assert.equal(distributions.length, 2);
  for (const d of distributions) {
    assert.equal(objects(quads, d, `${DCAT}accessURL`).length, 1);
    assert.deepEqual(objects(quads, d, `${DCT}license`).map((o) => o.value), ['http://publications.europa.eu/resource/authority/licence/CC_BY_4_0']);
  }
  const publisher = objects(quads, ds, `${DCT}publisher`)[0]!.value;
  assert.deepEqual(objects(quads, publisher, 'http://xmlns.com/foaf/0.1/name').map((o) => o.value).sort(), ['Zhejiang Public Security Department', '浙江省公安厅'].sort());
  await assertValid(t0, quads, 'dataset (CC-BY, both languages)');

  // Chinese only, a theme entry, a licence no table lists, by its CKAN name.
  const name = s.openTheme.code.replace('/', '-');
  const theme = await fetchBoth(`/dataset/${name}`);
  const tds = datasetIri(s.openTheme.id);
  assert.deepEqual(objects(theme.quads, tds, `${DCT}title`).map((o) => o.value), ['安全生产检查结果']);
  assert.deepEqual(objects(theme.quads, tds, `${DCAT}theme`).map((o) => o.value), ['http://publications.europa.eu/resource/authority/data-theme/JUST']);
  await assertValid(t0, theme.quads, 'dataset (zh only, own licence)');
});

test('entries not published and open are not there: 404, and a revision in progress shows the published version', async () => {
  for (const hidden of [s.notOpen, s.draftOpen, s.submittedOpen, s.base]) {
    for (const ext of ['ttl', 'jsonld']) {
      const res = await t.request('GET', `/dataset/${hidden.id}.${ext}`);
      assert.equal(res.statusCode, 404, `${hidden.code}.${ext}`);
      assert.equal(res.json.code, 'not_found');
    }
  }
  assert.equal((await t.request('GET', '/dataset/00000000-0000-4000-8000-000000000000.ttl')).statusCode, 404);
  assert.equal((await t.request('GET', '/dataset/nothing-at-all.jsonld')).statusCode, 404);
  // Formats not served are machine 404s too, not the workbench page.
  for (const url of ['/catalog.rdf', `/dataset/${s.openA.id}.xml`]) {
    const res = await t.request('GET', url);
    assert.equal(res.statusCode, 404, url);
    assert.match(String(res.headers['content-type']), /problem\+json/, url);
  }
  const revised = parseTurtle((await t.request('GET', `/dataset/${s.revised.id}.ttl`)).body);
  assert.deepEqual(objects(revised, datasetIri(s.revised.id), `${DCT}title`).map((o) => o.value).sort(), ['Public car park spaces', '公共停车场泊位'].sort());
});

test('an empty catalog of a directory without organizations still has no violation', async (t0) => {
  const quads = catalogGraph([], { baseUrl: base, publishers: new Map(), catalogPublisher: undefined });
  assert.equal(await canonical(parseTurtle(await toTurtle(quads))), await canonical(await parseJsonLd(toJsonLd(quads))));
  await assertValid(t0, quads, 'empty catalog');
});
