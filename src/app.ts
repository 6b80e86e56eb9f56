// The only place dependencies are wired: config → database → modules → HTTP.
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, type Config } from './config.ts';
import { createMetrics } from './http/metrics.ts';
import { createHttpServer, type App } from './http/server.ts';
import { listenClientTls } from './http/client-tls.ts';
import { registerStaticWeb } from './http/static-web.ts';
import { registerSystemRoutes } from './http/system-routes.ts';
import { createAuditModule } from './modules/audit/index.ts';
import { calendarMigrations, createCalendar } from './modules/calendar/index.ts';
import { catalogMigrations, createCatalog, createCatalogRequests } from './modules/catalog/index.ts';
import { createDirectory, directoryMigrations } from './modules/directory/index.ts';
import { canonicalSubsystem, createExchange, exchangeMigrations, parseAnchor, type Anchor, type CentralTrust } from './modules/exchange/index.ts';
import { createIdentity, identityMigrations } from './modules/identity/index.ts';
import { createPortal, openDataSource, PORTAL_EVENTS, servicesSource, type PortalApplicant, type PortalApplications } from './modules/portal/index.ts';
import { createServices as createPublicServices, jobTimers, JOINT_BACKEND, LICENCES_BACKEND, servicesMigrations, startApplicationTimers, sweepOverdueAcceptances, type Applicant } from './modules/services/index.ts';
import { createCitizens, identitySubsystemOf, PORTAL_CLIENT_ID, type CitizenContext, type CodeSender } from './modules/identity/citizens/index.ts';
import { createMessaging, messagingMigrations, type MessagingService } from './modules/messaging/index.ts';
import { createGovstackDr, createRegistries, readPathsOf, registriesMigrations } from './modules/registries/index.ts';
import { buildTree, createSuites, createTrust, trustMigrations } from './modules/trust/index.ts';
import { localOperator } from './platform/actor.ts';
import { createAudit } from './platform/audit.ts';
import { createChangeFeed } from './platform/changes.ts';
import { systemClock, type Clock } from './platform/clock.ts';
import { openDatabase, type Database } from './platform/db.ts';
import { createLogger, type Logger } from './platform/logger.ts';
import { migrate, type MigrationSource } from './platform/migrate.ts';
import { createJobs } from './platform/jobs.ts';
import { every } from './platform/repeat.ts';
import { chinaDateOf } from './platform/workdays.ts';
import { createSecretBox, loadMasterKey, type SecretBox } from './platform/secret-box.ts';

export const VERSION: string = JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, '../package.json'), 'utf8')).version;

/** Every module's migrations, in dependency order. */
export const MIGRATIONS: MigrationSource[] = [
  { module: 'platform', dir: path.join(import.meta.dirname, 'platform/migrations') },
  directoryMigrations,
  identityMigrations,
  trustMigrations,
  exchangeMigrations,
  registriesMigrations,
  calendarMigrations,
  catalogMigrations,
  messagingMigrations,
  servicesMigrations,
];

export type Services = ReturnType<typeof createServices> & { masterKeySource?: { generated: boolean; from: string } };

