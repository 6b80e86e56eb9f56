// Runs a review process one step at a time over bpmn-engine. Every call stands alone: it
// recovers the engine from the stored state, does one thing (start, or complete one waiting
// task), takes the new state and stops the engine. The application service stores that state
// (plain JSON) in its own row in the same transaction as the task change, so after a crash
// the next call resumes exactly where the last committed one left off. Nothing is kept in
// memory between calls. Two calls on the same state must not race: the caller serializes
// them (row lock or version check), or the second would overwrite the first's step.
import { EventEmitter } from 'node:events';
import { Engine } from 'bpmn-engine';
import { ConflictError } from '../../../platform/errors.ts';
import { checkDefinition, type Bilingual } from './definition-check.ts';
import { type Decision, type TaskKind } from './egov-moddle.ts';
import { noScripts, safeExpressions } from './expressions.ts';
import { checkOutput, ProcessDefinitionError, type TaskOutput } from './task-output.ts';

export { ProcessDefinitionError, type TaskOutput } from './task-output.ts';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export type WaitingTask = {
  /** What completes it: the engine's execution id of the task (or of one countersigner's instance). */
  ref: string;
  elementId: string;
  name: Bilingual;
  role: string;
  /** `lead` or `joint:<key>`. */
  org: string;
  kind: TaskKind;
  /** Countersigning: which signer (1-based) of how many. */
  instance?: number;
  instances?: number;
};

export type CompletedTask = Omit<WaitingTask, 'instances'> & TaskOutput;
export type Reason = { elementId: string; name: Bilingual; instance?: number; by?: string; comment: string };
export type ProcessOutcome = { decision: Decision; endIds: string[]; reasons: Reason[] };

export type ProcessState = {
  format: typeof STATE_FORMAT;
  processId: string;
  ended: boolean;
  /** Tasks completed so far, in order: the source of a denial's reasons. */
  completed: CompletedTask[];
  /** End events reached so far and the outcome each stands for. */
  ends: { elementId: string; outcome: Decision }[];
  /** bpmn-engine's own state, with the definition it runs. */
  engine: JsonValue;
};

export type ProcessSnapshot = { state: ProcessState; waiting: WaitingTask[]; ended: boolean; outcome?: ProcessOutcome };

const STATE_FORMAT = 'egov-bpmn/1';

// The parts of bpmn-elements' objects the runner reads. Its own typings describe them loosely.
type Behaviour = { name?: string; nameEn?: string; role?: string; org?: string; kind?: string; outcome?: string; loopCharacteristics?: { behaviour?: { loopCardinality?: string } } };
type Api = {
  id: string;
  type: string;
  executionId: string;
  content: { isMultiInstance?: boolean; index?: number };
  environment: { output: Record<string, unknown> };
  owner: { behaviour: Behaviour; execution?: { getPostponed(): Api[] } };
  signal(message: unknown): void;
};
type Open = WaitingTask & { api: Api };
type Run = { engine: Engine; listener: EventEmitter; failure: unknown; ends: ProcessState['ends'] };

function prepare(extra: Record<string, unknown>): Run {
  const engine = new Engine({ name: 'egov-review', expressions: safeExpressions, scripts: noScripts, ...extra });
  const listener = new EventEmitter();
  const run: Run = { engine, listener, failure: undefined, ends: [] };
  engine.on('error', (err: unknown) => (run.failure = err));
  listener.on('activity.start', (api: Api) => {
    if (api.type !== 'bpmn:StartEvent') return;
    api.environment.output.allAgreed = true;
    api.environment.output.tasks = {};
  });
  listener.on('activity.end', (api: Api) => {
    if (api.type === 'bpmn:EndEvent') run.ends.push({ elementId: api.id, outcome: api.owner.behaviour.outcome === 'deny' ? 'deny' : 'approve' });
  });
  return run;
}

/** Checks the definition, starts it with the application's variables, and runs to the first waiting tasks. */
export async function startProcess(definitionXml: string, variables: { [key: string]: JsonValue } = {}): Promise<ProcessSnapshot> {
  const check = await checkDefinition(definitionXml);
  if (!check.ok) throw new ProcessDefinitionError(check.problems);
  const run = prepare({ moddleContext: check.parsed, variables: JSON.parse(JSON.stringify(variables)) });
  const execution = await run.engine.execute({ listener: run.listener });
  try {
    return await snapshot(run, { format: STATE_FORMAT, processId: check.processId, ended: false, completed: [], ends: [], engine: null });
  } finally {
    if (execution.isRunning) await run.engine.stop();
  }
}

/** Completes one waiting task with its officer's output and runs on to the next waiting tasks or the end. */
export async function completeTask(state: ProcessState, taskRef: string, output: TaskOutput): Promise<ProcessSnapshot> {
  assertState(state);
  if (state.ended) throw notWaiting(taskRef, true);
  return withResumed(state, async (run, open) => {
    const target = open.find((t) => t.ref === taskRef);
    if (!target) throw notWaiting(taskRef, false);
    const clean = checkOutput(target, output, state.completed);
    record(target, clean);
    target.api.signal({ ...clean });
    const { api: _api, instances: _n, ...task } = target;
    const next = await snapshot(run, { ...state, completed: [...state.completed, { ...task, ...clean }] });
    if (next.waiting.some((t) => t.ref === taskRef)) throw new Error(`review process: task ${taskRef} still waits after its signal`);
    return next;
  });
}

