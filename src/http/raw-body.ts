// Routes that take a file as the request body (a CSV import, a data release, a Turtle file to
// harvest) need it as it was sent: the bytes, so the service can say when they are not UTF-8,
// or the text, with a limit of their own. The parser lives in a scope of its own, so other
// routes read those media types as before.
import type { FastifyInstance } from 'fastify';
import type { App } from './server.ts';

export function withRawBody(app: App, options: { types: readonly string[]; parseAs: 'buffer' | 'string'; bodyLimit: number }, register: (scope: FastifyInstance) => void): void {
  app.register(async (scope) => {
    for (const type of options.types) {
      if (scope.hasContentTypeParser(type)) scope.removeContentTypeParser(type);
      scope.addContentTypeParser(type, { parseAs: options.parseAs, bodyLimit: options.bodyLimit }, (_request, body, done) => done(null, body));
    }
    register(scope);
  });
}
