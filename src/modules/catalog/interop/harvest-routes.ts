// POST /api/catalog/harvest: a department's officer or administrator imports a CKAN API dump
// or a DCAT file as drafts of the department's entries. The body is JSON
// {format, content, mapping?, dryRun?} (content: the file's text, or for a CKAN dump the
// parsed JSON itself), or the file itself as text/turtle or application/ld+json with
// ?dryRun=true in the query. The answer is the report, per dataset.
import { Type, type Static } from 'typebox';
import { withRawBody } from '../../../http/raw-body.ts';
import { STAFF_ERRORS } from '../../../http/schemas.ts';
import { requestContext, type App } from '../../../http/server.ts';
import { operatorFromRequest } from '../../../platform/actor.ts';
import { invalidField } from '../../../platform/errors.ts';
import type { Harvester } from './harvest.ts';
import { HARVEST_FORMATS, type HarvestFormat } from './harvest-read.ts';

const tags = ['catalog'];
/** The largest harvest file one request takes. */
export const HARVEST_BODY_LIMIT = 16 * 1024 * 1024;

export const HarvestBody = Type.Object(
  {
    format: Type.Unsafe<HarvestFormat>({ type: 'string', enum: [...HARVEST_FORMATS], description: 'ckan: a CKAN API dump (JSON or JSON lines); dcat-turtle; dcat-jsonld (its context inline)' }),
    content: Type.Union([Type.String({ maxLength: HARVEST_BODY_LIMIT }), Type.Object({}, { additionalProperties: true }), Type.Array(Type.Unknown())], { description: 'The file: its text, or (a CKAN dump, a JSON-LD document) the JSON itself' }),
    mapping: Type.Optional(Type.Object({}, { additionalProperties: true, description: 'fields (entry field → source field), defaults, themes (source → 01–12), updateCycles (source → cycle)' })),
    dryRun: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

const HarvestQuery = Type.Object({ dryRun: Type.Optional(Type.Boolean()) }, { additionalProperties: false });

const Outcome = Type.Object({
  source: Type.String(),
  title: Type.String(),
  outcome: Type.String(),
  entryId: Type.Optional(Type.String()),
  code: Type.Optional(Type.String()),
  reason: Type.Optional(Type.String()),
  reasonZh: Type.Optional(Type.String()),
  errors: Type.Optional(Type.Array(Type.Object({ field: Type.String(), code: Type.String(), message: Type.String(), messageZh: Type.Optional(Type.String()) }))),
  warnings: Type.Array(Type.String()),
});
const HarvestReport = Type.Object({ format: Type.String(), dryRun: Type.Boolean(), total: Type.Integer(), created: Type.Integer(), updated: Type.Integer(), skipped: Type.Integer(), datasets: Type.Array(Outcome) });

const RAW_TYPES: Record<string, HarvestFormat> = { 'text/turtle': 'dcat-turtle', 'application/x-turtle': 'dcat-turtle', 'application/ld+json': 'dcat-jsonld' };

export function registerHarvestRoutes(app: App, deps: { harvester: Harvester }): void {
  withRawBody(app, { types: Object.keys(RAW_TYPES), parseAs: 'string', bodyLimit: HARVEST_BODY_LIMIT }, (scope) => {
    scope.post('/api/catalog/harvest', {
      bodyLimit: HARVEST_BODY_LIMIT,
      schema: {
        tags,
        summary: "Harvest a CKAN API dump or a DCAT file (Turtle, JSON-LD) as drafts of your department's entries, with a field mapping; the report says per dataset what was created, updated or skipped and why (dryRun: nothing written)",
        querystring: HarvestQuery,
        body: { content: { 'application/json': { schema: HarvestBody }, 'text/turtle': { schema: Type.String() }, 'application/ld+json': { schema: Type.String() } } },
        response: { 200: HarvestReport, ...STAFF_ERRORS },
      } as never,
      handler: async (request) => {
        const op = operatorFromRequest(requestContext(request));
        const query = request.query as Static<typeof HarvestQuery>;
        const type = String(request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
        if (RAW_TYPES[type]) {
          if (typeof request.body !== 'string') throw invalidField('content', 'required', 'send the file as the request body', '请将文件作为请求体发送');
          return deps.harvester.run(op, { format: RAW_TYPES[type]!, content: request.body, dryRun: query.dryRun });
        }
        const body = request.body as Static<typeof HarvestBody>;
        const content = typeof body.content === 'string' ? body.content : JSON.stringify(body.content);
        return deps.harvester.run(op, { format: body.format, content, mapping: body.mapping, dryRun: body.dryRun ?? query.dryRun });
      },
    });
  });
}
