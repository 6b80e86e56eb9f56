// The definition checker: parses a BPMN 2.0 review process and says, in both languages, what
// keeps it from running here. Only what the runner supports passes: one executable process,
// one plain start event, plain end events that each say their outcome, user tasks that name
// their role, exclusive and parallel gateways, sequence flows with our conditions, no cycles.
// Anything else (script and service tasks, timers, messages, sub-processes, data objects) is
// refused rather than ignored, so a definition never does less than it appears to.
import BpmnModdle, { type ModdleElement, type ParseResult } from 'bpmn-moddle';
import { EGOV_BPMN_NS, egovModdlePackage, ORG_PATTERN, OUTCOMES, ROLE_PATTERN, TASK_KINDS, type Decision, type TaskKind } from './egov-moddle.ts';
import { parseCondition } from './expressions.ts';
import { checkGraph } from './definition-graph.ts';

export type Bilingual = { zh: string; en: string };
export type DefinitionProblem = { code: string; element?: string; message: string; messageZh: string };
export type DefinitionTask = {
  elementId: string;
  name: Bilingual;
  role: string;
  /** `lead` or `joint:<key>`. */
  org: string;
  kind: TaskKind;
  /** Countersigning: how many officers must each sign, and whether one after another. */
  instances?: number;
  sequential?: boolean;
};
export type CheckedDefinition = { processId: string; name: Bilingual; tasks: DefinitionTask[]; ends: { elementId: string; outcome: Decision }[] };
export type DefinitionCheck = ({ ok: true } & CheckedDefinition & { parsed: ParseResult }) | { ok: false; problems: DefinitionProblem[] };

/** Larger than any review process needs; keeps a pasted file from tying up the parser. */
export const MAX_DEFINITION_BYTES = 512 * 1024;
export const MAX_COUNTERSIGNERS = 20;

const SUPPORTED = new Set(['bpmn:StartEvent', 'bpmn:EndEvent', 'bpmn:UserTask', 'bpmn:ExclusiveGateway', 'bpmn:ParallelGateway', 'bpmn:SequenceFlow']);

export function newModdle(): BpmnModdle {
  return new BpmnModdle({ egov: egovModdlePackage });
}

type Add = (code: string, element: string | undefined, message: string, messageZh: string) => void;

export async function checkDefinition(xml: string): Promise<DefinitionCheck> {
  const problems: DefinitionProblem[] = [];
  const add: Add = (code, element, message, messageZh) => problems.push({ code, ...(element ? { element } : {}), message, messageZh });
  if (Buffer.byteLength(xml, 'utf8') > MAX_DEFINITION_BYTES) {
    add('too_large', undefined, `The definition is larger than ${MAX_DEFINITION_BYTES / 1024} KiB; a review process needs far less.`, `流程定义超过 ${MAX_DEFINITION_BYTES / 1024} KiB，审查流程不需要这么大。`);
    return { ok: false, problems };
  }
  let parsed: ParseResult;
  try {
    parsed = await newModdle().fromXML(xml.trim());
  } catch (err) {
    const detail = err instanceof Error ? err.message.split('\n')[0] : String(err);
    add('malformed', undefined, `The definition is not BPMN 2.0 XML (${detail}). Export it again from the modeler.`, `流程定义不是有效的 BPMN 2.0 XML（${detail}），请从建模工具重新导出。`);
    return { ok: false, problems };
  }
  const prefixes = egovPrefixes(parsed.rootElement);
  // Unknown egov attributes get our own, more helpful problem (unknownAttributes).
  const ours = (message: string) => prefixes.some((prefix) => message.startsWith(`unknown attribute <${prefix}:`));
  for (const w of parsed.warnings.filter((w) => !ours(w.message))) add('unrecognized', undefined, `The parser could not use part of the definition: ${w.message}. Remove or correct it.`, `解析器无法识别定义中的部分内容：${w.message}。请删除或更正。`);
  const processes = (asList(parsed.rootElement.rootElements)).filter((e) => e.$type === 'bpmn:Process');
  if (processes.length !== 1) {
    add('process_count', undefined, `The definition must hold exactly one process; it holds ${processes.length}.`, `流程定义须恰好包含一个流程，当前包含 ${processes.length} 个。`);
    return { ok: false, problems };
  }
  const checked = checkProcess(processes[0], prefixes, add);
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, ...checked, parsed };
}

