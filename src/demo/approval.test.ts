// The four demo services end to end through the API, on the seeded demo: a citizen (for the
// environmental impact approval, an enterprise's legal representative acting for it) applies
// with the e-form prefilled from the registries, the department's officers accept and work
// through the service's BPMN review (the EIA: a technical review in parallel with natural
// resources' land-use review, two leaders' countersignatures, the decision), and the sealed
// licence verifies on the portal. One residence permit is denied, with the reviewer's reason.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { createApp, type EgovApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import { sampleFormData } from '../modules/services/forms/sample-data.ts';
import { CITIZEN_PASSWORD } from '../modules/identity/citizens/test-world.ts';
import { openTestDatabase } from '../test-support/database.ts';
import { TEST_MASTER_KEY, TEST_PASSWORD } from '../test-support/factories.ts';
import { sleep, totpCodes } from '../test-support/totp-codes.ts';
import { DEMO_TOTP_SECRET } from './dataset.ts';
import { seedDemo } from './seed.ts';

let app: EgovApp;
let drop: () => Promise<void>;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'egov-demo-approval-'));
const staffSessions = new Map<string, { cookie: string; csrf: string }>();
const adminCode = totpCodes(DEMO_TOTP_SECRET, () => new Date(), sleep);
const PDF = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(4096, 0x20)]).toString('base64');

