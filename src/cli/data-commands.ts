// Commands that work on the database without serving: migrate, seed, verify, backup, restore.
import fs from 'node:fs';
import path from 'node:path';
import { MIGRATIONS, openConfiguredDatabase } from '../app.ts';
import { loadConfig } from '../config.ts';
import { seedDemo } from '../demo/seed.ts';
import { BackupError, backup, restore } from '../platform/backup.ts';
import { migrate, migrationNames, migrationSchemas } from '../platform/migrate.ts';
import { CliError, type Command } from './command.ts';
import { withServices } from './services.ts';
import { printDemoSignIns } from './output.ts';

/**
 * The schemas a backup covers: every schema the migrations make, so every module's (and audit's).
 * pg-boss's `pgboss` is left out on purpose (decision 0025), as are the PostGIS shapes (0015).
 */
export const BACKUP_SCHEMAS = migrationSchemas(MIGRATIONS);

export function progressLine(text: string) {
  if (process.stderr.isTTY) process.stderr.write(`\r${text}`);
}

export const migrateCommand: Command = {
  name: 'migrate',
  summary: 'Apply pending database migrations (start does this too).',
  usage: 'migrate',
  async run() {
    const config = loadConfig();
    const database = await openConfiguredDatabase(config);
    try {
      const result = await migrate(database, MIGRATIONS);
      console.log(`${database.describe}: applied ${result.applied.length} migration(s)${result.applied.length ? `: ${result.applied.join(', ')}` : ''}; ${result.alreadyApplied} already applied.`);
      return 0;
    } finally {
      await database.close();
    }
  },
};

export const seedCommand: Command = {
  name: 'seed',
  summary: 'Load the demo dataset (the fictitious Qingyun Province) into an empty database. The password is EGOV_DEMO_PASSWORD, or generated and printed.',
  usage: 'seed',
  async run() {
    return withServices(async (services) => {
      const result = await seedDemo(services, services.config.demoPassword);
      if (!result.seeded) {
        console.log('The directory already has organizations; nothing was seeded.');
        return 0;
      }
      console.log(`Seeded ${result.organizations} organizations and ${result.users.length} accounts.`);
      printDemoSignIns(result);
      return 0;
    });
  },
};

export const verifyCommand: Command = {
  name: 'verify',
  summary:
    "Check the audit log's hash chain from the first row to the last, then its latest anchor: a timestamp over the chain head, which proves no row up to it changed since. Exits 1 and names the first row that does not match.",
  usage: 'verify',
  async run() {
    return withServices(async (services) => {
      const result = await services.audit.verify((n) => progressLine(`checked ${n} rows…`));
      if (process.stderr.isTTY) process.stderr.write('\n');
      if (!result.ok) {
        console.error(`Audit chain BROKEN at row ${result.firstBadSeq}: ${result.reason}. ${result.rows} rows before it are intact.`);
        return 1;
      }
      console.log(`Audit chain OK: ${result.rows} rows, all hashes match.`);
      const anchor = await services.trust.anchors.verifyLatest();
      if (anchor.status === 'broken') {
        console.error(`Audit anchor BROKEN at row ${anchor.seq}: ${anchor.reason}.`);
        return 1;
      }
      if (anchor.status === 'none') {
        console.log('No anchor yet: the chain is consistent, but no timestamp proves when its rows were written. The server anchors every EGOV_AUDIT_ANCHOR_MINUTES.');
        return 0;
      }
      const tail = result.rows > anchor.seq ? ` Rows ${anchor.seq + 1}–${result.rows} were written after it and are covered by the next anchor.` : '';
      console.log(`Anchored: rows 1–${anchor.seq} are proven unchanged since ${anchor.anchoredAt.toISOString()} (timestamp by the platform TSA).${tail}`);
      return 0;
    });
  },
};

export const backupCommand: Command = {
  name: 'backup',
  summary: 'Write a consistent backup of the whole database to <file> (gzip JSON lines; works on PGlite and PostgreSQL). With the embedded database, stop the server first.',
  usage: 'backup <file>',
  async run({ positionals }) {
    const file = positionals[0];
    if (!file) throw new CliError('Name the backup file: egov backup <file>', 2);
    const target = path.resolve(file);
    if (!fs.existsSync(path.dirname(target))) throw new CliError(`The folder ${path.dirname(target)} does not exist.`);
    const config = loadConfig();
    const database = await openConfiguredDatabase(config);
    try {
      await migrate(database, MIGRATIONS);
      const summary = await backup(database, BACKUP_SCHEMAS, target);
      const rows = summary.tables.reduce((n, t) => n + t.rows, 0);
      console.log(`Backup written to ${summary.file}: ${summary.tables.length} tables, ${rows} rows, ${summary.sequences.length} sequence(s), ${summary.bytes} bytes (schemas ${BACKUP_SCHEMAS.join(', ')}).`);
      return 0;
    } finally {
      await database.close();
    }
  },
};

export const restoreCommand: Command = {
  name: 'restore',
  summary: 'Restore <file> into an empty database (a fresh PostgreSQL database, or a new EGOV_DATA_DIR), in one transaction, then check every table against the backup.',
  usage: 'restore <file>',
  async run({ positionals }) {
    const file = positionals[0];
    if (!file) throw new CliError('Name the backup file: egov restore <file>', 2);
    const config = loadConfig();
    const database = await openConfiguredDatabase(config);
    try {
      await migrate(database, MIGRATIONS);
      const summary = await restore(database, path.resolve(file), migrationNames(MIGRATIONS));
      const rows = summary.tables.reduce((n, t) => n + t.rows, 0);
      console.log(`Restored ${summary.tables.length} tables, ${rows} rows and ${summary.sequences.length} sequence(s) into ${database.describe}; every table matches the backup.`);
      return 0;
    } catch (err) {
      if (err instanceof BackupError) throw new CliError(err.message);
      throw err;
    } finally {
      await database.close();
    }
    // The audit chain is part of the checked tables; `egov verify` re-walks it.
  },
};
