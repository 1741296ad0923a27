// What a training run's learning curves share, whichever the workflow (fine-tuning, entities): one
// line per learning rate, and the frame of a chart over optimizer steps or epochs. Pure.
import type { EChartsOption, YAXisComponentOption } from 'echarts';

/** Learning-rate indexes that have points, plus every configured one (so colours stay fixed per rate). */
export function learningRateLines(learningRates: readonly number[], points: readonly { learningRateIndex: number }[]): number[] {
  const set = new Set<number>(learningRates.map((_, i) => i));
  for (const p of points) set.add(p.learningRateIndex);
  return [...set].sort((a, b) => a - b);
}

/** A per-step line: at most this many points per line are drawn; ECharts' LTTB keeps the shape of the rest. */
export const stepLine = { type: 'line' as const, showSymbol: false, sampling: 'lttb' as const };

/** A chart over optimizer steps or epochs (whole numbers from 1 on x): the legend above, the values to four decimals in the tooltip. */
export function curveChartOption(xName: string, yAxis: YAXisComponentOption, series: EChartsOption['series']): EChartsOption {
  return {
    grid: { left: 56, right: 24, top: 40, bottom: 48 },
    legend: { top: 0, type: 'scroll' },
    tooltip: { trigger: 'axis', valueFormatter: (v) => (typeof v === 'number' ? v.toFixed(4) : String(v)) },
    xAxis: { type: 'value', name: xName, nameLocation: 'middle', nameGap: 28, minInterval: 1, min: 1, max: 'dataMax' },
    yAxis,
    series,
  };
}
