// The review process runner over bpmn-engine with the four demo definitions: approve and deny
// paths, parallel branches, countersigning, stale tasks, and recovery from the stored JSON alone
// after every step.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConflictError, ValidationError } from '../../../platform/errors.ts';
import { readDemoDefinition } from './definitions.ts';
import { completeTask, inspectProcess, ProcessDefinitionError, startProcess, type ProcessSnapshot } from './runner.ts';
import { AGREE, APPROVE, bpmn, byElement, ONE_TASK, runToEnd, stepFromJson, waitingIds } from './test-helpers.ts';

const DISAGREE = (comment: string) => ({ opinion: 'disagree' as const, comment });

test('individual business registration: review then decision, approved', async () => {
  let s = await startProcess(await readDemoDefinition('amr.individual-business-registration'));
  assert.deepEqual(waitingIds(s), ['review']);
  assert.deepEqual(s.waiting[0].name, { zh: '登记审查', en: 'Registration review' });
  assert.equal(s.waiting[0].role, 'reviewer');
  assert.equal(s.waiting[0].org, 'lead');
  assert.equal(s.waiting[0].kind, 'review');
  assert.equal(s.ended, false);
  assert.equal(s.outcome, undefined);
  s = await stepFromJson(s, byElement('review'), { ...AGREE, by: 'officer-1' });
  assert.deepEqual(waitingIds(s), ['decide']);
  assert.equal(s.waiting[0].kind, 'decide');
  s = await stepFromJson(s, byElement('decide'), { ...APPROVE, by: 'officer-2' });
  assert.equal(s.ended, true);
  assert.deepEqual(s.waiting, []);
  assert.deepEqual(s.outcome, { decision: 'approve', endIds: ['approved'], reasons: [] });
  assert.deepEqual(s.state.completed.map((c) => [c.elementId, c.opinion ?? c.decision, c.by]), [['review', 'agree', 'officer-1'], ['decide', 'approve', 'officer-2']]);
});

test('individual business registration: a disagreeing review denies at once, with its reason; a denying decision too', async () => {
  const xml = await readDemoDefinition('amr.individual-business-registration');
  const s = await stepFromJson(await startProcess(xml), byElement('review'), { ...DISAGREE('经营场所证明与登记地址不符'), by: 'officer-1' });
  assert.equal(s.ended, true);
  assert.deepEqual(s.outcome, { decision: 'deny', endIds: ['denied'], reasons: [{ elementId: 'review', name: { zh: '登记审查', en: 'Registration review' }, by: 'officer-1', comment: '经营场所证明与登记地址不符' }] });

  let d = await stepFromJson(await startProcess(xml), byElement('review'), AGREE);
  d = await stepFromJson(d, byElement('decide'), { decision: 'deny', comment: '名称与已登记字号相同' });
  assert.equal(d.outcome?.decision, 'deny');
  assert.deepEqual(d.outcome?.reasons.map((r) => [r.elementId, r.comment]), [['decide', '名称与已登记字号相同']]);
});

test('residence permit: the police station verifies, then approval; an unverified residence is denied', async () => {
  const xml = await readDemoDefinition('psb.residence-permit');
  const started = await startProcess(xml);
  assert.deepEqual(waitingIds(started), ['verify']);
  assert.equal(started.waiting[0].role, 'reviewer');
  const approved = await runToEnd(started);
  assert.deepEqual(approved.outcome, { decision: 'approve', endIds: ['approved'], reasons: [] });
  assert.deepEqual(approved.state.completed.map((c) => c.elementId), ['verify', 'decide']);

  const denied = await stepFromJson(await startProcess(xml), byElement('verify'), DISAGREE('经核查，申请人未在该地址居住'));
  assert.equal(denied.outcome?.decision, 'deny');
  assert.equal(denied.outcome?.reasons[0].comment, '经核查，申请人未在该地址居住');
});

