// The DCAT graph written as Turtle (n3's writer) and as JSON-LD. The JSON-LD is the graph
// flattened, one node object per subject, with its context inline (prefixes only), so a
// reader needs no network to expand it and it reads back to exactly the Turtle's triples.
import { Writer, type Quad } from 'n3';
import { PREFIXES } from './dcat-graph.ts';

export function toTurtle(quads: Quad[]): Promise<string> {
  const writer = new Writer({ prefixes: PREFIXES });
  writer.addQuads(quads);
  return new Promise((resolve, reject) => writer.end((err, result) => (err ? reject(err) : resolve(result))));
}

const XSD_STRING = `${PREFIXES.xsd}string`;
const RDF_TYPE = `${PREFIXES.rdf}type`;
const LANG_STRING = `${PREFIXES.rdf}langString`;

/** An IRI as a compact IRI when a prefix covers it (and the rest is a plain name). */
function compact(uri: string): string {
  for (const [prefix, ns] of Object.entries(PREFIXES)) {
    if (uri.startsWith(ns)) {
      const local = uri.slice(ns.length);
      if (/^[A-Za-z_][\w-]*$/.test(local)) return `${prefix}:${local}`;
    }
  }
  return uri;
}

type NodeObject = Record<string, unknown> & { '@id': string };

export function toJsonLd(quads: Quad[]): Record<string, unknown> {
  const nodes = new Map<string, NodeObject>();
  const idOf = (term: Quad['subject'] | Quad['object']) => (term.termType === 'BlankNode' ? `_:${term.value}` : term.value);
  for (const q of quads) {
    const id = idOf(q.subject);
    let node = nodes.get(id);
    if (!node) {
      node = { '@id': id };
      nodes.set(id, node);
    }
    const o = q.object;
    if (q.predicate.value === RDF_TYPE && o.termType === 'NamedNode') {
      ((node['@type'] ??= []) as string[]).push(compact(o.value));
      continue;
    }
    let value: Record<string, string>;
    if (o.termType === 'Literal') {
      value = { '@value': o.value };
      if (o.language) value['@language'] = o.language;
      else if (o.datatype.value !== XSD_STRING && o.datatype.value !== LANG_STRING) value['@type'] = compact(o.datatype.value);
    } else {
      value = { '@id': idOf(o) };
    }
    ((node[compact(q.predicate.value)] ??= []) as unknown[]).push(value);
  }
  return { '@context': { ...PREFIXES }, '@graph': [...nodes.values()] };
}
