// The only expressions a review process may hold, evaluated by us instead of bpmn-elements'
// resolver (which can call any function reachable from its context) and never by the engine's
// JavaScript scripts (node:vm, no security boundary). A condition reads one value of the
// process's data and may compare it with a literal:
//   ${environment.output.allAgreed}
//   ${!environment.output.allAgreed}
//   ${environment.output.tasks.decide.decision == 'approve'}
//   ${environment.variables.applicantKind != 'enterprise'}
// Lookups follow own properties only, so nothing reaches a prototype or a function.
import type { IScripts } from 'bpmn-elements';

const SEGMENT = '(?:[A-Za-z_][A-Za-z0-9_]*|[0-9]+)';
const PATH = `environment\\.(?:output|variables)(?:\\.${SEGMENT})+`;
const LITERAL = `'[^'\\\\]*'|"[^"\\\\]*"|-?[0-9]+(?:\\.[0-9]+)?|true|false|null`;
const CONDITION = new RegExp(`^\\$\\{\\s*(?:(!)\\s*(${PATH})|(${PATH})(?:\\s*(==|!=)\\s*(${LITERAL}))?)\\s*\\}$`);
const FORBIDDEN_SEGMENTS = new Set(['__proto__', 'prototype', 'constructor']);

export type Condition = { path: string[]; negate: boolean; compare?: { op: '==' | '!='; value: string | number | boolean | null } };

/** Parses a condition, or returns undefined when it is not one we evaluate. */
export function parseCondition(text: string): Condition | undefined {
  const m = CONDITION.exec(text.trim());
  if (!m) return undefined;
  const pathText = m[2] ?? m[3];
  const path = pathText.split('.');
  if (path.some((s) => FORBIDDEN_SEGMENTS.has(s))) return undefined;
  if (m[1]) return { path, negate: true };
  if (!m[4]) return { path, negate: false };
  return { path, negate: false, compare: { op: m[4] as '==' | '!=', value: literal(m[5]) } };
}

function literal(text: string): string | number | boolean | null {
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (text === 'null') return null;
  if (text.startsWith("'") || text.startsWith('"')) return text.slice(1, -1);
  return Number(text);
}

function lookup(root: unknown, path: string[]): unknown {
  let value = root;
  for (const segment of path) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, segment)) return undefined;
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
}

export function evaluateCondition(condition: Condition, scope: { output: unknown; variables: unknown }): unknown {
  const [, root, ...rest] = condition.path;
  const value = lookup(root === 'output' ? scope.output : scope.variables, rest);
  if (condition.negate) return !value;
  if (!condition.compare) return value;
  const equal = (value ?? null) === condition.compare.value;
  return condition.compare.op === '==' ? equal : !equal;
}

const HAS_EXPRESSION = /\$\{.+?\}/;

/** The `expressions` option of bpmn-engine: strings without `${` pass through (a loop cardinality of "2"). */
export const safeExpressions = {
  resolveExpression(text: string, context: { environment?: { output?: unknown; variables?: unknown } }): unknown {
    if (typeof text !== 'string' || !HAS_EXPRESSION.test(text)) return text;
    const condition = parseCondition(text);
    if (!condition) throw new Error(`Unsupported expression ${JSON.stringify(text)}: only \${environment.output.<path>} or \${environment.variables.<path>}, optionally compared with == or != to a literal`);
    return evaluateCondition(condition, { output: context.environment?.output, variables: context.environment?.variables });
  },
  isExpression: (text: string) => typeof text === 'string' && /^\$\{.+\}$/.test(text),
  hasExpression: (text: string) => typeof text === 'string' && HAS_EXPRESSION.test(text),
};

/** The `scripts` option of bpmn-engine: no script is ever registered, so none can run. */
export const noScripts: IScripts = {
  register: () => undefined,
  // The typings promise a script; bpmn-elements treats none as "not registered" and fails the step.
  getScript: () => undefined as never,
};
