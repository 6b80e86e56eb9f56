// The DCAT-AP 3 export, public, at the ckanext-dcat addresses: the whole open catalog at
// /catalog.ttl and /catalog.jsonld, one dataset at /dataset/{id}.ttl and /dataset/{id}.jsonld
// ({id}: the entry's id or CKAN name). An entry that is not published or not open is not
// there: 404, as for an id that never existed.
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import type { App } from '../../../http/server.ts';
import { NotFoundError } from '../../../platform/errors.ts';
import { catalogGraph, datasetGraph, type DcatContext } from './dcat-graph.ts';
import { toJsonLd, toTurtle } from './dcat-serialize.ts';
import type { Quad } from 'n3';
import { findOpenEntry, listOpenEntries } from './open-entries.ts';
import type { Executor } from '../../../platform/db.ts';

const tags = ['dcat'];
export const DCAT_REQUESTS_PER_MINUTE = 120;

async function send(reply: FastifyReply, quads: Quad[], format: 'ttl' | 'jsonld') {
  reply.header('cache-control', 'no-cache');
  if (format === 'ttl') return reply.type('text/turtle; charset=utf-8').send(await toTurtle(quads));
  return reply.type('application/ld+json; charset=utf-8').send(JSON.stringify(toJsonLd(quads)));
}

export function registerDcatRoutes(app: App, deps: { db: Executor; context: () => Promise<DcatContext> }): void {
  const config = { auth: 'public' as const, rateLimit: { max: DCAT_REQUESTS_PER_MINUTE, timeWindow: '1 minute' } };
  for (const format of ['ttl', 'jsonld'] as const) {
    const media = format === 'ttl' ? 'Turtle' : 'JSON-LD';
    app.get(`/catalog.${format}`, {
      config,
      schema: { tags, summary: `The open catalog as DCAT-AP 3 (${media}): every published entry open to the public, with its CSV and JSON distributions`, security: [], response: { 200: Type.Any() } } as never,
      handler: async (_request, reply) => {
        const [entries, context] = await Promise.all([listOpenEntries(deps.db), deps.context()]);
        return send(reply, catalogGraph(entries, context), format);
      },
    });
    app.get(`/dataset/:id.${format}`, {
      config,
      schema: { tags, summary: `One open dataset as DCAT-AP 3 (${media}); {id} is the entry's id or CKAN name`, security: [], params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) }), response: { 200: Type.Any() } } as never,
      handler: async (request, reply) => {
        const { id } = request.params as { id: string };
        const entry = await findOpenEntry(deps.db, id);
        if (!entry) throw new NotFoundError('open dataset', id, '开放数据集');
        return send(reply, datasetGraph(entry, await deps.context()), format);
      },
    });
  }
}
