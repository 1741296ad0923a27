// The hot loop of k-means, x · c for blocks of rows against every centre, behind one interface
// with two kernels: a WebAssembly SIMD one (f32x4 lanes, blocked 2 rows × 4 centres, assembled
// below from its opcodes: a few hundred bytes, no toolchain) and the float64 JavaScript one of
// vectors.ts (dotBlock), used where WebAssembly SIMD is missing or the vectors are too large for
// float32 products. The SIMD kernel accumulates in float32, as scikit-learn's float32 BLAS does,
// and states a rigorous bound on its error, so k-means can tell the points whose nearest centre
// the rounding could change and measure those again in float64 (kmeans.ts): its labels are
// float64 Lloyd's.
import { dotBlock } from './vectors';

export interface DotKernel {
  /** |computed − exact x·c| ≤ relativeError · ‖x‖ · ‖c‖ (0 for the float64 kernel). */
  readonly relativeError: number;
  /** The m centres every later call multiplies by. c: [m, d] */
  setCentres(c: Float64Array, m: number): void;
  /** Rows [start, end) against every centre. out: [end − start, m] */
  dots(start: number, end: number, out: Float64Array): void;
  /** The rows listed in rows[from…to) against every centre. out: [to − from, m] */
  dotsOf(rows: Int32Array, from: number, to: number, out: Float64Array): void;
}

/** Rows per call of either kernel: [256, k] dot products stay in cache. */
export const KERNEL_ROWS = 256;

/** The float64 JavaScript kernel (vectors.ts dotBlock), exact to float64 rounding. */
export class JsDots implements DotKernel {
  readonly relativeError = 0;
  private c: Float64Array = new Float64Array(0);
  private m = 0;
  private readonly gathered: Float32Array;
  constructor(private readonly x: Float32Array, private readonly d: number) {
    this.gathered = new Float32Array(KERNEL_ROWS * d);
  }
  setCentres(c: Float64Array, m: number): void {
    this.c = c;
    this.m = m;
  }
  dots(start: number, end: number, out: Float64Array): void {
    dotBlock(this.x, this.d, start, end, this.c, this.m, out);
  }
  dotsOf(rows: Int32Array, from: number, to: number, out: Float64Array): void {
    const { d, x, gathered } = this;
    for (let t = from; t < to; t++) gathered.set(x.subarray(rows[t] * d, rows[t] * d + d), (t - from) * d);
    dotBlock(gathered, d, 0, to - from, this.c, this.m, out);
  }
}

// ---------------------------------------------------------------- the WebAssembly module

