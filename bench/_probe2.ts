import { spawn } from 'node:child_process';
import autocannon from 'autocannon';
import { signIn } from '../test/support/egov-process.ts';
const port = 18223;
const child = spawn(process.execPath, ['--cpu-prof', '--cpu-prof-dir=/tmp/prof', 'src/main.ts', 'start'], { cwd: '/work/main', env: { ...process.env, PORT: String(port), EGOV_DATA_DIR: '/tmp/prof/data', EGOV_DEMO_PASSWORD: 'Demo#2026pass', LOG_LEVEL: 'warn', EGOV_COOKIE_SECURE: 'false' }, stdio: 'ignore' });
const base = `http://127.0.0.1:${port}`;
for (;;) { try { if ((await fetch(base + '/api/health')).ok) break; } catch {} await new Promise(r => setTimeout(r, 200)); }
const { cookie } = await signIn(base, 'psb.officer');
for (const [name, path, h] of [['search', '/api/organizations?q=' + encodeURIComponent('公安'), { cookie }]] as const) {
  const r = await autocannon({ url: base + path, connections: 16, duration: 8, headers: h as any });
  console.log(name, Math.round(r.requests.average), 'non2xx', r.non2xx);
}
child.kill('SIGINT');
await new Promise(r => child.once('exit', r));
