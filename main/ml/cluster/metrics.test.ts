// Expected numbers: scikit-learn 1.2.1 (test/fixtures/sklearn/cluster.json, from
// scripts/fixtures/make_cluster_fixtures.py) and small examples worked out by hand below.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ClusterFixture } from './fixture';
import { vectorsOf } from './fixture';
import {
  adjustedRandIndex,
  contingencyTable,
  normalizedMutualInfo,
  purity,
  silhouetteFromDistances,
  silhouetteSamples,
  silhouetteScore,
} from './metrics';
import type { Vectors } from './vectors';

const fixture = JSON.parse(readFileSync(join(__dirname, '../../../test/fixtures/sklearn/cluster.json'), 'utf8')) as ClusterFixture;
const TOL = 1e-12;

describe('silhouette against scikit-learn', () => {
  for (const c of fixture.silhouette) {
    it(c.name, () => {
      const v = vectorsOf(fixture.datasets[c.dataset]);
      expect(Math.abs(silhouetteScore(v, c.labels, { metric: c.metric }) - c.score)).toBeLessThan(1e-10);
      if (c.samples) {
        const s = silhouetteSamples(v, c.labels, { metric: c.metric });
        const worst = Math.max(...Array.from(s, (x, i) => Math.abs(x - (c.samples as number[])[i])));
        expect(worst).toBeLessThan(1e-10);
      }
    });
  }

  it('is unchanged when the labels are renamed', () => {
    const c = fixture.silhouette[0];
    const v = vectorsOf(fixture.datasets[c.dataset]);
    const renamed = c.labels.map((l) => 100 - 7 * l);
    expect(silhouetteScore(v, renamed, { metric: c.metric })).toBeCloseTo(c.score, 12);
  });
});

describe('silhouette by hand', () => {
  // Six points on a line, clusters {0, 2, 4} and {10, 12, 16}. For each point a = mean distance to
  // the other members of its cluster, b = mean distance to the other cluster, s = (b − a) / max(a, b):
  //   0: a = (2 + 4)/2 = 3,  b = (10 + 12 + 16)/3 = 38/3, s = (38/3 − 3)/(38/3) = 29/38
  //   2: a = (2 + 2)/2 = 2,  b = (8 + 10 + 14)/3 = 32/3,  s = (32/3 − 2)/(32/3) = 13/16
  //   4: a = (4 + 2)/2 = 3,  b = (6 + 8 + 12)/3 = 26/3,   s = (26/3 − 3)/(26/3) = 17/26
  //  10: a = (2 + 6)/2 = 4,  b = (10 + 8 + 6)/3 = 8,      s = 4/8 = 1/2
  //  12: a = (2 + 4)/2 = 3,  b = (12 + 10 + 8)/3 = 10,    s = 7/10
  //  16: a = (6 + 4)/2 = 5,  b = (16 + 14 + 12)/3 = 14,   s = 9/14
  const line: Vectors = { data: Float32Array.from([0, 2, 4, 10, 12, 16]), n: 6, d: 1 };
  const labels = [0, 0, 0, 1, 1, 1];
  const expected = [29 / 38, 13 / 16, 17 / 26, 1 / 2, 7 / 10, 9 / 14];

  it('gives the per-point values and their mean', () => {
    const s = silhouetteSamples(line, labels);
    expected.forEach((e, i) => expect(s[i]).toBeCloseTo(e, 14));
    expect(silhouetteScore(line, labels)).toBeCloseTo(expected.reduce((a, b) => a + b, 0) / 6, 14);
  });

  it('gives the same from a precomputed distance matrix', () => {
    const x = [0, 2, 4, 10, 12, 16];
    const dist = Float64Array.from(x.flatMap((a) => x.map((b) => Math.abs(a - b))));
    expect(silhouetteFromDistances(dist, labels) as number).toBeCloseTo(expected.reduce((a, b) => a + b, 0) / 6, 14);
    expect(silhouetteFromDistances(dist, [0, 0, 0, 0, 0, 0])).toBeNull();
  });

  it('with cosine: two right-angled pairs', () => {
    // (1, 0), (2, 0) and (0, 1), (0, 3): within a pair cos = 1 (distance 0), across cos = 0
    // (distance 1), so every a = 0, b = 1, s = 1.
    const v: Vectors = { data: Float32Array.from([1, 0, 2, 0, 0, 1, 0, 3]), n: 4, d: 2 };
    expect(Array.from(silhouetteSamples(v, [0, 0, 1, 1], { metric: 'cosine' }))).toEqual([1, 1, 1, 1]);
  });

  it('is 0 for a point alone in its cluster, and refuses one label or n labels as sklearn does', () => {
    const s = silhouetteSamples(line, [0, 0, 0, 1, 1, 2]);
    expect(s[5]).toBe(0);
    expect(() => silhouetteSamples(line, [0, 0, 0, 0, 0, 0])).toThrow(RangeError);
    expect(() => silhouetteSamples(line, [0, 1, 2, 3, 4, 5])).toThrow(RangeError);
  });

  it('samples as sklearn does when asked (the first sampleSize of a seeded permutation)', () => {
    const v = vectorsOf(fixture.datasets.blobs);
    const l = fixture.datasets.blobs.labels;
    const full = silhouetteScore(v, l);
    const a = silhouetteScore(v, l, { sampleSize: 120, seed: 4 });
    expect(a).toBe(silhouetteScore(v, l, { sampleSize: 120, seed: 4 }));
    expect(Math.abs(a - full)).toBeLessThan(0.03);
  });
});