/** The snapshot of a stored state without changing it: its waiting tasks, or its outcome. */
export async function inspectProcess(state: ProcessState): Promise<ProcessSnapshot> {
  assertState(state);
  if (state.ended) return { state, waiting: [], ended: true, outcome: outcomeOf(state) };
  return withResumed(state, (run) => snapshot(run, state));
}

async function withResumed(state: ProcessState, step: (run: Run, open: Open[]) => Promise<ProcessSnapshot>): Promise<ProcessSnapshot> {
  const run = prepare({});
  run.engine.recover(JSON.parse(JSON.stringify(state.engine)));
  const execution = await run.engine.resume({ listener: run.listener });
  try {
    if (run.failure) throw engineFailure(run.failure);
    return await step(run, openTasks(execution.getPostponed() as unknown as Api[]));
  } finally {
    if (execution.isRunning) await run.engine.stop();
  }
}

async function snapshot(run: Run, base: ProcessState): Promise<ProcessSnapshot> {
  if (run.failure) throw engineFailure(run.failure);
  const execution = run.engine.execution;
  const ended = !execution.isRunning;
  const seen = new Set(base.ends.map((e) => e.elementId));
  const ends = [...base.ends, ...run.ends.filter((e) => !seen.has(e.elementId))];
  if (ended && ends.length === 0) throw new Error('review process: the engine finished without reaching an end event');
  const state: ProcessState = { ...base, ended, ends, engine: JSON.parse(JSON.stringify(execution.getState())) as JsonValue };
  const waiting = ended ? [] : openTasks(execution.getPostponed() as unknown as Api[]).map(({ api: _api, ...task }) => task);
  return { state, waiting, ended, ...(ended ? { outcome: outcomeOf(state) } : {}) };
}

function openTasks(postponed: Api[]): Open[] {
  const open: Open[] = [];
  for (const api of postponed) {
    if (api.type !== 'bpmn:UserTask') continue;
    const b = api.owner.behaviour;
    const loop = b.loopCharacteristics;
    const base = { elementId: api.id, name: { zh: b.name ?? api.id, en: b.nameEn ?? api.id }, role: b.role ?? '', org: b.org || 'lead', kind: kindOf(b.kind, Boolean(loop)) };
    if (!loop) {
      open.push({ ref: api.executionId, ...base, api });
      continue;
    }
    const instances = Number(loop.behaviour?.loopCardinality);
    for (const sub of api.owner.execution?.getPostponed() ?? []) {
      if (sub.content.isMultiInstance && sub.executionId !== api.executionId) open.push({ ref: sub.executionId, ...base, instance: (sub.content.index ?? 0) + 1, instances, api: sub });
    }
  }
  return open.sort((a, b) => a.elementId.localeCompare(b.elementId) || (a.instance ?? 0) - (b.instance ?? 0));
}

function kindOf(kind: string | undefined, multi: boolean): TaskKind {
  if (kind === 'review' || kind === 'countersign' || kind === 'decide') return kind;
  return multi ? 'countersign' : 'review';
}

// What gateway conditions read: environment.output.allAgreed (no opinion so far was "disagree")
// and environment.output.tasks.<elementId> (a countersign task's is a list, one per signer).
function record(target: Open, output: TaskOutput): void {
  const out = target.api.environment.output;
  const tasks = (out.tasks ??= {}) as Record<string, unknown>;
  if (target.instance === undefined) tasks[target.elementId] = output;
  else {
    const list = Array.isArray(tasks[target.elementId]) ? (tasks[target.elementId] as unknown[]) : [];
    list[target.instance - 1] = output;
    tasks[target.elementId] = list;
  }
  out.allAgreed = out.allAgreed !== false && output.opinion !== 'disagree';
}

function outcomeOf(state: ProcessState): ProcessOutcome {
  const decision: Decision = state.ends.some((e) => e.outcome === 'deny') ? 'deny' : 'approve';
  const reasons: Reason[] =
    decision === 'approve'
      ? []
      : state.completed
          .filter((t) => t.opinion === 'disagree' || t.decision === 'deny')
          .map((t) => ({ elementId: t.elementId, name: t.name, ...(t.instance ? { instance: t.instance } : {}), ...(t.by ? { by: t.by } : {}), comment: t.comment ?? '' }));
  return { decision, endIds: state.ends.map((e) => e.elementId), reasons };
}

function assertState(state: ProcessState): void {
  const ok = state !== null && typeof state === 'object' && state.format === STATE_FORMAT && typeof state.processId === 'string' && Array.isArray(state.completed) && Array.isArray(state.ends) && state.engine !== null && typeof state.engine === 'object';
  if (!ok) throw new Error(`review process: the stored state is not an ${STATE_FORMAT} state`);
}

function notWaiting(ref: string, ended: boolean): ConflictError {
  return ended
    ? new ConflictError('process_task_not_waiting', `Task ${ref} cannot be completed: the review process has already ended. Reload the application to see its outcome.`, `任务 ${ref} 无法办理：审查流程已经结束。请刷新申请查看办理结果。`)
    : new ConflictError('process_task_not_waiting', `Task ${ref} is not waiting: it was completed already or is not a task of this application. Reload the application to see its open tasks.`, `任务 ${ref} 不在待办状态：它已办理完毕，或不属于本申请。请刷新申请查看当前待办任务。`);
}

function engineFailure(failure: unknown): Error {
  const message = failure instanceof Error ? failure.message : String((failure as { message?: unknown })?.message ?? failure);
  return new Error(`review process failed in the engine: ${message}`);
}
