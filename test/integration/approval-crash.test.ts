// Kill -9 in the middle of an approval: a real egov process on the demo, a residence permit
// applied for and accepted (its BPMN process waiting at the police station's verification),
// then SIGKILL. After the restart the workflow resumes exactly where it was — the same step in
// the inbox, the process advancing from its stored state to the decision — and a retried
// submission with the same Idempotency-Key still finds the first application.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { CITIZEN_PASSWORD } from '../../src/modules/identity/citizens/test-world.ts';
import { freshDataHome, signIn, startServer, stopServer, type DataHome, type RunningServer } from '../support/egov-process.ts';

let home: DataHome | undefined;
let server: RunningServer | undefined;
after(async () => {
  if (server) await stopServer(server, 'SIGKILL');
  await home?.cleanup();
});

type Session = { cookie: string; csrf: string };
const PDF = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(2048, 0x20)]).toString('base64');

async function call(baseUrl: string, session: Session | undefined, method: string, url: string, payload?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${baseUrl}${url}`, {
    method,
    headers: { ...(session ? { cookie: session.cookie, 'x-csrf-token': session.csrf } : {}), ...(payload === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: payload === undefined ? undefined : JSON.stringify(payload),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined, text };
}

async function citizenSession(baseUrl: string, login: string): Promise<Session> {
  const res = await fetch(`${baseUrl}/api/citizen/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login, password: CITIZEN_PASSWORD }) });
  assert.equal(res.status, 200, await res.clone().text());
  return { cookie: (res.headers.get('set-cookie') ?? '').split(';')[0], csrf: ((await res.json()) as { csrfToken: string }).csrfToken };
}

async function openTask(baseUrl: string, officer: Session, applicationId: string) {
  const inbox = await call(baseUrl, officer, 'GET', '/api/services/inbox');
  assert.equal(inbox.status, 200, inbox.text);
  return inbox.json.items.find((t: { applicationId: string }) => t.applicationId === applicationId) as { id: string; kind: string; ref: string; version: number } | undefined;
}

test('an approval interrupted by SIGKILL resumes where it was after the restart', { timeout: 600_000 }, async () => {
  home = await freshDataHome();
  server = await startServer(home.env, 180_000);
  let base = server.baseUrl;

  // A living person of the demo population registry registers as a citizen.
  const psbAdmin = await signIn(base, 'psb.admin');
  const people = await call(base, psbAdmin, 'GET', '/api/registries/population/records?where.status=living&pageSize=1&purpose=test');
  assert.equal(people.status, 200, people.text);
  const person = people.json.results[0].data as { idNumber: string; name: string };
  const phone = '13700009999';
  const registered = await call(base, undefined, 'POST', '/api/citizen/register', { idNumber: person.idNumber, name: person.name, phone, email: 'crash@example.cn', password: CITIZEN_PASSWORD });
  assert.equal(registered.status, 201, registered.text);
  let citizen = await citizenSession(base, phone);

  const form = await call(base, psbAdmin, 'GET', '/api/services/psb.residence-permit/form');
  assert.equal(form.status, 200, form.text);
  const { sampleFormData } = await import('../../src/modules/services/forms/sample-data.ts');
  const body = {
    serviceCode: 'psb.residence-permit',
    formData: sampleFormData(form.json),
    attachments: ['photo', 'residenceProof'].map((materialKey) => ({ materialKey, fileName: `${materialKey}.pdf`, content: PDF })),
    submit: true,
  };
  const key = 'crash-test-submission-1';
  const made = await call(base, citizen, 'POST', '/api/citizen/applications', body, { 'idempotency-key': key });
  assert.equal(made.status, 201, made.text);

  const officer = await signIn(base, 'psb.officer');
  const acceptance = await openTask(base, officer, made.json.id);
  assert.equal(acceptance?.kind, 'acceptance');
  const accepted = await call(base, officer, 'POST', `/api/services/tasks/${acceptance!.id}/complete`, { version: acceptance!.version, decision: 'accept' });
  assert.equal(accepted.status, 200, accepted.text);
  const waiting = await openTask(base, officer, made.json.id);
  assert.equal(waiting?.kind, 'review', 'the process waits at the verification');

  // Crash: no shutdown, no flush.
  assert.equal(await stopServer(server, 'SIGKILL'), null);
  server = await startServer(home.env, 180_000);
  base = server.baseUrl;

  citizen = await citizenSession(base, phone);
  const retried = await call(base, citizen, 'POST', '/api/citizen/applications', body, { 'idempotency-key': key });
  assert.equal(retried.status, 200, 'a retry after the crash finds the first submission');
  assert.equal(retried.json.id, made.json.id);

  const again = await signIn(base, 'psb.officer');
  const resumed = await openTask(base, again, made.json.id);
  assert.deepEqual([resumed?.id, resumed?.ref, resumed?.kind], [waiting!.id, waiting!.ref, 'review'], 'the same step waits after the restart');
  const verified = await call(base, again, 'POST', `/api/services/tasks/${resumed!.id}/complete`, { version: resumed!.version, opinion: 'agree', comment: '居住地址核查属实' });
  assert.equal(verified.status, 200, verified.text);
  const decide = await openTask(base, again, made.json.id);
  assert.equal(decide?.kind, 'decide', 'the process moved on from its stored state');
  const decided = await call(base, again, 'POST', `/api/services/tasks/${decide!.id}/complete`, { version: decide!.version, opinion: 'agree', comment: '准予' });
  assert.equal(decided.status, 200, decided.text);
  assert.equal(decided.json.status, 'approved');

  const mine = await call(base, citizen, 'GET', `/api/citizen/applications/${made.json.id}`);
  assert.equal(mine.json.status, 'approved');
  assert.ok(mine.json.history.some((h: { type: string }) => h.type === 'accept'), 'the history before the crash is kept');
});
