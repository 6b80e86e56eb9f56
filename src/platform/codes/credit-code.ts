// Unified Social Credit Code (GB 32100-2015) and its embedded organisation code (GB 11714).
const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const ORG_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];

export type CreditCodeProblem = 'format' | 'check_character';

export function creditCodeCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += ALPHABET.indexOf(first17[i]) * WEIGHTS[i];
  return ALPHABET[(31 - (sum % 31)) % 31];
}

/** Returns undefined when valid, otherwise what is wrong. */
export function checkCreditCode(code: string): CreditCodeProblem | undefined {
  if (code.length !== 18) return 'format';
  for (const ch of code) if (!ALPHABET.includes(ch)) return 'format';
  if (!/^\d{6}$/.test(code.slice(2, 8))) return 'format';
  return creditCodeCheckCharacter(code.slice(0, 17)) === code[17] ? undefined : 'check_character';
}

export function orgCodeCheckCharacter(first8: string): string {
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += ORG_ALPHABET.indexOf(first8[i]) * ORG_WEIGHTS[i];
  const r = 11 - (sum % 11);
  return r === 10 ? 'X' : r === 11 ? '0' : String(r);
}

/** The inner GB 11714 check is advisory: the standard treats a failure as a warning. */
export function orgCodeCheckPasses(creditCode: string): boolean {
  const org = creditCode.slice(8, 17);
  return orgCodeCheckCharacter(org.slice(0, 8)) === org[8];
}

/** Builds a valid code from its parts; used by the demo dataset and test factories. */
export function buildCreditCode(authority: string, entityType: string, divisionCode: string, orgBody8: string): string {
  const org = orgBody8 + orgCodeCheckCharacter(orgBody8);
  const first17 = authority + entityType + divisionCode + org;
  return first17 + creditCodeCheckCharacter(first17);
}
