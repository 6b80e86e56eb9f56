// The QR code on a licence document: its verification address, drawn on the server as inline
// SVG (the portal sends no JavaScript). The `qrcode` package makes the symbol (error correction
// M, so a printed copy with a smudge still reads); each row's runs of dark modules become one
// path, with the quiet zone of 4 modules the standard asks for.
import QRCode from 'qrcode';
import { escapeHtml } from '../../../platform/html.ts';

const QUIET = 4;

/** The symbol's modules: `size` × `size`, 1 for dark, row by row. */
export function qrModules(text: string): { size: number; dark: (row: number, col: number) => boolean } {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  return { size: modules.size, dark: (row, col) => modules.get(row, col) === 1 };
}

/** An inline SVG of the QR code of `text`, `label` naming it for screen readers (in the page's language). */
export function qrSvg(text: string, label: string, pixels = 192): string {
  const { size, dark } = qrModules(text);
  const runs: string[] = [];
  for (let row = 0; row < size; row++) {
    for (let col = 0; col < size; col++) {
      if (!dark(row, col)) continue;
      let end = col;
      while (end + 1 < size && dark(row, end + 1)) end++;
      runs.push(`M${col + QUIET} ${row + QUIET}h${end - col + 1}v1h-${end - col + 1}z`);
      col = end;
    }
  }
  const side = size + 2 * QUIET;
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${side} ${side}" width="${pixels}" height="${pixels}" role="img" aria-label="${escapeHtml(label)}" shape-rendering="crispEdges"><rect width="${side}" height="${side}" fill="#fff"/><path fill="#000" d="${runs.join('')}"/></svg>`;
}
