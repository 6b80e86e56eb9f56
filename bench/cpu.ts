// CPU time spent by a process, and by the PostgreSQL backends serving one database, from
// /proc (Linux). On a shared two-core machine wall times swing with whatever else runs, while
// the CPU a piece of work costs stays about the same: the benchmarks print both.
import fs from 'node:fs';
import os from 'node:os';
import type pg from 'pg';

const TICK_MS = 1000 / 100; // USER_HZ is 100 on Linux

/** User + system CPU of a process so far, in milliseconds (0 if it is gone). */
export function processCpuMs(pid: number): number {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return 0;
  }
}

/**
 * The CPU of every backend connected to `database` between start() and stop(). Backends are
 * found through `admin` (a connection to another database, so its own backend is not counted);
 * one that exits before stop() is lost, so measure while the work's connections are open.
 */
export function backendCpu(admin: pg.Client, database: string) {
  const before = new Map<number, number>();
  const pids = async () => (await admin.query<{ pid: number }>('select pid from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [database])).rows.map((r) => r.pid);
  return {
    async start() {
      before.clear();
      for (const pid of await pids()) before.set(pid, processCpuMs(pid));
    },
    async stop(): Promise<number> {
      let total = 0;
      for (const pid of await pids()) total += processCpuMs(pid) - (before.get(pid) ?? 0);
      return total;
    },
  };
}

/** Committed transactions of a database so far (statistics are flushed within a second or so). */
export async function commits(admin: pg.Client, database: string): Promise<number> {
  return Number((await admin.query('select xact_commit from pg_stat_database where datname = $1', [database])).rows[0]?.xact_commit ?? 0);
}

export const loadAverage = () => os.loadavg()[0];

/**
 * A CPU profile of another Node process over its inspector (started with --inspect=host:port):
 * start() and stop() bracket the work to profile, so setup is left out; stop() writes a
 * .cpuprofile that Chrome DevTools or `npx speedscope` opens.
 */
export async function inspectorProfiler(inspectUrl: string) {
  const targets = (await (await fetch(`${inspectUrl}/json/list`)).json()) as { webSocketDebuggerUrl: string }[];
  const socket = new WebSocket(targets[0].webSocketDebuggerUrl);
  await new Promise((resolve, reject) => {
    socket.onopen = resolve;
    socket.onerror = reject;
  });
  let next = 0;
  const waiting = new Map<number, (result: unknown) => void>();
  socket.onmessage = (event) => {
    const message = JSON.parse(String(event.data)) as { id?: number; result?: unknown };
    if (message.id !== undefined) waiting.get(message.id)?.(message.result);
  };
  const call = <T>(method: string, params: Record<string, unknown> = {}) =>
    new Promise<T>((resolve) => {
      const id = ++next;
      waiting.set(id, resolve as (result: unknown) => void);
      socket.send(JSON.stringify({ id, method, params }));
    });
  await call('Profiler.enable');
  await call('Profiler.setSamplingInterval', { interval: 500 });
  return {
    start: () => call('Profiler.start'),
    async stop(file: string): Promise<void> {
      const { profile } = await call<{ profile: unknown }>('Profiler.stop');
      fs.writeFileSync(file, JSON.stringify(profile));
      socket.close();
    },
  };
}
