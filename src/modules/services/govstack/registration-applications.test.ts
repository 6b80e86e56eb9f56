// GovStack Registration's Applicant and Operator operations through HTTP, every answer checked
// against the specification's schemas: a document uploaded, an application submitted with it
// (once, however often retried), listed, accepted and decided by an officer through the task
// operations, a file sent back and answered, and who may do what; bad input changes nothing.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Ajv } from 'ajv';
import { buildUser } from '../../../test-support/factories.ts';
import { asCitizen } from '../../identity/citizens/test-world.ts';
import { apply, applicationBody, buildApplicationWorld, pdf, type ApplicationWorld } from '../applications/test-world.ts';
import type { CitizenSession } from '../../identity/citizens/test-world.ts';

const spec = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, 'spec', 'registration-0.1.1.json'), 'utf8'));
const ajv = new Ajv({ strict: false, validateSchema: false, validateFormats: false, allErrors: true });
ajv.addSchema(spec, 'registration');
const pointer = (...parts: string[]) => parts.map((p) => p.replaceAll('~', '~0').replaceAll('/', '~1')).join('/');

/** The answer fits the spec's schema for this operation and status (its one content type). */
function assertSpec(method: string, specPath: string, status: number, body: unknown): void {
  const content = spec.paths[specPath][method].responses[String(status)]?.content ?? {};
  const type = Object.keys(content)[0];
  assert.ok(type, `the spec has a body for ${method.toUpperCase()} ${specPath} ${status}`);
  const validate = ajv.getSchema(`registration#/${pointer('paths', specPath, method, 'responses', String(status), 'content', type!, 'schema')}`);
  assert.ok(validate, `the spec has a schema for ${method.toUpperCase()} ${specPath} ${status}`);
  assert.ok(validate(body), `${method.toUpperCase()} ${specPath} ${status} fits the spec: ${ajv.errorsText(validate.errors)}`);
}
/** An error in the spec's systemError shape, with our status and fields. */
function assertSystemError(res: { statusCode: number; json: any; headers: Record<string, unknown> }, status: number, code?: string): void {
  assert.equal(res.statusCode, status, JSON.stringify(res.json)?.slice(0, 400));
  const validate = ajv.getSchema('registration#/components/schemas/systemError')!;
  assert.ok(validate(res.json), ajv.errorsText(validate.errors));
  assert.ok(res.json.traceId && res.json.message && res.json.localizedMessage, JSON.stringify(res.json));
  assert.match(String(res.headers['content-type']), /^application\/json/);
  if (code) assert.equal(res.json.code, code, JSON.stringify(res.json));
}

const R = '/govstack/registration';
const CLIENT = { 'information-mediator-client': 'CN/GOV/11330000000000000X/portal' };
let w: ApplicationWorld;
let serviceId: string;
let eFormId: string;

before(async () => {
  w = await buildApplicationWorld();
  serviceId = (await w.t.services.publicServices.catalog.findPublished(w.serviceCode))!.id;
  eFormId = (await w.t.services.publicServices.forms.findPublished(w.serviceCode))!.id;
});
after(async () => w?.t.close());

