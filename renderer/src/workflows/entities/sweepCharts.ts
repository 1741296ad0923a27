// A layer sweep's figure and table (the study's Figure 2): micro F1 against the encoder layer, one
// line per (head, encoder), for one task and split, points not done left out; and every point as a
// row to keep (CSV) or publish (LaTeX booktabs). Pure: the words come in as arguments.
import type { EChartsOption } from 'echarts';
import type { EncoderMode, EntityHead, LayerSweepPoint } from '../../../../common/contract';
import type { ChartData } from '../../charts/chartOptions';
import { okabeIto } from '../../charts/chartOptions';
import { toCsv } from '../../charts/csv';
import { tasks, texEscape, type Task } from './entityCharts';

export type SweepSplit = 'dev' | 'test';

/** Colour by encoder (Okabe–Ito: orange, blue, green); the head by line and marker, readable without colour. */
export const encoderColours: Record<EncoderMode, string> = { frozen: okabeIto[0], full: okabeIto[4], lora: okabeIto[2] };
export const headLine: Record<EntityHead, { type: 'dashed' | 'solid'; symbol: string }> = { biaffine: { type: 'dashed', symbol: 'triangle' }, cnn: { type: 'solid', symbol: 'circle' } };

/** The point's micro F1 for a task and split; null while it has none (not done). */
export function pointF1(p: LayerSweepPoint, task: Task, split: SweepSplit): number | null {
  const m = p[split];
  return p.status === 'done' && m ? m[task].micro.f1 : null;
}

/** The (head, encoder) lines of the points in the sweep's order (heads, then encoders as they come). */
export function sweepLines(points: readonly LayerSweepPoint[]): { head: EntityHead; encoder: EncoderMode }[] {
  const out: { head: EntityHead; encoder: EncoderMode }[] = [];
  for (const p of points) if (!out.some((l) => l.head === p.head && l.encoder === p.encoder)) out.push({ head: p.head, encoder: p.encoder });
  return out;
}

export function sweepChart(
  points: readonly LayerSweepPoint[],
  task: Task,
  split: SweepSplit,
  text: { layer: string; f1: string; line(head: EntityHead, encoder: EncoderMode): string },
): ChartData {
  const series = sweepLines(points).map(({ head, encoder }) => ({
    type: 'line' as const,
    name: text.line(head, encoder),
    symbol: headLine[head].symbol,
    symbolSize: 8,
    color: encoderColours[encoder],
    lineStyle: { type: headLine[head].type, width: 2 },
    data: points
      .filter((p) => p.head === head && p.encoder === encoder && pointF1(p, task, split) !== null)
      .sort((a, b) => a.layer - b.layer)
      .map((p) => [p.layer, pointF1(p, task, split)!]),
  }));
  const option: EChartsOption = {
    grid: { left: 56, right: 24, top: 40, bottom: 48 },
    legend: { top: 0, type: 'scroll' },
    tooltip: { trigger: 'axis', valueFormatter: (v) => (typeof v === 'number' ? v.toFixed(4) : String(v)) },
    xAxis: { type: 'value', name: text.layer, nameLocation: 'middle', nameGap: 28, minInterval: 1, min: 0, max: 'dataMax' },
    yAxis: { type: 'value', name: text.f1, min: 0, max: 1 },
    series,
  };
  const rows = series.flatMap((s, i) => {
    const { head, encoder } = sweepLines(points)[i];
    return s.data.map(([layer, f1]) => [head, encoder, layer, f1]);
  });
  return { option, csv: { header: ['head', 'encoder', 'layer', `${split}_${task === 'rePlus' ? 're_plus' : task}_f1`], rows } };
}

/** One row per point, by head, encoder and layer: layer, head, encoder, status, dev and test NER/RE/RE+ micro F1 ('' when none). */
export function sweepRows(points: readonly LayerSweepPoint[], name: { head(h: EntityHead): string; encoder(e: EncoderMode): string; status(s: LayerSweepPoint['status']): string }): (string | number)[][] {
  const lines = sweepLines(points);
  const order = (p: LayerSweepPoint) => lines.findIndex((l) => l.head === p.head && l.encoder === p.encoder);
  return [...points]
    .sort((a, b) => order(a) - order(b) || a.layer - b.layer)
    .map((p) => [p.layer, name.head(p.head), name.encoder(p.encoder), name.status(p.status), ...(['dev', 'test'] as const).flatMap((s) => tasks.map((t) => pointF1(p, t, s) ?? ''))]);
}

export const sweepHeader = ['layer', 'head', 'encoder', 'status', 'dev_ner_f1', 'dev_re_f1', 'dev_re_plus_f1', 'test_ner_f1', 'test_re_f1', 'test_re_plus_f1'];

export function sweepCsv(rows: (string | number)[][]): string {
  return toCsv(sweepHeader, rows);
}

/** A booktabs table: layer, head, encoder, then dev and test NER / RE / RE+ F1 as percentages (one decimal); the status is left out. */
export function sweepLatex(rows: (string | number)[][], headings: { layer: string; head: string; encoder: string; dev: string; test: string; tasks: Record<Task, string> }, caption: string | null): string {
  const pct = (x: string | number) => (typeof x === 'number' ? (x * 100).toFixed(1) : '--');
  const taskCols = tasks.map((t) => texEscape(headings.tasks[t])).join(' & ');
  const lines = [
    '\\begin{table}[t]',
    '\\centering',
    '\\begin{tabular}{rllrrrrrr}',
    '\\toprule',
    ` & & & \\multicolumn{3}{c}{${texEscape(headings.dev)}} & \\multicolumn{3}{c}{${texEscape(headings.test)}} \\\\`,
    '\\cmidrule(lr){4-6} \\cmidrule(lr){7-9}',
    `${[headings.layer, headings.head, headings.encoder].map(texEscape).join(' & ')} & ${taskCols} & ${taskCols} \\\\`,
    '\\midrule',
  ];
  for (const r of rows) lines.push(`${r[0]} & ${texEscape(String(r[1]))} & ${texEscape(String(r[2]))} & ${r.slice(4).map(pct).join(' & ')} \\\\`);
  lines.push('\\bottomrule', '\\end{tabular}');
  if (caption) lines.push(`\\caption{${texEscape(caption)}}`);
  lines.push('\\end{table}', '');
  return lines.join('\n');
}

/** "0, 2, 4" → [0, 2, 4]; "" → null (0, 2, 4, … and the last); 'invalid' when any is not a whole number from 0. */
export function parseLayers(text: string): number[] | null | 'invalid' {
  const parts = text.split(/[,\s、，]+/).filter((p) => p !== '');
  if (parts.length === 0) return null;
  const layers = parts.map(Number);
  return layers.every((l) => Number.isInteger(l) && l >= 0 && l <= 1000) ? [...new Set(layers)].sort((a, b) => a - b) : 'invalid';
}
