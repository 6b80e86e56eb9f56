// The only place that reads process.env. Everything else receives a Config.
import fs from 'node:fs';
import path from 'node:path';

export type Config = {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  /** X-Road style instance identifier; the first part of every platform identifier. */
  instance: string;
  dataDir: string;
  databaseUrl: string | undefined;
  demoPassword: string | undefined;
  auditHash: 'sha256' | 'sm3';
  cookieSecure: boolean;
  sessionIdleMinutes: number;
  lockoutThreshold: number;
  lockoutMinutes: number;
  passwordMaxAgeDays: number;
  signInRateLimitPerMinute: number;
  /** The exchange subsystem citizen identity reads the registries as (real-name checks); default: the only subsystem coded `identity`. */
  citizenSubsystem: string | undefined;
  bodyLimitBytes: number;
  metricsToken: string | undefined;
  logLevel: string;
  tls: boolean;
  /** PostgreSQL shared_buffers for the embedded database. */
  pgliteSharedBuffers: string;
  /** Protects private keys at rest; see platform/secret-box.ts. */
  masterKey: string | undefined;
  masterKeyFile: string | undefined;
  /** The signature suite of this instance's CA. */
  trustSuite: 'ecdsa-p256-sha256' | 'sm2-sm3';
  sm2UserId: string;
  /** How often the audit chain head is timestamped; 0 turns anchoring off. */
  auditAnchorMinutes: number;
  /** How often the exchange message log's new rows are timestamped as one batch; 0 turns it off. */
  exchangeLogTimestampSeconds: number;
  /**
   * Days a message-log row stays in the database before it is archived to a file and purged;
   * 0 keeps every row in the database. 0 is the default because archived rows leave the
   * database, and with it `egov backup`, the workbench search and evidence export: an operator
   * turns this on once the archive folder has its own storage and backup. When on, 180 or more
   * keeps at least the six months of network logs the Cybersecurity Law (Art. 21) asks for online.
   */
  exchangeLogRetentionDays: number;
  /** Where message-log archive files go (default: <data dir>/log-archive). */
  exchangeArchiveDir: string;
  /** How often the archiver runs when retention is on; 0 turns the timer off (egov exchange archive still works). */
  exchangeArchiveMinutes: number;
  /** A request body slower than this (bytes/s, over each window) is cut off. */
  exchangeMinBytesPerSecond: number;
  exchangeRateWindowMs: number;
  /** Keep exchanged bodies in the message log, sealed, up to this many bytes each; undefined: hashes only. */
  exchangeLogBodyLimit: number | undefined;
  /** How often pub/sub rooms on this node push due events to subscribers; 0 turns pushing off. */
  pubsubPushMs: number;
  /** A member node's anchor (from the central node); without one, this node is the central node. */
  anchorFile: string | undefined;
  globalConfRefreshSeconds: number;
  /** This node in the exchange: its name, the address other nodes reach it at, its zone and port. */
  node: NodeSettings;
  /**
   * Whether the geospatial registry answers spatial queries with PostGIS where the database has
   * it (`auto`: installed, or creatable by the connected role) or always with its TypeScript
   * geometry library (`off`). Both give the same answers (decision 0015); PGlite has no PostGIS.
   */
  postgis: 'auto' | 'off';
  /**
   * The address citizens and harvesters reach this node at (no trailing slash): the links in
   * the CKAN API and the DCAT export start with it. Defaults to http://localhost:PORT, which
   * only this machine can follow: a production node sets it to its public address.
   */
  publicUrl: string;
  /** OpenID Connect provider: lifetime of access and ID tokens (seconds), of refresh tokens (days), of a sign-in session (hours). */
  oidcAccessTokenSeconds: number;
  oidcRefreshTokenDays: number;
  oidcSessionHours: number;
  /** The SMTP server messages are emailed through (smtp:// or smtps://, credentials in the URL); undefined: email is off. */
  smtpUrl: string | undefined;
  /** The From address of those emails; required with EGOV_SMTP_URL. */
  smtpFrom: string | undefined;
  /** How many times an email or SMS is tried before it is given up. */
  messageMaxAttempts: number;
  /** The wait before the first retry; each further retry waits twice as long. */
  messageRetrySeconds: number;
};

