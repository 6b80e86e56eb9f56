// Security headers on every response, computed once at start: helmet recomputed them per
// request, which cost about a third of the throughput of a simple API read. JSON answers get
// the short set OWASP recommends for APIs (and no caching: they may hold personal data);
// the web app's documents and assets get the full browser policy.

export type HeaderSets = { api: Record<string, string>; web: Record<string, string> };

export function securityHeaders(options: { tls: boolean }): HeaderSets {
  const hsts: Record<string, string> = options.tls ? { 'strict-transport-security': 'max-age=31536000; includeSubDomains' } : {};
  const common = { 'x-content-type-options': 'nosniff', 'x-frame-options': 'DENY', 'referrer-policy': 'no-referrer', ...hsts };
  const csp = [
    "default-src 'self'",
    "script-src 'self'",
    // React sets style properties through the CSSOM (allowed); inline style attributes in built HTML need this.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "frame-ancestors 'none'",
    "form-action 'self'",
    ...(options.tls ? ['upgrade-insecure-requests'] : []),
  ].join('; ');
  return {
    api: { ...common, 'content-security-policy': "default-src 'none'; frame-ancestors 'none'", 'cache-control': 'no-store' },
    web: {
      ...common,
      'content-security-policy': csp,
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-resource-policy': 'same-origin',
      'origin-agent-cluster': '?1',
      'x-permitted-cross-domain-policies': 'none',
    },
  };
}
