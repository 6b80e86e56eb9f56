// Starts the real server on a fresh embedded database and a Chromium to drive it. Shared by
// the browser tests; not a test file itself.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startServer as startEgov, stopServer } from '../support/egov-process.ts';

export { DEMO_PASSWORD } from '../support/egov-process.ts';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
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

export type RunningServer = {
  baseUrl: string;
  /** The server's stdout and stderr so far, for failure messages. */
  output: () => string;
  stop: () => Promise<void>;
};

/**
 * How long a server is given to start. A seeded start takes about 20 s on a quiet two-core
 * machine and was seen at 99 s on a busy one; a browser test should fail on what it checks,
 * not on the machine's load.
 */
const START_MS = 180_000;

/**
 * The real server on a fresh embedded database: the browser tests never share one. `prepare`
 * writes into the data folder before the server starts there; `env` is more of its settings.
 * `timeoutMs` replaces START_MS for a start known to take longer.
 */
export async function startServer(options: { env?: Record<string, string>; prepare?: (dataDir: string) => Promise<void>; timeoutMs?: number } = {}): Promise<RunningServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'egov-e2e-'));
  try {
    await options.prepare?.(dataDir);
    const server = await startEgov({ ...options.env, EGOV_DATA_DIR: dataDir }, options.timeoutMs ?? START_MS);
    return {
      baseUrl: server.baseUrl,
      output: server.output,
      async stop() {
        await stopServer(server);
        fs.rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
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

/** Every visible form control has a label (its own <label>, or aria-label/-labelledby). */
export async function assertControlsLabelled(page: Page): Promise<void> {
  const unlabelled = await page.evaluate(() =>
    [...document.querySelectorAll<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>('input, select, textarea')]
      .filter((el) => el.type !== 'hidden' && el.getClientRects().length > 0)
      .filter((el) => (el.labels?.length ?? 0) === 0 && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby'))
      .map((el) => el.outerHTML.slice(0, 120)),
  );
  assert.deepEqual(unlabelled, [], 'form controls without a label');
}

/** A message of the web's catalogs with its {placeholders} filled, as the page shows it. */
export const fill = (template: string, vars: Record<string, string | number>): string => template.replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k]));
