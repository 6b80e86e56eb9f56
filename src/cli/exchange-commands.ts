// `egov exchange verify-log | evidence | verify-evidence`: checking this node's message log,
// and proving one exchange to someone who has neither our database nor our network.
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../config.ts';
import { localOperator } from '../platform/actor.ts';
import { archiveFilesAt, verifyArchiveFiles, verifyEvidence, type ArchiveFileReport, type EvidencePackage } from '../modules/exchange/index.ts';
import { createSuites } from '../modules/trust/index.ts';
import { CliError, type Command } from './command.ts';
import { progressLine } from './data-commands.ts';
import { withServices } from './services.ts';


export const exchangeVerifyLogCommand: Command = {
  name: 'exchange verify-log',
  summary: "Check this node's exchange message log: the hash chain row by row, then every timestamp batch. Exits 1 and names the first row that does not match.",
  usage: 'exchange verify-log',
  async run() {
    return withServices(async (services) => {
      const result = await services.exchange.verifyLog((n) => progressLine(`checked ${n} rows…`));
      if (process.stderr.isTTY) process.stderr.write('\n');
      if (!result.ok) {
        console.error(`Message log BROKEN at row ${result.firstBadSeq}: ${result.reason}. ${result.rows} rows were read.`);
        return 1;
      }
      console.log(`Message log OK: ${result.rows} rows, all hashes match; ${result.batches} timestamp batch(es) verified.`);
      if (result.archives > 0) console.log(`Rows 1–${result.archivedRows} are in ${result.archives} archive file(s), recorded without a gap; check the files with egov exchange verify-archive ${services.config.exchangeArchiveDir}`);
      return 0;
    });
  },
};

export const exchangeEvidenceCommand: Command = {
  name: 'exchange evidence',
  summary: 'Export one exchange (by its X-Road-Id) as a self-contained evidence package: both sides\' log records, signed metadata and signatures, certificates up to the root, and the timestamp with inclusion proofs. Check it anywhere with egov exchange verify-evidence.',
  usage: 'exchange evidence <X-Road-Id> [--out <file>] [--with-bodies]',
  options: { out: { type: 'string' }, 'with-bodies': { type: 'boolean' } },
  async run({ values, positionals }) {
    const xRoadId = positionals[0];
    if (!xRoadId) throw new CliError('Give the X-Road-Id of the exchange: egov exchange evidence <X-Road-Id>', 2);
    return withServices(async (services) => {
      // With the bodies (kept only with EGOV_EXCHANGE_LOG_BODIES): a read of possibly personal data, audited.
      const pkg = await services.exchange.exportEvidence(xRoadId, values['with-bodies'] ? { withBodies: localOperator(`cli:${process.env.USER ?? 'operator'}`) } : {});
      if (!pkg) throw new CliError(`No exchange ${xRoadId} in this node's message log.`);
      const file = path.resolve(String(values.out ?? `${xRoadId}.evidence.json`));
      fs.writeFileSync(file, JSON.stringify(pkg, null, 2) + '\n');
      console.log(`Wrote ${file}: ${pkg.records.length} record(s), ${pkg.batches.length} timestamp batch(es)${pkg.bodies ? `, ${pkg.bodies.length} bod${pkg.bodies.length === 1 ? 'y' : 'ies'}` : ''}.`);
      return 0;
    });
  },
};

export const exchangeVerifyEvidenceCommand: Command = {
  name: 'exchange verify-evidence',
  summary: "Check an evidence package offline: record hashes, both signatures and their certificate chains, the timestamp and the inclusion proofs. --ca pins the instance's root certificate (PEM, e.g. from /api/trust/ca.pem). Exits 0 when everything holds, 1 when not.",
  usage: 'exchange verify-evidence <file> [--ca <ca.pem>]',
  options: { ca: { type: 'string' } },
  async run({ values, positionals }) {
    if (!positionals[0]) throw new CliError('Name the evidence file: egov exchange verify-evidence <file>', 2);
    let pkg: EvidencePackage;
    try {
      pkg = JSON.parse(fs.readFileSync(path.resolve(positionals[0]), 'utf8'));
    } catch {
      throw new CliError(`${positionals[0]} is not a readable evidence package (JSON).`);
    }
    const trustedRoot = values.ca ? readTrustedRoot(String(values.ca)) : undefined;
    // Offline: only the SM2 user id comes from the configuration; no database is opened.
    const result = verifyEvidence(pkg, createSuites({ sm2UserId: loadConfig().sm2UserId }), trustedRoot);
    for (const fact of result.facts) console.log(`  ✓ ${fact}`);
    for (const problem of result.problems) console.log(`  ✗ ${problem}`);
    console.log(result.ok ? `Evidence for ${pkg.xRoadId} holds.` : `Evidence for ${pkg.xRoadId} does NOT hold: ${result.problems.length} problem(s).`);
    return result.ok ? 0 : 1;
  },
};

export const exchangeAnchorCommand: Command = {
  name: 'exchange anchor',
  summary: "On the central node: write the anchor file a new node is installed with: the instance, the central node's URL, and the configuration certificate and root whose signatures the node will accept.",
  usage: 'exchange anchor --url <central node URL> [--out <file>]',
  options: { url: { type: 'string' }, out: { type: 'string' } },
  async run({ values }) {
    if (!values.url) throw new CliError(`Give the URL other nodes reach this node at: --url https://central.example.gov.cn\nUsage: egov ${this.usage}`, 2);
    let url: URL;
    try {
      url = new URL(String(values.url));
    } catch {
      throw new CliError(`--url ${values.url} is not a URL.`, 2);
    }
    return withServices(async (services) => {
      const anchor = await services.exchange.anchor(url.toString().replace(/\/$/, ''));
      const file = path.resolve(String(values.out ?? 'anchor.json'));
      fs.writeFileSync(file, JSON.stringify(anchor, null, 2) + '\n');
      console.log(`Wrote ${file} for instance ${anchor.instance}, central node ${anchor.centralUrl}.`);
      return 0;
    });
  },
};

