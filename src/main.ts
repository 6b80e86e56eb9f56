#!/usr/bin/env node
// CLI entry: `egov <command>`. Every command has --help; failures print a message and exit non-zero.
import fs from 'node:fs';
import { ConfigError } from './config.ts';
import { CliError, helpText, parse, type Command } from './cli/command.ts';
import { backupCommand, migrateCommand, restoreCommand, seedCommand, verifyCommand } from './cli/data-commands.ts';
import { EXCHANGE_COMMANDS } from './cli/exchange-commands.ts';
import { NODE_COMMANDS } from './cli/node-commands.ts';
import { orgAddCommand } from './cli/org-commands.ts';
import { REGISTRIES_COMMANDS } from './cli/registries-commands.ts';
import { startCommand } from './cli/start.ts';
import { TRUST_COMMANDS } from './cli/trust-commands.ts';
import { userAddCommand, userResetPasswordCommand } from './cli/user-commands.ts';
import { DatabaseInUseError } from './platform/db.ts';
import { MigrationError } from './platform/migrate.ts';
import { SecretBoxError } from './platform/secret-box.ts';

const COMMANDS: Command[] = [startCommand, migrateCommand, seedCommand, verifyCommand, backupCommand, restoreCommand, orgAddCommand, userAddCommand, userResetPasswordCommand, ...TRUST_COMMANDS, ...EXCHANGE_COMMANDS, ...NODE_COMMANDS, ...REGISTRIES_COMMANDS];

function overview(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'egov: the e-government platform',
    '',
    'Usage: egov <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary.split('. ')[0].replace(/\.$/, '')}`),
    '',
    "Run 'egov <command> --help' for a command's options.",
    'Configuration comes from environment variables; see README.md.',
  ].join('\n');
}

function findCommand(argv: string[]): { command: Command; rest: string[] } | undefined {
  // Longer commands ("exchange client add") before shorter ones ("user add", "start").
  for (const words of [3, 2, 1]) {
    const command = COMMANDS.find((c) => c.name === argv.slice(0, words).join(' '));
    if (command) return { command, rest: argv.slice(words) };
  }
  return undefined;
}

async function main(argv: string[]): Promise<number> {
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major < 22 || (major === 22 && minor < 18)) {
    console.error(`egov needs Node.js 22.18 or newer (this is ${process.versions.node}). See README.md, "Requirements".`);
    return 1;
  }
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === 'help' || argv[0] === '-h') {
    console.log(overview());
    return argv.length === 0 ? 2 : 0;
  }
  const found = findCommand(argv);
  if (!found) {
    console.error(`Unknown command "${argv.join(' ')}".\n\n${overview()}`);
    return 2;
  }
  // --node <file> works with every command that has no --node of its own (trust issue names a
  // TLS host with it): the node's settings, as `egov start --node` reads them.
  if (!found.command.options?.node) {
    const at = found.rest.indexOf('--node');
    if (at !== -1) {
      const file = found.rest[at + 1];
      if (!file || !fs.existsSync(file)) {
        console.error(`No node file ${file ?? ''}: --node names a node's settings file (JSON).`);
        return 2;
      }
      process.env.EGOV_NODE_FILE = file;
      found.rest.splice(at, 2);
    }
  }
  const { values, positionals } = parse(found.command, found.rest);
  if (values.help) {
    console.log(helpText(found.command));
    return 0;
  }
  return found.command.run({ values: values as Record<string, string | boolean | undefined>, positionals });
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof CliError) {
      console.error(err.message);
      process.exit(err.exitCode);
    }
    if (err instanceof ConfigError || err instanceof DatabaseInUseError || err instanceof MigrationError || err instanceof SecretBoxError) {
      console.error(`egov: ${err.message}`);
      process.exit(1);
    }
    console.error('egov: unexpected error:', err);
    process.exit(1);
  },
);
