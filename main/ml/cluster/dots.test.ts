// The WebAssembly SIMD kernel against float64 products computed one pair at a time: the same
// values within the error bound it states, on shapes with remainders in every blocked dimension.
import { describe, expect, it } from 'vitest';
import { mulberry32, normals } from '../../../common/random';
import { dotKernel, JsDots, KERNEL_ROWS, SimdDots } from './dots';

const gauss = normals(mulberry32(7));

function exact(x: Float32Array, i: number, c: Float64Array, q: number, d: number): number {
  let s = 0;
  for (let j = 0; j < d; j++) s += x[i * d + j] * c[q * d + j];
  return s;
}
function norm(a: ArrayLike<number>, i: number, d: number): number {
  let s = 0;
  for (let j = 0; j < d; j++) s += a[i * d + j] ** 2;
  return Math.sqrt(s);
}

describe('SimdDots', () => {
  it('is available in this runtime (Node has WebAssembly SIMD)', () => {
    expect(SimdDots.create(new Float32Array(8), 2, 4, 4)).not.toBeNull();
    expect(dotKernel(new Float32Array(8), 2, 4, 4)).toBeInstanceOf(SimdDots);
    expect(dotKernel(new Float32Array(8), 2, 4, 4, false)).toBeInstanceOf(JsDots);
  });

  for (const [n, d, m, scale] of [[1, 1, 1, 1], [5, 3, 2, 1], [37, 13, 7, 3], [300, 768, 20, 0.05], [41, 770, 23, 40]]) {
    it(`n ${n}, d ${d}, m ${m}: within β‖x‖‖c‖ of float64, for ranges and gathered rows`, () => {
      const x = Float32Array.from({ length: n * d }, () => scale * gauss() + 0.3);
      const c = Float64Array.from({ length: m * d }, () => scale * gauss());
      const k = SimdDots.create(x, n, d, m) as SimdDots;
      k.setCentres(c, m);
      const out = new Float64Array(KERNEL_ROWS * m);
      const check = (i: number, got: number, q: number) => {
        const bound = k.relativeError * norm(x, i, d) * norm(c, q, d);
        expect(Math.abs(got - exact(x, i, c, q, d)), `row ${i}, centre ${q}`).toBeLessThanOrEqual(bound);
      };
      for (let start = 0; start < n; start += KERNEL_ROWS) {
        const end = Math.min(n, start + KERNEL_ROWS);
        k.dots(start, end, out);
        for (let i = start; i < end; i++) for (let q = 0; q < m; q++) check(i, out[(i - start) * m + q], q);
      }
      const rows = Int32Array.from({ length: Math.min(n, 9) }, (_, t) => (t * 7 + 2) % n);
      k.dotsOf(rows, 1, rows.length, out);
      for (let t = 1; t < rows.length; t++) for (let q = 0; q < m; q++) check(rows[t], out[(t - 1) * m + q], q);
      // The stated bound is of the order of float32's rounding: L = ⌈d/4⌉ products per lane.
      expect(k.relativeError).toBeLessThan((Math.ceil(d / 4) + 4) * 2 ** -24 * 1.01);
    });
  }

  it('refuses vectors whose float32 products could overflow, and more centres than it was made for', () => {
    expect(SimdDots.create(Float32Array.from([1e19, 0, 0, 0]), 1, 4, 1)).toBeNull();
    const k = SimdDots.create(new Float32Array(8), 2, 4, 4) as SimdDots;
    expect(() => k.setCentres(new Float64Array(20), 5)).toThrow(RangeError);
  });
});
