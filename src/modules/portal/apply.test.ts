// Applying online on the portal, through HTTP with the portal's own pages and forms (no
// JavaScript): the apply button on a guide, the e-form with the registries' values to confirm,
// a submission with its material uploaded as multipart/form-data, problems shown by field with
// the answers kept, the same form sent twice making one application, the confirmation and the
// receipt, drafts, the supplement request answered, withdrawal, the rating, and nobody seeing
// another's applications.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { asCitizen, buildCitizen, buildCitizenWorld, buildEntity, CITIZEN_PASSWORD, signInCitizen } from '../identity/citizens/test-world.ts';
import type { CitizenSession } from '../identity/citizens/test-world.ts';
import { createBrowser, formOf, freePort } from '../identity/oidc/test-browser.ts';
import { giveDuties, pdf, PREFILL_PERSON_FIELDS, publishService, type ApplicationWorld } from '../services/applications/test-world.ts';
import { provisionSeal } from '../services/licences/test-fixtures.ts';

let w: ApplicationWorld;
let issuer: string;

// The applications' test world, served on a port: signing in through the provider (to act for an enterprise) needs real HTTP.
before(async () => {
  const port = await freePort();
  issuer = `http://127.0.0.1:${port}`;
  const { t } = await buildCitizenWorld({ env: { EGOV_PUBLIC_URL: issuer }, personFields: PREFILL_PERSON_FIELDS });
  const serviceCode = await publishService(t, t.world.deptA.id);
  await giveDuties(t, t.world.adminA, t.world.officerA, ['acceptor', 'reviewer', 'approver']);
  await provisionSeal(t, t.world.deptA.id, t.world.adminA);
  const citizen = await buildCitizen(t, { person: { birthDate: '1949-12-31' } });
  const other = await buildCitizen(t);
  w = { t, serviceCode, officer: t.world.officerA, citizen, session: await signInCitizen(t, citizen.phone), stranger: { citizen: other, session: await signInCitizen(t, other.phone) } };
  await t.http.listen({ port, host: '127.0.0.1' });
});
after(async () => w?.t.close());

type Fields = Record<string, string | string[]>;
type File = { field: string; name: string; content: Buffer; type?: string };

/** A form posted as a browser posts it with files: multipart/form-data. */
async function postMultipart(url: string, session: CitizenSession | null, fields: Fields, files: File[] = []) {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) for (const x of Array.isArray(v) ? v : [v]) fd.append(k, x);
  for (const f of files) fd.append(f.field, new Blob([new Uint8Array(f.content)], { type: f.type ?? 'application/pdf' }), f.name);
  const encoded = new Request('http://portal.test/', { method: 'POST', body: fd });
  const payload = Buffer.from(await encoded.arrayBuffer());
  return w.t.http.inject({ method: 'POST', url, payload, headers: { 'content-type': encoded.headers.get('content-type')!, ...(session ? { cookie: session.cookie } : {}) } });
}
const postForm = (url: string, session: CitizenSession, fields: Record<string, string>) =>
  w.t.http.inject({ method: 'POST', url, headers: { cookie: session.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ csrf: session.csrfToken, ...fields }).toString() });
const page = (session: CitizenSession | null, url: string) => w.t.http.inject({ method: 'GET', url, headers: session ? { cookie: session.cookie } : {} });

