// The global configuration: what every node of the instance needs to route, authorize and
// verify: members, subsystems, services, groups, access rights and the instance's CA, TSA
// and configuration certificates. The central node publishes it signed (CMS, detached, by
// the configuration signing key) with an expiry; every node fetches it, checks it against
// its anchor (the configuration certificate and root it was installed with), keeps the last
// good copy, and refuses to route once that copy has expired.
import { canonicalJson } from '../../platform/canonical-json.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db.ts';
import { checkCms, parseCms, signCms, type CmsSigner, type Suite, type SuiteName } from '../trust/index.ts';

export const GLOBAL_CONF_FORMAT = 'egov-global-conf/1';
export const DEFAULT_CONF_VALIDITY_MS = 10 * 60_000;

export type GlobalConf = {
  format: typeof GLOBAL_CONF_FORMAT;
  instance: string;
  generatedAt: string;
  expiresAt: string;
  members: { identifier: string; nameZh: string; nameEn: string }[];
  subsystems: { identifier: string }[];
  /** Services; `backendUrl` only in the copy for the node that hosts the service's member. */
  services: ConfService[];
  groups: { code: string; members: string[] }[];
  /** Access rights; `fields`: the fields of the answer granted, null (or absent, from an older central node) the whole answer. */
  rights: ConfRight[];
  /** The nodes, each with the members it hosts (the central node: every member no other node lists). */
  nodes: ConfNode[];
  crossing: CrossingRule[];
  /** Live member signing certificates (DER, base64), and every revoked exchange certificate. */
  memberCertificates: { member: string; serial: string; certificate: string }[];
  revoked: { serial: string; revokedAt: string; reason: string }[];
  /** DER, base64: the root and issuing CA, the TSA and the configuration signer. */
  certificates: { root: string; issuing: string; tsa: string; configuration: string };
};

export type ConfRight = { service: string; clientKind: string; client: string; method: string | null; pathPattern: string | null; fields?: string[] | null };
export type ConfService = { identifier: string; status: 'active' | 'inactive'; classification: 'public' | 'internal' | 'personal' | 'sensitive'; timeoutMs: number; maxBodyBytes: number; backendUrl?: string };
/** The crossing policy: calls from one zone to another, for matching services of these classifications. */
export type CrossingRule = { fromZone: string; toZone: string; service: string; classifications: string[] };
export type ConfNode = { name: string; url: string; zone: 'internal' | 'external' | 'public'; central: boolean; members: string[]; authCertificate: string };

export type SignedConf = { contentBase64: string; signatureBase64: string };

/** What a node is installed with: which instance, and whose signature to accept. */
export type Anchor = { format: 'egov-anchor/1'; instance: string; centralUrl: string; configurationCertificate: string; rootCertificate: string };

export class GlobalConfError extends Error {
  readonly code: 'outdated_global_conf' | 'bad_global_conf' | 'no_global_conf';
  constructor(code: GlobalConfError['code'], message: string) {
    super(message);
    this.code = code;
  }
}

export function signGlobalConf(conf: GlobalConf, signer: CmsSigner, at: Date): SignedConf {
  const content = Buffer.from(canonicalJson(conf), 'utf8');
  return { contentBase64: content.toString('base64'), signatureBase64: signCms({ content, detached: true, signer, signingTime: at }).toString('base64') };
}

/** Checks a signed configuration against an anchor; returns it parsed, or throws naming the fault. */
export function verifyGlobalConf(signed: SignedConf, anchor: Anchor, suites: Record<SuiteName, Suite>, now: Date): GlobalConf {
  const content = Buffer.from(signed.contentBase64 ?? '', 'base64');
  let cms;
  try {
    cms = parseCms(Buffer.from(signed.signatureBase64 ?? '', 'base64'));
  } catch (err) {
    throw new GlobalConfError('bad_global_conf', `The global configuration's signature cannot be read: ${(err as Error).message}`);
  }
  if (!cms.signerCertificate.equals(Buffer.from(anchor.configurationCertificate, 'base64'))) {
    throw new GlobalConfError('bad_global_conf', "The global configuration is not signed by the configuration certificate in this node's anchor.");
  }
  const check = checkCms(cms, suites, content);
  if (!check.ok) throw new GlobalConfError('bad_global_conf', `The global configuration's signature does not verify (${check.code}).`);
  const conf = JSON.parse(content.toString('utf8')) as GlobalConf;
  if (conf.format !== GLOBAL_CONF_FORMAT) throw new GlobalConfError('bad_global_conf', `Unknown global configuration format ${String(conf.format)}.`);
  if (conf.instance !== anchor.instance) throw new GlobalConfError('bad_global_conf', `The global configuration is for instance ${conf.instance}, not ${anchor.instance}.`);
  if (new Date(conf.expiresAt) <= now) throw new GlobalConfError('outdated_global_conf', `The global configuration expired at ${conf.expiresAt}.`);
  return conf;
}

