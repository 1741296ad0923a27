// Attention's per-head products (q·kᵀ, p·v) are batched matMuls, which tfjs-backend-wasm 4.22
// runs in a plain loop at ~2 GFLOP/s (its XNNPACK path takes only 2-D untransposed products, at
// ~30). On wasm, large enough blocks are multiplied one plain 2-D product per (batch, head)
// instead, forward and backward (a custom gradient, each product untransposed), from one copy of
// the operands: wasm's slice reads the whole input for every slice, so tf.split/unstack would
// cost O(blocks × size). Below ~32k multiply-adds per block the per-product overhead outweighs
// the loop, and other backends keep tf.matMul.
import * as tf from '@tensorflow/tfjs-core';

/** Multiply-adds per block (m·k·n) from which the per-block form wins on wasm (measured in bench/README.md). */
export const MIN_BLOCK_MACS = 32768;
let minBlockMacs = MIN_BLOCK_MACS;

/** Sets the threshold (tests use 0 to take the per-block form on small fixtures, Infinity to leave it); returns the previous one. */
export function setMinBlockMacs(macs: number): number {
  const previous = minBlockMacs;
  minBlockMacs = macs;
  return previous;
}

/** [n, r, c] -> n tensors [r, c], copied once out of the backend and once back in. */
function blocks(x: tf.Tensor3D): tf.Tensor2D[] {
  const [n, r, c] = x.shape;
  const values = x.dataSync() as Float32Array;
  return Array.from({ length: n }, (_, i) => tf.tensor2d(values.subarray(i * r * c, (i + 1) * r * c), [r, c]));
}

/** a [n, m, k]·b [n, k, p] -> [n, m, p], one untransposed 2-D product per block. */
function perBlock(a: tf.Tensor3D, b: tf.Tensor3D): tf.Tensor3D {
  return tf.tidy(() => {
    const as = blocks(a);
    const bs = blocks(b);
    const products = as.map((ai, i) => tf.matMul(ai, bs[i]));
    return tf.reshape(tf.concat(products, 0), [a.shape[0], a.shape[1], b.shape[2]]);
  });
}

const swap = (x: tf.Tensor3D): tf.Tensor3D => tf.transpose(x, [0, 2, 1]);

/** perBlock with its gradient: da = dy·bᵀ, db = aᵀ·dy, the transposes materialised first. */
const perBlockWithGrad = tf.customGrad(((a: tf.Tensor3D, b: tf.Tensor3D, save: tf.GradSaveFunc) => {
  save([a, b]);
  return {
    value: perBlock(a, b),
    gradFunc: (dy: tf.Tensor3D, [sa, sb]: tf.Tensor3D[]) => tf.tidy(() => [perBlock(dy, swap(sb)), perBlock(swap(sa), dy)]),
  };
}) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (a: tf.Tensor3D, b: tf.Tensor3D) => tf.Tensor3D;

/** Whether batchedMatMul takes the per-block form for a [..., m, k]·[..., k, n] product now. */
export function usesBlocks(m: number, k: number, n: number, backend = tf.getBackend()): boolean {
  return backend === 'wasm' && m * k * n >= minBlockMacs;
}

/**
 * a [..., m, k]·b [..., k, n] -> [..., m, n] for operands with the same leading (batch) dims: the
 * same product as tf.matMul(a, b), per block on wasm when that is faster.
 */
export function batchedMatMul<T extends tf.Tensor>(a: T, b: T): T {
  const r = a.rank;
  const [m, k, n] = [a.shape[r - 2], a.shape[r - 1], b.shape[r - 1]];
  if (r < 3 || b.rank !== r || b.shape.slice(0, r - 2).some((d, i) => d !== a.shape[i]) || !usesBlocks(m, k, n)) return tf.matMul(a, b) as T;
  const lead = a.shape.slice(0, r - 2);
  const count = lead.reduce((x, y) => x * y, 1);
  return tf.tidy(() => tf.reshape(perBlockWithGrad(tf.reshape(a, [count, m, k]), tf.reshape(b, [count, k, n])), [...lead, m, n]) as T);
}
