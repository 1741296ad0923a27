// Fine-tuning charts: training loss per step and validation scores per epoch (one line per
// learning rate, fed by train.run's curves plus live train.progress events), and the test
// confusion matrix as a heatmap. Pure: the words come in as arguments.
import type { EChartsOption } from 'echarts';
import type { TrainCurves } from '../../../../common/contract';
import type { ChartData } from '../../charts/chartOptions';
import { curveChartOption, learningRateLines, stepLine } from '../../charts/runCurves';
import { formatLearningRate } from './trainConfig';

export const emptyCurves: TrainCurves = { steps: [], epochs: [] };

/** The legend name of a learning rate's line: "lr 2e-5". */
export function learningRateName(learningRates: readonly number[], index: number): string {
  const lr = learningRates[index];
  return `lr ${lr === undefined ? `#${index + 1}` : formatLearningRate(lr)}`;
}

export interface StepChartText {
  step: string;
  loss: string;
  epoch: string;
  learningRate: string;
  scheduledLearningRate: string;
}

/** Training loss per optimizer step, one line per learning rate. */
export function stepLossChart(curves: TrainCurves, learningRates: readonly number[], text: StepChartText): ChartData {
  const series = learningRateLines(learningRates, curves.steps).map((i) => ({
    ...stepLine,
    name: learningRateName(learningRates, i),
    data: curves.steps.filter((p) => p.learningRateIndex === i).map((p) => [p.step, p.loss]),
  }));
  return {
    option: curveChartOption(text.step, { type: 'value', name: text.loss, scale: true }, series),
    csv: {
      header: [text.learningRate, text.step, text.epoch, text.loss, text.scheduledLearningRate],
      rows: curves.steps.map((p) => [learningRates[p.learningRateIndex] ?? null, p.step, p.epoch, p.loss, p.learningRate]),
    },
  };
}

export const epochMetrics = ['validationLoss', 'validationMacroF1', 'validationAccuracy', 'validationMicroF1', 'trainLoss'] as const;
export type EpochMetric = (typeof epochMetrics)[number];

export interface EpochChartText {
  epoch: string;
  learningRate: string;
  /** The y axis and CSV column names, by metric. */
  metrics: Record<EpochMetric, string>;
  seconds: string;
  best: string;
}

/**
 * One per-epoch metric, one line per learning rate; with `best`, the epoch kept is marked on
 * its line. The CSV has every per-epoch column whichever metric is drawn.
 */
export function epochChart(
  curves: TrainCurves,
  learningRates: readonly number[],
  metric: EpochMetric,
  text: EpochChartText,
  best?: { learningRate: number; epoch: number } | null,
): ChartData {
  const indexes = learningRateLines(learningRates, curves.epochs);
  const bestIndex = best ? learningRates.indexOf(best.learningRate) : -1;
  const series = indexes.map((i) => {
    const points = curves.epochs.filter((p) => p.learningRateIndex === i);
    const kept = i === bestIndex ? points.find((p) => p.epoch === best!.epoch) : undefined;
    return {
      type: 'line' as const,
      name: learningRateName(learningRates, i),
      showSymbol: true,
      symbolSize: 6,
      data: points.map((p) => [p.epoch, p[metric]]),
      ...(kept
        ? {
            markPoint: {
              symbol: 'pin',
              symbolSize: 44,
              label: { formatter: text.best, fontSize: 10 },
              data: [{ coord: [kept.epoch, kept[metric]], name: text.best }],
            },
          }
        : {}),
    };
  });
  const scores = metric !== 'validationLoss' && metric !== 'trainLoss';
  const yAxis = scores ? { type: 'value' as const, name: text.metrics[metric], min: 0, max: 1 } : { type: 'value' as const, name: text.metrics[metric], scale: true };
  return {
    option: curveChartOption(text.epoch, yAxis, series),
    csv: {
      header: [text.learningRate, text.epoch, ...epochMetrics.map((m) => text.metrics[m]), text.seconds],
      rows: curves.epochs.map((p) => [learningRates[p.learningRateIndex] ?? null, p.epoch, ...epochMetrics.map((m) => p[m]), p.seconds]),
    },
  };
}

/**
 * ColorBrewer "Blues" (9 classes): a single-hue sequential scale, readable with every kind of
 * colour-vision deficiency and in greyscale print.
 */
export const sequentialBlues = ['#f7fbff', '#deebf7', '#c6dbef', '#9ecae1', '#6baed6', '#4292c6', '#2171b5', '#08519c', '#08306b'];

/** Cell text colour that stays readable on the heatmap colour for this count. */
export function cellTextColor(count: number, max: number): string {
  return max > 0 && count / max > 0.5 ? '#ffffff' : '#222222';
}

export interface ConfusionText {
  gold: string;
  predicted: string;
  /** The CSV's corner cell, e.g. "gold \ predicted". */
  corner: string;
}

/** Rough width in pixels of a 12 px axis label: CJK characters are about square, the rest about half. */
export function labelWidth(text: string): number {
  let w = 0;
  for (const ch of text) w += ch.codePointAt(0)! >= 0x2e80 ? 12 : 7;
  return w;
}

/** Rows gold, columns predicted, counts in the cells, the first label at the top left. */
export function confusionChart(labels: readonly string[], matrix: readonly (readonly number[])[], text: ConfusionText): ChartData {
  const max = Math.max(0, ...matrix.flat());
  const data = matrix.flatMap((row, gold) =>
    row.map((count, predicted) => ({ value: [predicted, gold, count], label: { color: cellTextColor(count, max) } })),
  );
  // The axis names sit outside the labels, so the grid leaves room for both (containLabel would not count the names).
  const widest = Math.min(200, Math.max(0, ...labels.map(labelWidth)));
  const rotate = widest > 48 || labels.length > 8;
  const below = rotate ? Math.ceil(widest * Math.sin(Math.PI / 5)) + 12 : 20;
  const option: EChartsOption = {
    grid: { left: widest + 44, right: 16, top: 16, bottom: below + 36 },
    tooltip: { position: 'top' },
    xAxis: {
      type: 'category',
      data: [...labels],
      name: text.predicted,
      nameLocation: 'middle',
      nameGap: below + 12,
      axisLabel: { interval: 0, rotate: rotate ? 35 : 0 },
      splitArea: { show: true },
    },
    yAxis: {
      type: 'category',
      data: [...labels],
      name: text.gold,
      nameLocation: 'middle',
      nameRotate: 90,
      nameGap: widest + 20,
      inverse: true,
      axisLabel: { interval: 0 },
      splitArea: { show: true },
    },
    // Colour only; every cell prints its count, so no colour bar (whose gradient zrender's SVG
    // export also writes as an invalid hover style).
    visualMap: { type: 'continuous', show: false, min: 0, max: Math.max(1, max), inRange: { color: sequentialBlues } },
    series: [
      {
        type: 'heatmap',
        data,
        label: { show: true },
        itemStyle: { borderColor: '#ffffff', borderWidth: 1 },
        emphasis: { itemStyle: { borderColor: '#000000', borderWidth: 1 } },
      },
    ],
  };
  return {
    option,
    csv: {
      header: [text.corner, ...labels],
      rows: matrix.map((row, i) => [labels[i], ...row]),
    },
  };
}

/** The k most probable labels of a prediction, most probable first. */
export function topProbabilities(labels: readonly string[], probabilities: readonly number[], k = 3): { label: string; probability: number }[] {
  return probabilities
    .map((probability, i) => ({ label: labels[i] ?? `#${i}`, probability }))
    .sort((a, b) => b.probability - a.probability)
    .slice(0, k);
}
