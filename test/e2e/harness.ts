// Starts the real server on a fresh embedded database and a Chromium to drive it. Shared by
// the browser tests; not a test file itself.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DEMO_PASSWORD = 'Demo#2026pass';
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) newest = Math.max(newest, fs.statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

/**
 * Builds web/dist when it is missing, so a fresh checkout can run the browser tests; also
 * when it is not a Vite build or is older than the sources, so the tests never run stale UI.
 */
export function ensureWebBuilt(): void {
  const index = path.join(REPO, 'web', 'dist', 'index.html');
  const web = path.join(REPO, 'web');
  const current =
    fs.existsSync(index) &&
    /<script type="module"[^>]+src="\/assets\//.test(fs.readFileSync(index, 'utf8')) &&
    fs.statSync(index).mtimeMs >= Math.max(newestMtime(path.join(web, 'src')), fs.statSync(path.join(web, 'index.html')).mtimeMs, fs.statSync(path.join(web, 'vite.config.ts')).mtimeMs);
  if (current) return;
  const result = spawnSync(process.execPath, [path.join(REPO, 'scripts', 'build-web.ts')], { cwd: REPO, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`scripts/build-web.ts failed with exit code ${result.status}`);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export type RunningServer = {
  baseUrl: string;
  /** The server's stdout and stderr so far, for failure messages. */
  output: () => string;
  stop: () => Promise<void>;
};

export async function startServer(timeoutMs = 60_000): Promise<RunningServer> {
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'egov-e2e-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    EGOV_DATA_DIR: dataDir,
    EGOV_DEMO_PASSWORD: DEMO_PASSWORD,
    EGOV_COOKIE_SECURE: 'false',
    NODE_ENV: 'development',
  };
  // Always a fresh embedded database: the browser tests must not depend on or change a shared one.
  delete env.DATABASE_URL;

  const child: ChildProcess = spawn(process.execPath, ['src/main.ts', 'start'], { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const append = (chunk: Buffer) => {
    output += chunk.toString('utf8');
    if (output.length > 200_000) output = output.slice(-100_000);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  let exited: number | null | undefined;
  const exitPromise = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exited = code ?? (signal ? -1 : 0);
      resolve();
    }),
  );

  const stop = async () => {
    if (exited === undefined) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exitPromise;
      clearTimeout(timer);
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  };

  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      if (exited !== undefined) throw new Error(`the server exited with code ${exited} before it was healthy`);
      try {
        const response = await fetch(`${baseUrl}/api/health`, { signal: AbortSignal.timeout(2_000) });
        if (response.status === 200) break;
      } catch {
        // Not listening yet.
      }
      if (Date.now() > deadline) throw new Error(`GET /api/health did not return 200 within ${timeoutMs / 1000} s`);
      await new Promise((r) => setTimeout(r, 250));
    }
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n--- server output ---\n${output.slice(-4000)}`);
  }
  return { baseUrl, output: () => output, stop };
}

export async function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`No Chromium at ${CHROMIUM}. Install it: apt-get install -y --no-install-recommends chromium fonts-wqy-microhei`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'],
  });
}
