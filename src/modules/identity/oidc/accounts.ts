// Accounts by kind (decision 0019). `sub` is `{kind}:{id}`; each kind keeps its own tables and
// rules behind this small interface, and the provider only ever talks to the interface.
import type { AccountClaims } from './claims.ts';

export type SignInMeta = { ip: string; userAgent: string | undefined; requestId: string; via: string };

export type AccountKind = {
  /** The prefix of `sub`: `staff`, `citizen`. */
  kind: string;
  /** How the sign-in page names this kind of account and what it asks for. */
  label: { zh: string; en: string };
  loginLabel: { zh: string; en: string };
  loginAutocomplete: string;
  /**
   * The account's id (the part of `sub` after the kind) or a domain error (wrong password,
   * locked…); `{ secondFactor: 'totp', id }` when the password was right and the account
   * also needs a code, which the sign-in page then asks for (see `secondFactor`).
   */
  authenticate(login: string, password: string, meta: SignInMeta): Promise<string | SecondFactorNeeded>;
  /** The second step: the code for the account whose password was right; its id, or a domain error. */
  secondFactor?(id: string, code: string, meta: SignInMeta): Promise<string>;
  /** Whom else the account may act for now (enterprises), for the service the client names. */
  actingOptions?(id: string, request: { service?: string }): Promise<ActingOption[]>;
  /**
   * The account's claims, or undefined when it no longer may sign in (deleted, deactivated)
   * or may not act as the token says (an agent whose authorization ended). Without a request
   * only whether the account is live matters (no personal data need be read).
   */
  claims(id: string, request?: ClaimsRequest): Promise<AccountClaims | undefined>;
};

export type SecondFactorNeeded = { secondFactor: 'totp'; id: string };

/** An enterprise the account may act for: `id` is its credit code. */
export type ActingOption = { id: string; name: string; role: 'legal_representative' | 'agent' };

/** Acting for an enterprise, as chosen at sign-in and kept with the grant (acting.ts). */
export type Acting = { enterprise: string; service?: string };

/** What a token asks of an account: the granted scopes, the client reading, whom the person acts for. */
export type ClaimsRequest = { scopes: Set<string>; clientId: string; acting?: Acting };

export type AccountKinds = {
  kinds: AccountKind[];
  find(kind: string): AccountKind | undefined;
  /** The kind and the account id of a `sub` (not checked against any table), or undefined. */
  parse(sub: string): { kind: AccountKind; id: string } | undefined;
  /** The kind and the account behind a `sub`, or undefined. */
  resolve(sub: string, request?: ClaimsRequest): Promise<{ kind: AccountKind; id: string; claims: AccountClaims } | undefined>;
};

export function accountKinds(kinds: AccountKind[]): AccountKinds {
  const byName = new Map(kinds.map((k) => [k.kind, k]));
  const parse = (sub: string) => {
    const colon = sub.indexOf(':');
    const kind = colon > 0 ? byName.get(sub.slice(0, colon)) : undefined;
    return kind && { kind, id: sub.slice(colon + 1) };
  };
  return {
    kinds,
    find: (kind) => byName.get(kind),
    parse,
    async resolve(sub, request) {
      const parsed = parse(sub);
      if (!parsed) return undefined;
      const claims = await parsed.kind.claims(parsed.id, request);
      return claims && { ...parsed, claims };
    },
  };
}

export const subOf = (kind: AccountKind, id: string) => `${kind.kind}:${id}`;
