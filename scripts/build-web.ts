// Builds the web workbench into web/dist with Vite's JS API, then writes the compressed copies
// the server sends (compress-web.ts); exits non-zero on failure so CI and the e2e tests stop
// at a broken build. Every build goes through here: npm run build:web, the first npm start,
// the browser tests.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { compressWeb } from './compress-web.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'web');

try {
  await build({ root, configFile: path.join(root, 'vite.config.ts'), mode: 'production', logLevel: 'warn' });
  await compressWeb(path.join(root, 'dist'));
  console.log(`web: built into ${path.join(root, 'dist')}, with brotli and gzip copies`);
} catch (error) {
  console.error('web: build failed');
  console.error(error);
  process.exit(1);
}
