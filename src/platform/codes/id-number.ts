// Citizen identity number (GB 11643-1999): 18 characters, ISO 7064 MOD 11-2 check.
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

export type IdNumberInfo = { normalized: string; birthDate: string; sex: 'male' | 'female' };

export function idNumberCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i];
  return CHECK[sum % 11];
}

/** Returns the parsed number, or the reason it is not valid. */
export function parseIdNumber(raw: string): IdNumberInfo | { problem: 'format' | 'birth_date' | 'check_character' } {
  const value = raw.toUpperCase();
  if (!/^\d{17}[\dX]$/.test(value)) return { problem: 'format' };
  const y = Number(value.slice(6, 10));
  const m = Number(value.slice(10, 12));
  const d = Number(value.slice(12, 14));
  const date = new Date(Date.UTC(y, m - 1, d));
  if (y < 1800 || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return { problem: 'birth_date' };
  if (idNumberCheckCharacter(value) !== value[17]) return { problem: 'check_character' };
  return {
    normalized: value,
    birthDate: `${value.slice(6, 10)}-${value.slice(10, 12)}-${value.slice(12, 14)}`,
    sex: Number(value[16]) % 2 === 1 ? 'male' : 'female',
  };
}
