// What an officer's completion of a task may carry, checked before it reaches the engine:
// a review or countersign gives an opinion (agree or disagree), a decision step gives the
// decision (approve or deny); a disagreement or denial must give its reason, which becomes
// one of the reasons the applicant is told. A countersign needs different officers.
import { ConflictError, DomainError, ValidationError, type FieldError } from '../../../platform/errors.ts';
import type { DefinitionProblem } from './definition-check.ts';
import type { Decision, TaskKind } from './egov-moddle.ts';

export type TaskOutput = { opinion?: 'agree' | 'disagree'; decision?: Decision; comment?: string; by?: string };

export const MAX_COMMENT = 2000;
const KEYS = new Set(['opinion', 'decision', 'comment', 'by']);

/** A definition the checker refused; `problems` says what and where, in both languages. */
export class ProcessDefinitionError extends DomainError {
  readonly problems: DefinitionProblem[];
  constructor(problems: DefinitionProblem[]) {
    const fields: FieldError[] = problems.map((p) => ({ field: p.element ? `definition/${p.element}` : 'definition', code: p.code, message: p.message, messageZh: p.messageZh }));
    super('process_definition_invalid', `The review process definition cannot be used: ${problems.map((p) => p.message).join(' ')}`, `审查流程定义无法使用：${problems.map((p) => p.messageZh).join('')}`, fields);
    this.problems = problems;
  }
}

type Target = { elementId: string; kind: TaskKind; instance?: number };

export function checkOutput(target: Target, output: TaskOutput, completed: { elementId: string; by?: string }[]): TaskOutput {
  const errors: FieldError[] = [];
  const add = (field: string, code: string, message: string, messageZh: string) => errors.push({ field, code, message, messageZh });
  if (output === null || typeof output !== 'object' || Array.isArray(output)) throw new ValidationError([{ field: 'output', code: 'type', message: 'must be an object with the opinion or decision', messageZh: '须为包含意见或决定的对象' }]);
  for (const key of Object.keys(output)) if (!KEYS.has(key)) add(key, 'unknown', 'is not part of a task completion (opinion, decision, comment, by)', '不是办理任务可提交的字段（opinion、decision、comment、by）');
  const { opinion, decision, comment, by } = output;
  let negative = false;
  if (target.kind === 'decide') {
    if (decision !== 'approve' && decision !== 'deny') add('decision', 'enum', 'must be "approve" or "deny"', '须为 "approve"（准予）或 "deny"（不予）');
    if (opinion !== undefined) add('opinion', 'unexpected', 'a decision step takes a decision, not an opinion', '决定环节应提交决定，而非意见');
    negative = decision === 'deny';
  } else {
    if (opinion !== 'agree' && opinion !== 'disagree') add('opinion', 'enum', 'must be "agree" or "disagree"', '须为 "agree"（同意）或 "disagree"（不同意）');
    if (decision !== undefined) add('decision', 'unexpected', 'only the decision step takes a decision', '只有决定环节可以提交决定');
    negative = opinion === 'disagree';
  }
  if (comment !== undefined && (typeof comment !== 'string' || comment.length > MAX_COMMENT)) add('comment', 'type', `must be text of at most ${MAX_COMMENT} characters`, `须为不超过 ${MAX_COMMENT} 个字符的文本`);
  else if (negative && (comment ?? '').trim() === '') add('comment', 'required', 'give the reason: the applicant is told why', '请填写理由：申请人将被告知不予许可的原因');
  if (by !== undefined && (typeof by !== 'string' || by.trim() === '' || by.length > 100)) add('by', 'type', 'must identify the officer (1 to 100 characters)', '须为办理人标识（1 至 100 个字符）');
  if (errors.length > 0) throw new ValidationError(errors);
  if (target.kind === 'countersign' && by !== undefined && completed.some((c) => c.elementId === target.elementId && c.by === by)) {
    throw new ConflictError('process_countersign_same_officer', `Officer ${by} has already signed ${target.elementId}; each countersignature must come from a different officer.`, `办理人 ${by} 已在 ${target.elementId} 会签；每份会签须由不同的办理人签署。`);
  }
  return {
    ...(opinion !== undefined ? { opinion } : {}),
    ...(decision !== undefined ? { decision } : {}),
    ...(comment !== undefined && comment.trim() !== '' ? { comment: comment.trim() } : {}),
    ...(by !== undefined ? { by } : {}),
  };
}
