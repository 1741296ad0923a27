// zoomRows and extendPositions against scipy 1.10.1's ndimage.zoom(order=3) on seeded random
// tables (test/fixtures/zoom/zoom.json, from scripts/fixtures/make_zoom_fixtures.py), plus what a
// cubic spline must do by hand: hit its samples, follow a ramp away from the edges, zoom 1 = identity.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extendPositions, zoomRows } from './positions';

interface ZoomCase {
  name: string;
  rows: number;
  cols: number;
  newRows: number;
  lastRowPastEdge: boolean;
  input: number[];
  output: number[];
}

interface OffsetCase {
  name: string;
  rows: number;
  cols: number;
  newRows: number;
  offset: number;
  input: number[];
  output: number[];
}

interface Fixture {
  scipy: string;
  numpy: string;
  zoomRows: ZoomCase[];
  extendPositions: OffsetCase[];
}

const fixture = JSON.parse(readFileSync(join(__dirname, '../../../test/fixtures/zoom/zoom.json'), 'utf8')) as Fixture;

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}

describe('zoomRows matches scipy.ndimage.zoom(x, (newRows / rows, 1), order=3)', () => {
  it('fixtures come from scipy 1.10.1', () => {
    expect(fixture.scipy).toBe('1.10.1');
    expect(fixture.zoomRows.length).toBeGreaterThanOrEqual(8);
  });

  for (const c of fixture.zoomRows) {
    it(c.name, () => {
      const fromDouble = zoomRows(Float64Array.from(c.input), c.rows, c.cols, c.newRows);
      expect(maxAbsDiff(fromDouble, c.output)).toBeLessThanOrEqual(1e-9);
      // The fixture inputs are float32 values, so a Float32Array gives scipy's input exactly.
      const fromSingle = zoomRows(Float32Array.from(c.input), c.rows, c.cols, c.newRows);
      expect(maxAbsDiff(fromSingle, c.output)).toBeLessThanOrEqual(1e-9);
    });
  }

  it("keeps scipy's zero last row when the last coordinate rounds past the edge", () => {
    // 3 / 187 * 187 is 3.0000000000000004 in float64: past the last input row, so mode='constant'
    // gives cval = 0 there, while the row before it is an ordinary interpolated value.
    expect(187 * (3 / 187)).toBeGreaterThan(3);
    const c = fixture.zoomRows.find((x) => x.lastRowPastEdge);
    if (c === undefined) throw new Error('fixture has no past-the-edge case');
    expect([c.rows, c.newRows]).toEqual([4, 188]);
    const y = zoomRows(Float64Array.from(c.input), c.rows, c.cols, c.newRows);
    expect(Array.from(y.subarray((c.newRows - 1) * c.cols))).toEqual([0, 0]);
    expect(Array.from(c.output.slice((c.newRows - 1) * c.cols))).toEqual([0, 0]);
    expect(Math.abs(y[(c.newRows - 2) * c.cols])).toBeGreaterThan(0);
  });
});

describe('extendPositions', () => {
  it('never gives the last position zeros where scipy would: the edge coordinate is clamped', () => {
    const c = fixture.zoomRows.find((x) => x.lastRowPastEdge)!;
    const y = extendPositions(Float32Array.from(c.input), c.rows, c.cols, c.newRows, 0);
    // Every row but the last as scipy; the last is the spline at the edge, i.e. the last input row.
    expect(maxAbsDiff(y.subarray(0, (c.newRows - 1) * c.cols), c.output.slice(0, (c.newRows - 1) * c.cols))).toBeLessThanOrEqual(1e-6);
    expect(maxAbsDiff(y.subarray((c.newRows - 1) * c.cols), c.input.slice((c.rows - 1) * c.cols))).toBeLessThanOrEqual(1e-6);
  });

  for (const c of fixture.extendPositions) {
    it(`${c.name} matches scipy within float32 rounding`, () => {
      const weights = Float32Array.from(c.input);
      const y = extendPositions(weights, c.rows, c.cols, c.newRows, c.offset);
      expect(y).toBeInstanceOf(Float32Array);
      expect(y.length).toBe(c.newRows * c.cols);
      expect(maxAbsDiff(y, c.output)).toBeLessThanOrEqual(1e-6);
      // The reserved rows are copied, not interpolated.
      expect(Array.from(y.subarray(0, c.offset * c.cols))).toEqual(Array.from(weights.subarray(0, c.offset * c.cols)));
    });
  }

  it('refuses tables with fewer than two positions on either side', () => {
    const w = new Float32Array(10 * 3);
    expect(() => extendPositions(w, 10, 3, 3, 2)).toThrow(/newRows \(3\) must exceed offset \+ 1 \(3\)/);
    expect(() => extendPositions(w.subarray(0, 9), 3, 3, 34, 2)).toThrow(/rows \(3\) must exceed offset \+ 1 \(3\)/);
    expect(() => extendPositions(w, 10, 4, 34, 2)).toThrow(/weights have 30 values/);
    expect(() => extendPositions(w, 10, 3, 34, 2)).not.toThrow();
  });
});