/** The modules without HTTP: what the CLI and seeding use. */
export function createServices(deps: { config: Config; database: Database; clock: Clock; box: SecretBox; notify?: (message: string) => void; logger?: Logger }) {
  const { config, database, clock, box } = deps;
  const logger = deps.logger ?? createLogger(config.logLevel);
  const db = database.db;
  const audit = createAudit({ db, clock, algorithm: config.auditHash });
  const suites = createSuites({ sm2UserId: config.sm2UserId });
  const changes = createChangeFeed(database);
  // Persistent timers (statutory deadlines): started after migrations (openServices).
  const jobs = createJobs({ database, logger });
  const directory = createDirectory({ db, audit, clock, changes, instance: config.instance });
  const identity = createIdentity({ db, audit, clock, changes, config, box, directory: directory.service });
  const auditModule = createAuditModule({ db, audit });
  const trust = createTrust({
    db,
    audit,
    clock,
    box,
    suites,
    suite: config.trustSuite,
    instance: config.instance,
    directory: directory.service,
    people: identity.accounts,
    auditHash: config.auditHash,
  });
  // A node with an anchor is a member node: the CA, the TSA and the registry are the central
  // node's, reached through the global configuration and the node port.
  const anchor = config.anchorFile ? readAnchor(config.anchorFile, config.instance) : undefined;
  const central: CentralTrust | undefined = anchor
    ? undefined
    : {
        memberSigner: (orgId) => trust.exchangeCertificates.memberSigner(orgId),
        certifyNode: (trx, input) => trust.exchangeCertificates.certifyNode(trx, input),
        exchangeCertificates: () => trust.exchangeCertificates.exchangeCertificates(),
        certificateDer: async (serial) => Buffer.from((await trust.certificates.findIssued(serial)).der),
        caChainDer: () => trust.authority.chainDer(),
        configurationSigner: () => trust.authority.configurationSigner(),
        tsaCertificateDer: async () => (await trust.authority.tsaSigner()).certificateDer,
        timestamper: async (hashes) => {
          const receipt = await trust.signing.timestampBatch('sha256', hashes);
          return { hash: 'sha256', root: receipt.root, token: receipt.token };
        },
        batchChecker: async (batch, hashes) => {
          if (!buildTree(batch.hash, hashes).root.equals(batch.root)) return 'the rows no longer give the timestamped root';
          return trust.verification.checkBatchToken(batch.token, batch.root);
        },
        timestampRoot: async (rootHex) => (await trust.signing.timestamp({ hash: 'sha256', digestHex: rootHex })).token,
      };
  const exchange = createExchange({
    db,
    audit,
    clock,
    changes,
    box,
    suites,
    suite: config.trustSuite,
    directory: directory.service,
    instance: config.instance,
    node: config.node,
    spoolDir: path.join(config.dataDir, 'spool'),
    central,
    anchor,
    notify: (message) => deps.notify?.(message),
    logBodies: config.exchangeLogBodyLimit ? { limitBytes: config.exchangeLogBodyLimit } : undefined,
    logArchive: { dir: config.exchangeArchiveDir, retentionDays: config.exchangeLogRetentionDays },
    slowClient: { minBytesPerSecond: config.exchangeMinBytesPerSecond, windowMs: config.exchangeRateWindowMs },
  });
  const globalConf = exchange.globalConf;
  const registries = createRegistries({
    db,
    audit,
    clock,
    changes,
    divisionExists: (code) => directory.service.findDivision(code) !== undefined,
    divisionParent: (code) => directory.service.findDivision(code)?.parent,
    postgis: config.postgis,
  });
  // The GovStack Digital Registries API over the record registries: its own routes under
  // /govstack/dr/ and the exchange's built-in backend egov:registries (registries/govstack/).
  const govstackDr = createGovstackDr({
    db,
    audit,
    clock,
    instance: config.instance,
    records: registries.records,
    catalog: registries.catalog,
    divisionExists: (code) => directory.service.findDivision(code) !== undefined,
    exchange,
    directory: directory.service,
    canonicalSubsystem,
  });
  exchange.registerBuiltin('registries', (call) => govstackDr.backend(call));
  // The geospatial registry and the macroeconomic database as services of their owners,
  // read-only, with field-level rights (registries/geo and registries/macro, decision 0016).
  const findOrganization = (id: string) => directory.service.findOrganization(id);
  exchange.registerBuiltin('geospatial', registries.geo.exchangeBackend(findOrganization));
  exchange.registerBuiltin('macroeconomic', registries.macro.exchangeBackend(findOrganization));
  // The working-day calendar every statutory deadline is counted with.
  const calendar = createCalendar({ db, audit, clock, changes });
  // The information resource catalog; the base registries' entries are derived from them.
  const catalog = createCatalog({
    db,
    audit,
    clock,
    changes,
    findOrganization,
    listOrganizations: () => directory.service.listOrganizations(),
    publicBaseUrl: config.publicUrl,
    registries: async () =>
      Promise.all(
        (await registries.catalog.list()).map(async (info) => {
          const row = await registries.catalog.get(info.name);
          return { ...row.definition, ownerOrgId: row.owner_org_id };
        }),
      ),
    serviceOf: (registry) => registryServiceOf(exchange, directory.service, registries.catalog, registry),
  });
  // Share requests: approvals become access rights in the exchange, deadlines in working days.
  const catalogRequests = createCatalogRequests({
    db,
    audit,
    clock,
    entries: catalog.service,
    findOrganization,
    findSubsystem: (identifier) => directory.service.findSubsystemByIdentifier(identifier),
    calendar: calendar.service,
    exchange: exchange.registry,
    readPathsOf,
  });
  // Citizen accounts (identity/citizens): real-name checks read the population and
  // legal-entity registries through the exchange, as the identity subsystem.
  const citizens = createCitizens({
    db,
    audit,
    clock,
    box,
    settings: {
      lockoutThreshold: config.lockoutThreshold,
      lockoutMinutes: config.lockoutMinutes,
      sessionIdleMinutes: config.sessionIdleMinutes,
      totpIssuer: `egov ${config.instance}`,
      resetCodeMinutes: 10,
      resetCodeAttempts: 5,
      resetCodesPerHour: 5,
      cookieSecure: config.cookieSecure,
      rateLimitPerMinute: config.signInRateLimitPerMinute,
    },
    exchange: {
      clientSubsystem: async () => identitySubsystemOf(await directory.service.listAllSubsystems(), config.citizenSubsystem),
      registryService: async (registry) => {
        const identifier = await registryServiceOf(exchange, directory.service, registries.catalog, registry);
        return identifier ? { identifier, version: (await registries.catalog.get(registry)).definition.version } : undefined;
      },
      issueToken: async (subsystem) => {
        const issued = await exchange.clientAuth.add(localOperator('identity'), { subsystem, kind: 'token', label: 'citizen identity, in process' });
        return { credentialId: issued.credential.id, token: issued.token! };
      },
    },
    log: (line) => deps.notify?.(line),
  });
  // Messages to accounts: inbox, email, SMS. Identity sends codes through it.
  const messaging = createMessaging({
    db,
    audit,
    clock,
    logger,
    smtp: config.smtpUrl && config.smtpFrom ? { url: config.smtpUrl, from: config.smtpFrom } : undefined,
    settings: { maxAttempts: config.messageMaxAttempts, retrySeconds: config.messageRetrySeconds },
    accountExists: async (sub) => {
      const [kind, id] = sub.split(':');
      if (kind === 'staff') return /^[0-9a-f-]{36}$/.test(id) && (await identity.accounts.findPerson(id))?.active === true;
      if (kind === 'citizen') return (await citizens.findBySub(sub)) !== undefined;
      return false;
    },
  });
  // Citizens sign in through the provider, and their codes and contacts go through messaging.
  identity.useCitizens(citizens);
  citizens.useCodeSender(messagingCodeSender(messaging.service));
  citizens.useContactSink({
    update: async (sub, contacts) => {
      try {
        await messaging.service.updateRecipient(sub, contacts);
      } catch (err) {
        // The account is written either way; a reset code still names its address itself.
        logger.warn({ err: err instanceof Error ? err.name : 'unknown' }, 'the citizen contacts could not be passed to messaging');
      }
    },
  });
  // Online public services: the service catalog (guides by item code) so far.
  const publicServices = createPublicServices({
    db,
    audit,
    clock,
    orgNames: async (id) => {
      const org = await findOrganization(id);
      return org ? { nameZh: org.nameZh, nameEn: org.nameEn } : undefined;
    },
    events: PORTAL_EVENTS.map((e) => e.slug),
    // E-licences: sealed with the issuer's seal in the approval's transaction, verified against the CA chain.
    licences: {
      sealJsonIn: (trx, op, orgId, build) => trust.signing.sealJsonIn(trx, op, orgId, build),
      verifySeal: (sealed) => trust.verification.verify(sealed, undefined),
      orgNames: async (id) => {
        const org = await findOrganization(id);
        return org ? { nameZh: org.nameZh, nameEn: org.nameEn } : undefined;
      },
      publicUrl: config.publicUrl,
    },
    // Applications: the applicant is the portal's signed-in citizen; registry data come through the exchange.
    applications: {
      calendar: () => calendar.service.workCalendar(),
      registries: {
        read: async (applicant, source, purpose) => {
          const meta = { ip: applicant.ip, requestId: applicant.requestId };
          if (source === 'person') return citizens.ownRecords.person(applicant.citizenId, purpose, meta);
          return applicant.enterprise ? citizens.ownRecords.enterprise(applicant.citizenId, applicant.enterprise.creditCode, purpose, meta) : undefined;
        },
      },
      timers: jobTimers(jobs),
      notify: async (message) => {
        const to = `citizen:${message.citizenId}`;
        if (message.template === 'application_message') await messaging.service.send({ to, template: message.template, vars: message.vars });
        else await messaging.service.send({ to, template: message.template, vars: message.vars });
      },
      actingFor: async (citizenId, creditCode, serviceCode) => {
        const found = await citizens.enterprises.actingAs(citizenId, creditCode, serviceCode);
        return found && { id: found.enterprise.id, creditCode: found.enterprise.credit_code, name: found.enterprise.name };
      },
      enterprisesOf: (citizenId) => citizens.enterprises.idsFor(citizenId),
      applicant: async (request) => {
        const ctx = await citizens.sessions.require(request);
        const who = await citizens.accounts.applicantIdentity(ctx);
        return { citizenId: ctx.citizenId, name: who.name, idNumber: who.idNumber, ip: ctx.ip, requestId: ctx.requestId };
      },
      staff: (id) => identity.accounts.findPerson(id),
    },
    // Joint handling: each department's `approval` subsystem calls the other's joint-review service.
    joint: {
      exchange: { call: (client, request) => exchange.callAsSubsystem(client, request) },
      endpointOf: async (orgId) => {
        const org = await findOrganization(orgId);
        if (!org) return undefined;
        const conf = await exchange.routing().catch(() => undefined);
        const service = (conf?.conf.services ?? []).filter((s) => s.backendUrl === `egov:${JOINT_BACKEND}` && s.identifier.startsWith(`${org.identifier}/`)).map((s) => s.identifier).sort()[0];
        return service ? { service, subsystem: service.split('/').slice(0, 4).join('/') } : undefined;
      },
      organizationOfMember: async (member) => (await directory.service.listOrganizations()).find((o) => o.identifier === member),
    },
  });
  exchange.registerBuiltin(JOINT_BACKEND, (call) => publicServices.joint.backend(call));
  // Licences as a service of their issuer on the exchange (services/licences/exchange-backend.ts).
  exchange.registerBuiltin(LICENCES_BACKEND, publicServices.licenceBackend(async (member) => (await directory.service.listOrganizations()).find((o) => o.identifier === member)));
  // Who a signed-in person is for their licences: their ID number (a claims read, audited) and the enterprises they act for.
  const licenceHolder = async (ctx: CitizenContext) => ({
    citizenId: ctx.citizenId,
    idNumber: (await citizens.claims(`citizen:${ctx.citizenId}`, [], { fullIdNumber: true, reader: PORTAL_CLIENT_ID, requestId: ctx.requestId }))?.id_number ?? null,
    enterprises: (await citizens.enterprises.mine(ctx)).map((e) => ({ creditCode: e.creditCode, role: e.role, services: e.services.map((s) => s.serviceCode) })),
  });
  // The portal's applicant: the signed-in person as the JSON API has them, and for a service's
  // prefill, the enterprise they chose at sign-in when they may act for it in that service.
  const portalApplicant = async (who: PortalApplicant, serviceCode?: string): Promise<Applicant> => {
    const person = await citizens.accounts.applicantIdentity(who.ctx);
    const acting = who.acting && serviceCode ? await citizens.enterprises.actingAs(who.ctx.citizenId, who.acting.creditCode, serviceCode) : undefined;
    const enterprise = acting && { id: acting.enterprise.id, creditCode: acting.enterprise.credit_code, name: acting.enterprise.name };
    return { citizenId: who.ctx.citizenId, name: person.name, idNumber: person.idNumber, ip: who.ctx.ip, requestId: who.ctx.requestId, ...(enterprise ? { enterprise } : {}) };
  };
  const applications = publicServices.applications;
  const portalApplications: PortalApplications = {
    online: async (code) => {
      const found = await publicServices.forms.findPublished(code);
      return found && { service: found.service, form: found.form };
    },
    preview: async (who, code) => applications.submission.preview(await portalApplicant(who, code), code),
    start: async (who, input, key) => {
      const result = await applications.submission.start(await portalApplicant(who), input, key);
      return { application: await applications.forApplicant(result.row), created: result.created };
    },
    change: async (who, id, input) => applications.forApplicant(await applications.submission.change(await portalApplicant(who), id, input)),
    answerSupplement: async (who, id, input) => applications.forApplicant(await applications.submission.answerSupplement(await portalApplicant(who), id, input)),
    withdraw: async (who, id, version) => applications.forApplicant(await applications.submission.withdraw(await portalApplicant(who), id, version)),
    rate: async (who, id, input) => applications.forApplicant(await applications.submission.rate(await portalApplicant(who), id, input)),
    mine: async (who) => applications.mine(await portalApplicant(who)),
    get: async (who, id) => applications.get(await portalApplicant(who), id),
  };
  // The public portal at `/`: pages over identity, messaging and the catalog's open data.
  const portal = createPortal({
    directory: { tree: () => directory.service.tree(false), divisionOf: async (id) => (await directory.service.getOrganization(id)).divisionCode },
    sources: [servicesSource((q, options) => publicServices.catalog.searchPublished(q, options)), openDataSource((query, zh) => catalog.openData.service.list(query, zh))],
    guides: {
      get: async (code) => {
        const service = await publicServices.catalog.findPublished(code);
        if (!service) return undefined;
        return {
          service,
          jointNames: async (lang) => (await Promise.all(service.jointOrgIds.map((id) => findOrganization(id)))).flatMap((o) => (o ? [lang === 'en' ? o.nameEn : o.nameZh] : [])),
        };
      },
    },
    accounts: {
      require: (request, csrf) => citizens.sessions.require(request, csrf),
      account: (ctx) => citizens.accounts.get(ctx),
      name: (ctx) => citizens.accounts.name(ctx),
      acting: (request, ctx) => citizens.actingEnterprise(request, ctx),
      dataUsage: (ctx, lang) => citizens.dataUsage(ctx, lang),
      enterprises: (ctx) => citizens.enterprises.mine(ctx),
      registerEnterprise: (ctx, creditCode) => citizens.enterprises.register(ctx, creditCode),
      agents: (ctx, enterpriseId) => citizens.enterprises.agents(ctx, enterpriseId),
      authorizeAgent: (ctx, enterpriseId, grant) => citizens.enterprises.authorize(ctx, enterpriseId, grant),
      revokeAgent: (ctx, enterpriseId, authorizationId) => citizens.enterprises.revoke(ctx, enterpriseId, authorizationId),
      register: (input, meta, lang) => citizens.accounts.register(input, meta, lang),
      signOut: (ctx) => citizens.sessions.end(ctx),
      requestReset: (login, meta) => citizens.reset.request(login, meta),
      confirmReset: (login, code, newPassword, meta) => citizens.reset.confirm(login, code, newPassword, meta),
      enrolTotp: (ctx) => citizens.totp.enrol(ctx),
      confirmTotp: (ctx, code) => citizens.totp.confirm(ctx, code),
      deleteAccount: (ctx, password, totp) => citizens.accounts.delete(ctx, password, totp),
      signedOutCookies: () => citizens.signedOutCookies(),
    },
    licences: {
      verify: (identifier) => publicServices.licences.verify(identifier),
      mine: async (ctx) => publicServices.licences.listForHolder(await licenceHolder(ctx), ctx),
      get: async (ctx, id) => publicServices.licences.getForHolder(await licenceHolder(ctx), id, ctx),
    },
    applications: portalApplications,
    messages: {
      inbox: (sub, query) => messaging.service.inbox(sub, query),
      markRead: (sub, id, meta) => messaging.service.markRead({ actor: null, auditAs: { id: sub.split(':')[1] ?? null, name: sub, orgId: null }, ip: meta.ip, requestId: meta.requestId }, sub, id),
    },
    log: logger,
  });
  return { config, database, clock, audit, changes, jobs, directory, identity, auditModule, trust, exchange, globalConf, registries, govstackDr, calendar, catalog, catalogRequests, messaging, citizens, portal, publicServices };
}