const count = async (table: string) => Number((await w.t.services.database.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
const TABLES = ['services.applications', 'services.attachments', 'services.tasks', 'services.documents', 'services.application_events'];
const counts = () => Promise.all(TABLES.map(count));

/** A multipart/form-data body of parts: text, or a file { name, content }. */
function multipart(parts: [string, string | { name: string; content: Buffer }][]): { payload: Buffer; contentType: string } {
  const boundary = `----egov${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const [name, value] of parts) {
    const file = typeof value === 'string' ? undefined : value;
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"${file ? `; filename="${file.name}"\r\nContent-Type: application/octet-stream` : ''}\r\n\r\n`));
    chunks.push(file ? file.content : Buffer.from(value as string));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

async function upload(session: CitizenSession | null, parts: [string, string | { name: string; content: Buffer }][], options: { query?: string; csrf?: boolean; lang?: string } = {}) {
  const { payload, contentType } = multipart(parts);
  const headers: Record<string, string> = { 'content-type': contentType, 'accept-language': options.lang ?? 'en' };
  if (session) {
    headers.cookie = session.cookie;
    if (options.csrf !== false) headers['x-csrf-token'] = session.csrfToken;
  }
  const res = await w.t.http.inject({ method: 'POST', url: `${R}/documents${options.query ?? ''}`, headers, payload });
  let json: any;
  try {
    json = res.json();
  } catch {
    json = undefined;
  }
  return { statusCode: res.statusCode, json, headers: res.headers as Record<string, unknown>, body: res.body };
}

const planPdf = () => Buffer.from(pdf(), 'base64');
async function uploadPlan(session = w.session, name = 'plan.pdf'): Promise<string> {
  const res = await upload(session, [['materialKey', 'floorPlan'], ['file', { name, content: planPdf() }]]);
  assert.equal(res.statusCode, 200, res.body);
  return res.json.url;
}

/** A request as the signed-in citizen, with the client header the spec asks for. */
const citizen = (session: CitizenSession | null, method: string, url: string, body?: unknown, headers: Record<string, string> = {}, csrf = true) => {
  const h: Record<string, string> = { ...CLIENT, 'accept-language': 'en', ...headers };
  if (session) {
    h.cookie = session.cookie;
    if (csrf) h['x-csrf-token'] = session.csrfToken;
  }
  return w.t.request(method, url, { headers: h, ...(body !== undefined ? { body } : {}) });
};
const officer = (method: string, url: string, body?: unknown, as = w.officer) => w.t.request(method, url, { as, headers: { 'accept-language': 'en' }, ...(body !== undefined ? { body } : {}) });

function submitBody(urls: string[], overrides: Record<string, unknown> = {}) {
  return { applicantId: `citizen:${w.citizen.id}`, applicationName: 'ignored', formData: { eFormId, data: applicationBody(w).formData }, documentUrls: urls, ...overrides };
}

async function submit(urls: string[], overrides: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  return citizen(w.session, 'POST', `${R}/services/${serviceId}/applications`, submitBody(urls, overrides), headers);
}

async function taskOf(fileId: string) {
  const res = await officer('GET', `${R}/tasks?fileId=${fileId}`);
  assert.equal(res.statusCode, 200, res.body);
  assertSpec('get', '/tasks', 200, res.json);
  return res.json as { taskId: string; name: string; fileId: string; mainTaskId: string; status: { code: string } }[];
}

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

describe('bad input', () => {
  test('uploads: refused in the systemError shape with the field named, nothing kept', async () => {
    const before = await counts();
    const program = Buffer.from('MZ\x90\x00this is a program');
    const cases: [[string, string | { name: string; content: Buffer }][], string, string, string?][] = [
      [[['materialKey', 'floorPlan'], ['file', { name: 'plan.pdf', content: program }]], 'file', 'file_type_not_allowed'],
      [[['materialKey', 'floorPlan'], ['file', { name: 'plan.png', content: planPdf() }]], 'file', 'file_name_mismatch'],
      [[['file', { name: 'plan.pdf', content: planPdf() }]], 'materialKey', 'material_key_required'],
      [[['materialKey', 'floorPlan'], ['file', { name: 'a.pdf', content: planPdf() }], ['file', { name: 'b.pdf', content: planPdf() }]], 'file', 'one_file'],
      [[['materialKey', 'floorPlan']], 'file', 'required'],
      [[['materialKey', 'floorPlan'], ['file', { name: 'plan.pdf', content: planPdf() }], ['admin', 'true']], 'admin', 'unknown_part'],
      [[['materialKey', 'floorPlan'], ['file', { name: 'plan.pdf', content: planPdf() }]], 'additionalMetadata', 'conflicting', '?additionalMetadata=idCard'],
      [[['materialKey', 'floorPlan'], ['file', pdf()]], 'fileName', 'required'],
      [[['materialKey', 'floorPlan'], ['file', { name: 'empty.pdf', content: Buffer.alloc(0) }]], 'file', 'empty_file'],
    ];
    for (const [parts, field, code, query] of cases) {
      for (const lang of ['zh-CN', 'en']) {
        const res = await upload(w.session, parts, { lang, ...(query ? { query } : {}) });
        assertSystemError(res, 400, 'validation_failed');
        assertSpec('post', '/documents', 400, res.json);
        const error = res.json.errors.find((e: { field: string }) => e.field === field);
        assert.ok(error, `${field} is named in ${JSON.stringify(res.json)}`);
        assert.equal(error.code, code);
        assert.match(res.json.localizedMessage, lang === 'en' ? /[a-z]/ : /[\u4e00-\u9fff]/);
        assert.match(res.json.message, /^[\x20-\x7e\u201c\u201d]+$/u, 'message is the English one');
      }
    }
    const json = await citizen(w.session, 'POST', `${R}/documents`, { file: ['aGVsbG8='] });
    assertSystemError(json, 400, 'validation_failed');
    const garbled = await w.t.http.inject({ method: 'POST', url: `${R}/documents`, headers: { cookie: w.session.cookie, 'x-csrf-token': w.session.csrfToken, 'content-type': 'multipart/form-data; boundary=zz' }, payload: 'not multipart' });
    assert.equal(garbled.statusCode, 400, garbled.body);
    assert.deepEqual(await counts(), before);
    // The spec's own shape: the file as base64 text, its name beside it, the material in additionalMetadata.
    const text = await upload(w.session, [['file', pdf()], ['fileName', 'plan.pdf']], { query: '?additionalMetadata=materialKey%3DfloorPlan' });
    assert.equal(text.statusCode, 200, text.body);
    assertSpec('post', '/documents', 200, text.json);
  });

  test('submissions: refused with the field named in the request’s own terms, nothing written', async () => {
    const mine = await uploadPlan();
    const strangers = await uploadPlan(w.stranger.session);
    const before = await counts();
    const formData = applicationBody(w).formData;
    const cases: [Record<string, unknown>, string, string][] = [
      [{ formData: { eFormId: '00000000-0000-4000-8000-000000000000', data: formData } }, 'formData.eFormId', 'not_the_service_form'],
      [{ formData: { eFormId, data: { ...formData, phone: { value: '12' } } } }, 'formData.data.phone', 'form_invalid'],
      [{ formData: { eFormId, data: { ...formData, name: '李四' } } }, 'formData.data.name', 'prefilled_locked'],
      [{ documentUrls: [strangers] }, 'documentUrls.0', 'document_not_found'],
      [{ documentUrls: ['https://example.com/elsewhere.pdf'] }, 'documentUrls.0', 'not_a_document_url'],
      [{ documentUrls: [] }, 'documentUrls', 'material_missing'],
      [{ documentUrls: [mine], extra: 1 }, 'extra', 'additionalProperties'],
      [{ documentUrls: [mine], formData: { eFormId, data: formData, version: 2 } }, 'formData.version', 'additionalProperties'],
      [{ documentUrls: [mine], created: 'yesterday' }, 'created', 'format'],
    ];
    for (const [overrides, field, code] of cases) {
      const res = await submit([mine], overrides);
      assertSystemError(res, 400, 'validation_failed');
      const error = res.json.errors.find((e: { field: string }) => e.field === field);
      assert.ok(error, `${field} is named in ${JSON.stringify(res.json).slice(0, 600)}`);
      assert.equal(error.code, code, field);
    }
    const noClient = await w.t.request('POST', `${R}/services/${serviceId}/applications`, { headers: { cookie: w.session.cookie, 'x-csrf-token': w.session.csrfToken }, body: submitBody([mine]) });
    assertSystemError(noClient, 400, 'validation_failed');
    assert.ok(noClient.json.errors.some((e: { field: string }) => e.field === 'information-mediator-client'), JSON.stringify(noClient.json));
    assertSystemError(await submit([mine], {}, { 'information-mediator-client': 'not a client' }), 400, 'validation_failed');
    assertSystemError(await submit([mine], {}, { 'idempotency-key': 'short' }), 400, 'validation_failed');
    assert.deepEqual(await counts(), before);
  });

  test('task completion: unknown or ill-typed variables are named, the task stays open', async () => {
    const fileId = (await submit([await uploadPlan()])).json.fileId;
    const [task] = await taskOf(fileId);
    const before = await counts();
    const cases: [unknown, string, string][] = [
      [{ data: { decision: 'maybe' } }, 'data.decision', 'enum'],
      [{ data: { decision: 'accept', colour: 'red' } }, 'data.colour', 'unknown_variable'],
      [{ data: { decision: 'accept', status: 'REJECTED' } }, 'data.status', 'conflicting'],
      [{ data: { decision: 'supplement', items: [] } }, 'data.items', 'required'],
      [{ data: { decision: 'supplement', items: [{ zh: '补' }] } }, 'data.items.0', 'type'],
      [{ data: { decision: 'accept', version: 0 } }, 'data.version', 'type'],
      [{ data: {} }, 'data.decision', 'required'],
      [{ data: { opinion: 'agree' } }, 'data.opinion', 'unknown_variable'],
      [{ variables: {} }, 'variables', 'additionalProperties'],
    ];
    for (const [body, field, code] of cases) {
      const res = await officer('POST', `${R}/tasks/${task!.taskId}/complete`, body);
      assertSystemError(res, 400, 'validation_failed');
      const error = res.json.errors.find((e: { field: string }) => e.field === field);
      assert.ok(error, `${field} is named in ${JSON.stringify(res.json).slice(0, 600)}`);
      assert.equal(error.code, code, field);
    }
    assertSystemError(await officer('POST', `${R}/tasks/${task!.taskId}/complete`, { data: { decision: 'accept', version: 99 } }), 409, 'version_conflict');
    assert.deepEqual(await counts(), before);
    assert.equal((await taskOf(fileId))[0]!.taskId, task!.taskId);
  });
});

// Last: random and mutated bodies to the write operations as the signed-in citizen and the officer.
describe('fuzzing the write operations', () => {
  const NASTY: unknown[] = [
    null, true, 0, -1, 1e308, 3.14, '', ' ', 'a'.repeat(5000), '\u0000', '𠮷', '<script>', '00000000-0000-0000-0000-000000000000', [], [1, 2], {}, { value: null }, { value: { value: 1 } }, { __proto__: { admin: true } }, 'citizen:', '2026-13-45T99:99:99Z',
  ];
  function rng(seed: number) {
    let s = seed >>> 0;
    return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  }
  function mutate(random: () => number, value: unknown, depth = 0): unknown {
    const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)]!;
    if (random() < 0.15 || depth > 3) return pick(NASTY);
    if (Array.isArray(value)) return random() < 0.3 ? [...value, pick(NASTY)] : value.map((v) => mutate(random, v, depth + 1));
    if (value && typeof value === 'object') {
      const entries = Object.entries(value as Record<string, unknown>).filter(() => random() > 0.15);
      if (random() < 0.2) entries.push([pick(['extra', 'version', 'status', 'id', 'value', '__proto__']), pick(NASTY)]);
      return Object.fromEntries(entries.map(([k, v]) => [k, random() < 0.5 ? mutate(random, v, depth + 1) : v]));
    }
    return random() < 0.5 ? pick(NASTY) : value;
  }

  test('no 5xx, and a rejected request writes nothing', { timeout: 300_000 }, async () => {
    const random = rng(20261203);
    const url = await uploadPlan();
    const fileIds = [(await submit([url])).json.fileId as string];
    const sentBack = (await submit([url])).json.fileId as string;
    const [back] = await taskOf(sentBack);
    await officer('POST', `${R}/tasks/${back!.taskId}/complete`, { data: { decision: 'supplement', items: [{ materialKey: 'floorPlan', zh: '补', en: 'More' }] } });
    fileIds.push(sentBack);
    const taskIds = (await Promise.all(fileIds.map(taskOf))).flat().map((t) => t.taskId);
    const valid: { method: string; url: () => string; body: () => unknown; as: 'citizen' | 'officer' }[] = [
      { method: 'POST', url: () => `${R}/services/${serviceId}/applications`, body: () => submitBody([url]), as: 'citizen' },
      { method: 'PUT', url: () => `${R}/applications/${fileIds[Math.floor(random() * fileIds.length)]}`, body: () => submitBody([url]), as: 'citizen' },
      { method: 'POST', url: () => `${R}/tasks/${taskIds[Math.floor(random() * taskIds.length)]}/complete`, body: () => ({ data: random() < 0.5 ? { decision: 'supplement', items: [{ zh: '补', en: 'More' }] } : { opinion: 'disagree', comment: '不同意' } }), as: 'officer' },
    ];
    let before = await counts();
    for (let i = 0; i < 150; i++) {
      const endpoint = valid[i % valid.length]!;
      const body = random() < 0.1 ? endpoint.body() : mutate(random, endpoint.body());
      const target = endpoint.url();
      const res = endpoint.as === 'citizen' ? await citizen(w.session, endpoint.method, target, body) : await officer(endpoint.method, target, body);
      assert.ok(res.statusCode < 500, `${endpoint.method} ${target} ${JSON.stringify(body)?.slice(0, 300)} → ${res.statusCode} ${res.body.slice(0, 300)}`);
      const now = await counts();
      if (res.statusCode >= 400) assert.deepEqual(now, before, `rejected with ${res.statusCode} but wrote: ${JSON.stringify(body)?.slice(0, 300)}`);
      before = now;
    }
    for (let i = 0; i < 30; i++) {
      const parts: [string, string | { name: string; content: Buffer }][] = [['materialKey', String(mutate(random, 'floorPlan'))], ['file', random() < 0.5 ? { name: String(mutate(random, 'plan.pdf')), content: random() < 0.5 ? planPdf() : Buffer.from(String(mutate(random, 'x'))) } : String(mutate(random, pdf(64)))]];
      const res = await upload(w.session, parts, { query: random() < 0.3 ? `?additionalMetadata=${encodeURIComponent(String(mutate(random, 'floorPlan')))}` : '' });
      assert.ok(res.statusCode < 500, `upload → ${res.statusCode} ${res.body.slice(0, 300)}`);
    }
  });
});
