// The definition checker: the demo definitions pass and list their user tasks; definitions
// with parts the runner does not support are refused with problems in both languages.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkDefinition, type DefinitionProblem } from './definition-check.ts';
import { DEMO_PROCESS_CODES, readDemoDefinition } from './definitions.ts';
import { bpmn, ONE_TASK } from './test-helpers.ts';

async function problems(xml: string): Promise<DefinitionProblem[]> {
  const check = await checkDefinition(xml);
  assert.equal(check.ok, false, 'refused');
  if (check.ok) return [];
  for (const p of check.problems) {
    assert.ok(p.message.length > 10 && p.messageZh.length > 4, `${p.code} is explained in both languages`);
    assert.match(p.messageZh, /[\u4e00-\u9fff]/, `${p.code} has Chinese text`);
  }
  return check.problems;
}
const codes = async (xml: string) => (await problems(xml)).map((p) => (p.element ? `${p.code}@${p.element}` : p.code));

test('the four demo definitions pass and list their user tasks for display', async () => {
  for (const code of DEMO_PROCESS_CODES) {
    const check = await checkDefinition(await readDemoDefinition(code));
    assert.ok(check.ok, `${code}: ${check.ok ? '' : JSON.stringify(check.problems)}`);
    assert.equal(check.processId, code);
    assert.ok(check.name.zh && check.name.en);
    assert.deepEqual(check.ends.map((e) => e.outcome).sort(), ['approve', 'deny']);
  }
  const eia = await checkDefinition(await readDemoDefinition('eco.construction-eia-approval'));
  assert.ok(eia.ok);
  assert.deepEqual(
    eia.tasks.map((t) => ({ ...t, name: t.name.en })),
    [
      { elementId: 'technical-review', name: 'Technical review of the report', role: 'reviewer', org: 'lead', kind: 'review' },
      { elementId: 'land-use-review', name: 'Land use and ecological red line review', role: 'reviewer', org: 'joint:nr', kind: 'review' },
      { elementId: 'countersign', name: 'Countersignature by the leaders', role: 'leader', org: 'lead', kind: 'countersign', instances: 2, sequential: false },
      { elementId: 'decide', name: 'Decision', role: 'approver', org: 'lead', kind: 'decide' },
    ],
  );
});

test('a definition without a start or an end event is refused', async () => {
  assert.deepEqual(await codes(bpmn(`
    <userTask id="review" name="审查" egov:nameEn="Review" egov:role="reviewer" />
    <sequenceFlow id="f2" sourceRef="review" targetRef="end" />
    <endEvent id="end" egov:outcome="approve" />`)), ['start_count', 'no_incoming@review']);
  assert.deepEqual(await codes(bpmn(`
    <startEvent id="start" />
    <sequenceFlow id="f1" sourceRef="start" targetRef="review" />
    <userTask id="review" name="审查" egov:nameEn="Review" egov:role="reviewer" />`)), ['no_end', 'no_outgoing@review']);
});

test('a user task must name its role, both names, a valid organization and kind', async () => {
  assert.deepEqual(await codes(bpmn(ONE_TASK.replace(' egov:role="reviewer"', ''))), ['task_role@review']);
  assert.deepEqual(await codes(bpmn(ONE_TASK.replace('egov:role="reviewer"', 'egov:role="Reviewer!"'))), ['task_role@review']);
  assert.deepEqual(await codes(bpmn(ONE_TASK.replace(' egov:nameEn="Review"', ''))), ['task_name@review']);
  assert.deepEqual(await codes(bpmn(ONE_TASK.replace('egov:role="reviewer"', 'egov:role="reviewer" egov:org="nr"'))), ['task_org@review']);
  assert.deepEqual(await codes(bpmn(ONE_TASK.replace('egov:role="reviewer"', 'egov:role="reviewer" egov:kind="approve"'))), ['task_kind@review']);
  assert.deepEqual(await codes(bpmn(ONE_TASK.replace('egov:role="reviewer"', 'egov:role="reviewer" egov:kind="countersign"'))), ['task_kind@review'], 'a countersign is multi-instance');
  assert.deepEqual(await codes(bpmn(ONE_TASK.replace('egov:role="reviewer"', 'egov:rol="reviewer"'))), ['unknown_attribute@review', 'task_role@review']);
  const [missingRole] = await problems(bpmn(ONE_TASK.replace(' egov:role="reviewer"', '')));
  assert.match(missingRole.message, /User task review must say who does it: egov:role/);
  assert.match(missingRole.messageZh, /用户任务 review 须用 egov:role 指定办理角色/);
});