function checkProcess(process: ModdleElement, prefixes: string[], add: Add): CheckedDefinition {
  const processId = String(process.id);
  if (process.isExecutable !== true) add('not_executable', processId, `Process ${processId} must be marked isExecutable="true".`, `流程 ${processId} 须标记 isExecutable="true"。`);
  const name = { zh: text(process.name), en: text(process.nameEn) };
  if (!name.zh || !name.en) add('process_name', processId, `Process ${processId} needs its name in Chinese (name) and English (egov:nameEn).`, `流程 ${processId} 须填写中文名称（name）和英文名称（egov:nameEn）。`);
  if (asList(process.laneSets).length > 0) add('unsupported_element', processId, 'Lanes are not supported: say who does a task with egov:role and egov:org.', '不支持泳道：请用 egov:role 和 egov:org 指定任务的办理人。');
  const elements = asList(process.flowElements);
  const tasks: DefinitionTask[] = [];
  const ends: CheckedDefinition['ends'] = [];
  for (const el of elements) {
    unknownAttributes(el, prefixes, add);
    if (!SUPPORTED.has(el.$type)) {
      add('unsupported_element', el.id, `${el.$type.replace('bpmn:', '')} ${el.id} is not supported in review processes; use user tasks, exclusive or parallel gateways and plain start and end events.`, `审查流程不支持 ${el.$type.replace('bpmn:', '')}（${el.id}）；请使用用户任务、排他或并行网关以及普通开始和结束事件。`);
      continue;
    }
    if ((el.$type === 'bpmn:StartEvent' || el.$type === 'bpmn:EndEvent') && asList(el.eventDefinitions).length > 0) {
      add('unsupported_element', el.id, `Event ${el.id} has an event definition (timer, message, ...); only plain start and end events are supported. Deadlines are kept by the statutory clock.`, `事件 ${el.id} 带有事件定义（定时、消息等）；只支持普通开始和结束事件，办理时限由法定时限计时器管理。`);
    }
    if (el.$type === 'bpmn:UserTask') {
      const task = checkUserTask(el, add);
      if (task) tasks.push(task);
    }
    if (el.$type === 'bpmn:EndEvent') {
      const outcome = text(el.outcome);
      if (!(OUTCOMES as readonly string[]).includes(outcome)) add('end_outcome', el.id, `End event ${el.id} must say its outcome: egov:outcome="approve" or "deny".`, `结束事件 ${el.id} 须注明结果：egov:outcome="approve"（准予）或 "deny"（不予）。`);
      else ends.push({ elementId: String(el.id), outcome: outcome as Decision });
    }
    if (el.$type === 'bpmn:SequenceFlow') checkFlowCondition(el, add);
  }
  checkGraph(elements, add);
  return { processId, name, tasks, ends };
}

function checkUserTask(el: ModdleElement, add: Add): DefinitionTask | undefined {
  const id = String(el.id);
  const before = { count: 0 };
  const bad: Add = (...args) => { before.count++; add(...args); };
  const name = { zh: text(el.name), en: text(el.nameEn) };
  if (!name.zh || !name.en) bad('task_name', id, `User task ${id} needs its name in Chinese (name) and English (egov:nameEn).`, `用户任务 ${id} 须填写中文名称（name）和英文名称（egov:nameEn）。`);
  const role = text(el.role);
  if (!ROLE_PATTERN.test(role)) bad('task_role', id, `User task ${id} must say who does it: egov:role, a lower-case name such as "reviewer".`, `用户任务 ${id} 须用 egov:role 指定办理角色，如 "reviewer"（小写字母、数字和下划线）。`);
  const org = text(el.org) || 'lead';
  if (!ORG_PATTERN.test(org)) bad('task_org', id, `egov:org of user task ${id} must be "lead" or "joint:<key>" (the joint organization's key, e.g. joint:nr).`, `用户任务 ${id} 的 egov:org 须为 "lead"（主办）或 "joint:<代号>"（协办单位代号，如 joint:nr）。`);
  for (const p of ['ioSpecification', 'dataInputAssociations', 'dataOutputAssociations', 'resources', 'boundaryEventRefs'] as const) {
    if (asList(el[p]).length > 0 || (el[p] && !Array.isArray(el[p]))) bad('unsupported_element', id, `User task ${id} uses ${p}, which review processes do not support.`, `用户任务 ${id} 使用了审查流程不支持的 ${p}。`);
  }
  const loop = el.loopCharacteristics as ModdleElement | undefined;
  const multi = loop ? checkLoop(id, loop, bad) : undefined;
  const kindText = text(el.kind) || (loop ? 'countersign' : 'review');
  if (!(TASK_KINDS as readonly string[]).includes(kindText)) bad('task_kind', id, `egov:kind of user task ${id} must be one of ${TASK_KINDS.join(', ')}.`, `用户任务 ${id} 的 egov:kind 须为 ${TASK_KINDS.join('、')} 之一。`);
  else if ((kindText === 'countersign') !== Boolean(loop)) bad('task_kind', id, `User task ${id}: a countersign task is a multi-instance task, and a multi-instance task is a countersign.`, `用户任务 ${id}：会签任务须为多实例任务，多实例任务须为会签任务。`);
  if (before.count > 0) return undefined;
  return { elementId: id, name, role, org, kind: kindText as TaskKind, ...multi };
}