test('social security card: both parallel checks are required before the decision', async () => {
  const xml = await readDemoDefinition('hrss.social-security-card');
  let s = await stepFromJson(await startProcess(xml), byElement('review'), AGREE);
  assert.deepEqual(waitingIds(s), ['data-check', 'photo-check']);
  assert.equal(s.waiting.find((t) => t.elementId === 'photo-check')?.role, 'reviewer');
  s = await stepFromJson(s, byElement('photo-check'), AGREE);
  assert.deepEqual(waitingIds(s), ['data-check'], 'the decision waits for the data check');
  s = await stepFromJson(s, byElement('data-check'), AGREE);
  assert.deepEqual(waitingIds(s), ['decide']);
  s = await stepFromJson(s, byElement('decide'), APPROVE);
  assert.deepEqual(s.outcome, { decision: 'approve', endIds: ['approved'], reasons: [] });
});

test('social security card: a failed photo check still waits for the data check, then denies with every reason', async () => {
  const xml = await readDemoDefinition('hrss.social-security-card');
  let s = await stepFromJson(await startProcess(xml), byElement('review'), AGREE);
  s = await stepFromJson(s, byElement('photo-check'), DISAGREE('照片背景不是白色'));
  assert.equal(s.ended, false);
  assert.deepEqual(waitingIds(s), ['data-check']);
  s = await stepFromJson(s, byElement('data-check'), DISAGREE('参保状态为暂停'));
  assert.equal(s.ended, true);
  assert.equal(s.outcome?.decision, 'deny');
  assert.deepEqual(s.outcome?.reasons.map((r) => [r.elementId, r.comment]), [['photo-check', '照片背景不是白色'], ['data-check', '参保状态为暂停']]);
  assert.ok(!s.state.completed.some((c) => c.elementId === 'decide'), 'no decision step after a disagreement');
});

test('construction EIA: joint review by two organizations, countersigning by two leaders, then the decision', async () => {
  let s = await startProcess(await readDemoDefinition('eco.construction-eia-approval'), { projectCode: 'EIA-2026-0001' });
  assert.deepEqual(s.waiting.map((t) => [t.elementId, t.org]), [['land-use-review', 'joint:nr'], ['technical-review', 'lead']]);
  s = await stepFromJson(s, byElement('land-use-review'), { ...AGREE, by: 'nr-officer' });
  assert.deepEqual(waitingIds(s), ['technical-review']);
  s = await stepFromJson(s, byElement('technical-review'), { ...AGREE, by: 'eco-officer' });
  assert.deepEqual(waitingIds(s), ['countersign#1', 'countersign#2']);
  for (const t of s.waiting) assert.deepEqual([t.kind, t.role, t.org, t.instances], ['countersign', 'leader', 'lead', 2]);
  s = await stepFromJson(s, byElement('countersign', 2), { ...AGREE, by: 'leader-b' });
  assert.deepEqual(waitingIds(s), ['countersign#1'], 'the decision waits for every countersignature');
  await assert.rejects(stepFromJson(s, byElement('countersign', 1), { ...AGREE, by: 'leader-b' }), (err: unknown) => err instanceof ConflictError && err.code === 'process_countersign_same_officer' && /different officer/.test(err.message) && /不同的办理人/.test(err.messageZh ?? ''));
  s = await stepFromJson(s, byElement('countersign', 1), { ...AGREE, by: 'leader-a' });
  assert.deepEqual(waitingIds(s), ['decide']);
  s = await stepFromJson(s, byElement('decide'), { ...APPROVE, by: 'director' });
  assert.deepEqual(s.outcome, { decision: 'approve', endIds: ['approved'], reasons: [] });
  assert.deepEqual(s.state.completed.map((c) => (c.instance ? `${c.elementId}#${c.instance}` : c.elementId)), ['land-use-review', 'technical-review', 'countersign#2', 'countersign#1', 'decide']);
});

