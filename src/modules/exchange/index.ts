// The exchange: unified addressing, routing, trust and authorization between departments,
// after X-Road's model. Members (organizations) have subsystems that offer REST services;
// clients call them through their node as /r1/INSTANCE/CLASS/MEMBER/SUBSYSTEM/SERVICE/…
// Nodes find each other in the global configuration the central node publishes, talk over
// mutual TLS, sign both sides of every call, and keep a hash-chained, batch-timestamped
// message log. The central node also keeps the registry (services, access rights, groups)
// and the node list, and decides which nodes join.
import crypto from 'node:crypto';
import path from 'node:path';
import type { FastifyRequest } from 'fastify';
import type { NodeSettings } from '../../config.ts';
import type { App } from '../../http/server.ts';
import type { MigrationSource } from '../../platform/migrate.ts';
import type { Operator } from '../../platform/actor.ts';
import type { SecretBox } from '../../platform/secret-box.ts';
import { Type } from 'typebox';
import { readCertificate, type CmsSigner, type Suite, type SuiteName } from '../trust/index.ts';
import { requestContext } from '../../http/server.ts';
import { assertMayReadStatus } from './policy.ts';
import { createClientAuth } from './client-auth.ts';
import { createConfBuilder } from './conf-builder.ts';
import { createCrossingRules } from './crossing.ts';
import { buildEvidence, type EvidencePackage } from './evidence.ts';
import { createGlobalConfClient, signGlobalConf, verifyGlobalConf, type Anchor, type GlobalConf, type SignedConf } from './global-conf.ts';
import { createMessageLog, type BatchChecker, type BatchTimestamper, type LogRow } from './message-log.ts';
import { createLogArchiver, type ArchiveProgress, type LogArchiveSettings } from './log-archive.ts';
import { registerGovStackDirectoryRoutes } from './govstack-directory.ts';
import { createMemberTrust } from './member-trust.ts';
import { registerClientProxyRoutes, type ClientCheck } from './message/client-proxy.ts';
import { prepareSpoolDir } from './message/spool.ts';
import { createNodeTransport } from './message/transport.ts';
import { AUTH, createNodeIdentity, type MemberSigner } from './node-identity.ts';
import { createEnrolment, type Enrolment } from './node-join.ts';
import { createFerry } from './ferry/ferry.ts';
import { handleCalls, joinAcross, serveIsolatedPeer } from './ferry/ferry-node.ts';
import { nodePortHandler } from './node-port.ts';
import { registerNodeRoutes } from './node-routes.ts';
import { createNodes, type NodesDeps } from './nodes.ts';
import { createRegistry, type RegistryDeps } from './registry.ts';
import { createBackendCaller, createBuiltins, type BuiltinHandler } from './message/backend.ts';
import { pubsubBackend } from './pubsub/api.ts';
import { createPubSub } from './pubsub/service.ts';
import { createPusher } from './pubsub/push.ts';
import { createRouting, nodeEntry } from './routing.ts';
import { registerRegistryRoutes } from './routes.ts';
import { createTrafficMeter } from './traffic.ts';
import { registerTrafficRoutes } from './traffic-routes.ts';

export type { AccessRight, Group, Service } from './schema.ts';
export type { BackendCall, BuiltinHandler, BuiltinResponse } from './message/backend.ts';
export { GRANTED_FIELDS_HEADER } from './message/backend.ts';
export { canonicalSubsystem } from './client-auth.ts';
export { verifyEvidence, type EvidencePackage } from './evidence.ts';
export { archiveFilesAt, verifyArchiveFiles, type ArchiveFileReport, type ArchiveSetResult } from './log-archive-file.ts';
export { ArchivedExchangeError, type ArchiveProgress, type ArchiveRun, type LogArchiveSettings } from './log-archive.ts';
export type { LogSummary } from './message-log.ts';
export type { TrafficSnapshot, TrafficStats, TrafficWindow } from './schema.ts';
export { parseAnchor, verifyGlobalConf, GlobalConfError, type Anchor, type GlobalConf, type GlobalConfClient, type SignedConf } from './global-conf.ts';
export type { MemberSigner } from './node-identity.ts';
export type { NodeView, Registration } from './node-schema.ts';

export const exchangeMigrations: MigrationSource = { module: 'exchange', dir: path.join(import.meta.dirname, 'migrations') };

