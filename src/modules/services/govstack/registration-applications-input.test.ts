// GovStack Registration's operations refuse bad input in the specification's systemError shape,
// naming the field in the request's own terms, and write nothing; random and mutated bodies get
// no 5xx.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { applicationBody, pdf, type ApplicationWorld } from '../applications/test-world.ts';
import { assertSpec, assertSystemError, citizen, counts, officer, planPdf, R, setUp, submit, submitBody, taskOf, upload, uploadPlan } from './registration-test-client.ts';

let w: ApplicationWorld;
let serviceId: string;
let eFormId: string;
before(async () => {
  ({ w, serviceId, eFormId } = await setUp());
});
after(async () => w?.t.close());

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
