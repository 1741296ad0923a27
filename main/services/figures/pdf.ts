// Chart SVG (as ECharts renders it) to a vector PDF. Text stays text, in the embedded
// (subset) Japanese font, so a reviewer's PDF viewer shows 日本語 labels without the
// reader's fonts.
import PDFDocument from 'pdfkit';
import SVGtoPDF from 'svg-to-pdfkit';
import { ShirabeError } from '../../../common/errors';

export interface FigurePdfOptions {
  svg: string;
  /** Size in CSS pixels; the page is width × height at 96 px per inch (1 px = 0.75 pt). */
  width: number;
  height: number;
  fontPath: string;
  title?: string;
}

const fontName = 'ShirabeCJK';

export function svgToPdf(options: FigurePdfOptions): Promise<Uint8Array> {
  const { svg, width, height, fontPath } = options;
  if (!/^\s*(<\?xml[^>]*>\s*)?<svg[\s>]/.test(svg)) {
    return Promise.reject(new ShirabeError('figureNotSvg'));
  }
  const pageWidth = width * 0.75;
  const pageHeight = height * 0.75;
  return new Promise<Uint8Array>((resolve, reject) => {
    const doc = new PDFDocument({
      size: [pageWidth, pageHeight],
      margin: 0,
      info: { Title: options.title ?? 'Shirabe figure', Creator: 'Shirabe', Producer: 'Shirabe (PDFKit)' },
    });
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
    doc.on('error', reject);
    try {
      doc.registerFont(fontName, fontPath);
      doc.font(fontName);
      SVGtoPDF(doc, svg, 0, 0, {
        width: pageWidth,
        height: pageHeight,
        assumePt: false,
        // Every family maps to the embedded CJK font: Latin glyphs are in it too.
        fontCallback: () => fontName,
      });
      doc.end();
    } catch (err) {
      reject(new ShirabeError('figureInvalid', { detail: err instanceof Error ? err.message : String(err) }));
    }
  });
}