function checkLoop(id: string, loop: ModdleElement, add: Add): { instances: number; sequential: boolean } | undefined {
  if (loop.$type !== 'bpmn:MultiInstanceLoopCharacteristics') {
    add('unsupported_element', id, `User task ${id} has a standard loop; only multi-instance countersigning is supported.`, `用户任务 ${id} 使用了标准循环；只支持多实例会签。`);
    return undefined;
  }
  const cardinality = text((loop.loopCardinality as ModdleElement | undefined)?.body);
  const n = /^[0-9]{1,2}$/.test(cardinality) ? Number(cardinality) : NaN;
  const extras = ['loopDataInputRef', 'inputDataItem', 'completionCondition', 'collection'].filter((p) => loop[p] !== undefined);
  if (!(n >= 2 && n <= MAX_COUNTERSIGNERS) || extras.length > 0) {
    add('countersign_cardinality', id, `Countersign task ${id} must give the number of signers as a plain loopCardinality from 2 to ${MAX_COUNTERSIGNERS}, with no collection or completion condition: every signer signs.`, `会签任务 ${id} 须以 loopCardinality 直接给出会签人数（2 至 ${MAX_COUNTERSIGNERS}），不得使用集合或完成条件：每位会签人都须签署。`);
    return undefined;
  }
  return { instances: n, sequential: loop.isSequential === true };
}

function checkFlowCondition(flow: ModdleElement, add: Add): void {
  const expr = flow.conditionExpression as ModdleElement | undefined;
  if (!expr) return;
  const source = flow.sourceRef as ModdleElement | undefined;
  const id = String(flow.id);
  if (source?.$type !== 'bpmn:ExclusiveGateway') add('condition_placement', id, `Sequence flow ${id} has a condition but does not leave an exclusive gateway; put the choice in an exclusive gateway.`, `顺序流 ${id} 带有条件但不是排他网关的出口；请用排他网关表达分支。`);
  const body = text(expr.body);
  if (expr.language !== undefined || !parseCondition(body)) {
    add('condition_expression', id, `The condition of sequence flow ${id} (${JSON.stringify(body.slice(0, 80))}) is not supported: write \${environment.output.<path>} or \${environment.variables.<path>}, optionally with == or != and a literal, and no script language.`, `顺序流 ${id} 的条件（${JSON.stringify(body.slice(0, 80))}）不受支持：请写成 \${environment.output.<路径>} 或 \${environment.variables.<路径>}，可用 == 或 != 与常量比较，不得使用脚本语言。`);
  }
}

function unknownAttributes(el: ModdleElement, prefixes: string[], add: Add): void {
  for (const key of Object.keys(el.$attrs ?? {})) {
    const [prefix, local] = key.includes(':') ? key.split(':') : ['', key];
    if (prefixes.includes(prefix)) add('unknown_attribute', el.id, `${el.id} has an unknown egov attribute ${local}; the vocabulary is role, org, kind, nameEn (user tasks), outcome (end events), nameEn (the process).`, `${el.id} 带有未知的 egov 属性 ${local}；可用属性为 role、org、kind、nameEn（用户任务），outcome（结束事件），nameEn（流程）。`);
  }
}

function egovPrefixes(root: ModdleElement): string[] {
  return Object.entries(root.$attrs ?? {}).filter(([k, v]) => k.startsWith('xmlns:') && v === EGOV_BPMN_NS).map(([k]) => k.slice(6));
}

export function asList(value: unknown): ModdleElement[] {
  return Array.isArray(value) ? (value as ModdleElement[]) : [];
}

function text(value: unknown): string {
  return typeof value === 'string' ? value.trim() : '';
}
