// The shape rules of a review process, over its nodes and sequence flows: one start, at least
// one end, everything reachable from the start and able to reach an end, no cycles (each step
// runs at most once, so the log of completed tasks is keyed by step), splits and joins made by
// gateways rather than by tasks, and every way out of an exclusive gateway either conditional
// or its default.
import type { ModdleElement } from 'bpmn-moddle';

type Add = (code: string, element: string | undefined, message: string, messageZh: string) => void;
// Unsupported flow nodes (already refused by type) stay in the graph, so their flows do not
// show up as broken too.
const NOT_NODES = new Set(['bpmn:SequenceFlow', 'bpmn:DataObject', 'bpmn:DataObjectReference', 'bpmn:DataStoreReference']);

export function checkGraph(elements: ModdleElement[], add: Add): void {
  const nodes = elements.filter((e) => !NOT_NODES.has(e.$type));
  const flows = elements.filter((e) => e.$type === 'bpmn:SequenceFlow');
  const out = new Map<string, ModdleElement[]>(nodes.map((n) => [String(n.id), []]));
  const incoming = new Map<string, ModdleElement[]>(nodes.map((n) => [String(n.id), []]));
  for (const f of flows) {
    const from = (f.sourceRef as ModdleElement | undefined)?.id;
    const to = (f.targetRef as ModdleElement | undefined)?.id;
    if (!from || !to || !out.has(from) || !incoming.has(to)) {
      add('flow_ends', String(f.id), `Sequence flow ${f.id} must connect two elements of the process.`, `顺序流 ${f.id} 须连接流程中的两个元素。`);
      continue;
    }
    out.get(from)!.push(f);
    incoming.get(to)!.push(f);
  }
  const starts = nodes.filter((n) => n.$type === 'bpmn:StartEvent');
  if (starts.length !== 1) add('start_count', undefined, `A review process has exactly one start event; this one has ${starts.length}.`, `审查流程须恰好有一个开始事件，当前有 ${starts.length} 个。`);
  if (!nodes.some((n) => n.$type === 'bpmn:EndEvent')) add('no_end', undefined, 'A review process needs at least one end event (egov:outcome="approve" or "deny").', '审查流程须至少有一个结束事件（egov:outcome="approve" 或 "deny"）。');
  for (const n of nodes) degreeRules(n, out.get(String(n.id))!, incoming.get(String(n.id))!, add);
  if (starts.length === 1) reachability(String(starts[0].id), nodes, out, incoming, add);
  const cycle = findCycle(nodes, out);
  if (cycle) add('cycle', cycle, `The process loops back through ${cycle}; review processes run each step at most once. Send the application back for correction outside the process.`, `流程经 ${cycle} 形成循环；审查流程中每个环节至多办理一次，补正材料请在流程之外退回。`);
}

function degreeRules(n: ModdleElement, out: ModdleElement[], inc: ModdleElement[], add: Add): void {
  const id = String(n.id);
  if (n.$type !== 'bpmn:StartEvent' && inc.length === 0) add('no_incoming', id, `${id} has no incoming sequence flow, so it never runs.`, `${id} 没有流入的顺序流，永远不会执行。`);
  if (n.$type === 'bpmn:StartEvent' && inc.length > 0) add('start_incoming', id, `Start event ${id} cannot have incoming sequence flows.`, `开始事件 ${id} 不能有流入的顺序流。`);
  if (n.$type !== 'bpmn:EndEvent' && out.length === 0) add('no_outgoing', id, `${id} has no outgoing sequence flow; lead it to an end event.`, `${id} 没有流出的顺序流，请连到结束事件。`);
  if (n.$type === 'bpmn:EndEvent' && out.length > 0) add('end_outgoing', id, `End event ${id} cannot have outgoing sequence flows.`, `结束事件 ${id} 不能有流出的顺序流。`);
  if ((n.$type === 'bpmn:UserTask' || n.$type === 'bpmn:StartEvent') && out.length > 1) add('implicit_split', id, `${id} has ${out.length} outgoing flows; split with a parallel or exclusive gateway instead.`, `${id} 有 ${out.length} 条流出的顺序流；请改用并行或排他网关分支。`);
  if (n.$type === 'bpmn:UserTask' && inc.length > 1) add('implicit_join', id, `User task ${id} has ${inc.length} incoming flows; join them with a gateway first.`, `用户任务 ${id} 有 ${inc.length} 条流入的顺序流；请先用网关汇合。`);
  if (n.$type === 'bpmn:ExclusiveGateway' && out.length > 1) {
    const dflt = (n.default as ModdleElement | undefined)?.id;
    for (const f of out) {
      const conditional = Boolean(f.conditionExpression);
      if (f.id === dflt && conditional) add('default_condition', String(f.id), `Sequence flow ${f.id} is the default of ${id} and cannot also have a condition.`, `顺序流 ${f.id} 是 ${id} 的默认出口，不能再带条件。`);
      if (f.id !== dflt && !conditional) add('missing_condition', String(f.id), `Sequence flow ${f.id} leaves exclusive gateway ${id} without a condition; give it one or make it the gateway's default.`, `顺序流 ${f.id} 从排他网关 ${id} 流出但没有条件；请加上条件或设为该网关的默认出口。`);
    }
  }
}

function reachability(start: string, nodes: ModdleElement[], out: Map<string, ModdleElement[]>, inc: Map<string, ModdleElement[]>, add: Add): void {
  const forward = walk(start, (id) => (out.get(id) ?? []).map((f) => String((f.targetRef as ModdleElement).id)));
  const ends = nodes.filter((n) => n.$type === 'bpmn:EndEvent').map((n) => String(n.id));
  const backward = new Set<string>();
  for (const end of ends) for (const id of walk(end, (x) => (inc.get(x) ?? []).map((f) => String((f.sourceRef as ModdleElement).id)))) backward.add(id);
  for (const n of nodes) {
    const id = String(n.id);
    if (!forward.has(id)) add('unreachable', id, `${id} cannot be reached from the start event.`, `从开始事件无法到达 ${id}。`);
    else if (ends.length > 0 && !backward.has(id)) add('dead_end', id, `From ${id} no end event can be reached.`, `从 ${id} 无法到达任何结束事件。`);
  }
}

function walk(from: string, next: (id: string) => string[]): Set<string> {
  const seen = new Set<string>([from]);
  const stack = [from];
  while (stack.length > 0) for (const id of next(stack.pop()!)) if (!seen.has(id)) (seen.add(id), stack.push(id));
  return seen;
}

function findCycle(nodes: ModdleElement[], out: Map<string, ModdleElement[]>): string | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const visit = (id: string): string | undefined => {
    state.set(id, 'open');
    for (const f of out.get(id) ?? []) {
      const to = String((f.targetRef as ModdleElement).id);
      if (state.get(to) === 'open') return to;
      if (!state.has(to)) {
        const found = visit(to);
        if (found) return found;
      }
    }
    state.set(id, 'done');
    return undefined;
  };
  for (const n of nodes) {
    if (state.has(String(n.id))) continue;
    const found = visit(String(n.id));
    if (found) return found;
  }
  return undefined;
}
