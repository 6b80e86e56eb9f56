// Serves the built React workbench and answers unknown paths: index.html for app routes
// (client-side routing), problem+json for unknown API paths. Files are sent brotli- or
// gzip-compressed when the client accepts it, from the .br/.gz siblings the build writes
// (scripts/compress-web.ts); without them, or without Accept-Encoding, as they are.
import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import { NotFoundError } from '../platform/errors.ts';
import type { App } from './server.ts';

export const WEB_DIST = path.resolve(import.meta.dirname, '../../web/dist');

/** Vite's content-hashed output: a changed file gets a new name, so a copy never goes stale. */
const HASHED_ASSETS = `${path.sep}assets${path.sep}`;

/** The DCAT export's addresses (the ckanext-dcat convention), in any RDF format. */
const RDF_FILE = /^\/(catalog|dataset\/[^/]+)\.(ttl|jsonld|rdf|xml|n3|nt|nq|json)$/;

export async function registerStaticWeb(app: App, distDir = WEB_DIST): Promise<void> {
  const built = fs.existsSync(path.join(distDir, 'index.html'));
  if (built) {
    const root = path.resolve(distDir);
    await app.register(fastifyStatic, {
      root,
      prefix: '/',
      wildcard: false,
      index: false,
      // The .br/.gz siblings are encodings of their file, chosen by Accept-Encoding (with Vary),
      // not addresses of their own.
      preCompressed: true,
      globIgnore: ['**/*.br', '**/*.gz'],
      cacheControl: false,
      setHeaders: (reply, file) => {
        if (file.startsWith(root + HASHED_ASSETS)) reply.header('cache-control', 'public, max-age=31536000, immutable');
      },
    });
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
