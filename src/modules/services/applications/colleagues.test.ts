// Whom a task can be forwarded to (the workbench's forward dialog): the active staff of the
// task's organization holding its duty, the asker left out; nobody outside the organization or
// without a duty learns who they are.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { apply, buildApplicationWorld, buildUser, giveDuties, type ApplicationWorld } from './test-world.ts';

let w: ApplicationWorld;

before(async () => {
  w = await buildApplicationWorld();
});
after(async () => w?.t.close());

async function acceptanceTask(): Promise<{ id: string; version: number }> {
  const made = await apply(w);
  assert.equal(made.statusCode, 201, made.body);
  const inbox = await w.t.request('GET', '/api/services/inbox', { as: w.officer });
  return inbox.json.items.find((t: { applicationId: string }) => t.applicationId === made.json.id);
}

test('lists the colleagues holding the task’s duty, without the asker or those without it', async () => {
  const task = await acceptanceTask();
  const acceptor = await buildUser(w.t.services, { orgId: w.t.world.deptA.id, roles: ['officer'] });
  const reviewer = await buildUser(w.t.services, { orgId: w.t.world.deptA.id, roles: ['officer'] });
  await giveDuties(w.t, w.t.world.adminA, acceptor, ['acceptor']);
  await giveDuties(w.t, w.t.world.adminA, reviewer, ['reviewer']);
  const res = await w.t.request('GET', `/api/services/tasks/${task.id}/colleagues`, { as: w.officer });
  assert.equal(res.statusCode, 200, res.body);
  assert.deepEqual(res.json.items, [{ id: acceptor.id, displayName: `用户 ${acceptor.username}` }]);
  const forwarded = await w.t.request('POST', `/api/services/tasks/${task.id}/forward`, { as: w.officer, body: { version: task.version, toStaffId: acceptor.id } });
  assert.equal(forwarded.statusCode, 200, forwarded.body);
  assert.equal(forwarded.json.assigneeName, `用户 ${acceptor.username}`);
});

test('refused without a session, to another organization and to an officer without the duty', async () => {
  const task = await acceptanceTask();
  assert.equal((await w.t.request('GET', `/api/services/tasks/${task.id}/colleagues`)).statusCode, 401);
  assert.equal((await w.t.request('GET', `/api/services/tasks/${task.id}/colleagues`, { as: w.t.world.adminB })).statusCode, 404);
  const noDuty = await buildUser(w.t.services, { orgId: w.t.world.deptA.id, roles: ['officer'] });
  assert.equal((await w.t.request('GET', `/api/services/tasks/${task.id}/colleagues`, { as: { id: noDuty.id, username: noDuty.username, orgId: noDuty.orgId } })).statusCode, 403);
});