export type NodeZone = 'internal' | 'external' | 'public';
export type NodeSettings = {
  name: string;
  /** https URL of the node port, as other nodes reach it; what the global configuration lists. */
  url: string;
  zone: NodeZone;
  /** The mutual-TLS port for other nodes; 0 picks a free one (tests). */
  port: number;
  /** On a member node: the members (INSTANCE/CLASS/CODE) it hosts. The central node hosts the rest. */
  members: string[];
  /** An HTTPS port for client systems that authenticate with a certificate; undefined: none. */
  clientTlsPort: number | undefined;
  /** The zone ferry to a node with no network path to this one; undefined: none. */
  ferry: FerrySettings | undefined;
};

export type FerrySettings = {
  /** The node on the other side of the one-way devices. */
  peer: string;
  /** Where this node writes outbound bundles (the device that carries them across)… */
  outDir: string;
  /** …and where the device on the way back leaves bundles for this node. */
  inDir: string;
  pollMs: number;
  /** How long a client's call waits for its answer to come back across. */
  waitSeconds: number;
};

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

function int(env: Env, name: string, fallback: number, min = 0): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    throw new ConfigError(`${name} must be an integer ≥ ${min}; got "${raw}".`);
  }
  return value;
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no'].includes(raw.toLowerCase())) return false;
  throw new ConfigError(`${name} must be true or false; got "${raw}".`);
}

