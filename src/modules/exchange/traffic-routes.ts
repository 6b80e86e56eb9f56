// The live traffic view over HTTP: the node's meter for those who run nodes, and for everyone
// else only the calls their organization took part in, as client or as provider (the same
// line the message log search draws).
import { STAFF_ERRORS } from '../../http/schemas.ts';
import { requestContext, type App } from '../../http/server.ts';
import { seesAllTraffic } from './policy.ts';
import { TrafficQuery, TrafficSnapshot } from './schema.ts';
import type { TrafficMeter } from './traffic.ts';

export function registerTrafficRoutes(app: App, traffic: TrafficMeter, orgIdentifier: (orgId: string) => Promise<string>): void {
  app.get('/api/exchange/traffic', {
    schema: {
      tags: ['exchange'],
      summary: "This node's live traffic per service and side: calls, errors, calls per second and latency percentiles over the last 1, 5 or 15 minutes",
      querystring: TrafficQuery,
      response: { 200: TrafficSnapshot, ...STAFF_ERRORS },
    },
    handler: async (request, reply) => {
      const { actor } = requestContext(request);
      const organization = seesAllTraffic(actor) ? undefined : await orgIdentifier(actor.orgId);
      return reply.header('cache-control', 'no-store').send(traffic.snapshot(request.query.window ?? 300, { organization }));
    },
  });
}