type CertificateSummary = { serial: string; notAfter: string; daysLeft: number };

export type NodeStatus = {
  role: 'central' | 'member';
  instance: string;
  node: { name: string; url: string; zone: string; listening: boolean; authCertificate: CertificateSummary | null; enrolment: { status: string; checkCode: string; note: string | null } | null };
  now: string;
  globalConf: { published: true } | { generatedAt: string; expiresAt: string; fetchedAt: string; ageSeconds: number; valid: boolean } | null;
  configurationCertificate: CertificateSummary | null;
  tsaCertificate: CertificateSummary | null;
  messageLog: { rows: number; pending: number; lastBatchAt: string | null };
  ferry: { peer: string; outbound: number; inbound: number; unfinished: number; rejected: number } | null;
};

/** On the central node: the instance's CA and TSA (trust module). */
export type CentralTrust = {
  /** The exchange signing key of a member the central node hosts, issued on first use. */
  memberSigner: (orgId: string) => Promise<MemberSigner>;
  certifyNode: NodesDeps['certifyNode'];
  exchangeCertificates: () => Promise<{ members: { serial: string; orgId: string; der: Buffer }[]; revoked: { serial: string; revokedAt: Date; reason: string }[] }>;
  certificateDer: (serial: string) => Promise<Buffer>;
  caChainDer: () => Promise<Buffer[]>;
  configurationSigner: () => Promise<CmsSigner>;
  tsaCertificateDer: () => Promise<Buffer>;
  timestamper: BatchTimestamper;
  batchChecker: BatchChecker;
  /** A TSA token over a member node's log-batch root. */
  timestampRoot: (rootHex: string) => Promise<Buffer>;
};

export type ExchangeDeps = RegistryDeps & {
  instance: string;
  node: NodeSettings;
  box: SecretBox;
  suites: Record<SuiteName, Suite>;
  suite: SuiteName;
  /** Where bodies wait for their signature check (decision 0009). */
  spoolDir: string;
  /** The slowest request body the node accepts (bytes per second over a window). */
  slowClient: { minBytesPerSecond: number; windowMs: number };
  /** Message-log retention: rows older than retentionDays go to archive files in dir (0: never). */
  logArchive: LogArchiveSettings;
  /** The central node has the CA; a member node has an anchor instead. */
  central?: CentralTrust;
  anchor?: Anchor;
  /** Messages for the operator (the check code of a registration, an approval). */
  notify: (message: string) => void;
  /** Keep exchanged bodies (sealed) in the message log, up to a size each; undefined: hashes only. */
  logBodies?: { limitBytes: number };
};

