// Enterprise accounts and agents: verification against the legal-entity registry through the
// exchange, agents per service with an expiry (ended by the clock) and revocation, and that
// a citizen cannot see or change another's enterprise.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { buildCreditCode } from '../../../platform/codes/credit-code.ts';
import { asCitizen, buildCitizen, buildCitizenWorld, buildEntity, buildPerson, counts, signInCitizen, type CitizenWorld } from './test-world.ts';

let world: CitizenWorld;
before(async () => {
  world = await buildCitizenWorld();
});
after(async () => {
  await world.t.close();
});

async function representative() {
  const { t } = world;
  const rep = await buildCitizen(t);
  const entity = await buildEntity(t, rep.idNumber);
  const session = await signInCitizen(t, rep.phone);
  const res = await asCitizen(t, session, 'POST', '/api/citizen/enterprises', { creditCode: entity.creditCode.toLowerCase() });
  assert.equal(res.statusCode, 201, res.body);
  return { rep, entity, session, enterprise: res.json as { id: string; creditCode: string; name: string } };
}

test('a legal representative registers the enterprise: the credit code exists, is active and is represented by them', async () => {
  const { t } = world;
  const { entity, enterprise, session } = await representative();
  assert.equal(enterprise.creditCode, entity.creditCode);
  assert.equal(enterprise.name, entity.name);
  const mine = await asCitizen(t, session, 'GET', '/api/citizen/enterprises');
  assert.deepEqual(mine.json.items.map((e: { creditCode: string; role: string }) => [e.creditCode, e.role]), [[entity.creditCode, 'legal_representative']]);
  const row = await t.services.database.db.selectFrom('identity.enterprises').selectAll().where('id', '=', enterprise.id).executeTakeFirstOrThrow();
  assert.ok(row.verification_exchange_id, 'the exchange message id is kept');
  // Again: already has an account.
  const again = await asCitizen(t, session, 'POST', '/api/citizen/enterprises', { creditCode: entity.creditCode });
  assert.equal(again.statusCode, 409);
  assert.equal(again.json.errors[0].field, 'creditCode');
});

test('refused naming creditCode: bad checksum, not in the registry, not active, someone else represents it; nothing written', async () => {
  const { t } = world;
  const citizen = await buildCitizen(t);
  const other = await buildPerson(t);
  const session = await signInCitizen(t, citizen.phone);
  const othersEntity = await buildEntity(t, other.idNumber);
  const cancelled = await buildEntity(t, citizen.idNumber, { status: 'cancelled' });
  const missing = buildCreditCode('9', '1', '110105', 'MA999999');
  const bad = othersEntity.creditCode.slice(0, 17) + (othersEntity.creditCode[17] === '0' ? '1' : '0');
  const before = await counts(t);
  const cases: [string, string, RegExp][] = [
    [bad, 'credit_code_check_character', /校验码/],
    ['123', 'credit_code_format', /18 位/],
    [missing, 'credit_code_not_found', /未找到/],
    [cancelled.creditCode, 'entity_not_active', /存续/],
    [othersEntity.creditCode, 'not_legal_representative', /法定代表人/],
  ];
  for (const [creditCode, code, zh] of cases) {
    const res = await asCitizen(t, session, 'POST', '/api/citizen/enterprises', { creditCode });
    assert.equal(res.statusCode, 400, res.body);
    assert.deepEqual(res.json.errors.map((e: { field: string; code: string }) => [e.field, e.code]), [['creditCode', code]]);
    const inZh = await asCitizen(t, session, 'POST', '/api/citizen/enterprises', { creditCode }, { lang: 'zh-CN' });
    assert.match(inZh.json.errors[0].message, zh);
  }
  assert.equal((await counts(t)).enterprises, before.enterprises);
});

