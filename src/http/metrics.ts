// Prometheus text exposition: request counts and latency histograms per route.
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

type Histogram = { counts: number[]; sum: number; count: number };

export type Metrics = ReturnType<typeof createMetrics>;

function labels(obj: Record<string, string>): string {
  return Object.entries(obj)
    .map(([k, v]) => `${k}="${v.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`)
    .join(',');
}

export function createMetrics() {
  const requests = new Map<string, number>();
  const durations = new Map<string, Histogram>();
  const started = Date.now();
  // Label strings are built once per (method, route, status), not per request.
  const keyCache = new Map<string, { countKey: string; histKey: string }>();
  return {
    observe(method: string, route: string, status: number, seconds: number) {
      const cacheKey = `${method} ${status} ${route}`;
      let keys = keyCache.get(cacheKey);
      if (!keys) keyCache.set(cacheKey, (keys = { countKey: labels({ method, route, status: String(status) }), histKey: labels({ method, route }) }));
      const { countKey, histKey } = keys;
      requests.set(countKey, (requests.get(countKey) ?? 0) + 1);
      let h = durations.get(histKey);
      if (!h) durations.set(histKey, (h = { counts: BUCKETS.map(() => 0), sum: 0, count: 0 }));
      for (let i = 0; i < BUCKETS.length; i++) if (seconds <= BUCKETS[i]) h.counts[i]++;
      h.sum += seconds;
      h.count++;
    },
    render(): string {
      const lines: string[] = [];
      lines.push('# HELP egov_http_requests_total HTTP requests by method, route and status.');
      lines.push('# TYPE egov_http_requests_total counter');
      for (const [key, n] of requests) lines.push(`egov_http_requests_total{${key}} ${n}`);
      lines.push('# HELP egov_http_request_duration_seconds HTTP request latency.');
      lines.push('# TYPE egov_http_request_duration_seconds histogram');
      for (const [key, h] of durations) {
        BUCKETS.forEach((b, i) => lines.push(`egov_http_request_duration_seconds_bucket{${key},le="${b}"} ${h.counts[i]}`));
        lines.push(`egov_http_request_duration_seconds_bucket{${key},le="+Inf"} ${h.count}`);
        lines.push(`egov_http_request_duration_seconds_sum{${key}} ${h.sum}`);
        lines.push(`egov_http_request_duration_seconds_count{${key}} ${h.count}`);
      }
      const mem = process.memoryUsage();
      lines.push('# HELP egov_process_resident_memory_bytes Resident set size.');
      lines.push('# TYPE egov_process_resident_memory_bytes gauge');
      lines.push(`egov_process_resident_memory_bytes ${mem.rss}`);
      lines.push('# HELP egov_process_uptime_seconds Seconds since start.');
      lines.push('# TYPE egov_process_uptime_seconds gauge');
      lines.push(`egov_process_uptime_seconds ${(Date.now() - started) / 1000}`);
      return `${lines.join('\n')}\n`;
    },
  };
}
