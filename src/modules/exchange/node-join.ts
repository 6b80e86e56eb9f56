// How a member node joins its instance. At start it makes its keys (once), sends the central
// node a registration signed with them, and then asks for the decision until the central
// operator has approved or rejected it. Approval brings the certificates, which it checks
// against its own keys and installs; from then on it can open its node port and reach the
// other nodes. A rejection stays until the node's operator registers again
// (`egov exchange register`): a node does not keep asking after a no.
import crypto from 'node:crypto';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db.ts';
import type { NodeSettings } from '../../config.ts';
import type { KeyPair, Suite, SuiteName } from '../trust/index.ts';
import type { Anchor } from './global-conf.ts';
import { AUTH, memberPurpose, type NodeIdentity } from './node-identity.ts';
import type { RegistrationStatus } from './node-schema.ts';
import { checkCode, REGISTRATION_FORMAT, signRegistration, type RegistrationBody, type SignedRegistration } from './registration.ts';

export type EnrolmentState = { state: 'certified' } | { state: 'pending' | 'rejected'; registrationId: string; checkCode: string; note: string | null };

type EnrolmentRow = { registration_id: string; check_code: string; status: 'pending' | 'approved' | 'rejected'; submitted_at: Date; decided_at: Date | null; note: string | null };

export class EnrolmentError extends Error {}

/**
 * How the registration reaches the central node: over HTTP (submit, then ask), or across the
 * ferry (submit, and the answer comes back as a bundle: nothing to ask).
 */
export type EnrolmentChannel = {
  submit(registration: SignedRegistration): Promise<RegistrationStatus | undefined>;
  poll(registrationId: string): Promise<RegistrationStatus | undefined>;
};

export type EnrolmentDeps = {
  db: Db;
  clock: Clock;
  identity: NodeIdentity;
  suites: Record<SuiteName, Suite>;
  instance: string;
  node: NodeSettings;
  anchor: Anchor;
  /** HTTP to the anchor's central URL unless a channel (the ferry) is given. */
  channel?: EnrolmentChannel;
  /** Tells the operator what happened (the check code to compare, a rejection). */
  notify: (message: string) => void;
};

