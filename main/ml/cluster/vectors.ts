// The vector layout every clustering function takes, and the dense kernels they share: dot
// products and squared distances over row-major Float32Array blocks. Products of two float32
// values are exact in float64 and every sum is accumulated in float64, so the float32 storage
// costs no accuracy in the arithmetic.

/** n vectors of d dimensions, row-major: element j of vector i is data[i * d + j]. [n, d] */
export interface Vectors {
  readonly data: Float32Array;
  readonly n: number;
  readonly d: number;
}

/** How two vectors are compared: 'euclidean' as they are; 'cosine' by direction alone. */
export type ClusterMetric = 'euclidean' | 'cosine';

/** Throws RangeError unless `v` is a well-formed [n, d] block of finite numbers (sklearn's check_array refuses NaN and ±Inf too). */
export function checkVectors(v: Vectors, what = 'vectors'): void {
  const { data, n, d } = v;
  if (!Number.isInteger(n) || !Number.isInteger(d) || n < 0 || d < 1) throw new RangeError(`${what}: n = ${n}, d = ${d} must be whole numbers, d ≥ 1`);
  if (data.length !== n * d) throw new RangeError(`${what}: data holds ${data.length} numbers, not n × d = ${n} × ${d}`);
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) throw new RangeError(`${what}: element ${i} (vector ${Math.floor(i / d)}) is ${data[i]}`);
  }
}

/** ‖x_i‖² for every row. x: [n, d] → [n] */
export function rowSquaredNorms(x: Float32Array, n: number, d: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const o = i * d;
    let s = 0;
    for (let j = 0; j < d; j++) s += x[o + j] * x[o + j];
    out[i] = s;
  }
  return out;
}

/**
 * Dot products of rows [start, end) of x with the m rows of c, blocked 4 rows × 4 rows so that
 * each loaded element feeds four products (the hot loop of k-means).
 * x: [n, d] float32, c: [m, d] float64, out: [end − start, m] with out[(i − start) * m + j] = x_i · c_j.
 */
export function dotBlock(x: Float32Array, d: number, start: number, end: number, c: Float64Array, m: number, out: Float64Array): void {
  const m4 = m - (m % 4);
  let i = start;
  for (; i + 4 <= end; i += 4) {
    const a0 = i * d, a1 = a0 + d, a2 = a1 + d, a3 = a2 + d;
    const r0 = (i - start) * m, r1 = r0 + m, r2 = r1 + m, r3 = r2 + m;
    let q = 0;
    for (; q < m4; q += 4) {
      const b0 = q * d, b1 = b0 + d, b2 = b1 + d, b3 = b2 + d;
      let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
      let s20 = 0, s21 = 0, s22 = 0, s23 = 0, s30 = 0, s31 = 0, s32 = 0, s33 = 0;
      for (let j = 0; j < d; j++) {
        const x0 = x[a0 + j], x1 = x[a1 + j], x2 = x[a2 + j], x3 = x[a3 + j];
        const c0 = c[b0 + j], c1 = c[b1 + j], c2 = c[b2 + j], c3 = c[b3 + j];
        s00 += x0 * c0; s01 += x0 * c1; s02 += x0 * c2; s03 += x0 * c3;
        s10 += x1 * c0; s11 += x1 * c1; s12 += x1 * c2; s13 += x1 * c3;
        s20 += x2 * c0; s21 += x2 * c1; s22 += x2 * c2; s23 += x2 * c3;
        s30 += x3 * c0; s31 += x3 * c1; s32 += x3 * c2; s33 += x3 * c3;
      }
      out[r0 + q] = s00; out[r0 + q + 1] = s01; out[r0 + q + 2] = s02; out[r0 + q + 3] = s03;
      out[r1 + q] = s10; out[r1 + q + 1] = s11; out[r1 + q + 2] = s12; out[r1 + q + 3] = s13;
      out[r2 + q] = s20; out[r2 + q + 1] = s21; out[r2 + q + 2] = s22; out[r2 + q + 3] = s23;
      out[r3 + q] = s30; out[r3 + q + 1] = s31; out[r3 + q + 2] = s32; out[r3 + q + 3] = s33;
    }
    for (; q < m; q++) {
      const b = q * d;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let j = 0; j < d; j++) {
        const cv = c[b + j];
        s0 += x[a0 + j] * cv; s1 += x[a1 + j] * cv; s2 += x[a2 + j] * cv; s3 += x[a3 + j] * cv;
      }
      out[r0 + q] = s0; out[r1 + q] = s1; out[r2 + q] = s2; out[r3 + q] = s3;
    }
  }
  for (; i < end; i++) {
    const a = i * d;
    const r = (i - start) * m;
    for (let q = 0; q < m; q++) {
      const b = q * d;
      let s = 0;
      for (let j = 0; j < d; j++) s += x[a + j] * c[b + j];
      out[r + q] = s;
    }
  }
}