// X-Road identifier characters: no separators or characters that break URLs.
const INSTANCE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function loadConfig(env: Env = process.env): Config {
  // A node file (egov … --node <file>) stands for the variables it sets; the environment wins nowhere it speaks.
  if (env.EGOV_NODE_FILE) env = readNodeFile(env, env.EGOV_NODE_FILE);
  const mode = env.NODE_ENV === 'production' ? 'production' : env.NODE_ENV === 'test' ? 'test' : 'development';
  const instance = env.EGOV_INSTANCE ?? 'EGOV-DEMO';
  if (!INSTANCE_PATTERN.test(instance)) {
    throw new ConfigError(`EGOV_INSTANCE must be letters, digits, '.', '_' or '-' (at most 64); got "${instance}".`);
  }
  const auditHash = (env.EGOV_AUDIT_HASH ?? 'sha256').toLowerCase();
  if (auditHash !== 'sha256' && auditHash !== 'sm3') {
    throw new ConfigError(`EGOV_AUDIT_HASH must be sha256 or sm3; got "${env.EGOV_AUDIT_HASH}".`);
  }
  const databaseUrl = env.DATABASE_URL || undefined;
  if (mode === 'production' && !databaseUrl && !env.EGOV_DATA_DIR) {
    throw new ConfigError('In production set DATABASE_URL (PostgreSQL) or EGOV_DATA_DIR (embedded database folder).');
  }
  const tls = bool(env, 'EGOV_TLS', false);
  return {
    env: mode,
    port: int(env, 'PORT', 8080),
    host: env.HOST ?? '127.0.0.1',
    instance,
    dataDir: path.resolve(env.EGOV_DATA_DIR ?? './data'),
    databaseUrl,
    demoPassword: env.EGOV_DEMO_PASSWORD || undefined,
    auditHash,
    cookieSecure: bool(env, 'EGOV_COOKIE_SECURE', true),
    sessionIdleMinutes: int(env, 'EGOV_SESSION_IDLE_MINUTES', 30, 1),
    lockoutThreshold: int(env, 'EGOV_LOCKOUT_THRESHOLD', 5, 1),
    lockoutMinutes: int(env, 'EGOV_LOCKOUT_MINUTES', 15, 1),
    passwordMaxAgeDays: int(env, 'EGOV_PASSWORD_MAX_AGE_DAYS', 90, 1),
    signInRateLimitPerMinute: int(env, 'EGOV_SIGNIN_RATE_LIMIT', 20, 1),
    citizenSubsystem: env.EGOV_CITIZEN_SUBSYSTEM?.trim() || undefined,
    bodyLimitBytes: int(env, 'EGOV_BODY_LIMIT_BYTES', 1_048_576, 1024),
    metricsToken: env.EGOV_METRICS_TOKEN || undefined,
    logLevel: env.LOG_LEVEL ?? (mode === 'test' ? 'silent' : 'info'),
    tls,
    pgliteSharedBuffers: pgSize(env, 'EGOV_PGLITE_SHARED_BUFFERS', '32MB'),
    masterKey: env.EGOV_MASTER_KEY || undefined,
    masterKeyFile: env.EGOV_MASTER_KEY_FILE ? path.resolve(env.EGOV_MASTER_KEY_FILE) : undefined,
    trustSuite: trustSuite(env.EGOV_TRUST_SUITE),
    sm2UserId: sm2UserId(env.EGOV_SM2_USER_ID),
    auditAnchorMinutes: int(env, 'EGOV_AUDIT_ANCHOR_MINUTES', 10, 0),
    exchangeLogTimestampSeconds: int(env, 'EGOV_EXCHANGE_LOG_TIMESTAMP_SECONDS', 60, 0),
    exchangeLogRetentionDays: int(env, 'EGOV_EXCHANGE_LOG_RETENTION_DAYS', 0, 0),
    exchangeArchiveDir: path.resolve(env.EGOV_EXCHANGE_ARCHIVE_DIR || path.join(env.EGOV_DATA_DIR ?? './data', 'log-archive')),
    exchangeArchiveMinutes: int(env, 'EGOV_EXCHANGE_ARCHIVE_MINUTES', 60, 0),
    exchangeMinBytesPerSecond: int(env, 'EGOV_EXCHANGE_MIN_BYTES_PER_SECOND', 1024, 1),
    exchangeRateWindowMs: int(env, 'EGOV_EXCHANGE_RATE_WINDOW_MS', 10_000, 100),
    pubsubPushMs: int(env, 'EGOV_PUBSUB_PUSH_MS', 1000, 0),
    exchangeLogBodyLimit: bool(env, 'EGOV_EXCHANGE_LOG_BODIES', false) ? int(env, 'EGOV_EXCHANGE_LOG_BODY_LIMIT', 1_048_576, 1) : undefined,
    anchorFile: env.EGOV_ANCHOR_FILE ? path.resolve(env.EGOV_ANCHOR_FILE) : undefined,
    globalConfRefreshSeconds: int(env, 'EGOV_GLOBAL_CONF_REFRESH_SECONDS', 60, 1),
    node: nodeSettings(env, Boolean(env.EGOV_ANCHOR_FILE)),
    postgis: postgisSetting(env.EGOV_POSTGIS),
    publicUrl: publicUrl(env.EGOV_PUBLIC_URL, int(env, 'PORT', 8080)),
    oidcAccessTokenSeconds: int(env, 'EGOV_OIDC_ACCESS_TOKEN_SECONDS', 600, 1),
    oidcRefreshTokenDays: int(env, 'EGOV_OIDC_REFRESH_TOKEN_DAYS', 7, 1),
    oidcSessionHours: int(env, 'EGOV_OIDC_SESSION_HOURS', 8, 1),
    ...smtpSettings(env),
    messageMaxAttempts: int(env, 'EGOV_MESSAGE_MAX_ATTEMPTS', 5, 1),
    messageRetrySeconds: int(env, 'EGOV_MESSAGE_RETRY_SECONDS', 30, 1),
  };
}

const NODE_NAME_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;
const ZONES: NodeZone[] = ['internal', 'external', 'public'];

