// Gradients that keep training on the fast paths of every backend. tfjs's own matMul gradient
// asks for transposed products (dy·bᵀ, aᵀ·dy), which tfjs-backend-wasm 4.22 runs in a plain loop
// at ~2 GFLOP/s instead of XNNPACK's ~30; materialising the transpose first costs one copy.
// gather's gradient needs UnsortedSegmentSum, which the wasm backend lacks; for the embedding
// lookups the encoder does (axis 0, no batch dims) a ScatterNd, which sums duplicate rows, is the
// same sum. Installed once per thread (the compute worker, tests), replacing tfjs's configs.
import * as tf from '@tensorflow/tfjs-core';

/** [..., m, n] -> [..., n, m] */
function swapLast(x: tf.Tensor): tf.Tensor {
  const perm = x.shape.map((_, i) => i);
  const r = perm.length;
  [perm[r - 2], perm[r - 1]] = [perm[r - 1], perm[r - 2]];
  return tf.transpose(x, perm);
}

/** a·b with transposes materialised, so the product itself is untransposed. */
function product(a: tf.Tensor, b: tf.Tensor, transposeA: boolean, transposeB: boolean): tf.Tensor {
  return tf.matMul(transposeA ? swapLast(a) : a, transposeB ? swapLast(b) : b);
}

let installed = false;

/**
 * Replaces the matMul and gather gradients. tfjs's own gradient configs must be registered first
 * (tfjs-core's register_all_gradients; the compute worker loads it from dist/tfjsGradients.cjs).
 */
export function installFastGradients(): void {
  if (installed) return;
  const gather = tf.getGradient('GatherV2');
  if (!gather || !tf.getGradient('Multiply')) throw new Error("tfjs's gradients are not registered (load @tensorflow/tfjs-core/dist/register_all_gradients first)");
  installed = true;
  const silence = console.warn;
  console.warn = () => undefined; // registerGradient warns that it overrides tfjs's config
  try {
    tf.registerGradient({
      kernelName: 'BatchMatMul',
      inputsToSave: ['a', 'b'],
      gradFunc: (dy, saved, attrs) => {
        const [a, b] = saved;
        const { transposeA, transposeB } = attrs as unknown as { transposeA: boolean; transposeB: boolean };
        const g = Array.isArray(dy) ? dy[0] : dy;
        // The same identities as tfjs's BatchMatMul_grad, each product untransposed.
        if (!transposeA && !transposeB) return { a: () => product(g, b, false, true), b: () => product(a, g, true, false) };
        if (!transposeA && transposeB) return { a: () => product(g, b, false, false), b: () => product(g, a, true, false) };
        if (transposeA && !transposeB) return { a: () => product(b, g, false, true), b: () => product(a, g, false, false) };
        return { a: () => product(b, g, true, true), b: () => product(g, a, true, true) };
      },
    });
    tf.registerGradient({
      kernelName: 'GatherV2',
      inputsToSave: ['x', 'indices'],
      gradFunc: (dy, saved, attrs) => {
        const [x, indices] = saved;
        const { axis, batchDims } = attrs as unknown as { axis: number; batchDims: number };
        if (axis !== 0 || batchDims !== 0) return gather.gradFunc(dy, saved, attrs);
        const g = Array.isArray(dy) ? dy[0] : dy;
        const n = indices.size;
        return {
          // [n, ...inner] rows summed into x's shape at their indices (duplicates add up).
          x: () => tf.scatterND(tf.reshape(indices, [n, 1]), tf.reshape(g, [n, ...x.shape.slice(1)]), x.shape),
          indices: () => indices,
        };
      },
    });
  } finally {
    console.warn = silence;
  }
}
