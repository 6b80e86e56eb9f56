// What application tests share (not a test file itself): the citizen world (department A owns
// the population and legal-entity registries on the exchange; department B's identity
// subsystem reads them, with the fields e-forms prefill), a published service of department A
// with the test e-form, an officer of A holding every duty, and a signed-in applicant.
import assert from 'node:assert/strict';
import { localOperator } from '../../../platform/actor.ts';
import { buildUser } from '../../../test-support/factories.ts';
import type { TestApp, TestUser } from '../../../test-support/test-app.ts';
import { asCitizen, buildCitizen, buildCitizenWorld, signInCitizen, type CitizenSession, type TestCitizen } from '../../identity/citizens/test-world.ts';
import { buildServiceBody } from '../catalog/test-fixtures.ts';
import { buildForm, buildFormData } from '../forms/test-fixtures.ts';
import { provisionSeal } from '../licences/test-fixtures.ts';
import type { ServiceBody } from '../catalog/schema.ts';

export const PREFILL_PERSON_FIELDS = ['idNumber', 'name', 'birthDate', 'hukouAddress', 'status'];

/** The smallest real PDF header an upload check recognises, padded to `size` bytes. */
export function pdf(size = 2048): string {
  const body = Buffer.alloc(size, 0x20);
  Buffer.from('%PDF-1.7\n').copy(body);
  return body.toString('base64');
}

export type ApplicationWorld = {
  t: TestApp;
  serviceCode: string;
  officer: TestUser;
  citizen: TestCitizen;
  session: CitizenSession;
  /** Another signed-in citizen, who must never see the first one's applications. */
  stranger: { citizen: TestCitizen; session: CitizenSession };
};

export async function publishService(t: TestApp, orgId: string, overrides: Partial<ServiceBody> = {}): Promise<string> {
  const op = localOperator('test');
  const body = buildServiceBody(orgId, overrides);
  await t.services.publicServices.catalog.create(op, body);
  await t.services.publicServices.forms.save(op, body.code, { version: 0, ...buildForm() });
  const draft = await t.services.publicServices.catalog.get(body.code, { publishedOnly: false });
  await t.services.publicServices.catalog.setStatus(op, body.code, draft.version, 'published');
  return body.code;
}

export async function giveDuties(t: TestApp, admin: TestUser, user: { id: string }, duties: string[]): Promise<void> {
  const res = await t.request('PUT', `/api/services/duties/${user.id}`, { as: admin, body: { duties } });
  assert.equal(res.statusCode, 200, res.body);
}

export async function buildApplicationWorld(options: { service?: Partial<ServiceBody> } = {}): Promise<ApplicationWorld> {
  const { t } = await buildCitizenWorld({ personFields: PREFILL_PERSON_FIELDS });
  const serviceCode = await publishService(t, t.world.deptA.id, options.service);
  await giveDuties(t, t.world.adminA, t.world.officerA, ['acceptor', 'reviewer', 'approver']);
  // Approval issues a licence sealed with department A's seal.
  await provisionSeal(t, t.world.deptA.id, t.world.adminA);
  const citizen = await buildCitizen(t, { person: { birthDate: '1949-12-31' } });
  const session = await signInCitizen(t, citizen.phone);
  const other = await buildCitizen(t);
  const stranger = { citizen: other, session: await signInCitizen(t, other.phone) };
  return { t, serviceCode, officer: t.world.officerA, citizen, session, stranger };
}

/** A complete application body for the world's service: the form filled, the floor plan attached. */
export function applicationBody(w: ApplicationWorld, overrides: Record<string, unknown> = {}) {
  const { idNumber: _id, name: _name, birthDate: _birth, ...typed } = buildFormData();
  return { serviceCode: w.serviceCode, formData: typed, attachments: [{ materialKey: 'floorPlan', fileName: 'plan.pdf', content: pdf() }], submit: true, ...overrides };
}

export async function apply(w: ApplicationWorld, overrides: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  return w.t.request('POST', '/api/citizen/applications', { headers: { cookie: w.session.cookie, 'x-csrf-token': w.session.csrfToken, ...headers }, body: applicationBody(w, overrides) });
}

export { asCitizen, buildUser };
