// The server's problems as the workbench's action forms show them: a field named the way the
// server names it ("items/0/zh", "body.reasonZh", "/reasonZh") becomes the input's name
// ("items.0.zh"), and the first problem of each input is written beside it.
import { ApiError, type FieldProblem } from '../../api.ts';
import { problemMessage } from '../registries/problems.ts';

export const inputOf = (problem: FieldProblem) => problem.field.replace(/^\/?body[./]?/, '').replace(/^\//, '').replace(/\//g, '.');

/** The error with each problem's field as its input's name, for the summary's links. */
export function withInputs(error: ApiError | undefined): ApiError | undefined {
  if (!error) return undefined;
  return new ApiError(error.status, error.code, error.detail, error.errors.map((p) => ({ ...p, field: inputOf(p) })));
}

export function errorsByInput(lookup: (key: string) => string | undefined, error: ApiError | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const problem of error?.errors ?? []) {
    const input = inputOf(problem);
    if (!(input in out)) out[input] = problemMessage(lookup, problem);
  }
  return out;
}

/** A version that went stale: someone acted on the task or the application since it was read. */
export const isStale = (error: ApiError | undefined) => error?.status === 409 && error.code === 'version_conflict';