/**
 * Squared euclidean distances, by differences (exact for duplicates, unlike ‖x‖² + ‖y‖² − 2x·y),
 * of rows [rowStart, rowEnd) of x to rows [colStart, colEnd) of y, blocked 4 × 4.
 * x: [·, d], y: [·, d], out: [rowEnd − rowStart, colEnd − colStart].
 */
export function squaredDistanceBlock(
  x: Float32Array,
  rowStart: number,
  rowEnd: number,
  y: Float32Array,
  colStart: number,
  colEnd: number,
  d: number,
  out: Float64Array,
): void {
  const w = colEnd - colStart;
  const cols4 = colStart + (w - (w % 4));
  let i = rowStart;
  for (; i + 4 <= rowEnd; i += 4) {
    const a0 = i * d, a1 = a0 + d, a2 = a1 + d, a3 = a2 + d;
    const r0 = (i - rowStart) * w - colStart, r1 = r0 + w, r2 = r1 + w, r3 = r2 + w;
    let q = colStart;
    for (; q < cols4; q += 4) {
      const b0 = q * d, b1 = b0 + d, b2 = b1 + d, b3 = b2 + d;
      let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
      let s20 = 0, s21 = 0, s22 = 0, s23 = 0, s30 = 0, s31 = 0, s32 = 0, s33 = 0;
      for (let j = 0; j < d; j++) {
        const x0 = x[a0 + j], x1 = x[a1 + j], x2 = x[a2 + j], x3 = x[a3 + j];
        const c0 = y[b0 + j], c1 = y[b1 + j], c2 = y[b2 + j], c3 = y[b3 + j];
        let t = x0 - c0; s00 += t * t; t = x0 - c1; s01 += t * t; t = x0 - c2; s02 += t * t; t = x0 - c3; s03 += t * t;
        t = x1 - c0; s10 += t * t; t = x1 - c1; s11 += t * t; t = x1 - c2; s12 += t * t; t = x1 - c3; s13 += t * t;
        t = x2 - c0; s20 += t * t; t = x2 - c1; s21 += t * t; t = x2 - c2; s22 += t * t; t = x2 - c3; s23 += t * t;
        t = x3 - c0; s30 += t * t; t = x3 - c1; s31 += t * t; t = x3 - c2; s32 += t * t; t = x3 - c3; s33 += t * t;
      }
      out[r0 + q] = s00; out[r0 + q + 1] = s01; out[r0 + q + 2] = s02; out[r0 + q + 3] = s03;
      out[r1 + q] = s10; out[r1 + q + 1] = s11; out[r1 + q + 2] = s12; out[r1 + q + 3] = s13;
      out[r2 + q] = s20; out[r2 + q + 1] = s21; out[r2 + q + 2] = s22; out[r2 + q + 3] = s23;
      out[r3 + q] = s30; out[r3 + q + 1] = s31; out[r3 + q + 2] = s32; out[r3 + q + 3] = s33;
    }
    for (; q < colEnd; q++) {
      const b = q * d;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let j = 0; j < d; j++) {
        const cv = y[b + j];
        let t = x[a0 + j] - cv; s0 += t * t; t = x[a1 + j] - cv; s1 += t * t;
        t = x[a2 + j] - cv; s2 += t * t; t = x[a3 + j] - cv; s3 += t * t;
      }
      out[r0 + q] = s0; out[r1 + q] = s1; out[r2 + q] = s2; out[r3 + q] = s3;
    }
  }
  for (; i < rowEnd; i++) {
    const a = i * d;
    const r = (i - rowStart) * w - colStart;
    for (let q = colStart; q < colEnd; q++) {
      const b = q * d;
      let s = 0;
      for (let j = 0; j < d; j++) {
        const t = x[a + j] - y[b + j];
        s += t * t;
      }
      out[r + q] = s;
    }
  }
}

