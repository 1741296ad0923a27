// Reading tensors back to the CPU, always asynchronously: the WebGPU backend cannot read a GPU
// buffer synchronously under Node.js (its dataSync needs OffscreenCanvas), and on wasm and cpu
// `data()` costs the same as `dataSync()`. Code that may run in the compute worker reads through
// these, never through dataSync/arraySync.
import * as tf from '@tensorflow/tfjs-core';

/** A tensor's values as a Float32Array of its own (not a view of the backend's storage). */
export async function readF32(t: tf.Tensor): Promise<Float32Array> {
  return Float32Array.from((await t.data()) as Float32Array);
}

/** A scalar's value. */
export async function readScalar(t: tf.Tensor): Promise<number> {
  return ((await t.data()) as Float32Array)[0];
}

/** Each tensor of a map, read in order. */
export async function readMap<K>(src: ReadonlyMap<K, tf.Tensor>): Promise<Map<K, Float32Array>> {
  const out = new Map<K, Float32Array>();
  for (const [k, t] of src) out.set(k, await readF32(t));
  return out;
}

/** A tensor that `make` builds in a tidy scope, read and disposed. */
export async function readTidy(make: () => tf.Tensor): Promise<Float32Array> {
  const t = tf.tidy(make);
  try {
    return await readF32(t);
  } finally {
    t.dispose();
  }
}

/**
 * Makes the tensors' dataSync() work on every backend: on WebGPU each is read once asynchronously
 * (the backend then keeps the values on the CPU until the tensor changes); elsewhere dataSync
 * works as it is and nothing is read. For code that reads many weights synchronously, such as an
 * export, after a job's last change to them.
 */
export async function cacheForSyncReads(tensors: Iterable<tf.Tensor>): Promise<void> {
  if (tf.getBackend() !== 'webgpu') return;
  for (const t of tensors) if (!t.isDisposed) await t.data();
}

/** A row-major [rows, cols] matrix transposed to [cols, rows] (exact: values are only moved). */
export function transposed(data: ArrayLike<number>, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = data[r * cols + c];
  return out;
}

/**
 * tf.profile that leaves profiling off when the query throws: tfjs-core 4.22 turns it off only
 * after a query that returns, so one failed profiled step would profile every later kernel of the
 * worker and keep each kernel's record.
 */
export async function profile(query: () => Promise<unknown> | unknown): ReturnType<typeof tf.profile> {
  try {
    return await tf.profile(async () => {
      await query();
    });
  } catch (err) {
    (tf.engine().state as unknown as { profiling: boolean }).profiling = false;
    throw err;
  }
}
