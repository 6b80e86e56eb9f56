// The central node's list of nodes, and how a node joins: it sends a registration (its name,
// address, zone, the members it will host and its public keys, each proven by a signature);
// the central operator compares the check code with the node's operator and approves or
// rejects. Approval certifies the node's keys and adds the node to the global configuration,
// which from then on routes its members' services to it. Every step is one transaction with
// its audit row.
import { SYSTEM_ACTOR, type Audit } from '../../platform/audit.ts';
import type { ChangeFeed } from '../../platform/changes.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db, Executor } from '../../platform/db.ts';
import type { Operator, RequestContext } from '../../platform/actor.ts';
import { ConflictError, invalidField, NotFoundError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import type { Suite, SuiteName } from '../trust/index.ts';
import type { NodeView, Registration, RegistrationStatus, RegistrationSubmit } from './node-schema.ts';
import * as policy from './policy.ts';
import { checkCode, RegistrationError, verifyRegistration } from './registration.ts';
import { EXCHANGE_TOPIC } from './registry.ts';

export type NodeRow = {
  name: string;
  url: string;
  zone: 'internal' | 'external' | 'public';
  is_central: boolean;
  members: string[];
  auth_serial: string;
  auth_certificate: Uint8Array;
  registration_id: string | null;
  status: 'active' | 'inactive';
  created_at: Date;
  updated_at: Date;
};

type RegistrationRow = {
  id: string;
  name: string;
  url: string;
  zone: NodeRow['zone'];
  members: string[];
  auth_public_key: Uint8Array;
  member_keys: { member: string; publicKey: string }[];
  check_code: string;
  status: 'pending' | 'approved' | 'rejected';
  submitted_at: Date;
  submitted_from: string | null;
  decided_by_name: string | null;
  decided_at: Date | null;
  decision_note: string | null;
  certificates: { auth: string; members: { member: string; certificate: string }[] } | null;
  version: number;
};

type Certified = { auth: { serial: string; der: Buffer }; members: { orgId: string; serial: string; der: Buffer }[] };

export type NodesDeps = {
  db: Db;
  audit: Audit;
  clock: Clock;
  changes: ChangeFeed;
  instance: string;
  suite: SuiteName;
  suites: Record<SuiteName, Suite>;
  organizations: () => Promise<{ id: string; identifier: string; status: string }[]>;
  /** The trust module's CA: certifies a node's keys in the caller's transaction. */
  certifyNode: (trx: Executor, input: { instance: string; nodeName: string; host: string; authKey: Buffer; members: { orgId: string; publicKey: Buffer }[]; replaces: string[] }) => Promise<Certified>;
};

function presentRegistration(row: RegistrationRow): Registration {
  return {
    id: row.id,
    name: row.name,
    url: row.url,
    zone: row.zone,
    members: row.members,
    checkCode: row.check_code,
    status: row.status,
    submittedAt: row.submitted_at.toISOString(),
    submittedFrom: row.submitted_from,
    decidedByName: row.decided_by_name,
    decidedAt: row.decided_at?.toISOString() ?? null,
    decisionNote: row.decision_note,
    version: row.version,
  };
}

export function presentNode(row: NodeRow, members: string[] = row.members): NodeView {
  return { name: row.name, url: row.url, zone: row.zone, central: row.is_central, members, authSerial: row.auth_serial, status: row.status, updatedAt: row.updated_at.toISOString() };
}

export function createNodes(deps: NodesDeps) {
  const { db, audit, clock } = deps;
  // Who wants to know of decisions (the ferry, to carry the answer to a node across it).
  const decisionListeners: ((status: RegistrationStatus) => void)[] = [];
  const decided = async (id: string) => {
    const status = await statusOf(id);
    for (const listener of decisionListeners) listener(status);
  };
  async function statusOf(id: string): Promise<RegistrationStatus> {
    const row = await findRegistration(db, id);
    if (!row) throw new NotFoundError('node registration', id, '节点注册申请');
    return { id: row.id, name: row.name, checkCode: row.check_code, status: row.status, decidedAt: row.decided_at?.toISOString() ?? null, note: row.decision_note, certificates: row.certificates };
  }

  const findRegistration = async (trx: Executor, id: string, forUpdate = false) => {
    let query = trx.selectFrom('exchange.node_registrations').selectAll().where('id', '=', id);
    if (forUpdate) query = query.forUpdate();
    return (await query.executeTakeFirst()) as RegistrationRow | undefined;
  };
  const listNodeRows = async (trx: Executor = db) => (await trx.selectFrom('exchange.nodes').selectAll().orderBy('is_central', 'desc').orderBy('name').execute()) as NodeRow[];

  async function lockPending(trx: Executor, id: string, version: number): Promise<RegistrationRow> {
    const row = await findRegistration(trx, id, true);
    if (!row) throw new NotFoundError('node registration', id, '节点注册申请');
    if (row.status !== 'pending') throw new ConflictError('already_decided', `The registration was already ${row.status}.`, `该注册申请已${row.status === 'approved' ? '批准' : '驳回'}。`);
    if (row.version !== version) throw new ConflictError('stale_version', 'The registration changed since you loaded it; reload and decide again.', '注册申请已被修改，请刷新后重新审批。');
    return row;
  }

  /** Which node hosts each member: the one that lists it, else the central node. */
  async function hosting(): Promise<{ nodes: NodeRow[]; hostOf: Map<string, string> }> {
    const nodes = (await listNodeRows()).filter((n) => n.status === 'active');
    const hostOf = new Map<string, string>();
    for (const node of nodes) for (const member of node.members) hostOf.set(member, node.name);
    return { nodes, hostOf };
  }

  return {
    hosting,

    /** The central node's own row, kept in step with its configuration and certificate. */
    async upsertCentral(input: { name: string; url: string; zone: NodeRow['zone']; authSerial: string; authCertificate: Buffer }): Promise<void> {
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        const existing = (await trx.selectFrom('exchange.nodes').selectAll().where('is_central', '=', true).forUpdate().executeTakeFirst()) as NodeRow | undefined;
        if (existing && existing.name === input.name && existing.url === input.url && existing.zone === input.zone && existing.auth_serial === input.authSerial) return;
        if (existing) await trx.deleteFrom('exchange.nodes').where('name', '=', existing.name).execute();
        await trx
          .insertInto('exchange.nodes')
          .values({ name: input.name, url: input.url, zone: input.zone, is_central: true, members: JSON.stringify([]), auth_serial: input.authSerial, auth_certificate: input.authCertificate, registration_id: null, status: 'active', created_at: existing?.created_at ?? now, updated_at: now })
          .execute();
        await audit.record(trx, { actor: SYSTEM_ACTOR, action: 'exchange.node.central', subjectType: 'node', subjectId: input.name, outcome: 'success', detail: { url: input.url, zone: input.zone, authSerial: input.authSerial } });
        await deps.changes.notify(trx, EXCHANGE_TOPIC);
      });
      deps.changes.local(EXCHANGE_TOPIC);
    },

    /** A new node asks to join; anyone may ask, only the operator decides. */
    async submit(input: RegistrationSubmit, ip: string | null): Promise<RegistrationStatus> {
      let body;
      try {
        body = verifyRegistration(input, deps.suites, { instance: deps.instance, suite: deps.suite });
      } catch (err) {
        if (err instanceof RegistrationError) throw invalidField(err.field, 'registration', err.message, `节点注册申请无效：${err.field} ${err.message}`);
        throw err;
      }
      const orgs = await deps.organizations();
      for (const member of body.members) {
        const org = orgs.find((o) => o.identifier === member);
        if (!org || org.status !== 'active') throw invalidField('members', 'not_found', `${member} is not an active member of this instance`, `${member} 不是本实例的有效成员`);
      }
      const { nodes, hostOf } = await hosting();
      if (nodes.some((n) => n.is_central && n.name === body.name)) throw invalidField('name', 'taken', 'is the central node\'s name', '是中心节点的名称');
      for (const member of body.members) {
        const host = hostOf.get(member);
        if (host && host !== body.name) throw new ConflictError('member_hosted', `${member} is hosted by node ${host}; move it from there first.`, `${member} 已由节点 ${host} 托管，请先从该节点移出。`);
      }
      const row: RegistrationRow = {
        id: newId(),
        name: body.name,
        url: body.url.replace(/\/$/, ''),
        zone: body.zone,
        members: body.members,
        auth_public_key: Buffer.from(body.authKey, 'base64'),
        member_keys: body.memberKeys,
        check_code: checkCode(body),
        status: 'pending',
        submitted_at: clock.now(),
        submitted_from: ip,
        decided_by_name: null,
        decided_at: null,
        decision_note: null,
        certificates: null,
        version: 1,
      };
      await db.transaction().execute(async (trx) => {
        // A node that registers again (new keys, a wiped database) replaces its waiting request.
        const superseded = await trx.updateTable('exchange.node_registrations').set({ status: 'rejected', decided_by_name: 'system', decided_at: row.submitted_at, decision_note: 'superseded by a newer registration', version: 2 }).where('name', '=', row.name).where('status', '=', 'pending').executeTakeFirst();
        await trx.insertInto('exchange.node_registrations').values({ ...row, members: JSON.stringify(row.members), member_keys: JSON.stringify(row.member_keys) }).execute();
        await audit.record(trx, { actor: { id: null, name: `node ${row.name}`, orgId: null }, action: 'exchange.node.register', subjectType: 'node_registration', subjectId: row.id, outcome: 'success', detail: { name: row.name, url: row.url, zone: row.zone, members: row.members, checkCode: row.check_code, superseded: Number(superseded.numUpdatedRows) }, ip });
      });
      return this.status(row.id);
    },

    /** What the registering node polls. */
    status: statusOf,

    onDecision(listener: (status: RegistrationStatus) => void) {
      decisionListeners.push(listener);
    },

    async listRegistrations(ctx: RequestContext, filter: { status?: RegistrationRow['status'] }): Promise<Registration[]> {
      policy.assertMayReadStatus(ctx.actor);
      return this.registrations(filter);
    },

    /** For the operator's CLI on the central node (no actor: it holds the database already). */
    pendingRegistrations(): Promise<Registration[]> {
      return this.registrations({ status: 'pending' });
    },

    async registrations(filter: { status?: RegistrationRow['status'] }): Promise<Registration[]> {
      let query = db.selectFrom('exchange.node_registrations').selectAll();
      if (filter.status) query = query.where('status', '=', filter.status);
      return ((await query.orderBy('submitted_at', 'desc').limit(200).execute()) as RegistrationRow[]).map(presentRegistration);
    },

    async listNodes(ctx: RequestContext): Promise<NodeView[]> {
      policy.assertMayReadStatus(ctx.actor);
      const { nodes, hostOf } = await hosting();
      const orgs = await deps.organizations();
      const centralMembers = orgs.filter((o) => o.status === 'active' && !hostOf.has(o.identifier)).map((o) => o.identifier);
      return (await listNodeRows()).map((n) => presentNode(n, n.is_central ? centralMembers : n.members)).filter((n) => nodes.some((a) => a.name === n.name) || n.status === 'inactive');
    },

    /** The operator's approval: from the workbench (a platform admin) or the CLI on the central node. */
    async approve(op: Operator, id: string, version: number, note?: string): Promise<Registration> {
      if (op.actor) policy.assertMayDecideNodes(op.actor);
      const orgs = await deps.organizations();
      const approved = await db.transaction().execute(async (trx) => {
        const row = await lockPending(trx, id, version);
        const previous = (await trx.selectFrom('exchange.nodes').selectAll().where('name', '=', row.name).forUpdate().executeTakeFirst()) as NodeRow | undefined;
        // Two pending registrations may name the same member; the first approved hosts it.
        const others = (await trx.selectFrom('exchange.nodes').select(['name', 'members']).where('status', '=', 'active').where('name', '!=', row.name).execute()) as Pick<NodeRow, 'name' | 'members'>[];
        for (const member of row.members) {
          const host = others.find((n) => n.members.includes(member));
          if (host) throw new ConflictError('member_hosted', `${member} is hosted by node ${host.name}; move it from there first.`, `${member} 已由节点 ${host.name} 托管，请先从该节点移出。`);
        }
        const members = row.member_keys.map((k) => {
          const org = orgs.find((o) => o.identifier === k.member);
          if (!org || org.status !== 'active') throw new ConflictError('member_inactive', `${k.member} is no longer an active member.`, `${k.member} 已不是有效成员。`);
          return { orgId: org.id, publicKey: Buffer.from(k.publicKey, 'base64') };
        });
        const certified = await deps.certifyNode(trx, { instance: deps.instance, nodeName: row.name, host: new URL(row.url).hostname, authKey: Buffer.from(row.auth_public_key), members, replaces: previous ? [previous.auth_serial] : [] });
        const now = clock.now();
        const certificates = {
          auth: certified.auth.der.toString('base64'),
          members: certified.members.map((m) => ({ member: orgs.find((o) => o.id === m.orgId)!.identifier, certificate: m.der.toString('base64') })),
        };
        const decision = { status: 'approved' as const, decided_by_name: op.actor?.displayName ?? op.auditAs.name, decided_at: now, decision_note: note ?? null, certificates: JSON.stringify(certificates), version: row.version + 1 };
        await trx.updateTable('exchange.node_registrations').set(decision).where('id', '=', id).execute();
        const node = { url: row.url, zone: row.zone, members: JSON.stringify(row.members), auth_serial: certified.auth.serial, auth_certificate: certified.auth.der, registration_id: row.id, status: 'active', updated_at: now };
        if (previous) await trx.updateTable('exchange.nodes').set(node).where('name', '=', row.name).execute();
        else await trx.insertInto('exchange.nodes').values({ name: row.name, is_central: false, created_at: now, ...node }).execute();
        await audit.record(trx, { actor: op.auditAs, action: 'exchange.node.approve', subjectType: 'node_registration', subjectId: id, outcome: 'success', detail: { name: row.name, members: row.members, authSerial: certified.auth.serial }, ip: op.ip, requestId: op.requestId });
        await deps.changes.notify(trx, EXCHANGE_TOPIC);
        return { ...row, ...decision, certificates };
      });
      deps.changes.local(EXCHANGE_TOPIC);
      await decided(id);
      return presentRegistration(approved);
    },

    async reject(op: Operator, id: string, version: number, note: string): Promise<Registration> {
      if (op.actor) policy.assertMayDecideNodes(op.actor);
      const rejected = await db.transaction().execute(async (trx) => {
        const row = await lockPending(trx, id, version);
        const decision = { status: 'rejected' as const, decided_by_name: op.actor?.displayName ?? op.auditAs.name, decided_at: clock.now(), decision_note: note, version: row.version + 1 };
        await trx.updateTable('exchange.node_registrations').set(decision).where('id', '=', id).execute();
        await audit.record(trx, { actor: op.auditAs, action: 'exchange.node.reject', subjectType: 'node_registration', subjectId: id, outcome: 'success', detail: { name: row.name, note }, ip: op.ip, requestId: op.requestId });
        return { ...row, ...decision };
      });
      await decided(id);
      return presentRegistration(rejected);
    },
  };
}

export type Nodes = ReturnType<typeof createNodes>;
