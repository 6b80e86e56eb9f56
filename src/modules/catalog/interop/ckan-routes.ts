// CKAN's Action API under /api/3/action/: public, read-only, GET with query parameters or
// POST with a JSON (or form) body, answered in CKAN's envelope {help, success, result} and
// with CKAN's errors {help, success: false, error: {__type, message, …}}. Everything under
// /api/3/ answers in that envelope, an unknown action or path too (404 Not Found Error,
// never the workbench page), so CKAN clients and harvesters always read what they expect.
import querystring from 'node:querystring';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../../../http/server.ts';
import { CkanError, HELP, type CkanApi, type Params } from './ckan-api.ts';

const tags = ['ckan'];
/** Anonymous clients share this much per address and minute. */
export const CKAN_REQUESTS_PER_MINUTE = 600;

export function registerCkanRoutes(app: App, deps: { api: CkanApi; baseUrl: string }): void {
  const help = (action: string) => `${deps.baseUrl}/api/3/action/help_show?name=${encodeURIComponent(action)}`;
  const actionOf = (request: FastifyRequest) => /^\/api\/3\/action\/([^/?]+)\/?(?:\?|$)/.exec(request.url)?.[1] ?? '';

  const send = (reply: FastifyReply, status: number, body: unknown) => reply.code(status).type('application/json; charset=utf-8').send(body);

  app.register(async (scope) => {
    scope.setErrorHandler((error: Error & { statusCode?: number }, request, reply) => {
      const action = actionOf(request);
      if (error instanceof CkanError) {
        const detail = error.type === 'Validation Error' && error.fields ? { ...error.fields, message: error.message } : { message: error.message };
        return send(reply, error.status, { help: help(action), success: false, error: { __type: error.type, ...detail } });
      }
      const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
      if (status === 500) request.log.error({ reqId: request.id, err: error }, 'CKAN action failed');
      const type = status === 429 ? 'Rate Limit Error' : status === 500 ? 'Internal Server Error' : 'Bad Request';
      const message = status === 500 ? 'Internal Server Error' : status === 429 ? `Too many requests: at most ${CKAN_REQUESTS_PER_MINUTE} a minute from one address; wait and retry` : `Bad request - ${error.message}`;
      return send(reply, status, { help: help(action), success: false, error: { __type: type, message } });
    });

    // CKAN reads an empty body as no parameters and says what is wrong with a bad one.
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
      const raw = String(body).trim();
      if (raw === '') return done(null, {});
      try {
        done(null, JSON.parse(raw));
      } catch (err) {
        done(new CkanError(400, 'Bad Request', `Bad request - JSON Error: ${(err as Error).message}`), undefined);
      }
    });
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => done(null, { ...querystring.parse(String(body)) }));

    const params = (request: FastifyRequest): Params => {
      const body = request.body;
      if (body !== undefined && body !== null && (typeof body !== 'object' || Array.isArray(body)))
        throw new CkanError(400, 'Bad Request', `Bad request - JSON Error: Request data JSON decoded to ${JSON.stringify(body).slice(0, 80)} but it needs to be a dictionary.`);
      const query = { ...(request.query as Params) };
      delete query.callback;
      return { ...query, ...((body as Params | undefined) ?? {}) };
    };

    for (const [action, run] of Object.entries(deps.api.actions)) {
      scope.route({
        method: ['GET', 'POST'],
        url: `/api/3/action/${action}`,
        config: { auth: 'public', rateLimit: { max: CKAN_REQUESTS_PER_MINUTE, timeWindow: '1 minute' } },
        schema: { tags, summary: `CKAN ${action}: ${HELP[action]}`, security: [] } as never,
        handler: async (request, reply) => send(reply, 200, { help: help(action), success: true, result: await run(params(request)) }),
      });
    }

    // CKAN answers the API root with its version.
    scope.get('/api/3', { config: { auth: 'public' }, schema: { tags, summary: 'The CKAN API version (3)', security: [] } as never }, async (_request, reply) => send(reply, 200, { version: 3 }));

    scope.route({
      method: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
      url: '/api/3/*',
      config: { auth: 'public' },
      schema: { hide: true } as never,
      handler: async (request) => {
        const action = actionOf(request);
        if (deps.api.actions[action]) throw new CkanError(400, 'Bad Request', `Bad request - ${action} is read with GET or POST, not ${request.method}`);
        throw new CkanError(
          404,
          'Not Found Error',
          action
            ? `Not found: the action ${action} is not served here (read-only actions: ${Object.keys(deps.api.actions).join(', ')})`
            : `Not found: ${request.url.split('?')[0]} (the CKAN Action API is at /api/3/action/{action})`,
        );
      },
    });
  });
}
