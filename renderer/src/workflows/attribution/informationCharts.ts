// The information analysis as the study draws it: each word occurrence's contribution against its
// information −log P(w), one colour per attribution run, with each run's least-squares line; and
// its table as CSV (the study's Table 1: a row per run, Pearson and Spearman with −log P(w) and P(w)).
import type { EChartsOption } from 'echarts';
import type { CorrelationInfo, InformationResult } from '../../../../common/contract';
import type { ChartData } from '../../charts/chartOptions';

export interface InformationLabels {
  x: string;
  y: string;
  /** A run's name in the legend and the table. */
  run(report: InformationResult['runs'][number]): string;
}

export function informationScatter(result: InformationResult, labels: InformationLabels): ChartData {
  const series: NonNullable<EChartsOption['series']> = [];
  result.runs.forEach((r) => {
    const name = labels.run(r);
    series.push({
      type: 'scatter',
      name,
      symbolSize: 4,
      large: r.points.information.length > 2000,
      data: r.points.information.map((x, i) => [x, r.points.contribution[i], r.points.words[i]]),
      tooltip: { formatter: (p: unknown) => { const v = (p as { value: [number, number, string] }).value; return `${v[2]}: −log P ${v[0].toFixed(2)}, ${v[1].toFixed(4)}`; } },
    });
    const xs = r.points.information;
    if (xs.length > 0) {
      const lo = Math.min(...xs);
      const hi = Math.max(...xs);
      series.push({ type: 'line', name, showSymbol: false, silent: true, data: [lo, hi].map((x) => [x, r.fit.slope * x + r.fit.intercept]), lineStyle: { width: 2 } });
    }
  });
  const option: EChartsOption = {
    legend: { top: 0 },
    tooltip: { trigger: 'item' },
    grid: { left: 60, right: 20, top: 36, bottom: 50 },
    xAxis: { type: 'value', name: labels.x, nameLocation: 'middle', nameGap: 30, scale: true },
    yAxis: { type: 'value', name: labels.y, nameLocation: 'middle', nameGap: 45, scale: true },
    series,
  };
  const rows = result.runs.flatMap((r) => r.points.information.map((x, i) => [labels.run(r), r.points.words[i], x, r.points.contribution[i]]));
  return { option, csv: { header: ['run', 'word', 'information', 'contribution'], rows } };
}

const interval = (c: CorrelationInfo, which: 'fisher' | 'bootstrap') => `${c.value.toFixed(3)} [${c[which][0].toFixed(3)}, ${c[which][1].toFixed(3)}]`;

/** The study's Table 1 layout: a row per run, with both intervals of each correlation. */
export function informationTable(result: InformationResult, labels: Pick<InformationLabels, 'run'>): { header: string[]; rows: (string | number)[][] } {
  const header = ['run', 'n', 'pearson_neglogp', 'spearman_neglogp', 'pearson_p', 'spearman_p', 'pearson_neglogp_bootstrap', 'spearman_neglogp_bootstrap'];
  const rows = result.runs.map((r) => [
    labels.run(r),
    r.n,
    interval(r.information.pearson, 'fisher'),
    interval(r.information.spearman, 'fisher'),
    interval(r.probability.pearson, 'fisher'),
    interval(r.probability.spearman, 'fisher'),
    interval(r.information.pearson, 'bootstrap'),
    interval(r.information.spearman, 'bootstrap'),
  ]);
  return { header, rows };
}
