// Test helpers: each step goes through JSON text and nothing else, as a restart would (the
// application service keeps only the stored state), and small definitions are built inline.
import { completeTask, type ProcessSnapshot, type ProcessState, type TaskOutput, type WaitingTask } from './runner.ts';

export const AGREE: TaskOutput = { opinion: 'agree' };
export const APPROVE: TaskOutput = { decision: 'approve' };

/** Stores the state as text, forgets everything else, and completes one task from the text alone. */
export async function stepFromJson(snapshot: ProcessSnapshot, pick: (t: WaitingTask) => boolean, output: TaskOutput): Promise<ProcessSnapshot> {
  const task = snapshot.waiting.find(pick);
  if (!task) throw new Error(`no waiting task matches; waiting: ${snapshot.waiting.map((t) => t.ref).join(', ')}`);
  const stored = JSON.stringify(snapshot.state);
  return completeTask(JSON.parse(stored) as ProcessState, task.ref, output);
}

export const byElement = (elementId: string, instance?: number) => (t: WaitingTask) => t.elementId === elementId && (instance === undefined || t.instance === instance);

export function waitingIds(snapshot: ProcessSnapshot): string[] {
  return snapshot.waiting.map((t) => (t.instance ? `${t.elementId}#${t.instance}` : t.elementId));
}

/** Completes every waiting task with agreement (decisions approve) until the process ends. */
export async function runToEnd(snapshot: ProcessSnapshot, outputFor: (t: WaitingTask) => TaskOutput = (t) => (t.kind === 'decide' ? APPROVE : AGREE)): Promise<ProcessSnapshot> {
  let s = snapshot;
  for (let guard = 0; !s.ended; guard++) {
    if (guard > 50) throw new Error('the process did not end');
    const next = s.waiting[0];
    s = await stepFromJson(s, (t) => t.ref === next.ref, outputFor(next));
  }
  return s;
}

export function bpmn(processBody: string, processAttrs = 'name="测试" egov:nameEn="Test"'): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:egov="https://egov.example/bpmn" id="d" targetNamespace="https://egov.example/test">
  <process id="p" isExecutable="true" ${processAttrs}>
${processBody}
  </process>
</definitions>`;
}

/** start → one review task → end (approve). */
export const ONE_TASK = `
    <startEvent id="start" />
    <sequenceFlow id="f1" sourceRef="start" targetRef="review" />
    <userTask id="review" name="审查" egov:nameEn="Review" egov:role="reviewer" />
    <sequenceFlow id="f2" sourceRef="review" targetRef="end" />
    <endEvent id="end" egov:outcome="approve" />`;
