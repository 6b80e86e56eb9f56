// `egov user add` and `egov user reset-password`: account administration from the server's
// shell, e.g. to create the first security administrator of a new installation.
import os from 'node:os';
import { generatePassword } from '../demo/seed.ts';
import { ROLES, localOperator, type Role } from '../platform/actor.ts';
import { CliError, type Command } from './command.ts';
import { withServices } from './services.ts';

function cliOperator() {
  return localOperator(`cli:${os.userInfo().username}`);
}

export const userAddCommand: Command = {
  name: 'user add',
  summary: `Create a staff account. --org takes an organization id, credit code or identifier. Roles: ${ROLES.join(', ')}. Without --password a strong one is generated and printed once; the holder must change it at first sign-in.`,
  usage: 'user add --username <name> --name <display name> --org <org> --roles <role,role> [--password <pw>]',
  options: { username: { type: 'string' }, name: { type: 'string' }, org: { type: 'string' }, roles: { type: 'string' }, password: { type: 'string' } },
  async run({ values }) {
    const missing = ['username', 'name', 'org', 'roles'].filter((k) => !values[k]);
    if (missing.length > 0) throw new CliError(`Missing --${missing.join(', --')}.\nUsage: egov ${this.usage}`, 2);
    const roles = String(values.roles).split(',').map((r) => r.trim()) as Role[];
    const unknownRoles = roles.filter((r) => !ROLES.includes(r));
    if (unknownRoles.length > 0) throw new CliError(`Unknown role(s): ${unknownRoles.join(', ')}. Roles are: ${ROLES.join(', ')}.`, 2);
    return withServices(async (services) => {
      const orgKey = String(values.org);
      const found = await services.directory.service.search({ q: orgKey, status: 'all', limit: 2 });
      const org = found.items.find((o) => o.id === orgKey || o.creditCode === orgKey.toUpperCase() || o.identifier === orgKey) ?? (await services.directory.service.findOrganization(orgKey).catch(() => undefined));
      if (!org) throw new CliError(`No organization ${orgKey}. Give its id, credit code or identifier.`);
      const password = (values.password as string | undefined) ?? generatePassword();
      const user = await services.identity.accounts.create(cliOperator(), { username: String(values.username), displayName: String(values.name), orgId: org.id, roles, password });
      console.log(`Created ${user.username} (${user.roles.join(', ')}) in ${org.nameZh} / ${org.nameEn}.`);
      if (!values.password) console.log(`Initial password (shown once; must be changed at first sign-in): ${password}`);
      return 0;
    });
  },
};

export const userResetPasswordCommand: Command = {
  name: 'user reset-password',
  summary: 'Set a new password for an account, unlock it and end its sessions. Without --password one is generated and printed once.',
  usage: 'user reset-password <username> [--password <pw>]',
  options: { password: { type: 'string' } },
  async run({ values, positionals }) {
    const username = positionals[0];
    if (!username) throw new CliError(`Name the account.\nUsage: egov ${this.usage}`, 2);
    return withServices(async (services) => {
      const user = await services.identity.accounts.findByUsername(username);
      if (!user) throw new CliError(`No account named ${username}.`);
      const password = (values.password as string | undefined) ?? generatePassword();
      await services.identity.accounts.resetPassword(cliOperator(), user.id, password);
      console.log(`Password of ${user.username} reset; the account is unlocked and must change the password at next sign-in.`);
      if (!values.password) console.log(`New password (shown once): ${password}`);
      return 0;
    });
  },
};
