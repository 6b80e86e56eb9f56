// The server's field problems as the registry pages show them: which field a problem is
// about (without the request's wrapping), its words in the UI language, and the first
// problem of each field, so a form can put it beside the input it names. Shared by the
// records, geospatial and macroeconomic pages.
import type { ApiError, FieldProblem } from '../../api.ts';

// Body-schema checks (Ajv) answer in English with these keywords; the catalog words them in
// both languages. The registry's own checks answer in the request's language already.
const SCHEMA_KEYWORDS = new Set(['minLength', 'maxLength', 'pattern', 'format', 'enum', 'minimum', 'maximum', 'additionalProperties', 'minItems']);

/** The field a problem is about, without the request's wrapping (body., data., person.). */
export const problemField = (problem: FieldProblem) => problem.field.replace(/^(body\.)?(data\.|patch\.|person\.)?/, '');

export function problemMessage(lookup: (key: string) => string | undefined, problem: FieldProblem): string {
  return (SCHEMA_KEYWORDS.has(problem.code) ? lookup(`fieldError.${problem.code}`) : undefined) ?? problem.message;
}

/** Field problems keyed by field name (the first for each). */
export function problemsByField(lookup: (key: string) => string | undefined, error: ApiError | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const problem of error?.errors ?? []) {
    const field = problemField(problem);
    if (!(field in out)) out[field] = problemMessage(lookup, problem);
  }
  return out;
}
