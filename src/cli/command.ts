// The shape every CLI command has, and the errors that end a command with a message.
import { parseArgs, type ParseArgsConfig } from 'node:util';

export type Command = {
  name: string;
  summary: string;
  usage: string;
  options?: ParseArgsConfig['options'];
  /** Returns the exit code. */
  run(args: { values: Record<string, string | boolean | undefined>; positionals: string[] }): Promise<number>;
};

/** A failure the user can fix: printed without a stack trace, exit code 1 (2 for usage). */
export class CliError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode = 1) {
    super(message);
    this.exitCode = exitCode;
  }
}

export function helpText(command: Command): string {
  const lines = [`Usage: egov ${command.usage}`, '', command.summary];
  const options = Object.entries(command.options ?? {});
  if (options.length > 0) {
    lines.push('', 'Options:');
    for (const [name, spec] of options) lines.push(`  --${name}${spec.type === 'string' ? ' <value>' : ''}`);
  }
  lines.push('  --help');
  return lines.join('\n');
}

export function parse(command: Command, argv: string[]) {
  try {
    return parseArgs({ args: argv, options: { ...(command.options ?? {}), help: { type: 'boolean' } }, allowPositionals: true, strict: true });
  } catch (err) {
    throw new CliError(`${(err as Error).message}\n\n${helpText(command)}`, 2);
  }
}
