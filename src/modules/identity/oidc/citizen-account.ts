// Citizens as an account kind of the provider (decision 0019: sub = citizen:{id}): the
// citizen accounts' own password check, lockout and audit (../citizens/), with the TOTP code
// as a second step when the account has it on, and the enterprises the citizen may act for
// (as legal representative, or as a current agent) offered after sign-in. The citizens
// module is wired after identity in src/app.ts, so the port is read when first used.
import { LockedError, UnauthenticatedError } from '../../../platform/errors.ts';
import type { AuthFailure, CitizenAccountKind } from '../citizens/index.ts';
import type { AccountClaims } from './claims.ts';
import type { AccountKind, SignInMeta } from './accounts.ts';

const refusal = (r: AuthFailure) => (r.code === 'account_locked' ? new LockedError(r.code, r.message, r.messageZh) : new UnauthenticatedError(r.code, r.message, r.messageZh));
const metaOf = (m: SignInMeta) => ({ ip: m.ip, requestId: m.requestId });

export function citizenAccountKind(port: () => CitizenAccountKind): AccountKind {
  return {
    kind: 'citizen',
    label: { zh: '个人或企业办事人', en: 'Citizen or enterprise representative' },
    loginLabel: { zh: '身份证号、手机号或电子邮箱', en: 'ID number, mobile number or email' },
    loginAutocomplete: 'username',
    async authenticate(login, password, meta) {
      const result = await port().authenticate(login, password, undefined, metaOf(meta));
      if (result.ok) return result.citizenId;
      if (result.code === 'totp_required' && result.citizenId) return { secondFactor: 'totp', id: result.citizenId };
      throw refusal(result);
    },
    async secondFactor(id, code, meta) {
      const result = await port().secondFactor(id, code, metaOf(meta));
      if (result.ok) return result.citizenId;
      throw refusal(result);
    },
    async actingOptions(id, request) {
      const options = await port().actingOptions(`citizen:${id}`, request.service);
      return options.map((o) => ({ id: o.creditCode, name: o.name, role: o.role }));
    },
    async claims(id, request) {
      const sub = `citizen:${id}`;
      if (!request) return (await port().findBySub(sub)) ? { account_type: 'citizen' } : undefined;
      const claims = await port().claims(sub, [...request.scopes], {
        // The provider grants id_number only to clients registered with that scope.
        fullIdNumber: request.scopes.has('id_number'),
        enterprise: request.acting?.enterprise,
        service: request.acting?.service,
        reader: request.clientId,
      });
      // A sub only ever yields its own account's claims.
      if (!claims || claims.sub !== sub) return undefined;
      const offered: AccountClaims = { account_type: claims.account_type, name: claims.name, id_number: claims.id_number, id_number_masked: claims.id_number_masked };
      if (claims.account_type === 'enterprise') Object.assign(offered, { credit_code: claims.credit_code, enterprise_name: claims.enterprise_name, enterprise_role: claims.enterprise_role });
      return offered;
    },
  };
}