test('construction EIA: one leader disagreeing denies after both have signed; a joint department disagreeing denies before countersigning', async () => {
  const xml = await readDemoDefinition('eco.construction-eia-approval');
  let s = await startProcess(xml);
  s = await stepFromJson(s, byElement('technical-review'), AGREE);
  s = await stepFromJson(s, byElement('land-use-review'), AGREE);
  s = await stepFromJson(s, byElement('countersign', 1), { ...DISAGREE('项目位于生态保护红线缓冲区，需补充论证'), by: 'leader-a' });
  assert.equal(s.ended, false, 'the other leader still signs');
  s = await stepFromJson(s, byElement('countersign', 2), { ...AGREE, by: 'leader-b' });
  assert.equal(s.outcome?.decision, 'deny');
  assert.deepEqual(s.outcome?.reasons, [{ elementId: 'countersign', name: { zh: '领导会签', en: 'Countersignature by the leaders' }, instance: 1, by: 'leader-a', comment: '项目位于生态保护红线缓冲区，需补充论证' }]);

  let j = await startProcess(xml);
  j = await stepFromJson(j, byElement('land-use-review'), DISAGREE('占用永久基本农田'));
  j = await stepFromJson(j, byElement('technical-review'), AGREE);
  assert.equal(j.outcome?.decision, 'deny');
  assert.deepEqual(j.outcome?.reasons.map((r) => r.elementId), ['land-use-review']);
  assert.ok(!j.state.completed.some((c) => c.elementId === 'countersign'));

  const denied = await runToEnd(await startProcess(xml), (t) => (t.kind === 'decide' ? { decision: 'deny', comment: '不符合区域环境准入清单' } : AGREE));
  assert.deepEqual(denied.outcome?.reasons.map((r) => [r.elementId, r.comment]), [['decide', '不符合区域环境准入清单']]);
});

test('a completed, unknown or ended task is refused as stale, with a clear bilingual error', async () => {
  const xml = await readDemoDefinition('amr.individual-business-registration');
  const start = await startProcess(xml);
  const reviewRef = start.waiting[0].ref;
  const afterReview = await completeTask(start.state, reviewRef, AGREE);
  const stale = (err: unknown) => err instanceof ConflictError && err.code === 'process_task_not_waiting' && err.message.includes(reviewRef) && /Reload the application/.test(err.message) && (err.messageZh ?? '').includes('刷新');
  await assert.rejects(completeTask(afterReview.state, reviewRef, AGREE), stale, 'completed already');
  await assert.rejects(completeTask(afterReview.state, 'no-such-task', AGREE), (err: unknown) => err instanceof ConflictError && err.code === 'process_task_not_waiting');
  const ended = await completeTask(afterReview.state, afterReview.waiting[0].ref, APPROVE);
  await assert.rejects(completeTask(ended.state, afterReview.waiting[0].ref, APPROVE), (err: unknown) => err instanceof ConflictError && /already ended/.test(err.message) && (err.messageZh ?? '').includes('已经结束'));
  // The refused calls changed nothing: the stored state still completes normally.
  assert.equal(ended.outcome?.decision, 'approve');
});

test('an output that does not fit the task is refused field by field', async () => {
  const s = await startProcess(await readDemoDefinition('amr.individual-business-registration'));
  const ref = s.waiting[0].ref;
  const fields = async (output: unknown) => {
    try {
      await completeTask(s.state, ref, output as never);
    } catch (err) {
      assert.ok(err instanceof ValidationError);
      return err.errors.map((e) => `${e.field}:${e.code}`);
    }
    assert.fail('accepted');
  };
  assert.deepEqual(await fields({}), ['opinion:enum']);
  assert.deepEqual(await fields({ opinion: 'disagree' }), ['comment:required'], 'a disagreement gives its reason');
  assert.deepEqual(await fields({ opinion: 'agree', decision: 'approve' }), ['decision:unexpected']);
  assert.deepEqual(await fields({ opinion: 'agree', script: 'x' }), ['script:unknown']);
  assert.deepEqual(await fields({ opinion: 'agree', comment: 'x'.repeat(2001) }), ['comment:type']);
  assert.deepEqual(await fields(null), ['output:type']);
  const decide = await completeTask(s.state, ref, AGREE);
  const decideFields = async (output: unknown) => {
    const err = await completeTask(decide.state, decide.waiting[0].ref, output as never).then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof ValidationError, 'refused');
    return err.errors.map((e) => `${e.field}:${e.code}`);
  };
  assert.deepEqual(await decideFields({ opinion: 'agree' }), ['decision:enum', 'opinion:unexpected']);
  assert.deepEqual(await decideFields({ decision: 'deny', comment: '  ' }), ['comment:required']);
});

