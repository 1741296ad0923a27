// A document's attributions as a heatmap over its text: the text cut into segments (scored units
// and the unscored text between and after them), each unit's colour from its score — diverging
// for signed scores (Okabe–Ito blue for against, vermillion for for), sequential blue for norms —
// and the same as a figure (ECharts graphic elements laid out line by line, so it exports as SVG,
// PNG and PDF like every chart) and as CSV rows. Pure: no DOM.
import type { EChartsOption } from 'echarts';
import type { ScoredSpan } from '../../../../common/contract';

export interface Segment {
  start: number;
  end: number;
  text: string;
  /** null: text without a score (spaces between words, the tail beyond maxLength). */
  span: ScoredSpan | null;
}

/** The text as consecutive segments; scored spans keep their order, overlaps are cut at the earlier span's end. */
export function segmentsOf(text: string, spans: readonly ScoredSpan[]): Segment[] {
  const sorted = spans.filter((s) => !s.special && s.end > s.start).slice().sort((a, b) => a.start - b.start || a.end - b.end);
  const out: Segment[] = [];
  let at = 0;
  for (const span of sorted) {
    const start = Math.max(span.start, at);
    if (start >= span.end) continue;
    if (start > at) out.push({ start: at, end: start, text: text.slice(at, start), span: null });
    out.push({ start, end: span.end, text: text.slice(start, span.end), span });
    at = span.end;
  }
  if (at < text.length) out.push({ start: at, end: text.length, text: text.slice(at), span: null });
  return out;
}

/** The largest |score|: the colour scale's end (at least a tiny positive number). */
export function scaleOf(spans: readonly ScoredSpan[]): number {
  return Math.max(1e-12, ...spans.filter((s) => !s.special).map((s) => Math.abs(s.score)));
}

const white = [255, 255, 255];
const negative = [0x00, 0x72, 0xb2]; // Okabe–Ito blue
const positive = [0xd5, 0x5e, 0x00]; // Okabe–Ito vermillion

function mix(to: number[], t: number): string {
  const c = white.map((w, i) => Math.round(w + (to[i] - w) * t));
  return `#${c.map((v) => v.toString(16).padStart(2, '0')).join('')}`;
}

/** A unit's background: white at 0, the full colour at ±scale (sequential blue when not signed). */
export function scoreColour(score: number, scale: number, signed: boolean): string {
  const t = Math.min(1, Math.abs(score) / scale);
  if (!signed) return mix(negative, t);
  return mix(score < 0 ? negative : positive, t);
}

/** Whether text on that background should be white: where the colour is dark. */
export function darkBackground(score: number, scale: number): boolean {
  return Math.abs(score) / scale > 0.6;
}

/** Width of a character at a font size: full-width scripts one em, the rest about 0.6 em. */
export function charWidth(ch: string, fontSize: number): number {
  const code = ch.codePointAt(0) ?? 0;
  return code >= 0x2e80 || (code >= 0xff00 && code <= 0xffef) ? fontSize : 0.6 * fontSize;
}

export interface FigureOptions {
  width: number;
  /** The figure's font (charts' Japanese-capable family, so the PDF embeds the CJK font). */
  fontFamily: string;
  fontSize: number;
  signed: boolean;
  /** Above the text. */
  title: string;
  /** Under the colour bar's two ends. */
  legend: { low: string; high: string };
}

/** The heatmap as an ECharts option of graphic elements, with its size. */
export function heatmapFigure(segments: readonly Segment[], options: FigureOptions): { option: EChartsOption; width: number; height: number } {
  const { width, fontSize, signed, fontFamily } = options;
  const margin = 16;
  const line = Math.round(fontSize * 1.7);
  const scale = scaleOf(segments.flatMap((s) => (s.span ? [s.span] : [])));
  const elements: Record<string, unknown>[] = [];
  elements.push({ type: 'text', left: margin, top: margin, style: { text: options.title, fontFamily, fontSize: fontSize + 1, fontWeight: 'bold', fill: '#222222' } });
  let x = margin;
  let y = margin + line + 6;
  const right = width - margin;
  for (const seg of segments) {
    // A segment is drawn in runs of characters, wrapping where the line is full or the text breaks.
    let run = '';
    let runX = x;
    const flush = () => {
      if (run === '') return;
      const w = [...run].reduce((s, ch) => s + charWidth(ch, fontSize), 0);
      if (seg.span) elements.push({ type: 'rect', shape: { x: runX, y: y - 2, width: w, height: line - 2 }, style: { fill: scoreColour(seg.span.score, scale, signed) } });
      elements.push({
        type: 'text',
        x: runX,
        y: y + (line - fontSize) / 2 - 2,
        style: { text: run, fontFamily, fontSize, fill: seg.span && darkBackground(seg.span.score, scale) ? '#ffffff' : '#222222' },
      });
      run = '';
    };
    for (const ch of seg.text) {
      if (ch === '\n') {
        flush();
        x = margin;
        y += line;
        runX = x;
        continue;
      }
      const w = charWidth(ch, fontSize);
      if (x + w > right) {
        flush();
        x = margin;
        y += line;
        runX = x;
      }
      run += ch;
      x += w;
    }
    flush();
  }
  // The colour bar: from −scale (or 0) to +scale.
  y += line + 10;
  const barWidth = Math.min(240, width - 2 * margin);
  const steps = 24;
  for (let i = 0; i < steps; i++) {
    const v = signed ? -scale + (2 * scale * (i + 0.5)) / steps : (scale * (i + 0.5)) / steps;
    elements.push({ type: 'rect', shape: { x: margin + (barWidth * i) / steps, y, width: barWidth / steps + 0.5, height: 10 }, style: { fill: scoreColour(v, scale, signed) } });
  }
  elements.push({ type: 'text', x: margin, y: y + 14, style: { text: options.legend.low, fontFamily, fontSize: fontSize - 2, fill: '#444444' } });
  elements.push({ type: 'text', x: margin + barWidth, y: y + 14, style: { text: options.legend.high, fontFamily, fontSize: fontSize - 2, fill: '#444444', align: 'right' } });
  const height = Math.ceil(y + 14 + fontSize + margin);
  return { option: { graphic: { elements } } as EChartsOption, width, height };
}

/** The units as CSV: one row each, in text order. */
export function heatmapCsv(unit: string, spans: readonly ScoredSpan[]): { header: string[]; rows: (string | number | null)[][] } {
  const estimated = spans.some((s) => s.low !== undefined);
  const header = ['unit', 'start', 'end', 'text', 'score', ...(estimated ? ['low_95', 'high_95'] : []), ...(spans.some((s) => s.pos) ? ['pos'] : [])];
  const withPos = header.includes('pos');
  const rows = spans
    .filter((s) => !s.special)
    .map((s) => [unit, s.start, s.end, s.text, s.score, ...(estimated ? [s.low ?? null, s.high ?? null] : []), ...(withPos ? [s.pos ?? null] : [])]);
  return { header, rows };
}
