// The blocked kernels against the plain definitions (a loop over one pair at a time, in float64),
// on shapes that leave remainders in every blocked dimension.
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../common/random';
import { checkVectors, dotBlock, dotBlock32, metricSpace, pairBlock, rowToRows, squaredDistanceBlock } from './vectors';

const rand = mulberry32(99);
const random32 = (count: number) => Float32Array.from({ length: count }, () => rand() * 4 - 2);
const dot = (a: ArrayLike<number>, i: number, b: ArrayLike<number>, j: number, d: number) => {
  let s = 0;
  for (let t = 0; t < d; t++) s += a[i * d + t] * b[j * d + t];
  return s;
};
const sq = (a: ArrayLike<number>, i: number, b: ArrayLike<number>, j: number, d: number) => {
  let s = 0;
  for (let t = 0; t < d; t++) s += (a[i * d + t] - b[j * d + t]) ** 2;
  return s;
};

describe('blocked kernels', () => {
  for (const [n, m, d] of [[1, 1, 1], [4, 4, 3], [7, 5, 9], [13, 11, 2], [9, 21, 17]]) {
    it(`n ${n}, m ${m}, d ${d}`, () => {
      const x = random32(n * d);
      const c = Float64Array.from(random32(m * d));
      const y = random32(m * d);
      // Rows 1…n of x (an offset start) against every centre: [n − 1, m].
      const start = n > 1 ? 1 : 0;
      const out = new Float64Array((n - start) * m);
      dotBlock(x, d, start, n, c, m, out);
      for (let i = start; i < n; i++) for (let j = 0; j < m; j++) expect(out[(i - start) * m + j]).toBeCloseTo(dot(x, i, c, j, d), 12);
      // x rows [start, n) against y rows [1, m): [n − start, m − 1].
      const c0 = m > 1 ? 1 : 0;
      const w = m - c0;
      const o2 = new Float64Array((n - start) * w);
      squaredDistanceBlock(x, start, n, y, c0, m, d, o2);
      for (let i = start; i < n; i++) for (let j = c0; j < m; j++) expect(o2[(i - start) * w + j - c0]).toBeCloseTo(sq(x, i, y, j, d), 12);
      dotBlock32(x, start, n, y, c0, m, d, o2);
      for (let i = start; i < n; i++) for (let j = c0; j < m; j++) expect(o2[(i - start) * w + j - c0]).toBeCloseTo(dot(x, i, y, j, d), 12);
      // Row 0 to a scattered list of rows.
      const targets = Int32Array.from({ length: n }, (_, t) => (t * 5 + 3) % n);
      const o3 = new Float64Array(n);
      rowToRows(x, d, 0, targets, n, true, o3);
      targets.forEach((t, k) => expect(o3[k]).toBeCloseTo(sq(x, 0, x, t, d), 12));
      rowToRows(x, d, 0, targets, n, false, o3);
      targets.forEach((t, k) => expect(o3[k]).toBeCloseTo(dot(x, 0, x, t, d), 12));
    });
  }

  it('pairBlock: euclidean and cosine distances with an exact zero diagonal, a zero vector at cosine distance 1', () => {
    const x = Float32Array.from([3, 4, 0, 0, 6, 8, -3, -4, 1, 0]); // [5, 2]: (3,4), (0,0), (6,8), (−3,−4), (1,0)
    const v = { data: x, n: 5, d: 2 };
    const e = new Float64Array(25);
    pairBlock(metricSpace(v, 'euclidean'), 0, 5, 0, 5, e);
    expect(e[0 * 5 + 2]).toBe(5);
    expect(e[0 * 5 + 3]).toBe(10);
    expect(e[1 * 5 + 4]).toBe(1);
    const c = new Float64Array(25);
    pairBlock(metricSpace(v, 'cosine'), 0, 5, 0, 5, c);
    for (let i = 0; i < 5; i++) expect(c[i * 6]).toBe(0);
    expect(c[0 * 5 + 2]).toBeCloseTo(0, 15); // same direction
    expect(c[0 * 5 + 3]).toBeCloseTo(2, 15); // opposite
    expect(c[0 * 5 + 4]).toBeCloseTo(1 - 3 / 5, 15);
    expect(c[1 * 5 + 0]).toBe(1); // the zero vector, as sklearn's cosine_distances
  });

  it('checkVectors refuses a wrong length and non-finite values', () => {
    expect(() => checkVectors({ data: new Float32Array(5), n: 2, d: 3 })).toThrow(RangeError);
    expect(() => checkVectors({ data: Float32Array.from([1, Infinity]), n: 1, d: 2 })).toThrow(RangeError);
    expect(() => checkVectors({ data: new Float32Array(0), n: 0, d: 3 })).not.toThrow();
  });
});
