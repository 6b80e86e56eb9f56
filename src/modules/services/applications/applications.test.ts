// Applications end to end through HTTP, on the embedded database or PostgreSQL: prefill from the
// registries through the exchange, idempotent submission, bad input refused with nothing
// written, the acceptance decisions (supplements once, deemed acceptance), the review and the
// decision, the clock's one extension, and who may see and do what.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildUser } from '../../../test-support/factories.ts';
import { asCitizen, signInCitizen } from '../../identity/citizens/test-world.ts';
import { apply, applicationBody, buildApplicationWorld, giveDuties, pdf, type ApplicationWorld } from './test-world.ts';

let w: ApplicationWorld;

before(async () => {
  w = await buildApplicationWorld();
});
after(async () => w?.t.close());

const count = async (table: string) => Number((await w.t.services.database.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
const officer = (method: string, url: string, body?: unknown) => w.t.request(method, url, { as: w.officer, ...(body !== undefined ? { body } : {}) });
const inboxTask = async (applicationId: string) => {
  const inbox = await officer('GET', '/api/services/inbox');
  assert.equal(inbox.statusCode, 200, inbox.body);
  return inbox.json.items.find((t: { applicationId: string }) => t.applicationId === applicationId);
};

describe('applying', () => {
  test('the form is prefilled from the population registry through the exchange, and the applicant confirms', async () => {
    const res = await asCitizen(w.t, w.session, 'GET', `/api/citizen/applications/prefill?service=${encodeURIComponent(w.serviceCode)}`);
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json.fields.idNumber.value, w.citizen.idNumber);
    assert.equal(res.json.fields.name.value, w.citizen.name);
    assert.equal(res.json.fields.birthDate.value, '1949-12-31');
    assert.equal(res.json.fields.name.registry, 'population');
    assert.ok(res.json.fields.name.exchangeId, 'the read went through the exchange and names its message');
  });

  test('a submission with an Idempotency-Key is made once however often it is retried', async () => {
    const before = await count('services.applications');
    const key = `retry-${Date.now()}`;
    const first = await apply(w, {}, { 'idempotency-key': key });
    assert.equal(first.statusCode, 201, first.body);
    assert.equal(first.json.status, 'submitted');
    assert.equal(first.json.formData.idNumber, w.citizen.idNumber, 'the locked field comes from the registry');
    assert.match(first.json.number, /^\d{14}$/);
    assert.ok(first.json.acceptanceDue);
    const retries = await Promise.all([apply(w, {}, { 'idempotency-key': key }), apply(w, {}, { 'idempotency-key': key })]);
    for (const r of retries) {
      assert.equal(r.statusCode, 200, r.body);
      assert.equal(r.json.id, first.json.id);
    }
    assert.equal(await count('services.applications'), before + 1);
  });

  test('bad input is refused with a bilingual message naming the field, and nothing is written', async () => {
    const before = await Promise.all(['services.applications', 'services.attachments', 'services.tasks'].map(count));
    const cases: [Record<string, unknown>, string, string][] = [
      [{ formData: { ...applicationBody(w).formData, phone: '12' } }, 'formData/phone', 'form_invalid'],
      [{ formData: { ...applicationBody(w).formData, name: '李四' } }, 'formData/name', 'prefilled_locked'],
      [{ attachments: [{ materialKey: 'floorPlan', fileName: 'plan.pdf', content: Buffer.from('MZ\x90\x00this is a program').toString('base64') }] }, 'attachments/0', 'file_type_not_allowed'],
      [{ attachments: [{ materialKey: 'floorPlan', fileName: 'plan.png', content: pdf() }] }, 'attachments/0', 'file_name_mismatch'],
      [{ attachments: [{ materialKey: 'floorPlan', fileName: 'plan.pdf', content: pdf(10 * 1024 * 1024 + 1) }] }, 'attachments/0', 'file_too_large'],
      [{ attachments: [] }, 'attachments/floorPlan', 'material_missing'],
      [{ attachments: [{ materialKey: 'passport', fileName: 'p.pdf', content: pdf() }] }, 'attachments/0/materialKey', 'unknown_material'],
    ];
    for (const [overrides, field, code] of cases) {
      for (const lang of ['zh-CN', 'en']) {
        const res = await w.t.request('POST', '/api/citizen/applications', { headers: { cookie: w.session.cookie, 'x-csrf-token': w.session.csrfToken, 'accept-language': lang }, body: applicationBody(w, overrides) });
        assert.equal(res.statusCode, 400, `${field}: ${res.body.slice(0, 300)}`);
        const error = res.json.errors.find((e: { field: string }) => e.field === field);
        assert.ok(error, `${field} is named in ${res.body.slice(0, 400)}`);
        assert.equal(error.code, code);
        assert.match(res.json.detail, lang === 'en' ? /[a-z]/ : /[\u4e00-\u9fff]/);
      }
    }
    assert.deepEqual(await Promise.all(['services.applications', 'services.attachments', 'services.tasks'].map(count)), before);
  });

  test('a wrong file and a wrong field are told at once', async () => {
    const res = await apply(w, { formData: { ...applicationBody(w).formData, phone: '12' }, attachments: [{ materialKey: 'floorPlan', fileName: 'plan.exe', content: Buffer.from('MZ\x90\x00program').toString('base64') }] });
    assert.equal(res.statusCode, 400, res.body);
    const fields = res.json.errors.map((e: { field: string }) => e.field);
    assert.ok(fields.includes('attachments/0') && fields.includes('formData/phone'), fields.join(', '));
  });

  test('only the applicant sees an application; without a session or CSRF token nothing happens', async () => {
    const made = await apply(w);
    assert.equal(made.statusCode, 201, made.body);
    assert.equal((await asCitizen(w.t, w.session, 'GET', `/api/citizen/applications/${made.json.id}`)).statusCode, 200);
    assert.equal((await asCitizen(w.t, w.stranger.session, 'GET', `/api/citizen/applications/${made.json.id}`)).statusCode, 404);
    assert.ok(!(await asCitizen(w.t, w.stranger.session, 'GET', '/api/citizen/applications')).json.items.some((a: { id: string }) => a.id === made.json.id));
    assert.equal((await asCitizen(w.t, null, 'GET', '/api/citizen/applications')).statusCode, 401);
    assert.equal((await w.t.request('POST', '/api/citizen/applications', { body: applicationBody(w) })).statusCode, 401);
    assert.equal((await asCitizen(w.t, w.session, 'POST', '/api/citizen/applications', applicationBody(w), { csrf: false })).statusCode, 403);
    assert.equal((await asCitizen(w.t, w.stranger.session, 'POST', `/api/citizen/applications/${made.json.id}/withdraw`, { version: made.json.version })).statusCode, 404);
  });

  test('a draft is saved, changed and then submitted', async () => {
    const draft = await apply(w, { submit: false, attachments: [] });
    assert.equal(draft.statusCode, 201, draft.body);
    assert.equal(draft.json.status, 'draft');
    const body = applicationBody(w);
    const submitted = await asCitizen(w.t, w.session, 'PUT', `/api/citizen/applications/${draft.json.id}`, { version: draft.json.version, formData: body.formData, attachments: body.attachments, submit: true });
    assert.equal(submitted.statusCode, 200, submitted.body);
    assert.equal(submitted.json.status, 'submitted');
    const stale = await asCitizen(w.t, w.session, 'PUT', `/api/citizen/applications/${draft.json.id}`, { version: draft.json.version, formData: body.formData, submit: false });
    assert.equal(stale.statusCode, 409);
  });
});

describe('acceptance, review and decision', () => {
  test('supplements are asked for once, answered, then the application is accepted, reviewed and approved', async () => {
    const made = await apply(w);
    const task = await inboxTask(made.json.id);
    assert.ok(task, 'the acceptance step is in the inbox');
    assert.equal(task.kind, 'acceptance');
    assert.equal(task.warning, 'none');

    const claimed = await officer('POST', `/api/services/tasks/${task.id}/claim`, { version: task.version });
    assert.equal(claimed.statusCode, 200, claimed.body);
    const staleClaim = await officer('POST', `/api/services/tasks/${task.id}/complete`, { version: task.version, decision: 'accept' });
    assert.equal(staleClaim.statusCode, 409, 'a stale task version is refused');

    const asked = await officer('POST', `/api/services/tasks/${task.id}/complete`, { version: claimed.json.version, decision: 'supplement', items: [{ materialKey: 'floorPlan', zh: '平面图须标明尺寸', en: 'The floor plan must show dimensions' }], noteZh: '请补正', noteEn: 'Please supplement' });
    assert.equal(asked.statusCode, 200, asked.body);
    assert.equal(asked.json.status, 'supplement_requested');

    const mine = await asCitizen(w.t, w.session, 'GET', `/api/citizen/applications/${made.json.id}`);
    assert.equal(mine.json.supplement.items[0].en, 'The floor plan must show dimensions');
    const answered = await asCitizen(w.t, w.session, 'POST', `/api/citizen/applications/${made.json.id}/supplement`, { version: mine.json.version, attachments: [{ materialKey: 'floorPlan', fileName: 'plan-v2.pdf', content: pdf(4096) }] });
    assert.equal(answered.statusCode, 200, answered.body);
    assert.equal(answered.json.status, 'submitted');
    assert.deepEqual(answered.json.files.map((f: { fileName: string }) => f.fileName), ['plan-v2.pdf']);

    const second = await inboxTask(made.json.id);
    assert.equal(second.nameEn, 'Acceptance after supplements');
    const again = await officer('POST', `/api/services/tasks/${second.id}/complete`, { version: second.version, decision: 'supplement', items: [{ zh: '再补', en: 'More' }] });
    assert.equal(again.statusCode, 409, 'supplements are asked for once');
    assert.equal(again.json.code, 'supplements_asked_once');

    const accepted = await officer('POST', `/api/services/tasks/${second.id}/complete`, { version: second.version, decision: 'accept' });
    assert.equal(accepted.statusCode, 200, accepted.body);
    assert.equal(accepted.json.status, 'in_review');
    assert.equal(accepted.json.clock.statutoryDays, 20);
    assert.ok(accepted.json.clock.dueDate);

    const extended = await officer('POST', `/api/services/applications/${made.json.id}/extend`, { version: accepted.json.version, reasonZh: '需要现场核查', reasonEn: 'An on-site check is needed' });
    assert.equal(extended.statusCode, 200, extended.body);
    assert.equal(extended.json.clock.statutoryDays, 30);
    const twice = await officer('POST', `/api/services/applications/${made.json.id}/extend`, { version: extended.json.version, reasonZh: '再延长', reasonEn: 'Again' });
    assert.equal(twice.statusCode, 409, 'a deadline is extended once');
    assert.equal(twice.json.code, 'already_extended');

    const step = await inboxTask(made.json.id);
    assert.ok(step, 'the review step is in the inbox');
    const done = await officer('POST', `/api/services/tasks/${step.id}/complete`, { version: step.version, opinion: 'agree', comment: '材料齐全，符合条件' });
    assert.equal(done.statusCode, 200, done.body);
    // The review may have further steps (a BPMN process); complete them all with agreement.
    let dossier = done.json;
    for (let i = 0; i < 8 && dossier.status === 'in_review'; i++) {
      const next = await inboxTask(made.json.id);
      assert.ok(next, 'an open step remains while the application is in review');
      dossier = (await officer('POST', `/api/services/tasks/${next.id}/complete`, { version: next.version, opinion: 'agree', comment: '同意' })).json;
    }
    assert.equal(dossier.status, 'approved');
    assert.ok(dossier.licenceId, 'a licence is issued on approval');
    const final = await asCitizen(w.t, w.session, 'GET', `/api/citizen/applications/${made.json.id}`);
    assert.equal(final.json.status, 'approved');
    assert.ok(final.json.history.some((h: { type: string }) => h.type === 'approve'));

    const poor = await asCitizen(w.t, w.session, 'POST', `/api/citizen/applications/${made.json.id}/rating`, { rating: 'poor' });
    assert.equal(poor.statusCode, 400, 'a poor rating needs its reason');
    const rated = await asCitizen(w.t, w.session, 'POST', `/api/citizen/applications/${made.json.id}/rating`, { rating: 'good' });
    assert.equal(rated.statusCode, 200, rated.body);
    assert.equal(rated.json.rating, 'good');
  });

  test('not accepted, with the reason and the right agency', async () => {
    const made = await apply(w);
    const task = await inboxTask(made.json.id);
    const missing = await officer('POST', `/api/services/tasks/${task.id}/complete`, { version: task.version, decision: 'not_accept', reasonZh: '', reasonEn: 'Not ours' });
    assert.equal(missing.statusCode, 400);
    const res = await officer('POST', `/api/services/tasks/${task.id}/complete`, { version: task.version, decision: 'not_accept', reasonZh: '不属于本机关职权范围', reasonEn: 'Outside our remit', agencyZh: '市场监督管理局', agencyEn: 'Market regulation' });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json.status, 'not_accepted');
    assert.equal(res.json.acceptance.agencyZh, '市场监督管理局');
  });

});