test('the stored state is plain JSON after every step, and a fresh call resumes from it alone', async () => {
  let s: ProcessSnapshot = await startProcess(await readDemoDefinition('eco.construction-eia-approval'));
  for (let step = 0; !s.ended; step++) {
    const text = JSON.stringify(s.state);
    assert.deepEqual(JSON.parse(text), s.state, `step ${step}: nothing is lost in JSON`);
    // A "restart": only the text survives. Inspecting it shows the same open tasks.
    const inspected = await inspectProcess(JSON.parse(text));
    assert.deepEqual(inspected.waiting, s.waiting);
    const task = s.waiting[s.waiting.length - 1];
    s = await completeTask(JSON.parse(text), task.ref, task.kind === 'decide' ? APPROVE : { ...AGREE, by: `officer-${step}` });
  }
  assert.equal(s.outcome?.decision, 'approve');
  const final = await inspectProcess(JSON.parse(JSON.stringify(s.state)));
  assert.deepEqual(final.outcome, s.outcome);
});

test('the same stored state completed twice gives two independent results (the caller serializes writers)', async () => {
  const s = await startProcess(await readDemoDefinition('hrss.social-security-card'));
  const text = JSON.stringify(s.state);
  const a = await completeTask(JSON.parse(text), s.waiting[0].ref, AGREE);
  const b = await completeTask(JSON.parse(text), s.waiting[0].ref, DISAGREE('材料不全'));
  assert.deepEqual(waitingIds(a), ['data-check', 'photo-check']);
  assert.equal(b.outcome?.decision, 'deny');
});

test('conditions read the application variables given at the start', async () => {
  const xml = bpmn(`
    <startEvent id="start" />
    <sequenceFlow id="f1" sourceRef="start" targetRef="route" />
    <exclusiveGateway id="route" default="f-normal" />
    <sequenceFlow id="f-fast" sourceRef="route" targetRef="join"><conditionExpression xsi:type="tFormalExpression">\${environment.variables.applicantKind == 'enterprise'}</conditionExpression></sequenceFlow>
    <sequenceFlow id="f-normal" sourceRef="route" targetRef="review" />
    <userTask id="review" name="审查" egov:nameEn="Review" egov:role="reviewer" />
    <sequenceFlow id="f2" sourceRef="review" targetRef="join" />
    <exclusiveGateway id="join" />
    <sequenceFlow id="f3" sourceRef="join" targetRef="decide" />
    <userTask id="decide" name="决定" egov:nameEn="Decision" egov:role="approver" egov:kind="decide" />
    <sequenceFlow id="f4" sourceRef="decide" targetRef="end" />
    <endEvent id="end" egov:outcome="approve" />`);
  assert.deepEqual(waitingIds(await startProcess(xml, { applicantKind: 'enterprise' })), ['decide']);
  assert.deepEqual(waitingIds(await startProcess(xml, { applicantKind: 'person' })), ['review']);
});

test('a refused definition does not start, and says what is wrong in both languages', async () => {
  const bad = bpmn(ONE_TASK.replace(' egov:role="reviewer"', ''));
  const err = await startProcess(bad).then(() => undefined, (e: unknown) => e);
  assert.ok(err instanceof ProcessDefinitionError);
  assert.equal(err.code, 'process_definition_invalid');
  assert.deepEqual(err.errors?.map((e) => [e.field, e.code]), [['definition/review', 'task_role']]);
  assert.match(err.message, /egov:role/);
  assert.match(err.messageZh ?? '', /办理角色/);
});

