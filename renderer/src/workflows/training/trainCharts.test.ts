import { describe, expect, it } from 'vitest';
import type { EpochPoint, StepPoint, TrainCurves, TrainProgress } from '../../../../common/contract';
import { okabeIto, withBase } from '../../charts/chartOptions';
import { echarts } from '../../charts/echarts';
import { applyProgress } from '../../runs/liveCurves';
import {
  cellTextColor,
  confusionChart,
  emptyCurves,
  epochChart,
  labelWidth,
  learningRateName,
  sequentialBlues,
  stepLossChart,
  topProbabilities,
  type EpochChartText,
} from './trainCharts';

const step = (k: number, s: number, loss: number): StepPoint => ({ learningRateIndex: k, step: s, epoch: 1, loss, learningRate: 1e-5 });
const epoch = (k: number, e: number, validationLoss: number): EpochPoint => ({
  learningRateIndex: k,
  epoch: e,
  trainLoss: 1,
  validationLoss,
  validationAccuracy: 0.5 + e / 10,
  validationMacroF1: 0.4 + e / 10,
  validationMicroF1: 0.5 + e / 10,
  seconds: 2,
});
const live = (runId: number, p: StepPoint | EpochPoint): TrainProgress => ('step' in p ? { runId, kind: 'step', ...p } : { runId, kind: 'epoch', ...p });

const epochText: EpochChartText = {
  epoch: 'epoch',
  learningRate: 'lr',
  seconds: 's',
  best: 'kept',
  metrics: { validationLoss: 'vloss', validationMacroF1: 'macro', validationAccuracy: 'acc', validationMicroF1: 'micro', trainLoss: 'tloss' },
};
const stepText = { step: 'step', loss: 'loss', epoch: 'epoch', learningRate: 'lr', scheduledLearningRate: 'slr' };

describe('live curves', () => {
  it('fold events into the fetched curves in order, a repeated point replacing the old one', () => {
    const fetched: TrainCurves = { steps: [step(0, 1, 2.0), step(0, 2, 1.8), step(1, 1, 2.1)], epochs: [epoch(0, 1, 1.5)] };
    const merged = applyProgress(fetched, [live(7, step(1, 2, 1.9)), live(7, step(0, 3, 1.7)), live(7, step(0, 2, 1.75)), live(7, epoch(0, 2, 1.2))]);
    expect(merged.steps.map((p) => [p.learningRateIndex, p.step, p.loss])).toEqual([
      [0, 1, 2.0],
      [0, 2, 1.75],
      [0, 3, 1.7],
      [1, 1, 2.1],
      [1, 2, 1.9],
    ]);
    expect(merged.epochs.map((p) => [p.learningRateIndex, p.epoch])).toEqual([
      [0, 1],
      [0, 2],
    ]);
    // Event-only fields do not leak into the points.
    expect(merged.steps[4]).not.toHaveProperty('runId');
    expect(merged.epochs[1]).not.toHaveProperty('kind');
    // The input is left as it was.
    expect(fetched.steps).toHaveLength(3);
  });

  it('keep the same arrays when nothing of a kind changed', () => {
    const fetched: TrainCurves = { steps: [step(0, 1, 2)], epochs: [epoch(0, 1, 1)] };
    expect(applyProgress(fetched, [])).toBe(fetched);
    const merged = applyProgress(fetched, [live(1, step(0, 2, 1.9))]);
    expect(merged.epochs).toBe(fetched.epochs);
  });
});

describe('learning-curve charts', () => {
  it('draw one training-loss line per configured learning rate, even before it has points', () => {
    const curves: TrainCurves = { steps: [step(0, 1, 2), step(0, 2, 1.5), step(1, 1, 2.2)], epochs: [] };
    const { option, csv } = stepLossChart(curves, [1e-5, 2e-5, 5e-5], stepText);
    const series = option.series as { name: string; data: number[][] }[];
    expect(series.map((s) => s.name)).toEqual(['lr 1e-5', 'lr 2e-5', 'lr 5e-5']);
    expect(series[0].data).toEqual([
      [1, 2],
      [2, 1.5],
    ]);
    expect(series[2].data).toEqual([]);
    expect(csv.header).toEqual(['lr', 'step', 'epoch', 'loss', 'slr']);
    expect(csv.rows[2]).toEqual([2e-5, 1, 1, 2.2, 1e-5]);
  });

  it('mark the epoch kept on its learning rate only, with scores on a 0–1 axis', () => {
    const curves: TrainCurves = { steps: [], epochs: [epoch(0, 1, 1.0), epoch(0, 2, 0.8), epoch(1, 1, 0.9), epoch(1, 2, 0.6)] };
    const loss = epochChart(curves, [1e-5, 2e-5], 'validationLoss', epochText, { learningRate: 2e-5, epoch: 2 });
    const series = loss.option.series as { data: number[][]; markPoint?: { data: { coord: number[] }[] } }[];
    expect(series[0].markPoint).toBeUndefined();
    expect(series[1].markPoint?.data[0].coord).toEqual([2, 0.6]);
    expect(series[1].data).toEqual([
      [1, 0.9],
      [2, 0.6],
    ]);
    expect(loss.option.yAxis).toMatchObject({ name: 'vloss', scale: true });
    const macro = epochChart(curves, [1e-5, 2e-5], 'validationMacroF1', epochText, null);
    expect(macro.option.yAxis).toMatchObject({ min: 0, max: 1, name: 'macro' });
    expect((macro.option.series as { data: number[][] }[])[0].data[1]).toEqual([2, epoch(0, 2, 0).validationMacroF1]);
    // Every per-epoch column in the CSV whichever metric is drawn.
    expect(macro.csv.header).toEqual(['lr', 'epoch', 'vloss', 'macro', 'acc', 'micro', 'tloss', 's']);
    expect(macro.csv.rows).toHaveLength(4);
  });

  it('name learning rates it was not told about by their index', () => {
    expect(learningRateName([1e-5], 3)).toBe('lr #4');
    const { option } = stepLossChart({ steps: [step(2, 1, 1)], epochs: [] }, [1e-5], stepText);
    expect((option.series as { name: string }[]).map((s) => s.name)).toEqual(['lr 1e-5', 'lr #3']);
    expect(stepLossChart(emptyCurves, [], stepText).csv.rows).toEqual([]);
  });
});

