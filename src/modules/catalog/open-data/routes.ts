// Open data over HTTP. Public (no sign-in), rate limited per address: the list of open
// datasets, a dataset's page data, its rows as a paged API, and its downloads at the
// addresses the CKAN resources and DCAT distributions name. Staff: a provider publishes a
// release as a CSV body; anyone signed in lists an entry's releases.
import { Readable } from 'node:stream';
import { Type } from 'typebox';
import { withRawBody } from '../../../http/raw-body.ts';
import { STAFF_ERRORS } from '../../../http/schemas.ts';
import { prefersChinese } from '../../../http/problem.ts';
import { requestContext, type App } from '../../../http/server.ts';
import { operatorFromRequest } from '../../../platform/actor.ts';
import * as s from './schema.ts';
import type { OpenDataService } from './service.ts';

const tags = ['open data'];
export const OPEN_REQUESTS_PER_MINUTE = 300;
export const DOWNLOADS_PER_MINUTE = 60;
/** A release file: a whole table; the rows limit (release-file.ts) is the real bound. */
export const RELEASE_BODY_LIMIT = 64 * 1024 * 1024;

const MEDIA = { csv: 'text/csv; charset=utf-8', json: 'application/json; charset=utf-8' } as const;

export function registerOpenDataRoutes(app: App, service: OpenDataService): void {
  const open = (max: number) => ({ auth: 'public' as const, rateLimit: { max, timeWindow: '1 minute' } });

  app.get('/open/api/datasets', {
    config: open(OPEN_REQUESTS_PER_MINUTE),
    schema: { tags, summary: 'The open datasets, found by words in Chinese or English and by facets (provider, class, format, cycle), with their newest data release', security: [], querystring: Type.Record(Type.String(), Type.Unknown()), response: { 200: s.DatasetList, ...s.PUBLIC_ERRORS } } as never,
    handler: async (request) => service.list(request.query as Record<string, unknown>, prefersChinese(request)),
  });
  app.get('/open/api/datasets/:id', {
    config: open(OPEN_REQUESTS_PER_MINUTE),
    schema: { tags, summary: "An open dataset: its published metadata, licence, columns, newest release, update history and links", security: [], params: s.DatasetParams, response: { 200: s.DatasetView, ...s.PUBLIC_ERRORS } },
    handler: async (request) => service.dataset(request.params.id),
  });
  app.get('/open/api/datasets/:id/rows', {
    config: open(OPEN_REQUESTS_PER_MINUTE),
    schema: {
      tags,
      summary: 'Rows of an open dataset as JSON objects by column key: `limit` (1–1000, default 100), `offset`, `release` (default the newest), and `<column key>=<value>` for rows whose cell equals the value',
      security: [],
      params: s.DatasetParams,
      querystring: Type.Record(Type.String(), Type.Unknown()),
      response: { 200: s.RowsPage, ...s.PUBLIC_ERRORS },
    } as never,
    handler: async (request) => service.rows((request.params as { id: string }).id, request.query as Record<string, unknown>),
  });
  for (const format of ['csv', 'json'] as const) {
    app.get(`/open/datasets/:id/download.${format}`, {
      config: open(DOWNLOADS_PER_MINUTE),
      schema: { tags, summary: `An open dataset's whole table as ${format.toUpperCase()} (the newest release, or ?release=N); an entry with no release yet gives its columns and no rows`, security: [], params: s.DatasetParams, querystring: s.DownloadQuery, response: { 200: Type.String({ description: MEDIA[format] }), ...s.PUBLIC_ERRORS } },
      handler: async (request, reply) => {
        const release = request.query.release === undefined ? undefined : Number(request.query.release);
        const file = await service.download(request.params.id, format, release);
        reply
          .type(MEDIA[format])
          .header('content-disposition', `attachment; filename="${file.filename}"`)
          .header('cache-control', 'no-cache')
          .header('x-egov-release', file.release === null ? 'none' : String(file.release));
        return reply.send(Readable.from(file.body) as never);
      },
    });
  }

  app.get('/api/catalog/entries/:id/releases', {
    schema: { tags, summary: "An entry's open data releases, newest first", params: s.EntryParams, response: { 200: Type.Array(s.ReleaseView), ...STAFF_ERRORS } },
    handler: async (request) => {
      requestContext(request);
      return service.releases(request.params.id);
    },
  });
  withRawBody(app, { types: ['text/csv'], parseAs: 'buffer', bodyLimit: RELEASE_BODY_LIMIT }, (scope) => {
    scope.post('/api/catalog/entries/:id/releases', {
      bodyLimit: RELEASE_BODY_LIMIT,
      schema: {
        tags,
        summary: "Publish the data of an open entry (its provider): a UTF-8 CSV file whose header names every data item (by field, Chinese or English name); all rows or none, with a report of every bad cell (row, column, problem)",
        params: s.EntryParams,
        querystring: s.PublishQuery,
        body: { content: { 'text/csv': { schema: Type.Any() } } },
        response: { 201: s.ReleaseView, ...STAFF_ERRORS },
      } as never,
      handler: async (request, reply) => {
        const { id } = request.params as { id: string };
        const body = request.body;
        const bytes = Buffer.isBuffer(body) ? body : Buffer.from(typeof body === 'string' ? body : '');
        const release = await service.publish(operatorFromRequest(requestContext(request)), id, bytes, (request.query as { note?: string }).note);
        return reply.code(201).send(release);
      },
    });
  });
}