test("agents: authorized per service with an expiry, listed masked, revoked; an authorization ends at its expiry", async () => {
  const { t } = world;
  const { enterprise, session, entity, rep } = await representative();
  const agent = await buildCitizen(t);
  const agentSession = await signInCitizen(t, agent.phone);
  const expiresAt = new Date(t.clock.now().getTime() + 2 * 86_400_000).toISOString();
  const url = `/api/citizen/enterprises/${enterprise.id}/agents`;
  const granted = await asCitizen(t, session, 'POST', url, { agentIdNumber: agent.idNumber, agentName: agent.name, serviceCode: 'tax.filing', expiresAt });
  assert.equal(granted.statusCode, 201, granted.body);
  assert.equal(granted.json.state, 'active');
  assert.ok(!granted.body.includes(agent.name), 'the name is masked');
  const other = await asCitizen(t, session, 'POST', url, { agentIdNumber: agent.idNumber, agentName: agent.name, serviceCode: 'social-insurance', expiresAt: new Date(t.clock.now().getTime() + 10 * 86_400_000).toISOString() });
  assert.equal(other.statusCode, 201);
  // The agent sees the enterprise with the services; the OIDC claims act for it in those services only.
  const mine = await asCitizen(t, agentSession, 'GET', '/api/citizen/enterprises');
  assert.deepEqual(mine.json.items.map((e: { role: string; services: { serviceCode: string }[] }) => [e.role, e.services.map((s) => s.serviceCode).sort()]), [['agent', ['social-insurance', 'tax.filing']]]);
  const claims = await t.services.citizens.claims(agent.sub, ['openid', 'profile'], { enterprise: entity.creditCode, service: 'tax.filing' });
  assert.equal(claims!.account_type, 'enterprise');
  assert.equal(claims!.credit_code, entity.creditCode);
  assert.equal(claims!.enterprise_role, 'agent');
  assert.equal(await t.services.citizens.claims(agent.sub, ['openid'], { enterprise: entity.creditCode, service: 'customs' }), undefined);
  // Bad grants are refused naming the field.
  const cases: [Record<string, unknown>, string][] = [
    [{ agentIdNumber: agent.idNumber, agentName: '别人', serviceCode: 'x', expiresAt }, 'agentIdNumber'],
    [{ agentIdNumber: '110105198503120000', agentName: agent.name, serviceCode: 'x', expiresAt }, 'agentIdNumber'],
    [{ agentIdNumber: agent.idNumber, agentName: agent.name, serviceCode: 'x', expiresAt: new Date(t.clock.now().getTime() - 1000).toISOString() }, 'expiresAt'],
    [{ agentIdNumber: agent.idNumber, agentName: agent.name, serviceCode: 'x', expiresAt: new Date(t.clock.now().getTime() + 5 * 366 * 86_400_000).toISOString() }, 'expiresAt'],
    [{ agentIdNumber: agent.idNumber, agentName: agent.name, serviceCode: 'has spaces', expiresAt }, 'serviceCode'],
  ];
  for (const [body, field] of cases) {
    const res = await asCitizen(t, session, 'POST', url, body);
    assert.equal(res.statusCode, 400, res.body);
    assert.equal(res.json.errors[0].field, field, res.body);
  }
  // Revoked: gone at once.
  const revoke = await asCitizen(t, session, 'DELETE', `${url}/${other.json.id}`);
  assert.equal(revoke.statusCode, 204, revoke.body);
  assert.equal((await asCitizen(t, session, 'DELETE', `${url}/${other.json.id}`)).statusCode, 409);
  assert.equal(await t.services.citizens.claims(agent.sub, ['openid'], { enterprise: entity.creditCode, service: 'social-insurance' }), undefined);
  // Expired: the clock passes the expiry and the authorization no longer counts.
  t.clock.advance(2 * 86_400_000 + 1000);
  assert.equal(await t.services.citizens.claims(agent.sub, ['openid'], { enterprise: entity.creditCode, service: 'tax.filing' }), undefined);
  // (The sessions ended too, idle for two days.)
  assert.equal((await asCitizen(t, agentSession, 'GET', '/api/citizen/enterprises')).statusCode, 401);
  assert.deepEqual((await asCitizen(t, await signInCitizen(t, agent.phone), 'GET', '/api/citizen/enterprises')).json.items, []);
  const list = await asCitizen(t, await signInCitizen(t, rep.phone), 'GET', url);
  assert.deepEqual(list.json.items.map((a: { serviceCode: string; state: string }) => [a.serviceCode, a.state]).sort(), [['social-insurance', 'revoked'], ['tax.filing', 'expired']]);
  const read = await t.services.database.db.selectFrom('audit.events').select('actor_name').where('action', '=', 'identity.enterprise.agents.read').where('subject_id', '=', enterprise.id).execute();
  assert.ok(read.length >= 1, 'reading the agents is audited');
  // The representative acts for the enterprise in any service.
  const asRep = await t.services.citizens.claims(rep.sub, ['openid'], { enterprise: entity.creditCode, service: 'anything' });
  assert.equal(asRep!.enterprise_role, 'legal_representative');
});

test("a citizen cannot see or change another's enterprise or its agents", async () => {
  const { t } = world;
  const { enterprise, session } = await representative();
  const outsider = await buildCitizen(t);
  const outsiderSession = await signInCitizen(t, outsider.phone);
  const agent = await buildCitizen(t);
  const expiresAt = new Date(t.clock.now().getTime() + 86_400_000).toISOString();
  const url = `/api/citizen/enterprises/${enterprise.id}/agents`;
  const granted = await asCitizen(t, session, 'POST', url, { agentIdNumber: agent.idNumber, agentName: agent.name, serviceCode: 'tax', expiresAt });
  assert.equal(granted.statusCode, 201);
  const read = await asCitizen(t, outsiderSession, 'GET', url);
  assert.equal(read.statusCode, 403);
  assert.equal(read.json.code, 'not_yours');
  assert.doesNotMatch(read.body, /tax/);
  const write = await asCitizen(t, outsiderSession, 'POST', url, { agentIdNumber: outsider.idNumber, agentName: outsider.name, serviceCode: 'tax', expiresAt });
  assert.equal(write.statusCode, 403);
  const revoke = await asCitizen(t, outsiderSession, 'DELETE', `${url}/${granted.json.id}`);
  assert.equal(revoke.statusCode, 403);
  // Even the enterprise's own agent may not manage its agents.
  const agentSession = await signInCitizen(t, agent.phone);
  assert.equal((await asCitizen(t, agentSession, 'GET', url)).statusCode, 403);
  assert.deepEqual((await asCitizen(t, outsiderSession, 'GET', '/api/citizen/enterprises')).json.items, []);
  assert.equal((await asCitizen(t, outsiderSession, 'GET', '/api/citizen/enterprises/00000000-0000-4000-8000-000000000000/agents')).statusCode, 404);
  const refusals = await t.services.database.db.selectFrom('audit.events').select('actor_name').where('action', '=', 'identity.enterprise.access').where('outcome', '=', 'failure').execute();
  assert.ok(refusals.some((r) => r.actor_name === outsider.sub));
  // Deleting the representative's account closes the enterprise and ends its agents.
  const rep = await asCitizen(t, session, 'POST', '/api/citizen/account/delete', { password: 'Citizen#2026pw' });
  assert.equal(rep.statusCode, 204, rep.body);
  assert.deepEqual((await asCitizen(t, agentSession, 'GET', '/api/citizen/enterprises')).json.items, []);
});
