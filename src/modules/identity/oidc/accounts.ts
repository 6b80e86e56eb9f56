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
  /** The account's id (the part of `sub` after the kind) or a domain error (wrong password, locked…). */
  authenticate(login: string, password: string, meta: SignInMeta): Promise<string>;
  /** The account's claims, or undefined when it no longer may sign in (deleted, deactivated). */
  claims(id: string): Promise<AccountClaims | undefined>;
};

export type AccountKinds = {
  kinds: AccountKind[];
  find(kind: string): AccountKind | undefined;
  /** The kind and the account behind a `sub`, or undefined. */
  resolve(sub: string): Promise<{ kind: AccountKind; id: string; claims: AccountClaims } | undefined>;
};

export function accountKinds(kinds: AccountKind[]): AccountKinds {
  const byName = new Map(kinds.map((k) => [k.kind, k]));
  return {
    kinds,
    find: (kind) => byName.get(kind),
    async resolve(sub) {
      const colon = sub.indexOf(':');
      const kind = colon > 0 ? byName.get(sub.slice(0, colon)) : undefined;
      if (!kind) return undefined;
      const id = sub.slice(colon + 1);
      const claims = await kind.claims(id);
      return claims && { kind, id, claims };
    },
  };
}

export const subOf = (kind: AccountKind, id: string) => `${kind.kind}:${id}`;
