import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ShirabeError } from '../../../common/errors';
import { fontPath } from '../../../test/paths';
import { svgToPdf } from './pdf';

const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="400" height="200" viewBox="0 0 400 200">
<rect x="10" y="10" width="100" height="50" fill="#E69F00"/>
<text x="20" y="120" font-family="sans-serif" font-size="16">文書の長さ Length</text></svg>`;

/** Text shown in the PDF: decode each content stream and collect its hex glyph strings. */
function streams(pdf: Buffer): string[] {
  const out: string[] = [];
  let at = 0;
  for (;;) {
    const s = pdf.indexOf('stream\n', at);
    if (s < 0) break;
    const e = pdf.indexOf('\nendstream', s);
    const body = pdf.subarray(s + 7, e);
    try {
      out.push(inflateSync(body).toString('latin1'));
    } catch {
      out.push(body.toString('latin1'));
    }
    at = e + 10;
  }
  return out;
}

describe('svgToPdf', () => {
  it('makes a one-page PDF of the SVG size with the Japanese font embedded as a subset', async () => {
    const bytes = Buffer.from(await svgToPdf({ svg, width: 400, height: 200, fontPath }));
    const text = bytes.toString('latin1');
    expect(text.startsWith('%PDF-')).toBe(true);
    expect(text).toMatch(/\/MediaBox \[0 0 300 150\]/); // 400 × 200 px at 0.75 pt/px
    expect(text).toMatch(/\/FontFile2/); // TrueType font program embedded
    expect(text).toMatch(/\/BaseFont \/[A-Z]{6}\+IPAexGothic/); // subset tag + family
    // The subset has one glyph per distinct character drawn (plus .notdef), not the whole font.
    expect(bytes.length).toBeLessThan(200_000);
    const content = streams(bytes).join('\n');
    expect(content).toMatch(/TJ|Tj/); // text drawn as text, not outlines
  });

  it('refuses something that is not SVG', async () => {
    await expect(svgToPdf({ svg: '<html></html>', width: 10, height: 10, fontPath })).rejects.toBeInstanceOf(ShirabeError);
  });
});