describe('NMI, ARI, purity and contingency against scikit-learn', () => {
  for (const c of fixture.labelPairs) {
    it(c.name, () => {
      expect(Math.abs(normalizedMutualInfo(c.true, c.predicted) - c.nmi)).toBeLessThanOrEqual(TOL);
      expect(Math.abs(adjustedRandIndex(c.true, c.predicted) - c.ari)).toBeLessThanOrEqual(TOL);
      expect(Math.abs(purity(c.true, c.predicted) - c.purity)).toBeLessThanOrEqual(TOL);
      expect(contingencyTable(c.true, c.predicted).counts).toEqual(c.contingency);
    });
  }

  it('is invariant under renaming either labelling', () => {
    const c = fixture.labelPairs.find((p) => p.name.startsWith('random n=500')) as ClusterFixture['labelPairs'][number];
    const t = c.true.map((l) => (l * 5 + 2) % 9 === 0 ? -1 : (l * 5 + 2) % 9);
    const p = c.predicted.map((l) => 1000 - l);
    expect(normalizedMutualInfo(t, p)).toBeCloseTo(c.nmi, 12);
    expect(adjustedRandIndex(t, p)).toBeCloseTo(c.ari, 12);
    expect(purity(t, p)).toBeCloseTo(c.purity, 12);
  });
});

describe('NMI, ARI and purity by hand', () => {
  it('NMI of [0,0,1,1] against [0,0,1,2] is 0.8', () => {
    // H(true) = ln 2; H(pred) = 1.5 ln 2; pred determines true, so MI = H(true) = ln 2;
    // NMI = ln 2 / ((ln 2 + 1.5 ln 2) / 2) = 1 / 1.25 = 0.8.
    expect(normalizedMutualInfo([0, 0, 1, 1], [0, 0, 1, 2])).toBeCloseTo(0.8, 15);
  });

  it('ARI of opposite pairs is -0.5 (sklearn docstring)', () => {
    // Pairs (ordered, as sklearn counts): tp = 0, fp = fn = 4, tn = 4: 2(0·4 − 4·4) / ((0+4)(4+4) + (0+4)(4+4)) = −32/64.
    expect(adjustedRandIndex([0, 0, 1, 1], [0, 1, 0, 1])).toBe(-0.5);
  });

  it('purity of [0,0,1,1,1] in clusters [5,5,5,7,7] is 4/5', () => {
    // Cluster 5 holds {0, 0, 1}: its majority 0 covers 2; cluster 7 holds {1, 1}: 2. (2 + 2) / 5.
    expect(purity([0, 0, 1, 1, 1], [5, 5, 5, 7, 7])).toBe(0.8);
    const t = contingencyTable([0, 0, 1, 1, 1], [5, 5, 5, 7, 7]);
    expect(t).toEqual({ trueLabels: [0, 1], predictedLabels: [5, 7], counts: [[2, 0], [1, 2]] });
  });

  it('keeps ARI exact where the pair counts pass 2⁵³ (n = 200,000)', () => {
    const n = 200_000;
    const t = Int32Array.from({ length: n }, (_, i) => i % 7);
    const p = Int32Array.from({ length: n }, (_, i) => (i % 7 === 0 ? 1 : i % 7));
    // Classes 0 and 1 merged, the rest kept. Expected from Hubert & Arabie's formula over
    // C(m, 2) counts (another route to the same number): (Σij − Σa·Σb / C(n,2)) / ((Σa + Σb)/2 − Σa·Σb / C(n,2)).
    const c2 = (m: number) => (m * (m - 1)) / 2;
    const { counts } = contingencyTable(t, p);
    const sumIJ = counts.flat().reduce((a, v) => a + c2(v), 0);
    const sumA = counts.reduce((a, r) => a + c2(r.reduce((x, y) => x + y, 0)), 0);
    const sumB = counts[0].reduce((a, _, j) => a + c2(counts.reduce((x, r) => x + r[j], 0)), 0);
    const expectedIndex = (sumA * sumB) / c2(n);
    const expected = (sumIJ - expectedIndex) / ((sumA + sumB) / 2 - expectedIndex);
    expect(adjustedRandIndex(t, p)).toBeCloseTo(expected, 12);
    expect(adjustedRandIndex(t, t)).toBe(1);
  });
});