function nodeSettings(env: Env, member: boolean): NodeSettings {
  const name = env.EGOV_NODE_NAME || (member ? '' : 'central');
  if (!NODE_NAME_PATTERN.test(name)) {
    throw new ConfigError(member && !name ? 'A member node needs a name: set EGOV_NODE_NAME (lower-case letters, digits and -).' : `EGOV_NODE_NAME must be lower-case letters, digits and '-' (at most 63); got "${name}".`);
  }
  const zone = (env.EGOV_NODE_ZONE || 'external') as NodeZone;
  if (!ZONES.includes(zone)) throw new ConfigError(`EGOV_NODE_ZONE must be one of ${ZONES.join(', ')}; got "${env.EGOV_NODE_ZONE}".`);
  const port = int(env, 'EGOV_NODE_PORT', 5500);
  const url = (env.EGOV_NODE_URL || `https://127.0.0.1:${port}`).replace(/\/$/, '');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError(`EGOV_NODE_URL must be an https URL; got "${url}".`);
  }
  if (parsed.protocol !== 'https:' || parsed.pathname !== '/' || parsed.search) throw new ConfigError(`EGOV_NODE_URL must be an https URL with no path, like https://node.example.gov.cn:5500; got "${url}".`);
  const members = (env.EGOV_NODE_MEMBERS ?? '').split(',').map((m) => m.trim()).filter(Boolean);
  for (const m of members) {
    if (m.split('/').length !== 3) throw new ConfigError(`EGOV_NODE_MEMBERS lists member identifiers INSTANCE/CLASS/CODE, separated by commas; "${m}" is not one.`);
  }
  if (member && members.length === 0) throw new ConfigError('A member node hosts at least one member: set EGOV_NODE_MEMBERS (e.g. EGOV-DEMO/GOV/11330000MB0000000X).');
  const clientTlsPort = env.EGOV_CLIENT_TLS_PORT ? int(env, 'EGOV_CLIENT_TLS_PORT', 0) : undefined;
  return { name, url, zone, port, members, clientTlsPort, ferry: ferrySettings(env, name) };
}

function ferrySettings(env: Env, self: string): FerrySettings | undefined {
  const peer = env.EGOV_FERRY_PEER;
  if (!peer && !env.EGOV_FERRY_OUT_DIR && !env.EGOV_FERRY_IN_DIR) return undefined;
  if (!peer || !NODE_NAME_PATTERN.test(peer) || peer === self) throw new ConfigError(`EGOV_FERRY_PEER must name the node across the ferry (not this one); got "${peer ?? ''}".`);
  if (!env.EGOV_FERRY_OUT_DIR || !env.EGOV_FERRY_IN_DIR) throw new ConfigError('A ferry needs both EGOV_FERRY_OUT_DIR (bundles this node sends) and EGOV_FERRY_IN_DIR (bundles it receives).');
  const outDir = path.resolve(env.EGOV_FERRY_OUT_DIR);
  const inDir = path.resolve(env.EGOV_FERRY_IN_DIR);
  if (outDir === inDir) throw new ConfigError('EGOV_FERRY_OUT_DIR and EGOV_FERRY_IN_DIR must be different folders: each way has its own device.');
  return { peer, outDir, inDir, pollMs: int(env, 'EGOV_FERRY_POLL_MS', 1000, 50), waitSeconds: int(env, 'EGOV_FERRY_WAIT_SECONDS', 60, 1) };
}

function trustSuite(raw: string | undefined): Config['trustSuite'] {
  const value = raw || 'sm2-sm3';
  if (value !== 'sm2-sm3' && value !== 'ecdsa-p256-sha256') {
    throw new ConfigError(`EGOV_TRUST_SUITE must be sm2-sm3 or ecdsa-p256-sha256; got "${raw}".`);
  }
  return value;
}

function publicUrl(raw: string | undefined, port: number): string {
  const value = (raw || `http://localhost:${port}`).trim().replace(/\/+$/, '');
  let parsed: URL | undefined;
  try {
    parsed = new URL(value);
  } catch {
    parsed = undefined;
  }
  if (!parsed || !['http:', 'https:'].includes(parsed.protocol) || parsed.search || parsed.hash || parsed.username || parsed.password)
    throw new ConfigError(`EGOV_PUBLIC_URL must be the http(s) address this node is reached at, like https://data.example.gov.cn (a path is allowed, no query); got "${raw}".`);
  return value;
}

function smtpSettings(env: Env): { smtpUrl: string | undefined; smtpFrom: string | undefined } {
  const url = env.EGOV_SMTP_URL?.trim() || undefined;
  const from = env.EGOV_SMTP_FROM?.trim() || undefined;
  if (!url) return { smtpUrl: undefined, smtpFrom: from };
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  // The value may hold a password, so it is never echoed back.
  if (!parsed || !['smtp:', 'smtps:'].includes(parsed.protocol) || !parsed.hostname) throw new ConfigError('EGOV_SMTP_URL must be an smtp:// or smtps:// address, like smtp://mail.example.gov.cn:587 or smtps://user:password@mail.example.gov.cn:465.');
  if (!from) throw new ConfigError('EGOV_SMTP_FROM must be set with EGOV_SMTP_URL: the From address of the emails, like "egov <no-reply@example.gov.cn>".');
  return { smtpUrl: url, smtpFrom: from };
}

