// How a member node joins its instance. At start it makes its keys (once), sends the central
// node a registration signed with them, and then asks for the decision until the central
// operator has approved or rejected it. Approval brings the certificates, which it checks
// against its own keys and installs; from then on it can open its node port and reach the
// other nodes. A rejection stays until the node's operator registers again
// (`egov exchange register`): a node does not keep asking after a no.
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db.ts';
import type { NodeSettings } from '../../config.ts';
import type { KeyPair, Suite, SuiteName } from '../trust/index.ts';
import type { Anchor } from './global-conf.ts';
import { AUTH, memberPurpose, type NodeIdentity } from './node-identity.ts';
import type { RegistrationStatus } from './node-schema.ts';
import { checkCode, REGISTRATION_FORMAT, signRegistration, type RegistrationBody } from './registration.ts';

export type EnrolmentState = { state: 'certified' } | { state: 'pending' | 'rejected'; registrationId: string; checkCode: string; note: string | null };

type EnrolmentRow = { registration_id: string; check_code: string; status: 'pending' | 'approved' | 'rejected'; submitted_at: Date; decided_at: Date | null; note: string | null };

export class EnrolmentError extends Error {}

export type EnrolmentDeps = {
  db: Db;
  clock: Clock;
  identity: NodeIdentity;
  suites: Record<SuiteName, Suite>;
  instance: string;
  node: NodeSettings;
  anchor: Anchor;
  /** Tells the operator what happened (the check code to compare, a rejection). */
  notify: (message: string) => void;
};

export function createEnrolment(deps: EnrolmentDeps) {
  const purposes = [AUTH, ...deps.node.members.map(memberPurpose)];
  const central = deps.anchor.centralUrl.replace(/\/$/, '');
  const findRow = async () => (await deps.db.selectFrom('exchange.node_enrolment').selectAll().where('id', '=', 1).executeTakeFirst()) as EnrolmentRow | undefined;

  async function call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    let response: Response;
    try {
      response = await fetch(`${central}${path}`, { method, headers: body ? { 'content-type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined, signal: AbortSignal.timeout(10_000) });
    } catch (err) {
      throw new EnrolmentError(`The central node at ${central} cannot be reached (${(err as Error).cause ? String((err as { cause: { code?: string } }).cause.code ?? (err as Error).message) : (err as Error).message}).`);
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
    const status = await call<RegistrationStatus>('POST', '/exchange/v1/nodes/registrations', signRegistration(body, keys, deps.suites));
    const row = { id: 1, registration_id: status.id, check_code: checkCode(body), status: 'pending' as const, submitted_at: deps.clock.now(), decided_at: null, note: null };
    await deps.db.insertInto('exchange.node_enrolment').values(row).onConflict((oc) => oc.column('id').doUpdateSet(row)).execute();
    deps.notify(`Registration of node ${deps.node.name} sent to ${central}. Check code ${row.check_code}: ask the central operator to approve it (Exchange → Nodes in the workbench, or egov exchange approve <id> on the central node).`);
    return { state: 'pending', registrationId: status.id, checkCode: row.check_code, note: null };
  }

  return {
    /** One step towards being certified: submit, or ask for the decision and install what it brought. */
    async step(options: { again?: boolean } = {}): Promise<EnrolmentState> {
      const missing = await deps.identity.missingCertificates(purposes);
      if (missing.length === 0 && !options.again) return { state: 'certified' };
      const row = await findRow();
      if (!row || options.again || row.status === 'approved') return submit();
      if (row.status === 'rejected') return { state: 'rejected', registrationId: row.registration_id, checkCode: row.check_code, note: row.note };
      const status = await call<RegistrationStatus>('GET', `/exchange/v1/nodes/registrations/${row.registration_id}`);
      if (status.status === 'pending') return { state: 'pending', registrationId: row.registration_id, checkCode: row.check_code, note: null };
      if (status.status === 'rejected') {
        await deps.db.updateTable('exchange.node_enrolment').set({ status: 'rejected', decided_at: status.decidedAt ? new Date(status.decidedAt) : deps.clock.now(), note: status.note }).where('id', '=', 1).execute();
        deps.notify(`The central operator rejected the registration of node ${deps.node.name}: ${status.note ?? 'no reason given'}. Register again with egov exchange register once it is sorted out.`);
        return { state: 'rejected', registrationId: row.registration_id, checkCode: row.check_code, note: status.note };
      }
      const certificates = status.certificates!;
      await deps.identity.installCertificate(AUTH, Buffer.from(certificates.auth, 'base64'));
      for (const { member, certificate } of certificates.members) await deps.identity.installCertificate(memberPurpose(member), Buffer.from(certificate, 'base64'));
      await deps.db.updateTable('exchange.node_enrolment').set({ status: 'approved', decided_at: status.decidedAt ? new Date(status.decidedAt) : deps.clock.now(), note: status.note }).where('id', '=', 1).execute();
      deps.notify(`Node ${deps.node.name} was approved: its certificates are installed.`);
      return { state: 'certified' };
    },

    status: async (): Promise<EnrolmentRow | undefined> => findRow(),
  };
}

export type Enrolment = ReturnType<typeof createEnrolment>;