/** A node's copy of the global configuration: fetched, verified, kept, and refused when expired. */
export function createGlobalConfClient(deps: { db: Db; clock: Clock; suites: Record<SuiteName, Suite>; anchor: Anchor; fetchConf?: (url: string) => Promise<SignedConf> }) {
  const fetchConf =
    deps.fetchConf ??
    (async (url: string) => {
      const response = await fetch(`${url.replace(/\/$/, '')}/exchange/v1/global-conf`, { signal: AbortSignal.timeout(10_000) });
      if (!response.ok) throw new GlobalConfError('no_global_conf', `The central node answered ${response.status}.`);
      return (await response.json()) as SignedConf;
    });
  let current: GlobalConf | undefined;

  return {
    /** Fetches and verifies a new copy; on failure the stored copy stays in use. */
    async refresh(): Promise<GlobalConf> {
      return this.accept(await fetchConf(deps.anchor.centralUrl));
    },

    /** Verifies a copy however it came (fetched, or across the ferry) and keeps it. */
    async accept(signed: SignedConf): Promise<GlobalConf> {
      const now = deps.clock.now();
      const conf = verifyGlobalConf(signed, deps.anchor, deps.suites, now);
      // Never step back to an older copy (one that crossed the ferry late, say).
      if (current && conf.generatedAt < current.generatedAt) return current;
      const row = { id: 1, content: Buffer.from(signed.contentBase64, 'base64'), signature: Buffer.from(signed.signatureBase64, 'base64'), generated_at: new Date(conf.generatedAt), expires_at: new Date(conf.expiresAt), fetched_at: now };
      await deps.db.insertInto('exchange.global_conf').values(row).onConflict((oc) => oc.column('id').doUpdateSet(row)).execute();
      current = conf;
      return conf;
    },

    /** The configuration to route by: the last verified copy, unless it has expired. */
    async current(): Promise<GlobalConf> {
      if (!current) {
        const row = await deps.db.selectFrom('exchange.global_conf').selectAll().where('id', '=', 1).executeTakeFirst();
        if (!row) throw new GlobalConfError('no_global_conf', 'This node has no global configuration yet: it has not reached the central node since it was installed.');
        // Re-verified on load: the database is not trusted more than the network.
        current = verifyGlobalConf({ contentBase64: Buffer.from(row.content).toString('base64'), signatureBase64: Buffer.from(row.signature).toString('base64') }, deps.anchor, deps.suites, new Date(0));
      }
      if (new Date(current.expiresAt) <= deps.clock.now()) {
        throw new GlobalConfError('outdated_global_conf', `The global configuration expired at ${current.expiresAt} and the central node has not been reached since; calls are refused until it is.`);
      }
      return current;
    },

    /** The last verified copy, expired or not: where the central node is, for the next fetch. */
    known: (): GlobalConf | undefined => current,

    /** For node status: the stored copy's times, without refusing an expired one. */
    async stored(): Promise<{ generatedAt: string; expiresAt: string; fetchedAt: string } | undefined> {
      const row = await deps.db.selectFrom('exchange.global_conf').select(['generated_at', 'expires_at', 'fetched_at']).where('id', '=', 1).executeTakeFirst();
      return row && { generatedAt: new Date(row.generated_at).toISOString(), expiresAt: new Date(row.expires_at).toISOString(), fetchedAt: new Date(row.fetched_at).toISOString() };
    },
  };
}

export type GlobalConfClient = ReturnType<typeof createGlobalConfClient>;

/** Reads an anchor file; the message names what is wrong. */
export function parseAnchor(content: string, instance: string): Anchor {
  let anchor: Anchor;
  try {
    anchor = JSON.parse(content) as Anchor;
  } catch {
    throw new GlobalConfError('bad_global_conf', 'The anchor file is not JSON.');
  }
  if (anchor.format !== 'egov-anchor/1' || !anchor.centralUrl || !anchor.configurationCertificate || !anchor.rootCertificate) {
    throw new GlobalConfError('bad_global_conf', 'The anchor file is not an egov anchor (egov exchange anchor writes one on the central node).');
  }
  if (anchor.instance !== instance) throw new GlobalConfError('bad_global_conf', `The anchor is for instance ${anchor.instance}, but this node is configured for ${instance} (EGOV_INSTANCE).`);
  return anchor;
}
