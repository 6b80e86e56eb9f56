// Enterprise accounts and their agents. An enterprise is not a login: its legal
// representative, a verified citizen, registers it after the legal-entity registry (read
// through the exchange) says the credit code exists, is active and is represented by that
// citizen's ID number. The representative authorizes other citizens as agents, per service
// and until an expiry, and revokes them; an authorization simply stops counting at its expiry.
import { checkCreditCode } from '../../../platform/codes/credit-code.ts';
import { isUniqueViolation } from '../../../platform/db-errors.ts';
import { ConflictError, NotFoundError, ValidationError, invalidField, type FieldError } from '../../../platform/errors.ts';
import { newId } from '../../../platform/ids.ts';
import { idNumberOf } from './inputs.ts';
import { maskName } from '../../../platform/mask.ts';
import { citizenActor, noEnterprise, notYours, type CitizenContext, type CitizenDeps } from './model.ts';
import { sameName } from './registry-check.ts';
import * as store from './store.ts';
import type { ActiveCitizen, AgentRow, EnterpriseRow } from './store.ts';

export type Enterprise = { id: string; creditCode: string; name: string; role: 'legal_representative' | 'agent'; services: { serviceCode: string; expiresAt: string }[]; verifiedAt: string };
export type Agent = { id: string; agentName: string; serviceCode: string; grantedAt: string; expiresAt: string; state: 'active' | 'expired' | 'revoked'; revokedAt: string | null };
export type AgentGrant = { agentIdNumber: string; agentName: string; serviceCode: string; expiresAt: string };

/** The longest an agent may be authorized for at once. */
const MAX_AGENT_DAYS = 3 * 366;
const SERVICE_CODE = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,99}$/;

const REFUSED = {
  not_found: ['credit_code_not_found', 'is not in the legal-entity registry: check the code on the business licence', '在法人单位基础信息库中未找到：请对照营业执照核对'],
  not_active: ['entity_not_active', 'belongs to an entity the registry does not record as active (it is revoked or cancelled)', '该主体在法人单位基础信息库中不是存续状态（已吊销或注销）'],
  not_representative: ['not_legal_representative', "is not represented by you: the registry names another legal representative. Ask the legal representative to register it and authorize you as an agent", '登记的法定代表人不是您：请由法定代表人注册，并授权您为经办人'],
} as const;

function presentAgent(row: AgentRow & { agent_name: string | null }, now: Date): Agent {
  const state = row.revoked_at ? 'revoked' : row.expires_at <= now ? 'expired' : 'active';
  // The representative chose the agent by ID number and name; the list shows no more than needed.
  return { id: row.id, agentName: row.agent_name ? maskName(row.agent_name) : '', serviceCode: row.service_code, grantedAt: row.granted_at.toISOString(), expiresAt: row.expires_at.toISOString(), state, revokedAt: row.revoked_at?.toISOString() ?? null };
}

