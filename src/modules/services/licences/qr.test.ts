// The QR code drawn as SVG reads back as the exact verification address: the SVG's path is
// rasterized here (each run of dark modules, as drawn) and decoded by an independent decoder
// (jsQR), as a phone's camera would.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import jsqrModule from 'jsqr';
import { qrSvg } from './qr.ts';

// jsqr is CommonJS: its module object is the decoder, which TypeScript types as { default }.
type Decode = (data: Uint8ClampedArray, width: number, height: number) => { data: string } | null;
const jsQR: Decode = typeof jsqrModule === 'function' ? (jsqrModule as unknown as Decode) : (jsqrModule as unknown as { default: Decode }).default;

/** The SVG's modules as RGBA pixels, `scale` pixels per module: white, then each path run in black. */
function rasterize(svg: string, scale = 4): { data: Uint8ClampedArray; width: number; height: number } {
  const side = Number(/viewBox="0 0 (\d+) \1"/.exec(svg)?.[1]);
  assert.ok(side > 0, 'a square viewBox');
  const width = side * scale;
  const data = new Uint8ClampedArray(width * width * 4).fill(255);
  const d = /<path fill="#000" d="([^"]*)"/.exec(svg)?.[1] ?? '';
  const runs = [...d.matchAll(/M(\d+) (\d+)h(\d+)v1h-\3z/g)];
  assert.equal(runs.map((r) => r[0]).join(''), d, 'the path is made of runs only');
  for (const [, x, y, n] of runs) {
    for (let py = Number(y) * scale; py < (Number(y) + 1) * scale; py++) {
      for (let px = Number(x) * scale; px < (Number(x) + Number(n)) * scale; px++) {
        const i = (py * width + px) * 4;
        data[i] = data[i + 1] = data[i + 2] = 0;
      }
    }
  }
  return { data, width, height: width };
}

test('the SVG QR code decodes to exactly the verification address', () => {
  const urls = [
    'https://zwfw.zj.gov.cn/licences/1.2.156.3005.2.11330000002482097L001.11330000002482097L.2026000001.001.X',
    'http://127.0.0.1:8080/licences/1.2.156.3005.2.91330106MA0000001X001.91330106MA0000001X.2026000123.001.7',
  ];
  for (const url of urls) {
    const svg = qrSvg(url, '证照核验二维码');
    assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" viewBox="0 0 \d+ \d+" width="192" height="192" role="img" aria-label="证照核验二维码"/);
    assert.doesNotMatch(svg, /<script|<image|href=/, 'nothing but shapes');
    const { data, width, height } = rasterize(svg);
    const decoded = jsQR(data, width, height);
    assert.ok(decoded, 'the code is found');
    assert.equal(decoded.data, url);
  }
});

test('the label is escaped', () => {
  assert.match(qrSvg('x', '"><script>'), /aria-label="&quot;&gt;&lt;script&gt;"/);
});
