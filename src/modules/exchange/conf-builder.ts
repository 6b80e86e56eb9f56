// The central node's side of the global configuration: it builds the document from the
// directory, the registry, the node list and the CA, and routes by it itself. A copy is
// tailored per node: backend URLs are published only to the node that forwards to them.
// The built document is kept in memory and rebuilt after any change to the registry or the
// directory (here at once, on other replicas through the change feed), and at least every
// REBUILD_MS so that revocations reach the central node's own routing promptly.
import type { ChangeFeed } from '../../platform/changes.ts';
import type { Clock } from '../../platform/clock.ts';
import { DEFAULT_CONF_VALIDITY_MS, GLOBAL_CONF_FORMAT, type ConfNode, type CrossingRule, type GlobalConf } from './global-conf.ts';
import type { Nodes } from './nodes.ts';
import type { Registry } from './registry.ts';
import { memberOf } from './routing.ts';

const REBUILD_MS = 10_000;

export type ConfBuilderDeps = {
  instance: string;
  clock: Clock;
  changes: ChangeFeed;
  registry: Registry;
  nodes: Nodes;
  crossing: () => Promise<CrossingRule[]>;
  organizations: () => Promise<{ id: string; identifier: string; nameZh: string; nameEn: string; status: string }[]>;
  subsystems: () => Promise<{ identifier: string; status: string }[]>;
  /** The trust module: member certificates (issued on first use for members the platform hosts) and revocations. */
  memberSigner: (orgId: string) => Promise<unknown>;
  exchangeCertificates: () => Promise<{ members: { serial: string; orgId: string; der: Buffer }[]; revoked: { serial: string; revokedAt: Date; reason: string }[] }>;
  caChainDer: () => Promise<Buffer[]>;
  tsaCertificateDer: () => Promise<Buffer>;
  configurationCertificateDer: () => Promise<Buffer>;
};

export function createConfBuilder(deps: ConfBuilderDeps) {
  let cached: { conf: Promise<GlobalConf>; forNode: string; builtAt: number; generation: number } | undefined;
  // A change during a build makes that build stale: the generation tells.
  let generation = 0;
  for (const topic of ['exchange', 'directory']) {
    deps.changes.subscribe(topic, () => {
      generation += 1;
      cached = undefined;
    });
  }

  async function build(forNode: string | undefined): Promise<GlobalConf> {
    const now = deps.clock.now();
    const [orgs, subsystems, snapshot, hosting, crossing] = await Promise.all([deps.organizations(), deps.subsystems(), deps.registry.snapshot(), deps.nodes.hosting(), deps.crossing()]);
    const active = orgs.filter((o) => o.status === 'active');
    const central = hosting.nodes.find((n) => n.is_central);
    const centralMembers = active.filter((o) => !hosting.hostOf.has(o.identifier));
    // Members the platform hosts sign with keys it holds; each needs its certificate published
    // before its first message, so one is issued now if it has none.
    for (const org of centralMembers) await deps.memberSigner(org.id);
    const [certificates, chain, tsa, configuration] = await Promise.all([deps.exchangeCertificates(), deps.caChainDer(), deps.tsaCertificateDer(), deps.configurationCertificateDer()]);
    const identifierOf = new Map(orgs.map((o) => [o.id, o.identifier]));
    const nodes: ConfNode[] = hosting.nodes.map((n) => ({
      name: n.name,
      url: n.url,
      zone: n.zone,
      central: n.is_central,
      members: n.is_central ? centralMembers.map((o) => o.identifier) : n.members,
      authCertificate: Buffer.from(n.auth_certificate).toString('base64'),
    }));
    const hostName = (member: string) => hosting.hostOf.get(member) ?? central?.name;
    return {
      format: GLOBAL_CONF_FORMAT,
      instance: deps.instance,
      generatedAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + DEFAULT_CONF_VALIDITY_MS).toISOString(),
      members: active.map((o) => ({ identifier: o.identifier, nameZh: o.nameZh, nameEn: o.nameEn })),
      subsystems: subsystems.filter((s) => s.status === 'active').map((s) => ({ identifier: s.identifier })),
      services: snapshot.services.map(({ backendUrl, ...service }) => (forNode !== undefined && hostName(memberOf(service.identifier)) === forNode ? { ...service, backendUrl } : service)),
      groups: snapshot.groups,
      rights: snapshot.rights,
      nodes,
      crossing,
      memberCertificates: certificates.members.flatMap((c) => {
        const member = identifierOf.get(c.orgId);
        return member ? [{ member, serial: c.serial, certificate: c.der.toString('base64') }] : [];
      }),
      revoked: certificates.revoked.map((r) => ({ serial: r.serial, revokedAt: r.revokedAt.toISOString(), reason: r.reason })),
      certificates: { issuing: chain[0].toString('base64'), root: chain[1].toString('base64'), tsa: tsa.toString('base64'), configuration: configuration.toString('base64') },
    };
  }

  return {
    build,
    /** The central node's own routing copy (with its own backends), rebuilt after changes. */
    current(self: string): Promise<GlobalConf> {
      const now = deps.clock.now().getTime();
      if (cached && cached.forNode === self && cached.generation === generation && now - cached.builtAt < REBUILD_MS) return cached.conf;
      // Concurrent callers share one build; a failed build is not kept.
      const entry = { conf: build(self), forNode: self, builtAt: now, generation };
      cached = entry;
      entry.conf.catch(() => {
        if (cached === entry) cached = undefined;
      });
      return entry.conf;
    },
  };
}

export type ConfBuilder = ReturnType<typeof createConfBuilder>;
