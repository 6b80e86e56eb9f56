// What the GovStack Registration application tests share (not a test file itself): the world,
// checks against the specification's schemas and its systemError shape, and requests as the
// signed-in citizen (multipart uploads too) and as the officer.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import type { CitizenSession } from '../../identity/citizens/test-world.ts';
import { applicationBody, buildApplicationWorld, pdf, type ApplicationWorld } from '../applications/test-world.ts';

const spec = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, 'spec', 'registration-0.1.1.json'), 'utf8'));
const ajv = new Ajv({ strict: false, validateSchema: false, validateFormats: false, allErrors: true });
ajv.addSchema(spec, 'registration');
const pointer = (...parts: string[]) => parts.map((p) => p.replaceAll('~', '~0').replaceAll('/', '~1')).join('/');

/** The answer fits the spec's schema for this operation and status (its one content type). */
export function assertSpec(method: string, specPath: string, status: number, body: unknown): void {
  const content = spec.paths[specPath][method].responses[String(status)]?.content ?? {};
  const type = Object.keys(content)[0];
  assert.ok(type, `the spec has a body for ${method.toUpperCase()} ${specPath} ${status}`);
  const validate = ajv.getSchema(`registration#/${pointer('paths', specPath, method, 'responses', String(status), 'content', type!, 'schema')}`);
  assert.ok(validate, `the spec has a schema for ${method.toUpperCase()} ${specPath} ${status}`);
  assert.ok(validate(body), `${method.toUpperCase()} ${specPath} ${status} fits the spec: ${ajv.errorsText(validate.errors)}`);
}
/** An error in the spec's systemError shape, with our status and fields. */
export function assertSystemError(res: { statusCode: number; json: any; headers: Record<string, unknown> }, status: number, code?: string): void {
  assert.equal(res.statusCode, status, JSON.stringify(res.json)?.slice(0, 400));
  const validate = ajv.getSchema('registration#/components/schemas/systemError')!;
  assert.ok(validate(res.json), ajv.errorsText(validate.errors));
  assert.ok(res.json.traceId && res.json.message && res.json.localizedMessage, JSON.stringify(res.json));
  assert.match(String(res.headers['content-type']), /^application\/json/);
  if (code) assert.equal(res.json.code, code, JSON.stringify(res.json));
}

export const R = '/govstack/registration';
export const CLIENT = { 'information-mediator-client': 'CN/GOV/11330000000000000X/portal' };
let w: ApplicationWorld;
let serviceId: string;
let eFormId: string;

/** Builds the world (a published service with its e-form, an officer with every duty, two signed-in citizens) the helpers act in. */
export async function setUp(): Promise<{ w: ApplicationWorld; serviceId: string; eFormId: string }> {
  w = await buildApplicationWorld();
  serviceId = (await w.t.services.publicServices.catalog.findPublished(w.serviceCode))!.id;
  eFormId = (await w.t.services.publicServices.forms.findPublished(w.serviceCode))!.id;
  return { w, serviceId, eFormId };
}

export const count = async (table: string) => Number((await w.t.services.database.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
const TABLES = ['services.applications', 'services.attachments', 'services.tasks', 'services.documents', 'services.application_events'];
export const counts = () => Promise.all(TABLES.map(count));

/** A multipart/form-data body of parts: text, or a file { name, content }. */
export function multipart(parts: [string, string | { name: string; content: Buffer }][]): { payload: Buffer; contentType: string } {
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

export async function upload(session: CitizenSession | null, parts: [string, string | { name: string; content: Buffer }][], options: { query?: string; csrf?: boolean; lang?: string } = {}) {
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

export const planPdf = () => Buffer.from(pdf(), 'base64');
export async function uploadPlan(session = w.session, name = 'plan.pdf'): Promise<string> {
  const res = await upload(session, [['materialKey', 'floorPlan'], ['file', { name, content: planPdf() }]]);
  assert.equal(res.statusCode, 200, res.body);
  return res.json.url;
}

/** A request as the signed-in citizen, with the client header the spec asks for. */
export const citizen = (session: CitizenSession | null, method: string, url: string, body?: unknown, headers: Record<string, string> = {}, csrf = true) => {
  const h: Record<string, string> = { ...CLIENT, 'accept-language': 'en', ...headers };
  if (session) {
    h.cookie = session.cookie;
    if (csrf) h['x-csrf-token'] = session.csrfToken;
  }
  return w.t.request(method, url, { headers: h, ...(body !== undefined ? { body } : {}) });
};
export const officer = (method: string, url: string, body?: unknown, as = w.officer) => w.t.request(method, url, { as, headers: { 'accept-language': 'en' }, ...(body !== undefined ? { body } : {}) });

export function submitBody(urls: string[], overrides: Record<string, unknown> = {}) {
  return { applicantId: `citizen:${w.citizen.id}`, applicationName: 'ignored', formData: { eFormId, data: applicationBody(w).formData }, documentUrls: urls, ...overrides };
}

export async function submit(urls: string[], overrides: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  return citizen(w.session, 'POST', `${R}/services/${serviceId}/applications`, submitBody(urls, overrides), headers);
}

export async function taskOf(fileId: string) {
  const res = await officer('GET', `${R}/tasks?fileId=${fileId}`);
  assert.equal(res.statusCode, 200, res.body);
  assertSpec('get', '/tasks', 200, res.json);
  return res.json as { taskId: string; name: string; fileId: string; mainTaskId: string; status: { code: string } }[];
}
