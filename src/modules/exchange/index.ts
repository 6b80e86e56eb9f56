// The exchange: unified addressing, routing, trust and authorization between departments,
// after X-Road's model. Members (organizations) have subsystems that offer REST services;
// clients call them through their node as /r1/INSTANCE/CLASS/MEMBER/SUBSYSTEM/SERVICE/…,
// and every call is authorized and logged in a hash-chained, batch-timestamped message log.
// Issue 4 is in progress: node-to-node transport, signatures, global configuration, the
// zone ferry and publish/subscribe come next.
import path from 'node:path';
import type { App } from '../../http/server.ts';
import type { Actor } from '../../platform/actor.ts';
import type { MigrationSource } from '../../platform/migrate.ts';
import { Type } from 'typebox';
import { readCertificate, type CmsSigner } from '../trust/index.ts';
import { requestContext } from '../../http/server.ts';
import { assertMayReadStatus } from './policy.ts';
import { buildEvidence, type EvidencePackage } from './evidence.ts';
import { DEFAULT_CONF_VALIDITY_MS, GLOBAL_CONF_FORMAT, signGlobalConf, type Anchor, type GlobalConf, type GlobalConfClient, type SignedConf } from './global-conf.ts';
import { createLookupCache } from './lookup-cache.ts';
import { createMessageLog, type BatchChecker, type BatchTimestamper, type LogRow } from './message-log.ts';
import { registerGovStackDirectoryRoutes } from './govstack-directory.ts';
import { registerProxyRoutes, type MemberSigner } from './proxy.ts';
import { createRegistry, type RegistryDeps } from './registry.ts';
import { registerRegistryRoutes } from './routes.ts';
import type { ClientId } from './identifiers.ts';

export type { AccessRight, Group, Service } from './schema.ts';
export { verifyEvidence, type EvidencePackage } from './evidence.ts';
export type { LogSummary } from './message-log.ts';
export { createGlobalConfClient, parseAnchor, verifyGlobalConf, GlobalConfError, type Anchor, type GlobalConf, type GlobalConfClient, type SignedConf } from './global-conf.ts';

export const exchangeMigrations: MigrationSource = { module: 'exchange', dir: path.join(import.meta.dirname, 'migrations') };

export type NodeStatus = {
  role: 'central' | 'member';
  instance: string;
  now: string;
  globalConf: { published: true } | { generatedAt: string; expiresAt: string; fetchedAt: string; ageSeconds: number; valid: boolean } | null;
  configurationCertificate: { serial: string; notAfter: string; daysLeft: number } | null;
  tsaCertificate: { serial: string; notAfter: string; daysLeft: number };
  messageLog: { rows: number; pending: number; lastBatchAt: string | null };
};

export type ExchangeDeps = RegistryDeps & {
  instance: string;
  /** Batch timestamps for the message log, from the trust module. */
  timestamper: BatchTimestamper;
  batchChecker: BatchChecker;
  /** The member's exchange signing key held by this node (trust module). */
  memberSigner: (orgId: string) => Promise<MemberSigner>;
  /** Certificates for evidence packages: one by serial, and the CA chain (issuing, root). */
  certificateDer: (serial: string) => Promise<Buffer>;
  caChainDer: () => Promise<Buffer[]>;
  /** The central node's configuration signer and the TSA's certificate (trust module). */
  configurationSigner: () => Promise<CmsSigner>;
  tsaCertificateDer: () => Promise<Buffer>;
  /** The slowest request body the node accepts (bytes per second over a window). */
  slowClient: { minBytesPerSecond: number; windowMs: number };
  /** On a member node: the global configuration from the central node, refused once expired. */
  globalConf?: GlobalConfClient;
};

