// This node's own keys for the exchange: the TLS authentication key that other nodes know it
// by, and (on a member node) the signing key of each member it hosts. Keys are made here and
// never leave the node; the central CA certifies them when the operator approves the node's
// registration (on the central node itself, at start). Private keys are sealed at rest with
// the master key, bound to their purpose.
//
// Authentication keys are ECDSA P-256 on every instance: Node's TLS has no SM2 (TLCP), so
// the suite only decides the members' signing keys (decision 0009).
import crypto from 'node:crypto';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db.ts';
import type { Sealed, SecretBox } from '../../platform/secret-box.ts';
import { readCertificate, type CmsSigner, type Suite, type SuiteName } from '../trust/index.ts';

export const AUTH = 'auth';
export const memberPurpose = (member: string) => `member:${member}`;

type KeyRow = { purpose: string; suite: SuiteName; public_spki: Uint8Array; sealed_private: Sealed; certificate: Uint8Array | null; serial: string | null; created_at: Date };

export type MemberSigner = CmsSigner & { serial: string };
export type TlsIdentity = { keyPem: string; certPem: string; certDer: Buffer; serial: string };

export class NodeIdentityError extends Error {}

export type NodeIdentityDeps = { db: Db; box: SecretBox; clock: Clock; suites: Record<SuiteName, Suite>; suite: SuiteName };

export function createNodeIdentity(deps: NodeIdentityDeps) {
  const { db, box, suites } = deps;
  const context = (purpose: string) => `exchange.node_keys/${purpose}`;
  let tls: TlsIdentity | undefined;
  const signers = new Map<string, MemberSigner>();
  let caChain: Buffer[] = [];

  const find = async (purpose: string) => (await db.selectFrom('exchange.node_keys').selectAll().where('purpose', '=', purpose).executeTakeFirst()) as KeyRow | undefined;

  function keyPairOf(row: KeyRow) {
    return suites[row.suite].importKeyPair(box.open(row.sealed_private, context(row.purpose)), Buffer.from(row.public_spki));
  }

  return {
    /** The public key for `purpose`, made now when this node has none. Safe from several replicas. */
    async ensureKey(purpose: string): Promise<{ suite: SuiteName; publicKeySpki: Buffer }> {
      let row = await find(purpose);
      if (!row) {
        const suite: SuiteName = purpose === AUTH ? 'ecdsa-p256-sha256' : deps.suite;
        const key = suites[suite].generateKeyPair();
        await db
          .insertInto('exchange.node_keys')
          .values({ purpose, suite, public_spki: key.publicKeySpki, sealed_private: JSON.stringify(box.seal(suites[suite].exportPrivate(key), context(purpose))), certificate: null, serial: null, created_at: deps.clock.now() })
          .onConflict((oc) => oc.column('purpose').doNothing())
          .execute();
        row = (await find(purpose))!;
      }
      return { suite: row.suite, publicKeySpki: Buffer.from(row.public_spki) };
    },

    /** The key pair for `purpose`, opened from its seal: only to sign with it. */
    async keyPair(purpose: string) {
      const row = await find(purpose);
      if (!row) throw new NodeIdentityError(`This node has no ${purpose} key.`);
      return keyPairOf(row);
    },

    /** Stores the CA's certificate for a key; refuses one that certifies another key. */
    async installCertificate(purpose: string, der: Buffer): Promise<void> {
      const row = await find(purpose);
      if (!row) throw new NodeIdentityError(`This node has no ${purpose} key for the certificate.`);
      const info = readCertificate(der);
      if (!info.publicKeySpki.equals(Buffer.from(row.public_spki))) throw new NodeIdentityError(`The ${purpose} certificate ${info.serial} is for another key than this node's.`);
      await db.updateTable('exchange.node_keys').set({ certificate: der, serial: info.serial }).where('purpose', '=', purpose).execute();
      tls = undefined;
      signers.delete(purpose);
    },

    /** Which purposes still lack a certificate. */
    async missingCertificates(purposes: string[]): Promise<string[]> {
      const rows = (await db.selectFrom('exchange.node_keys').select(['purpose', 'certificate']).where('purpose', 'in', purposes).execute()) as Pick<KeyRow, 'purpose' | 'certificate'>[];
      return purposes.filter((p) => !rows.some((r) => r.purpose === p && r.certificate));
    },

    /** The certificate for `purpose`, without opening its private key. */
    async certificate(purpose: string): Promise<{ der: Buffer; serial: string } | undefined> {
      const row = await db.selectFrom('exchange.node_keys').select(['certificate', 'serial']).where('purpose', '=', purpose).executeTakeFirst();
      return row?.certificate ? { der: Buffer.from(row.certificate), serial: row.serial! } : undefined;
    },

    /** The TLS key and certificate other nodes authenticate this node by, once certified. */
    async tlsIdentity(): Promise<TlsIdentity | undefined> {
      if (tls) return tls;
      const row = await find(AUTH);
      if (!row?.certificate) return undefined;
      const key = keyPairOf(row);
      const der = Buffer.from(row.certificate);
      const keyPem = crypto.createPrivateKey({ key: suites[row.suite].exportPrivate(key), format: 'der', type: 'pkcs8' }).export({ format: 'pem', type: 'pkcs8' }) as string;
      tls = { keyPem, certPem: new crypto.X509Certificate(der).toString(), certDer: der, serial: row.serial! };
      return tls;
    },

    /** One of this node's own certificates by serial, for evidence packages. */
    async ownCertificate(serial: string): Promise<Buffer | undefined> {
      const row = await db.selectFrom('exchange.node_keys').select('certificate').where('serial', '=', serial).executeTakeFirst();
      return row?.certificate ? Buffer.from(row.certificate) : undefined;
    },

    /** The CA chain (issuing, root) signers present with their certificate, from the global configuration. */
    setChain(chain: Buffer[]) {
      caChain = chain;
      for (const signer of signers.values()) signer.chain = chain;
    },

    /** A hosted member's signer on a member node: its key and the certificate the central CA issued. */
    async memberSigner(member: string): Promise<MemberSigner | undefined> {
      const purpose = memberPurpose(member);
      const cached = signers.get(purpose);
      if (cached) return cached;
      const row = await find(purpose);
      if (!row?.certificate) return undefined;
      const signer = { certificateDer: Buffer.from(row.certificate), key: keyPairOf(row), suite: suites[row.suite], chain: caChain, serial: row.serial! };
      signers.set(purpose, signer);
      return signer;
    },
  };
}

export type NodeIdentity = ReturnType<typeof createNodeIdentity>;
