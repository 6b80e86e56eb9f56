// PostgreSQL error codes we react to, read the same way from pg and PGlite errors.
type PgLikeError = { code?: string; constraint?: string; message?: string; detail?: string };

export function isUniqueViolation(err: unknown, constraintFragment?: string): boolean {
  const e = err as PgLikeError;
  if (e?.code !== '23505') return false;
  if (!constraintFragment) return true;
  return [e.constraint, e.message, e.detail].some((text) => text?.includes(constraintFragment));
}