describe('who may act', () => {
  test('officers see only tasks of their organization and duties', async () => {
    const made = await apply(w);
    const task = await inboxTask(made.json.id);
    const other = w.t.world.adminB;
    const theirs = await w.t.request('GET', '/api/services/inbox', { as: other });
    assert.equal(theirs.statusCode, 200, theirs.body);
    assert.ok(!theirs.json.items.some((t: { id: string }) => t.id === task.id));
    assert.equal((await w.t.request('POST', `/api/services/tasks/${task.id}/claim`, { as: other, body: { version: task.version } })).statusCode, 404);
    assert.equal((await w.t.request('GET', `/api/services/applications/${made.json.id}`, { as: other })).statusCode, 404);

    const noDuty = await buildUser(w.t.services, { orgId: w.t.world.deptA.id, roles: ['officer'] });
    const user = { id: noDuty.id, username: noDuty.username, orgId: noDuty.orgId };
    assert.equal((await w.t.request('GET', '/api/services/inbox', { as: user })).json.items.length, 0);
    assert.equal((await w.t.request('POST', `/api/services/tasks/${task.id}/claim`, { as: user, body: { version: task.version } })).statusCode, 403);
    await giveDuties(w.t, w.t.world.adminA, user, ['reviewer']);
    assert.equal((await w.t.request('POST', `/api/services/tasks/${task.id}/claim`, { as: user, body: { version: task.version } })).statusCode, 403, 'a reviewer does not accept');
    assert.equal((await w.t.request('PUT', `/api/services/duties/${user.id}`, { as: w.officer, body: { duties: ['approver'] } })).statusCode, 403, 'an officer does not give duties');
    assert.equal((await w.t.request('GET', '/api/services/inbox')).statusCode, 401);
  });

  test('officers write to the applicant: the message is in the history and in the inbox', async () => {
    const made = await apply(w);
    const sent = await officer('POST', `/api/services/applications/${made.json.id}/messages`, { text: '请于下周二上午到窗口核验原件。' });
    assert.equal(sent.statusCode, 200, sent.body);
    assert.equal((await officer('POST', `/api/services/applications/${made.json.id}/messages`, { text: ' ' })).statusCode, 400);
    assert.equal((await w.t.request('POST', `/api/services/applications/${made.json.id}/messages`, { as: w.t.world.adminB, body: { text: '不相干的机关' } })).statusCode, 404);
    const mine = await asCitizen(w.t, w.session, 'GET', `/api/citizen/applications/${made.json.id}`);
    assert.ok(mine.json.history.some((h: { type: string; detail: { text?: string } }) => h.type === 'message' && h.detail.text === '请于下周二上午到窗口核验原件。'));
    const inbox = await w.t.services.messaging.service.inbox(w.citizen.sub, { limit: 20 });
    assert.ok(JSON.stringify(inbox).includes('请于下周二上午到窗口核验原件。'), 'the message reached the inbox');
  });

  test('the dossier read is audited as a personal-data read', async () => {
    const made = await apply(w);
    const res = await officer('GET', `/api/services/applications/${made.json.id}`);
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json.prefilled.idNumber.registry, 'population');
    const rows = await w.t.services.database.db.selectFrom('audit.events').select(['action', 'subject_id']).where('action', '=', 'services.application.read').where('subject_id', '=', made.json.id).execute();
    assert.equal(rows.length, 1);
  });
});

// Last: it moves the clock ten days on.
describe('the acceptance timer', () => {
  test('an acceptance nobody decided within 5 working days counts as accepted', async () => {
    const made = await apply(w);
    assert.equal(await w.t.services.publicServices.applications.decisions.deemAccepted(made.json.id), false, 'not yet due');
    w.t.clock.advance(10 * 86_400_000);
    assert.equal(await w.t.services.publicServices.applications.decisions.deemAccepted(made.json.id), true);
    assert.equal(await w.t.services.publicServices.applications.decisions.deemAccepted(made.json.id), false, 'the timer firing twice changes nothing');
    // Ten days on, the sessions of this test world have ended; the applicant signs in again.
    const session = await signInCitizen(w.t, w.citizen.phone);
    const mine = await asCitizen(w.t, session, 'GET', `/api/citizen/applications/${made.json.id}`);
    assert.equal(mine.json.status, 'in_review');
    assert.equal(mine.json.deemedAccepted, true);
  });
});