describe('confusion matrix chart', () => {
  const labels = ['映画', 'スポーツ', 'IT'];
  const matrix = [
    [8, 1, 0],
    [2, 5, 0],
    [0, 3, 1],
  ];
  const text = { gold: '正解', predicted: '予測', corner: 'gold \\ predicted' };

  it('puts gold on the rows (first label on top) and predicted on the columns, counts in the cells', () => {
    const { option, csv } = confusionChart(labels, matrix, text);
    const data = (option.series as { data: { value: number[]; label: { color: string } }[] }[])[0].data;
    expect(data).toHaveLength(9);
    // [column = predicted, row = gold, count]
    expect(data[1].value).toEqual([1, 0, 1]);
    expect(data[3].value).toEqual([0, 1, 2]);
    expect(option.yAxis).toMatchObject({ inverse: true, name: '正解', data: labels });
    expect(option.xAxis).toMatchObject({ name: '予測', data: labels });
    expect(option.visualMap).toMatchObject({ min: 0, max: 8, inRange: { color: sequentialBlues } });
    expect(csv.header).toEqual(['gold \\ predicted', ...labels]);
    expect(csv.rows[2]).toEqual(['IT', 0, 3, 1]);
    // Light text only on the dark cells.
    expect(data[0].label.color).toBe('#ffffff');
    expect(data[1].label.color).toBe('#222222');
  });

  it('leaves room for the longest label and the axis name beside it', () => {
    expect(labelWidth('IT')).toBe(14);
    expect(labelWidth('スポーツ')).toBe(48);
    const long = confusionChart(['とても長いラベルの名前', 'b'], [
      [1, 0],
      [0, 1],
    ], text).option;
    expect(long.grid).toMatchObject({ left: 132 + 44 });
    expect(long.xAxis).toMatchObject({ axisLabel: { rotate: 35 } });
    expect(confusionChart(['a', 'b'], [[1, 0], [0, 1]], text).option.xAxis).toMatchObject({ axisLabel: { rotate: 0 } });
  });

  it('chooses readable cell text and survives an all-zero matrix', () => {
    expect(cellTextColor(5, 10)).toBe('#222222');
    expect(cellTextColor(6, 10)).toBe('#ffffff');
    expect(cellTextColor(0, 0)).toBe('#222222');
    const { option } = confusionChart(['a', 'b'], [
      [0, 0],
      [0, 0],
    ], text);
    expect(option.visualMap).toMatchObject({ max: 1 });
  });

  it('exports as SVG with the counts, the labels and the sequential colours', () => {
    const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: 600, height: 400 });
    chart.setOption(withBase(confusionChart(labels, matrix, text).option, false, true));
    const svg = chart.renderToSVGString();
    chart.dispose();
    expect(svg).toMatch(/^<svg[\s>]/);
    expect(svg).toContain('スポーツ');
    expect(svg).toContain('>8<');
    // Both axis names are inside the figure.
    expect(svg).toContain('>正解<');
    expect(svg).toContain('>予測<');
    // The largest count gets the darkest blue (#08306b), zero the lightest (#f7fbff).
    expect(svg).toContain('rgb(8,48,107)');
    expect(svg).toContain('rgb(247,251,255)');
    expect(svg).not.toContain('[object Object]');
  });

  it('exports learning curves as SVG in the Okabe–Ito colours', () => {
    const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: 600, height: 300 });
    chart.setOption(withBase(epochChart({ steps: [], epochs: [epoch(0, 1, 1), epoch(0, 2, 0.8), epoch(1, 1, 0.9)] }, [1e-5, 2e-5], 'validationLoss', epochText, { learningRate: 1e-5, epoch: 2 }).option, false, true));
    const svg = chart.renderToSVGString();
    chart.dispose();
    expect(svg).toContain(okabeIto[0]);
    expect(svg).toContain(okabeIto[1]);
    expect(svg).toContain('lr 2e-5');
    expect(svg).not.toContain('[object Object]');
  });
});

describe('top probabilities', () => {
  it('are the k most probable labels, most probable first', () => {
    expect(topProbabilities(['a', 'b', 'c', 'd'], [0.1, 0.6, 0.05, 0.25], 2)).toEqual([
      { label: 'b', probability: 0.6 },
      { label: 'd', probability: 0.25 },
    ]);
    expect(topProbabilities(['a'], [0.3, 0.7])[0]).toEqual({ label: '#1', probability: 0.7 });
  });
});