const uleb = (v: number): number[] => {
  const out: number[] = [];
  do {
    let b = v & 0x7f;
    v >>>= 7;
    if (v !== 0) b |= 0x80;
    out.push(b);
  } while (v !== 0);
  return out;
};
const sleb = (v: number): number[] => {
  const out: number[] = [];
  for (;;) {
    const b = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
};
const section = (id: number, bytes: number[]): number[] => [id, ...uleb(bytes.length), ...bytes];
const name = (s: string): number[] => [...uleb(s.length), ...Array.from(s, (ch) => ch.charCodeAt(0))];

// Opcodes (WebAssembly core spec and its fixed-width SIMD proposal, now part of the standard).
const op = {
  block: 0x02, loop: 0x03, br: 0x0c, brIf: 0x0d, end: 0x0b, void: 0x40,
  get: 0x20, set: 0x21, i32Const: 0x41, i32Add: 0x6a, i32Mul: 0x6c, i32GeU: 0x4f,
  simd: 0xfd, v128Load: 0x00, v128Store: 0x0b, v128Const: 0x0c, f32x4Add: 0xe4, f32x4Mul: 0xe6,
  i32: 0x7f, v128: 0x7b,
};

/**
 * dots(x, rows, c, m, stride, out): for rows r, r + 1 (rows even) and centres q … q + 3 (m a
 * multiple of 4), the four f32x4 lane sums of x_r · c_q over the row (stride bytes, a multiple of
 * 16), stored as out[((r · m) + q) · 4 + lane]. x: [rows, stride/4], c: [m, stride/4] float32,
 * out: [rows, m, 4] float32; byte addresses.
 */
function dotsModule(): Uint8Array {
  // Locals: 0 x, 1 rows, 2 c, 3 m, 4 stride, 5 out (parameters); 6 r, 7 q, 8 j, 9 x0, 10 x1,
  // 11 c0, 12 c1, 13 c2, 14 c3, 15 o0, 16 o1 (i32); 17–24 acc[row][centre] (row·4 + centre),
  // 25 a0, 26 a1, 27 b (v128).
  const [X, ROWS, C, M, STRIDE, OUT, R, Q, J, X0, X1, C0, O0, O1] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 15, 16];
  const ACC = 17, A0 = 25, A1 = 26, B = 27;
  const get = (l: number) => [op.get, ...uleb(l)];
  const set = (l: number) => [op.set, ...uleb(l)];
  const i32 = (v: number) => [op.i32Const, ...sleb(v)];
  const simd = (code: number, ...imm: number[]) => [op.simd, ...uleb(code), ...imm];
  const load = (base: number, offsetLocal: number) => [...get(base), ...get(offsetLocal), op.i32Add, ...simd(op.v128Load, 4, 0)];
  // for (l = 0; l < limit; l += step) body, as block/loop/br_if.
  const loop = (l: number, limit: number[], step: number[], body: number[]) => [
    ...i32(0), ...set(l),
    op.block, op.void, op.loop, op.void,
    ...get(l), ...limit, op.i32GeU, op.brIf, 1,
    ...body,
    ...get(l), ...step, op.i32Add, ...set(l),
    op.br, 0, op.end, op.end,
  ];
  const inner: number[] = [...load(X0, J), ...set(A0), ...load(X1, J), ...set(A1)];
  for (let t = 0; t < 4; t++) {
    inner.push(...load(C0 + t, J), ...set(B));
    for (let row = 0; row < 2; row++) {
      const acc = ACC + row * 4 + t;
      inner.push(...get(acc), ...get(row === 0 ? A0 : A1), ...get(B), ...simd(op.f32x4Mul), ...simd(op.f32x4Add), ...set(acc));
    }
  }
  const centreBody: number[] = [];
  // c_t = c + (q + t) · stride
  for (let t = 0; t < 4; t++) centreBody.push(...get(Q), ...i32(t), op.i32Add, ...get(STRIDE), op.i32Mul, ...get(C), op.i32Add, ...set(C0 + t));
  for (let a = 0; a < 8; a++) centreBody.push(...simd(op.v128Const, ...new Array<number>(16).fill(0)), ...set(ACC + a));
  centreBody.push(...loop(J, get(STRIDE), i32(16), inner));
  // o0 = out + (r · m + q) · 16, o1 = o0 + m · 16
  centreBody.push(...get(R), ...get(M), op.i32Mul, ...get(Q), op.i32Add, ...i32(16), op.i32Mul, ...get(OUT), op.i32Add, ...set(O0));
  centreBody.push(...get(O0), ...get(M), ...i32(16), op.i32Mul, op.i32Add, ...set(O1));
  for (let row = 0; row < 2; row++) {
    for (let t = 0; t < 4; t++) centreBody.push(...get(row === 0 ? O0 : O1), ...get(ACC + row * 4 + t), ...simd(op.v128Store, 4, ...uleb(t * 16)));
  }
  const rowBody: number[] = [
    // x0 = x + r · stride, x1 = x0 + stride
    ...get(R), ...get(STRIDE), op.i32Mul, ...get(X), op.i32Add, ...set(X0),
    ...get(X0), ...get(STRIDE), op.i32Add, ...set(X1),
    ...loop(Q, get(M), i32(4), centreBody),
  ];
  const body = [...loop(R, get(ROWS), i32(2), rowBody), op.end];
  const locals = [2, ...uleb(11), op.i32, ...uleb(11), op.v128];
  const func = [...locals, ...body];
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [1, 0x60, 6, op.i32, op.i32, op.i32, op.i32, op.i32, op.i32, 0]),
    ...section(3, [1, 0]),
    ...section(5, [1, 0x00, 1]),
    ...section(7, [2, ...name('dots'), 0x00, 0, ...name('memory'), 0x02, 0]),
    ...section(10, [1, ...uleb(func.length), ...func]),
  ]);
}