export function createEnterprises(deps: CitizenDeps, active: (id: string) => Promise<ActiveCitizen>) {
  const { db, audit, clock, check } = deps;

  async function ownEnterprise(ctx: CitizenContext, id: string): Promise<EnterpriseRow> {
    const row = await store.findEnterprise(db, id);
    if (!row || row.status !== 'active') throw noEnterprise(id);
    if (row.legal_rep_id !== ctx.citizenId) {
      await audit.record(db, { actor: citizenActor(ctx.citizenId), action: 'identity.enterprise.access', subjectType: 'enterprise', subjectId: id, outcome: 'failure', detail: { reason: 'not_legal_representative' }, ip: ctx.ip, requestId: ctx.requestId });
      throw notYours('enterprise account', '企业账户');
    }
    return row;
  }

  return {
    async register(ctx: CitizenContext, rawCreditCode: string): Promise<Enterprise> {
      const creditCode = rawCreditCode.trim().toUpperCase();
      const problem = checkCreditCode(creditCode);
      if (problem === 'format') throw invalidField('creditCode', 'credit_code_format', 'must be the 18-character unified social credit code on the business licence', '须为营业执照上的 18 位统一社会信用代码');
      if (problem) throw invalidField('creditCode', 'credit_code_check_character', 'has a wrong check character: a character is mistyped', '校验码不符，可能有字符输入错误');
      const citizen = await active(ctx.citizenId);
      if (await store.findActiveEnterpriseByCode(db, creditCode)) throw new ConflictError('enterprise_registered', 'This enterprise already has an account. Its legal representative can authorize you as an agent.', '该企业已注册账户，可由其法定代表人授权您为经办人。', [{ field: 'creditCode', code: 'enterprise_registered', message: 'already has an account', messageZh: '已注册账户' }]);
      const verdict = await check.checkEntity(creditCode, citizen.id_number, { issue: 'enterprise-registration', userId: `citizen:${citizen.id}` });
      if (verdict.outcome !== 'match') {
        await audit.record(db, { actor: citizenActor(citizen.id), action: 'identity.enterprise.register', subjectType: 'enterprise', subjectId: null, outcome: 'failure', detail: { reason: verdict.outcome, creditCode, exchangeId: verdict.exchangeId }, ip: ctx.ip, requestId: ctx.requestId });
        const [code, message, messageZh] = REFUSED[verdict.outcome];
        throw new ValidationError([{ field: 'creditCode', code, message, messageZh }]);
      }
      const now = clock.now();
      const row: EnterpriseRow = { id: newId(), credit_code: creditCode, name: verdict.name, legal_rep_id: citizen.id, status: 'active', verified_at: now, verification_exchange_id: verdict.exchangeId, created_at: now, closed_at: null };
      try {
        await db.transaction().execute(async (trx) => {
          await store.insertEnterprise(trx, row);
          await audit.record(trx, { actor: citizenActor(citizen.id), action: 'identity.enterprise.register', subjectType: 'enterprise', subjectId: row.id, outcome: 'success', detail: { creditCode, verification: 'legal-entity-registry', exchangeId: verdict.exchangeId }, ip: ctx.ip, requestId: ctx.requestId });
        });
      } catch (err) {
        if (isUniqueViolation(err)) throw new ConflictError('enterprise_registered', 'This enterprise already has an account.', '该企业已注册账户。', [{ field: 'creditCode', code: 'enterprise_registered', message: 'already has an account', messageZh: '已注册账户' }]);
        throw err;
      }
      return { id: row.id, creditCode, name: row.name, role: 'legal_representative', services: [], verifiedAt: now.toISOString() };
    },

    /** The enterprises the citizen represents, and those it is an agent of now (with the services). */
    async mine(ctx: CitizenContext): Promise<Enterprise[]> {
      const { represented, agentFor } = await store.enterprisesOf(db, ctx.citizenId, clock.now());
      const list: Enterprise[] = represented.map((e) => ({ id: e.id, creditCode: e.credit_code, name: e.name, role: 'legal_representative', services: [], verifiedAt: e.verified_at.toISOString() }));
      for (const a of agentFor) {
        const existing = list.find((e) => e.id === a.enterprise.id && e.role === 'agent');
        const service = { serviceCode: a.service_code, expiresAt: a.expires_at.toISOString() };
        if (existing) existing.services.push(service);
        else list.push({ id: a.enterprise.id, creditCode: a.enterprise.credit_code, name: a.enterprise.name, role: 'agent', services: [service], verifiedAt: a.enterprise.verified_at.toISOString() });
      }
      return list;
    },

    /** The enterprise's agents, for its legal representative only (their names are personal data: audited). */
    async agents(ctx: CitizenContext, enterpriseId: string): Promise<Agent[]> {
      const enterprise = await ownEnterprise(ctx, enterpriseId);
      const rows = await store.listAgents(db, enterprise.id);
      await audit.record(db, { actor: citizenActor(ctx.citizenId), action: 'identity.enterprise.agents.read', subjectType: 'enterprise', subjectId: enterprise.id, outcome: 'success', detail: { agents: rows.length }, ip: ctx.ip, requestId: ctx.requestId });
      const now = clock.now();
      return rows.map((r) => presentAgent(r, now));
    },

    /** Authorizes a registered citizen (named by ID number and name) for one service until `expiresAt`. */
    async authorize(ctx: CitizenContext, enterpriseId: string, grant: AgentGrant): Promise<Agent> {
      const enterprise = await ownEnterprise(ctx, enterpriseId);
      const errors: FieldError[] = [];
      const id = idNumberOf(grant.agentIdNumber, 'agentIdNumber');
      if ('error' in id) errors.push(id.error);
      const serviceCode = grant.serviceCode.trim();
      if (!SERVICE_CODE.test(serviceCode)) errors.push({ field: 'serviceCode', code: 'service_code', message: 'must be the service code: letters, digits and . _ : / - (at most 100)', messageZh: '须为事项编码：字母、数字及 . _ : / -（最多 100 个字符）' });
      const now = clock.now();
      const expiresAt = new Date(grant.expiresAt);
      if (Number.isNaN(expiresAt.getTime()) || expiresAt <= now) errors.push({ field: 'expiresAt', code: 'not_future', message: 'must be a date and time in the future', messageZh: '须为将来的日期和时间' });
      else if (expiresAt.getTime() - now.getTime() > MAX_AGENT_DAYS * 86_400_000) errors.push({ field: 'expiresAt', code: 'too_far', message: 'may be at most three years from now; authorize again later', messageZh: '最长为自今日起三年，到期后可再次授权' });
      if (errors.length > 0) throw new ValidationError(errors);
      const agent = await store.findByLogin(db, { idNumber: (id as { value: string }).value });
      // One answer for "no account" and "wrong name": the representative learns nothing more.
      if (agent?.status !== 'active' || !sameName(agent.name ?? '', grant.agentName)) {
        throw new ValidationError([{ field: 'agentIdNumber', code: 'agent_not_found', message: 'and the name do not match a registered, verified citizen account: the agent registers first', messageZh: '与姓名不对应任何已注册并实名核验的个人账户：请经办人先注册' }]);
      }
      if (agent.id === enterprise.legal_rep_id) throw invalidField('agentIdNumber', 'agent_is_representative', 'is your own: as legal representative you act for the enterprise in every service already', '是您本人的号码：法定代表人已可办理企业的全部事项');
      // A current authorization for the same service is extended rather than doubled.
      const current = await store.findCurrentAgent(db, enterprise.id, agent.id, serviceCode, now);
      const row: AgentRow = current ? { ...current, expires_at: expiresAt } : { id: newId(), enterprise_id: enterprise.id, agent_id: agent.id, service_code: serviceCode, expires_at: expiresAt, granted_at: now, revoked_at: null };
      await db.transaction().execute(async (trx) => {
        if (current) await store.updateAgent(trx, row.id, { expires_at: expiresAt });
        else await store.insertAgent(trx, row);
        await audit.record(trx, { actor: citizenActor(ctx.citizenId), action: 'identity.enterprise.agent.authorize', subjectType: 'enterprise', subjectId: enterprise.id, outcome: 'success', detail: { authorizationId: row.id, agent: `citizen:${agent.id}`, serviceCode, expiresAt: expiresAt.toISOString(), extended: Boolean(current) }, ip: ctx.ip, requestId: ctx.requestId });
      });
      return presentAgent({ ...row, agent_name: agent.name }, now);
    },

    async revoke(ctx: CitizenContext, enterpriseId: string, authorizationId: string): Promise<void> {
      const enterprise = await ownEnterprise(ctx, enterpriseId);
      const row = await store.findAgent(db, authorizationId);
      if (!row || row.enterprise_id !== enterprise.id) throw new NotFoundError('agent authorization', authorizationId, '经办人授权');
      if (row.revoked_at) throw new ConflictError('already_revoked', 'This authorization is already revoked.', '该授权已撤销。');
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        await store.updateAgent(trx, row.id, { revoked_at: now });
        await audit.record(trx, { actor: citizenActor(ctx.citizenId), action: 'identity.enterprise.agent.revoke', subjectType: 'enterprise', subjectId: enterprise.id, outcome: 'success', detail: { authorizationId: row.id, agent: `citizen:${row.agent_id}`, serviceCode: row.service_code }, ip: ctx.ip, requestId: ctx.requestId });
      });
    },

    /**
     * The enterprises the citizen may act for now (for `serviceCode` when given): those they
     * represent, and those whose agent they currently are. What the sign-in page offers.
     */
    async actingOptions(citizenId: string, serviceCode?: string): Promise<{ creditCode: string; name: string; role: 'legal_representative' | 'agent' }[]> {
      const { represented, agentFor } = await store.enterprisesOf(db, citizenId, clock.now());
      const options: { creditCode: string; name: string; role: 'legal_representative' | 'agent' }[] = represented.map((e) => ({ creditCode: e.credit_code, name: e.name, role: 'legal_representative' }));
      for (const a of agentFor) {
        if (serviceCode !== undefined && a.service_code !== serviceCode) continue;
        if (options.some((o) => o.creditCode === a.enterprise.credit_code)) continue;
        options.push({ creditCode: a.enterprise.credit_code, name: a.enterprise.name, role: 'agent' });
      }
      return options;
    },

    /**
     * How the citizen may act for the enterprise with this credit code now: as its legal
     * representative, as an agent (for `serviceCode` when given, else for any service), or not.
     */
    /** The enterprises a citizen represents or is an agent of now (for any service): their applications are theirs to see. */
    async idsFor(citizenId: string): Promise<string[]> {
      const { represented, agentFor } = await store.enterprisesOf(db, citizenId, clock.now());
      return [...new Set([...represented.map((e) => e.id), ...agentFor.map((a) => a.enterprise_id)])];
    },

    async actingAs(citizenId: string, creditCode: string, serviceCode?: string): Promise<{ enterprise: EnterpriseRow; role: 'legal_representative' | 'agent'; services: string[] } | undefined> {
      const enterprise = await store.findActiveEnterpriseByCode(db, creditCode.trim().toUpperCase());
      if (!enterprise) return undefined;
      if (enterprise.legal_rep_id === citizenId) return { enterprise, role: 'legal_representative', services: ['*'] };
      const { agentFor } = await store.enterprisesOf(db, citizenId, clock.now());
      const services = agentFor.filter((a) => a.enterprise_id === enterprise.id).map((a) => a.service_code);
      if (services.length === 0 || (serviceCode !== undefined && !services.includes(serviceCode))) return undefined;
      return { enterprise, role: 'agent', services };
    },
  };
}

export type Enterprises = ReturnType<typeof createEnterprises>;