/**
 * One-time codes as messages to the account, at the address being used (so only that
 * channel, whatever the preferences say). Sensitive templates stay out of the inbox.
 */
export function messagingCodeSender(messaging: Pick<MessagingService, 'send'>): CodeSender {
  return {
    async send(message) {
      await messaging.send({
        to: message.sub,
        template: message.purpose === 'password_reset' ? 'password_reset_code' : 'verification_code',
        vars: { code: message.code, minutes: message.minutes },
        address: message.channel === 'email' ? { email: message.to } : { phone: message.to },
      });
    },
  };
}

/**
 * The exchange service a registry is published as (its owner's service whose code is the
 * registry's name, answered by the registry's built-in backend), or '' when there is none.
 */
async function registryServiceOf(
  exchange: ReturnType<typeof createExchange>,
  directory: ReturnType<typeof createDirectory>['service'],
  catalog: ReturnType<typeof createRegistries>['catalog'],
  registry: string,
): Promise<string> {
  const row = await catalog.get(registry).catch(() => undefined);
  const owner = row && (await directory.findOrganization(row.owner_org_id));
  if (!owner) return '';
  const backend = row.definition.kind === 'records' ? 'egov:registries' : `egov:${row.definition.kind}`;
  const index = await exchange.routing().catch(() => undefined);
  const services = (index?.conf.services ?? []).filter((s) => s.backendUrl === backend && s.identifier.startsWith(`${owner.identifier}/`) && s.identifier.split('/')[4] === registry);
  return services.map((s) => s.identifier).sort()[0] ?? '';
}