describe('what a cubic spline does by hand', () => {
  // Two columns: k and 3 - k/2, so the second has slope -0.5.
  const rows = 64;
  const newRows = 253; // (rows - 1) / (newRows - 1) = 1/4 exactly: every 4th output is an input row
  const ramp = new Float64Array(rows * 2);
  for (let k = 0; k < rows; k++) {
    ramp[2 * k] = k;
    ramp[2 * k + 1] = 3 - k / 2;
  }
  const y = zoomRows(ramp, rows, 2, newRows);
  const deviation = (i: number, col: number): number => {
    const x = i / 4;
    return Math.abs(y[2 * i + col] - (col === 0 ? x : 3 - x / 2));
  };

  it('passes through its samples', () => {
    for (let i = 0; i < newRows; i += 4) {
      expect(deviation(i, 0)).toBeLessThanOrEqual(1e-12);
      expect(deviation(i, 1)).toBeLessThanOrEqual(1e-12);
    }
  });

  it('follows a linear ramp exactly only far from the edges', () => {
    // Cubic B-splines reproduce linear functions on an infinite grid, but scipy's boundary for
    // the coefficients is the mirror: the data seen past row 0 is |k|, not k. The spline is
    // therefore flat at both ends and bends away from the ramp by about 0.16 x slope in the
    // first and last interval (scipy 1.10.1 gives 0.1585 for slope 1). That error decays by the
    // pole's magnitude, 2 - sqrt(3) ~ 0.268, for every input row further in.
    const decay = 2 - Math.sqrt(3);
    const edgeError = Math.max(deviation(1, 0), deviation(2, 0), deviation(3, 0));
    expect(edgeError).toBeGreaterThan(0.15);
    expect(edgeError).toBeLessThan(0.16);
    for (let m = 0; m < 16; m++) {
      let worst0 = 0;
      let worst1 = 0;
      for (let i = 4 * m; i <= newRows - 1 - 4 * m; i++) {
        worst0 = Math.max(worst0, deviation(i, 0));
        worst1 = Math.max(worst1, deviation(i, 1));
      }
      expect(worst0).toBeLessThanOrEqual(0.16 * decay ** m + 1e-13);
      expect(worst1).toBeLessThanOrEqual(0.5 * 0.16 * decay ** m + 1e-13);
    }
    // Symmetric data, symmetric curve: the bend at the end mirrors the bend at the start.
    expect(Math.abs(deviation(newRows - 2, 0) - deviation(1, 0))).toBeLessThanOrEqual(1e-12);
  });

  it('zooming rows to rows is the identity', () => {
    const x = Float64Array.from({ length: 9 * 3 }, (_, i) => Math.sin(i * 1.7) * 3 + (i % 5));
    expect(maxAbsDiff(zoomRows(x, 9, 3, 9), x)).toBeLessThanOrEqual(1e-12);
  });

  it('one input row is repeated; one output row is the first input row', () => {
    const one = zoomRows(Float64Array.from([1.5, -2]), 1, 2, 4);
    expect(maxAbsDiff(one, [1.5, -2, 1.5, -2, 1.5, -2, 1.5, -2])).toBeLessThanOrEqual(1e-15);
    const first = zoomRows(Float64Array.from([1.5, -2, 3, 4, 5, 7]), 3, 2, 1);
    expect(maxAbsDiff(first, [1.5, -2])).toBeLessThanOrEqual(1e-12);
  });

  it('checks its arguments', () => {
    expect(() => zoomRows(new Float64Array(5), 2, 3, 4)).toThrow(/data has 5 values, expected rows x cols = 2 x 3 = 6/);
    expect(() => zoomRows(new Float64Array(6), 2, 3, 0)).toThrow(/newRows must be an integer of at least 1, got 0/);
    expect(() => zoomRows(new Float64Array(6), 2, 3, 2.5)).toThrow(/newRows must be an integer/);
  });
});