/** The central node's registration endpoints over HTTP, at the anchor's address. */
export function httpChannel(centralUrl: string): EnrolmentChannel {
  const central = centralUrl.replace(/\/$/, '');
  async function call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    let response: Response;
    try {
      response = await fetch(`${central}${path}`, { method, headers: body ? { 'content-type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined, signal: AbortSignal.timeout(10_000) });
    } catch (err) {
      const cause = (err as { cause?: { code?: string } }).cause;
      throw new EnrolmentError(`The central node at ${central} cannot be reached (${cause?.code ?? (err as Error).message}).`);
    }
    const text = await response.text();
    if (!response.ok) {
      let detail = text;
      try {
        detail = JSON.parse(text).detail ?? text;
      } catch {
        // not problem+json
      }
      throw new EnrolmentError(`The central node refused the registration (${response.status}): ${detail}`);
    }
    return JSON.parse(text) as T;
  }
  return {
    submit: (registration) => call<RegistrationStatus>('POST', '/exchange/v1/nodes/registrations', registration),
    poll: (id) => call<RegistrationStatus>('GET', `/exchange/v1/nodes/registrations/${id}`),
  };
}

export function createEnrolment(deps: EnrolmentDeps) {
  const purposes = [AUTH, ...deps.node.members.map(memberPurpose)];
  const channel = deps.channel ?? httpChannel(deps.anchor.centralUrl);
  const findRow = async () => (await deps.db.selectFrom('exchange.node_enrolment').selectAll().where('id', '=', 1).executeTakeFirst()) as EnrolmentRow | undefined;

  async function submit(): Promise<EnrolmentState> {
    await deps.identity.ensureKey(AUTH);
    const keys = { auth: await deps.identity.keyPair(AUTH), members: new Map<string, KeyPair>() };
    const memberKeys: RegistrationBody['memberKeys'] = [];
    for (const member of deps.node.members) {
      const key = await deps.identity.ensureKey(memberPurpose(member));
      keys.members.set(member, await deps.identity.keyPair(memberPurpose(member)));
      memberKeys.push({ member, publicKey: key.publicKeySpki.toString('base64') });
    }
    const body: RegistrationBody = {
      format: REGISTRATION_FORMAT,
      instance: deps.instance,
      name: deps.node.name,
      url: deps.node.url,
      zone: deps.node.zone,
      members: deps.node.members,
      authKey: keys.auth.publicKeySpki.toString('base64'),
      memberKeys,
      submittedAt: deps.clock.now().toISOString(),
    };
    const status = await channel.submit(signRegistration(body, keys, deps.suites));
    // Across the ferry the central node's id for the registration comes back later, with the check code.
    const row = { id: 1, registration_id: status?.id ?? crypto.randomUUID(), check_code: checkCode(body), status: 'pending' as const, submitted_at: deps.clock.now(), decided_at: null, note: null };
    await deps.db.insertInto('exchange.node_enrolment').values(row).onConflict((oc) => oc.column('id').doUpdateSet(row)).execute();
    deps.notify(`Registration of node ${deps.node.name} sent. Check code ${row.check_code}: ask the central operator to approve it (Exchange → Nodes in the workbench, or egov exchange approve <id> on the central node).`);
    return { state: 'pending', registrationId: row.registration_id, checkCode: row.check_code, note: null };
  }

  /** The central node's answer to our registration: installs the certificates once approved. */
  async function accept(status: RegistrationStatus): Promise<EnrolmentState | undefined> {
    const row = await findRow();
    // Only the answer to the registration this node sent last (its check code says which).
    if (!row || status.name !== deps.node.name || status.checkCode !== row.check_code) return undefined;
    const decidedAt = status.decidedAt ? new Date(status.decidedAt) : deps.clock.now();
    if (status.status === 'pending') {
      await deps.db.updateTable('exchange.node_enrolment').set({ registration_id: status.id }).where('id', '=', 1).execute();
      return { state: 'pending', registrationId: status.id, checkCode: row.check_code, note: null };
    }
    if (status.status === 'rejected') {
      await deps.db.updateTable('exchange.node_enrolment').set({ registration_id: status.id, status: 'rejected', decided_at: decidedAt, note: status.note }).where('id', '=', 1).execute();
      deps.notify(`The central operator rejected the registration of node ${deps.node.name}: ${status.note ?? 'no reason given'}. Register again with egov exchange register --again once it is sorted out.`);
      return { state: 'rejected', registrationId: status.id, checkCode: row.check_code, note: status.note };
    }
    const certificates = status.certificates!;
    await deps.identity.installCertificate(AUTH, Buffer.from(certificates.auth, 'base64'));
    for (const { member, certificate } of certificates.members) await deps.identity.installCertificate(memberPurpose(member), Buffer.from(certificate, 'base64'));
    await deps.db.updateTable('exchange.node_enrolment').set({ registration_id: status.id, status: 'approved', decided_at: decidedAt, note: status.note }).where('id', '=', 1).execute();
    deps.notify(`Node ${deps.node.name} was approved: its certificates are installed.`);
    return { state: 'certified' };
  }

  return {
    accept,

    /** One step towards being certified: submit, or ask for the decision and install what it brought. */
    async step(options: { again?: boolean } = {}): Promise<EnrolmentState> {
      const missing = await deps.identity.missingCertificates(purposes);
      if (missing.length === 0 && !options.again) return { state: 'certified' };
      const row = await findRow();
      if (!row || options.again || row.status === 'approved') return submit();
      if (row.status === 'rejected') return { state: 'rejected', registrationId: row.registration_id, checkCode: row.check_code, note: row.note };
      const status = await channel.poll(row.registration_id);
      const accepted = status && (await accept(status));
      return accepted ?? { state: 'pending', registrationId: row.registration_id, checkCode: row.check_code, note: null };
    },

    status: async (): Promise<EnrolmentRow | undefined> => findRow(),
  };
}

export type Enrolment = ReturnType<typeof createEnrolment>;
