// Pretraining curves: the masked-LM loss of each training batch per optimizer step, and the
// held-out masked-LM loss (before training and after every epoch) on the same step axis. Fed by
// pretrain.run's points plus live pretrain.progress events. Pure: the words come in as arguments.
import type { EChartsOption } from 'echarts';
import type { PretrainPoint, PretrainProgress } from '../../../../common/contract';
import type { ChartData } from '../../charts/chartOptions';

const key = (p: PretrainPoint) => `${p.kind}:${p.step}`;

/** Points with live events folded in (a resumed run repeats steps after its checkpoint: they replace), in step order, evaluations after the step they follow. */
export function applyPretrainProgress(points: readonly PretrainPoint[], events: readonly PretrainProgress[]): PretrainPoint[] {
  if (events.length === 0) return points as PretrainPoint[];
  const all = new Map(points.map((p) => [key(p), p]));
  for (const { runId: _run, ...p } of events) all.set(key(p), p);
  return [...all.values()].sort((a, b) => a.step - b.step || (a.kind === b.kind ? 0 : a.kind === 'step' ? -1 : 1));
}

export interface PretrainChartText {
  step: string;
  loss: string;
  epoch: string;
  training: string;
  heldOut: string;
  learningRate: string;
  kind: string;
}

export function pretrainLossChart(points: readonly PretrainPoint[], text: PretrainChartText): ChartData {
  const steps = points.filter((p) => p.kind === 'step');
  const evals = points.filter((p) => p.kind === 'eval');
  const option: EChartsOption = {
    grid: { left: 56, right: 24, top: 40, bottom: 48 },
    legend: { top: 0 },
    tooltip: { trigger: 'axis', valueFormatter: (v) => (typeof v === 'number' ? v.toFixed(4) : String(v)) },
    xAxis: { type: 'value', name: text.step, nameLocation: 'middle', nameGap: 28, minInterval: 1, min: 0, max: 'dataMax' },
    yAxis: { type: 'value', name: text.loss, scale: true },
    series: [
      // Batch losses are noisy and many: drawn thin, thinned by LTTB.
      { type: 'line', name: text.training, showSymbol: false, sampling: 'lttb', lineStyle: { width: 1 }, data: steps.map((p) => [p.step, p.loss]) },
      { type: 'line', name: text.heldOut, showSymbol: true, symbolSize: 7, lineStyle: { width: 2.5 }, data: evals.map((p) => [p.step, p.loss]) },
    ],
  };
  return {
    option,
    csv: {
      header: [text.kind, text.step, text.epoch, text.loss, text.learningRate],
      rows: points.map((p) => [p.kind === 'step' ? text.training : text.heldOut, p.step, p.epoch, p.loss, p.learningRate]),
    },
  };
}
