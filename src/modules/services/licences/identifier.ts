// Electronic licence identifiers (GB/T 36904-2018): `1.2.156.3005.2.{type}.{issuer}.{serial}.{version}.{check}`.
//   type    the USCC of the agency that defines the licence type, then 3 digits (21 characters);
//   issuer  the issuing agency's USCC (18 characters);
//   serial  0-9 and A-Z, of any length the issuer chooses;
//   version 3 digits;
//   check   ISO 7064 MOD 37,36 over type + issuer + serial + version joined without dots.
// Pure functions: the licence service makes identifiers, the public verification page checks them.

export const LICENCE_OID_PREFIX = '1.2.156.3005.2';
const A36 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const USCC = /^[0-9A-HJ-NP-RT-UW-Y]{2}\d{6}[0-9A-HJ-NP-RT-UW-Y]{10}$/;

export type LicenceIdParts = { type: string; issuer: string; serial: string; version: string };

/** ISO 7064 MOD 37,36 check character of `value` (0-9, A-Z). */
export function mod3736(value: string): string {
  let p = 36;
  for (const ch of value) {
    const v = A36.indexOf(ch);
    if (v < 0) throw new Error(`"${ch}" is not a character of 0-9 A-Z`);
    let s = (p + v) % 36;
    if (s === 0) s = 36;
    p = (2 * s) % 37;
  }
  return A36[(37 - p) % 36]!;
}

/** What is wrong with the parts, in both languages; empty when they make an identifier. */
export function licenceIdProblems(parts: LicenceIdParts): { field: keyof LicenceIdParts; message: string; messageZh: string }[] {
  const problems: { field: keyof LicenceIdParts; message: string; messageZh: string }[] = [];
  if (!(parts.type.length === 21 && USCC.test(parts.type.slice(0, 18)) && /^\d{3}$/.test(parts.type.slice(18)))) {
    problems.push({ field: 'type', message: "must be the defining agency's unified social credit code followed by 3 digits", messageZh: '应为定义证照类型的机关的统一社会信用代码加 3 位数字' });
  }
  if (!USCC.test(parts.issuer)) problems.push({ field: 'issuer', message: "must be the issuing agency's unified social credit code", messageZh: '应为发证机关的统一社会信用代码' });
  if (!/^[0-9A-Z]{1,40}$/.test(parts.serial)) problems.push({ field: 'serial', message: 'must be 1 to 40 characters of 0-9 and A-Z', messageZh: '应为 1 至 40 位数字或大写字母' });
  if (!/^\d{3}$/.test(parts.version)) problems.push({ field: 'version', message: 'must be 3 digits', messageZh: '应为 3 位数字' });
  return problems;
}

/** The identifier of these parts, with its check character. Throws when a part is malformed. */
export function buildLicenceId(parts: LicenceIdParts): string {
  const problems = licenceIdProblems(parts);
  if (problems.length) throw new Error(`licence identifier: ${problems.map((p) => `${p.field} ${p.message}`).join('; ')}`);
  const check = mod3736(`${parts.type}${parts.issuer}${parts.serial}${parts.version}`);
  return `${LICENCE_OID_PREFIX}.${parts.type}.${parts.issuer}.${parts.serial}.${parts.version}.${check}`;
}

/** The parts of a well-formed identifier whose check character is right; undefined otherwise. */
export function parseLicenceId(id: string): LicenceIdParts | undefined {
  if (!id.startsWith(`${LICENCE_OID_PREFIX}.`)) return undefined;
  const rest = id.slice(LICENCE_OID_PREFIX.length + 1).split('.');
  if (rest.length !== 5) return undefined;
  const [type, issuer, serial, version, check] = rest as [string, string, string, string, string];
  const parts = { type, issuer, serial, version };
  if (licenceIdProblems(parts).length > 0 || check.length !== 1) return undefined;
  return mod3736(`${type}${issuer}${serial}${version}`) === check ? parts : undefined;
}
