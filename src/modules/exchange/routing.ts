// What the message path asks of the global configuration, indexed once per copy: which node
// hosts a service's member and with which address and certificate, whether a client may call
// a service, and whether a signer's certificate is live. Every node routes by the same
// document: a member node by its verified copy from the central node, the central node by
// the one it builds (routing.ts does not care which).
import crypto from 'node:crypto';
import { readCertificate, suiteOfPublicKey, type SuiteName } from '../trust/index.ts';
import type { ConfNode, ConfRight, ConfService, GlobalConf } from './global-conf.ts';
import { pathMatches } from './registry.ts';

export type NodeEntry = ConfNode & { certificateDer: Buffer; fingerprint: string; serial: string };
export type ServiceEntry = ConfService & { member: string };
export type MemberCertificate = { member: string; serial: string; der: Buffer; publicKeySpki: Buffer; suite: SuiteName; notBefore: Date; notAfter: Date };

export type CertificateCheck = { ok: true; certificate: MemberCertificate } | { ok: false; code: 'unknown' | 'revoked' | 'expired' | 'wrong_member'; message: string };

export const fingerprintOf = (der: Uint8Array) => crypto.createHash('sha256').update(der).digest('hex');

/** A member identifier (INSTANCE/CLASS/CODE) from a service or subsystem identifier. */
export const memberOf = (identifier: string) => identifier.split('/').slice(0, 3).join('/');

/**
 * Certificates parsed once per process: each copy of the configuration (every minute) lists
 * mostly the same ones, and parsing DER in JavaScript is not cheap.
 */
const parsedCertificates = new Map<string, ReturnType<typeof readCertificate>>();
function parseOnce(base64: string) {
  let info = parsedCertificates.get(base64);
  if (!info) {
    if (parsedCertificates.size >= 4096) parsedCertificates.clear();
    info = readCertificate(Buffer.from(base64, 'base64'));
    parsedCertificates.set(base64, info);
  }
  return info;
}

/** What an authorized call was granted: the fields of the answer, or null for the whole answer. */
export type Grant = { fields: string[] | null };

/**
 * The grant of the rights that match a call: the union of their field lists, sorted, or
 * null (the whole answer) when any of them has none; undefined when no right matches.
 */
export function grantOf(matching: readonly Pick<ConfRight, 'fields'>[]): Grant | undefined {
  if (matching.length === 0) return undefined;
  const fields = new Set<string>();
  for (const right of matching) {
    if (right.fields === null || right.fields === undefined) return { fields: null };
    for (const field of right.fields) fields.add(field);
  }
  return { fields: [...fields].sort() };
}

/** One node of the configuration, ready to connect to. */
export function nodeEntry(n: ConfNode): NodeEntry {
  const certificateDer = Buffer.from(n.authCertificate, 'base64');
  return { ...n, certificateDer, fingerprint: fingerprintOf(certificateDer), serial: parseOnce(n.authCertificate).serial };
}

export function indexConf(conf: GlobalConf) {
  const services = new Map<string, ServiceEntry>(conf.services.map((s) => [s.identifier, { ...s, member: memberOf(s.identifier) }]));
  const rights = new Map<string, ConfRight[]>();
  for (const right of conf.rights) rights.set(right.service, [...(rights.get(right.service) ?? []), right]);
  const groups = new Map(conf.groups.map((g) => [g.code, new Set(g.members)]));
  const nodes = conf.nodes.map(nodeEntry);
  const hostOf = new Map<string, NodeEntry>();
  for (const node of nodes) for (const member of node.members) hostOf.set(member, node);
  const byFingerprint = new Map(nodes.map((n) => [n.fingerprint, n]));
  const revoked = new Map(conf.revoked.map((r) => [r.serial, r]));
  const certificates = new Map<string, MemberCertificate>();
  for (const c of conf.memberCertificates) {
    const der = Buffer.from(c.certificate, 'base64');
    const info = parseOnce(c.certificate);
    const suite = suiteOfPublicKey(info.publicKeySpki);
    if (suite) certificates.set(c.serial, { member: c.member, serial: c.serial, der, publicKeySpki: info.publicKeySpki, suite, notBefore: info.notBefore, notAfter: info.notAfter });
  }
  const subsystems = new Set(conf.subsystems.map((s) => s.identifier));
  const chain = [Buffer.from(conf.certificates.issuing, 'base64'), Buffer.from(conf.certificates.root, 'base64')];

  /**
   * What `client` may have of the service with `method` on `path`: the grant of every right
   * for the client or one of its groups whose method and path pattern (when set) match;
   * undefined when none does.
   */
  function access(service: string, client: string, method: string, path: string): Grant | undefined {
    return grantOf(
      (rights.get(service) ?? []).filter(
        (r) => (r.clientKind === 'subsystem' ? r.client === client : Boolean(groups.get(r.client)?.has(client))) && (r.method === null || r.method === method) && (r.pathPattern === null || pathMatches(r.pathPattern, path)),
      ),
    );
  }

  return {
    conf,
    chain,
    findService: (identifier: string) => services.get(identifier),
    hostOf: (member: string) => hostOf.get(member),
    findNode: (name: string) => nodes.find((n) => n.name === name),
    /** The node a TLS peer is, by its exact authentication certificate; undefined for anyone else. */
    nodeByCertificate: (der: Uint8Array) => {
      const node = byFingerprint.get(fingerprintOf(der));
      return node && !revoked.has(node.serial) ? node : undefined;
    },
    hasSubsystem: (identifier: string) => subsystems.has(identifier),
    hasMember: (identifier: string) => conf.members.some((m) => m.identifier === identifier),

    access,

    /** Whether `client` may call the service with `method` on `path` at all. */
    authorize: (service: string, client: string, method: string, path: string): boolean => access(service, client, method, path) !== undefined,

    /** A signer's certificate, checked: known, live at `at`, not revoked, and the expected member's. */
    checkSigner(serial: string, member: string, at: Date): CertificateCheck {
      const revocation = revoked.get(serial);
      if (revocation) return { ok: false, code: 'revoked', message: `certificate ${serial} was revoked at ${revocation.revokedAt} (${revocation.reason})` };
      const certificate = certificates.get(serial);
      if (!certificate) return { ok: false, code: 'unknown', message: `certificate ${serial} is not a live member certificate of this instance` };
      if (certificate.member !== member) return { ok: false, code: 'wrong_member', message: `certificate ${serial} belongs to ${certificate.member}, not ${member}` };
      if (at < certificate.notBefore || at > certificate.notAfter) return { ok: false, code: 'expired', message: `certificate ${serial} is valid only from ${certificate.notBefore.toISOString()} to ${certificate.notAfter.toISOString()}` };
      return { ok: true, certificate };
    },

    certificateDer: (serial: string) => certificates.get(serial)?.der,
  };
}

export type ConfIndex = ReturnType<typeof indexConf>;

/** Indexes each copy of the configuration once. */
export function createRouting(current: () => Promise<GlobalConf>) {
  const indexes = new WeakMap<GlobalConf, ConfIndex>();
  return async function routing(): Promise<ConfIndex> {
    const conf = await current();
    let index = indexes.get(conf);
    if (!index) {
      index = indexConf(conf);
      indexes.set(conf, index);
    }
    return index;
  };
}