/** The root certificate to pin: the last certificate of a CA file (GET /api/trust/ca.pem lists issuing, then root). */
function readTrustedRoot(file: string): Buffer {
  let text: string;
  try {
    text = fs.readFileSync(path.resolve(file), 'utf8');
  } catch {
    throw new CliError(`${file} cannot be read.`);
  }
  const pems = text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (pems.length === 0) throw new CliError(`${file} holds no PEM certificate.`);
  return Buffer.from(pems.at(-1)!.replace(/-----(BEGIN|END) CERTIFICATE-----|\s/g, ''), 'base64');
}

export const exchangeArchiveCommand: Command = {
  name: 'exchange archive',
  summary: 'Archive the message-log rows older than EGOV_EXCHANGE_LOG_RETENTION_DAYS now: whole timestamp batches go into hash-linked archive files in EGOV_EXCHANGE_ARCHIVE_DIR, each file is recorded, and only then are its rows purged from the database. Rows not yet timestamped wait for their batch.',
  usage: 'exchange archive',
  async run() {
    return withServices(async (services) => {
      const { exchangeLogRetentionDays: days, exchangeArchiveDir: dir } = services.config;
      if (days <= 0) throw new CliError('Archiving is off: EGOV_EXCHANGE_LOG_RETENTION_DAYS is 0, so every row stays in the database. Set it to the days rows stay there (e.g. 180) to archive older ones.');
      const result = await services.exchange.archiveLog((p) => progressLine(`${p.file}: ${p.rowsWritten} of ${p.lastSeq - p.firstSeq + 1} rows…`));
      if (process.stderr.isTTY) process.stderr.write('\n');
      for (const w of result.written) console.log(`Wrote ${w.path}: rows ${w.firstSeq}–${w.lastSeq} (${w.rows} rows, ${w.batches} timestamp batch(es)), SHA-256 ${w.sha256}; purged from the database.`);
      const total = result.written.reduce((n, w) => n + w.rows, 0);
      console.log(result.written.length > 0 ? `Archived ${total} rows older than ${days} day(s) into ${result.written.length} file(s) in ${dir}.` : `Nothing to archive: no timestamped rows older than ${days} day(s).`);
      if (result.waiting) console.log(`Note: ${result.waiting}.`);
      return 0;
    });
  },
};

export const exchangeVerifyArchiveCommand: Command = {
  name: 'exchange verify-archive',
  summary: "Check message-log archive files offline (no database, no network): in each file the rows chain and match their hashes, every batch's rows give its Merkle root and its timestamp token verifies up to the root certificate; consecutive files link by SHA-256 and by row hash. --ca pins the instance's root certificate (PEM, e.g. from /api/trust/ca.pem). Exits 0 when everything holds, 1 naming the first file and row that does not.",
  usage: 'exchange verify-archive <file|folder> [--ca <ca.pem>]',
  options: { ca: { type: 'string' } },
  async run({ values, positionals }) {
    if (!positionals[0]) throw new CliError('Name an archive file or the archive folder: egov exchange verify-archive <file|folder>', 2);
    const target = path.resolve(positionals[0]);
    let files: string[];
    try {
      files = archiveFilesAt(target);
    } catch {
      throw new CliError(`${positionals[0]} cannot be read.`);
    }
    if (files.length === 0) throw new CliError(`${positionals[0]} holds no archive files (exchange-log-<first row>.jsonl).`);
    const trustedRoot = values.ca ? readTrustedRoot(String(values.ca)) : undefined;
    // Offline: only the SM2 user id comes from the configuration; no database is opened.
    const suites = createSuites({ sm2UserId: loadConfig().sm2UserId });
    const describe = (r: ArchiveFileReport) => {
      const name = path.basename(r.file);
      if (r.problem) return `  ✗ ${name}${r.problem.row ? `, row ${r.problem.row}` : ''}: ${r.problem.reason}`;
      const span = r.timestamps ? `, timestamped ${r.timestamps.from.toISOString()} – ${r.timestamps.to.toISOString()}` : '';
      return `  ✓ ${name}: rows ${r.header!.firstSeq}–${r.header!.lastSeq} (${r.rows} rows, ${r.batches} batch(es))${span}, SHA-256 ${r.sha256}`;
    };
    const result = await verifyArchiveFiles(files, { suites, trustedRoot }, (r) => console.log(describe(r)));
    for (const note of result.notes) console.log(`  · ${note}`);
    if (!result.firstBad) {
      const first = result.files[0].header!;
      console.log(`Archives OK: ${result.files.length} file(s), rows ${first.firstSeq}–${result.files.at(-1)!.header!.lastSeq}, every row, batch timestamp and link holds.`);
      return 0;
    }
    const bad = result.firstBad;
    console.log(`Archives do NOT verify: first problem in ${bad.file}${bad.row ? ` at row ${bad.row}` : ''}: ${bad.reason}.`);
    return 1;
  },
};

export const EXCHANGE_COMMANDS = [exchangeVerifyLogCommand, exchangeEvidenceCommand, exchangeVerifyEvidenceCommand, exchangeAnchorCommand, exchangeArchiveCommand, exchangeVerifyArchiveCommand];
