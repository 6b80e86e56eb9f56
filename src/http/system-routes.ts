// Operational endpoints: health, metrics and the OpenAPI document.
import { sql } from 'kysely';
import { Type } from 'typebox';
import type { Config } from '../config.ts';
import type { Database } from '../platform/db.ts';
import { ForbiddenError } from '../platform/errors.ts';
import type { Metrics } from './metrics.ts';
import { ProblemSchema } from './schemas.ts';
import type { App } from './server.ts';

const tags = ['system'];
const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

export function registerSystemRoutes(app: App, deps: { database: Database; metrics: Metrics; config: Config; version: string }): void {
  app.get('/api/health', {
    config: { auth: 'public' },
    schema: {
      tags,
      summary: 'Liveness and database check',
      security: [],
      response: { 200: Type.Object({ status: Type.Literal('ok'), database: Type.String(), version: Type.String() }), 503: ProblemSchema },
    },
    handler: async (_request, reply) => {
      try {
        await sql`select 1`.execute(deps.database.db);
      } catch {
        return reply
          .code(503)
          .type('application/problem+json')
          .send({ type: 'https://egov.dev/problems/database_unavailable', title: 'Service unavailable', status: 503, code: 'database_unavailable', detail: 'The database does not answer.' });
      }
      return { status: 'ok' as const, database: deps.database.kind, version: deps.version };
    },
  });

  // Prometheus scrapes with a bearer token when one is configured. Without one, only callers on
  // this host may read, and never in production: behind a local reverse proxy every caller
  // would look local.
  app.get('/api/metrics', {
    config: { auth: 'public' },
    schema: { tags, summary: 'Prometheus metrics (EGOV_METRICS_TOKEN bearer, or loopback when unset)', security: [], response: { 200: Type.String(), 403: ProblemSchema } },
    handler: async (request, reply) => {
      const expected = deps.config.metricsToken;
      const allowed = expected
        ? request.headers.authorization === `Bearer ${expected}`
        : deps.config.env !== 'production' && LOOPBACK.has(request.socket.remoteAddress ?? '');
      if (!allowed) throw new ForbiddenError('Metrics need the metrics token (EGOV_METRICS_TOKEN).', '读取指标需要指标令牌（EGOV_METRICS_TOKEN）。');
      return reply.type('text/plain; version=0.0.4').send(deps.metrics.render());
    },
  });

  app.get('/api/openapi.json', {
    config: { auth: 'public' },
    schema: { tags, summary: 'This OpenAPI document', security: [], hide: true },
    handler: async () => app.swagger(),
  });
}
