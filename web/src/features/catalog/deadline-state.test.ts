import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deadlineState } from './deadline-state.ts';

const pending = (workingDaysLeft: number | null, escalatedAt: string | null = null) => ({ status: 'pending', due: { workingDaysLeft }, escalatedAt });

test('a pending request is on time with more than two working days left, due soon with two or fewer, overdue past its date', () => {
  assert.equal(deadlineState(pending(10)), 'ok');
  assert.equal(deadlineState(pending(3)), 'ok');
  assert.equal(deadlineState(pending(2)), 'soon');
  assert.equal(deadlineState(pending(0)), 'soon', 'due today');
  assert.equal(deadlineState(pending(-1)), 'overdue');
});

test('an escalated request is overdue whatever the count says', () => {
  assert.equal(deadlineState(pending(0, '2026-12-16T00:01:00Z')), 'overdue');
});

test('answered and unconditional requests have no deadline to meet', () => {
  assert.equal(deadlineState({ status: 'approved', due: { workingDaysLeft: null }, escalatedAt: null }), 'none');
  assert.equal(deadlineState({ status: 'approved', due: null, escalatedAt: null }), 'none');
  assert.equal(deadlineState({ status: 'pending', due: null, escalatedAt: null }), 'none');
});
