import { STAFF_ERRORS } from '../../../http/schemas.ts';
import { requestContext, type App } from '../../../http/server.ts';
import { CheckParams, CheckView, PreviewBody, PreviewResult } from './schema.ts';
import type { SimilarService } from './service.ts';

const tags = ['catalog'];

export function registerSimilarRoutes(app: App, similar: SimilarService): void {
  const actor = (request: Parameters<typeof requestContext>[0]) => requestContext(request).actor;

  app.post('/api/catalog/entries/similar', {
    schema: {
      tags,
      summary: "While drafting: the catalog's entries most like the draft by name and data items (published ones, and your department's own in any state), best first, with the items that matched (officers and administrators)",
      body: PreviewBody,
      response: { 200: PreviewResult, ...STAFF_ERRORS },
    },
    handler: async (request) => similar.preview(actor(request), request.body),
  });
  app.get('/api/catalog/entries/:id/similar-check', {
    schema: {
      tags,
      summary: 'What the drafter of an entry was shown of similar entries when creating it, whether they confirmed it is not a duplicate, and their note (its department and the data bureau)',
      params: CheckParams,
      response: { 200: CheckView, ...STAFF_ERRORS },
    },
    handler: async (request) => similar.checks(actor(request), request.params.id),
  });
}
