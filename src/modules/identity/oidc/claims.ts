// What each scope releases. Relying parties see one set of claim names whatever kind of
// account signs in; each kind fills in the ones it has.
import { maskIdNumber } from '../../../platform/mask.ts';

export const SCOPES = ['openid', 'offline_access', 'profile', 'org', 'enterprise', 'id_number'] as const;
export type Scope = (typeof SCOPES)[number];

export const CLAIMS_BY_SCOPE: Record<string, string[]> = {
  // account_type travels with every token: a relying party must always know who it is serving.
  openid: ['sub', 'account_type'],
  profile: ['name', 'id_number_masked'],
  // Staff only: the organization and the roles in it.
  org: ['org_id', 'org_name', 'org_name_en', 'roles'],
  // An enterprise user (a citizen acting for an enterprise): which enterprise.
  enterprise: ['credit_code', 'enterprise_name', 'enterprise_role'],
  // The full ID number, only to clients registered for this scope.
  id_number: ['id_number'],
};

export type AccountType = 'staff' | 'citizen' | 'enterprise';

/** Claims an account offers; the provider keeps the ones the granted scopes release. */
export type AccountClaims = {
  account_type: AccountType;
  name?: string;
  id_number?: string;
  /** When the kind masks the ID number itself (citizens, whose full number is read only when granted). */
  id_number_masked?: string;
  org_id?: string;
  org_name?: string;
  org_name_en?: string;
  roles?: string[];
  credit_code?: string;
  enterprise_name?: string;
  enterprise_role?: 'legal_representative' | 'agent';
};

/** The claims of one account for the scopes granted (sub added by the provider). */
export function releasedClaims(sub: string, offered: AccountClaims, scopes: Set<string>): { sub: string } & Record<string, unknown> {
  const out: { sub: string } & Record<string, unknown> = { sub, account_type: offered.account_type };
  if (scopes.has('profile')) {
    if (offered.name !== undefined) out.name = offered.name;
    if (offered.id_number !== undefined) out.id_number_masked = maskIdNumber(offered.id_number);
    else if (offered.id_number_masked !== undefined) out.id_number_masked = offered.id_number_masked;
  }
  if (scopes.has('org') && offered.account_type === 'staff') {
    Object.assign(out, { org_id: offered.org_id, org_name: offered.org_name, org_name_en: offered.org_name_en, roles: offered.roles });
  }
  if (scopes.has('enterprise') && offered.account_type === 'enterprise') {
    Object.assign(out, { credit_code: offered.credit_code, enterprise_name: offered.enterprise_name, enterprise_role: offered.enterprise_role });
  }
  if (scopes.has('id_number') && offered.id_number !== undefined) out.id_number = offered.id_number;
  return out;
}
