// Writes .br (brotli, quality 11) and .gz (gzip, level 9) beside each compressible file of the
// built web app, so the server (@fastify/static's preCompressed) sends them with no work per
// request. Runs after the Vite build (`npm run build:web`); `node scripts/compress-web.ts [dir]`.
// Source maps, fetched only by developer tools, get brotli quality 9: on the workbench's 2.4 MB
// map quality 11 took 3.5 s for 10% less, and was most of the build's time.
// A variant that is not smaller than its file is not written (and a stale one is removed):
// the server then sends the file as is.
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import zlib from 'node:zlib';

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

/** Text formats worth compressing; images and fonts in the build are compressed already. */
const COMPRESSIBLE = /\.(js|mjs|css|html|svg|json|txt|map|xml|webmanifest|wasm)$/;

export type Compressed = { file: string; raw: number; br?: number; gz?: number };

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile() && COMPRESSIBLE.test(e.name)).map((e) => path.join(e.parentPath, e.name));
}

async function writeIfSmaller(target: string, data: Buffer, rawSize: number): Promise<number | undefined> {
  if (data.length < rawSize) {
    await fs.writeFile(target, data);
    return data.length;
  }
  await fs.rm(target, { force: true });
  return undefined;
}

/** Compresses every compressible file under dir; the work runs on libuv's thread pool, files in parallel. */
export async function compressWeb(dir: string): Promise<Compressed[]> {
  const files = await filesUnder(dir);
  return Promise.all(
    files.map(async (file) => {
      const raw = await fs.readFile(file);
      const [br, gz] = await Promise.all([
        brotli(raw, {
          params: {
            [zlib.constants.BROTLI_PARAM_QUALITY]: file.endsWith('.map') ? 9 : zlib.constants.BROTLI_MAX_QUALITY,
            [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
            [zlib.constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
          },
        }),
        gzip(raw, { level: zlib.constants.Z_BEST_COMPRESSION }),
      ]);
      return {
        file: path.relative(dir, file),
        raw: raw.length,
        br: await writeIfSmaller(`${file}.br`, br, raw.length),
        gz: await writeIfSmaller(`${file}.gz`, gz, raw.length),
      };
    }),
  );
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dir = path.resolve(process.argv[2] ?? path.join(import.meta.dirname, '..', 'web', 'dist'));
  const started = Date.now();
  try {
    const results = await compressWeb(dir);
    const kb = (n: number | undefined) => (n === undefined ? '-' : `${(n / 1024).toFixed(1)} KB`);
    for (const r of results.sort((a, b) => a.file.localeCompare(b.file))) {
      console.log(`  ${r.file}: ${kb(r.raw)} raw, ${kb(r.gz)} gzip, ${kb(r.br)} brotli`);
    }
    console.log(`web: compressed ${results.length} files in ${dir} (${Date.now() - started} ms)`);
  } catch (error) {
    console.error('web: compression failed');
    console.error(error);
    process.exit(1);
  }
}
