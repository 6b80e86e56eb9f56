// GovStack Registration's Applicant and Operator operations through HTTP, every answer checked
// against the specification's schemas: a document uploaded, an application submitted with it
// (once, however often retried), listed, accepted and decided by an officer through the task
// operations, a file sent back and answered, and who may do what.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildUser } from '../../../test-support/factories.ts';
import { asCitizen } from '../../identity/citizens/test-world.ts';
import { apply, type ApplicationWorld } from '../applications/test-world.ts';
import { assertSpec, assertSystemError, citizen, count, counts, officer, planPdf, R, setUp, submit, submitBody, taskOf, upload, uploadPlan } from './registration-test-client.ts';

let w: ApplicationWorld;
let serviceId: string;
let eFormId: string;
before(async () => {
  ({ w, serviceId, eFormId } = await setUp());
});
after(async () => w?.t.close());

describe('applying through GovStack Registration', () => {
  test('a document uploaded, an application submitted with it and an Idempotency-Key, retried, listed and read', async () => {
    const res = await upload(w.session, [['materialKey', 'floorPlan'], ['file', { name: '平面图.pdf', content: planPdf() }]]);
    assert.equal(res.statusCode, 200, res.body);
    assertSpec('post', '/documents', 200, res.json);
    assert.equal(res.json.type, 'application/pdf');
    assert.match(res.json.url, /\/govstack\/registration\/documents\/[0-9a-f-]{36}$/);
    const download = await w.t.http.inject({ method: 'GET', url: new URL(res.json.url).pathname, headers: { cookie: w.session.cookie } });
    assert.equal(download.statusCode, 200);
    assert.ok(download.rawPayload.equals(planPdf()), 'the uploader gets the file back');
    assert.equal((await w.t.http.inject({ method: 'GET', url: new URL(res.json.url).pathname, headers: { cookie: w.stranger.session.cookie } })).statusCode, 404);

    const before = await count('services.applications');
    const key = `govstack-${Date.now()}`;
    const first = await submit([res.json.url], {}, { 'idempotency-key': key });
    assert.equal(first.statusCode, 200, first.body);
    assertSpec('post', '/services/{serviceId}/applications', 200, first.json);
    assert.equal(first.json.serviceId, serviceId);
    assert.deepEqual(first.json.status, { code: 'PENDING', title: 'Submitted, awaiting acceptance' });
    assert.equal(first.json.ended, false);
    assert.equal(first.json.applicationData.applicantId, `citizen:${w.citizen.id}`);
    assert.equal(first.json.applicationData.formData.eFormId, eFormId);
    assert.deepEqual(first.json.applicationData.formData.data.idNumber, { value: w.citizen.idNumber, type: 'String' }, 'the locked field comes from the registry');
    assert.equal(first.json.applicationData.documentUrls.length, 1);
    const material = await w.t.http.inject({ method: 'GET', url: new URL(first.json.applicationData.documentUrls[0]).pathname, headers: { cookie: w.session.cookie } });
    assert.equal(material.statusCode, 200, 'the document became the application’s material');
    assert.ok(material.rawPayload.equals(planPdf()));

    const retry = await submit([res.json.url], {}, { 'idempotency-key': key });
    assert.equal(retry.statusCode, 200, retry.body);
    assert.equal(retry.json.fileId, first.json.fileId, 'a retry answers the same file');
    assert.equal(await count('services.applications'), before + 1);

    const list = await citizen(w.session, 'GET', `${R}/applications?serviceId=${serviceId}&applicantId=${w.citizen.id}`);
    assert.equal(list.statusCode, 200, list.body);
    assertSpec('get', '/applications', 200, list.json);
    const item = list.json.find((a: { fileId: string }) => a.fileId === first.json.fileId);
    assert.ok(item, 'the list has the file');
    assert.equal(item.mainTaskId, first.json.fileId);
    assert.equal(item.eformId, eFormId);
    assert.equal(item.status.code, 'PENDING');
    assert.match(item.additionalMeta.data.number.value, /^\d{14}$/);

    const one = await citizen(w.session, 'GET', `${R}/applications/${first.json.fileId}`, undefined, { 'accept-language': 'zh-CN' });
    assert.equal(one.statusCode, 200, one.body);
    assertSpec('get', '/applications/{fileId}', 200, one.json);
    assert.equal(one.json.status.title, '已提交，待受理');
  });

  test('listing: filters, paging and sorting as the spec names them', async () => {
    const made: string[] = [];
    for (let i = 0; i < 2; i++) {
      w.t.clock.advance(1000);
      made.push((await submit([await uploadPlan()])).json.fileId);
    }
    const page = async (query: string) => {
      const res = await citizen(w.session, 'GET', `${R}/applications?${query}`);
      assert.equal(res.statusCode, 200, res.body);
      assertSpec('get', '/applications', 200, res.json);
      return (res.json as { fileId: string }[]).map((a) => a.fileId);
    };
    const all = await page('sortBy=created&sortOrder=desc');
    assert.deepEqual(all.slice(0, 2), [made[1], made[0]], 'newest first');
    assert.deepEqual(await page('sortBy=created&sortOrder=desc&firstResult=1&maxResult=1'), [made[0]]);
    assert.equal((await page('sortBy=created&sortOrder=asc')).at(-1), made[1]);
    assert.deepEqual(await page('serviceId=00000000-0000-4000-8000-000000000000'), []);
    assert.equal((await page('sortBy=priority&sortOrder=desc')).length, all.length);
    assertSystemError(await citizen(w.session, 'GET', `${R}/applications?sortBy=created`), 400, 'validation_failed');
    assertSystemError(await citizen(w.session, 'GET', `${R}/applications?sortBy=assignee&sortOrder=asc`), 400, 'validation_failed');
    assertSystemError(await citizen(w.session, 'GET', `${R}/applications?maxResult=0`), 400, 'validation_failed');
    assert.ok(!(await citizen(w.stranger.session, 'GET', `${R}/applications`)).json.some((a: { fileId: string }) => made.includes(a.fileId)), 'another citizen does not see them');
  });

  test('the file through acceptance and the decision, by an officer through the task operations, ends APPROVED', async () => {
    const fileId = (await submit([await uploadPlan()])).json.fileId;
    const [acceptance, ...rest] = await taskOf(fileId);
    assert.deepEqual(rest, []);
    assert.equal(acceptance!.name, 'Acceptance');
    assert.equal(acceptance!.mainTaskId, fileId);

    const read = await officer('GET', `${R}/tasks/${acceptance!.taskId}`);
    assert.equal(read.statusCode, 200, read.body);
    assertSpec('get', '/tasks/{taskId}', 200, read.json);
    assert.equal(read.json.eFormId, eFormId);
    assert.equal(read.json.formVariables.idNumber.value, w.citizen.idNumber);
    assert.deepEqual(read.json.data.variables.value, ['decision', 'reasonZh', 'reasonEn', 'agencyZh', 'agencyEn', 'items', 'noteZh', 'noteEn', 'status', 'version']);
    const audited = await w.t.services.database.db.selectFrom('audit.events').select('action').where('action', '=', 'services.application.read').where('subject_id', '=', fileId).execute();
    assert.equal(audited.length, 1, 'the read of the file’s data is audited');

    const accepted = await officer('POST', `${R}/tasks/${acceptance!.taskId}/complete`, { data: { decision: { value: 'accept', type: 'String' }, version: { value: read.json.data.version.value } } });
    assert.equal(accepted.statusCode, 200, accepted.body);
    assertSpec('post', '/tasks/{taskId}/complete', 200, accepted.json);
    assert.equal(accepted.json.fileId, fileId);
    assert.equal(accepted.json.variables.application.data.status.value, 'in_review');
    const again = await officer('POST', `${R}/tasks/${acceptance!.taskId}/complete`, { data: { decision: 'accept' } });
    assertSystemError(again, 409, 'task_closed');

    let status = accepted.json.status.code;
    for (let i = 0; i < 8 && status === 'PENDING'; i++) {
      const [step] = await taskOf(fileId);
      assert.ok(step, 'an open step remains while the file is pending');
      const done = await officer('POST', `${R}/tasks/${step!.taskId}/complete`, { data: { status: 'APPROVED', comment: { value: '材料齐全，符合条件' } } });
      assert.equal(done.statusCode, 200, done.body);
      assertSpec('post', '/tasks/{taskId}/complete', 200, done.json);
      status = done.json.status.code;
    }
    assert.equal(status, 'APPROVED');
    const final = await citizen(w.session, 'GET', `${R}/applications/${fileId}`);
    assertSpec('get', '/applications/{fileId}', 200, final.json);
    assert.deepEqual(final.json.status, { code: 'APPROVED', title: 'Approved' });
    assert.equal(final.json.ended, true);
    assert.deepEqual(await taskOf(fileId), []);
  });

  test('a file sent back (SENDBACK) is answered with PUT, and goes back to acceptance', async () => {
    const fileId = (await submit([await uploadPlan()])).json.fileId;
    const [task] = await taskOf(fileId);
    const sent = await officer('POST', `${R}/tasks/${task!.taskId}/complete`, { data: { status: 'SENDBACK', items: { value: [{ materialKey: 'floorPlan', zh: '平面图须标明尺寸', en: 'The floor plan must show dimensions' }] } } });
    assert.equal(sent.statusCode, 200, sent.body);
    assert.equal(sent.json.status.code, 'SENDBACK');
    const mine = await citizen(w.session, 'GET', `${R}/applications/${fileId}`);
    assert.equal(mine.json.status.code, 'SENDBACK');

    const stranger = await citizen(w.stranger.session, 'PUT', `${R}/applications/${fileId}`, { applicantId: w.stranger.citizen.id, documentUrls: [] });
    assertSystemError(stranger, 404, 'not_found');
    const answered = await citizen(w.session, 'PUT', `${R}/applications/${fileId}`, { applicantId: w.citizen.id, documentUrls: [await uploadPlan(w.session, 'plan-v2.pdf')] });
    assert.equal(answered.statusCode, 200, answered.body);
    assertSpec('put', '/applications/{fileId}', 200, answered.json);
    assert.equal(answered.json.status.code, 'PENDING');
    const files = (await asCitizen(w.t, w.session, 'GET', `/api/citizen/applications/${fileId}`)).json.files;
    assert.deepEqual(files.map((f: { fileName: string }) => f.fileName), ['plan-v2.pdf'], 'the new document replaced the material');
    const [second] = await taskOf(fileId);
    assert.equal(second!.name, 'Acceptance after supplements');
    const twice = await citizen(w.session, 'PUT', `${R}/applications/${fileId}`, { applicantId: w.citizen.id });
    assertSystemError(twice, 409, 'no_supplement_request');
  });

  test('PUT on a draft changes and submits it', async () => {
    const draft = await apply(w, { submit: false, attachments: [] });
    assert.equal(draft.statusCode, 201, draft.body);
    const incomplete = await citizen(w.session, 'PUT', `${R}/applications/${draft.json.id}`, submitBody([]));
    assertSystemError(incomplete, 400, 'validation_failed');
    assert.ok(incomplete.json.errors.some((e: { field: string; code: string }) => e.field === 'documentUrls' && e.code === 'material_missing'), JSON.stringify(incomplete.json));
    const res = await citizen(w.session, 'PUT', `${R}/applications/${draft.json.id}`, submitBody([await uploadPlan()]));
    assert.equal(res.statusCode, 200, res.body);
    assertSpec('put', '/applications/{fileId}', 200, res.json);
    assert.equal(res.json.status.code, 'PENDING');
    assert.ok(res.json.registered);
  });

  test('a review step refuses a reason-less disagreement and SENDBACK; not accepting is REJECTED', async () => {
    const fileId = (await submit([await uploadPlan()])).json.fileId;
    const [task] = await taskOf(fileId);
    const wrong = await officer('POST', `${R}/tasks/${task!.taskId}/complete`, { data: { opinion: 'agree' } });
    assertSystemError(wrong, 400, 'validation_failed');
    assert.ok(wrong.json.errors.some((e: { field: string }) => e.field === 'data.opinion'));
    const noReason = await officer('POST', `${R}/tasks/${task!.taskId}/complete`, { data: { status: 'REJECTED', reasonEn: 'Outside our remit' } });
    assertSystemError(noReason, 400);
    assert.ok(noReason.json.errors.some((e: { field: string }) => e.field === 'data.reasonZh'), JSON.stringify(noReason.json));
    const rejected = await officer('POST', `${R}/tasks/${task!.taskId}/complete`, { data: { decision: 'not_accept', reasonZh: '不属于本机关职权范围', reasonEn: 'Outside our remit', agencyZh: '市场监督管理局' } });
    assert.equal(rejected.statusCode, 200, rejected.body);
    assert.equal(rejected.json.status.code, 'REJECTED');

    const other = (await submit([await uploadPlan()])).json.fileId;
    const [acceptance] = await taskOf(other);
    await officer('POST', `${R}/tasks/${acceptance!.taskId}/complete`, { data: { decision: 'accept' } });
    const [review] = await taskOf(other);
    assertSystemError(await officer('POST', `${R}/tasks/${review!.taskId}/complete`, { data: { status: 'SENDBACK' } }), 400, 'validation_failed');
    const disagree = await officer('POST', `${R}/tasks/${review!.taskId}/complete`, { data: { opinion: 'disagree' } });
    assertSystemError(disagree, 400, 'validation_failed');
    assert.ok(disagree.json.errors.some((e: { field: string }) => e.field === 'data.comment'), JSON.stringify(disagree.json));
    const denied = await officer('POST', `${R}/tasks/${review!.taskId}/complete`, { data: { opinion: 'disagree', comment: '场所面积不符合要求' } });
    assert.equal(denied.statusCode, 200, denied.body);
    assert.equal(denied.json.status.code, 'REJECTED');
  });
});

