// The variables POST /tasks/{taskId}/complete takes in `data` (decision 0027): the names of the
// officers' own API (applications/routes.ts), plus `status`, a statusModel code, for clients that
// know only GovStack's words. An acceptance step: decision accept | not_accept (reasonZh,
// reasonEn, agencyZh?, agencyEn?) | supplement (items, noteZh?, noteEn?); status APPROVED is
// accept, REJECTED not_accept, SENDBACK supplement. A review step: opinion agree | disagree,
// comment, decision approve | deny (on a decide step); status APPROVED is agree, REJECTED
// disagree. `version` (optional) is the task's version the officer saw.
import { ValidationError, type FieldError } from '../../../platform/errors.ts';
import type { SupplementItem } from '../applications/model.ts';
import type { StepOutcome } from '../applications/service.ts';
import { STEP_VARIABLES, unwrap } from './registration-present.ts';

type Problems = FieldError[];

function text(vars: Record<string, unknown>, key: string, max: number, problems: Problems, required: boolean): string | undefined {
  const value = vars[key];
  if (value === undefined || value === null) {
    if (required) problems.push({ field: `data.${key}`, code: 'required', message: 'is required', messageZh: '必填' });
    return undefined;
  }
  if (typeof value !== 'string' || value.length > max) {
    problems.push({ field: `data.${key}`, code: 'type', message: `must be text of at most ${max} characters`, messageZh: `须为不超过 ${max} 个字符的文本` });
    return undefined;
  }
  return value;
}