test('a stored state that is not ours is refused before the engine sees it', async () => {
  await assert.rejects(completeTask({ format: 'other' } as never, 'x', AGREE), /not an egov-bpmn\/1 state/);
  await assert.rejects(inspectProcess(null as never), /not an egov-bpmn\/1 state/);
});

test('timing: one completeTask (recover, signal, take the state) on the EIA definition', async (t) => {
  const s = await startProcess(await readDemoDefinition('eco.construction-eia-approval'));
  const text = JSON.stringify(s.state);
  const ref = s.waiting.find((w) => w.elementId === 'technical-review')!.ref;
  for (let i = 0; i < 10; i++) await completeTask(JSON.parse(text), ref, AGREE);
  const times: number[] = [];
  for (let i = 0; i < 50; i++) {
    const t0 = performance.now();
    await completeTask(JSON.parse(text), ref, AGREE);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const median = times[25];
  t.diagnostic(`completeTask on the EIA definition: median ${median.toFixed(1)} ms, p90 ${times[45].toFixed(1)} ms, state ${text.length} bytes`);
  assert.ok(median < 250, `median ${median} ms`);
});

test('sequential countersigning: one signer at a time, each must sign', async () => {
  const xml = bpmn(ONE_TASK.replace('<userTask id="review" name="审查" egov:nameEn="Review" egov:role="reviewer" />', `<userTask id="review" name="会签" egov:nameEn="Countersign" egov:role="leader">
      <multiInstanceLoopCharacteristics isSequential="true"><loopCardinality>3</loopCardinality></multiInstanceLoopCharacteristics>
    </userTask>`));
  let s = await startProcess(xml);
  assert.deepEqual(waitingIds(s), ['review#1']);
  assert.equal(s.waiting[0].instances, 3);
  s = await stepFromJson(s, byElement('review', 1), { ...AGREE, by: 'a' });
  assert.deepEqual(waitingIds(s), ['review#2']);
  s = await stepFromJson(s, byElement('review', 2), { ...AGREE, by: 'b' });
  assert.deepEqual(waitingIds(s), ['review#3']);
  s = await stepFromJson(s, byElement('review', 3), { ...AGREE, by: 'c' });
  assert.equal(s.outcome?.decision, 'approve');
});

test('documentation and the modeler\'s diagram elements do not get in the way', async () => {
  const xml = bpmn(ONE_TASK.replace('<userTask id="review" name="审查" egov:nameEn="Review" egov:role="reviewer" />', '<userTask id="review" name="审查" egov:nameEn="Review" egov:role="reviewer"><documentation>核对材料</documentation></userTask>')).replace(
    '</definitions>',
    `<bpmndi:BPMNDiagram xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" id="diagram"><bpmndi:BPMNPlane id="plane" bpmnElement="p"><bpmndi:BPMNShape id="s-review" bpmnElement="review"><dc:Bounds x="100" y="80" width="100" height="80" /></bpmndi:BPMNShape></bpmndi:BPMNPlane></bpmndi:BPMNDiagram></definitions>`,
  );
  const s = await runToEnd(await startProcess(xml));
  assert.equal(s.outcome?.decision, 'approve');
});

test('an engine failure (no way out of a gateway) is thrown, not stored', async () => {
  const xml = bpmn(`
    <startEvent id="start" />
    <sequenceFlow id="f1" sourceRef="start" targetRef="route" />
    <exclusiveGateway id="route" />
    <sequenceFlow id="f-a" sourceRef="route" targetRef="end"><conditionExpression xsi:type="tFormalExpression">\${environment.variables.kind == 'a'}</conditionExpression></sequenceFlow>
    <sequenceFlow id="f-b" sourceRef="route" targetRef="end"><conditionExpression xsi:type="tFormalExpression">\${environment.variables.kind == 'b'}</conditionExpression></sequenceFlow>
    <endEvent id="end" egov:outcome="approve" />`);
  assert.equal((await startProcess(xml, { kind: 'a' })).outcome?.decision, 'approve', 'a process may end without any task');
  await assert.rejects(startProcess(xml, { kind: 'c' }), /review process failed in the engine: .*no conditional flow taken/);
});
