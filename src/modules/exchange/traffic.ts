// This node's live traffic: calls, errors and latency per service and side over the last 15
// minutes, for the workbench's traffic view. The meter is fed by the message log once rows
// are committed, so it counts exactly what the log holds, and it lives in memory only: it
// starts empty with the process (the log stays the record), and each replica counts its own
// calls.
//
// Memory does not grow with traffic. Each series (side × service × client member) keeps a
// ring of per-second counts for 15 minutes, and a ring of 10-second latency histograms with
// fixed log-scale bins. Latency is kept at 10 s rather than 1 s because a histogram is 82
// counters: per second that would be 300 KB a series, per 10 s it is 30 KB; percentiles over
// minutes lose nothing by it. The number of series is capped (500 × 45 KB); calls beyond the
// cap are counted in one overflow series ('*'), seen only by node-wide viewers.
import type { Clock } from '../../platform/clock.ts';
import type { LogEntry } from './message-log.ts';
import type { TrafficSnapshot, TrafficStats, TrafficWindow } from './schema.ts';

export const HORIZON_SECONDS = 900;
const HIST_SECONDS = 10;
// One more slot than 900/10: a 900-s window that does not start on a slot boundary touches 91.
const HIST_SLOTS = HORIZON_SECONDS / HIST_SECONDS + 1;
/** Bins per doubling: bins are 19 % wide, so a percentile is off by less than that. */
const SUB = 4;
/** 2^20 ms is 17 minutes, longer than any service timeout (10 minutes at most). */
const MAX_EXP = 20;
/** Bin 0 holds calls under 1 ms; the last bin everything from 2^20 ms. */
export const BINS = 2 + SUB * MAX_EXP;
export const MAX_SERIES = 500;
/** Points per sparkline, whatever the window. */
export const SPARK_POINTS = 30;
const OVERFLOW = '*';

export function binOf(ms: number): number {
  if (!(ms >= 1)) return 0;
  return Math.min(BINS - 1, 1 + Math.floor(Math.log2(ms) * SUB));
}

/** The value at quantile q (0..1) of a histogram, interpolated within its bin on a log scale. */
export function quantile(hist: ArrayLike<number>, total: number, q: number): number | null {
  if (total === 0) return null;
  const rank = q * total;
  let seen = 0;
  for (let bin = 0; bin < BINS; bin++) {
    const n = hist[bin];
    if (n === 0) continue;
    if (seen + n >= rank) {
      const within = (rank - seen) / n;
      if (bin === 0) return round(within, 10);
      const low = 2 ** ((bin - 1) / SUB);
      if (bin === BINS - 1) return round(low, 10);
      return round(low * 2 ** (within / SUB), 10);
    }
    seen += n;
  }
  return null;
}

function round(value: number, per: number): number {
  return Math.round(value * per) / per;
}

type Series = {
  side: LogEntry['side'];
  service: string;
  /** INSTANCE/CLASS/MEMBER of the client, so an organization sees its own clients' calls. */
  member: string;
  lastSec: number;
  /** Per-second ring: the second each slot holds, and its calls and errors. */
  second: Float64Array;
  calls: Uint32Array;
  errors: Uint32Array;
  /** 10-second ring of latency histograms, BINS counters a slot. */
  slot: Float64Array;
  hist: Uint32Array;
};

function newSeries(side: LogEntry['side'], service: string, member: string): Series {
  return {
    side,
    service,
    member,
    lastSec: -Infinity,
    second: new Float64Array(HORIZON_SECONDS).fill(-1),
    calls: new Uint32Array(HORIZON_SECONDS),
    errors: new Uint32Array(HORIZON_SECONDS),
    slot: new Float64Array(HIST_SLOTS).fill(-1),
    hist: new Uint32Array(HIST_SLOTS * BINS),
  };
}

function memberOf(client: string): string {
  return client.split('/').slice(0, 3).join('/');
}

export function isError(entry: Pick<LogEntry, 'status' | 'error'>): boolean {
  return entry.status >= 400 || entry.error !== null;
}

/** One row of the snapshot while it is summed: counts, the sparkline and a merged histogram. */
type Sum = { calls: number; errors: number; lastMinute: number; hist: Float64Array; sparkCalls: number[]; sparkErrors: number[] };

function newSum(): Sum {
  return { calls: 0, errors: 0, lastMinute: 0, hist: new Float64Array(BINS), sparkCalls: new Array<number>(SPARK_POINTS).fill(0), sparkErrors: new Array<number>(SPARK_POINTS).fill(0) };
}

function merge(into: Sum, from: Sum): void {
  into.calls += from.calls;
  into.errors += from.errors;
  into.lastMinute += from.lastMinute;
  for (let bin = 0; bin < BINS; bin++) into.hist[bin] += from.hist[bin];
  for (let p = 0; p < SPARK_POINTS; p++) {
    into.sparkCalls[p] += from.sparkCalls[p];
    into.sparkErrors[p] += from.sparkErrors[p];
  }
}

function statsOf(sum: Sum): TrafficStats {
  const total = sum.hist.reduce((a, b) => a + b, 0);
  return {
    calls: sum.calls,
    errors: sum.errors,
    callsPerSecond: round(sum.lastMinute / 60, 100),
    p50Ms: quantile(sum.hist, total, 0.5),
    p95Ms: quantile(sum.hist, total, 0.95),
    p99Ms: quantile(sum.hist, total, 0.99),
  };
}