describe('who may call', () => {
  test('the operations are published in the platform’s OpenAPI document', async () => {
    const res = await w.t.http.inject({ method: 'GET', url: '/api/openapi.json' });
    assert.equal(res.statusCode, 200);
    const paths = Object.keys(res.json().paths);
    for (const p of ['/documents', '/services/{serviceId}/applications', '/applications', '/applications/{fileId}', '/tasks', '/tasks/{taskId}', '/tasks/{taskId}/complete']) assert.ok(paths.includes(`${R}${p}`), p);
  });


  test('without a session: 401 in the systemError shape; a citizen write without the CSRF token: 403', async () => {
    const fileId = (await submit([await uploadPlan()])).json.fileId;
    assertSystemError(await upload(null, [['materialKey', 'floorPlan'], ['file', { name: 'plan.pdf', content: planPdf() }]]), 401, 'unauthenticated');
    assertSystemError(await citizen(null, 'POST', `${R}/services/${serviceId}/applications`, submitBody([])), 401, 'unauthenticated');
    assertSystemError(await citizen(null, 'GET', `${R}/applications`), 401, 'unauthenticated');
    assertSystemError(await citizen(null, 'GET', `${R}/applications/${fileId}`), 401, 'unauthenticated');
    assertSystemError(await citizen(null, 'PUT', `${R}/applications/${fileId}`, submitBody([])), 401, 'unauthenticated');
    assertSystemError(await w.t.request('GET', `${R}/tasks`), 401, 'unauthenticated');
    assertSystemError(await w.t.request('GET', `${R}/tasks/${fileId}`), 401, 'unauthenticated');
    assertSystemError(await w.t.request('POST', `${R}/tasks/${fileId}/complete`, { body: { data: {} } }), 401, 'unauthenticated');
    assertSystemError(await citizen(w.session, 'POST', `${R}/services/${serviceId}/applications`, submitBody([]), {}, false), 403, 'csrf_failed');
    assertSystemError(await upload(w.session, [['materialKey', 'floorPlan'], ['file', { name: 'plan.pdf', content: planPdf() }]], { csrf: false }), 403, 'csrf_failed');
    // A member of staff is not an applicant; a citizen is not an officer.
    assertSystemError(await officer('GET', `${R}/applications`), 401, 'unauthenticated');
    assertSystemError(await citizen(w.session, 'GET', `${R}/tasks`), 401, 'unauthenticated');
  });

  test('applicantId must be the signed-in citizen; another citizen’s file is not found', async () => {
    const fileId = (await submit([await uploadPlan()])).json.fileId;
    const before = await counts();
    for (const applicantId of [w.stranger.citizen.id, `citizen:${w.stranger.citizen.id}`, 'staff:someone', 'nobody']) {
      const res = await submit([], { applicantId });
      assertSystemError(res, 403, 'applicant_mismatch');
      assert.match(res.json.localizedMessage, new RegExp(`citizen:${w.citizen.id}`));
    }
    assertSystemError(await citizen(w.session, 'GET', `${R}/applications?applicantId=${w.stranger.citizen.id}`), 403, 'applicant_mismatch');
    assert.deepEqual(await counts(), before);
    assertSystemError(await citizen(w.stranger.session, 'GET', `${R}/applications/${fileId}`), 404, 'not_found');
    assertSystemError(await citizen(w.session, 'GET', `${R}/applications/not-an-id`), 404, 'not_found');
    assertSystemError(await citizen(w.session, 'POST', `${R}/services/00000000-0000-4000-8000-000000000000/applications`, submitBody([])), 404, 'not_found');
  });

  test('an officer of another organization, or without the duty, does not see or complete the task', async () => {
    const fileId = (await submit([await uploadPlan()])).json.fileId;
    const [task] = await taskOf(fileId);
    const other = w.t.world.adminB;
    const theirs = await officer('GET', `${R}/tasks`, undefined, other);
    assert.equal(theirs.statusCode, 200, theirs.body);
    assertSpec('get', '/tasks', 200, theirs.json);
    assert.ok(!theirs.json.some((t: { taskId: string }) => t.taskId === task!.taskId));
    assertSystemError(await officer('GET', `${R}/tasks/${task!.taskId}`, undefined, other), 404, 'not_found');
    assertSystemError(await officer('POST', `${R}/tasks/${task!.taskId}/complete`, { data: { decision: 'accept' } }, other), 404, 'not_found');
    const noDuty = await buildUser(w.t.services, { orgId: w.t.world.deptA.id, roles: ['officer'] });
    const user = { id: noDuty.id, username: noDuty.username, orgId: noDuty.orgId };
    assert.deepEqual((await officer('GET', `${R}/tasks?fileId=${fileId}`, undefined, user)).json, []);
    assertSystemError(await officer('GET', `${R}/tasks/${task!.taskId}`, undefined, user), 403, 'not_your_task');
    assertSystemError(await officer('POST', `${R}/tasks/${task!.taskId}/complete`, { data: { decision: 'accept' } }, user), 403, 'not_your_task');
    assert.equal((await taskOf(fileId))[0]!.taskId, task!.taskId, 'the task is still open');
  });

  test('tasks: filters and sorting as the spec names them', async () => {
    w.t.clock.advance(1000);
    const fileId = (await submit([await uploadPlan()])).json.fileId;
    const [task] = await taskOf(fileId);
    const ids = async (query: string) => {
      const res = await officer('GET', `${R}/tasks?${query}`);
      assert.equal(res.statusCode, 200, res.body);
      assertSpec('get', '/tasks', 200, res.json);
      return (res.json as { taskId: string }[]).map((t) => t.taskId);
    };
    assert.deepEqual(await ids(`mainTaskId=${fileId}`), [task!.taskId]);
    assert.deepEqual(await ids(`assigneeId=${w.officer.id}&fileId=${fileId}`), [], 'nobody has claimed it');
    const all = await ids('sortBy=created&sortOrder=desc');
    assert.equal(all[0], task!.taskId, 'newest first');
    assert.deepEqual(await ids('sortBy=created&sortOrder=desc&firstResult=0&maxResult=1'), [task!.taskId]);
    assert.equal((await ids('sortBy=priority&sortOrder=desc')).length, all.length);
    assert.deepEqual(await ids('fileId=not-an-id'), []);
    assertSystemError(await officer('GET', `${R}/tasks?sortOrder=asc`), 400, 'validation_failed');
    assertSystemError(await officer('GET', `${R}/tasks?sortBy=color&sortOrder=asc`), 400, 'validation_failed');
  });
});
