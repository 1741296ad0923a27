import { describe, expect, it } from 'vitest';
import type { KSweepResult } from '../../../../common/contract';
import { sweepCharts, type SweepChartText } from './kSweepCharts';

const text: SweepChartText = { k: 'k', inertia: 'inertia', silhouette: 'silhouette', nmi: 'NMI', ari: 'ARI', suggested: 'suggested' };
const result = (gold: boolean, suggested: number | null = 4): KSweepResult => ({
  embeddingRunId: 1,
  suggested,
  seconds: 1,
  points: [2, 3, 4, 5].map((k) => ({ k, inertia: 100 / k, silhouette: k === 5 ? null : 0.1 * k, nmi: gold ? 0.2 * k : null, ari: gold ? 0.1 * k : null })),
});

type Series = { name: string; data: [number, number | null][]; markLine?: { data: { xAxis: number }[]; label: { formatter: string } } };
const series = (option: { series?: unknown }) => option.series as Series[];

describe('sweepCharts', () => {
  it('draws inertia and silhouette over k with the suggested k marked on both', () => {
    const c = sweepCharts(result(false), text);
    const [inertia] = series(c.inertia.option);
    expect(inertia.data).toEqual([[2, 50], [3, 100 / 3], [4, 25], [5, 20]]);
    expect(inertia.markLine?.data).toEqual([{ xAxis: 4 }]);
    expect(inertia.markLine?.label.formatter).toBe('suggested k = 4');
    const s = series(c.silhouette.option);
    expect(s.map((x) => x.name)).toEqual(['silhouette']);
    // The k without a silhouette is a gap.
    expect(s[0].data.at(-1)).toEqual([5, null]);
    expect(s[0].markLine?.data).toEqual([{ xAxis: 4 }]);
    expect(c.inertia.csv).toEqual({ header: ['k', 'inertia', 'silhouette'], rows: [[2, 50, 0.2], [3, 100 / 3, 0.1 * 3], [4, 25, 0.4], [5, 20, null]] });
  });

  it('adds NMI and ARI with gold labels, and marks nothing without a suggestion', () => {
    const c = sweepCharts(result(true, null), text);
    expect(series(c.silhouette.option).map((x) => x.name)).toEqual(['silhouette', 'NMI', 'ARI']);
    expect(c.silhouette.csv.header).toEqual(['k', 'inertia', 'silhouette', 'NMI', 'ARI']);
    expect(series(c.inertia.option)[0].markLine).toBeUndefined();
  });
});