before(async () => {
  const db = await openTestDatabase();
  drop = db.drop;
  const config = loadConfig({ NODE_ENV: 'test', EGOV_DATA_DIR: dataDir, EGOV_MASTER_KEY: TEST_MASTER_KEY, EGOV_EXCHANGE_LOG_TIMESTAMP_SECONDS: '0', EGOV_SIGNIN_RATE_LIMIT: '1000' });
  app = await createApp(config, { database: db.database });
  assert.ok((await seedDemo(app.services, TEST_PASSWORD)).seeded);
});
after(async () => {
  await app?.close();
  await drop?.();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function inject(method: string, url: string, options: { cookie?: string; csrf?: string; body?: unknown } = {}) {
  const headers: Record<string, string> = {};
  if (options.cookie) headers.cookie = options.cookie;
  if (options.csrf) headers['x-csrf-token'] = options.csrf;
  const res = await app.http.inject({ method: method as 'GET', url, headers, ...(options.body !== undefined ? { payload: options.body as object } : {}) });
  return { statusCode: res.statusCode, body: res.body, json: res.body ? JSON.parse(res.body) : undefined };
}

async function staff(username: string, method: string, url: string, body?: unknown) {
  let session = staffSessions.get(username);
  if (!session) {
    // The demo's administrators have two-step sign-in on, with the demo's published key.
    const totp = username.endsWith('.admin') ? { totp: await adminCode(username) } : {};
    const raw = await app.http.inject({ method: 'POST', url: '/api/session', payload: { username, password: TEST_PASSWORD, ...totp } });
    assert.equal(raw.statusCode, 200, raw.body);
    session = { cookie: String(raw.headers['set-cookie']).split(';')[0], csrf: raw.json().csrfToken };
    staffSessions.set(username, session);
  }
  return inject(method, url, { cookie: session.cookie, csrf: session.csrf, body });
}

let phoneSerial = 0;
/** A living person of the demo population registry, registered as a citizen and signed in. */
async function citizenFor(idNumber: string, name: string) {
  phoneSerial++;
  const phone = `1370000${String(phoneSerial).padStart(4, '0')}`;
  const reg = await inject('POST', '/api/citizen/register', { body: { idNumber, name, phone, email: `demo${phoneSerial}@example.cn`, password: CITIZEN_PASSWORD } });
  assert.equal(reg.statusCode, 201, reg.body);
  const res = await app.http.inject({ method: 'POST', url: '/api/citizen/session', payload: { login: phone, password: CITIZEN_PASSWORD } });
  assert.equal(res.statusCode, 200, res.body);
  return { cookie: String(res.headers['set-cookie']).split(';')[0], csrf: res.json().csrfToken as string };
}

type Person = { key: string; data: { name: string } };
async function livingPeople(n: number, offset = 0): Promise<Person[]> {
  const { rows } = await sql<Person>`select key, data from registries.records where registry = 'population' and data->>'status' = 'living' order by key offset ${offset} limit ${n}`.execute(app.services.database.db);
  return rows;
}

async function applyFor(code: string, session: { cookie: string; csrf: string }, onBehalfOf?: string) {
  const service = await app.services.publicServices.catalog.get(code, { publishedOnly: true });
  const form = (await app.services.publicServices.forms.findPublished(code))!;
  const attachments = service.materials.filter((m) => !m.fetchable && m.required).map((m) => ({ materialKey: m.key, fileName: `${m.key}.pdf`, content: PDF }));
  const res = await inject('POST', '/api/citizen/applications', { ...session, body: { serviceCode: code, formData: sampleFormData(form.form), attachments, submit: true, ...(onBehalfOf ? { onBehalfOf } : {}) } });
  assert.equal(res.statusCode, 201, `${code}: ${res.body.slice(0, 600)}`);
  return res.json;
}

/** Works the application's open steps as the staff given, in turn, until it is decided. */
async function workThrough(applicationId: string, people: string[], opinion: (task: { kind: string }) => { opinion: 'agree' | 'disagree'; comment: string }) {
  let status = 'submitted';
  let idle = 0;
  for (let round = 0; round < 60 && (status === 'submitted' || status === 'in_review'); round++) {
    let progressed = false;
    for (const who of people) {
      const inbox = await staff(who, 'GET', '/api/services/inbox');
      assert.equal(inbox.statusCode, 200, inbox.body);
      const task = inbox.json.items.find((t: { applicationId: string }) => t.applicationId === applicationId);
      if (!task) continue;
      const body = task.kind === 'acceptance' ? { version: task.version, decision: 'accept' } : { version: task.version, ...opinion(task) };
      const done = await staff(who, 'POST', `/api/services/tasks/${task.id}/complete`, body);
      // A leader who signed one countersignature leaves the next to another leader.
      if (done.statusCode === 409 && /countersign/.test(done.body)) continue;
      assert.equal(done.statusCode, 200, `${who} ${task.kind}: ${done.body.slice(0, 400)}`);
      status = done.json.status;
      progressed = true;
      if (status !== 'submitted' && status !== 'in_review') break;
    }
    // A joint department's step arrives through the exchange a moment later (a job delivers it).
    if (!progressed) {
      idle++;
      assert.ok(idle < 60, `someone can act on ${applicationId}`);
      await sleep(500);
    } else idle = 0;
  }
  return status;
}

async function licenceOf(applicationId: string, session: { cookie: string; csrf: string }) {
  const mine = await inject('GET', `/api/citizen/applications/${applicationId}`, session);
  assert.equal(mine.json.status, 'approved');
  const row = await app.services.database.db.selectFrom('services.licences').select(['identifier']).where('id', '=', mine.json.licenceId).executeTakeFirstOrThrow();
  const verified = await inject('GET', `/api/public/licences/${row.identifier}`);
  assert.equal(verified.statusCode, 200, verified.body);
  return verified.json;
}

const agree = () => ({ opinion: 'agree' as const, comment: '符合条件，同意' });

test('individual business registration, residence permit and social security card: applied, accepted, reviewed, approved, licence verified', async () => {
  const people = await livingPeople(3);
  for (const [i, [code, dept]] of ([['amr.individual-business-registration', 'amr'], ['psb.residence-permit', 'psb'], ['hrss.social-security-card', 'hrss']] as const).entries()) {
    const session = await citizenFor(people[i].key, people[i].data.name);
    const made = await applyFor(code, session);
    assert.equal(made.status, 'submitted');
    assert.ok(Object.keys(made.prefilled).length > 0, `${code}: fields prefilled from the registry`);
    const status = await workThrough(made.id, [`${dept}.officer`], agree);
    assert.equal(status, 'approved', code);
    const licence = await licenceOf(made.id, session);
    assert.equal(licence.status, 'valid');
    assert.equal(licence.seal.verifies, true);
  }
});

test('a residence permit the police station cannot verify is denied, with the reason', async () => {
  const [person] = await livingPeople(1, 5);
  const session = await citizenFor(person.key, person.data.name);
  const made = await applyFor('psb.residence-permit', session);
  const status = await workThrough(made.id, ['psb.officer'], (task) => (task.kind === 'review' ? { opinion: 'disagree', comment: '现居住地址核查无此人居住' } : agree()));
  assert.equal(status, 'denied');
  const mine = await inject('GET', `/api/citizen/applications/${made.id}`, session);
  assert.ok(mine.json.decisionReasons.some((r: string) => r.includes('现居住地址核查无此人居住')));
  assert.equal(mine.json.licenceId, null);
});

test('the environmental impact approval: applied for an enterprise, handled jointly with natural resources, countersigned, approved', async () => {
  const { rows } = await sql<{ key: string; rep: string; name: string }>`
    select e.key, e.data->>'legalRepId' as rep, p.data->>'name' as name from registries.records e
      join registries.records p on p.registry = 'population' and p.key = e.data->>'legalRepId' and p.data->>'status' = 'living'
     where e.registry = 'legal-entities' and e.data->>'status' = 'active' order by e.key limit 1`.execute(app.services.database.db);
  assert.equal(rows.length, 1, 'the demo has an active enterprise with a living representative');
  const session = await citizenFor(rows[0].rep, rows[0].name);
  const enterprise = await inject('POST', '/api/citizen/enterprises', { ...session, body: { creditCode: rows[0].key } });
  assert.equal(enterprise.statusCode, 201, enterprise.body);
  const made = await applyFor('eco.construction-eia-approval', session, rows[0].key);
  assert.equal(made.enterprise.creditCode, rows[0].key);
  assert.equal(made.formData.developerCode, rows[0].key, 'the developer comes from the legal-entity registry');

  const status = await workThrough(made.id, ['eco.officer', 'nr.officer', 'eco.admin'], agree);
  assert.equal(status, 'approved');
  const dossier = await staff('eco.officer', 'GET', `/api/services/applications/${made.id}`);
  const done = dossier.json.tasks.filter((t: { status: string }) => t.status === 'done');
  const nr = (await app.services.directory.service.listOrganizations()).find((o) => o.nameEn.includes('Natural Resources'))!;
  assert.ok(done.some((t: { kind: string; duty: string }) => t.kind === 'review' && t.duty === 'reviewer'), 'a technical review');
  assert.equal(done.filter((t: { kind: string }) => t.kind === 'countersign').length, 2, 'two countersignatures');
  const rowsOfNr = await app.services.database.db.selectFrom('services.tasks').select(['org_id', 'status', 'reply_to']).where('application_id', '=', made.id).where('org_id', '=', nr.id).execute();
  assert.equal(rowsOfNr.length, 1, "natural resources' land-use review went to natural resources");
  assert.match(String(rowsOfNr[0].reply_to), /joint-review$/, "its outcome went back to ecology and environment's joint-review service");
  // Both directions crossed the exchange: logged as messages between the two approval systems.
  const crossings = await app.services.database.db.selectFrom('exchange.message_log').select(['service']).where('service', 'like', '%/approval/joint-review').execute();
  assert.ok(crossings.length >= 2, `the step and its outcome were exchanged (${crossings.length} log rows)`);
  assert.equal(dossier.json.clock, null, 'decided: no running clock');
  const licence = await licenceOf(made.id, session);
  assert.equal(licence.seal.verifies, true);
});