function postgisSetting(raw: string | undefined): Config['postgis'] {
  const value = (raw || 'auto').toLowerCase();
  if (value !== 'auto' && value !== 'off') throw new ConfigError(`EGOV_POSTGIS must be auto or off; got "${raw}".`);
  return value;
}

function sm2UserId(raw: string | undefined): string {
  const value = raw || '1234567812345678';
  // Z_A encodes the id's length in bits in two bytes.
  if (Buffer.byteLength(value) > 8191) throw new ConfigError('EGOV_SM2_USER_ID must be shorter than 8192 bytes.');
  return value;
}

function pgSize(env: Env, name: string, fallback: string): string {
  const raw = env[name] || fallback;
  if (!/^\d+(kB|MB|GB)$/.test(raw)) throw new ConfigError(`${name} must be a size like 32MB or 256MB; got "${raw}".`);
  return raw;
}

/** `egov start --node <file>`: a node's settings as JSON, each key standing for one variable above. */
export const NODE_FILE_KEYS: Record<string, string> = {
  port: 'PORT',
  host: 'HOST',
  instance: 'EGOV_INSTANCE',
  dataDir: 'EGOV_DATA_DIR',
  databaseUrl: 'DATABASE_URL',
  anchorFile: 'EGOV_ANCHOR_FILE',
  masterKeyFile: 'EGOV_MASTER_KEY_FILE',
  trustSuite: 'EGOV_TRUST_SUITE',
  logLevel: 'LOG_LEVEL',
  nodeName: 'EGOV_NODE_NAME',
  nodeUrl: 'EGOV_NODE_URL',
  nodeZone: 'EGOV_NODE_ZONE',
  nodePort: 'EGOV_NODE_PORT',
  nodeMembers: 'EGOV_NODE_MEMBERS',
  clientTlsPort: 'EGOV_CLIENT_TLS_PORT',
  globalConfRefreshSeconds: 'EGOV_GLOBAL_CONF_REFRESH_SECONDS',
  ferryPeer: 'EGOV_FERRY_PEER',
  ferryOutDir: 'EGOV_FERRY_OUT_DIR',
  ferryInDir: 'EGOV_FERRY_IN_DIR',
  ferryPollMs: 'EGOV_FERRY_POLL_MS',
  ferryWaitSeconds: 'EGOV_FERRY_WAIT_SECONDS',
};

/** The environment a node file describes, on top of `env`; throws ConfigError naming an unknown key. */
export function envWithNodeFile(env: Env, file: string, content: string): Env {
  let settings: Record<string, unknown>;
  try {
    settings = JSON.parse(content);
  } catch {
    throw new ConfigError(`The node file ${file} is not JSON.`);
  }
  const merged: Env = { ...env };
  for (const [key, value] of Object.entries(settings)) {
    const variable = NODE_FILE_KEYS[key];
    if (!variable) throw new ConfigError(`The node file ${file} has an unknown key "${key}"; known keys: ${Object.keys(NODE_FILE_KEYS).join(', ')}.`);
    // Paths in a node file are relative to the file, so a node's folder can move as a whole.
    merged[variable] = ['dataDir', 'anchorFile', 'masterKeyFile', 'ferryOutDir', 'ferryInDir'].includes(key) ? path.resolve(path.dirname(file), String(value)) : Array.isArray(value) ? value.join(',') : String(value);
  }
  return merged;
}

function readNodeFile(env: Env, file: string): Env {
  const resolved = path.resolve(file);
  let content: string;
  try {
    content = fs.readFileSync(resolved, 'utf8');
  } catch {
    throw new ConfigError(`No node file ${resolved} (EGOV_NODE_FILE or --node).`);
  }
  const { EGOV_NODE_FILE: _file, ...rest } = env;
  return envWithNodeFile(rest, resolved, content);
}