test('script tasks, service tasks, timers, sub-processes and data objects are refused, not ignored', async () => {
  const withElement = (element: string) =>
    bpmn(`
    <startEvent id="start" />
    <sequenceFlow id="f1" sourceRef="start" targetRef="x" />
    ${element}
    <sequenceFlow id="f2" sourceRef="x" targetRef="end" />
    <endEvent id="end" egov:outcome="approve" />`);
  assert.deepEqual(await codes(withElement('<scriptTask id="x" scriptFormat="javascript"><script>process.exit(1)</script></scriptTask>')), ['unsupported_element@x']);
  assert.deepEqual(await codes(withElement('<serviceTask id="x" implementation="${environment.services.fetch}" />')), ['unsupported_element@x']);
  assert.deepEqual(await codes(withElement('<intermediateCatchEvent id="x"><timerEventDefinition><timeDuration>PT1H</timeDuration></timerEventDefinition></intermediateCatchEvent>')), ['unsupported_element@x']);
  assert.deepEqual(await codes(withElement('<subProcess id="x" />')), ['unsupported_element@x']);
  assert.deepEqual(await codes(withElement('<task id="x" name="未指定" />')), ['unsupported_element@x']);
  const scriptProblem = (await problems(withElement('<scriptTask id="x" scriptFormat="javascript"><script>1</script></scriptTask>')))[0];
  assert.match(scriptProblem.message, /ScriptTask x is not supported/);
  assert.deepEqual(await codes(bpmn(ONE_TASK.replace('<startEvent id="start" />', '<startEvent id="start"><timerEventDefinition><timeDuration>PT1H</timeDuration></timerEventDefinition></startEvent>'))), ['unsupported_element@start']);
  assert.deepEqual(await codes(bpmn(ONE_TASK + '<dataObject id="data" />')), ['unsupported_element@data']);
});

test('end events must say their outcome', async () => {
  assert.deepEqual(await codes(bpmn(ONE_TASK.replace(' egov:outcome="approve"', ''))), ['end_outcome@end']);
  assert.deepEqual(await codes(bpmn(ONE_TASK.replace('egov:outcome="approve"', 'egov:outcome="maybe"'))), ['end_outcome@end']);
});

const gateway = (condition: string, attrs = '') => bpmn(`
    <startEvent id="start" />
    <sequenceFlow id="f1" sourceRef="start" targetRef="review" />
    <userTask id="review" name="审查" egov:nameEn="Review" egov:role="reviewer" />
    <sequenceFlow id="f2" sourceRef="review" targetRef="gw" />
    <exclusiveGateway id="gw" default="f-no" />
    <sequenceFlow id="f-yes" sourceRef="gw" targetRef="ok"><conditionExpression xsi:type="tFormalExpression" ${attrs}>${condition}</conditionExpression></sequenceFlow>
    <sequenceFlow id="f-no" sourceRef="gw" targetRef="no" />
    <endEvent id="ok" egov:outcome="approve" />
    <endEvent id="no" egov:outcome="deny" />`);

test('conditions are our expressions only: no script language, no function calls, no prototype walks', async () => {
  assert.equal((await checkDefinition(gateway('${environment.output.allAgreed}'))).ok, true);
  assert.equal((await checkDefinition(gateway("${environment.output.tasks.review.opinion == 'agree'}"))).ok, true);
  assert.deepEqual(await codes(gateway('next(null, true)', 'language="javascript"')), ['condition_expression@f-yes']);
  assert.deepEqual(await codes(gateway('${environment.output.allAgreed}', 'language="javascript"')), ['condition_expression@f-yes']);
  assert.deepEqual(await codes(gateway('${environment.services.exec(1)}')), ['condition_expression@f-yes']);
  assert.deepEqual(await codes(gateway('${environment.constructor.constructor}')), ['condition_expression@f-yes']);
  assert.deepEqual(await codes(gateway('${environment.output.__proto__}')), ['condition_expression@f-yes']);
  assert.deepEqual(await codes(gateway('${content.output}')), ['condition_expression@f-yes']);
});

test('exclusive gateways need a condition or a default on every way out', async () => {
  const xml = gateway('${environment.output.allAgreed}').replace(' default="f-no"', '');
  assert.deepEqual(await codes(xml), ['missing_condition@f-no']);
  const onTask = ONE_TASK.replace('<sequenceFlow id="f2" sourceRef="review" targetRef="end" />', '<sequenceFlow id="f2" sourceRef="review" targetRef="end"><conditionExpression xsi:type="tFormalExpression">${environment.output.allAgreed}</conditionExpression></sequenceFlow>');
  assert.deepEqual(await codes(bpmn(onTask)), ['condition_placement@f2']);
});

