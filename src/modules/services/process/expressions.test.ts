// Our condition expressions: one lookup of the process's output or variables, optionally
// compared with a literal; nothing that calls a function or walks to a prototype.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evaluateCondition, noScripts, parseCondition, safeExpressions } from './expressions.ts';

const scope = { output: { allAgreed: true, tasks: { decide: { decision: 'approve' }, sign: [{ opinion: 'agree' }, { opinion: 'disagree' }] } }, variables: { kind: 'enterprise', count: 2 } };
const evaluate = (text: string) => {
  const c = parseCondition(text);
  assert.ok(c, `${text} parses`);
  return evaluateCondition(c, scope);
};

test('a condition reads one value and may compare it with a literal', () => {
  assert.equal(evaluate('${environment.output.allAgreed}'), true);
  assert.equal(evaluate('${ !environment.output.allAgreed }'), false);
  assert.equal(evaluate("${environment.output.tasks.decide.decision == 'approve'}"), true);
  assert.equal(evaluate('${environment.output.tasks.decide.decision != "approve"}'), false);
  assert.equal(evaluate("${environment.output.tasks.sign.1.opinion == 'disagree'}"), true);
  assert.equal(evaluate('${environment.variables.count == 2}'), true);
  assert.equal(evaluate('${environment.variables.missing == null}'), true, 'a missing value compares as null');
  assert.equal(evaluate('${environment.variables.missing.deeper}'), undefined);
});

test('anything else is not a condition', () => {
  for (const text of [
    '${environment.services.run()}',
    '${environment.output.allAgreed && true}',
    '${environment.output.__proto__}',
    '${environment.output.constructor}',
    '${environment.output.tasks.prototype}',
    '${environment.settings.x}',
    '${content.output}',
    '${environment}',
    'environment.output.allAgreed',
    "${environment.output.x == 'a' || 1}",
    '${environment.output.x == environment.output.y}',
  ]) assert.equal(parseCondition(text), undefined, text);
});

test('lookups follow own properties only', () => {
  const c = parseCondition('${environment.output.toString}');
  assert.ok(c);
  assert.equal(evaluateCondition(c, { output: {}, variables: {} }), undefined, 'not Object.prototype.toString');
});

test('the engine options: strings without ${ pass through, unsupported expressions fail, no script is ever given', () => {
  assert.equal(safeExpressions.resolveExpression('2', { environment: scope }), '2', 'a loop cardinality');
  assert.equal(safeExpressions.resolveExpression('${environment.output.allAgreed}', { environment: scope }), true);
  assert.throws(() => safeExpressions.resolveExpression('${environment.constructor.constructor("return process")()}', { environment: scope }), /Unsupported expression/);
  assert.throws(() => safeExpressions.resolveExpression('Hello ${environment.variables.kind}', { environment: scope }), /Unsupported expression/);
  assert.equal(noScripts.register({}), undefined);
  assert.equal(noScripts.getScript('javascript', { id: 'x' }), undefined);
});
