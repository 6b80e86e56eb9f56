// Highlights: where the query matched in a name or an abstract, as UTF-16 ranges into the text
// returned, and the same text as HTML with <mark> around the matches and everything else
// escaped. Long abstracts are cut to a snippet around the first match.
import { words } from './analyze.ts';

export type Range = [number, number];

/** What to look for: folded non-Han terms that matched, and Han strings (a unit, a character). */
export type Marks = { terms: Set<string>; han: string[] };

export function ranges(text: string, marks: Marks): Range[] {
  const found: Range[] = [];
  if (marks.terms.size > 0) for (const w of words(text)) if (marks.terms.has(w.term)) found.push([w.start, w.end]);
  for (const han of marks.han) {
    for (let at = text.indexOf(han); at !== -1; at = text.indexOf(han, at + han.length)) found.push([at, at + han.length]);
  }
  if (found.length < 2) return found;
  found.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const merged: Range[] = [found[0]];
  for (const [start, end] of found.slice(1)) {
    const last = merged[merged.length - 1];
    if (start <= last[1]) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  return merged;
}

/**
 * At most `max` characters of `text`, starting a little before the first range, with "…"
 * where it was cut; the ranges moved along (those cut off are dropped).
 */
export function snippet(text: string, found: Range[], max: number): { text: string; ranges: Range[] } {
  if (text.length <= max) return { text, ranges: found };
  const lead = Math.floor(max / 5);
  let start = found.length > 0 ? Math.max(0, found[0][0] - lead) : 0;
  start = Math.min(start, text.length - max);
  // Never cut a surrogate pair in two.
  if (start > 0 && /[\uDC00-\uDFFF]/.test(text[start])) start--;
  let end = start + max;
  if (end < text.length && /[\uDC00-\uDFFF]/.test(text[end])) end++;
  const prefix = start > 0 ? '…' : '';
  const cut = `${prefix}${text.slice(start, end)}${end < text.length ? '…' : ''}`;
  const shift = prefix.length - start;
  const moved: Range[] = found.filter(([s, e]) => s >= start && e <= end).map(([s, e]) => [s + shift, e + shift]);
  return { text: cut, ranges: moved };
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => ESCAPES[c]);

/** The text as HTML: escaped, with <mark> around each range. */
export function marked(text: string, found: Range[]): string {
  let out = '';
  let at = 0;
  for (const [start, end] of found) {
    out += `${escapeHtml(text.slice(at, start))}<mark>${escapeHtml(text.slice(start, end))}</mark>`;
    at = end;
  }
  return out + escapeHtml(text.slice(at));
}
