import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import zlib from 'node:zlib';
import { compressWeb } from '../../scripts/compress-web.ts';
import { loadConfig } from '../config.ts';
import { createLogger } from '../platform/logger.ts';
import { createMetrics } from './metrics.ts';
import { createHttpServer, type App } from './server.ts';
import { registerStaticWeb } from './static-web.ts';

// A tiny build: the shell, a hashed script large enough to be worth compressing, and a file too
// small to gain from it (the script writes no siblings for it).
const INDEX = `<!doctype html><html><head><script type="module" src="/assets/index-AbC123.js"></script></head><body><div id="root"></div>${'<!-- padding -->'.repeat(40)}</body></html>\n`;
const SCRIPT = `export const rows = [${Array.from({ length: 400 }, (_, i) => `{ id: ${i}, name: "row ${i}" }`).join(', ')}];\n`;
const TINY = '{}';

let dir: string;
let app: App;
before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'egov-web-'));
  fs.mkdirSync(path.join(dir, 'assets'));
  fs.writeFileSync(path.join(dir, 'index.html'), INDEX);
  fs.writeFileSync(path.join(dir, 'assets', 'index-AbC123.js'), SCRIPT);
  fs.writeFileSync(path.join(dir, 'assets', 'tiny-XyZ789.json'), TINY);
  await compressWeb(dir);
  const config = loadConfig({ NODE_ENV: 'test', EGOV_DATA_DIR: dir, LOG_LEVEL: 'silent' });
  app = await createHttpServer({ config, logger: createLogger('silent'), metrics: createMetrics(), authenticate: async () => undefined });
  await registerStaticWeb(app, dir);
  await app.ready();
});
after(async () => {
  await app?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const get = (url: string, acceptEncoding?: string) =>
  app.inject({ method: 'GET', url, headers: acceptEncoding === undefined ? {} : { 'accept-encoding': acceptEncoding } });

function varies(headers: Record<string, unknown>): boolean {
  return String(headers.vary ?? '').toLowerCase().split(/\s*,\s*/).includes('accept-encoding');
}

describe('compress-web', () => {
  test('writes .br and .gz beside files that gain from it, and none beside a file that does not', () => {
    for (const file of ['index.html', 'assets/index-AbC123.js']) {
      const raw = fs.readFileSync(path.join(dir, file));
      assert.deepEqual(zlib.brotliDecompressSync(fs.readFileSync(path.join(dir, `${file}.br`))), raw);
      assert.deepEqual(zlib.gunzipSync(fs.readFileSync(path.join(dir, `${file}.gz`))), raw);
    }
    assert.equal(fs.existsSync(path.join(dir, 'assets/tiny-XyZ789.json.br')), false);
    assert.equal(fs.existsSync(path.join(dir, 'assets/tiny-XyZ789.json.gz')), false);
  });
});

describe('static web files', () => {
  test('a client accepting brotli gets the brotli file, which decompresses to the asset', async () => {
    const res = await get('/assets/index-AbC123.js', 'gzip, deflate, br, zstd');
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-encoding'], 'br');
    assert.match(String(res.headers['content-type']), /^text\/javascript|^application\/javascript/);
    assert.ok(varies(res.headers), `vary: ${res.headers.vary}`);
    assert.ok(res.rawPayload.length < Buffer.byteLength(SCRIPT));
    assert.equal(Number(res.headers['content-length']), res.rawPayload.length);
    assert.equal(zlib.brotliDecompressSync(res.rawPayload).toString(), SCRIPT);
  });

  test('a client accepting only gzip gets the gzip file', async () => {
    const res = await get('/assets/index-AbC123.js', 'gzip');
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-encoding'], 'gzip');
    assert.ok(varies(res.headers));
    assert.equal(zlib.gunzipSync(res.rawPayload).toString(), SCRIPT);
  });

  test('a client without Accept-Encoding (or accepting only identity) gets the file as it is', async () => {
    for (const acceptEncoding of [undefined, 'identity']) {
      const res = await get('/assets/index-AbC123.js', acceptEncoding);
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['content-encoding'], undefined);
      assert.ok(varies(res.headers), 'the uncompressed answer varies too, for shared caches');
      assert.equal(res.body, SCRIPT);
    }
  });

  test('a file without compressed siblings is sent as it is, even to a client accepting brotli', async () => {
    const res = await get('/assets/tiny-XyZ789.json', 'br, gzip');
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-encoding'], undefined);
    assert.equal(res.body, TINY);
  });

  test('hashed assets may be cached for a year, in any encoding', async () => {
    for (const acceptEncoding of [undefined, 'gzip', 'br']) {
      const res = await get('/assets/index-AbC123.js', acceptEncoding);
      assert.equal(res.headers['cache-control'], 'public, max-age=31536000, immutable');
    }
  });

  test('the compressed siblings are not addresses of their own: the app shell answers them', async () => {
    for (const url of ['/assets/index-AbC123.js.br', '/assets/index-AbC123.js.gz']) {
      const res = await get(url);
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['cache-control'], 'no-cache');
      assert.equal(res.body, INDEX);
    }
  });
});

describe('the app shell (client-side routes)', () => {
  test('is sent compressed to a client that accepts it, never cached without revalidation', async () => {
    for (const url of ['/', '/organizations/42']) {
      const br = await get(url, 'br, gzip');
      assert.equal(br.statusCode, 200);
      assert.equal(br.headers['content-encoding'], 'br');
      assert.match(String(br.headers['content-type']), /^text\/html/);
      assert.ok(varies(br.headers));
      assert.equal(br.headers['cache-control'], 'no-cache');
      assert.equal(zlib.brotliDecompressSync(br.rawPayload).toString(), INDEX);

      const gz = await get(url, 'gzip');
      assert.equal(gz.headers['content-encoding'], 'gzip');
      assert.equal(gz.headers['cache-control'], 'no-cache');
      assert.equal(zlib.gunzipSync(gz.rawPayload).toString(), INDEX);

      const plain = await get(url);
      assert.equal(plain.headers['content-encoding'], undefined);
      assert.ok(varies(plain.headers));
      assert.equal(plain.headers['cache-control'], 'no-cache');
      assert.equal(plain.body, INDEX);
    }
  });

  test('unknown API paths still answer 404, not the shell', async () => {
    const res = await get('/api/nothing-here', 'br');
    assert.equal(res.statusCode, 404);
    assert.equal(res.headers['content-encoding'], undefined);
  });
});
