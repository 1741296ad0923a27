// The memory rule of DESIGN.md as a test helper: whatever `fn` allocates it disposes, so
// tf.memory().numTensors is back at its baseline afterwards. Async-aware (awaits fn), and free
// of any test runner: a leak throws, naming the count, which fails the test in vitest or anywhere.
import * as tf from '@tensorflow/tfjs-core';

export class LeakedTensorsError extends Error {
  constructor(readonly before: number, readonly after: number) {
    super(`${after - before} tensor(s) ${after > before ? 'leaked' : 'disposed beyond the baseline'}: numTensors ${before} before, ${after} after`);
  }
}

/** Runs fn (sync or async) and throws LeakedTensorsError unless tf.memory().numTensors ends where it began; returns fn's result. */
export async function expectNoLeakedTensors<T>(fn: () => T | Promise<T>): Promise<T> {
  const before = tf.memory().numTensors;
  const result = await fn();
  const after = tf.memory().numTensors;
  if (after !== before) throw new LeakedTensorsError(before, after);
  return result;
}