test('countersigning is a multi-instance user task with a plain number of signers', async () => {
  const sign = (loop: string) => bpmn(ONE_TASK.replace('<userTask id="review" name="审查" egov:nameEn="Review" egov:role="reviewer" />', `<userTask id="review" name="会签" egov:nameEn="Countersign" egov:role="leader">${loop}</userTask>`));
  const ok = await checkDefinition(sign('<multiInstanceLoopCharacteristics isSequential="true"><loopCardinality>3</loopCardinality></multiInstanceLoopCharacteristics>'));
  assert.ok(ok.ok);
  assert.deepEqual(ok.tasks[0], { elementId: 'review', name: { zh: '会签', en: 'Countersign' }, role: 'leader', org: 'lead', kind: 'countersign', instances: 3, sequential: true });
  assert.deepEqual(await codes(sign('<multiInstanceLoopCharacteristics />')), ['countersign_cardinality@review']);
  assert.deepEqual(await codes(sign('<multiInstanceLoopCharacteristics><loopCardinality>1</loopCardinality></multiInstanceLoopCharacteristics>')), ['countersign_cardinality@review']);
  assert.deepEqual(await codes(sign('<multiInstanceLoopCharacteristics><loopCardinality>${environment.variables.n}</loopCardinality></multiInstanceLoopCharacteristics>')), ['countersign_cardinality@review']);
  assert.deepEqual(await codes(sign('<multiInstanceLoopCharacteristics><loopCardinality>2</loopCardinality><completionCondition>${environment.output.allAgreed}</completionCondition></multiInstanceLoopCharacteristics>')), ['countersign_cardinality@review']);
  assert.deepEqual(await codes(sign('<standardLoopCharacteristics />')), ['unsupported_element@review']);
});

test('the shape: reachable, able to end, no loops, splits and joins by gateways', async () => {
  assert.deepEqual(await codes(bpmn(ONE_TASK + `
    <userTask id="orphan" name="孤立" egov:nameEn="Orphan" egov:role="reviewer" />
    <sequenceFlow id="f3" sourceRef="orphan" targetRef="end" />`)), ['no_incoming@orphan', 'unreachable@orphan']);
  assert.deepEqual(await codes(bpmn(`
    <startEvent id="start" />
    <sequenceFlow id="f1" sourceRef="start" targetRef="review" />
    <userTask id="review" name="审查" egov:nameEn="Review" egov:role="reviewer" />
    <sequenceFlow id="f2" sourceRef="review" targetRef="gw" />
    <exclusiveGateway id="gw" default="f-end" />
    <sequenceFlow id="f-back" sourceRef="gw" targetRef="join"><conditionExpression xsi:type="tFormalExpression">\${environment.output.allAgreed}</conditionExpression></sequenceFlow>
    <sequenceFlow id="f-end" sourceRef="gw" targetRef="end" />
    <exclusiveGateway id="join" />
    <sequenceFlow id="f0" sourceRef="join" targetRef="review" />
    <endEvent id="end" egov:outcome="approve" />`)), ['implicit_join@review', 'cycle@review']);
  assert.deepEqual(await codes(bpmn(`
    <startEvent id="start" />
    <sequenceFlow id="f1" sourceRef="start" targetRef="a" />
    <sequenceFlow id="f2" sourceRef="start" targetRef="b" />
    <userTask id="a" name="甲" egov:nameEn="A" egov:role="reviewer" />
    <userTask id="b" name="乙" egov:nameEn="B" egov:role="reviewer" />
    <sequenceFlow id="f3" sourceRef="a" targetRef="end" />
    <sequenceFlow id="f4" sourceRef="b" targetRef="end" />
    <endEvent id="end" egov:outcome="approve" />`)), ['implicit_split@start']);
});

test('what is not a single executable process of BPMN 2.0 is refused', async () => {
  assert.deepEqual(await codes('<definitions'), ['malformed']);
  assert.deepEqual(await codes('not xml at all'), ['malformed']);
  assert.deepEqual(await codes(bpmn(ONE_TASK).replace('isExecutable="true"', 'isExecutable="false"')), ['not_executable@p']);
  assert.deepEqual(await codes(bpmn(ONE_TASK, '')), ['process_name@p']);
  const two = bpmn(ONE_TASK).replace('</definitions>', '<process id="q" isExecutable="true" /></definitions>');
  assert.deepEqual(await codes(two), ['process_count']);
  assert.ok((await codes(bpmn(ONE_TASK.replace('<userTask id="review"', '<userTsk id="review"')))).includes('unrecognized'), 'a misspelt element is not silently dropped');
  assert.deepEqual(await codes(bpmn(ONE_TASK + `<!-- ${'x'.repeat(600 * 1024)} -->`)), ['too_large']);
});
