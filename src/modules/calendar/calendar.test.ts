// The working-day calendar through its routes: the shipped 2026 arrangement is there at
// start, the platform admin corrects it (audited, and deadlines move at once), other roles
// read it only, and bad input is named with nothing written.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { localOperator } from '../../platform/actor.ts';
import { createTestApp, type TestApp } from '../../test-support/test-app.ts';

let t: TestApp;
before(async () => {
  t = await createTestApp();
});
after(() => t.close());

const deadline = async (from: string, workingDays: number) => {
  const res = await t.request('GET', `/api/calendar/deadline?from=${encodeURIComponent(from)}&workingDays=${workingDays}`, { as: t.world.officerA });
  assert.equal(res.statusCode, 200, res.body);
  return res.json as { startDate: string; dueDate: string; dueAt: string; confirmed: boolean };
};

const auditCount = async (action: string) => Number((await t.services.database.db.selectFrom('audit.events').select((eb) => eb.fn.countAll().as('n')).where('action', '=', action).executeTakeFirstOrThrow()).n);

test('the 2026 arrangement is shipped: its holidays are listed and deadlines count with them', async () => {
  const res = await t.request('GET', '/api/calendar/years/2026', { as: t.world.officerA });
  assert.equal(res.statusCode, 200, res.body);
  const year = res.json as { entered: boolean; sourceZh: string; days: { date: string; kind: string; nameZh: string }[] };
  assert.equal(year.entered, true);
  assert.match(year.sourceZh, /国务院办公厅/);
  assert.deepEqual(year.days.find((d) => d.date === '2026-10-10'), { ...year.days.find((d) => d.date === '2026-10-10'), kind: 'workday' });
  assert.equal(year.days.filter((d) => d.kind === 'holiday').length, 33);
  const d = await deadline('2026-09-15T02:00:00Z', 20);
  assert.deepEqual(d, { startDate: '2026-09-15', dueDate: '2026-10-19', dueAt: '2026-10-19T15:59:59.999Z', confirmed: true });
  const years = await t.request('GET', '/api/calendar/years', { as: t.world.auditor });
  assert.deepEqual((years.json as { year: number }[]).map((y) => y.year), [2026]);
  // Loading the shipped arrangements again changes nothing (an admin's corrections stay).
  assert.deepEqual(await t.services.calendar.service.ensureShipped(localOperator('test')), []);
});

test('routes ask for a signed-in user; only the platform admin changes the calendar, and a refusal writes nothing', async () => {
  for (const url of ['/api/calendar/years', '/api/calendar/years/2026', '/api/calendar/deadline?from=2026-01-05T00:00:00Z&workingDays=1']) {
    assert.equal((await t.request('GET', url)).statusCode, 401, url);
  }
  const body = { kind: 'holiday', nameZh: '防汛假', nameEn: 'Flood leave' };
  assert.equal((await t.request('PUT', '/api/calendar/days/2026-07-01', { body })).statusCode, 401);
  for (const as of [t.world.adminA, t.world.officerA, t.world.securityAdmin, t.world.auditor]) {
    assert.equal((await t.request('PUT', '/api/calendar/days/2026-07-01', { as, body })).statusCode, 403, as.username);
    assert.equal((await t.request('DELETE', '/api/calendar/days/2026-10-01', { as })).statusCode, 403, as.username);
    assert.equal((await t.request('PUT', '/api/calendar/years/2027', { as, body: { sourceZh: '通知', sourceEn: 'notice' } })).statusCode, 403, as.username);
  }
  const year = (await t.request('GET', '/api/calendar/years/2026', { as: t.world.officerA })).json as { days: { date: string }[] };
  assert.equal(year.days.some((d) => d.date === '2026-07-01'), false, 'nothing was written');
  assert.equal((await t.request('GET', '/api/calendar/years/2027', { as: t.world.officerA })).json.entered, false);
});