export function createExchange(deps: ExchangeDeps) {
  const registry = createRegistry(deps);
  const log = createMessageLog(deps);

  // Subsystems by identifier, for the message path; forgotten on any directory change.
  const subsystems = createLookupCache<Awaited<ReturnType<typeof deps.directory.findSubsystemByIdentifier>>>(deps.changes, ['directory']);

  /** A client subsystem is the caller's when it is registered, active, under the caller's organization. */
  async function clientOrgOf(actor: Actor, client: ClientId): Promise<string | undefined> {
    const identifier = [client.instance, client.memberClass, client.memberCode, client.subsystem].join('/');
    const subsystem = await subsystems.get(identifier, () => deps.directory.findSubsystemByIdentifier(identifier));
    return subsystem && subsystem.status === 'active' && subsystem.orgId === actor.orgId ? subsystem.orgId : undefined;
  }

  const exchange = {
    registry,
    log,
    timestampLog: () => log.timestampPending(deps.timestamper),
    verifyLog: (onProgress?: (rows: number) => void) => log.verify(deps.batchChecker, onProgress),
    /** What an operator checks first: this node's role, its configuration, certificates and backlog. */
    async status(): Promise<NodeStatus> {
      const now = deps.clock.now();
      const [backlog, stored, configuration, tsa] = await Promise.all([
        log.backlog(),
        deps.globalConf?.stored(),
        deps.globalConf ? undefined : deps.configurationSigner().then((s) => readCertificate(s.certificateDer)),
        deps.tsaCertificateDer().then((der) => readCertificate(der)),
      ]);
      const certificate = (info: { serial: string; notAfter: Date } | undefined) => info && { serial: info.serial, notAfter: info.notAfter.toISOString(), daysLeft: Math.floor((info.notAfter.getTime() - now.getTime()) / 86_400_000) };
      return {
        role: deps.globalConf ? 'member' : 'central',
        instance: deps.instance,
        now: now.toISOString(),
        globalConf: deps.globalConf
          ? stored
            ? { ...stored, ageSeconds: Math.round((now.getTime() - new Date(stored.fetchedAt).getTime()) / 1000), valid: new Date(stored.expiresAt) > now }
            : null
          : { published: true },
        configurationCertificate: certificate(configuration) ?? null,
        tsaCertificate: certificate(tsa)!,
        messageLog: backlog,
      };
    },

    /** The instance's global configuration, as this (central) node publishes it. */
    async buildGlobalConf(): Promise<GlobalConf> {
      const now = deps.clock.now();
      const [orgs, subsystems, registrySnapshot, chain, tsa, configuration] = await Promise.all([
        deps.directory.listOrganizations(),
        deps.directory.listAllSubsystems(),
        registry.snapshot(),
        deps.caChainDer(),
        deps.tsaCertificateDer(),
        deps.configurationSigner(),
      ]);
      return {
        format: GLOBAL_CONF_FORMAT,
        instance: deps.instance,
        generatedAt: now.toISOString(),
        expiresAt: new Date(now.getTime() + DEFAULT_CONF_VALIDITY_MS).toISOString(),
        members: orgs.filter((o) => o.status === 'active').map((o) => ({ identifier: o.identifier, nameZh: o.nameZh, nameEn: o.nameEn })),
        subsystems: subsystems.filter((s) => s.status === 'active').map((s) => ({ identifier: s.identifier })),
        ...registrySnapshot,
        certificates: { issuing: chain[0].toString('base64'), root: chain[1].toString('base64'), tsa: tsa.toString('base64'), configuration: configuration.certificateDer.toString('base64') },
      };
    },

    async signedGlobalConf(): Promise<SignedConf> {
      return signGlobalConf(await this.buildGlobalConf(), await deps.configurationSigner(), deps.clock.now());
    },

    /** The anchor a new node is installed with: this instance, the central URL and whose signature to trust. */
    async anchor(centralUrl: string): Promise<Anchor> {
      const [chain, configuration] = await Promise.all([deps.caChainDer(), deps.configurationSigner()]);
      return { format: 'egov-anchor/1', instance: deps.instance, centralUrl, configurationCertificate: configuration.certificateDer.toString('base64'), rootCertificate: chain[1].toString('base64') };
    },

    /** One exchange as a self-contained evidence package; its records are timestamped first. */
    async exportEvidence(xRoadId: string): Promise<EvidencePackage | undefined> {
      const rows = (await log.findByXRoadId(xRoadId)) as LogRow[];
      if (rows.length === 0) return undefined;
      if (rows.some((r) => r.batch_id === null)) await log.timestampPending(deps.timestamper);
      const batched = (await log.findByXRoadId(xRoadId)) as LogRow[];
      return buildEvidence(xRoadId, { rows: batched, batch: (id) => log.loadBatch(id), certificate: deps.certificateDer, chain: await deps.caChainDer() }, deps.clock.now());
    },
    registerRoutes: (app: App) => {
      registerRegistryRoutes(app, registry, log, async (orgId) => (await deps.directory.findOrganization(orgId))?.identifier ?? orgId);
      registerProxyRoutes(app, { registry, log, instance: deps.instance, clientOrgOf, memberSigner: deps.memberSigner, slowClient: deps.slowClient, globalConf: deps.globalConf });
      app.get('/api/exchange/status', {
        schema: { tags: ['exchange'], summary: "This node's status: role, global configuration age, certificates, message-log timestamp backlog", response: { 200: Type.Unsafe({ type: 'object', additionalProperties: true }) } },
        handler: async (request) => {
          assertMayReadStatus(requestContext(request).actor);
          return exchange.status();
        },
      });
      app.get('/exchange/v1/global-conf', {
        config: { auth: 'public' },
        schema: { tags: ['exchange'], summary: "The instance's global configuration, signed by the central node (CMS, detached)", security: [], response: { 200: Type.Object({ contentBase64: Type.String(), signatureBase64: Type.String() }) } },
        handler: async (_request, reply) => reply.header('cache-control', 'no-store').send(await exchange.signedGlobalConf()),
      });
      registerGovStackDirectoryRoutes(app, { registry, instance: deps.instance, source: { members: () => deps.directory.listOrganizations(), subsystems: () => deps.directory.listAllSubsystems(), findSubsystem: (identifier) => deps.directory.findSubsystemByIdentifier(identifier) } });
    },
  };
  return exchange;
}

export type Exchange = ReturnType<typeof createExchange>;
