// Builds the web workbench into web/dist with Vite's JS API; exits non-zero on failure so
// CI and the e2e tests stop at a broken build.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'web');

try {
  await build({ root, configFile: path.join(root, 'vite.config.ts'), mode: 'production', logLevel: 'warn' });
  console.log(`web: built into ${path.join(root, 'dist')}`);
} catch (error) {
  console.error('web: build failed');
  console.error(error);
  process.exit(1);
}
