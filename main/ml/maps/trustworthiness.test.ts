// Expected numbers: sklearn.manifold.trustworthiness 1.2.1 (test/fixtures/sklearn/maps.json, from
// scripts/fixtures/make_maps_fixtures.py), and a case worked out by hand.
import { describe, expect, it } from 'vitest';
import { blobs, mapsFixture, unpackF32 } from '../../../test/fixtures/sklearn/maps';
import { trustworthiness } from './trustworthiness';

describe('trustworthiness', () => {
  const { x, n, d } = blobs();
  const f = mapsFixture();

  it.each(f.trustworthiness.cases.map((c) => [c.embedding, c.k, c.metric, c.value] as const))('%s, k = %i, %s: equals sklearn', (name, k, metric, value) => {
    const y = unpackF32(f.trustworthiness.embeddings[name]);
    // A sum of integer ranks times one factor: equal up to the rounding of that product.
    expect(trustworthiness(x, y, n, d, 2, k, metric)).toBeCloseTo(value, 12);
  });

  it('is 1 for an embedding that keeps every neighbourhood, and counts a swapped pair by hand', () => {
    // Six points on a line with distinct gaps (no ties anywhere), embedded as themselves: T = 1.
    const line = Float32Array.from([0, 1, 3, 7, 12, 20]);
    expect(trustworthiness(line, line, 6, 1, 1, 2)).toBe(1);
    // Swap the embedded positions of points 0 and 5: y = [20, 1, 3, 7, 12, 0], k = 1.
    // Embedded nearest neighbours: 0→4, 1→5, 2→1, 3→2, 4→3, 5→1.
    // Input ranks r(i, j): r(0,4) = 4, r(1,5) = 5, r(2,1) = 1, r(3,2) = 1, r(4,3) = 1, r(5,1) = 4.
    // Σ max(0, r − 1) = 3 + 4 + 0 + 0 + 0 + 3 = 10; T = 1 − 10 · 2 / (6 · 1 · (12 − 3 − 1)) = 1 − 20/48.
    const swapped = Float32Array.from([20, 1, 3, 7, 12, 0]);
    expect(trustworthiness(line, swapped, 6, 1, 1, 1)).toBeCloseTo(1 - 20 / 48, 15);
  });

  it("refuses k ≥ n / 2 as sklearn does", () => {
    const y = new Float32Array(n * 2);
    expect(() => trustworthiness(x, y, n, d, 2, 250)).toThrow(RangeError);
  });
});
