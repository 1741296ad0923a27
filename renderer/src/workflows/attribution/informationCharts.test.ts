import { describe, expect, it } from 'vitest';
import type { InformationResult } from '../../../../common/contract';
import { informationScatter, informationTable } from './informationCharts';

const c = (value: number) => ({ value, fisher: [value - 0.1, value + 0.1] as [number, number], bootstrap: [value - 0.2, value + 0.2] as [number, number] });
const result: InformationResult = {
  frequencyCorpusId: 1,
  unit: 'morpheme',
  tokens: 100,
  types: 20,
  seconds: 1,
  runs: [
    {
      runId: 4,
      name: 'cls',
      target: { kind: 'embedding', pooling: 'cls', layer: -1, estimate: null },
      n: 3,
      information: { pearson: c(0.5), spearman: c(0.4) },
      probability: { pearson: c(-0.3), spearman: c(-0.2) },
      fit: { slope: 2, intercept: 1 },
      points: { information: [1, 2, 4], contribution: [3, 4, 10], words: ['の', '東京', '調べ'] },
    },
  ],
};

describe('informationScatter', () => {
  it("draws a run's points and its least-squares line across their range, and writes them as CSV", () => {
    const { option, csv } = informationScatter(result, { x: '−log P(w)', y: 'c', run: (r) => r.name });
    const series = option.series as { type: string; data: unknown[] }[];
    expect(series.map((s) => s.type)).toEqual(['scatter', 'line']);
    expect(series[0].data).toEqual([
      [1, 3, 'の'],
      [2, 4, '東京'],
      [4, 10, '調べ'],
    ]);
    expect(series[1].data).toEqual([
      [1, 3],
      [4, 9],
    ]);
    expect(csv.rows[2]).toEqual(['cls', '調べ', 4, 10]);
  });

  it("lays the correlations out as the study's Table 1, with both intervals", () => {
    expect(informationTable(result, { run: (r) => r.name }).rows[0]).toEqual(['cls', 3, '0.500 [0.400, 0.600]', '0.400 [0.300, 0.500]', '-0.300 [-0.400, -0.200]', '-0.200 [-0.300, -0.100]', '0.500 [0.300, 0.700]', '0.400 [0.200, 0.600]']);
  });
});
