#!/usr/bin/env node
// CLI entry: `egov <command>`. Every command has --help; failures print a message and exit non-zero.
import { ConfigError } from './config.ts';
import { CliError, helpText, parse, type Command } from './cli/command.ts';
import { backupCommand, migrateCommand, restoreCommand, seedCommand, verifyCommand } from './cli/data-commands.ts';
import { EXCHANGE_COMMANDS } from './cli/exchange-commands.ts';
import { orgAddCommand } from './cli/org-commands.ts';
import { startCommand } from './cli/start.ts';
import { TRUST_COMMANDS } from './cli/trust-commands.ts';
import { userAddCommand, userResetPasswordCommand } from './cli/user-commands.ts';
import { DatabaseInUseError } from './platform/db.ts';
import { MigrationError } from './platform/migrate.ts';
import { SecretBoxError } from './platform/secret-box.ts';

const COMMANDS: Command[] = [startCommand, migrateCommand, seedCommand, verifyCommand, backupCommand, restoreCommand, orgAddCommand, userAddCommand, userResetPasswordCommand, ...TRUST_COMMANDS, ...EXCHANGE_COMMANDS];

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
  // Two-word commands ("user add") before one-word ones.
  const two = COMMANDS.find((c) => c.name === argv.slice(0, 2).join(' '));
  if (two) return { command: two, rest: argv.slice(2) };
  const one = COMMANDS.find((c) => c.name === argv[0]);
  return one && { command: one, rest: argv.slice(1) };
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
