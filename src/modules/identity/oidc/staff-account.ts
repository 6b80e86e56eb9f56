// Staff as an account kind of the provider: the identity module's users, signing in with the
// same password check, lockout and audit as the workbench. An account with TOTP on gives the
// code as a second step; an administrator without TOTP (level 3 asks administrators for two
// factors, ../policy.ts) sets it up as that step and cannot finish signing in otherwise.
import type { Authentication } from '../authentication.ts';
import type { OrgLookup } from '../authentication.ts';
import { UUID_PATTERN } from '../../../platform/ids.ts';
import type { AccountKind, SignInMeta } from './accounts.ts';

const UUID = new RegExp(UUID_PATTERN);

/**
 * Setting TOTP up during sign-in. Only staff have it, so it rides on the staff kind rather
 * than on AccountKind; the interaction pages find it with `totpEnrolmentOf`.
 */
export type TotpEnrolmentStep = {
  /** Whether the account whose password was right must set TOTP up before the sign-in ends. */
  needed(id: string): Promise<boolean>;
  /** The secret to show: a new one right after the password (`fresh`), the same one on a reload. */
  secret(id: string, meta: SignInMeta, fresh: boolean): Promise<{ secret: string; uri: string }>;
  /** The first code of that secret: TOTP goes on and the account's id comes back, or a domain error. */
  confirm(id: string, code: string, meta: SignInMeta): Promise<string>;
};

export type StaffAccountKind = AccountKind & { totpEnrolment: TotpEnrolmentStep };

export const totpEnrolmentOf = (kind: AccountKind): TotpEnrolmentStep | undefined => (kind as Partial<StaffAccountKind>).totpEnrolment;

/** `passwordChangeClients`: clients that may sign in someone whose password must change (the workbench, where it is changed). */
export function staffAccountKind(deps: { authentication: Authentication; directory: OrgLookup; passwordChangeClients?: string[] }): StaffAccountKind {
  const { authentication } = deps;
  const changeVia = new Set((deps.passwordChangeClients ?? []).map((clientId) => `oidc:${clientId}`));
  return {
    kind: 'staff',
    label: { zh: '工作人员', en: 'Staff' },
    loginLabel: { zh: '用户名', en: 'User name' },
    loginAutocomplete: 'username',
    async authenticate(login, password, meta) {
      const checked = await authentication.checkPassword(login, password, { ...meta, allowPasswordChange: changeVia.has(meta.via) });
      // Either way the next page is a code: of the secret in use, or of the one being set up.
      return checked.secondFactor ? { secondFactor: 'totp', id: checked.userId } : checked.userId;
    },
    async secondFactor(id, code, meta) {
      return (await authentication.secondFactor(id, code, meta)).userId;
    },
    totpEnrolment: {
      needed: (id) => authentication.needsEnrolment(id),
      secret: (id, meta, fresh) => authentication.enrolmentAtSignIn(id, meta, fresh),
      confirm: async (id, code, meta) => (await authentication.confirmEnrolment(id, code, meta)).userId,
    },
    async claims(id) {
      if (!UUID.test(id)) return undefined;
      const user = await authentication.findActiveUser(id);
      if (!user) return undefined;
      const org = await deps.directory.findOrganization(user.org_id);
      return { account_type: 'staff', name: user.display_name, org_id: user.org_id, org_name: org?.nameZh, org_name_en: org?.nameEn, roles: user.roles };
    },
  };
}