/** A member node's anchor, or a ConfigError naming EGOV_ANCHOR_FILE and what is wrong with it. */
function readAnchor(file: string, instance: string): Anchor {
  let content: string;
  try {
    content = fs.readFileSync(file, 'utf8');
  } catch {
    throw new ConfigError(`EGOV_ANCHOR_FILE ${file} cannot be read.`);
  }
  try {
    return parseAnchor(content, instance);
  } catch (err) {
    throw new ConfigError(`EGOV_ANCHOR_FILE ${file}: ${(err as Error).message}`);
  }
}

/** The database the configuration names: PostgreSQL with DATABASE_URL, else embedded. */
export function openConfiguredDatabase(config: Config): Promise<Database> {
  return openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, pgliteSharedBuffers: config.pgliteSharedBuffers });
}

/** Opens the configured database, applies migrations and loads what services cache. */
export async function openServices(config: Config, options: { database?: Database; clock?: Clock; notify?: (message: string) => void; logger?: Logger } = {}): Promise<Services> {
  const masterKey = loadMasterKey({ key: config.masterKey, keyFile: config.masterKeyFile, devKeyFile: path.join(config.dataDir, 'master.key'), production: config.env === 'production' });
  const database = options.database ?? (await openConfiguredDatabase(config));
  await migrate(database, MIGRATIONS);
  const services = createServices({ config, database, clock: options.clock ?? systemClock, box: createSecretBox(masterKey.key), notify: options.notify, logger: options.logger });
  await services.changes.start();
  // The applications' timers (acceptance deemed, decision due) fire from the jobs' tables, after a restart too.
  await startApplicationTimers(services.jobs, services.publicServices.applications.decisions);
  await services.publicServices.joint.work(services.jobs);
  await services.jobs.start();
  await services.directory.service.loadDivisions();
  // The holiday arrangements shipped with this release, for years not entered yet (never over an admin's corrections).
  await services.calendar.service.ensureShipped(localOperator('egov'));
  // The CA lives on the central node only; a member node's certificates come from it.
  if (!config.anchorFile) {
    await services.trust.authority.ensure();
    await services.exchange.ensureCentralNode();
  }
  return Object.assign(services, { masterKeySource: masterKey });
}