function oneOf<T extends string>(vars: Record<string, unknown>, key: string, allowed: readonly T[], problems: Problems): T | undefined {
  const value = vars[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  problems.push({ field: `data.${key}`, code: 'enum', message: `must be one of ${allowed.join(', ')}`, messageZh: `须为 ${allowed.join('、')} 之一` });
  return undefined;
}

function items(vars: Record<string, unknown>, problems: Problems): SupplementItem[] {
  const value = vars.items;
  if (!Array.isArray(value) || value.length === 0 || value.length > 50) {
    problems.push({ field: 'data.items', code: 'required', message: 'list every missing material or wrong field at once: [{materialKey?, field?, zh, en}], at most 50', messageZh: '须一次性列明所有需补正的材料或内容：[{materialKey?, field?, zh, en}]，最多 50 项' });
    return [];
  }
  const out: SupplementItem[] = [];
  value.forEach((item, i) => {
    const ok =
      typeof item === 'object' && item !== null && !Array.isArray(item) &&
      Object.keys(item).every((k) => ['materialKey', 'field', 'zh', 'en'].includes(k)) &&
      typeof item.zh === 'string' && item.zh.length <= 1000 && typeof item.en === 'string' && item.en.length <= 1000 &&
      (item.materialKey === undefined || (typeof item.materialKey === 'string' && item.materialKey.length <= 40)) &&
      (item.field === undefined || (typeof item.field === 'string' && item.field.length <= 64));
    if (!ok) problems.push({ field: `data.items.${i}`, code: 'type', message: 'must be {materialKey?, field?, zh, en} with the texts in both languages', messageZh: '须为 {materialKey?, field?, zh, en}，并以中英文说明' });
    else out.push({ zh: item.zh, en: item.en, ...(item.materialKey !== undefined ? { materialKey: item.materialKey } : {}), ...(item.field !== undefined ? { field: item.field } : {}) });
  });
  return out;
}

/** The outcome a step's variables give, and the task version when one was sent; ValidationError naming `data.*`. */
export function stepOutcome(kind: string, data: Record<string, unknown>): { outcome: StepOutcome; version?: number } {
  const vars = unwrap(data);
  const problems: Problems = [];
  const acceptance = kind === 'acceptance';
  const known: readonly string[] = acceptance ? STEP_VARIABLES.acceptance : STEP_VARIABLES.review;
  for (const key of Object.keys(vars)) {
    if (!known.includes(key)) problems.push({ field: `data.${key}`, code: 'unknown_variable', message: `is not a variable of this step; it takes ${known.join(', ')}`, messageZh: `不是该环节的变量；该环节接受 ${known.join('、')}` });
  }
  let version: number | undefined;
  if (vars.version !== undefined && vars.version !== null) {
    if (Number.isInteger(vars.version) && (vars.version as number) >= 1 && (vars.version as number) <= 2_147_483_647) version = vars.version as number;
    else problems.push({ field: 'data.version', code: 'type', message: 'must be the task version you saw (a positive integer)', messageZh: '须为您看到的任务版本号（正整数）' });
  }
  const status = oneOf(vars, 'status', ['APPROVED', 'REJECTED', 'SENDBACK'] as const, problems);
  const fail = (): never => {
    throw new ValidationError(problems);
  };
  if (acceptance) {
    let decision = oneOf(vars, 'decision', ['accept', 'not_accept', 'supplement'] as const, problems);
    const byStatus = status && ({ APPROVED: 'accept', REJECTED: 'not_accept', SENDBACK: 'supplement' } as const)[status];
    if (decision && byStatus && decision !== byStatus) problems.push({ field: 'data.status', code: 'conflicting', message: `says ${status} but decision says ${decision}: send one of them`, messageZh: `status 为 ${status}，而 decision 为 ${decision}，两者矛盾，请只填其一` });
    decision ??= byStatus;
    if (!decision && vars.decision === undefined && !status) problems.push({ field: 'data.decision', code: 'required', message: 'an acceptance step takes decision: accept, not_accept or supplement (or status: APPROVED, REJECTED or SENDBACK)', messageZh: '受理环节须作出决定：accept、not_accept 或 supplement（或 status：APPROVED、REJECTED、SENDBACK）' });
    if (decision === 'not_accept') {
      const reasonZh = text(vars, 'reasonZh', 2000, problems, true);
      const reasonEn = text(vars, 'reasonEn', 2000, problems, true);
      const agencyZh = text(vars, 'agencyZh', 400, problems, false);
      const agencyEn = text(vars, 'agencyEn', 400, problems, false);
      if (problems.length) fail();
      return { outcome: { decision, reasonZh: reasonZh!, reasonEn: reasonEn!, ...(agencyZh !== undefined ? { agencyZh } : {}), ...(agencyEn !== undefined ? { agencyEn } : {}) }, version };
    }
    if (decision === 'supplement') {
      const list = items(vars, problems);
      const noteZh = text(vars, 'noteZh', 2000, problems, false);
      const noteEn = text(vars, 'noteEn', 2000, problems, false);
      if (problems.length) fail();
      return { outcome: { decision, items: list, ...(noteZh !== undefined ? { noteZh } : {}), ...(noteEn !== undefined ? { noteEn } : {}) }, version };
    }
    if (problems.length || !decision) fail();
    return { outcome: { decision: 'accept' }, version };
  }
  let opinion = oneOf(vars, 'opinion', ['agree', 'disagree'] as const, problems);
  if (status === 'SENDBACK') problems.push({ field: 'data.status', code: 'not_at_review', message: 'a review step cannot send the file back: supplements are asked for only at acceptance; give opinion agree or disagree', messageZh: '审查环节不能退回补正：补正只能在受理时一次性告知；请填写同意或不同意的意见' });
  const byStatus = status === 'APPROVED' ? 'agree' : status === 'REJECTED' ? 'disagree' : undefined;
  if (opinion && byStatus && opinion !== byStatus) problems.push({ field: 'data.status', code: 'conflicting', message: `says ${status} but opinion says ${opinion}: send one of them`, messageZh: `status 为 ${status}，而 opinion 为 ${opinion}，两者矛盾，请只填其一` });
  opinion ??= byStatus;
  if (!opinion && vars.opinion === undefined && !status) problems.push({ field: 'data.opinion', code: 'required', message: 'a review step takes opinion: agree or disagree, with a comment (or status: APPROVED or REJECTED)', messageZh: '审查环节须填写意见：agree 或 disagree，并附说明（或 status：APPROVED、REJECTED）' });
  const comment = text(vars, 'comment', 4000, problems, false) ?? '';
  const decision = oneOf(vars, 'decision', ['approve', 'deny'] as const, problems);
  if (problems.length || !opinion) fail();
  return { outcome: { opinion: opinion!, comment, ...(decision ? { decision } : {}) }, version };
}