/**
 * Dot products of rows [rowStart, rowEnd) of x with rows [colStart, colEnd) of y, blocked 4 × 4
 * (dotBlock's loop for two float32 operands: one element type per loop keeps V8's loads monomorphic).
 * x: [·, d], y: [·, d], out: [rowEnd − rowStart, colEnd − colStart].
 */
export function dotBlock32(
  x: Float32Array,
  rowStart: number,
  rowEnd: number,
  y: Float32Array,
  colStart: number,
  colEnd: number,
  d: number,
  out: Float64Array,
): void {
  const w = colEnd - colStart;
  const cols4 = colStart + (w - (w % 4));
  let i = rowStart;
  for (; i + 4 <= rowEnd; i += 4) {
    const a0 = i * d, a1 = a0 + d, a2 = a1 + d, a3 = a2 + d;
    const r0 = (i - rowStart) * w - colStart, r1 = r0 + w, r2 = r1 + w, r3 = r2 + w;
    let q = colStart;
    for (; q < cols4; q += 4) {
      const b0 = q * d, b1 = b0 + d, b2 = b1 + d, b3 = b2 + d;
      let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
      let s20 = 0, s21 = 0, s22 = 0, s23 = 0, s30 = 0, s31 = 0, s32 = 0, s33 = 0;
      for (let j = 0; j < d; j++) {
        const x0 = x[a0 + j], x1 = x[a1 + j], x2 = x[a2 + j], x3 = x[a3 + j];
        const c0 = y[b0 + j], c1 = y[b1 + j], c2 = y[b2 + j], c3 = y[b3 + j];
        s00 += x0 * c0; s01 += x0 * c1; s02 += x0 * c2; s03 += x0 * c3;
        s10 += x1 * c0; s11 += x1 * c1; s12 += x1 * c2; s13 += x1 * c3;
        s20 += x2 * c0; s21 += x2 * c1; s22 += x2 * c2; s23 += x2 * c3;
        s30 += x3 * c0; s31 += x3 * c1; s32 += x3 * c2; s33 += x3 * c3;
      }
      out[r0 + q] = s00; out[r0 + q + 1] = s01; out[r0 + q + 2] = s02; out[r0 + q + 3] = s03;
      out[r1 + q] = s10; out[r1 + q + 1] = s11; out[r1 + q + 2] = s12; out[r1 + q + 3] = s13;
      out[r2 + q] = s20; out[r2 + q + 1] = s21; out[r2 + q + 2] = s22; out[r2 + q + 3] = s23;
      out[r3 + q] = s30; out[r3 + q + 1] = s31; out[r3 + q + 2] = s32; out[r3 + q + 3] = s33;
    }
    for (; q < colEnd; q++) {
      const b = q * d;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let j = 0; j < d; j++) {
        const cv = y[b + j];
        s0 += x[a0 + j] * cv; s1 += x[a1 + j] * cv; s2 += x[a2 + j] * cv; s3 += x[a3 + j] * cv;
      }
      out[r0 + q] = s0; out[r1 + q] = s1; out[r2 + q] = s2; out[r3 + q] = s3;
    }
  }
  for (; i < rowEnd; i++) {
    const a = i * d;
    const r = (i - rowStart) * w - colStart;
    for (let q = colStart; q < colEnd; q++) {
      const b = q * d;
      let s = 0;
      for (let j = 0; j < d; j++) s += x[a + j] * y[b + j];
      out[r + q] = s;
    }
  }
}

/**
 * Squared euclidean distances (squared = true) or dot products from row `i` of x to the rows
 * listed in `targets[0…count)`, four targets at a time (Prim's step in HDBSCAN, where the
 * targets are the points not yet in the tree). x: [·, d]; out: [count].
 */