/** The part of the WebAssembly JavaScript API used here (Node's types declare no WebAssembly values). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmExports {
  dots: (x: number, rows: number, c: number, m: number, stride: number, out: number) => void;
  memory: WasmMemory;
}
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}
const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;

let compiled: object | null | undefined;

/** The compiled module, or null where this runtime has no WebAssembly SIMD. */
function simdModule(): object | null {
  if (compiled === undefined) {
    try {
      const bytes = dotsModule();
      compiled = wasm && wasm.validate(bytes) ? new wasm.Module(bytes) : null;
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

const PAGE = 65536;
/** float32 unit roundoff, 2⁻²⁴. */
const U32 = 2 ** -24;

/**
 * The SIMD kernel. Each call copies its block of rows into the module's memory (row length padded
 * to a multiple of 4 with zeros; about 10 GB/s, a few per cent of the arithmetic), so the vectors
 * are never held twice; the centres are converted to float32 by setCentres; the four lane sums of
 * each product are added in float64. Error bound: each lane sums L = padded length / 4 products
 * of float32 values, each rounded once, and the centres are rounded to float32 once, so
 * |error| ≤ γ_{L+2} Σ|x_j c_j| ≤ γ_{L+2} ‖x‖ ‖c‖, γ_n = n·u / (1 − n·u), u = 2⁻²⁴ (Higham,
 * Accuracy and Stability of Numerical Algorithms, 2nd ed., §3.1); one more u covers the float64
 * additions of the lanes. Vectors whose products could overflow float32 get the float64 kernel.
 */
export class SimdDots implements DotKernel {
  readonly relativeError: number;
  private readonly exports: WasmExports;
  private readonly dPad: number;
  private readonly stride: number; // bytes per padded row
  private readonly cAt = 0;
  private readonly rowsAt: number;
  private readonly outAt: number;
  private m = 0;
  private mPad = 0;

  private constructor(
    instance: { exports: unknown },
    private readonly x: Float32Array,
    private readonly d: number,
    private readonly maxCentres: number,
  ) {
    this.exports = instance.exports as WasmExports;
    this.dPad = Math.ceil(d / 4) * 4;
    this.stride = this.dPad * 4;
    const mMax = Math.ceil(maxCentres / 4) * 4;
    this.rowsAt = mMax * this.stride;
    this.outAt = this.rowsAt + (KERNEL_ROWS + 1) * this.stride;
    const bytes = this.outAt + (KERNEL_ROWS + 1) * mMax * 16;
    const memory = this.exports.memory;
    memory.grow(Math.max(0, Math.ceil(bytes / PAGE) - memory.buffer.byteLength / PAGE));
    const L = this.dPad / 4;
    this.relativeError = ((L + 3) * U32) / (1 - (L + 3) * U32);
  }

  /**
   * The kernel over x [n, d] for up to maxCentres centres, or null without WebAssembly SIMD, or
   * where float32 products could overflow. largestSquaredNorm: max ‖x_i‖² (found when omitted).
   */
  static create(x: Float32Array, n: number, d: number, maxCentres: number, largestSquaredNorm?: number): SimdDots | null {
    const module = simdModule();
    if (!module || !wasm) return null;
    let largest = largestSquaredNorm ?? 0;
    if (largestSquaredNorm === undefined) for (let i = 0; i < n * d; i++) largest = Math.max(largest, x[i] * x[i]);
    // Every |x_ij|² ≤ max ‖x_i‖², and centres are means of rows, so no larger: a lane's partial
    // sums stay below max‖x‖² · L, kept far below float32's 3.4e38.
    if (largest * Math.ceil(d / 4) > 1e36) return null;
    try {
      return new SimdDots(new wasm.Instance(module, {}), x, d, maxCentres);
    } catch {
      return null;
    }
  }

  setCentres(c: Float64Array, m: number): void {
    if (m > this.maxCentres) throw new RangeError(`${m} centres, the kernel was made for ${this.maxCentres}`);
    this.m = m;
    this.mPad = Math.ceil(m / 4) * 4;
    const heap = new Float32Array(this.exports.memory.buffer, this.cAt, this.mPad * this.dPad);
    heap.fill(0);
    for (let q = 0; q < m; q++) for (let j = 0; j < this.d; j++) heap[q * this.dPad + j] = c[q * this.d + j];
  }

  dots(start: number, end: number, out: Float64Array): void {
    const heap = new Float32Array(this.exports.memory.buffer, this.rowsAt, (KERNEL_ROWS + 1) * this.dPad);
    const { d, dPad, x } = this;
    const count = end - start;
    if (d === dPad) heap.set(x.subarray(start * d, end * d));
    else for (let t = 0; t < count; t++) heap.set(x.subarray((start + t) * d, (start + t + 1) * d), t * dPad);
    this.run(heap, count, out);
  }

  dotsOf(rows: Int32Array, from: number, to: number, out: Float64Array): void {
    const heap = new Float32Array(this.exports.memory.buffer, this.rowsAt, (KERNEL_ROWS + 1) * this.dPad);
    const { d, dPad, x } = this;
    for (let t = from; t < to; t++) heap.set(x.subarray(rows[t] * d, rows[t] * d + d), (t - from) * dPad);
    this.run(heap, to - from, out);
  }

  /** The kernel over the first `count` rows of the row block (an odd count gets a zero row after it). */
  private run(heap: Float32Array, count: number, out: Float64Array): void {
    if (count > KERNEL_ROWS) throw new RangeError(`${count} rows in one call, at most ${KERNEL_ROWS}`);
    if (count % 2) heap.fill(0, count * this.dPad, (count + 1) * this.dPad);
    this.exports.dots(this.rowsAt, count + (count % 2), this.cAt, this.mPad, this.stride, this.outAt);
    const lanes = new Float32Array(this.exports.memory.buffer, this.outAt, count * this.mPad * 4);
    const { m, mPad } = this;
    for (let r = 0; r < count; r++) {
      for (let q = 0; q < m; q++) {
        const o = (r * mPad + q) * 4;
        out[r * m + q] = lanes[o] + lanes[o + 1] + lanes[o + 2] + lanes[o + 3];
      }
    }
  }
}

/** The fastest kernel available for x [n, d] and up to maxCentres centres. */
export function dotKernel(x: Float32Array, n: number, d: number, maxCentres: number, allowSimd = true, largestSquaredNorm?: number): DotKernel {
  return (allowSimd ? SimdDots.create(x, n, d, maxCentres, largestSquaredNorm) : null) ?? new JsDots(x, d);
}