/** Which calls a viewer sees: all of them, or those an organization (by identifier) took part in. */
export type TrafficScope = { organization?: string };

export function createTrafficMeter(clock: Clock) {
  const series = new Map<string, Series>();
  const since = clock.now();

  /** Forgets series without a call for 15 minutes. */
  function sweep(nowSec: number): void {
    for (const [key, s] of series) if (s.lastSec <= nowSec - HORIZON_SECONDS) series.delete(key);
  }

  function seriesFor(side: LogEntry['side'], service: string, member: string, nowSec: number): Series {
    const key = `${side}\u0000${service}\u0000${member}`;
    let s = series.get(key);
    if (s) return s;
    if (series.size >= MAX_SERIES && service !== OVERFLOW) {
      sweep(nowSec);
      if (series.size >= MAX_SERIES) return seriesFor(side, OVERFLOW, OVERFLOW, nowSec);
    }
    series.set(key, (s = newSeries(side, service, member)));
    return s;
  }

  /** Adds the sum of one series over the window to `sum`. */
  function addTo(sum: Sum, s: Series, nowSec: number, windowSeconds: number): void {
    const first = nowSec - windowSeconds + 1;
    const step = windowSeconds / SPARK_POINTS;
    for (let sec = first; sec <= nowSec; sec++) {
      const i = sec % HORIZON_SECONDS;
      if (s.second[i] !== sec) continue;
      const calls = s.calls[i];
      const errors = s.errors[i];
      sum.calls += calls;
      sum.errors += errors;
      if (sec > nowSec - 60) sum.lastMinute += calls;
      const point = Math.floor((sec - first) / step);
      sum.sparkCalls[point] += calls;
      sum.sparkErrors[point] += errors;
    }
    // Latency by whole 10-s slots: the oldest may reach up to 9 s before the window.
    for (let h = Math.floor(first / HIST_SECONDS); h <= Math.floor(nowSec / HIST_SECONDS); h++) {
      const j = h % HIST_SLOTS;
      if (s.slot[j] !== h) continue;
      for (let bin = 0; bin < BINS; bin++) sum.hist[bin] += s.hist[j * BINS + bin];
    }
  }

  return {
    /** Counts committed log rows; the message log calls this after each commit. */
    record(entries: readonly LogEntry[]): void {
      const nowSec = Math.floor(clock.now().getTime() / 1000);
      const i = nowSec % HORIZON_SECONDS;
      const h = Math.floor(nowSec / HIST_SECONDS);
      const j = h % HIST_SLOTS;
      for (const entry of entries) {
        const s = seriesFor(entry.side, entry.service, memberOf(entry.client), nowSec);
        if (s.second[i] !== nowSec) {
          s.second[i] = nowSec;
          s.calls[i] = 0;
          s.errors[i] = 0;
        }
        s.calls[i] += 1;
        if (isError(entry)) s.errors[i] += 1;
        if (s.slot[j] !== h) {
          s.slot[j] = h;
          s.hist.fill(0, j * BINS, (j + 1) * BINS);
        }
        s.hist[j * BINS + binOf(entry.durationMs)] += 1;
        s.lastSec = nowSec;
      }
    },

    /** Calls per service and side over the window, with node totals, as `scope` may see them. */
    snapshot(windowSeconds: TrafficWindow, scope: TrafficScope = {}): TrafficSnapshot {
      const now = clock.now();
      const nowSec = Math.floor(now.getTime() / 1000);
      sweep(nowSec);
      const org = scope.organization;
      const rows = new Map<string, { service: string; side: LogEntry['side']; sum: Sum }>();
      const totals = { consumer: newSum(), provider: newSum() };
      for (const s of series.values()) {
        if (s.lastSec <= nowSec - windowSeconds) continue;
        if (org !== undefined && s.member !== org && !s.service.startsWith(`${org}/`)) continue;
        const key = `${s.side}\u0000${s.service}`;
        let row = rows.get(key);
        if (!row) rows.set(key, (row = { service: s.service, side: s.side, sum: newSum() }));
        addTo(row.sum, s, nowSec, windowSeconds);
      }
      for (const row of rows.values()) merge(totals[row.side], row.sum);
      const services = [...rows.values()]
        .filter((row) => row.sum.calls > 0)
        .map((row) => ({ service: row.service, side: row.side, ...statsOf(row.sum), series: { calls: row.sum.sparkCalls, errors: row.sum.sparkErrors } }))
        .sort((a, b) => b.calls - a.calls || a.service.localeCompare(b.service) || a.side.localeCompare(b.side));
      return {
        now: now.toISOString(),
        since: since.toISOString(),
        windowSeconds,
        stepSeconds: windowSeconds / SPARK_POINTS,
        scope: org === undefined ? 'node' : 'organization',
        totals: { consumer: statsOf(totals.consumer), provider: statsOf(totals.provider) },
        services,
      };
    },

    /** How many series the meter holds, for tests of its bounds. */
    seriesCount: () => series.size,
  };
}

export type TrafficMeter = ReturnType<typeof createTrafficMeter>;
