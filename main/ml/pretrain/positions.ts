// Cubic B-spline interpolation as scipy.ndimage.zoom (order 3) computes it: Unser, "Splines: a perfect fit for signal and image processing", IEEE SPM 1999.
//
// Longer position embeddings are made by stretching the learned table along the position axis,
// the way scipy.ndimage.zoom(table, (newRows / rows, 1), order=3) does with its defaults
// (mode='constant', cval=0, prefilter=True, grid_mode=False). Matching scipy rather than some
// other cubic means a table extended here equals one extended by the usual Python recipe.

// Pole of the cubic B-spline's inverse filter, sqrt(3) - 2, written out as scipy writes it:
// computing it as Math.sqrt(3) - 2 can land an ulp away.
const POLE = -0.267949192431122706472553658494127633;

function checkCount(name: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) {
    throw new Error(`${name} must be an integer of at least ${min}, got ${value}`);
  }
}

/**
 * Turns samples into cubic B-spline coefficients along axis 0, in place, for every column at
 * once ([rows, cols] row-major). mode='constant' has no exact prefilter of its own, so scipy
 * uses the mirror one (whole-sample symmetric: ... c2 c1 | c0 c1 ... | c_{n-2} c_{n-1} c_{n-2});
 * the order of operations follows scipy's ni_splines.c so rounding stays close to scipy's.
 */
function prefilterRows(c: Float64Array, rows: number, cols: number): void {
  const z = POLE;
  // Applying 1/B3 as two first-order recursions leaves a constant factor to undo.
  const gain = (1 - z) * (1 - 1 / z);
  for (let i = 0; i < c.length; i++) c[i] *= gain;

  // Causal start value for a mirror-extended signal, summed over the whole line as scipy does.
  const last = (rows - 1) * cols;
  const zn1 = Math.pow(z, rows - 1);
  const start = new Float64Array(cols);
  for (let j = 0; j < cols; j++) start[j] = c[j] + zn1 * c[last + j];
  let zi = z;
  for (let i = 1; i < rows - 1; i++) {
    const row = i * cols;
    const mirrored = (rows - 1 - i) * cols;
    for (let j = 0; j < cols; j++) start[j] += zi * (c[row + j] + zn1 * c[mirrored + j]);
    zi *= z;
  }
  const norm = 1 - zn1 * zn1;
  for (let j = 0; j < cols; j++) c[j] = start[j] / norm;

  for (let i = 1; i < rows; i++) {
    const row = i * cols;
    const prev = row - cols;
    for (let j = 0; j < cols; j++) c[row + j] += z * c[prev + j];
  }
  // Anticausal start value: closed form for the mirror extension.
  const beforeLast = last - cols;
  for (let j = 0; j < cols; j++) c[last + j] = ((z * c[beforeLast + j] + c[last + j]) * z) / (z * z - 1);
  for (let i = rows - 2; i >= 0; i--) {
    const row = i * cols;
    const next = row + cols;
    for (let j = 0; j < cols; j++) c[row + j] = z * (c[next + j] - c[row + j]);
  }
}

/** Folds a coefficient index outside [0, len) back in, whole-sample symmetric (scipy's mirror). */
function mirrorIndex(index: number, len: number): number {
  if (len <= 1) return 0;
  const period = 2 * len - 2;
  let k = index;
  if (k < 0) {
    k = period * Math.trunc(-k / period) + k;
    k = k <= 1 - len ? k + period : -k;
  } else if (k >= len) {
    k -= period * Math.trunc(k / period);
    if (k >= len) k = period - k;
  }
  return k;
}

/**
 * Resamples a row-major [rows, cols] matrix to [newRows, cols] along axis 0 only, equal to
 * scipy.ndimage.zoom(x, (newRows / rows, 1), order=3) to about 1e-15. With a zoom of exactly 1
 * scipy's interpolation along axis 1 reproduces each column to rounding, so every column is
 * interpolated on its own here.
 *
 * scipy rounds the output size as round(rows * factor); with factor = newRows / rows that gives
 * newRows back, so the caller passes the size it wants. One scipy quirk is kept on purpose: the
 * last output coordinate (newRows-1) * ((rows-1)/(newRows-1)) can round one ulp past rows-1, and
 * mode='constant' then fills the whole last row with cval = 0 (scipy issue #4922). It happens for
 * some target sizes (512 -> 618 is one) but not for power-of-two ones such as 512 -> 2048.
 */
