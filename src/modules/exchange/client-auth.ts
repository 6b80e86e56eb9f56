// How a client system proves to its node that it acts for a subsystem. The issue fixes three
// ways, configured per subsystem: an API token, a TLS client certificate, or a trusted source
// address (X-Road's plain-HTTP connection type). On the central node a staff API token of the
// subsystem's organization works too. Credentials are held in memory and reloaded after any
// change (here at once, on replicas through the change feed); tokens are stored as SHA-256.
import crypto from 'node:crypto';
import net from 'node:net';
import type { Audit } from '../../platform/audit.ts';
import type { ChangeFeed } from '../../platform/changes.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db.ts';
import type { Operator } from '../../platform/actor.ts';
import { ConflictError, invalidField, NotFoundError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { formatClientId, IdentifierError, parseClientId } from './identifiers.ts';
import { EXCHANGE_TOPIC } from './registry.ts';

export const CLIENT_TOKEN_PREFIX = 'egx_';
export const CREDENTIAL_KINDS = ['token', 'certificate', 'address'] as const;
export type CredentialKind = (typeof CREDENTIAL_KINDS)[number];

export type ClientCredential = { id: string; subsystem: string; kind: CredentialKind; value: string; label: string; createdByName: string; createdAt: string };

type Row = { id: string; subsystem: string; kind: CredentialKind; value: string; label: string; created_by_name: string; created_at: Date; revoked_at: Date | null };

const sha256 = (value: string | Uint8Array) => crypto.createHash('sha256').update(value).digest('hex');

export type ClientPresentation = { bearer?: string; certificateDer?: Uint8Array; remoteAddress?: string };

/** A subsystem identifier in its canonical (percent-encoded) form, or a ValidationError naming it. */
export function canonicalSubsystem(value: string, field = 'subsystem'): string {
  try {
    const id = parseClientId(value);
    if (id.subsystem === undefined) throw invalidField(field, 'subsystem_required', 'must name a subsystem: INSTANCE/CLASS/MEMBER/SUBSYSTEM', '须为子系统标识：INSTANCE/CLASS/MEMBER/SUBSYSTEM');
    return formatClientId(id);
  } catch (err) {
    if (err instanceof IdentifierError) throw invalidField(field, 'identifier', err.message, `标识符无效：${err.message}`);
    throw err;
  }
}

function parseAddress(value: string): { address: string; prefix: number; family: 'ipv4' | 'ipv6' } {
  const [address, prefixText, ...rest] = value.split('/');
  const family = net.isIPv4(address) ? 'ipv4' : net.isIPv6(address) ? 'ipv6' : undefined;
  const max = family === 'ipv4' ? 32 : 128;
  // Decimal digits only: Number('') is 0, and '10.1.2.0/' read as /0 would let every address in.
  const prefix = prefixText === undefined ? max : /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : NaN;
  if (!family || rest.length > 0 || !Number.isInteger(prefix) || prefix < 0 || prefix > max) throw invalidField('value', 'address', 'must be an IP address or a CIDR block, e.g. 10.1.2.0/24', '须为 IP 地址或 CIDR 网段，如 10.1.2.0/24');
  return { address, prefix, family };
}

export function createClientAuth(deps: { db: Db; audit: Audit; clock: Clock; changes: ChangeFeed }) {
  const { db, clock } = deps;
  let loaded: Promise<{ tokens: Map<string, string>; certificates: Map<string, Set<string>>; addresses: Map<string, net.BlockList> }> | undefined;
  deps.changes.subscribe(EXCHANGE_TOPIC, () => (loaded = undefined));

  async function load() {
    const rows = (await db.selectFrom('exchange.client_credentials').selectAll().where('revoked_at', 'is', null).execute()) as Row[];
    const tokens = new Map<string, string>();
    const certificates = new Map<string, Set<string>>();
    const addresses = new Map<string, net.BlockList>();
    for (const row of rows) {
      if (row.kind === 'token') tokens.set(row.value, row.subsystem);
      if (row.kind === 'certificate') certificates.set(row.subsystem, (certificates.get(row.subsystem) ?? new Set()).add(row.value));
      if (row.kind === 'address') {
        const list = addresses.get(row.subsystem) ?? new net.BlockList();
        const { address, prefix, family } = parseAddress(row.value);
        list.addSubnet(address, prefix, family);
        addresses.set(row.subsystem, list);
      }
    }
    return { tokens, certificates, addresses };
  }

  async function write(op: Operator, action: string, id: string, detail: Record<string, unknown>, work: (trx: Db) => Promise<void>) {
    await db.transaction().execute(async (trx) => {
      await work(trx as unknown as Db);
      await deps.audit.record(trx, { actor: op.auditAs, action, subjectType: 'client_credential', subjectId: id, outcome: 'success', detail, ip: op.ip, requestId: op.requestId });
      await deps.changes.notify(trx, EXCHANGE_TOPIC);
    });
    deps.changes.local(EXCHANGE_TOPIC);
  }

  return {
    /** Whether what the client presented is a credential of `subsystem` (canonical form). */
    async authenticate(subsystem: string, presented: ClientPresentation): Promise<'token' | 'certificate' | 'address' | undefined> {
      loaded ??= load();
      const { tokens, certificates, addresses } = await loaded;
      if (presented.bearer?.startsWith(CLIENT_TOKEN_PREFIX) && tokens.get(sha256(presented.bearer)) === subsystem) return 'token';
      if (presented.certificateDer && certificates.get(subsystem)?.has(sha256(presented.certificateDer))) return 'certificate';
      const address = presented.remoteAddress?.replace(/^::ffff:/, '');
      if (address && addresses.get(subsystem)?.check(address, net.isIPv4(address) ? 'ipv4' : 'ipv6')) return 'address';
      return undefined;
    },

    /**
     * Adds a credential. For a token the value is generated and returned once (only its hash
     * is kept); for a certificate, `value` is its PEM or DER (base64); for an address, an IP or
     * CIDR block.
     */
    async add(op: Operator, input: { subsystem: string; kind: CredentialKind; value?: string; label?: string }): Promise<{ credential: ClientCredential; token?: string }> {
      const subsystem = canonicalSubsystem(input.subsystem);
      let value: string;
      let token: string | undefined;
      if (input.kind === 'token') {
        token = CLIENT_TOKEN_PREFIX + crypto.randomBytes(24).toString('base64url');
        value = sha256(token);
      } else if (input.kind === 'certificate') {
        const pem = /-----BEGIN CERTIFICATE-----([\s\S]+?)-----END CERTIFICATE-----/.exec(input.value ?? '');
        const der = Buffer.from(pem ? pem[1].replace(/\s+/g, '') : (input.value ?? ''), 'base64');
        try {
          new crypto.X509Certificate(der);
        } catch {
          throw invalidField('value', 'certificate', 'must be an X.509 certificate (PEM, or DER in base64)', '须为 X.509 证书（PEM，或 base64 编码的 DER）');
        }
        value = sha256(der);
      } else {
        const { address, prefix } = parseAddress(input.value ?? '');
        value = `${address}/${prefix}`;
      }
      const row: Row = { id: newId(), subsystem, kind: input.kind, value, label: input.label ?? '', created_by_name: op.actor?.displayName ?? op.auditAs.name, created_at: clock.now(), revoked_at: null };
      await write(op, 'exchange.client_credential.add', row.id, { subsystem, kind: row.kind, ...(row.kind === 'token' ? {} : { value }) }, async (trx) => {
        const existing = await trx.selectFrom('exchange.client_credentials').select('id').where('subsystem', '=', subsystem).where('kind', '=', row.kind).where('value', '=', value).where('revoked_at', 'is', null).executeTakeFirst();
        if (existing) throw new ConflictError('credential_exists', 'The subsystem already has this credential.', '该子系统已有此凭据。');
        await trx.insertInto('exchange.client_credentials').values(row).execute();
      });
      return { credential: present(row), ...(token ? { token } : {}) };
    },

    async list(filter: { subsystemPrefix?: string }): Promise<ClientCredential[]> {
      let query = db.selectFrom('exchange.client_credentials').selectAll().where('revoked_at', 'is', null);
      if (filter.subsystemPrefix) query = query.where('subsystem', 'like', `${filter.subsystemPrefix.replace(/[\\%_]/g, '\\$&')}/%`);
      return ((await query.orderBy('subsystem').orderBy('created_at').execute()) as Row[]).map(present);
    },

    async find(id: string): Promise<ClientCredential | undefined> {
      const row = (await db.selectFrom('exchange.client_credentials').selectAll().where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst()) as Row | undefined;
      return row && present(row);
    },

    async revoke(op: Operator, id: string): Promise<void> {
      const credential = await this.find(id);
      if (!credential) throw new NotFoundError('client credential', id, '客户端凭据');
      await write(op, 'exchange.client_credential.revoke', id, { subsystem: credential.subsystem, kind: credential.kind }, async (trx) => {
        await trx.updateTable('exchange.client_credentials').set({ revoked_at: clock.now() }).where('id', '=', id).execute();
      });
    },
  };
}

function present(row: Row): ClientCredential {
  // A token's hash is no secret, but it is of no use to anyone either: shown shortened.
  return { id: row.id, subsystem: row.subsystem, kind: row.kind, value: row.kind === 'token' ? `sha256:${row.value.slice(0, 12)}…` : row.value, label: row.label, createdByName: row.created_by_name, createdAt: row.created_at.toISOString() };
}

export type ClientAuth = ReturnType<typeof createClientAuth>;
