// Serves the built React workbench and answers unknown paths: index.html for app routes
// (client-side routing), problem+json for unknown API paths.
import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import { NotFoundError } from '../platform/errors.ts';
import type { App } from './server.ts';

export const WEB_DIST = path.resolve(import.meta.dirname, '../../web/dist');

/** The DCAT export's addresses (the ckanext-dcat convention), in any RDF format. */
const RDF_FILE = /^\/(catalog|dataset\/[^/]+)\.(ttl|jsonld|rdf|xml|n3|nt|nq|json)$/;

export async function registerStaticWeb(app: App, distDir = WEB_DIST): Promise<void> {
  const built = fs.existsSync(path.join(distDir, 'index.html'));
  if (built) {
    await app.register(fastifyStatic, { root: distDir, prefix: '/', wildcard: false, index: false, cacheControl: false });
  }
  app.setNotFoundHandler(async (request, reply) => {
    const pathname = request.url.split('?')[0];
    // Machine APIs (ours, GovStack's, the exchange's) answer 404 as problem+json, never the workbench;
    // so do RDF files of the catalog in formats not served (/catalog.rdf, /dataset/{id}.xml).
    if (/^\/(api|govstack|r1)\//.test(pathname) || RDF_FILE.test(pathname) || request.method !== 'GET') {
      throw new NotFoundError('API route', `${request.method} ${pathname}`, '接口');
    }
    if (!built) {
      return reply
        .code(503)
        .type('text/plain; charset=utf-8')
        .send('The web workbench is not built. Run `npm run build:web`, then reload.\n工作台尚未构建，请运行 `npm run build:web` 后刷新。\n');
    }
    // Hashed assets may be cached forever; the shell must always be fresh.
    reply.header('cache-control', 'no-cache');
    return reply.sendFile('index.html');
  });
}
