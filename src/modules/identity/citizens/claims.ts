// The claims the OpenID Connect provider puts in tokens and userinfo for a citizen `sub`.
// By scope: `profile` gives the name and the masked ID number; `phone` and `email` the
// channels. The full ID number only when the caller says the client was granted it. Acting
// for an enterprise (its legal representative, or an agent for the service asked) makes the
// account type `enterprise` with its credit code. Every call is a read of personal data and
// is audited, naming the reader.
import type { AuditActor } from '../../../platform/audit.ts';
import { maskIdNumber } from '../../../platform/mask.ts';
import { isActive, subOf, type CitizenDeps } from './model.ts';
import type { Enterprises } from './enterprises.ts';
import * as store from './store.ts';

export type ClaimOptions = {
  /** The client was granted the full ID number (decided by the provider from its scopes). */
  fullIdNumber?: boolean;
  /** Act for this enterprise (credit code): only if the citizen represents it or is its agent. */
  enterprise?: string;
  /** The service the agent acts in; without it any current authorization counts. */
  service?: string;
  /** Who reads, for the audit (the relying party's client id); default: the OIDC provider. */
  reader?: string;
  requestId?: string | null;
};

export type CitizenClaims = {
  sub: string;
  account_type: 'citizen' | 'enterprise';
  name?: string;
  id_number_masked?: string;
  id_number?: string;
  phone_number?: string;
  email?: string;
  credit_code?: string;
  enterprise_name?: string;
  enterprise_role?: 'legal_representative' | 'agent';
  real_name_verified?: boolean;
};

export function createClaims(deps: CitizenDeps, enterprises: Enterprises) {
  const { db, audit } = deps;
  return {
    /** The claims for `sub`, or undefined when there is no such live account (or it may not act for the enterprise asked). */
    async claims(sub: string, scopes: readonly string[] | string, options: ClaimOptions = {}): Promise<CitizenClaims | undefined> {
      if (!sub.startsWith('citizen:')) return undefined;
      const citizenId = sub.slice('citizen:'.length);
      if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(citizenId)) return undefined;
      const row = await store.findCitizen(db, citizenId);
      if (!isActive(row)) return undefined;
      const granted = new Set(typeof scopes === 'string' ? scopes.split(/\s+/).filter(Boolean) : scopes);
      const out: CitizenClaims = { sub: subOf(row.id), account_type: 'citizen' };
      if (granted.has('profile')) {
        out.name = row.name;
        out.id_number_masked = maskIdNumber(row.id_number);
        out.real_name_verified = row.verified_at !== null;
      }
      if (options.fullIdNumber) out.id_number = row.id_number;
      if (granted.has('phone') && row.phone) out.phone_number = row.phone;
      if (granted.has('email') && row.email) out.email = row.email;
      if (options.enterprise) {
        const acting = await enterprises.actingAs(row.id, options.enterprise, options.service);
        if (!acting) return undefined;
        out.account_type = 'enterprise';
        out.credit_code = acting.enterprise.credit_code;
        out.enterprise_name = acting.enterprise.name;
        out.enterprise_role = acting.role;
      }
      const reader: AuditActor = { id: null, name: options.reader ? `oidc-client:${options.reader}`.slice(0, 120) : 'oidc-provider', orgId: null };
      const shown = Object.keys(out).filter((k) => k !== 'sub');
      await audit.record(db, { actor: reader, action: 'identity.citizen.claims.read', subjectType: 'citizen', subjectId: row.id, outcome: 'success', detail: { claims: shown, ...(options.enterprise ? { creditCode: out.credit_code } : {}) }, ip: null, requestId: options.requestId ?? null });
      return out;
    },
  };
}