export async function closeServices(services: Services): Promise<void> {
  await services.jobs.stop();
  await services.changes.stop();
  await services.database.close();
}

export type EgovApp = {
  http: App;
  services: Services;
  logger: Logger;
  /** Resolves once this node holds its authentication certificate (a member node: once approved). */
  nodeCertified: Promise<void>;
  /** Opens the HTTPS port for client systems that authenticate with a certificate (once certified). */
  listenClientTls(port: number, host: string): Promise<{ port: number }>;
  close(): Promise<void>;
};

export async function createApp(config: Config, options: { database?: Database; clock?: Clock; logger?: Logger; webDist?: string; notify?: (message: string) => void } = {}): Promise<EgovApp> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const services = await openServices(config, { ...options, logger, notify: options.notify ?? ((message) => logger.info(message)) });
  const metrics = createMetrics();
  const http = await createHttpServer({
    config,
    logger,
    metrics,
    authenticate: (credentials) => services.identity.authentication.authenticate(credentials),
  });
  registerSystemRoutes(http, { database: services.database, metrics, config, version: VERSION });
  services.directory.registerRoutes(http);
  services.identity.registerRoutes(http);
  services.auditModule.registerRoutes(http);
  const isCentral = !config.anchorFile;
  if (isCentral) services.trust.registerRoutes(http);
  services.exchange.registerRoutes(http);
  services.registries.registerRoutes(http);
  services.govstackDr.registerRoutes(http);
  services.calendar.registerRoutes(http);
  services.catalog.registerRoutes(http);
  services.catalogRequests.registerRoutes(http);
  services.citizens.registerRoutes(http, { clientSecret: () => services.identity.oidc.builtinSecret(PORTAL_CLIENT_ID), publicUrl: services.config.publicUrl, signInRateLimitPerMinute: services.config.signInRateLimitPerMinute });
  services.messaging.registerRoutes(http);
  services.publicServices.registerRoutes(http);
  services.portal.registerRoutes(http);
  await registerStaticWeb(http, options.webDist);
  await http.ready();
  // Background jobs; each timer stops when the app closes.
  const { trust, exchange, globalConf } = services;
  const failed = (job: string) => (err: unknown) => logger.error({ err }, `${job} failed`);
  let clientTls: import('node:https').Server | undefined;
  // A member node asks the central node for its certificates until the operator has decided.
  const enrolment = exchange.enrolment;
  let certified!: () => void;
  const nodeCertified = new Promise<void>((resolve) => (certified = resolve));
  // An isolated node (a ferry and no network path) gets its configuration across the ferry.
  const fetchesConf = globalConf && !exchange.isolated;
  // One step at a time: the first runs at once and the timer's may come due while it waits on
  // the central node; a second submission would supersede the first registration.
  let enrolling: Promise<void> | undefined;
  const enrolStep = () =>
    (enrolling ??= (async () => {
      const state = await enrolment!.step();
      if (state.state !== 'certified') return;
      certified();
      if (fetchesConf) await globalConf!.refresh();
    })().finally(() => {
      enrolling = undefined;
    }));
  if (enrolment) void enrolStep().catch((err: unknown) => logger.warn({ err: (err as Error).message }, 'node registration not done yet'));
  else certified();
  const stops = [
    enrolment ? every(config.globalConfRefreshSeconds * 1000, enrolStep, (err) => logger.warn({ err: (err as Error).message }, 'node registration not done yet')) : undefined,
    isCentral && config.auditAnchorMinutes > 0 ? every(config.auditAnchorMinutes * 60_000, () => trust.anchors.anchorNow(), failed('audit anchoring')) : undefined,
    config.exchangeLogTimestampSeconds > 0 ? every(config.exchangeLogTimestampSeconds * 1000, () => exchange.timestampLog(), failed('message log timestamping')) : undefined,
    config.exchangeLogRetentionDays > 0 && config.exchangeArchiveMinutes > 0 ? every(config.exchangeArchiveMinutes * 60_000, () => exchange.archiveLog(), failed('message log archiving')) : undefined,
    // A member node fetches the global configuration now, without holding up the start (the
    // central node may be away), and then every minute; until it has one, it refuses to route.
    fetchesConf ? every(config.globalConfRefreshSeconds * 1000, () => globalConf!.refresh(), (err) => logger.warn({ err: (err as Error).message }, 'global configuration refresh failed')) : undefined,
    // Share requests past their answer deadline go to the data bureau; ended shares lose their rights.
    every(60_000, () => services.catalogRequests.service.sweep(localOperator('egov')), failed('share request sweep')),
    // Expired OpenID Connect sessions, codes and tokens.
    every(3_600_000, () => services.identity.oidc.sweep(), failed('OpenID Connect sweep')),
    // Acceptances overdue that no timer accepted (after a restore, say): they count as accepted.
    every(300_000, () => sweepOverdueAcceptances(services.database.db, services.publicServices.applications.decisions, chinaDateOf(services.clock.now())), failed('overdue acceptance sweep')),
    // Email and SMS not sent yet: retries whose time has come, and sends a crash interrupted.
    every(15_000, () => services.messaging.sweep(), failed('message delivery sweep')),
    // Pub/sub rooms hosted here push their events to subscribers.
    config.pubsubPushMs > 0 ? every(config.pubsubPushMs, () => exchange.pushEvents(), failed('pub/sub push')) : undefined,
    // The ferry: bundles in, as the device delivers them; and the peer's configuration out.
    exchange.ferry ? every(exchange.ferry.settings.pollMs, () => exchange.ferry!.importNow(), failed('ferry import')) : undefined,
    exchange.ferry && isCentral ? every(config.globalConfRefreshSeconds * 1000, () => exchange.exportConfToPeer(), failed('ferry configuration export')) : undefined,
  ];
  if (fetchesConf) void globalConf!.refresh().catch((err: unknown) => logger.warn({ err: (err as Error).message }, 'global configuration not fetched yet'));
  if (exchange.ferry && isCentral) void exchange.exportConfToPeer().catch(failed('ferry configuration export'));
  return {
    http,
    services,
    logger,
    nodeCertified,
    async listenClientTls(port, host) {
      const identity = await exchange.identity.tlsIdentity();
      if (!identity) throw new Error('This node has no certificate yet for its client HTTPS port.');
      const server = await listenClientTls(http, identity, port, host);
      clientTls = server;
      return server;
    },
    // In-flight requests finish first; then the database closes cleanly.
    async close() {
      // A keep-alive connection whose request finishes after close() began would otherwise
      // stay open until the client drops it; close each as soon as it falls idle.
      for (const stop of stops) stop?.();
      const sweeper = setInterval(() => http.server.closeIdleConnections(), 50);
      exchange.close();
      clientTls?.closeAllConnections();
      clientTls?.close();
      await http.close().finally(() => clearInterval(sweeper));
      logger.info('HTTP server closed: no request in flight');
      // A last anchor, so the rows written since the previous one are covered too.
      if (config.exchangeLogTimestampSeconds > 0) await services.exchange.timestampLog().catch((err: unknown) => logger.error({ err }, 'final message log timestamp failed'));
      if (isCentral && config.auditAnchorMinutes > 0) await services.trust.anchors.anchorNow().catch((err: unknown) => logger.error({ err }, 'final audit anchor failed'));
      await closeServices(services);
      logger.info('database closed');
    },
  };
}