export function zoomRows(data: Float32Array | Float64Array, rows: number, cols: number, newRows: number, options: { clampLastRow?: boolean } = {}): Float64Array {
  checkCount('rows', rows, 1);
  checkCount('cols', cols, 0);
  checkCount('newRows', newRows, 1);
  if (data.length !== rows * cols) {
    throw new Error(`zoomRows: data has ${data.length} values, expected rows x cols = ${rows} x ${cols} = ${rows * cols}`);
  }
  const coeffs = Float64Array.from(data); // [rows, cols]
  // A single sample has nothing to filter against; scipy leaves it as it is.
  if (rows > 1) prefilterRows(coeffs, rows, cols);

  const out = new Float64Array(newRows * cols); // [newRows, cols], cval 0 where scipy gives cval
  // grid_mode=False pins the first and last samples of input and output together; scipy
  // falls back to a zoom of 1 when newRows - 1 would divide by zero.
  const zoom = newRows > 1 ? (rows - 1) / (newRows - 1) : 1;
  const offsets = new Int32Array(4);
  for (let k = 0; k < newRows; k++) {
    // clampLastRow: the coordinate that rounded past the edge is the edge itself (no zero row).
    const x = options.clampLastRow ? Math.min(k * zoom, rows - 1) : k * zoom;
    if (x > rows - 1) continue;
    const cell = Math.floor(x);
    // scipy's weight formulas, including taking the last weight as 1 minus the others.
    const t = x - cell;
    const u = 1 - t;
    const w1 = (t * t * (t - 2) * 3 + 4) / 6;
    const w2 = (u * u * (u - 2) * 3 + 4) / 6;
    const w0 = (u * u * u) / 6;
    let w3 = 1;
    w3 -= w0;
    w3 -= w1;
    w3 -= w2;
    for (let h = 0; h < 4; h++) offsets[h] = mirrorIndex(cell - 1 + h, rows) * cols;
    const [o0, o1, o2, o3] = offsets;
    const row = k * cols;
    for (let j = 0; j < cols; j++) {
      out[row + j] = coeffs[o0 + j] * w0 + coeffs[o1 + j] * w1 + coeffs[o2 + j] * w2 + coeffs[o3 + j] * w3;
    }
  }
  return out;
}

/**
 * Extends (or shrinks) a position-embedding table [rows, hidden] to [newRows, hidden]. The first
 * `offset` rows are not positions (RoBERTa and XLM-R reserve rows 0..padding_idx, offset 2) and
 * are copied unchanged; the remaining rows - offset are zoomed to newRows - offset. Unlike
 * scipy, the last position never comes out as zeros: a last coordinate that rounds past the
 * edge is taken as the edge (where the spline equals the last learned position).
 */
export function extendPositions(weights: Float32Array, rows: number, hidden: number, newRows: number, offset: number): Float32Array {
  checkCount('offset', offset, 0);
  checkCount('hidden', hidden, 1);
  checkCount('rows', rows, 1);
  checkCount('newRows', newRows, 1);
  // A spline through one position has no direction to extend in.
  if (rows <= offset + 1) {
    throw new Error(`extendPositions: rows (${rows}) must exceed offset + 1 (${offset + 1}) so at least two positions are interpolated`);
  }
  if (newRows <= offset + 1) {
    throw new Error(`extendPositions: newRows (${newRows}) must exceed offset + 1 (${offset + 1}) so at least two positions come out`);
  }
  if (weights.length !== rows * hidden) {
    throw new Error(`extendPositions: weights have ${weights.length} values, expected rows x hidden = ${rows} x ${hidden} = ${rows * hidden}`);
  }
  const kept = offset * hidden;
  const result = new Float32Array(newRows * hidden); // [newRows, hidden]
  result.set(weights.subarray(0, kept));
  // [rows - offset, hidden] -> [newRows - offset, hidden]
  result.set(zoomRows(weights.subarray(kept), rows - offset, hidden, newRows - offset, { clampLastRow: true }), kept);
  return result;
}
