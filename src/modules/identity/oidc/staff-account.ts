// Staff as an account kind of the provider: the identity module's users, signing in with the
// same password check, lockout and audit as the workbench. Administrators will need TOTP as a
// second factor (level-3 protection, issue 7); until it exists they sign in with a password.
import type { Authentication } from '../authentication.ts';
import type { OrgLookup } from '../authentication.ts';
import { UUID_PATTERN } from '../../../platform/ids.ts';
import type { AccountKind } from './accounts.ts';

const UUID = new RegExp(UUID_PATTERN);

/** `passwordChangeClients`: clients that may sign in someone whose password must change (the workbench, where it is changed). */
export function staffAccountKind(deps: { authentication: Authentication; directory: OrgLookup; passwordChangeClients?: string[] }): AccountKind {
  const changeVia = new Set((deps.passwordChangeClients ?? []).map((clientId) => `oidc:${clientId}`));
  return {
    kind: 'staff',
    label: { zh: '工作人员', en: 'Staff' },
    loginLabel: { zh: '用户名', en: 'User name' },
    loginAutocomplete: 'username',
    async authenticate(login, password, meta) {
      return (await deps.authentication.checkPassword(login, password, { ...meta, allowPasswordChange: changeVia.has(meta.via) })).userId;
    },
    async claims(id) {
      if (!UUID.test(id)) return undefined;
      const user = await deps.authentication.findActiveUser(id);
      if (!user) return undefined;
      const org = await deps.directory.findOrganization(user.org_id);
      return { account_type: 'staff', name: user.display_name, org_id: user.org_id, org_name: org?.nameZh, org_name_en: org?.nameEn, roles: user.roles };
    },
  };
}
