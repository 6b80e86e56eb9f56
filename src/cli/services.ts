// Runs a CLI command against the configured database with every module, then closes it.
// Domain errors become CLI errors, printed with the fields they name.
import { closeServices, openServices, type Services } from '../app.ts';
import { loadConfig } from '../config.ts';
import { DomainError } from '../platform/errors.ts';
import { CliError } from './command.ts';

export async function withServices<T>(fn: (services: Services) => Promise<T>): Promise<T> {
  const services = await openServices(loadConfig());
  try {
    return await fn(services);
  } catch (err) {
    if (err instanceof DomainError) {
      const fields = err.errors?.map((e) => `  ${e.field}: ${e.message}`).join('\n');
      throw new CliError(fields ? `${err.message}\n${fields}` : err.message);
    }
    throw err;
  } finally {
    await closeServices(services);
  }
}
