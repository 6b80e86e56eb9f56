// How personal identifiers are shown where the whole value is not needed: one convention for
// the whole platform, so a person recognises their own number in the registries' answers, the
// sign-in claims and the account pages alike. Masking keeps enough to recognise a value,
// never enough to use it.

/** `text` with all but its first `head` and last `tail` characters (code points) as `*`. */
export function keepEnds(text: string, head: number, tail: number): string {
  const chars = [...text];
  if (chars.length <= head + tail) return '*'.repeat(chars.length);
  return chars.slice(0, head).join('') + '*'.repeat(chars.length - head - tail) + chars.slice(chars.length - tail).join('');
}

/** The division (6) and the last four (sequence and check): 110105********002X. */
export const maskIdNumber = (text: string): string => keepEnds(text, 6, 4);

/** Authority, type and division (8) and the check character: 91110105*********B. */
export const maskCreditCode = (text: string): string => keepEnds(text, 8, 1);

/** The surname only: 张**. */
export const maskName = (text: string): string => keepEnds(text, 1, 0);

/** 13812348000 → 138****8000; +8613812348000 → +86138****8000 (spaces dropped). */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\s+/g, '');
  if (digits.length <= 4) return '*'.repeat(digits.length);
  const keepStart = Math.min(digits.startsWith('+') ? 6 : 3, Math.max(0, digits.length - 8));
  return keepEnds(digits, keepStart, 4);
}

/** zhang.san@example.cn → z***@example.cn */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at <= 0) return '***';
  return `${email[0]}***${email.slice(at)}`;
}