export function rowToRows(x: Float32Array, d: number, i: number, targets: Int32Array, count: number, squared: boolean, out: Float64Array): void {
  const a = i * d;
  const c4 = count - (count % 4);
  let t = 0;
  if (squared) {
    for (; t < c4; t += 4) {
      const b0 = targets[t] * d, b1 = targets[t + 1] * d, b2 = targets[t + 2] * d, b3 = targets[t + 3] * d;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let j = 0; j < d; j++) {
        const xv = x[a + j];
        let u = xv - x[b0 + j]; s0 += u * u; u = xv - x[b1 + j]; s1 += u * u;
        u = xv - x[b2 + j]; s2 += u * u; u = xv - x[b3 + j]; s3 += u * u;
      }
      out[t] = s0; out[t + 1] = s1; out[t + 2] = s2; out[t + 3] = s3;
    }
    for (; t < count; t++) {
      const b = targets[t] * d;
      let s = 0;
      for (let j = 0; j < d; j++) {
        const u = x[a + j] - x[b + j];
        s += u * u;
      }
      out[t] = s;
    }
    return;
  }
  for (; t < c4; t += 4) {
    const b0 = targets[t] * d, b1 = targets[t + 1] * d, b2 = targets[t + 2] * d, b3 = targets[t + 3] * d;
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (let j = 0; j < d; j++) {
      const xv = x[a + j];
      s0 += xv * x[b0 + j]; s1 += xv * x[b1 + j]; s2 += xv * x[b2 + j]; s3 += xv * x[b3 + j];
    }
    out[t] = s0; out[t + 1] = s1; out[t + 2] = s2; out[t + 3] = s3;
  }
  for (; t < count; t++) {
    const b = targets[t] * d;
    let s = 0;
    for (let j = 0; j < d; j++) s += x[a + j] * x[b + j];
    out[t] = s;
  }
}

/**
 * What pairBlock and rowToRows compute for a metric, and how that becomes its distance:
 * euclidean from squared differences (exact for duplicates, unlike ‖x‖² + ‖y‖² − 2x·y, which
 * sklearn uses); cosine 1 − x·y / (‖x‖ ‖y‖) from float64 dot products and inverse norms, clipped
 * to [0, 2] as sklearn.metrics.pairwise.cosine_distances clips it (a zero vector has inverse norm
 * 0, so its distance to anything is 1, as in sklearn, whose normalize leaves it zero).
 */
export interface MetricSpace {
  readonly metric: ClusterMetric;
  readonly vectors: Vectors;
  /** 1/‖x_i‖ (0 for a zero vector); only for cosine. [n] */
  readonly inverseNorms: Float64Array | null;
}

export function metricSpace(vectors: Vectors, metric: ClusterMetric): MetricSpace {
  if (metric === 'euclidean') return { metric, vectors, inverseNorms: null };
  const inv = rowSquaredNorms(vectors.data, vectors.n, vectors.d);
  for (let i = 0; i < inv.length; i++) inv[i] = inv[i] > 0 ? 1 / Math.sqrt(inv[i]) : 0;
  return { metric, vectors, inverseNorms: inv };
}

/**
 * Distances of rows [rowStart, rowEnd) to rows [colStart, colEnd) in the metric; a row's
 * distance to itself is exactly 0 (as sklearn sets the diagonal). out: [rowEnd − rowStart, colEnd − colStart].
 */
export function pairBlock(space: MetricSpace, rowStart: number, rowEnd: number, colStart: number, colEnd: number, out: Float64Array): void {
  const { data, d } = space.vectors;
  const w = colEnd - colStart;
  const inv = space.inverseNorms;
  if (inv === null) {
    squaredDistanceBlock(data, rowStart, rowEnd, data, colStart, colEnd, d, out);
    for (let t = 0; t < (rowEnd - rowStart) * w; t++) out[t] = Math.sqrt(out[t]);
  } else {
    dotBlock32(data, rowStart, rowEnd, data, colStart, colEnd, d, out);
    for (let i = rowStart; i < rowEnd; i++) {
      const r = (i - rowStart) * w - colStart;
      for (let q = colStart; q < colEnd; q++) out[r + q] = cosineDistance(out[r + q], inv[i], inv[q]);
    }
  }
  for (let i = Math.max(rowStart, colStart); i < Math.min(rowEnd, colEnd); i++) out[(i - rowStart) * w + (i - colStart)] = 0;
}

/** 1 − cos θ from a dot product and the two inverse norms, clipped to [0, 2] as sklearn clips it. */
export function cosineDistance(dot: number, invA: number, invB: number): number {
  return Math.min(2, Math.max(0, 1 - dot * invA * invB));
}
