// `egov org add`: creates an organization from the server's shell. A production installation
// starts with an empty directory and no accounts; this creates its first government, and
// `egov user add` its first administrators.
import os from 'node:os';
import { ORG_TYPES, type OrgType } from '../modules/directory/index.ts';
import { localOperator } from '../platform/actor.ts';
import { CliError, type Command } from './command.ts';
import { withServices } from './services.ts';

export const orgAddCommand: Command = {
  name: 'org add',
  summary: `Create an organization. --parent takes the parent's id, credit code or identifier; only a government may have none. Types: ${ORG_TYPES.join(', ')}.`,
  usage: 'org add --name-zh <name> --name-en <name> --credit-code <code> --division <code> --type <type> [--parent <org>]',
  options: { 'name-zh': { type: 'string' }, 'name-en': { type: 'string' }, 'credit-code': { type: 'string' }, division: { type: 'string' }, type: { type: 'string' }, parent: { type: 'string' } },
  async run({ values }) {
    const missing = ['name-zh', 'name-en', 'credit-code', 'division', 'type'].filter((k) => !values[k]);
    if (missing.length > 0) throw new CliError(`Missing --${missing.join(', --')}.\nUsage: egov ${this.usage}`, 2);
    const type = String(values.type) as OrgType;
    if (!ORG_TYPES.includes(type)) throw new CliError(`Unknown type "${type}". Types are: ${ORG_TYPES.join(', ')}.`, 2);
    return withServices(async (services) => {
      const directory = services.directory.service;
      let parentId: string | null = null;
      if (values.parent) {
        const key = String(values.parent);
        const parent = (await directory.findOrganization(key)) ?? (await directory.search({ q: key, status: 'all', limit: 5 })).items.find((o) => o.creditCode === key.toUpperCase() || o.identifier === key);
        if (!parent) throw new CliError(`No organization ${key}. Give the parent's id, credit code or identifier.`);
        parentId = parent.id;
      }
      const org = await directory.create(localOperator(`cli:${os.userInfo().username}`), {
        parentId,
        nameZh: String(values['name-zh']),
        nameEn: String(values['name-en']),
        creditCode: String(values['credit-code']),
        divisionCode: String(values.division),
        type,
      });
      console.log(`Created ${org.nameZh} / ${org.nameEn}: ${org.identifier} (${org.level}, id ${org.id}).`);
      return 0;
    });
  },
};
