import { Readable } from 'node:stream';
import { Type } from 'typebox';
import { STAFF_ERRORS } from '../../http/schemas.ts';
import { requestContext, type App } from '../../http/server.ts';
import * as policy from './policy.ts';
import { AuditPage, AuditQuery, VerifyView } from './schema.ts';
import type { createAuditViewer } from './service.ts';

const tags = ['audit'];

export function registerAuditRoutes(app: App, viewer: ReturnType<typeof createAuditViewer>): void {
  app.get('/api/audit', {
    schema: { tags, summary: 'Search the audit log (audit administrator)', querystring: AuditQuery, response: { 200: AuditPage, ...STAFF_ERRORS } },
    handler: async (request) => {
      policy.assertMayReadAudit(requestContext(request).actor);
      return viewer.search(request.query);
    },
  });

  app.get('/api/audit/export.csv', {
    schema: { tags, summary: 'Export matching audit events as CSV (UTF-8 with BOM)', querystring: AuditQuery, response: { 200: Type.String({ description: 'CSV' }), ...STAFF_ERRORS } },
    handler: async (request, reply) => {
      const ctx = requestContext(request);
      policy.assertMayReadAudit(ctx.actor);
      const stamp = new Date().toISOString().slice(0, 19).replaceAll(':', '');
      reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="egov-audit-${stamp}.csv"`);
      return reply.send(Readable.from(viewer.exportCsv(ctx, request.query)) as unknown as string);
    },
  });

  app.get('/api/audit/verify', {
    schema: { tags, summary: 'Check the hash chain and name the first row that does not match', response: { 200: VerifyView, ...STAFF_ERRORS } },
    handler: async (request) => {
      const ctx = requestContext(request);
      policy.assertMayReadAudit(ctx.actor);
      return viewer.verify(ctx);
    },
  });
}