test('bad input is refused naming the field, and nothing is written', async () => {
  const as = t.world.platformAdmin;
  const before = await auditCount('calendar.day.set');
  const cases: [string, unknown, string][] = [
    ['/api/calendar/days/2026-02-30', { kind: 'holiday', nameZh: '假', nameEn: 'Off' }, 'date'],
    ['/api/calendar/days/2026-07-01', { kind: 'vacation', nameZh: '假', nameEn: 'Off' }, 'kind'],
    ['/api/calendar/days/2026-07-01', { kind: 'holiday', nameZh: ' ', nameEn: 'Off' }, 'nameZh'],
    ['/api/calendar/days/2026-07-01', { kind: 'workday', nameZh: '上班', nameEn: 'Work' }, 'kind'],
  ];
  for (const [url, body, field] of cases) {
    const res = await t.request('PUT', url, { as, body });
    assert.equal(res.statusCode, 400, `${url} ${JSON.stringify(body)}: ${res.body}`);
    assert.ok((res.json.errors as { field: string }[]).some((e) => e.field === field), `${field} is named: ${res.body}`);
  }
  const zh = await t.request('PUT', '/api/calendar/days/2026-07-01', { as, body: { kind: 'workday', nameZh: '上班', nameEn: 'Work' }, headers: { 'accept-language': 'zh-CN' } });
  assert.match(zh.body, /只有周六、周日可设为调休上班/);
  assert.equal((await t.request('PUT', '/api/calendar/years/1800', { as, body: { sourceZh: '通知', sourceEn: 'notice' } })).statusCode, 400);
  assert.equal((await t.request('DELETE', '/api/calendar/days/2026-07-01', { as })).statusCode, 404, 'an ordinary day has nothing to clear');
  assert.equal((await t.request('GET', '/api/calendar/deadline?from=2026-07-01T00:00:00Z&workingDays=0', { as })).statusCode, 400);
  assert.equal(await auditCount('calendar.day.set'), before);
});

test('a correction by the platform admin is audited and moves deadlines at once; clearing it moves them back', async () => {
  const as = t.world.platformAdmin;
  assert.equal((await deadline('2026-06-30T02:00:00Z', 1)).dueDate, '2026-07-01');
  const set = await t.request('PUT', '/api/calendar/days/2026-07-01', { as, body: { kind: 'holiday', nameZh: ' 防汛假 ', nameEn: 'Flood leave' } });
  assert.equal(set.statusCode, 200, set.body);
  assert.deepEqual(set.json, { date: '2026-07-01', kind: 'holiday', nameZh: '防汛假', nameEn: 'Flood leave' });
  assert.equal((await deadline('2026-06-30T02:00:00Z', 1)).dueDate, '2026-07-02', 'the new holiday is skipped');
  // A Saturday made a working day.
  assert.equal((await t.request('PUT', '/api/calendar/days/2026-07-04', { as, body: { kind: 'workday', nameZh: '调休上班', nameEn: 'Working Saturday' } })).statusCode, 200);
  assert.equal((await deadline('2026-07-02T02:00:00Z', 2)).dueDate, '2026-07-04');
  assert.equal((await t.request('DELETE', '/api/calendar/days/2026-07-04', { as })).statusCode, 204);
  assert.equal((await t.request('DELETE', '/api/calendar/days/2026-07-01', { as })).statusCode, 204);
  assert.equal((await deadline('2026-06-30T02:00:00Z', 1)).dueDate, '2026-07-01');
  assert.equal(await auditCount('calendar.day.set'), 2);
  assert.equal(await auditCount('calendar.day.clear'), 2);
});

test('entering next year confirms deadlines that reach into it', async () => {
  const as = t.world.platformAdmin;
  assert.equal((await deadline('2026-12-28T02:00:00Z', 5)).confirmed, false);
  assert.equal((await t.request('PUT', '/api/calendar/days/2027-01-01', { as, body: { kind: 'holiday', nameZh: '元旦', nameEn: "New Year's Day" } })).statusCode, 200);
  const entered = await t.request('PUT', '/api/calendar/years/2027', { as, body: { sourceZh: '国务院办公厅关于2027年部分节假日安排的通知', sourceEn: 'State Council notice on the 2027 holidays' } });
  assert.equal(entered.statusCode, 200, entered.body);
  assert.equal(entered.json.entered, true);
  const d = await deadline('2026-12-28T02:00:00Z', 5);
  assert.deepEqual({ due: d.dueDate, confirmed: d.confirmed }, { due: '2027-01-05', confirmed: true });
  assert.equal(await auditCount('calendar.year.enter'), 1);
});
