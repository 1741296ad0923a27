import { describe, expect, it } from 'vitest';
import type { EntityMetrics, TaskScores } from '../../../../common/contract';
import { applyProgress } from '../../runs/liveCurves';
import { formatRate, metricsLatex, metricsRows } from './entityCharts';
import { parseRates } from './entityConfig';

const step = (learningRateIndex: number, s: number, loss: number) => ({ learningRateIndex, step: s, epoch: 1, loss, learningRate: 1e-3 });

describe('live curves', () => {
  it('adds new points, replaces repeated ones and keeps the order', () => {
    const curves = { steps: [step(0, 1, 2), step(0, 2, 1.5)], epochs: [] };
    const out = applyProgress(curves, [
      { runId: 1, kind: 'step', ...step(0, 2, 1.4) },
      { runId: 1, kind: 'step', ...step(0, 3, 1.2) },
    ]);
    expect(out.steps.map((p) => [p.step, p.loss])).toEqual([
      [1, 2],
      [2, 1.4],
      [3, 1.2],
    ]);
    expect(applyProgress(curves, [])).toBe(curves);
  });
});

const scores = (f1: number): TaskScores => ({
  micro: { tp: 8, fp: 2, fn: 2, precision: 0.8, recall: 0.8, f1 },
  macro: { precision: 0.7, recall: 0.7, f1: 0.7 },
  perType: [{ type: 'Peop_x', tp: 4, fp: 1, fn: 1, precision: 0.8, recall: 0.8, f1: 0.8 }],
});
const metrics: EntityMetrics = { sentences: 10, ner: scores(0.8), re: scores(0.5), rePlus: scores(0.4) };

describe('metrics table', () => {
  it('has micro, macro and per-type rows for each task', () => {
    const rows = metricsRows(metrics, { ner: 'NER', re: 'RE', rePlus: 'RE+' }, { micro: 'micro', macro: 'macro' });
    expect(rows).toHaveLength(9);
    expect(rows[0]).toEqual(['NER', 'micro', 0.8, 0.8, 0.8, 8, 2, 2]);
    expect(rows[1]).toEqual(['NER', 'macro', 0.7, 0.7, 0.7, '', '', '']);
    expect(rows[8][0]).toBe('RE+');
  });

  it('writes a booktabs table with percentages and escaped names', () => {
    const rows = metricsRows(metrics, { ner: 'NER', re: 'RE', rePlus: 'RE+' }, { micro: 'micro', macro: 'macro' });
    const tex = metricsLatex(rows, { task: 'Task', type: 'Type', precision: 'P', recall: 'R', f1: 'F1' }, '50% done');
    expect(tex).toContain('\\toprule');
    expect(tex).toContain('NER & micro & 80.0 & 80.0 & 80.0 \\\\');
    expect(tex).toContain(' & Peop\\_x & 80.0');
    expect(tex).toContain('\\caption{50\\% done}');
  });
});

describe('learning rates', () => {
  it('reads rates separated by commas or spaces and refuses others', () => {
    expect(parseRates('5e-5, 1e-4')).toEqual([5e-5, 1e-4]);
    expect(parseRates('1e-3 2e-3')).toEqual([1e-3, 2e-3]);
    expect(parseRates('')).toBeNull();
    expect(parseRates('0')).toBeNull();
    expect(parseRates('x')).toBeNull();
    expect(formatRate(5e-5)).toBe('5e-5');
    expect(formatRate(0.001)).toBe('1e-3');
  });
});
