// Response headers of the provider's pages and endpoints. Unlike the workbench, a sign-in form
// must be allowed to end in a redirect to the relying party (form-action covers redirects), so
// form-action lists what a redirect URI may be (client-validation.ts); scripts stay off except
// the provider's own form_post page, whose script's hash it adds to script-src itself.
export const OIDC_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'unsafe-inline'",
  "img-src 'self' data:",
  "form-action 'self' https: http://localhost:* http://127.0.0.1:*",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

export function oidcHeaders(tls: boolean): Record<string, string> {
  return {
    'content-security-policy': OIDC_CSP,
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store',
    ...(tls ? { 'strict-transport-security': 'max-age=31536000; includeSubDomains' } : {}),
  };
}
