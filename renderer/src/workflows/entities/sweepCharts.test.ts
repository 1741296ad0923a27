import { describe, expect, it } from 'vitest';
import type { EntityMetrics, LayerSweepPoint, TaskScores } from '../../../../common/contract';
import { encoderColours, parseLayers, sweepChart, sweepCsv, sweepLatex, sweepRows } from './sweepCharts';

const scores = (f1: number): TaskScores => ({ micro: { tp: 1, fp: 0, fn: 0, precision: f1, recall: f1, f1 }, macro: { precision: f1, recall: f1, f1 }, perType: [] });
const metrics = (f1: number): EntityMetrics => ({ sentences: 5, ner: scores(f1), re: scores(f1 / 2), rePlus: scores(f1 / 4) });
const point = (head: LayerSweepPoint['head'], encoder: LayerSweepPoint['encoder'], layer: number, f1: number | null): LayerSweepPoint => ({
  head,
  encoder,
  layer,
  runId: f1 === null ? null : layer + 1,
  status: f1 === null ? 'pending' : 'done',
  dev: f1 === null ? null : metrics(f1),
  test: f1 === null ? null : metrics(f1 - 0.1),
  seconds: f1 === null ? null : 3,
});

const points = [point('cnn', 'frozen', 2, 0.6), point('cnn', 'frozen', 0, 0.4), point('cnn', 'full', 0, 0.7), point('biaffine', 'frozen', 0, 0.3), point('biaffine', 'frozen', 2, null)];
const text = { layer: 'Layer', f1: 'F1', line: (h: string, e: string) => `${h}/${e}` };

describe('layer sweep chart', () => {
  it('draws one line per (head, encoder), by layer, leaving out points not done', () => {
    const c = sweepChart(points, 'ner', 'dev', text);
    const series = c.option.series as { name: string; data: number[][]; lineStyle: { type: string }; symbol: string; color: string }[];
    expect(series.map((s) => s.name)).toEqual(['cnn/frozen', 'cnn/full', 'biaffine/frozen']);
    expect(series[0].data).toEqual([
      [0, 0.4],
      [2, 0.6],
    ]);
    expect(series[2].data).toEqual([[0, 0.3]]);
    expect(series[0].lineStyle.type).toBe('solid');
    expect(series[2].lineStyle.type).toBe('dashed');
    expect(series[0].symbol).not.toBe(series[2].symbol);
    expect(series[1].color).toBe(encoderColours.full);
    expect(c.csv.header).toEqual(['head', 'encoder', 'layer', 'dev_ner_f1']);
    expect(c.csv.rows).toHaveLength(4);
  });

  it('picks the task and split', () => {
    const c = sweepChart(points, 'rePlus', 'test', text);
    const series = c.option.series as { data: number[][] }[];
    expect(series[1].data[0][1]).toBeCloseTo((0.7 - 0.1) / 4);
    expect(c.csv.header[3]).toBe('test_re_plus_f1');
  });
});

describe('layer sweep table', () => {
  const names = { head: (h: string) => h, encoder: (e: string) => e, status: (s: string) => s };
  it('has a row per point by line and layer, blank scores for points not done', () => {
    const rows = sweepRows(points, names);
    expect(rows.map((r) => [r[0], r[1], r[2]])).toEqual([
      [0, 'cnn', 'frozen'],
      [2, 'cnn', 'frozen'],
      [0, 'cnn', 'full'],
      [0, 'biaffine', 'frozen'],
      [2, 'biaffine', 'frozen'],
    ]);
    expect(rows[0].slice(3)).toEqual(['done', 0.4, 0.2, 0.1, expect.closeTo(0.3), expect.closeTo(0.15), expect.closeTo(0.075)]);
    expect(rows[4].slice(3)).toEqual(['pending', '', '', '', '', '', '']);
    expect(sweepCsv(rows).split(/\r?\n/)[0]).toContain('dev_ner_f1');
  });

  it('writes a booktabs table with percentages', () => {
    const rows = sweepRows(points, names);
    const tex = sweepLatex(rows, { layer: 'Layer', head: 'Head', encoder: 'Encoder', dev: 'Dev', test: 'Test', tasks: { ner: 'NER', re: 'RE', rePlus: 'RE+' } }, 'F1 by layer');
    expect(tex).toContain('\\multicolumn{3}{c}{Dev}');
    expect(tex).toContain('0 & cnn & frozen & 40.0 & 20.0 & 10.0 & 30.0 & 15.0 & 7.5 \\\\');
    expect(tex).toContain('2 & biaffine & frozen & -- & --');
    expect(tex).toContain('\\caption{F1 by layer}');
  });
});

describe('layers', () => {
  it('reads a list, empty as the default, and refuses others', () => {
    expect(parseLayers('')).toBeNull();
    expect(parseLayers('4, 0 2 2')).toEqual([0, 2, 4]);
    expect(parseLayers('1.5')).toBe('invalid');
    expect(parseLayers('-1')).toBe('invalid');
  });
});
