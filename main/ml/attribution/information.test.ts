import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyseInformation, correlate, countWords, fisherInterval, pearson, ranks, smoothedProbability, spearman } from './information';

// scipy 1.10.1 (scripts/fixtures/make_information_fixtures.py).
const ref = JSON.parse(readFileSync(join(__dirname, '../../../test/fixtures/information/correlations.json'), 'utf8')) as {
  x: number[];
  y: number[];
  pearson: number;
  pearsonFisher: [number, number];
  spearman: number;
  bootstrapPearson: [number, number];
  small: { x: number[]; y: number[]; ranksX: number[]; pearson: number; spearman: number };
};

describe('correlations against scipy', () => {
  it("gives pearsonr, its Fisher interval, spearmanr and rankdata's average ranks", () => {
    expect(pearson(ref.x, ref.y)).toBeCloseTo(ref.pearson, 12);
    const [low, high] = fisherInterval(ref.pearson, ref.x.length, 'pearson');
    expect(low).toBeCloseTo(ref.pearsonFisher[0], 12);
    expect(high).toBeCloseTo(ref.pearsonFisher[1], 12);
    expect(spearman(ref.x, ref.y)).toBeCloseTo(ref.spearman, 12);
    expect([...ranks(ref.small.x)]).toEqual(ref.small.ranksX);
    expect(pearson(ref.small.x, ref.small.y)).toBeCloseTo(ref.small.pearson, 12);
    expect(spearman(ref.small.x, ref.small.y)).toBeCloseTo(ref.small.spearman, 12);
  });

  it("puts a bootstrap interval where scipy's (another resampling) is, and around r", () => {
    const c = correlate(ref.x, ref.y, 'pearson', { samples: 2000, seed: 3 });
    expect(c.bootstrap[0]).toBeLessThan(c.value);
    expect(c.bootstrap[1]).toBeGreaterThan(c.value);
    expect(Math.abs(c.bootstrap[0] - ref.bootstrapPearson[0])).toBeLessThan(0.02);
    expect(Math.abs(c.bootstrap[1] - ref.bootstrapPearson[1])).toBeLessThan(0.02);
    // Spearman's Fisher interval is wider by sqrt(1.06).
    const s = correlate(ref.x, ref.y, 'spearman', { samples: 200 });
    const zWidth = (i: [number, number]) => Math.atanh(i[1]) - Math.atanh(i[0]);
    expect(zWidth(s.fisher) / zWidth(fisherInterval(s.value, s.n, 'pearson'))).toBeCloseTo(Math.sqrt(1.06), 10);
  });
});

describe('analyseInformation', () => {
  it('smooths P(w) by adding one, and correlates contributions with −log P(w) and P(w) with opposite signs', () => {
    const f = countWords([
      ['の', 'の', '東京'],
      ['の', '大阪'],
    ]);
    expect(f).toEqual({ counts: new Map([['の', 3], ['東京', 1], ['大阪', 1]]), total: 5 });
    const p = smoothedProbability(f);
    // N = 5, V = 3, one more type for the unseen: denominator 9.
    expect(p('の')).toBeCloseTo(4 / 9, 15);
    expect(p('京都')).toBeCloseTo(1 / 9, 15);
    const a = analyseInformation(
      [
        { word: 'の', contribution: 0.1 },
        { word: '東京', contribution: 0.5 },
        { word: '大阪', contribution: 0.6 },
        { word: '京都', contribution: 0.9 },
      ],
      p,
      { samples: 100 },
    );
    expect(a.points.map((q) => q.information)).toEqual([-Math.log(4 / 9), -Math.log(2 / 9), -Math.log(2 / 9), -Math.log(1 / 9)]);
    expect(a.information.pearson.value).toBeGreaterThan(0.9);
    expect(a.probability.pearson.value).toBeLessThan(-0.8);
    // The fit line goes through the means.
    const mean = (xs: number[]) => xs.reduce((s, v) => s + v, 0) / xs.length;
    expect(a.fit.slope * mean(a.points.map((q) => q.information)) + a.fit.intercept).toBeCloseTo(mean(a.points.map((q) => q.contribution)), 12);
  });
});
