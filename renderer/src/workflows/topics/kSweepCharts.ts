// The k sweep's two charts: inertia over k (the elbow) and silhouette over k (with NMI and ARI
// when the corpus has labels), the suggested k marked on both. Pure: the words come in as arguments.
import type { EChartsOption } from 'echarts';
import type { KSweepResult } from '../../../../common/contract';
import type { ChartData } from '../../charts/chartOptions';

export interface SweepChartText {
  k: string;
  inertia: string;
  silhouette: string;
  nmi: string;
  ari: string;
  /** The label of the suggested k's mark. */
  suggested: string;
}

const lineBase = { type: 'line' as const, showSymbol: true, symbolSize: 6 };

/** A vertical line at the suggested k (none without one). */
function suggestedMark(suggested: number | null, label: string) {
  if (suggested === null) return undefined;
  return { symbol: 'none', silent: true, lineStyle: { type: 'dashed' as const }, label: { formatter: `${label} k = ${suggested}` }, data: [{ xAxis: suggested }] };
}

export function sweepCharts(result: KSweepResult, text: SweepChartText): { inertia: ChartData; silhouette: ChartData } {
  const { points, suggested } = result;
  const gold = points.some((p) => p.nmi !== null);
  const csv = {
    header: [text.k, text.inertia, text.silhouette, ...(gold ? [text.nmi, text.ari] : [])],
    rows: points.map((p) => [p.k, p.inertia, p.silhouette, ...(gold ? [p.nmi, p.ari] : [])]),
  };
  const xAxis = { type: 'value' as const, name: text.k, nameLocation: 'middle' as const, nameGap: 28, minInterval: 1, min: 'dataMin' as const, max: 'dataMax' as const };
  const grid = { left: 64, right: 24, top: 40, bottom: 48 };
  const format = (digits: number) => (v: unknown) => (typeof v === 'number' ? v.toFixed(digits) : String(v));
  const inertia: EChartsOption = {
    grid,
    tooltip: { trigger: 'axis', valueFormatter: format(2) },
    xAxis,
    yAxis: { type: 'value', name: text.inertia, scale: true },
    series: [{ ...lineBase, name: text.inertia, data: points.map((p) => [p.k, p.inertia]), markLine: suggestedMark(suggested, text.suggested) }],
  };
  const scores = [
    { name: text.silhouette, values: points.map((p) => p.silhouette) },
    ...(gold
      ? [
          { name: text.nmi, values: points.map((p) => p.nmi) },
          { name: text.ari, values: points.map((p) => p.ari) },
        ]
      : []),
  ];
  const silhouette: EChartsOption = {
    grid,
    legend: gold ? { top: 0 } : undefined,
    tooltip: { trigger: 'axis', valueFormatter: format(4) },
    xAxis,
    yAxis: { type: 'value', name: gold ? undefined : text.silhouette, scale: true },
    series: scores.map((s, i) => ({
      ...lineBase,
      name: s.name,
      // A k without a value (silhouette undefined there) is a gap in the line.
      data: points.map((p, j) => [p.k, s.values[j] ?? null]),
      markLine: i === 0 ? suggestedMark(suggested, text.suggested) : undefined,
    })),
  };
  return { inertia: { option: inertia, csv }, silhouette: { option: silhouette, csv } };
}
