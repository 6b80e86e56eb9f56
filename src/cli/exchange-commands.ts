// `egov exchange verify-log | evidence | verify-evidence`: checking this node's message log,
// and proving one exchange to someone who has neither our database nor our network.
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../config.ts';
import { verifyEvidence, type EvidencePackage } from '../modules/exchange/index.ts';
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
      return 0;
    });
  },
};

export const exchangeEvidenceCommand: Command = {
  name: 'exchange evidence',
  summary: 'Export one exchange (by its X-Road-Id) as a self-contained evidence package: both sides\' log records, signed metadata and signatures, certificates up to the root, and the timestamp with inclusion proofs. Check it anywhere with egov exchange verify-evidence.',
  usage: 'exchange evidence <X-Road-Id> [--out <file>]',
  options: { out: { type: 'string' } },
  async run({ values, positionals }) {
    const xRoadId = positionals[0];
    if (!xRoadId) throw new CliError('Give the X-Road-Id of the exchange: egov exchange evidence <X-Road-Id>', 2);
    return withServices(async (services) => {
      const pkg = await services.exchange.exportEvidence(xRoadId);
      if (!pkg) throw new CliError(`No exchange ${xRoadId} in this node's message log.`);
      const file = path.resolve(String(values.out ?? `${xRoadId}.evidence.json`));
      fs.writeFileSync(file, JSON.stringify(pkg, null, 2) + '\n');
      console.log(`Wrote ${file}: ${pkg.records.length} record(s), ${pkg.batches.length} timestamp batch(es).`);
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
    let trustedRoot: Buffer | undefined;
    if (values.ca) {
      const pems = fs.readFileSync(path.resolve(String(values.ca)), 'utf8').match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
      if (pems.length === 0) throw new CliError(`${values.ca} holds no PEM certificate.`);
      // The last certificate of the CA file is the root (GET /api/trust/ca.pem lists issuing, then root).
      trustedRoot = Buffer.from(pems.at(-1)!.replace(/-----(BEGIN|END) CERTIFICATE-----|\s/g, ''), 'base64');
    }
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

export const EXCHANGE_COMMANDS = [exchangeVerifyLogCommand, exchangeEvidenceCommand, exchangeVerifyEvidenceCommand, exchangeAnchorCommand];