/** The answers the test form needs besides what the registry fills in, as the form posts them. */
function answers(overrides: Fields = {}): Fields {
  const base: Fields = { 'fd.address': '青云省示范市东城区人民路 1 号', 'fd.months': '12', 'fd.moveIn': '2025-03-01', 'fd.reason': 'work', 'fd.kind': 'study', 'fd.services': ['work', 'family'], 'fd.phone': '13800138000', 'fd.email': 'zhang.san@example.cn', 'fd.postcode': '310000', 'fd.declare': 'true' };
  return { ...base, ...overrides };
}
const plan = (name = 'plan.pdf', size = 2048): File => ({ field: 'file.floorPlan', name, content: Buffer.from(pdf(size), 'base64') });
const hiddenOf = (html: string, name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1];
const count = async () => Number((await w.t.services.database.db.selectFrom('services.applications').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

/** Opens the form and sends it: the id of the application made. */
async function applyThroughPortal(session = w.session, overrides: Fields = {}, files: File[] = [plan()]): Promise<string> {
  const form = await page(session, `/services/${w.serviceCode}/apply`);
  assert.equal(form.statusCode, 200, form.body.slice(0, 300));
  const sent = await postMultipart(`/services/${w.serviceCode}/apply`, session, { csrf: session.csrfToken, key: hiddenOf(form.body, 'key')!, lang: 'zh-CN', do: 'submit', ...answers(overrides) }, files);
  assert.equal(sent.statusCode, 303, sent.body.slice(0, 600));
  return /\/me\/applications\/([0-9a-f-]{36})/.exec(String(sent.headers.location))![1];
}

const officer = (method: string, url: string, body?: unknown) => w.t.request(method, url, { as: w.officer, ...(body !== undefined ? { body } : {}) });
async function openTask(applicationId: string) {
  const inbox = await officer('GET', '/api/services/inbox');
  return inbox.json.items.find((t: { applicationId: string }) => t.applicationId === applicationId);
}

describe('applying on the portal', () => {
  it('offers the application on the guide: the form when signed in, the sign-in (and back) when not', async () => {
    const out = await page(null, `/services/${w.serviceCode}?lang=en`);
    assert.equal(out.statusCode, 200);
    assert.ok(out.body.includes(`/api/citizen/oidc/start?next=%2Fservices%2F${encodeURIComponent(w.serviceCode)}%2Fapply&amp;lang=en`), 'signing in leads back to the form');
    assert.match(out.body, /Sign in to apply online/);
    const signedIn = await page(w.session, `/services/${w.serviceCode}`);
    assert.ok(signedIn.body.includes(`href="/services/${w.serviceCode}/apply?lang=zh-CN">在线申请</a>`));
    const toSignIn = await page(null, `/services/${w.serviceCode}/apply`);
    assert.equal(toSignIn.statusCode, 303);
    assert.equal(toSignIn.headers.location, `/api/citizen/oidc/start?next=${encodeURIComponent(`/services/${w.serviceCode}/apply`)}&lang=zh-CN`);
    assert.equal((await page(w.session, '/services/NO-SUCH-SERVICE/apply')).statusCode, 404);
  });

  it('renders the e-form with the registry values to confirm: locked ones as text, others as inputs with the value', async () => {
    const res = await page(w.session, `/services/${w.serviceCode}/apply?lang=en`);
    assert.equal(res.statusCode, 200);
    assert.doesNotMatch(res.body, /<script/i, 'no JavaScript');
    assert.match(res.body, /enctype="multipart\/form-data"/);
    assert.ok(res.body.includes(w.citizen.name), 'the name from the population registry');
    assert.doesNotMatch(res.body, /name="fd\.name"/, 'a locked field is not an input');
    assert.doesNotMatch(res.body, /name="fd\.idNumber"/);
    assert.match(res.body, /From the population registry/);
    assert.match(res.body, /<input type="date" id="f-birthDate" name="fd\.birthDate" value="1949-12-31"/, 'an editable prefilled field keeps the value');
    for (const type of ['textarea id="f-notes"', 'id="f-months" name="fd.months"', 'type="radio" id="f-reason"', '<select id="f-kind"', 'type="checkbox" id="f-services"', 'id="f-employerCode"', 'type="tel" id="f-phone"', 'type="email" id="f-email"', 'type="checkbox" id="f-declare"']) assert.ok(res.body.includes(type), type);
    assert.match(res.body, /<input type="file" id="m-floorPlan" name="file\.floorPlan"/);
    assert.match(res.body, /The platform fetches these from the base registries: you need not upload them\.<\/p><ul><li>Resident identity card/);
    assert.match(res.body, /at most 10 MB/);
    assert.match(res.body, /Save as draft/);
    assert.match(hiddenOf(res.body, 'key') ?? '', /^[0-9a-f-]{36}$/, 'an idempotency key made for this page');
  });

  it('refuses a form with problems: a summary linking to each field, the words beside it, the answers kept, the files to choose again', async () => {
    const before = await count();
    const form = await page(w.session, `/services/${w.serviceCode}/apply`);
    const res = await postMultipart(`/services/${w.serviceCode}/apply`, w.session, { csrf: w.session.csrfToken, key: hiddenOf(form.body, 'key')!, lang: 'en', do: 'submit', ...answers({ 'fd.phone': '12', 'fd.months': 'many', 'fd.address': '人民路 9 号' }) }, [plan()]);
    assert.equal(res.statusCode, 400, res.body.slice(0, 300));
    assert.match(res.body, /<div class="error-summary" role="alert"/);
    assert.match(res.body, /<a href="#f-phone">Field phone is not a phone number/);
    assert.match(res.body, /<a href="#f-months">/);
    assert.match(res.body, /id="f-phone-error"/);
    assert.match(res.body, /aria-describedby="f-phone-error" aria-invalid="true"/);
    assert.ok(res.body.includes('value="人民路 9 号"'), 'the answers are kept');
    assert.ok(res.body.includes('name="fd.months" value="many"'), 'as typed');
    assert.match(res.body, /choose them again/);
    assert.equal(hiddenOf(res.body, 'key'), hiddenOf(form.body, 'key'), 'the same idempotency key');
    const badFile = await postMultipart(`/services/${w.serviceCode}/apply`, w.session, { csrf: w.session.csrfToken, lang: 'en', do: 'submit', ...answers() }, [{ field: 'file.floorPlan', name: 'plan.png', content: Buffer.from(pdf(), 'base64') }]);
    assert.equal(badFile.statusCode, 400);
    assert.match(badFile.body, /<a href="#m-floorPlan">Floor plan of the premises: &quot;plan.png&quot; contains a PDF document/);
    assert.match(badFile.body, /id="m-floorPlan-error"/);
    const large = await postMultipart(`/services/${w.serviceCode}/apply`, w.session, { csrf: w.session.csrfToken, lang: 'en', do: 'submit', ...answers() }, [plan('big.pdf', 10 * 1024 * 1024 + 10)]);
    assert.equal(large.statusCode, 400);
    assert.match(large.body, /<a href="#m-floorPlan">Floor plan of the premises: &quot;big.pdf&quot; is larger than 10 MB/);
    assert.equal(await count(), before, 'nothing written');
    const zh = await postMultipart(`/services/${w.serviceCode}/apply`, w.session, { csrf: w.session.csrfToken, lang: 'zh-CN', do: 'submit', ...answers({ 'fd.phone': '' }) });
    assert.equal(zh.statusCode, 400);
    assert.match(zh.body, /<a href="#f-phone">请填写“字段phone”<\/a>/);
    assert.match(zh.body, /缺少必需的材料“经营场所平面图”/);
    const forged = await postMultipart(`/services/${w.serviceCode}/apply`, w.session, { csrf: 'forged', ...answers() }, [plan()]);
    assert.equal(forged.statusCode, 403);
    assert.equal((await postMultipart(`/services/${w.serviceCode}/apply`, null, answers(), [plan()])).statusCode, 401);
  });

  it('submits with the material uploaded: the confirmation, the receipt, and the same form sent twice makes one application', async () => {
    const before = await count();
    const form = await page(w.session, `/services/${w.serviceCode}/apply`);
    const fields = { csrf: w.session.csrfToken, key: hiddenOf(form.body, 'key')!, lang: 'en', do: 'submit', ...answers() };
    const [first, second] = await Promise.all([postMultipart(`/services/${w.serviceCode}/apply`, w.session, fields, [plan()]), postMultipart(`/services/${w.serviceCode}/apply`, w.session, fields, [plan()])]);
    assert.equal(first.statusCode, 303, first.body.slice(0, 500));
    assert.equal(second.statusCode, 303, second.body.slice(0, 500));
    assert.equal(first.headers.location, second.headers.location, 'both go to the one application');
    assert.equal(await count(), before + 1);
    const again = await postMultipart(`/services/${w.serviceCode}/apply`, w.session, fields, [plan()]);
    assert.equal(again.headers.location, first.headers.location, 'resent later, still the same');
    assert.equal(await count(), before + 1);

    const confirmation = await page(w.session, String(first.headers.location));
    assert.equal(confirmation.statusCode, 200);
    assert.match(confirmation.body, /Application submitted/);
    const number = /<strong class="big">(\d{14})<\/strong>/.exec(confirmation.body)?.[1];
    assert.ok(number, confirmation.body.slice(0, 800));
    assert.match(confirmation.body, /The department decides whether to accept your application by/);
    const id = /\/me\/applications\/([0-9a-f-]{36})/.exec(String(first.headers.location))![1];
    const receipt = await page(w.session, `/me/applications/${id}/receipt?lang=en`);
    assert.equal(receipt.statusCode, 200);
    assert.ok(receipt.body.includes(number));
    assert.ok(receipt.body.includes(w.citizen.name));
    assert.ok(!receipt.body.includes(w.citizen.idNumber), 'the ID number is masked');
    assert.match(receipt.body, /plan\.pdf<\/td><td>2 KB<\/td><td><code>[0-9a-f]{16}<\/code>/);
    assert.ok(receipt.body.includes(w.t.world.deptA.nameEn), 'the issuing organization');
    assert.equal(receipt.headers['cache-control'], 'no-store');
    const mine = await page(w.session, '/me/applications?lang=en');
    assert.ok(mine.body.includes(`/me/applications/${id}?lang=en`));
    assert.match(mine.body, /Submitted, awaiting acceptance/);
    assert.ok((await page(w.session, '/me')).body.includes(`/me/applications/${id}?lang=zh-CN`), 'listed in my space');
  });

  it("keeps one citizen's applications from another, and sends someone signed out to sign in", async () => {
    const id = await applyThroughPortal();
    for (const path of ['', '/receipt', '/confirmation', '/edit', '/withdraw']) {
      assert.equal((await page(w.stranger.session, `/me/applications/${id}${path}`)).statusCode, 404, path);
    }
    assert.equal((await postForm(`/me/applications/${id}/withdraw`, w.stranger.session, { version: '1' })).statusCode, 404);
    assert.ok(!(await page(w.stranger.session, '/me/applications')).body.includes(id));
    const out = await page(null, `/me/applications/${id}`);
    assert.equal(out.statusCode, 303);
    assert.match(String(out.headers.location), /^\/api\/citizen\/oidc\/start\?next=/);
    assert.equal((await page(w.session, '/me/applications/not-an-id')).statusCode, 404);
  });

  it('saves a draft, continues it, and submits it', async () => {
    const form = await page(w.session, `/services/${w.serviceCode}/apply`);
    const saved = await postMultipart(`/services/${w.serviceCode}/apply`, w.session, { csrf: w.session.csrfToken, key: hiddenOf(form.body, 'key')!, do: 'draft', 'fd.phone': '13800138000' });
    assert.equal(saved.statusCode, 303, saved.body.slice(0, 500));
    assert.match(String(saved.headers.location), /done=draft/);
    const id = /\/me\/applications\/([0-9a-f-]{36})/.exec(String(saved.headers.location))![1];
    const shown = await page(w.session, String(saved.headers.location));
    assert.match(shown.body, /草稿已保存/);
    const edit = await page(w.session, `/me/applications/${id}/edit`);
    assert.equal(edit.statusCode, 200);
    assert.ok(edit.body.includes('value="13800138000"'), 'the draft answers');
    const sent = await postMultipart(`/me/applications/${id}/edit`, w.session, { csrf: w.session.csrfToken, version: hiddenOf(edit.body, 'version')!, do: 'submit', ...answers() }, [plan()]);
    assert.equal(sent.statusCode, 303, sent.body.slice(0, 500));
    assert.equal(sent.headers.location, `/me/applications/${id}/confirmation?lang=zh-CN`);
    const twice = await postMultipart(`/me/applications/${id}/edit`, w.session, { csrf: w.session.csrfToken, version: hiddenOf(edit.body, 'version')!, do: 'submit', ...answers() }, [plan()]);
    assert.equal(twice.statusCode, 303, 'a second click goes to the application, not to an error');
  });

  it('withdraws after a confirmation page', async () => {
    const id = await applyThroughPortal();
    const confirm = await page(w.session, `/me/applications/${id}/withdraw?lang=en`);
    assert.match(confirm.body, /Withdraw this application\?/);
    const done = await postForm(`/me/applications/${id}/withdraw`, w.session, { version: hiddenOf(confirm.body, 'version')!, lang: 'en' });
    assert.equal(done.statusCode, 303);
    const shown = await page(w.session, String(done.headers.location));
    assert.match(shown.body, /Status: Withdrawn/);
    assert.match(shown.body, /The application is withdrawn/);
  });
});

describe('after applying', () => {
  it('answers a supplement request: all its items shown at once, the material uploaded again', async () => {
    const id = await applyThroughPortal();
    const task = await openTask(id);
    const asked = await officer('POST', `/api/services/tasks/${task.id}/complete`, { version: task.version, decision: 'supplement', items: [{ materialKey: 'floorPlan', zh: '平面图须标明尺寸', en: 'The floor plan must show dimensions' }, { field: 'phone', zh: '请提供可接通的电话', en: 'Give a phone number that answers' }], noteZh: '请补正', noteEn: 'Please supplement' });
    assert.equal(asked.statusCode, 200, asked.body);
    const shown = await page(w.session, `/me/applications/${id}?lang=en`);
    assert.match(shown.body, /The floor plan must show dimensions/);
    assert.match(shown.body, /Give a phone number that answers/);
    assert.match(shown.body, /action="\/me\/applications\/[0-9a-f-]{36}\/supplement" enctype="multipart\/form-data"/);
    assert.match(shown.body, /id="f-phone" name="fd\.phone" value="13800138000"/, 'the field to correct, with its value');
    const version = hiddenOf(shown.body.slice(shown.body.indexOf('/supplement"')), 'version')!;
    const bad = await postMultipart(`/me/applications/${id}/supplement`, w.session, { csrf: w.session.csrfToken, version, lang: 'en', 'fd.phone': '12' }, [plan('plan-v2.pdf')]);
    assert.equal(bad.statusCode, 400, bad.body.slice(0, 300));
    assert.match(bad.body, /<a href="#f-phone">/);
    const ok = await postMultipart(`/me/applications/${id}/supplement`, w.session, { csrf: w.session.csrfToken, version, lang: 'en', 'fd.phone': '13900139000' }, [plan('plan-v2.pdf', 4096)]);
    assert.equal(ok.statusCode, 303, ok.body.slice(0, 500));
    const after = await page(w.session, String(ok.headers.location));
    assert.match(after.body, /Status: Submitted, awaiting acceptance/);
    assert.match(after.body, /plan-v2\.pdf/);
    assert.match(after.body, /Corrections and documents sent/);
    assert.match(after.body, /13900139000/);
  });

  it('shows the decision with the licence, and takes a rating (a reason when poor)', async () => {
    const id = await applyThroughPortal();
    let task = await openTask(id);
    let dossier = (await officer('POST', `/api/services/tasks/${task.id}/complete`, { version: task.version, decision: 'accept' })).json;
    const review = await page(w.session, `/me/applications/${id}?lang=en`);
    assert.match(review.body, /the decision is due by/);
    for (let i = 0; i < 8 && dossier.status === 'in_review'; i++) {
      task = await openTask(id);
      dossier = (await officer('POST', `/api/services/tasks/${task.id}/complete`, { version: task.version, opinion: 'agree', comment: '同意', decision: 'approve' })).json;
    }
    assert.equal(dossier.status, 'approved', JSON.stringify(dossier).slice(0, 300));
    const shown = await page(w.session, `/me/applications/${id}?lang=en`);
    assert.match(shown.body, /Status: Approved/);
    assert.ok(shown.body.includes(`href="/me/licences/${dossier.licenceId}?lang=en"`), 'a link to the licence');
    assert.match(shown.body, /A review step was completed/);
    const poor = await postForm(`/me/applications/${id}/rating`, w.session, { rating: 'poor', reason: '', lang: 'en' });
    assert.equal(poor.statusCode, 400);
    assert.match(poor.body, /id="reason-error"/);
    assert.match(poor.body, /<a href="#reason">/);
    const none = await postForm(`/me/applications/${id}/rating`, w.session, { lang: 'en' });
    assert.equal(none.statusCode, 400);
    assert.match(none.body, /Choose good or poor/);
    const rated = await postForm(`/me/applications/${id}/rating`, w.session, { rating: 'poor', reason: '等待时间太长', lang: 'en' });
    assert.equal(rated.statusCode, 303, rated.body.slice(0, 300));
    const after = await page(w.session, String(rated.headers.location));
    assert.match(after.body, /You rated it: poor/);
    assert.match(after.body, /等待时间太长/);
    assert.equal((await asCitizen(w.t, w.session, 'GET', `/api/citizen/applications/${id}`)).json.rating, 'poor');
  });
});

describe('acting for an enterprise', () => {
  it('applies on behalf of the enterprise the person chose at sign-in', async () => {
    const rep = await buildCitizen(w.t);
    const entity = await buildEntity(w.t, rep.idNumber);
    const session = await signInCitizen(w.t, rep.phone);
    assert.equal((await postForm('/me/enterprises', session, { creditCode: entity.creditCode })).statusCode, 303);
    // Signing in through the provider, the representative chooses to act for the enterprise.
    const browser = createBrowser();
    const start = await browser.request(`${issuer}/api/citizen/oidc/start?next=/me`);
    const signInPage = await browser.follow(start.location!, `${issuer}/api/citizen/oidc/callback`);
    const login = formOf(signInPage);
    const actAs = await browser.follow(login.action, `${issuer}/me`, { form: { ...login.fields, kind: 'citizen', login: rep.phone, password: CITIZEN_PASSWORD } });
    const actor = [...actAs.body.matchAll(/name="actor" value="([^"]+)"/g)].map((m) => m[1]).find((v) => v !== 'self');
    assert.ok(actor, actAs.body.slice(0, 400));
    const chosen = formOf(actAs);
    await browser.follow(chosen.action, `${issuer}/me`, { form: { ...chosen.fields, actor } });
    const cookie = [...browser.jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const form = await w.t.http.inject({ method: 'GET', url: `/services/${w.serviceCode}/apply`, headers: { cookie } });
    assert.equal(form.statusCode, 200, form.body.slice(0, 300));
    assert.ok(form.body.includes(`您正以“${entity.name}”（${entity.creditCode}）的名义申请`), 'the form says for whom');
    const csrf = hiddenOf(form.body, 'csrf')!;
    const sent = await postMultipart(`/services/${w.serviceCode}/apply`, { cookie, csrfToken: csrf }, { csrf, key: hiddenOf(form.body, 'key')!, do: 'submit', ...answers() }, [plan()]);
    assert.equal(sent.statusCode, 303, sent.body.slice(0, 600));
    const id = /\/me\/applications\/([0-9a-f-]{36})/.exec(String(sent.headers.location))![1];
    const row = await w.t.services.database.db.selectFrom('services.applications').select(['enterprise_credit_code', 'applicant_name']).where('id', '=', id).executeTakeFirstOrThrow();
    assert.deepEqual(row, { enterprise_credit_code: entity.creditCode, applicant_name: entity.name });
    const shown = await w.t.http.inject({ method: 'GET', url: `/me/applications/${id}`, headers: { cookie } });
    assert.ok(shown.body.includes(`${entity.name}（${entity.creditCode}）`), 'the application names the enterprise');
  });
});

describe('bad posts', () => {
  it('answers malformed, oversized and hostile posts to every application form with 4xx, never 5xx, writing nothing', async () => {
    const id = await applyThroughPortal();
    const before = await count();
    const cookie = w.session.cookie;
    const csrf = w.session.csrfToken;
    const urls = [`/services/${w.serviceCode}/apply`, `/me/applications/${id}/edit`, `/me/applications/${id}/supplement`, `/me/applications/${id}/rating`, `/me/applications/${id}/withdraw`];
    const bodies: { type: string; payload: string | Buffer }[] = [
      { type: 'multipart/form-data; boundary=x', payload: 'not multipart at all' },
      { type: 'multipart/form-data', payload: '--x\r\n' },
      { type: 'multipart/form-data; boundary=b', payload: `--b\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n${csrf}\r\n--b\r\nContent-Disposition: form-data; name="__proto__"\r\n\r\nx\r\n--b--\r\n` },
      { type: 'multipart/form-data; boundary=b', payload: `--b\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n${csrf}\r\n--b\r\nContent-Disposition: form-data; name="fd.phone"\r\n\r\n${'9'.repeat(70_000)}\r\n--b--\r\n` },
      { type: 'multipart/form-data; boundary=b', payload: `--b\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n${csrf}\r\n--b\r\nContent-Disposition: form-data; name="file.floorPlan"; filename="../../etc/passwd.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.7 x\r\n--b\r\nContent-Disposition: form-data; name="version"\r\n\r\n-1e309\r\n--b\r\nContent-Disposition: form-data; name="key"\r\n\r\n' or 1=1\r\n--b--\r\n` },
      { type: 'application/x-www-form-urlencoded', payload: `csrf=${csrf}&rating=excellent&reason=${'x'.repeat(600)}&version=abc&fd.months[]=1` },
      { type: 'application/x-www-form-urlencoded', payload: `csrf=${csrf}&${'a=1&'.repeat(5000)}` },
      { type: 'application/json', payload: JSON.stringify({ csrf, formData: {} }) },
    ];
    for (const url of urls) {
      for (const b of bodies) {
        const res = await w.t.http.inject({ method: 'POST', url, headers: { cookie, 'content-type': b.type }, payload: b.payload });
        assert.ok(res.statusCode < 500, `${url} ${b.type} ${String(b.payload).slice(0, 40)}: ${res.statusCode} ${res.body.slice(0, 300)}`);
      }
    }
    assert.equal(await count(), before, 'no application made');
  });
});