export function createExchange(deps: ExchangeDeps) {
  const { central, anchor } = deps;
  if (Boolean(central) === Boolean(anchor)) throw new Error('An exchange node is either the central node (with the CA) or a member node (with an anchor).');
  prepareSpoolDir(deps.spoolDir);
  // Backends built into the platform (egov:NAME): pub/sub here, other modules' through registerBuiltin.
  const builtins = createBuiltins();
  const registry = createRegistry({ ...deps, isBuiltin: builtins.has });
  // Bodies are kept only when asked for, sealed with the master key (personal data at rest).
  const log = createMessageLog({ ...deps, sealBody: deps.logBodies ? (data, context) => deps.box.seal(data, context) : undefined, bodyLimit: deps.logBodies?.limitBytes });
  const identity = createNodeIdentity(deps);
  const transport = createNodeTransport({ identity });
  const clientAuth = createClientAuth(deps);
  const organizations = () => deps.directory.listOrganizations();
  const nodes = central ? createNodes({ ...deps, organizations, certifyNode: central.certifyNode }) : undefined;
  const crossing = central ? createCrossingRules(deps) : undefined;
  const confBuilder = central
    ? createConfBuilder({
        ...deps,
        registry,
        nodes: nodes!,
        crossing: () => crossing!.snapshot(),
        organizations,
        subsystems: () => deps.directory.listAllSubsystems(),
        memberSigner: central.memberSigner,
        exchangeCertificates: central.exchangeCertificates,
        caChainDer: central.caChainDer,
        tsaCertificateDer: central.tsaCertificateDer,
        configurationCertificateDer: async () => (await central.configurationSigner()).certificateDer,
      })
    : undefined;

  const globalConf = anchor
    ? createGlobalConfClient({
        ...deps,
        anchor,
        // Once certified, a member node fetches its own copy (with its backends) over mutual
        // TLS from the central node's node port; until then, the public copy over HTTP.
        fetchConf: async (url) => {
          const fetchPublic = async () => {
            const response = await fetch(`${url.replace(/\/$/, '')}/exchange/v1/global-conf`, { signal: AbortSignal.timeout(10_000) });
            if (!response.ok) throw new Error(`The central node answered ${response.status}.`);
            return (await response.json()) as SignedConf;
          };
          if (!(await identity.tlsIdentity())) return fetchPublic();
          await globalConf!.current().catch(() => undefined);
          const known = globalConf!.known() ?? verifyGlobalConf(await fetchPublic(), anchor, deps.suites, deps.clock.now());
          const centralNode = known.nodes.find((n) => n.central);
          if (!centralNode) return fetchPublic();
          const answer = await transport.get(nodeEntry(centralNode), '/exchange/v1/global-conf');
          if (answer.status !== 200) throw new Error(`The central node's node port answered ${answer.status}: ${answer.body.toString('utf8').slice(0, 200)}`);
          return JSON.parse(answer.body.toString('utf8')) as SignedConf;
        },
      })
    : undefined;
  const routing = createRouting(() => (globalConf ? globalConf.current() : confBuilder!.current(deps.node.name)));
  const signedConfFor = async (node: string | undefined) => signGlobalConf(await confBuilder!.build(node), await central!.configurationSigner(), deps.clock.now());

  // The zone ferry, when this node has one; a member node with a ferry is isolated: the ferry
  // is its only way to the rest of the instance.
  const ferry = deps.node.ferry
    ? createFerry({ ...deps, self: deps.node.name, settings: deps.node.ferry, identity, routing: () => routing().catch(() => undefined), onError: (err, file) => deps.notify(`ferry: ${file}: ${(err as Error).message}`) })
    : undefined;
  const isolated = Boolean(ferry && anchor);
  let enrolment: Enrolment | undefined;
  const across = ferry && isolated ? joinAcross(ferry, { globalConf: globalConf!, enrolment: () => enrolment, onCertified: () => undefined }) : undefined;
  const peerServer = ferry && central ? serveIsolatedPeer(ferry, { nodes: nodes!, signedConfFor, peerIsCertified: async () => Boolean((await routing()).findNode(ferry.settings.peer)), timestampRoot: central.timestampRoot }) : undefined;
  const memberTrust = central ? undefined : createMemberTrust({ routing, transport, identity, suites: deps.suites });
  const trust = central ?? { ...memberTrust!, timestamper: across?.timestamper ?? memberTrust!.timestamper };
  enrolment = anchor ? createEnrolment({ ...deps, identity, anchor, channel: across?.channel }) : undefined;
  const pubsub = createPubSub(deps);
  builtins.register('pubsub', pubsubBackend(pubsub));
  const callBackend = createBackendCaller(builtins);
  // The node's own calls through /r1 (push deliveries of pub/sub rooms it hosts): authenticated
  // by a token that exists only in this process, and checked like any other call.
  const internalToken = `egx_internal_${crypto.randomBytes(24).toString('base64url')}`;
  let http: App | undefined;
  const pusher = createPusher({
    ...deps,
    call: async ({ client, path: url, headers, body }) => {
      const res = await http!.inject({ method: 'POST', url, headers: { ...headers, 'x-road-client': client, authorization: `Bearer ${internalToken}` }, payload: body });
      const error = res.headers['x-road-error'];
      return { status: res.statusCode, error: typeof error === 'string' ? `${error}: ${res.body.slice(0, 300)}` : undefined };
    },
  });
  const ferryCalls = ferry && { self: deps.node.name, zone: deps.node.zone, ferry, routing, log, memberSigner, suites: deps.suites, clock: deps.clock, spoolDir: deps.spoolDir, slowClient: deps.slowClient, isolated, callBackend };
  if (ferryCalls) handleCalls(ferry!, ferryCalls);
  const archiver = createLogArchiver({ ...deps, caChainDer: trust.caChainDer, batchChecker: trust.batchChecker, settings: deps.logArchive });
  // The live traffic view counts what the log commits.
  const traffic = createTrafficMeter(deps.clock);
  log.onAppend((entries) => traffic.record(entries));

  async function memberSigner(member: string): Promise<MemberSigner> {
    if (central) {
      const org = (await organizations()).find((o) => o.identifier === member);
      if (!org) throw new Error(`${member} is not a member of this instance.`);
      return central.memberSigner(org.id);
    }
    const signer = await identity.memberSigner(member);
    if (!signer) throw new Error(`This node holds no certified key for ${member}; its registration may not be approved yet.`);
    identity.setChain((await routing()).chain);
    return signer;
  }

  /** The caller acts for `subsystem` of a member this node hosts: one of its credentials, or (central) a staff token of its organization. */
  async function authenticateClient(request: FastifyRequest, subsystem: string, member: string): Promise<ClientCheck> {
    const index = await routing();
    const host = index.hostOf(member);
    if (host?.name !== deps.node.name) return { ok: false, type: 'Client.NotOwner', message: host ? `${member} is hosted on node ${host.name}: its clients call through that node.` : `${member} is not a member of this instance.` };
    if (!index.hasSubsystem(decodeURIComponent(subsystem))) return { ok: false, type: 'Client.NotOwner', message: `${subsystem} is not a registered, active subsystem.` };
    const authorization = request.headers.authorization;
    const bearer = authorization?.startsWith('Bearer ') ? authorization.slice(7).trim() : undefined;
    const certificateDer = (request.raw.socket as { getPeerCertificate?: (detailed: boolean) => { raw?: Buffer } }).getPeerCertificate?.(true)?.raw;
    if (bearer === internalToken) return { ok: true };
    if (await clientAuth.authenticate(subsystem, { bearer, certificateDer, remoteAddress: request.raw.socket.remoteAddress })) return { ok: true };
    if (request.actor && (await deps.directory.findOrganization(request.actor.orgId))?.identifier === member) return { ok: true };
    if (!bearer && !certificateDer && !request.actor) return { ok: false, type: 'Client.Unauthenticated', message: 'Authenticate to your node: an API token (Authorization: Bearer …), a client certificate, or a trusted source address registered for the subsystem.' };
    return { ok: false, type: 'Client.NotOwner', message: `Your credentials do not belong to ${subsystem}.` };
  }

  const certificateSummary = (der: Buffer | undefined) => {
    if (!der) return null;
    const info = readCertificate(der);
    return { serial: info.serial, notAfter: info.notAfter.toISOString(), daysLeft: Math.floor((info.notAfter.getTime() - deps.clock.now().getTime()) / 86_400_000) };
  };
  let nodePort: { close(): void } | undefined;

  const exchange = {
    registry,
    log,
    traffic,
    nodes,
    crossing,
    clientAuth,
    identity,
    enrolment,
    globalConf,
    routing,
    ferry,
    pubsub,
    /**
     * Adds a backend built into the platform, answered in process for services whose backend
     * is egov:NAME, after the exchange checked rights and signatures as for any call. Throws
     * when the name is taken or not a name (lowercase letters, digits, hyphens).
     */
    registerBuiltin: (name: string, handler: BuiltinHandler): void => builtins.register(name, handler),
    /** Whether a request comes from `subsystem` of a member hosted here, as /r1 checks it (for APIs served beside /r1). */
    authenticateClient,
    /**
     * A call through /r1 that the platform makes itself for `client`, a subsystem of a member
     * hosted here (a module's system talking to another organization's service): authenticated
     * by this process's own token, then checked, signed, routed and logged like any call.
     */
    async callAsSubsystem(client: string, request: { method: 'GET' | 'POST'; service: string; path: string; body?: unknown; headers?: Record<string, string> }): Promise<{ status: number; error: string | undefined; xRoadId: string | undefined; body: string }> {
      if (!http) throw new Error('The exchange routes are not registered in this process.');
      const res = await http.inject({
        method: request.method,
        url: `/r1/${request.service}${request.path}`,
        headers: { ...(request.headers ?? {}), ...(request.body === undefined ? {} : { 'content-type': 'application/json' }), 'x-road-client': client, authorization: `Bearer ${internalToken}` },
        ...(request.body === undefined ? {} : { payload: JSON.stringify(request.body) }),
      });
      const header = (name: string) => (typeof res.headers[name] === 'string' ? (res.headers[name] as string) : undefined);
      return { status: res.statusCode, error: header('x-road-error'), xRoadId: header('x-road-id'), body: res.body };
    },
    /** An isolated member node: everything crosses its ferry, nothing goes over the network. */
    isolated,
    /** The central node with a ferry: its peer's configuration, when it changed. */
    exportConfToPeer: () => peerServer?.exportConf(deps.clock.now().getTime()) ?? Promise.resolve(false),
    timestampLog: () => log.timestampPending(trust.timestamper),
    verifyLog: (onProgress?: (rows: number) => void) => log.verify(trust.batchChecker, onProgress),
    archiver,
    /** Moves rows past the retention period into archive files, then purges them (log-archive.ts). */
    archiveLog: (onProgress?: (p: ArchiveProgress) => void) => archiver.archiveNow(onProgress),

    /**
     * The central node's own authentication certificate, from its own CA, and its row in the
     * node list; called at every start, it does nothing while both are current.
     */
    async ensureCentralNode(): Promise<void> {
      if (!central) return;
      const key = await identity.ensureKey(AUTH);
      let certificate = await identity.certificate(AUTH);
      const now = deps.clock.now();
      if (!certificate || readCertificate(certificate.der).notAfter.getTime() - now.getTime() < 30 * 86_400_000) {
        const certified = await deps.db.transaction().execute((trx) => central.certifyNode(trx, { instance: deps.instance, nodeName: deps.node.name, host: new URL(deps.node.url).hostname, authKey: key.publicKeySpki, members: [], replaces: certificate ? [certificate.serial] : [] }));
        await identity.installCertificate(AUTH, certified.auth.der);
        certificate = { der: certified.auth.der, serial: certified.auth.serial };
      }
      await nodes!.upsertCentral({ name: deps.node.name, url: deps.node.url, zone: deps.node.zone, authSerial: certificate.serial, authCertificate: certificate.der });
    },

    /** Opens the node port for other nodes; a member node must be certified first (enrolment). */
    async listenNode(port: number = deps.node.port, host = '127.0.0.1') {
      const server = await transport.listen(
        port,
        host,
        nodePortHandler({
          self: deps.node.name,
          log,
          callBackend,
          memberSigner,
          suites: deps.suites,
          clock: deps.clock,
          spoolDir: deps.spoolDir,
          routing,
          signedConfFor: central ? signedConfFor : undefined,
          timestampRoot: central?.timestampRoot,
          onError: (err) => deps.notify(`node port: ${(err as Error).message}`),
        }),
      );
      nodePort = { close: () => (server.closeAllConnections(), server.close()) };
      return server;
    },

    close(): void {
      nodePort?.close();
      transport.close();
    },

    /** What an operator checks first: this node, its configuration, certificates and backlog. */
    async status(): Promise<NodeStatus> {
      const now = deps.clock.now();
      const [backlog, stored, tls, row] = await Promise.all([log.backlog(), globalConf?.stored(), identity.tlsIdentity(), enrolment?.status()]);
      const conf = central ? await routing().then((r) => r.conf) : await globalConf!.current().catch(() => globalConf!.known());
      return {
        role: central ? 'central' : 'member',
        instance: deps.instance,
        node: { name: deps.node.name, url: deps.node.url, zone: deps.node.zone, listening: nodePort !== undefined, authCertificate: certificateSummary(tls?.certDer), enrolment: row ? { status: row.status, checkCode: row.check_code, note: row.note } : null },
        now: now.toISOString(),
        globalConf: globalConf
          ? stored
            ? { ...stored, ageSeconds: Math.round((now.getTime() - new Date(stored.fetchedAt).getTime()) / 1000), valid: new Date(stored.expiresAt) > now }
            : null
          : { published: true },
        configurationCertificate: central ? certificateSummary((await central.configurationSigner()).certificateDer) : null,
        tsaCertificate: certificateSummary(conf ? Buffer.from(conf.certificates.tsa, 'base64') : undefined),
        messageLog: backlog,
        ferry: ferry ? { peer: ferry.settings.peer, ...(await ferry.backlog()) } : null,
      };
    },

    /** The instance's global configuration as this (central) node publishes it to anyone: no backend addresses. */
    async buildGlobalConf(): Promise<GlobalConf> {
      if (!confBuilder) throw new Error('Only the central node publishes the global configuration.');
      return confBuilder.build(undefined);
    },

    async signedGlobalConf(): Promise<SignedConf> {
      return signGlobalConf(await this.buildGlobalConf(), await central!.configurationSigner(), deps.clock.now());
    },

    /** The anchor a new node is installed with: this instance, the central URL and whose signature to trust. */
    async anchor(centralUrl: string): Promise<Anchor> {
      const [chain, configuration] = await Promise.all([central!.caChainDer(), central!.configurationSigner()]);
      return { format: 'egov-anchor/1', instance: deps.instance, centralUrl, configurationCertificate: configuration.certificateDer.toString('base64'), rootCertificate: chain[1].toString('base64') };
    },

    /** One exchange as a self-contained evidence package; its records are timestamped first. */
    async exportEvidence(xRoadId: string, options: { withBodies?: Operator } = {}): Promise<EvidencePackage | undefined> {
      const rows = (await log.findByXRoadId(xRoadId)) as LogRow[];
      if (rows.length === 0) {
        await archiver.assertNotArchived(xRoadId); // names the archive file rather than "not found"
        return undefined;
      }
      if (rows.some((r) => r.batch_id === null)) await log.timestampPending(trust.timestamper);
      const batched = (await log.findByXRoadId(xRoadId)) as LogRow[];
      const certificateDer = async (serial: string) => (await identity.ownCertificate(serial)) ?? trust.certificateDer(serial);
      const pkg = await buildEvidence(xRoadId, { rows: batched, batch: (id) => log.loadBatch(id), certificate: certificateDer, chain: await trust.caChainDer() }, deps.clock.now());
      const reader = options.withBodies;
      if (!reader) return pkg;
      // Bodies may hold personal data: opening them is a read the audit records.
      const bodies = await log.bodiesOf(xRoadId, (sealed, context) => deps.box.open(sealed, context));
      await deps.db.transaction().execute((trx) => deps.audit.record(trx, { actor: reader.auditAs, action: 'exchange.body.read', subjectType: 'exchange', subjectId: xRoadId, outcome: 'success', detail: { bodies: bodies.length }, ip: reader.ip, requestId: reader.requestId }));
      return { ...pkg, bodies: bodies.map((b) => ({ side: b.side, part: b.part, bytes: b.bytes, complete: b.complete, dataBase64: b.data.toString('base64') })) };
    },

    /** Pushes the pub/sub events that are due to their subscribers (a background job). */
    pushEvents: () => pusher.pushNow(),

    registerRoutes: (app: App) => {
      http = app;
      const orgIdentifier = async (orgId: string) => (await deps.directory.findOrganization(orgId))?.identifier ?? orgId;
      registerRegistryRoutes(app, registry, log, orgIdentifier);
      registerNodeRoutes(app, { nodes, crossing, clientAuth, orgIdentifier, anchor: (url) => exchange.anchor(url) });
      registerClientProxyRoutes(app, { self: deps.node.name, routing, authenticateClient, memberSigner, log, transport, callBackend, suites: deps.suites, clock: deps.clock, slowClient: deps.slowClient, spoolDir: deps.spoolDir, ferry: ferryCalls });
      app.get('/api/exchange/status', {
        schema: { tags: ['exchange'], summary: "This node's status: role, global configuration age, certificates, message-log timestamp backlog", response: { 200: Type.Unsafe({ type: 'object', additionalProperties: true }) } },
        handler: async (request) => {
          assertMayReadStatus(requestContext(request).actor);
          return exchange.status();
        },
      });
      if (central) {
        app.get('/exchange/v1/global-conf', {
          config: { auth: 'public' },
          schema: { tags: ['exchange'], summary: "The instance's global configuration, signed by the central node (CMS, detached)", security: [], response: { 200: Type.Object({ contentBase64: Type.String(), signatureBase64: Type.String() }) } },
          handler: async (_request, reply) => reply.header('cache-control', 'no-store').send(await exchange.signedGlobalConf()),
        });
      }
      registerTrafficRoutes(app, traffic, orgIdentifier);
      registerGovStackDirectoryRoutes(app, { registry, instance: deps.instance, source: { members: () => deps.directory.listOrganizations(), subsystems: () => deps.directory.listAllSubsystems(), findSubsystem: (identifier) => deps.directory.findSubsystemByIdentifier(identifier) } });
    },
  };
  return exchange;
}

export type Exchange = ReturnType<typeof createExchange>;
